"""Matching — people to offices, events to years, each with exactly one right pairing."""

import pytest

from history.models import Event, Figure
from quiz.generation.content import normalise, office_text
from quiz.models import Kind, Option

from .generation_builders import crowd, event, figure, live, role, run, texts

pytestmark = pytest.mark.django_db


def pairs(question):
    lefts = [o for o in question.options.all() if o.side == Option.Side.LEFT]
    rights = [o for o in question.options.all() if o.side == Option.Side.RIGHT]
    assert len(lefts) == len(rights) >= 3
    assert sorted(o.match_id for o in lefts) == sorted(o.pk for o in rights), "a one-to-one pairing"
    return {o.text: o.match.text for o in lefts}


def test_people_are_matched_to_offices_only_they_held(db):
    yagoda = figure("yagoda", "Genrikh Yagoda", "Yagoda")
    yezhov = figure("yezhov", "Nikolai Yezhov", "Yezhov")
    role(yagoda, "People's Commissar for Internal Affairs", "1934-07", "1936-09", key="yagoda-nkvd")
    role(yezhov, "People's Commissar for Internal Affairs", "1936-09", "1938-11", key="yezhov-nkvd")
    crowd(5)
    run()
    questions = list(live(Kind.MATCHING))
    assert questions
    for question in questions:
        matched = pairs(question)
        assert question.prompt == "Match each person to an office they held."
        # Two holders of one office never share a set: either could take it.
        assert not {"Genrikh Yagoda", "Nikolai Yezhov"} <= set(matched)
        held = {p: {normalise(office_text(r)) for r in Figure.objects.get(name=p).roles.all()} for p in matched}
        for person, office in matched.items():
            assert normalise(office) in held[person]
            # Nobody else in the set held this office, so it has one partner only.
            assert all(normalise(office) not in held[other] for other in matched if other != person)


def test_events_are_matched_to_years_that_no_other_event_shares(db):
    event("a", "Affair A", "1932")
    event("b", "Congress B", "1934-01-26", "1934-02-10")
    event("c", "Murder C", "1934-12-01")
    event("d", "Purge D", "1936", "1938")
    event("e", "Trial E", "1937-06-11")
    event("f", "Plan F", "1929")
    event("g", "Trial G", "1930-11-25")
    run()
    questions = [q for q in live(Kind.MATCHING) if q.generator_key.startswith("matching:years:")]
    assert questions
    for question in questions:
        matched = pairs(question)
        assert len(set(matched.values())) == len(matched)
        assert not {"Congress B", "Murder C"} <= set(matched), "two events of one year"
        assert not {"Purge D", "Trial E"} <= set(matched), "1937 falls inside the purge"
        for name, year in matched.items():
            assert Event.objects.get(name=name).start_date.year == int(year)
    # A set mixing a purge with a congress asks for the year it happened or began; the seventh
    # review: "the year it began" of a one-day event reads oddly.
    assert any(q.prompt == "Match each event to the year it happened (or began)." for q in questions)
    assert not any(q.prompt == "Match each event to the year it began." for q in questions)


def test_an_event_named_with_its_year_is_left_out(db):
    for i, year in enumerate([1921, 1925, 1930, 1933]):
        event(f"e{i}", f"Event {'ABCD'[i]}", str(year))
    event("famine", "Famine of 1932-1933", "1932", "1933")
    run()
    for question in live(Kind.MATCHING):
        assert "Famine of 1932-1933" not in pairs(question)


def test_an_office_whose_dates_need_a_note_is_not_matched(db):
    # "General Secretary 1922-1934" alone teaches that Stalin stopped leading the party in 1934;
    # the eleventh review: a line of the lead stated it bare, the note only after. A matching
    # line has no room for the note, so such an office is asked only where the note is shown.
    stalin = figure("stalin", "Joseph Stalin", "Stalin")
    general = role(stalin, "General Secretary of the Central Committee", "1922-04", "1934-02", key="stalin-gensec")
    general.note = "The title fell out of use after 1934; Stalin led the party until 1952 as one of its secretaries."
    general.save()
    role(stalin, "People's Commissar of Nationalities", "1917-11", "1923-07", key="stalin-nationalities")
    crowd(5)
    run()
    with_stalin = [q for q in live(Kind.MATCHING) if "Joseph Stalin" in pairs(q)]
    assert with_stalin
    for question in with_stalin:
        assert pairs(question)["Joseph Stalin"] == "People's Commissar of Nationalities"
    assert general.note in live(Kind.WHO_HELD_ROLE, "who_held_role:stalin-gensec").explanation


def test_a_year_the_interview_gets_wrong_is_named_and_rejected_in_the_explanation(db):
    # The fifth review: the set paired the plan with 1933 and said nothing of the interview's
    # "1932", so a reader who trusted the interview was marked wrong with no word why.
    from history.models import Assessment

    from .generation_builders import claim

    plan = event("plan", "Second five-year plan", "1933", "1937", dating="1932")
    event("b", "Congress B", "1927-12-02")
    event("c", "Murder C", "1930")
    event("d", "Trial D", "1938-03-02")
    claim(
        "plan-1932",
        "Maskharashvili says the second plan began in 1932.",
        "In 1932, the Soviet Union embarked on the second five-year plan.",
        events=[plan],
        assessment=Assessment.CONTRADICTED,
        note="Wrong year: it covered 1933-1937.",
    )
    run()
    question = next(q for q in live(Kind.MATCHING) if "Second five-year plan" in pairs(q))
    assert pairs(question)["Second five-year plan"] == "1933"
    assert "Second five-year plan: from 1933 to 1937." in question.explanation_lead.splitlines()
    assert (
        "Second five-year plan: the interview places it in 1932; historians reject that." in question.explanation_more
    )
    others = [line for line in question.explanation.splitlines() if line.startswith(("Congress B", "Murder C"))]
    assert others and not any("interview" in line for line in others)


def test_a_dating_wrong_only_in_its_order_is_not_said_to_be_a_wrong_year(db):
    # The tenth review: "historians reject that" beside the right 1936 for the first Moscow trial,
    # which the interview puts after Yezhov's appointment (1936), a month too late.
    from history.models import Assessment

    from .generation_builders import claim

    trial = event(
        "trial", "First Moscow trial", "1936-08-19", "1936-08-24", dating="soon after Yezhov replaced Yagoda (1936)"
    )
    event("b", "Congress B", "1927-12-02")
    event("c", "Murder C", "1930")
    event("d", "Trial D", "1938-03-02")
    claim(
        "soon-after",
        "Maskharashvili says the trial came soon after Yezhov replaced Yagoda.",
        "Soon after this, Stalin opened the court case.",
        events=[trial],
        assessment=Assessment.CONTRADICTED,
        note="Wrong order: the trial came a month before Yezhov's appointment.",
    )
    run()
    question = next(q for q in live(Kind.MATCHING) if "First Moscow trial" in pairs(q))
    assert (
        "First Moscow trial: the interview places it soon after Yezhov replaced Yagoda (1936); historians reject the"
        " order, not the year." in question.explanation_more
    )


def test_no_year_another_dating_gives_an_event_is_offered_for_another_event(db):
    # The twelfth review: 1934, a standard dating of the Kremlin affair (its first denunciations),
    # was the Leningrad Centre trial's year in one matching.
    kremlin = event("kremlin", "Kremlin affair", "1935-01", "1935-07")
    Event.objects.filter(pk=kremlin.pk).update(other_datings=[{"date": "1934-12", "why": "the first denunciations"}])
    event("leningrad", "Leningrad Centre trial", "1934-12-28", "1934-12-29")
    for year in (1931, 1933, 1937, 1938):
        event(f"e{year}", f"Event of the year {'ABCDEFGHIJ'[year - 1930]}", str(year))
    run()
    for question in live(Kind.MATCHING).filter(generator_key__startswith="matching:years:"):
        offered = texts(question)
        assert not {"Kremlin affair", "Leningrad Centre trial"} <= set(offered), question.generator_key


def test_an_office_held_twice_is_explained_with_both_tenures(db):
    # The twelfth review: Rykov's VSNKh chair explained by 1923-24 alone, his lesser tenure.
    rykov = figure("rykov", "Alexei Rykov", "Rykov")
    role(rykov, "Chairman of the VSNKh", "1918", "1921", key="ryk-1")
    role(rykov, "Chairman of the VSNKh", "1923", "1924", key="ryk-2")
    crowd(4, start_year=1918)
    run()
    explanations = [q.explanation for q in live(Kind.MATCHING).filter(generator_key__startswith="matching:offices:")]
    rykov_lines = [line for text in explanations for line in text.splitlines() if line.startswith("Alexei Rykov was")]
    assert rykov_lines
    assert all(
        line == "Alexei Rykov was Chairman of the VSNKh from 1918 to 1921 and from 1923 to 1924."
        for line in rykov_lines
    )


def test_an_office_the_interview_names_in_a_claim_judged_wrong_is_said_so_in_the_matching(db):
    # The thirteenth review: matchings drilled "Tukhachevsky, First Deputy People's Commissar of
    # Defence" without the interview's error over 1934, which the office's own questions flag.
    from history.models import Assessment

    from .generation_builders import claim

    tukhachevsky = figure("tukhachevsky", "Mikhail Tukhachevsky", "Tukhachevsky")
    role(
        tukhachevsky,
        "First Deputy People's Commissar of Defence",
        "1936-04",
        "1937-05",
        key="tukh-first",
        wording="the first deputy of the defense commissar",
    )
    claim(
        "tukh-1934",
        "Maskharashvili says that in 1934 Tukhachevsky was first deputy of the People's Commissar of Defence.",
        "Tukhachevski – the first deputy of the defense commissar",
        figures=[tukhachevsky],
        assessment=Assessment.CONTRADICTED,
        note="Wrong for 1934: Tukhachevsky became first deputy only in April 1936.",
    )
    crowd(2, start_year=1933)  # one set of three, so it holds him whichever anchor makes it
    run()
    matchings = [q for q in live(Kind.MATCHING) if "Mikhail Tukhachevsky" in texts(q)]
    assert matchings
    for question in matchings:
        assert "in a claim historians judge contradicted" in question.explanation
        assert "became first deputy only in April 1936" in question.explanation
