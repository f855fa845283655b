"""Settings from the environment, production checks, health, static files and the demo accounts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.templatetags.static import static

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "PRODUCTION": "1",
    "SECRET_KEY": "a-long-random-production-secret-key-with-enough-entropy-0123456789-abcdef",
    "ALLOWED_HOSTS": "quiz.example.org",
}


def run_manage(*args, env_extra=None):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "PRODUCTION",
            "SECRET_KEY",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "DATABASE_URL",
        }
    }
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def settings_value(expression, env_extra=None):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        f"from django.conf import settings; print(repr(({expression})))",
        env_extra=env_extra,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_check_deploy_is_clean_with_the_documented_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_them():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env_extra={"PRODUCTION": "1"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_is_off_unless_set():
    assert settings_value("settings.DEBUG") == "False"
    assert settings_value("settings.DEBUG", {"DEBUG": "1"}) == "True"


def test_database_url_selects_the_database():
    engine = settings_value(
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['CONN_HEALTH_CHECKS']",
        {"DATABASE_URL": "postgres://u:p@db.internal:5432/quiz"},
    )
    assert engine == "('django.db.backends.postgresql', True)"
    assert settings_value("str(settings.DATABASES['default']['NAME'])").endswith("db.sqlite3'")
    assert settings_value("settings.ALLOWED_HOSTS", {"ALLOWED_HOSTS": "a.org, b.org"}) == "['a.org', 'b.org']"


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_fails_and_names_nothing(client, monkeypatch, caplog):
    from django.db import OperationalError
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise OperationalError("could not connect to server at db.internal:5432")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    # Anyone can poll it: it says whether, never what (no exception, host or driver name)...
    assert response.json() == {"status": "error"}
    # ...and the log says what.
    logged = [r for r in caplog.records if r.levelname == "ERROR" and r.exc_info]
    assert logged and "db.internal" in str(logged[0].exc_info[1])
    assert "health check" in logged[0].getMessage()


@pytest.mark.django_db
def test_static_files_are_hashed_compressed_and_cached_for_a_year(client):
    url = static("css/site.css")
    assert url != "/static/css/site.css" and url.endswith(".css")  # hashed name from the manifest
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "max-age=31536000" in response["Cache-Control"]
    htmx = static("vendor/htmx-2.0.11.min.js")
    assert client.get(htmx).status_code == 200


@pytest.mark.django_db
def test_home_page_and_styled_404(client, interview):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Conspiracy Against Stalin" in response.content
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert b"Page not found" in missing.content and b"site-header" in missing.content


@pytest.mark.django_db
def test_demo_accounts_are_idempotent_and_documented(client):
    call_command("setup_demo", stdout=open(os.devnull, "w"))
    call_command("setup_demo", stdout=open(os.devnull, "w"))
    User = get_user_model()
    assert User.objects.filter(username__in=["admin", "teacher", "student"]).count() == 3
    readme = (ROOT / "README.md").read_text()
    from quiz.demo import DEMO_ACCOUNTS

    for username, password, _role in DEMO_ACCOUNTS:
        assert f"`{password}`" in readme
        response = client.post("/accounts/login/", {"username": username, "password": password})
        assert response.status_code == 302, username
        client.post("/accounts/logout/")
    assert User.objects.get(username="teacher").has_perm("quiz.teach")
    assert not User.objects.get(username="student").has_perm("quiz.teach")
    assert User.objects.get(username="admin").is_staff


REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def _redis_reachable():
    import redis

    try:
        return redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not _redis_reachable(), reason=f"no Redis at {REDIS_TEST_URL}")


def test_without_redis_url_the_cache_is_local_and_sessions_use_the_database():
    assert settings_value("settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE") == (
        "('django.core.cache.backends.locmem.LocMemCache', 'django.contrib.sessions.backends.db')"
    )


@needs_redis
def test_redis_url_selects_the_shared_cache_and_cached_sessions():
    env = {"REDIS_URL": REDIS_TEST_URL}
    assert settings_value("settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE", env) == (
        "('config.cache.TolerantRedisCache', 'django.contrib.sessions.backends.cached_db')"
    )
    # The client library is installed and the cache really answers (a missing `redis`
    # package would fail here, as it would on the first request in production).
    script = (
        "from django.core.cache import cache; cache.set('settings-test', 41, 30); print(cache.incr('settings-test'))"
    )
    result = run_manage("shell", "--no-imports", "-c", script, env_extra=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "42"


@needs_redis
@pytest.mark.django_db
def test_cached_sessions_skip_the_session_query_and_logout_ends_them(client, student, settings, interview):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.TolerantRedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": f"test-{os.getpid()}",
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    response = client.post("/accounts/login/", {"username": student.username, "password": "pw-for-tests-only"})
    assert response.status_code == 302
    cookie = client.cookies["sessionid"].value
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/quizzes/").status_code == 200
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]
    # The session is in the database too, so it outlives losing its cached copy.
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.core.cache import cache

    assert cache.delete(SessionStore(cookie).cache_key)
    assert client.get("/quizzes/").status_code == 200
    client.post("/accounts/logout/")
    # The old cookie, replayed, no longer signs anybody in (the cached copy went with the logout).
    client.cookies["sessionid"] = cookie
    response = client.get("/quizzes/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
