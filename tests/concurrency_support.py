"""Requests raced against each other from threads (for the PostgreSQL concurrency tests): each
thread has its own client and database connection, and all are released at once."""

import threading

from django.db import connections
from django.test import Client


def race(requests, *, prepare=None, join_timeout=None):
    """Run each `request(client)` in a thread of its own, all released together once every
    client is ready (`prepare(client)` runs first, e.g. to log in). Returns the status codes,
    in the order the responses came; fails if any thread raised."""
    barrier = threading.Barrier(len(requests))
    statuses, errors = [], []

    def run(request):
        try:
            client = Client()
            if prepare:
                prepare(client)
            barrier.wait()
            statuses.append(request(client).status_code)
        except Exception as exc:  # reported below; a thread's exception would be lost otherwise
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(request,)) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(join_timeout)
    assert not errors, errors
    return statuses
