"""Database connections as configured from DATABASE_URL: an empty value means SQLite, and on
PostgreSQL connections persist between requests and survive a dropped connection."""

import os
import subprocess
import sys

import pytest
from django.db import connection

from tests.server_support import ROOT


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_connections_persist_between_requests_and_survive_a_dropped_connection(settings):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    import psycopg
    from django.core.signals import request_finished, request_started

    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True

    def backend_pid():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    def next_request():
        # What Django does between two requests: close_old_connections on both signals.
        request_finished.send(sender=None)
        request_started.send(sender=None)

    # Start from a fresh connection: one opened more than CONN_MAX_AGE ago is rightly recycled.
    connection.close()
    first = backend_pid()
    next_request()
    assert backend_pid() == first, "the connection was not kept between requests (CONN_MAX_AGE)"

    # The server drops the connection (restart, failover, idle timeout)...
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (first,))
    next_request()
    # ...and the next request gets a fresh one instead of an error (CONN_HEALTH_CHECKS).
    assert backend_pid() != first


@pytest.mark.parametrize(
    "url, engine",
    [("", "sqlite3"), ("postgres://postgres@127.0.0.1:5432/anything", "postgresql")],
    ids=["empty means SQLite", "postgres"],
)
def test_database_url_is_read_as_make_test_sets_it(url, engine):
    # `make test-sqlite` runs with DATABASE_URL= (empty); that must mean the SQLite default,
    # and a PostgreSQL URL must give persistent, health-checked connections.
    code = (
        "import django; django.setup(); from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['CONN_MAX_AGE'] > 0, d['CONN_HEALTH_CHECKS'])"
    )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    found, persistent, checked = out.stdout.split()
    assert found == f"django.db.backends.{engine}"
    if engine == "postgresql":
        assert (persistent, checked) == ("True", "True")
