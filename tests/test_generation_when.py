"""When did it happen? — asked at the event's own precision, never with a second right date."""

import re
from collections import Counter

import pytest

from quiz.models import Kind

from .generation_builders import claim, correct, event, live, run, skipped, texts

pytestmark = pytest.mark.django_db


def test_a_year_precision_event_gets_year_choices_only(db):
    event("ryutin", "Ryutin affair", "1932")
    run()
    question = live(Kind.WHEN, "when:ryutin")
    assert question.prompt == "In which year did this happen: Ryutin affair?"
    assert correct(question) == ["1932"]
    assert all(re.fullmatch(r"\d{4}", t) for t in texts(question))
    assert texts(question) == sorted(texts(question))  # chronological, consecutive
    years = [int(t) for t in texts(question)]
    assert years == list(range(years[0], years[0] + 4))


def test_a_month_precision_event_is_never_asked_by_day(db):
    event("metro", "Metro-Vickers trial", "1933-04")
    run()
    question = live(Kind.WHEN, "when:metro")
    assert question.prompt.startswith("In which month")
    assert correct(question) == ["April 1933"]
    assert all(re.fullmatch(r"[A-Z][a-z]+ \d{4}", t) for t in texts(question))


def test_a_day_precision_event_is_asked_for_the_date(db):
    kirov = event("kirov-assassination", "Assassination of Sergei Kirov", "1934-12-01", dating="1934")
    claim("kirov-killed", "Kirov was killed in 1934.", "In 1934 somebody assassinated Kirov.", events=[kirov])
    run()
    question = live(Kind.WHEN, "when:kirov-assassination")
    assert question.prompt == "On which date did this happen: Assassination of Sergei Kirov?"
    assert correct(question) == ["1 December 1934"]
    assert len(set(texts(question))) == 4
    # Cited to the passage that discusses it, with the interview's own dating.
    assert question.passage is not None and question.quote == "In 1934 somebody assassinated Kirov."
    assert "The interview agrees (1934)" in question.explanation


def test_no_wrong_choice_falls_inside_a_long_event(db):
    event("famine", "The great famine", "1932", "1933")
    event("plan", "Second five-year plan", "1933", "1937", dating="1932")
    run()
    famine = live(Kind.WHEN, "when:famine")
    assert famine.prompt == "In which year did this begin: The great famine?"
    assert "1933" not in texts(famine)
    plan = live(Kind.WHEN, "when:plan")
    assert correct(plan) == ["1933"]
    assert not {"1934", "1935", "1936", "1937"} & set(texts(plan))
    # The interview's wrong dating is named, and the answer is the historians' date.
    assert "The interview’s own dating is 1932" in plan.explanation


def test_an_event_named_with_its_date_is_skipped(db):
    event("decree", "Decree of 1 December 1934", "1934-12-01")
    summary = run()
    assert skipped(summary, "when:decree") == ["the event's name gives its date away"]


def test_the_answer_is_not_always_in_the_same_place(db):
    for i in range(12):
        event(f"ev{i}", f"Event number {'ABCDEFGHIJKL'[i]}", str(1900 + 7 * i))
    run()
    places = Counter([o.is_correct for o in q.options.all()].index(True) for q in live(Kind.WHEN))
    assert len(places) >= 3
