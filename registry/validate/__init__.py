"""Validate data/*.csv against schema/: every problem in one run, as file:row: column: message.

Cell checks run in Python while the rows stream into a staging SQLite database;
key, foreign-key and cross-table checks then run as SQL on that database, so memory
stays flat as the data grow and the build reuses the same load.

Usage: python -m registry.validate [--data-dir DIR]
Exit status 1 on any error; warnings are printed and do not fail.
"""
import os
import sqlite3
import tempfile

from .. import datapackage
from .cells import today
from .keys import check_keys
from .load import load_resource
from .report import Problem, Report, display_path, visible

__all__ = ["Problem", "Report", "check", "display_path", "today", "validate", "visible"]
from .rules import check_rules



def validate(data_dir=None, staging=None, descriptor=datapackage.DESCRIPTOR, latest=None):
    """Validate every resource. Returns (report, open staging connection)."""
    resources = datapackage.resources(descriptor, data_dir)
    if staging is None:
        fd, staging = tempfile.mkstemp(prefix="registry-validate-", suffix=".db")
        os.close(fd)
        os.unlink(staging)
    conn = sqlite3.connect(staging, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA temp_store = FILE")
    report = Report()
    latest = latest or today()
    readable = {}
    conn.execute("BEGIN")
    for res in resources:
        readable[res.name] = load_resource(res, conn, report, latest)
    conn.execute("COMMIT")
    check_keys(resources, conn, report, readable)
    check_rules(resources, conn, report, readable)
    return report, conn, resources


def check(data_dir=None, **kwargs):
    """Validate and return the report only; the staging database is deleted."""
    report, conn, _ = validate(data_dir, **kwargs)
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    conn.close()
    if path:
        os.unlink(path)
    return report
