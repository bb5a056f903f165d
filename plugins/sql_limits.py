"""What anonymous SQL may do on a connection: values are capped in size, and the one
SQLite function that leaks a code pointer is refused.

- SQLITE_LIMIT_LENGTH: printf('%.*c', 900000000, 'x'), randomblob(1e9) and zeroblob(1e9)
  build their value in a single step, which the time limit (a progress handler between
  steps) cannot interrupt: they ran 8-10 s and grew a worker by 800 MB. No value in the
  registry comes near MAX_VALUE_BYTES, so such a query now fails at once with
  "string or blob too big".
- fts3_tokenizer('simple') returns the address of a tokenizer in memory, which helps an
  attacker defeat ASLR (the CVE-2015-7036 class); with two arguments it can install
  one. Nothing here uses it, so an authorizer refuses the function on every connection.
  (FTS5, which the search uses, never calls it.)

What would remove this file: a SQLite built with SQLITE_ENABLE_FTS3_TOKENIZER off and a
Datasette setting for connection limits.
"""
import sqlite3

from datasette import hookimpl

MAX_VALUE_BYTES = 10_000_000
REFUSED_FUNCTIONS = frozenset({"fts3_tokenizer"})


def authorizer(action, arg1, arg2, db_name, trigger):
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in REFUSED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


@hookimpl
def prepare_connection(conn):
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.set_authorizer(authorizer)
