"""Chronology — only events with one certain order share a set."""

import pytest

from history.models import Event
from quiz.models import Kind

from .generation_builders import event, live, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def timeline():
    return [
        event("nep", "NEP introduced", "1921-03"),
        event("plan", "First five-year plan", "1928-10", "1932-12"),
        event("congress", "17th Party Congress", "1934-01-26", "1934-02-10"),
        event("nkvd", "NKVD created", "1934-07-10"),
        event("kirov", "Kirov assassinated", "1934-12-01"),
        event("year-1934", "Something in 1934 at year precision", "1934"),
        event("kremlin", "Kremlin affair", "1935-01", "1935-07"),
        event("trial", "First show trial", "1936-08-19", "1936-08-24"),
    ]


def test_every_set_has_one_certain_order(timeline):
    run()
    questions = list(live(Kind.CHRONOLOGY))
    assert questions
    for question in questions:
        options = list(question.options.all())
        assert 3 <= len(options) <= 5
        ranks = [o.correct_position for o in options]
        assert sorted(ranks) == list(range(1, len(options) + 1))
        assert ranks != sorted(ranks), "never shown already in order"
        ordered = [Event.objects.get(name=o.text) for o in sorted(options, key=lambda o: o.correct_position)]
        assert [e.start_date for e in ordered] == sorted(e.start_date for e in ordered)
        assert set(question.events.all()) == set(ordered)
        assert "The order, earliest first: 1." in question.explanation


def test_a_year_precision_event_never_shares_a_set_with_events_of_that_year(timeline):
    run()
    question = live(Kind.CHRONOLOGY, "chronology:year-1934")
    names = {o.text for o in question.options.all()}
    assert not names & {"17th Party Congress", "NKVD created", "Kirov assassinated"}
    # And it was still asked against events of other years.
    assert len(names) >= 3


def test_too_few_orderable_events_is_skipped(db):
    event("a", "A in 1934", "1934")
    event("b", "B in 1934", "1934-05")
    event("c", "C in 1934", "1934-12-01")
    summary = run()
    assert {s.reason for s in summary.skipped if s.kind == Kind.CHRONOLOGY} == {
        "fewer than 3 events that certainly came before or after this one"
    }
    assert not live(Kind.CHRONOLOGY).exists()


def test_identical_sets_are_made_once(db):
    for i, year in enumerate([1921, 1925, 1930]):
        event(f"e{i}", f"Event {i}", str(year))
    summary = run()
    assert live(Kind.CHRONOLOGY).count() == 1
    assert sum("the same events as" in s.reason for s in summary.skipped) == 2
