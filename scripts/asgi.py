"""The registry's Datasette as an ASGI app factory, for several worker processes.

Datasette renders pages in Python under one GIL, so one `datasette serve` process
uses one core however many the machine has. uvicorn can run several worker processes
on one socket, but it needs an app it can import in each worker: create_app is that.
It builds the instance with Datasette's own command-line parser from the arguments
scripts/serve.py would give `datasette serve` (passed in ARGS_ENV), so the settings,
plugins, templates and static mounts of one worker and of a single process cannot
drift apart.
"""
import json
import os

ARGS_ENV = "REGISTRY_DATASETTE_ARGS"


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
