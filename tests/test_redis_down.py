"""The Redis cache going away: students still sign in, answer and sign out (sessions fall back
to their database rows), and the cache reads as empty instead of failing."""

import pytest
from django.core.cache import cache
from django.test import Client

from quiz.models import Answer
from tests.taking_support import HTMX, post_answer, start_set

# Nothing listens on port 1: every Redis call fails at once with a refused connection.
DOWN_REDIS = {
    "default": {
        "BACKEND": "config.cache.TolerantRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


@pytest.mark.django_db
def test_with_redis_down_students_sign_in_answer_and_sign_out(settings, student, four_questions, caplog):
    settings.CACHES = DOWN_REDIS
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client = Client()
    response = client.post("/accounts/login/", {"username": student.username, "password": "pw-for-tests-only"})
    assert response.status_code == 302
    cookie = client.cookies["sessionid"].value
    attempt = start_set(client, four_questions)
    assert post_answer(client, attempt, 1, **HTMX).status_code == 200
    assert Answer.objects.filter(item__attempt=attempt).count() == 1
    assert client.get("/progress/").status_code == 200
    # Logging out still ends the session (its database row is the one that counts).
    client.post("/accounts/logout/")
    client.cookies["sessionid"] = cookie
    assert client.get("/quizzes/")["Location"].startswith("/accounts/login/")
    assert "cache unavailable" in caplog.text


def test_with_redis_down_the_cache_reads_as_empty(settings):
    settings.CACHES = DOWN_REDIS
    cache.set("k", 1)
    assert cache.get("k") is None and cache.get("k", "fallback") == "fallback"
    assert cache.get("k", default=3) == 3
    assert cache.get_or_set("k", 5) == 5
    assert not cache.add("k", 1) and not cache.has_key("k") and not cache.delete("k")
    assert cache.get_many(["k"]) == {}
    assert cache.set_many({"k": 1}) == []
