"""Hostile clients for the load test: pathological SQL, and a flood of slow SQL.

The readers' pages must keep answering while someone sends SQL built to run forever
(the SQL time limit must stop it) or floods the server with slow queries (the
per-address limits must turn them away). Both run alongside the readers in load.hammer.
"""
import asyncio
import time

import httpx

from .pages import DB_NAME

PATHOLOGICAL = {
    "recursive CTE": "with recursive c(x) as (select 1 union all select x + 1 from c) "
                     "select count(*) from c",
    "cross join": "select count(*) from persons a, persons b, persons c, persons d, events e",
}


async def send_sql(client, sql, tally):
    """One ?sql= request; counts it as sent, or as "other" when the connection failed."""
    try:
        r = await client.get(f"/{DB_NAME}.json", params={"sql": sql})
    except httpx.HTTPError:
        tally["other"] += 1
        return None
    tally["sent"] += 1
    return r


async def pathological(client, end, tally):
    """The pathological queries in turn until end, on the readers' own client.

    tally counts those the time limit stopped and those it did not ("other"), and
    keeps each one's latency: how long the limit let it run.
    """
    queries = list(PATHOLOGICAL.values())
    i = 0
    while time.monotonic() < end:
        sql = queries[i % len(queries)]
        i += 1
        t0 = time.perf_counter()
        r = await send_sql(client, sql, tally)
        if r is None:
            continue
        tally["latencies"].append(time.perf_counter() - t0)
        body = r.json() if r.headers.get("content-type", "").startswith("application/json") else {}
        if r.status_code == 400 and "took too long" in (body.get("error") or ""):
            tally["stopped"] += 1
        else:
            tally["other"] += 1


def flood_address(i):
    """A distinct loopback address for flooding client i (127.0.0.0/8 only)."""
    return f"127.0.{3 + i // 250}.{1 + i % 250}"


async def sql_flood(url, clients, end):
    """clients slow ?sql= queries in a loop, each from its own loopback address, until end.

    Every query differs, so no cache can merge them; each runs until the time limit."""
    outcome = {"sent": 0, "200": 0, "400 (time limit)": 0, "429": 0, "503": 0, "other": 0}

    async def one(i):
        transport = httpx.AsyncHTTPTransport(local_address=flood_address(i))
        async with httpx.AsyncClient(base_url=url, timeout=30, transport=transport) as client:
            n = 0
            while time.monotonic() < end:
                n += 1
                sql = ("with recursive c(x) as (select 1 union all select x + 1 from c) "
                       f"select count(*) + {i * 100000 + n} from c")
                r = await send_sql(client, sql, outcome)
                if r is None:
                    continue
                key = {400: "400 (time limit)"}.get(r.status_code, str(r.status_code))
                outcome[key if key in outcome else "other"] += 1
                if r.status_code in (429, 503):
                    await asyncio.sleep(0.2)  # a polite client; a hostile one only gets more 503s
    await asyncio.gather(*[one(i) for i in range(clients)])
    return outcome
