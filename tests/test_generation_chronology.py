"""Chronology — only events with one certain order share a set, and they lie close in time."""

import itertools

import pytest

from history.models import Assessment, Event
from quiz.models import Kind

from .generation_builders import claim, event, live, run, skipped, texts

pytestmark = pytest.mark.django_db

TOO_FEW = "fewer than 3 events that certainly came before or after one another within two years of this one"


@pytest.fixture
def timeline():
    return [
        event("nep", "NEP introduced", "1921-03"),
        event("plan", "First five-year plan", "1928-10", "1932-12"),
        event("metro", "Metro-Vickers trial", "1933-04"),
        event("congress", "17th Party Congress", "1934-01-26", "1934-02-10"),
        event("nkvd", "NKVD created", "1934-07-10"),
        event("kirov", "Kirov assassinated", "1934-12-01"),
        event("year-1934", "Something at year precision", "1934"),
        event("kremlin", "Kremlin affair", "1935-01", "1935-07"),
        event("expelled", "Yenukidze expelled", "1935-08"),
        event("trial", "First show trial", "1936-08-19", "1936-08-24"),
    ]


def asked_for(summary, anchor):
    """The question on the set anchored on `anchor`, or on the same set made for an earlier anchor."""
    reasons = skipped(summary, f"chronology:{anchor}")
    return live(
        Kind.CHRONOLOGY, reasons[0].removeprefix("much the same events as ") if reasons else f"chronology:{anchor}"
    )


def ordered_events(question):
    options = sorted(question.options.all(), key=lambda o: o.correct_position)
    return [Event.objects.get(name=o.text) for o in options]


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
        ordered = ordered_events(question)
        assert [e.start_date for e in ordered] == sorted(e.start_date for e in ordered)
        assert set(question.events.all()) == set(ordered)
        # The lead is the reason in a line, the dates earliest first; then each event with its date.
        lead, reason = question.explanation.split("\n\n")[:2]
        assert lead.startswith("Their dates put them in this order: ") and len(lead.split()) <= 30
        assert reason.startswith(f"First: {ordered[0].name}, ")
        assert f"; last: {ordered[-1].name}, " in reason
        places = [reason.index(f"{e.name}, ") for e in ordered]
        assert places == sorted(places)


def test_a_set_spans_at_most_two_years(timeline):
    summary = run()
    for question in live(Kind.CHRONOLOGY):
        starts = [e.start_date for e in question.events.all()]
        assert (max(starts) - min(starts)).days <= 730
    # NEP (1921) has no events within two years of it, so it is never a trivial partner.
    assert skipped(summary, "chronology:nep") == [TOO_FEW]
    assert not live(Kind.CHRONOLOGY).filter(events__key="nep").exists()


def test_a_year_precision_event_never_shares_a_set_with_events_of_that_year(timeline):
    question = asked_for(run(), "year-1934")
    names = {o.text for o in question.options.all()}
    assert not names & {"17th Party Congress", "NKVD created", "Kirov assassinated"}
    # And it was still asked against events of the years either side.
    assert len(names) >= 3
    assert "Something at year precision, in 1934;" in question.explanation


def test_the_events_closest_to_the_anchor_are_taken_first(db):
    event("kirov", "Kirov assassinated", "1934-12-01")
    event("leningrad", "Leningrad Centre trial", "1934-12-28", "1934-12-29")
    event("moscow", "Moscow Centre trial", "1935-01-15", "1935-01-16")
    event("soviets", "7th Congress of Soviets", "1935-01-28", "1935-02-06")
    event("removed", "Yenukidze removed", "1935-03-03")
    event("trial", "First show trial", "1936-08-19", "1936-08-24")
    event("yezhov", "Yezhov replaces Yagoda", "1936-09-26")
    run()
    question = live(Kind.CHRONOLOGY, "chronology:kirov")
    keys = [e.key for e in ordered_events(question)]
    assert keys[:3] == ["kirov", "leningrad", "moscow"]  # the two closest, whatever the size
    assert not {"trial", "yezhov"} & set(keys)
    assert question.explanation.startswith(
        "Their dates put them in this order: 1 December 1934, 28 to 29 December 1934"
    )
    assert question.explanation.split("\n\n")[1].startswith(
        "First: Kirov assassinated, on 1 December 1934; then: Leningrad Centre trial, from 28 to 29 December 1934; "
    )


@pytest.fixture
def misordered():
    """The interview dates the first show trial "soon after Yezhov replaced Yagoda", though it
    came a month before; plenty of events lie closer to the trial than Yezhov's appointment."""
    for key, date in [("a", "1936-07-20"), ("b", "1936-08-01"), ("c", "1936-08-10"), ("d", "1936-08-30")]:
        event(f"near-{key}", f"Nearby event {key.upper()}", date)
    event("e", "Nearby event E", "1936-09-05")
    event("f", "Nearby event F", "1936-09-12")
    yezhov = event("yezhov", "Yezhov replaces Yagoda as head of the NKVD", "1936-09-26", dating="1936")
    trial = event(
        "trial",
        "First Moscow show trial",
        "1936-08-19",
        "1936-08-24",
        dating="soon after Yezhov replaced Yagoda (1936)",
    )
    # Dated the same way, but rightly after Yezhov's appointment: no mis-ordering.
    event(
        "bukharin-trial",
        "Trial of Bukharin",
        "1938-03-02",
        "1938-03-13",
        dating="soon after Yezhov replaced Yagoda (1936)",
    )
    return claim(
        "soon",
        "Maskharashvili says the trial followed Yezhov's appointment.",
        "In 1936 Yezhov replaced Yagoda. Soon after this, Stalin opened the court case.",
        events=[trial, yezhov],
        assessment=Assessment.CONTRADICTED,
        note="Wrong order: the trial came a month before Yezhov's appointment.",
    )


def test_a_pair_the_interview_gets_the_wrong_way_round_is_preferred(misordered):
    summary = run()
    for anchor in ("trial", "yezhov"):
        question = asked_for(summary, anchor)
        assert {"trial", "yezhov"} <= {e.key for e in question.events.all()}, anchor
        _, reason, detail = question.explanation.split("\n\n")
        assert reason.startswith("First: ")
        assert detail == (
            "The interview has two of these the wrong way round: it places one (First Moscow show trial) "
            "soon after Yezhov replaced Yagoda (1936), but it happened before the other "
            f"(Yezhov replaces Yagoda as head of the NKVD). The interview says so in §{misordered.passage.position}."
        )
        assert question.quote == misordered.quote
        assert "Wrong order" not in question.explanation  # the historians' note stays with the claim


def test_an_interview_dating_on_the_right_side_is_no_mis_ordering(misordered):
    run()
    for question in live(Kind.CHRONOLOGY):
        assert "it places one (Trial of Bukharin)" not in question.explanation
        if "trial" not in {e.key for e in question.events.all()}:
            assert "wrong way round" not in question.explanation


def test_a_plain_dating_on_the_other_side_of_an_event_is_a_mis_ordering(db):
    event("kirov", "Kirov assassinated", "1934-12-01", dating="1935")
    event("leningrad", "Leningrad Centre trial", "1934-12-28", "1934-12-29")
    for i, date in enumerate(["1934-11-20", "1934-11-25", "1934-11-27", "1934-11-29"]):
        event(f"near{i}", f"Nearby event {i}", date)
    question = asked_for(run(), "kirov")
    assert "leningrad" in {e.key for e in question.events.all()}
    assert question.explanation.split("\n\n")[2] == (
        "The interview has two of these the wrong way round: it places one (Kirov assassinated) in 1935, "
        "but it happened before the other (Leningrad Centre trial)."
    )


def test_the_interview_is_cited_only_where_its_words_name_an_event(db):
    kirov = event("kirov", "Kirov assassinated", "1934-12-01")
    leningrad = event("leningrad", "Leningrad Centre trial", "1934-12-28", "1934-12-29")
    event("moscow", "Moscow Centre trial", "1935-01-15", "1935-01-16")
    # Linked to the trial through the historians' note only.
    claim(
        "investigation",
        "Maskharashvili says Stalin had it investigated.",
        "He had it investigated.",
        events=[leningrad],
    )
    run()
    question = live(Kind.CHRONOLOGY, "chronology:kirov")
    assert question.passage is None and question.explanation.count("\n\n") == 1
    named = claim("killed", "Maskharashvili says Kirov was killed.", "Somebody assassinated Kirov.", events=[kirov])
    run()
    question = live(Kind.CHRONOLOGY, "chronology:kirov")
    assert question.quote == "Somebody assassinated Kirov."
    assert question.explanation.endswith(
        f"\n\nThe interview discusses one of these events (Kirov assassinated) in §{named.passage.position}."
    )


def test_too_few_orderable_events_is_skipped(db):
    event("a", "Event A", "1934")
    event("b", "Event B", "1934-05")
    event("c", "Event C", "1934-12-01")
    # Orderable, but years apart.
    event("d", "Event D", "1921")
    event("e", "Event E", "1928")
    summary = run()
    assert {s.reason for s in summary.skipped if s.kind == Kind.CHRONOLOGY} == {TOO_FEW}
    assert not live(Kind.CHRONOLOGY).exists()


def test_an_event_whose_name_carries_its_date_is_never_in_a_set(db):
    # The third review: "Soviet famine of 1932-1933" gave its place away, and its Kazakh start in
    # 1930 made its order against events of 1930-31 arguable.
    event("trial", "Industrial Party trial", "1930-11-25", "1930-12-07")
    event("speech", "Stalin's 'new conditions' speech", "1931-06-23")
    event("famine", "Soviet famine of 1932-1933", "1932", "1933")
    event("ryutin", "Ryutin affair", "1932-09")
    event("fulfilled", "First plan declared fulfilled", "1933-01-07")
    summary = run()
    assert skipped(summary, "chronology:famine") == ["the event's name gives its date away"]
    for question in live(Kind.CHRONOLOGY):
        assert "Soviet famine of 1932-1933" not in {o.text for o in question.options.all()}
    assert live(Kind.CHRONOLOGY).exists()


def test_identical_sets_are_made_once(db):
    for i, year in enumerate([1930, 1931, 1932]):
        event(f"e{i}", f"Event {i}", str(year))
    summary = run()
    assert live(Kind.CHRONOLOGY).count() == 1
    assert sum("much the same events as" in s.reason for s in summary.skipped) == 2


def test_no_set_holds_another_or_shares_more_than_two_of_its_events(db):
    # The eighteenth review: sets wholly inside others, and sets sharing three of four events, are
    # one question asked twice: the second is answered from the first.
    for i in range(9):
        event(f"e{i}", f"Event {i}", f"{1930 + i // 2}-{1 + 6 * (i % 2):02d}")
    summary = run()
    sets = [frozenset(e.key for e in q.events.all()) for q in live(Kind.CHRONOLOGY)]
    assert len(sets) >= 2
    for a, b in itertools.combinations(sets, 2):
        assert not (a <= b or b <= a) and len(a & b) <= 2, (sorted(a), sorted(b))
    assert any("much the same events as" in s.reason for s in summary.skipped)


def test_events_a_standard_dating_could_put_either_way_round_are_not_ordered(db):
    # The eighth review: the Kremlin affair (investigation from January 1935) grew from
    # denunciations of December 1934, so its order against a trial of 28-29 December is not sure.
    affair = event("affair", "The Kremlin affair", "1935-01", "1935-07")
    Event.objects.filter(pk=affair.pk).update(other_datings=[{"date": "1934-12", "why": "its first denunciations"}])
    event("trial", "Leningrad trial", "1934-12-28", "1934-12-29")
    event("murder", "Murder of Kirov", "1934-12-01")
    event("congress", "Congress of Soviets", "1935-01-28", "1935-02-06")
    event("expelled", "Expulsion", "1935-06")
    run(only=[Kind.CHRONOLOGY])
    for question in live(Kind.CHRONOLOGY):
        shown = texts(question)
        assert not {"The Kremlin affair", "Leningrad trial"} <= set(shown), question.generator_key
        assert not {"The Kremlin affair", "Murder of Kirov"} <= set(shown), question.generator_key


def test_every_event_the_interview_discusses_is_named(db):
    # The twelfth review: "discusses one of these events" when it discussed two.
    kirov = event("kirov", "Kirov assassinated", "1934-12-01")
    event("moscow", "Moscow Centre trial", "1935-01-15", "1935-01-16")
    removed = event("removed", "Yenukidze deposed as secretary", "1935-03-03")
    killed = claim("killed", "Maskharashvili says Kirov was killed.", "Somebody assassinated Kirov.", events=[kirov])
    deposed = claim(
        "deposed",
        "Maskharashvili says Yenukidze was removed.",
        "Stalin deposed Yenukidze from his secretarial position.",
        events=[removed],
        assessment=Assessment.CONTRADICTED,
        note="Wrong in part: he was removed in March 1935.",
    )
    run()
    question = live(Kind.CHRONOLOGY, "chronology:kirov")
    assert (
        "The interview discusses two of these events: Kirov assassinated "
        f"(§{killed.passage.position}); Yenukidze deposed as secretary (§{deposed.passage.position})."
    ) in question.explanation
    # The twenty-second review: what it says there is said, not pointed at (only the first is quoted).
    assert (
        f"In §{deposed.passage.position} it says that Yenukidze was removed; historians judge this contradicted."
        in question.explanation
    )
    assert question.quote == "Somebody assassinated Kirov."  # the first is the one cited


def test_an_event_and_one_that_follows_from_it_never_share_a_set(db):
    # The twelfth review: "Arrest of Tukhachevsky" must come before his trial, leaving a set of
    # three one real choice.
    arrest = event("arrest", "Arrest of Tukhachevsky", "1937-05-22")
    trial = event("trial", "Trial of Tukhachevsky", "1937-06-11", "1937-06-12")
    event("ops", "Mass operations", "1937-07", "1938-11-17")
    event("plenum", "February-March plenum", "1937-02-23", "1937-03-05")
    event("elections", "Supreme Soviet elections", "1937-12-12")
    trial.follows.set([arrest])
    run()
    for question in live(Kind.CHRONOLOGY):
        assert not {"Arrest of Tukhachevsky", "Trial of Tukhachevsky"} <= set(texts(question)), question.generator_key
