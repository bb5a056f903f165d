"""Run the registry's app under uvicorn with the slow-client guard, one or more workers.

registry/serve.py execs this module; it exists because uvicorn's command line cannot
take a protocol class, and the guard (registry/server/slow_clients.py) is one.

Usage (from registry/serve.py): python -m registry.server.run HOST PORT WORKERS
"""
import sys

import uvicorn

from .slow_clients import KEEP_ALIVE_TIMEOUT, HeaderTimeoutProtocol


def main(argv=None):
    host, port, workers = (argv or sys.argv[1:])[:3]
    uvicorn.run("registry.server.asgi:create_app", factory=True, host=host, port=int(port),
                workers=int(workers), http=HeaderTimeoutProtocol, lifespan="on",
                timeout_keep_alive=KEEP_ALIVE_TIMEOUT, log_level="info")


if __name__ == "__main__":
    main()
