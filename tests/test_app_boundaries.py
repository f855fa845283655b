"""history is the content; quiz builds on it. history must never reach into quiz: no import, no
`apps.get_model("quiz", ...)`, no quiz permission or URL name, in its code or its templates.
quiz adds what it offers (admin actions, the practice form's address) through history's hooks.
And no product app (quiz, history, accounts) imports the benchmarks (bench/): the benchmark data
generator is an app of bench/'s own, installed by bench/settings.py only."""

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse

from history import hooks
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
QUIZ_NAME = re.compile(r"^quiz(?:$|[.:])")  # "quiz", "quiz.add_question", "quiz:practice", "quiz.generation"
BENCH_NAME = re.compile(r"^bench(?:$|[.:])")  # "bench", "bench.benchdata", "bench.settings"


def reaches_into_quiz(source: str, name=QUIZ_NAME) -> list[str]:
    """Each line of this Python source that imports quiz (or, with `name`, another package) or
    names one of its apps, models, permissions or URLs, as "line N: what"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""] if node.level == 0 else []
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names = [node.value]
        else:
            continue
        found += [(node.lineno, found_name) for found_name in names if name.match(found_name)]
    return [f"line {line}: {name}" for line, name in sorted(found)]


def test_the_check_sees_each_way_of_reaching_into_quiz():
    source = """
import quiz.models
from quiz.generation import generate
apps.get_model("quiz", "Question")
user.has_perm("quiz.add_question")
reverse("quiz:practice")
from . import models
'''A docstring may talk about the quiz app.'''
"""
    assert reaches_into_quiz(source) == [
        "line 2: quiz.models",
        "line 3: quiz.generation",
        "line 4: quiz",
        "line 5: quiz.add_question",
        "line 6: quiz:practice",
    ]


def test_no_history_module_reaches_into_quiz():
    modules = sorted((ROOT / "history").rglob("*.py"))
    assert len(modules) > 10
    found = {
        str(path.relative_to(ROOT)): hits
        for path in modules
        if (hits := reaches_into_quiz(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_no_product_module_reaches_into_the_benchmarks():
    modules = sorted(path for app in ("quiz", "history", "accounts") for path in (ROOT / app).rglob("*.py"))
    assert len(modules) > 30
    assert reaches_into_quiz("from bench.benchdata import shape", BENCH_NAME) == ["line 1: bench.benchdata"]
    found = {
        str(path.relative_to(ROOT)): hits
        for path in modules
        if (hits := reaches_into_quiz(path.read_text(encoding="utf-8"), BENCH_NAME))
    }
    assert found == {}


def test_no_history_template_names_a_quiz_url():
    templates = sorted((ROOT / "templates" / "history").rglob("*.html"))
    assert templates
    url_tag = re.compile(r"""{%\s*url\s+["']quiz:""")
    assert [str(t.relative_to(ROOT)) for t in templates if url_tag.search(t.read_text(encoding="utf-8"))] == []


@pytest.mark.django_db
def test_the_study_pages_show_the_practice_quiz_registered(client, student):
    kirov = factories.figure("Kirov")
    factories.event("Assassination of Kirov")
    for url in (kirov.get_absolute_url(), reverse("history:timeline")):
        client.logout()
        assert "Log in to practise" in client.get(url).content.decode()
        client.force_login(student)
        assert f'<form method="post" action="{reverse("quiz:practice")}"' in client.get(url).content.decode()


@pytest.mark.django_db
def test_with_no_practice_registered_the_study_pages_leave_practice_out(client, student, monkeypatch):
    monkeypatch.setattr(hooks, "_practice_url_name", "")
    kirov = factories.figure("Kirov")
    factories.event("Assassination of Kirov")
    for url in (kirov.get_absolute_url(), reverse("history:timeline")):
        client.logout()
        anonymous = client.get(url)
        assert anonymous.status_code == 200
        assert "practise" not in anonymous.content.decode().lower()
        client.force_login(student)
        signed_in = client.get(url)
        assert signed_in.status_code == 200
        assert "practise" not in signed_in.content.decode().lower()
        assert 'class="practice-form"' not in signed_in.content.decode()


def test_no_accounts_module_reaches_into_quiz():
    # accounts is below quiz: log-ins, limits and names know nothing of teaching (a teacher
    # resetting a student's password is quiz/teaching/passwords.py).
    modules = sorted((ROOT / "accounts").rglob("*.py"))
    assert len(modules) > 5
    found = {str(m.relative_to(ROOT)): reaches_into_quiz(m.read_text()) for m in modules}
    assert {path: lines for path, lines in found.items() if lines} == {}
