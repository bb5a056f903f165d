"""registry/serve.py with several worker processes (uvicorn, registry/server/asgi.py) serves the
very instance that one `datasette serve` process serves, and stops whole."""
import os
import time
from pathlib import Path

import httpx
import pytest

from registry import serve

from registry.settings import DB_NAME as DB
SAME = ["/", f"/{DB}/persons.json?_shape=array&_size=max", f"/{DB}/persons.csv",
        f"/{DB}/conflicting_claims.json?_shape=array", "/-/plugins.json", "/-/settings.json",
        "/-/metadata.json", "/-/databases.json", "/robots.txt", "/assets/publication.css",
        "/downloads/datapackage.json"]


def alive(pid):
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return False


@pytest.fixture(scope="module")
def servers(real_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("workers")
    started = {}
    try:
        for workers in (1, 2):
            started[workers] = serve.start_in_background(
                real_db, folder / f"serve-{workers}.log", workers=workers)
        yield started
    finally:
        for _, proc in started.values():
            proc.terminate()
            proc.wait(timeout=20)


def test_two_workers_answer_exactly_as_one_process(servers):
    (one, _), (two, _) = servers[1], servers[2]
    for path in SAME:
        a, b = httpx.get(one + path, timeout=60), httpx.get(two + path, timeout=60)
        assert a.status_code == b.status_code == 200, path
        assert a.headers["content-type"] == b.headers["content-type"], path
        assert a.headers["content-security-policy"] == b.headers["content-security-policy"], path
        # Absolute links name the server's own host and port, which differ here.
        assert a.content.replace(one.encode(), b"HOST") == b.content.replace(two.encode(), b"HOST"), path


def test_the_workers_are_separate_processes_serving_one_port(servers):
    url, proc = servers[2]
    workers = [p for p in serve.process_tree(proc.pid) if "spawn_main" in
               Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace")]
    assert len(workers) == 2, workers
    # Enough requests over fresh connections reach both processes; each answers.
    for _ in range(20):
        assert httpx.get(url + f"/{DB}/persons.json?_size=1", timeout=30).status_code == 200


def test_stopping_the_server_stops_every_worker(real_db, tmp_path):
    url, proc = serve.start_in_background(real_db, tmp_path / "serve.log", workers=2)
    pids = serve.process_tree(proc.pid)[1:]
    assert pids
    proc.terminate()
    proc.wait(timeout=20)
    deadline = time.monotonic() + 10
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(p) for p in pids), "a worker outlived the server"
    with pytest.raises(httpx.HTTPError):
        httpx.get(url + "/", timeout=2)


def test_the_worker_count_given_is_the_worker_count_served(real_db, tmp_path):
    """--workers decides how many processes answer; the default uses this machine's cores
    without exceeding them."""
    url, proc = serve.start_in_background(real_db, tmp_path / "serve.log", workers=1)
    try:
        workers = [p for p in serve.process_tree(proc.pid) if "spawn_main" in
                   Path(f"/proc/{p}/cmdline").read_text(errors="replace")]
        assert len(workers) <= 1, workers
        assert httpx.get(url + "/-/versions.json", timeout=10).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert 1 <= serve.DEFAULT_WORKERS <= (os.cpu_count() or 1)


def test_worker_connections_turn_nagle_off():
    """uvicorn's --workers socket has protocol 0, for which asyncio leaves Nagle's
    algorithm on; small responses on kept-alive connections then waited 40 ms for the
    client's delayed ACK. registry/server/asgi.py (imported by every worker) turns it off."""
    import asyncio
    import socket

    import uvicorn

    import registry.server.asgi  # noqa: F401  (what every worker imports first)

    async def accepted_nodelay():
        config = uvicorn.Config(app=None, host="127.0.0.1", port=0, workers=2)
        listening = config.bind_socket()  # as uvicorn's supervisor binds it for its workers
        seen = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport):
                sock = transport.get_extra_info("socket")
                seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=listening)
        async with server:
            reader, writer = await asyncio.open_connection(*listening.getsockname()[:2])
            value = await asyncio.wait_for(seen, 10)
            writer.close()
        return listening.proto, value

    proto, nodelay = asyncio.run(accepted_nodelay())
    assert proto == 0, "uvicorn binds with protocol 0: the case this guards"
    assert nodelay != 0


def test_serving_writes_nothing_beside_the_database(tmp_path):
    from .conftest import build_minimal
    db = build_minimal(tmp_path / "site")
    before = sorted(p.name for p in db.parent.iterdir())
    meta_path, inspect_path = serve.prepare(db)
    assert sorted(p.name for p in db.parent.iterdir()) == before
    assert meta_path.parent == inspect_path.parent != db.parent
    assert meta_path.exists() and inspect_path.exists()


def test_a_client_that_never_finishes_its_headers_is_disconnected(real_db, tmp_path, monkeypatch):
    import socket
    monkeypatch.setenv("REGISTRY_HEADER_TIMEOUT", "2")
    url, proc = serve.start_in_background(real_db, tmp_path / "serve.log", workers=1)
    try:
        host, port = url.removeprefix("http://").split(":")
        stalled = socket.create_connection((host, int(port)), timeout=30)
        stalled.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1")  # no blank line, ever
        idle = socket.create_connection((host, int(port)), timeout=30)  # sends nothing at all
        # Both are closed by the server: recv returns b"" (end of stream), not a timeout.
        assert stalled.recv(1024) == b""
        assert idle.recv(1024) == b""
        # A request that completes its headers is served as usual.
        assert httpx.get(url + "/-/versions.json", timeout=30).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)
