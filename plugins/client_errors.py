"""A request that asks for something that cannot exist is the client's error (400), not
the server's (500).

Datasette 0.65 raises DatasetteError("Cannot sort table by ...") for ?_sort= or
?_sort_desc= naming a column the table does not have, with its default status 500. A
500 tells monitoring the site is broken and tells the reader nothing useful; the
message stays, the status becomes 400. What would remove this file: Datasette raising
that error with status 400 (it does in 1.0 alphas).
"""
from datasette import hookimpl

CLIENT_MISTAKES = ("Cannot sort table by",)


@hookimpl
def handle_exception(datasette, request, exception):
    message = str(getattr(exception, "message", "") or exception)
    if getattr(exception, "status", None) == 500 and message.startswith(CLIENT_MISTAKES):
        exception.status = 400
    return None
