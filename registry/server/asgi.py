"""The registry's Datasette as an ASGI app factory, for several worker processes.

Datasette renders pages in Python under one GIL, so one `datasette serve` process
uses one core however many the machine has. uvicorn can run several worker processes
on one socket, but it needs an app it can import in each worker: create_app is that.
It builds the instance with Datasette's own command-line parser from the arguments
registry/serve.py would give `datasette serve` (passed in ARGS_ENV), so the settings,
plugins, templates and static mounts of one worker and of a single process cannot
drift apart.
"""
import asyncio.base_events
import json
import os
import socket

ARGS_ENV = "REGISTRY_DATASETTE_ARGS"


def _set_nodelay(sock):
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


# With --workers, uvicorn binds the listening socket itself, as socket(AF_INET) with
# protocol 0, and asyncio turns Nagle's algorithm off only for sockets whose protocol
# says IPPROTO_TCP. Every small response on a kept-alive connection then waited for the
# client's delayed ACK: 40-44 ms for a cached page instead of 1 ms (measured with
# http.client on 127.0.0.1). One `datasette serve` process is not affected: asyncio
# creates its socket with the protocol set. This module is imported in every worker
# before it accepts a connection.
asyncio.base_events._set_nodelay = _set_nodelay


def create_app():
    from datasette import cli

    args = json.loads(os.environ[ARGS_ENV])
    if args[:1] == ["serve"]:
        args = args[1:]
    ctx = cli.serve.make_context("serve", list(args))
    # return_instance is Datasette's own hook for getting the instance the command
    # would serve; its startup hooks run on the first request (AsgiRunOnFirstRequest).
    datasette = ctx.invoke(cli.serve.callback, **dict(ctx.params, return_instance=True))
    return datasette.app()
