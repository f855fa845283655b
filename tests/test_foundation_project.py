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
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "PRODUCTION", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def settings_value(expression, env_extra=None):
    result = run_manage("shell", "--no-imports", "-c", f"from django.conf import settings; print(repr(({expression})))", env_extra=env_extra)
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
def test_healthz_is_503_when_the_database_fails(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


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
