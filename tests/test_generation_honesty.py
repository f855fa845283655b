"""The bank never says more than the interview and the historians do: no rumour drilled under
another claim's verdict, no paraphrase dressed as a quotation, no "the interview mentions X"
for someone it never names, no wrong dating passed over without a word."""

import re

import pytest

from history.models import Assessment, Role
from quiz.models import Kind
from tests.generation_builders import assessment_prompt

from .generation_builders import claim, correct, crowd, event, figure, live, office, passage, role, run, skipped, texts

pytestmark = pytest.mark.django_db

MURDER = "in 1934, a deranged man whose wife’s lover used to be Kirov himself, assassinated Kirov"
RUMOUR = "whose wife’s lover used to be Kirov himself"


@pytest.fixture
def kirov():
    """A corroborated claim whose quote holds an unverifiable one (as §8 of the interview does)."""
    kirov = figure("kirov", "Sergei Kirov", "Kirov")
    # The killer is in both claims too, so neither man is the default guess of this small world.
    killer = figure("nikolaev", "Leonid Nikolaev", "Nikolaev")
    crowd(6, start_year=1928)
    role(kirov, "First Secretary of the Leningrad committee", "1926-01", "1934-12", key="kirov-leningrad")
    psg = passage(f"The group could oust Stalin, but {MURDER}.")
    outer = claim(
        "murder",
        "Maskharashvili says Kirov was assassinated in 1934 by a deranged man.",
        psg.text,
        psg=psg,
        quote=MURDER,
        figures=[kirov, killer],
        note="Nikolaev shot Kirov on 1 December 1934.",
        near_misses=[
            {"text": "Kirov was assassinated in 1935 by a deranged man.", "why": "The interview says 1934."},
            {"text": "Kirov was assassinated in 1934 on Stalin's orders.", "why": "It names a deranged man."},
        ],
    )
    inner = claim(
        "affair",
        "Maskharashvili says the killer's wife had been Kirov's lover.",
        psg.text,
        psg=psg,
        quote=RUMOUR,
        figures=[kirov, killer],
        assessment=Assessment.UNVERIFIABLE,
        note="No evidence of an affair.",
    )
    return outer, inner


def test_a_rumour_inside_a_corroborated_quote_is_never_drilled_under_its_verdict(kirov):
    run()
    # Blanking "Kirov" in the murder's quote would drill the rumour as "historians agree".
    assert not live(Kind.CLOZE).filter(generator_key="cloze:name:murder").exists()
    # Nor its year: the filled-in quote stood under "Historians agree" with the rumour inside it,
    # its verdict folded away (the sixteenth review).
    assert not live(Kind.CLOZE).filter(generator_key="cloze:year:murder").exists()
    # Every question on the outer claim says at once, in its lead, that part of the words is
    # judged apart, and names the rumour's words with their own verdict after it.
    separate = "Part of the quoted words is judged separately."
    named = f"The words “{RUMOUR}” are a separate claim: unverifiable."
    outer_questions = live().filter(claim__key="murder")
    assert outer_questions.count() >= 2
    for question in outer_questions:
        assert separate in question.explanation_lead, question.generator_key
        assert named in question.explanation_more, question.generator_key
        assert "except on the words" not in question.explanation
    # The rumour's own questions carry its own verdict, with the warning.
    rumour = live(Kind.CLOZE, "cloze:name:affair")
    assert "Careful: this is what the interview says, not established fact" in rumour.explanation_lead
    assert "separate claim" not in rumour.explanation
    # The exception follows the verdict itself, not a footnote after the sources; the tenth
    # review: a corroborated verdict gives its reason too (what is right, and how).
    assessed = live(Kind.CLAIM_ASSESSMENT, "claim_assessment:murder")
    assert "Nikolaev shot Kirov on 1 December 1934." in assessed.explanation_lead
    assert assessed.explanation_lead.endswith(separate)


def test_paraphrases_are_reported_speech_never_quotations(kirov):
    run()
    assessment = live(Kind.CLAIM_ASSESSMENT, "claim_assessment:murder")
    assert assessment.prompt == assessment_prompt("Kirov was assassinated in 1934 by a deranged man.")
    says = live(Kind.ATTRIBUTION, "attribution:says:murder")
    assert "“" not in says.prompt and "Kirov was assassinated in 1934 by a deranged man." in texts(says)
    # Quotation marks hold only the interview's own words.
    for question in live().filter(claim__isnull=False):
        for quoted in re.findall(r"“([^”]*)”", question.prompt + " " + question.explanation):
            if "_____" in quoted:
                quoted = quoted.split("_____")[0]
            assert quoted in question.passage.text or quoted in (RUMOUR, "1934", "Kirov"), (
                question.generator_key,
                quoted,
            )


def test_role_citations_name_only_people_the_passage_names(db):
    stalin = figure("stalin", "Joseph Stalin", "Stalin")
    deputy = figure("pyatakov", "Georgy Pyatakov", "Pyatakov")
    marshal = figure("voroshilov", "Kliment Voroshilov", "Voroshilov")
    crowd(6, start_year=1930)
    role(stalin, "General Secretary", "1922-04", "1952-10", key="stalin-gs")
    role(deputy, "Deputy Commissar of Heavy Industry", "1932", "1936", key="pyatakov-deputy")
    role(
        marshal,
        "People's Commissar of Defence",
        "1934-06",
        "1940-05",
        key="voroshilov-defence",
        wording="the defense commissar",
    )
    text = "Stalin feared the army: the first deputy of the defense commissar was against him."
    # Pyatakov is linked to the claim (its historians' note needs him) but the passage never names him.
    claim("army", "Maskharashvili says Stalin feared the army.", text, figures=[stalin, deputy, marshal])
    run()
    assert "The interview mentions Stalin in §" in live(Kind.WHO_HELD_ROLE, "who_held_role:stalin-gs").explanation
    pyatakov = live(Kind.WHO_HELD_ROLE, "who_held_role:pyatakov-deputy")
    assert pyatakov.passage is None
    assert pyatakov.explanation.endswith("This comes from the historical record; the interview does not name Pyatakov.")
    voroshilov = live(Kind.WHO_HELD_ROLE, "who_held_role:voroshilov-defence")
    assert voroshilov.passage is not None and "mentions Voroshilov" not in voroshilov.explanation
    assert "The interview refers to this office in §" in voroshilov.explanation
    assert "without naming Voroshilov" in voroshilov.explanation


def test_a_wrong_relative_dating_is_corrected_from_the_claim_that_makes_it(db):
    yezhov = figure("yezhov", "Nikolai Yezhov", "Yezhov")
    crowd(6, start_year=1930)
    trial = event(
        "trial",
        "First Moscow show trial",
        "1936-08-19",
        "1936-08-24",
        dating="soon after Yezhov replaced Yagoda (1936)",
    )
    context = event("shakhty", "Shakhty affair", "1928-05")
    # Two doubted claims about the trial: only one is where the interview dates it.
    claim(
        "blame",
        "Maskharashvili says the trials blamed the old opposition.",
        "The trials blamed the opposition.",
        events=[trial, context],
        assessment=Assessment.DISPUTED,
        note="An interpretation.",
    )
    claim(
        "soon",
        "Maskharashvili says the trial followed Yezhov's appointment.",
        "Soon after this, Stalin opened the court case.",
        figures=[yezhov],
        events=[trial],
        assessment=Assessment.CONTRADICTED,
        note="Wrong order: the trial came a month before Yezhov's appointment.",
    )
    run()
    question = live(Kind.WHEN, "when:trial")
    assert correct(question) == ["19 August 1936"]
    assert question.passage.text == "Soon after this, Stalin opened the court case."
    assert question.explanation.startswith("Historians date this from 19 to 24 August 1936.")
    # With what is wrong: the question has no claim of its own, so no historians' note beside it.
    assert (
        "The interview places it soon after Yezhov replaced Yagoda (1936): the year is right, but historians reject the order. "
        "Wrong order: the trial came a month before Yezhov's appointment." in question.explanation
    )
    assert question.explanation.count("§") == 1  # cited once
    # An event the interview neither dates nor names is not cited to it at all.
    shakhty = live(Kind.WHEN, "when:shakhty")
    assert "discusses" not in shakhty.explanation
    assert shakhty.passage is None and "§" not in shakhty.explanation


def test_two_offices_over_one_span_are_asked_in_one_question_naming_the_other(db):
    yezhov = figure("yezhov", "Nikolai Yezhov", "Yezhov")
    crowd(6, start_year=1930)
    role(yezhov, "Secretary of the Central Committee", "1935-02", "1939-03", key="yezhov-cc")
    role(yezhov, "Chairman of the Party Control Commission", "1935-02", "1939-03", key="yezhov-pcc")
    role(yezhov, "One of the chairmen of the Transcaucasian committee", "1930", "1931", key="yezhov-odd")
    summary = run()
    secretary = live(Kind.ROLE_OF_FIGURE, "role_of_figure:yezhov-cc")
    # The twelfth review: asked both ways, each prompt ("Besides being …") gave the other's answer.
    assert not live(Kind.ROLE_OF_FIGURE).filter(generator_key="role_of_figure:yezhov-pcc").exists()
    assert skipped(summary, "role_of_figure:yezhov-pcc") == ["named in the prompt of role_of_figure:yezhov-cc"]
    assert secretary.prompt.startswith("Besides being Chairman of the Party Control Commission, which of these offices")
    assert correct(secretary) == ["Secretary of the Central Committee"]
    # A title that is not a proper name reads as part of the sentence.
    odd = live(Kind.WHO_HELD_ROLE, "who_held_role:yezhov-odd")
    assert odd.prompt.startswith("Which of these people was one of the chairmen of the Transcaucasian committee")


def test_a_name_the_rest_of_the_quote_still_shows_is_not_blanked(db):
    stalin = figure("stalin", "Joseph Stalin", "Stalin")
    crowd(6, start_year=1930)
    quote = "As soon as Stalin demanded it, the anti-Stalinist group moved to depose him."
    claim("moved", "Maskharashvili says the group moved against Stalin.", quote, figures=[stalin])
    # Someone else as often in the claims, so Stalin is not everyone's default guess here.
    claim("other", "Maskharashvili says Kirov led Leningrad.", "Kirov led Leningrad.", figures=[figure("kirov")])
    summary = run()
    # "the anti-Stalinist group … depose him" would give a blanked "Stalin" away.
    assert not live(Kind.CLOZE).filter(generator_key="cloze:name:moved").exists()
    assert skipped(summary, "cloze:name:moved")


def test_office_gaps_only_in_sound_claims(db):
    marshal = figure("tukhachevsky", "Mikhail Tukhachevsky", "Tukhachevsky", spelling="Tukhachevski")
    chief = figure("yagoda", "Genrikh Yagoda", "Yagoda")
    boss = figure("stalin", "Joseph Stalin", "Stalin")
    crowd(6, start_year=1930)
    office(marshal, "tukh-deputy", organisation="People's Commissariat of Defence")
    office(chief, "yagoda-nkvd", organisation="NKVD")
    office(boss, "stalin-gs", organisation="Central Committee of the party")
    misses = ["the chairman of the party", "the head of the government"]
    Role.objects.filter(key__in=["tukh-deputy", "yagoda-nkvd", "stalin-gs"]).update(wording_misses=misses)
    claim(
        "army",
        "Maskharashvili says Tukhachevsky was in the army.",
        "Tukhachevski of the Soviet Army – the first deputy of the defense commissar",
        figures=[marshal],
    )
    claim(
        "title",
        "Maskharashvili says Yagoda's title was 'minister of state security'.",
        "the minister of state security Yagoda",
        figures=[chief],
        assessment=Assessment.CONTRADICTED,
        note="Anachronistic title.",
    )
    claim(
        "elect",
        "Maskharashvili says the central committee elected the general secretary.",
        "the central committee would elect the secretary general of the party",
        figures=[boss],
    )
    summary = run()
    # A title the historians reject is not drilled, as a wrong year is not.
    assert not live(Kind.CLOZE).filter(generator_key="cloze:office:title").exists()
    assert not skipped(summary, "cloze:office:elect")
    assert correct(live(Kind.CLOZE, "cloze:office:elect")) == ["the secretary general of the party"]


def test_a_title_historians_reject_is_flagged_where_a_role_question_quotes_it(db):
    yagoda = figure("yagoda", "Genrikh Yagoda", "Yagoda")
    crowd(6, start_year=1930)
    office(yagoda, "yagoda-nkvd", organisation="NKVD")
    claim(
        "title",
        "Maskharashvili says Yagoda's title was 'minister of state security'.",
        "the minister of state security Yagoda",
        figures=[yagoda],
        assessment=Assessment.CONTRADICTED,
        note="No: he was People's Commissar for Internal Affairs.",
    )
    run()
    question = live(Kind.WHO_HELD_ROLE, "who_held_role:yagoda-nkvd")
    assert "The interview calls this office “the minister of state security” (§" in question.explanation_lead
    assert "in words historians judge contradicted." in question.explanation_lead
    # The reason comes with the verdict (the twenty-second review); the rejected words are never the citation.
    assert (
        "People's Commissar for Internal Affairs." in question.explanation_lead
        and question.quote != "the minister of state security Yagoda"
    )


def test_a_when_question_cites_the_words_that_date_the_event(db):
    crowd(6, start_year=1930)
    congress = event("congress", "Party congress", "1934-01-26", "1934-02-10", dating="1934")
    claim("other", "Maskharashvili says the congress was large.", "The congress was very large.", events=[congress])
    claim("dated", "Maskharashvili says the congress met in 1934.", "In 1934 the congress met.", events=[congress])
    run()
    question = live(Kind.WHEN, "when:congress")
    assert "The interview agrees (1934)." in question.explanation
    assert question.quote == "In 1934 the congress met."


def plenum_claim(stalin):
    """The interview's words on the 1934 plenum, which used the General Secretary's title wrongly."""
    return claim(
        "elect",
        "Maskharashvili says the Central Committee elected in 1934 would elect the party's secretary general.",
        "the central committee would elect the secretary general of the party",
        figures=[stalin],
        assessment=Assessment.CONTRADICTED,
        note="Not in 1934: the plenum named no General Secretary.",
    )


def test_a_claim_that_only_uses_a_title_does_not_flag_the_title(db):
    # The fourth review: "the central committee would elect the secretary general" is wrong for
    # 1934, not as a name for Stalin's office; flagging the name taught that the title was wrong.
    stalin = figure("stalin", "Joseph Stalin", "Stalin")
    crowd(6, start_year=1920)
    role(
        stalin, "General Secretary", "1922-04", "1934-02", key="stalin-gs", wording="the secretary general of the party"
    )
    plenum_claim(stalin)
    run()
    question = live(Kind.WHO_HELD_ROLE, "who_held_role:stalin-gs")
    # The seventh review: and the student is told the words stand in a claim judged wrong, and
    # why, or the interview's account of that plenum reads as vouched for.
    # The twelfth: the claim is said in full, or the title itself reads as judged wrong.
    assert (
        "The interview uses the words “the secretary general of the party” (§1) in a claim historians judge"
        " contradicted: that the Central Committee elected in 1934 would elect the party's secretary general."
        in question.explanation_lead
    )
    assert "in words historians judge" not in question.explanation
    # The twenty-second: and why, beside the verdict, not folded away from it.
    assert "Not in 1934: the plenum named no General Secretary." in question.explanation_lead


def test_a_name_is_not_blanked_in_words_judged_for_what_they_call_the_person(db):
    # The fourteenth review: "a new minister _____", judged contradicted for the title, keyed
    # "Yezhov", whose appointment is true, and said "contradicted" beside him.
    yezhov = figure("yezhov", "Nikolai Yezhov", "Yezhov")
    crowd(6, start_year=1930)
    claim(
        "minister",
        "Maskharashvili calls Yezhov a new 'minister'.",
        "a new minister Yezhov",
        figures=[yezhov],
        assessment=Assessment.CONTRADICTED,
        note="Anachronistic title: he became People's Commissar for Internal Affairs.",
    )
    summary = run(only=[Kind.CLOZE])
    assert not live(Kind.CLOZE).exists()
    assert skipped(summary, "cloze:name:minister") == [
        "the claim is judged for what the quote calls the person, not for the name"
    ]


def test_an_office_asked_with_no_end_is_qualified_in_the_lead(db):
    # The twenty-third review: "Stalin was General Secretary from 3 April 1922", with no end, beside
    # "the plenum of 1934 named no General Secretary" argued with itself; what reconciles them was folded.
    stalin = figure("stalin", "Joseph Stalin", "Stalin")
    crowd(6, start_year=1920)
    office = role(
        stalin, "General Secretary", "1922-04", None, key="stalin-gs", wording="the secretary general of the party"
    )
    Role.objects.filter(pk=office.pk).update(note="After 1934 the title fell out of use.")
    plenum_claim(stalin)
    run(only=[Kind.WHO_HELD_ROLE])
    question = live(Kind.WHO_HELD_ROLE, "who_held_role:stalin-gs")
    assert question.explanation_lead.endswith("from April 1922. After 1934 the title fell out of use.")
    assert "Not in 1934: the plenum named no General Secretary." in question.explanation_more


def test_a_suggested_claim_on_an_offices_wording_is_said_as_suggested_and_cited(db):
    # The twenty-fourth review: "a claim … that in 1934 Tukhachevsky was first deputy" put the
    # context's year in the interview's words, and the work behind the verdict was not cited.
    tukhachevsky = figure("tukhachevsky", "Mikhail Tukhachevsky", "Tukhachevsky")
    crowd(6, start_year=1930)
    office = role(
        tukhachevsky,
        "First Deputy People's Commissar of Defence",
        "1936-04",
        "1937-05",
        key="tukh-first",
        wording="the first deputy of the defense commissar",
    )
    Role.objects.filter(pk=office.pk).update(reference="Erickson, The Soviet High Command (1962).")
    claim(
        "tukh-1934",
        "Maskharashvili suggests that in 1934 Tukhachevsky was first deputy of the People's Commissar of Defence.",
        "Tukhachevski – the first deputy of the defense commissar",
        figures=[tukhachevsky],
        assessment=Assessment.CONTRADICTED,
        note="Wrong for 1934: he became first deputy only in April 1936.",
        reference="Stoecker, Forging Stalin's Army (1998).",
    )
    run(only=[Kind.WHO_HELD_ROLE])
    question = live(Kind.WHO_HELD_ROLE, "who_held_role:tukh-first")
    assert "historians judge contradicted: it suggests that in 1934 Tukhachevsky was first deputy" in (
        question.explanation
    )
    assert question.explanation.endswith(
        "Sources: Erickson, The Soviet High Command (1962); Stoecker, Forging Stalin's Army (1998)."
    )
