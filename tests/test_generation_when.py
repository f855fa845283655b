"""When did it happen? — asked at the event's own precision, never with a second right date."""

import datetime as dt
import re
from collections import Counter

import pytest

from history.models import Assessment, Event
from quiz.models import Kind

from .generation_builders import claim, correct, event, figure, live, passage, run, skipped, texts

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
    assert question.prompt == "By the historical record, on which date did this happen: Assassination of Sergei Kirov?"
    assert correct(question) == ["1 December 1934"]
    assert len(set(texts(question))) == 4
    # Cited to the passage that discusses it, with the interview's own dating.
    assert question.passage is not None and question.quote == "In 1934 somebody assassinated Kirov."
    # First why the answer is right; the detail after a blank line.
    reason, detail = question.explanation.split("\n\n")
    assert reason == "Historians date this to 1 December 1934."
    assert "The interview agrees (1934)." in detail


def days(question):
    return [dt.datetime.strptime(t, "%d %B %Y").date() for t in texts(question)]


def test_a_day_precision_event_varies_the_day_not_the_month(db):
    event("mid", "Arrest of Tukhachevsky", "1937-05-15")
    event("first", "Assassination of Sergei Kirov", "1934-12-01")
    run()
    # Mid-month: every wrong choice is another day of the same month.
    mid = days(live(Kind.WHEN, "when:mid"))
    assert {(d.year, d.month) for d in mid} == {(1937, 5)}
    for key in ("mid", "first"):
        dates = sorted(days(live(Kind.WHEN, f"when:{key}")))
        answer = dt.date(1937, 5, 15) if key == "mid" else dt.date(1934, 12, 1)
        assert len(dates) == 4
        # A few days to three weeks away, never the day next door.
        assert all(abs((d - answer).days) <= 24 for d in dates)
        assert all((b - a).days >= 2 for a, b in zip(dates, dates[1:]))


def test_the_answer_to_a_day_question_is_not_always_in_the_same_place(db):
    for i in range(12):
        event(f"ev{i}", f"Event number {'ABCDEFGHIJKL'[i]}", f"19{20 + i}-0{1 + i % 9}-1{i % 9}")
    run()
    places = Counter([o.is_correct for o in q.options.all()].index(True) for q in live(Kind.WHEN))
    assert len(places) >= 3


def test_no_wrong_choice_falls_inside_a_long_event(db):
    event("famine", "The great famine", "1932", "1933")
    event("plan", "Second five-year plan", "1933", "1937", dating="1932")
    run()
    famine = live(Kind.WHEN, "when:famine")
    assert famine.prompt == "In which year did this begin: The great famine?"
    assert "1933" not in texts(famine)
    # A plan of five years is asked by its run (see below), every wrong run as long as its own.
    plan = live(Kind.WHEN, "when:plan")
    assert correct(plan) == ["1933 to 1937"]
    runs = [tuple(int(y) for y in t.split(" to ")) for t in texts(plan)]
    assert len(runs) == 4 and all(last - first == 4 for first, last in runs)
    # The interview's wrong dating is named, and the answer is the historians' date, which the
    # prompt asks for (the twelfth review: "In 1932 …" quoted beside it read as the answer).
    assert "The interview’s own dating is 1932" in plan.explanation
    assert plan.prompt == "By the historical record, over which years did this run: Second five-year plan?"


def test_a_month_precision_event_that_ran_on_is_asked_by_its_run_in_months(db):
    # The fourteenth review: asked when they began, the mass operations had "December 1938" among
    # the choices, after their end; asked by their run, no choice is ruled out by one end alone.
    event("mass", "Mass operations of the Great Terror", "1937-07", "1938-11-17")
    run()
    question = live(Kind.WHEN, "when:mass")
    assert question.prompt == "Over which months did this run: Mass operations of the Great Terror?"
    assert correct(question) == ["July 1937 to November 1938"]
    for shown in texts(question):
        first, last = (dt.datetime.strptime(t, "%B %Y").date() for t in shown.split(" to "))
        assert (last.year - first.year) * 12 + last.month - first.month == 16, shown
    assert question.explanation.startswith("Historians date this from July 1937 to 17 November 1938.\n\n")


def test_no_wrong_day_falls_inside_a_trial_of_several_days(db):
    event("trial", "First Moscow show trial", "1936-08-19", "1936-08-24")
    run()
    question = live(Kind.WHEN, "when:trial")
    assert correct(question) == ["19 August 1936"]
    # Nor the day after it ended, which would read as a trick.
    assert not any(dt.date(1936, 8, 20) <= d <= dt.date(1936, 8, 25) for d in days(question))
    assert question.explanation.startswith("Historians date this from 19 to 24 August 1936.")


def test_no_wrong_day_falls_inside_another_record_of_the_same_event(db):
    event("arrest", "Arrest of Zinoviev", "1937-05-22")
    event("arrest-again", "Arrest of Zinoviev", "1937-05-10", "1937-06-05")
    run()
    question = live(Kind.WHEN, "when:arrest")
    wrong = [d for d in days(question) if d != dt.date(1937, 5, 22)]
    assert len(wrong) == 3
    assert not any(dt.date(1937, 5, 10) <= d <= dt.date(1937, 6, 5) for d in wrong)


def test_a_when_question_cites_only_a_passage_that_names_the_event(db):
    shakhty = event("shakhty", "Shakhty trial", "1928-05", "1928-07")
    industrial = event("industrial", "Industrial Party trial", "1930-11-25", "1930-12-07")
    # Linked to both through the historians' note, which names the trials; the words do not.
    claim(
        "blamed",
        "Maskharashvili says the regime blamed the specialists.",
        "They blamed the specialists for the failure of the economy.",
        events=[shakhty, industrial],
        note="From 1928 the regime staged wrecking cases: the Shakhty trial, the Industrial Party trial.",
    )
    claim(
        "staged",
        "Maskharashvili says the engineers' trial was staged.",
        "The Industrial Party trial was staged from start to finish.",
        events=[industrial],
        assessment=Assessment.DISPUTED,
    )
    run()
    question = live(Kind.WHEN, "when:shakhty")
    assert question.passage is None and question.quote == ""
    assert "§" not in question.explanation
    assert question.explanation.endswith(
        "The date comes from the historical record; the interview does not date this event."
    )
    named = live(Kind.WHEN, "when:industrial")
    assert named.quote == "The Industrial Party trial was staged from start to finish."
    # The twelfth review: and says that it gives no date, or the quote reads as the source of one.
    assert f"The interview discusses it in §{named.passage.position}, without dating it." in named.explanation


def test_cited_words_holding_a_claim_judged_apart_say_so_with_its_verdict(db):
    # The fifth review: the murder's date was cited to "a semi-deranged person whose wife's lover
    # used to be Kirov himself, assassinated Kirov" with no word that the lover is unverifiable.
    murder = event("murder", "Assassination of Sergei Kirov", "1934-12-01", dating="1934")
    whole = "in 1934, a man whose wife's lover used to be Kirov himself, assassinated Kirov"
    outer = claim("killed", "Maskharashvili says Kirov was assassinated in 1934.", whole, events=[murder])
    claim(
        "lover",
        "Maskharashvili says Kirov had been the killer's wife's lover.",
        "whose wife's lover used to be Kirov himself",
        psg=outer.passage,
        assessment=Assessment.UNVERIFIABLE,
        note="No reliable documentary evidence has been found of an affair.",
    )
    run()
    question = live(Kind.WHEN, "when:murder")
    assert question.quote == whole
    assert "Part of the quoted words is judged separately." in question.explanation
    assert (
        "The words “whose wife's lover used to be Kirov himself” are a separate claim: unverifiable."
        " No reliable documentary evidence has been found of an affair." in question.explanation
    )


def test_naming_the_people_is_not_naming_the_event(db):
    figure("svanidze", "Alexander Svanidze", "Svanidze")
    arrest = event("arrest", "Arrest of Alexander Svanidze", "1937-12")
    claim(
        "in-law",
        "Maskharashvili says Svanidze was Stalin's brother-in-law.",
        "his brother-in-law Alexander Svanidze",
        events=[arrest],
    )
    run()
    question = live(Kind.WHEN, "when:arrest")
    assert question.passage is None and "§" not in question.explanation


def test_a_doubted_dating_is_named_with_what_is_wrong(db):
    event("yezhov", "Yezhov replaces Yagoda as head of the NKVD", "1936-09-26", dating="1936")
    trial = event(
        "trial",
        "First Moscow show trial",
        "1936-08-19",
        "1936-08-24",
        dating="soon after Yezhov replaced Yagoda (1936)",
    )
    claim(
        "soon",
        "Maskharashvili says the trial followed Yezhov's appointment.",
        "Soon after this, Stalin opened the court case.",
        events=[trial],
        assessment=Assessment.CONTRADICTED,
        note="Wrong order: the trial came a month before Yezhov's appointment.",
    )
    run()
    question = live(Kind.WHEN, "when:trial")
    assert question.quote == "Soon after this, Stalin opened the court case."
    reason, detail = question.explanation.split("\n\n")
    assert reason == "Historians date this from 19 to 24 August 1936."
    assert (
        "The interview places it soon after Yezhov replaced Yagoda (1936): the year is right, but historians reject the order."
        in detail
    )
    # Said what is wrong, from the claim's note: a when question shows no note of its own.
    assert "reject the order. Wrong order: the trial came a month before Yezhov's appointment." in detail


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


def test_an_event_that_runs_on_is_asked_by_its_run_with_the_answer_anywhere(db):
    # Asked by their start, long events had wrong years after their end, ruled out by knowing the
    # end (the second and twelfth reviews), or none and the answer always the latest (the third).
    # Asked by their run, the answer takes every place among the choices across the bank.
    plans = [
        event(f"plan{i}", f"Plan number {'ABCDEFGHIJKL'[i]}", str(1800 + 10 * i), str(1804 + 10 * i)) for i in range(12)
    ]
    run()
    places = Counter()
    for plan in plans:
        question = live(Kind.WHEN, f"when:{plan.key}")
        shown = texts(question)
        assert correct(question) == [f"{plan.start_date.year} to {plan.end_date.year}"]
        assert len(shown) == 4 and len(set(shown)) == 4
        places[shown.index(correct(question)[0])] += 1
    assert len(places) >= 3, places


def test_no_wrong_run_starts_at_another_dating_of_the_start(db):
    # Some accounts date the Kremlin affair from December 1934: a run moved to start then would be
    # right by their account.
    for i in range(6):
        affair = event(f"affair{i}", f"Affair number {'ABCDEF'[i]}", f"19{30 + i}-01", f"19{30 + i}-07")
        Event.objects.filter(pk=affair.pk).update(
            other_datings=[{"date": f"19{29 + i}-10", "why": "when the first denunciations were made"}]
        )
    run(only=[Kind.WHEN])
    for i in range(6):
        question = live(Kind.WHEN, f"when:affair{i}")
        assert not any(t.startswith(f"October 19{29 + i}") for t in texts(question)), texts(question)
        assert len(texts(question)) == 4


def test_the_citation_is_the_words_that_name_the_event_most_fully(db):
    # The seventh review: Yenukidze's removal was cited to the sentence on where he was sent
    # ("relegated to … the executive committee"), not to "He deposed Enukidze from the
    # secretarial position of the central executive committee".
    removed = event("removed", "Yenukidze removed as secretary of the Central Executive Committee", "1935-03-03")
    psg = passage(
        "He deposed Enukidze from the secretarial position of the central executive committee. "
        "He was relegated to the position of the secretary of the South Caucasus executive committee."
    )
    claim(
        "a-relegated",
        "Maskharashvili says he was relegated.",
        "He was relegated to the position of the secretary of the South Caucasus executive committee.",
        psg=psg,
        events=[removed],
    )
    claim(
        "b-deposed",
        "Maskharashvili says Stalin removed him.",
        "He deposed Enukidze from the secretarial position of the central executive committee",
        psg=psg,
        events=[removed],
    )
    run(only=[Kind.WHEN])
    question = live(Kind.WHEN, "when:removed")
    assert question.quote.startswith("He deposed Enukidze")


def test_a_dating_standard_accounts_give_instead_is_never_a_wrong_choice(db):
    # The seventh review: Yezhov was relieved on 24-25 November 1938, but the press announced it
    # on 8 December and Conquest dates it so; "December 1938" was offered as wrong.
    removed = event("removed", "Yezhov removed as head of the NKVD", "1938-11")
    Event.objects.filter(pk=removed.pk).update(
        other_datings=[{"date": "1938-12-08", "why": "the day the press announced it"}]
    )
    run(only=[Kind.WHEN])
    question = live(Kind.WHEN, "when:removed")
    assert correct(question) == ["November 1938"]
    assert "December 1938" not in texts(question)
    assert "Some accounts give 8 December 1938, the day the press announced it." in question.explanation_more


def test_a_dating_left_out_beside_the_answer_leaves_no_hole_pointing_to_it(db):
    # The eighteenth review: "September, October, November, January" for Yezhov's removal, with
    # December rightly left out, pointed to November beside the hole. Six removals, so the draw of
    # how many choices fall after the answer comes up more than once.
    for i in range(6):
        removed = event(f"removed{i}", f"Removal number {'ABCDEF'[i]}", f"19{30 + i}-11")
        Event.objects.filter(pk=removed.pk).update(
            other_datings=[{"date": f"19{30 + i}-12-08", "why": "the day the press announced it"}]
        )
    run(only=[Kind.WHEN])
    for i in range(6):
        question = live(Kind.WHEN, f"when:removed{i}")
        assert texts(question) == [f"{m} 19{30 + i}" for m in ("August", "September", "October", "November")]


def test_a_day_answer_is_never_the_only_day_of_its_month_among_the_choices(db):
    # The eighth review: 2 December 1927 among 9, 19 and 24 November; knowing the month was enough.
    for n in range(8):
        event(f"congress-{n}", f"Congress number {n}", f"19{20 + n}-12-02", f"19{20 + n}-12-19")
    run(only=[Kind.WHEN])
    for question in live(Kind.WHEN):
        answer = correct(question)[0]
        month = answer.split(" ", 1)[1]
        assert any(text != answer and text.endswith(month) for text in texts(question)), texts(question)


def test_a_trial_of_some_days_may_have_its_answer_first(db):
    # The thirteenth review: the answer third of four in half the questions; a trial of some
    # days is not long past its start, so its wrong days may all come after it.
    for i in range(12):
        event(f"trial{i}", f"Trial number {'ABCDEFGHIJKL'[i]}", f"19{20 + i}-03-10", f"19{20 + i}-03-16")
    run()
    places = Counter(texts(q).index(correct(q)[0]) for q in live(Kind.WHEN))
    assert places[0] >= 1 and len(places) >= 3


def test_an_event_the_interview_only_dates_by_implication_is_not_said_to_be_discussed(db):
    # The fourteenth review: "The interview discusses it in §2" of the 7th Congress of Soviets,
    # which the interview never mentions; §2 gives only the year of Stalin's demand.
    congress = event(
        "soviets",
        "7th Congress of Soviets",
        "1935-01-28",
        "1935-02-06",
        dating="by implication in 1934, the year it gives for Stalin's demand for the reform",
    )
    claim(
        "demand",
        "Maskharashvili says Stalin demanded a new constitution in 1934.",
        "In 1934 Stalin demanded a new constitution.",
        events=[congress],
        assessment=Assessment.CONTRADICTED,
        note="Wrong year: Stalin made the demand in January 1935.",
    )
    run()
    question = live(Kind.WHEN, "when:soviets")
    # Nor that it dates it "by implication" (the nineteenth review): it dates the demand.
    assert "The interview’s words cited, in §" in question.explanation
    assert "discusses it" not in question.explanation


def test_the_interviews_own_word_for_an_event_names_it(db):
    # The fourteenth review: "Yagoda was substituted by a new minister Yezhov" was said to date
    # "Yezhov replaces Yagoda" only by implication; "substituted" is the interview's "replaced".
    yezhov, yagoda = figure("yezhov", "Nikolai Yezhov", "Yezhov"), figure("yagoda", "Genrikh Yagoda", "Yagoda")
    event("replaced", "Yezhov replaces Yagoda as head of the NKVD", "1936-09-26", participants=[yezhov, yagoda])
    psg = passage("In 1936, Yagoda was substituted by a new minister Yezhov.")
    claim(
        "substituted",
        "Maskharashvili says Yezhov replaced Yagoda in 1936.",
        "In 1936, Yagoda was substituted by a new minister Yezhov.",
        psg=psg,
        figures=[yezhov, yagoda],
        events=[Event.objects.get(key="replaced")],
    )
    run(only=[Kind.WHEN])
    question = live(Kind.WHEN, "when:replaced")
    assert f"The interview discusses it in §{psg.position}" in question.explanation
    assert "by implication" not in question.explanation


def test_the_interviews_own_wrong_year_is_among_the_wrong_choices(db):
    # The fifteenth review: "In 1932, the Soviet Union embarked on … the second five-year plan"
    # was quoted in the feedback, but no choice tested it; the interview's own dating is the
    # error most worth telling from the record.
    for i in range(6):
        event(
            f"plan{i}", f"Plan number {'ABCDEF'[i]}", str(1903 + 10 * i), str(1907 + 10 * i), dating=str(1902 + 10 * i)
        )
        event(f"famine{i}", f"Famine number {'ABCDEF'[i]}", str(1805 + 10 * i), dating=str(1801 + 10 * i))
    run(only=[Kind.WHEN])
    for i in range(6):
        plan = live(Kind.WHEN, f"when:plan{i}")
        assert f"{1902 + 10 * i} to {1906 + 10 * i}" in texts(plan), texts(plan)
        assert correct(plan) == [f"{1903 + 10 * i} to {1907 + 10 * i}"]
        famine = live(Kind.WHEN, f"when:famine{i}")
        assert str(1801 + 10 * i) in texts(famine) and correct(famine) == [str(1805 + 10 * i)]
        assert len(texts(famine)) == 4


def test_a_date_question_names_where_a_teacher_can_check_it(db):
    # The nineteenth review: no date, order or office question gave a source, though the claims' did.
    for i, year in enumerate([1930, 1931, 1932, 1933]):
        ev = event(f"e{i}", f"Event {'ABCD'[i]}", f"{year}-0{i + 1}")
        Event.objects.filter(pk=ev.pk).update(reference=f"Author {i}, Book {i} (London, 1990).")
    run(only=[Kind.WHEN, Kind.CHRONOLOGY, Kind.MATCHING])
    when = live(Kind.WHEN, "when:e0")
    assert when.explanation.endswith("Source: Author 0, Book 0 (London, 1990).")
    for question in [*live(Kind.CHRONOLOGY), *live(Kind.MATCHING)]:
        last = question.explanation.split("\n\n")[-1]
        assert last.startswith("Sources: Author ") and last.count("(London, 1990)") == len(question.events.all())
    # A work two records name is cited once.
    Event.objects.update(reference="Author 0, Book 0 (London, 1990); Shared, Handbook (Moscow, 1999).")
    run(only=[Kind.MATCHING])
    for question in live(Kind.MATCHING):
        assert question.explanation.endswith(
            "Sources: Author 0, Book 0 (London, 1990); Shared, Handbook (Moscow, 1999)."
        )


def test_the_works_behind_a_verdict_on_the_cited_words_are_cited_too(db):
    # The twenty-second review: the note on "a semi-deranged person" named Knight and Kirilina,
    # and the Source line gave only the work behind the date.
    murder = event("murder", "Kirov assassinated", "1934-12-01")
    Event.objects.filter(pk=murder.pk).update(reference="Lenoe, The Kirov Murder (2010).")
    killed = claim(
        "killed",
        "Maskharashvili says Kirov was killed in 1934.",
        "in 1934 a semi-deranged person assassinated Kirov",
        events=[murder],
        reference="Lenoe, The Kirov Murder (2010).",
    )
    claim(
        "deranged",
        "Maskharashvili says the killer was semi-deranged.",
        "a semi-deranged person",
        psg=killed.passage,
        assessment=Assessment.DISPUTED,
        note="Historians disagree: Knight stresses his instability, Lenoe his grievance.",
        reference="Knight, Who Killed Kirov? (1999).",
    )
    run(only=[Kind.WHEN])
    question = live(Kind.WHEN, "when:murder")
    assert "Knight stresses his instability" in question.explanation
    assert question.explanation.endswith("Sources: Lenoe, The Kirov Murder (2010); Knight, Who Killed Kirov? (1999).")


def test_words_that_misdate_an_event_they_do_not_name_are_said_with_their_verdict(db):
    # The twenty-third review: "the interview does not date this event" of the 7th Congress of
    # Soviets, when §2 dates Stalin's demand for the reform it approved to 1934, a year too early.
    congress = event("congress", "Congress of Soviets", "1935-01-28", "1935-02-06")
    demand = claim(
        "demand",
        "Maskharashvili says Stalin called for a new constitution in 1934.",
        "In 1934, Stalin demanded a new constitution.",
        events=[congress],
        assessment=Assessment.CONTRADICTED,
        note="Wrong year: he made the demand in January 1935.",
        reference="Getty, 'State and Society under Stalin' (1991).",
    )
    run(only=[Kind.WHEN])
    question = live(Kind.WHEN, "when:congress")
    assert (
        f"The interview does not name this event, but in §{demand.passage.position} it says that Stalin called for"
        " a new constitution in 1934; historians judge this contradicted. Wrong year:"
    ) in question.explanation
    assert "the interview does not date this event" not in question.explanation
    assert question.explanation.endswith("Getty, 'State and Society under Stalin' (1991).")
    # Words beside an event, wrong for another reason, date nothing.
    speech = event("speech", "Stalin's speech", "1931-06-23")
    claim(
        "cleared",
        "Maskharashvili says most of those arrested in 1932 were cleared.",
        "Most of those arrested in 1932 were cleared.",
        events=[speech],
        assessment=Assessment.CONTRADICTED,
        note="Released is not exonerated.",
    )
    run(only=[Kind.WHEN])
    assert "The date comes from the historical record; the interview does not date this event." in (
        live(Kind.WHEN, "when:speech").explanation
    )
