"""Run the registry's app under uvicorn with the slow-client guard, one or more workers.

scripts/serve.py execs this module; it exists because uvicorn's command line cannot
take a protocol class, and the guard (scripts/slow_clients.py) is one.

Usage (from scripts/serve.py): python -m scripts.run_server HOST PORT WORKERS
"""
import sys

import uvicorn

from .slow_clients import KEEP_ALIVE_TIMEOUT, HeaderTimeoutProtocol


def main(argv=None):
    host, port, workers = (argv or sys.argv[1:])[:3]
    uvicorn.run("scripts.asgi:create_app", factory=True, host=host, port=int(port),
                workers=int(workers), http=HeaderTimeoutProtocol, lifespan="on",
                timeout_keep_alive=KEEP_ALIVE_TIMEOUT, log_level="info")


if __name__ == "__main__":
    main()
