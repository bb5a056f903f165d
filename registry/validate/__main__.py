"""python -m registry.validate [--data-dir DIR]: exit status 1 on any error."""
import argparse
import sys

from . import __doc__ as DOC, check


def main(argv=None):
    parser = argparse.ArgumentParser(description=DOC.splitlines()[0])
    parser.add_argument("--data-dir", help="validate the CSVs in this folder instead of data/")
    args = parser.parse_args(argv)
    report = check(args.data_dir)
    report.print()
    return 1 if report.error_count else 0


if __name__ == "__main__":
    sys.exit(main())
