"""Questions on what the interview SAYS: attribution, claim assessment and cloze."""

import pytest

from history.models import Assessment
from quiz.models import Kind
from tests.generation_builders import assessment_prompt

from .generation_builders import claim, correct, crowd, event, figure, live, office, passage, run, skipped, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview():
    """A few claims in the interview's own words, with historians' assessments, and people
    the interview never connects with them (the crowd) to serve as wrong names."""
    stalin = figure("stalin", "Joseph Stalin", "Stalin")
    yagoda = figure("yagoda", "Genrikh Yagoda", "Yagoda", aliases=["Jagoda"])
    yezhov = figure("yezhov", "Nikolai Yezhov", "Yezhov", aliases=["Ezhov"])
    tukh = figure(
        "tukhachevsky", "Mikhail Tukhachevsky", "Tukhachevsky", aliases=["Tukhachevski"], spelling="Tukhachevski"
    )
    office(yagoda, "yagoda-nkvd")
    office(tukh, "tukh-deputy")
    office(stalin, "stalin-gs")
    crowd(6, start_year=1930)
    replaced = event("replaced", "Yezhov replaces Yagoda", "1936-09-26", participants=[yezhov, yagoda])
    text = (
        "In 1936, the state security minister Yagoda was substituted by a new minister Yezhov. "
        "Among the conspirators was Tukhachevski, the first deputy of the defense commissar."
    )
    psg = passage(text)
    claims = {
        "replaced": claim(
            "yezhov-replaced-yagoda",
            "Maskharashvili says that in 1936 Yezhov replaced Yagoda as head of state security.",
            text,
            psg=psg,
            quote="In 1936, the state security minister Yagoda was substituted by a new minister Yezhov.",
            figures=[yezhov, yagoda],
            events=[replaced],
            note="Correct: 26 September 1936.",
            reference="Getty and Naumov, The Road to Terror.",
        ),
        "conspirator": claim(
            "tukh-conspirator",
            "Maskharashvili says Tukhachevsky was among the conspirators.",
            text,
            psg=psg,
            quote="Among the conspirators was Tukhachevski, the first deputy of the defense commissar.",
            figures=[tukh],
            assessment=Assessment.DISPUTED,
            note="Most historians find no such plot.",
            reference="Khlevniuk, Stalin.",
        ),
        "plan": claim(
            "plan-1932",
            "Maskharashvili says Stalin began the second five-year plan in 1932.",
            "In 1932, Stalin embarked on the second five-year plan.",
            figures=[stalin],
            assessment=Assessment.CONTRADICTED,
            note="Wrong year: it began in 1933.",
            reference="Davies.",
        ),
    }
    return claims


def test_claim_assessment_asks_for_the_historians_verdict_with_the_note(interview):
    run()
    question = live(Kind.CLAIM_ASSESSMENT, "claim_assessment:plan-1932")
    assert question.prompt == assessment_prompt("Stalin began the second five-year plan in 1932.")
    assert texts(question) == [label for _, label in Assessment.choices]
    assert correct(question) == ["Contradicted by historians"]
    # The verdict and why in one sentence, then the note's own short first sentence; the whole
    # note and its reference are the claim's, which the feedback shows.
    assert question.explanation == (
        "Contradicted by historians: the evidence shows it is not true that Stalin began the second five-year plan"
        " in 1932. Wrong year: it began in 1933."
    )
    assert "Davies." not in question.explanation
    assert question.claim == interview["plan"]
    assert question.passage == interview["plan"].passage and question.quote == interview["plan"].quote


def test_attribution_offers_the_statement_among_changed_versions(interview):
    run()
    question = live(Kind.ATTRIBUTION, "attribution:says:yezhov-replaced-yagoda")
    assert question.prompt == "According to the interview, which of these does Maskharashvili say?"
    assert correct(question) == ["In 1936 Yezhov replaced Yagoda as head of state security."]
    wrong = [t for t in texts(question) if t not in correct(question)]
    assert len(wrong) == 3 and len(set(wrong)) == 3
    # Nobody the passage names is swapped in: that might be something the interview says.
    for text in wrong:
        assert "Tukhachevsky" not in text
    assert "Historians agree with the interview here." in question.explanation_lead
    assert question.quote in question.passage.text


def test_a_doubted_claims_year_is_never_varied(interview):
    run()
    question = live(Kind.ATTRIBUTION, "attribution:says:plan-1932")
    # The true year (1933) must not be marked wrong; only names change.
    for text in texts(question):
        assert "1932" in text
    assert "Careful: this is what the interview says, not established fact" in question.explanation_lead
    assert "the claim is contradicted by historians." in question.explanation_lead


def test_attribution_asks_whom_the_interview_names(interview):
    run()
    question = live(Kind.ATTRIBUTION, "attribution:names:tukh-conspirator")
    assert question.prompt == (
        "According to the interview, whom does Maskharashvili name in the gap? In our words: _____ was among the conspirators."
    )
    assert correct(question) == ["Mikhail Tukhachevsky"]
    assert not {"Genrikh Yagoda", "Nikolai Yezhov"} & set(texts(question))  # named in the same passage
    assert "disputed by historians" in question.explanation


def test_cloze_blanks_a_name_in_the_quote_spelled_as_the_interview_spells_it(interview):
    run()
    question = live(Kind.CLOZE, "cloze:name:tukh-conspirator")
    assert "_____" in question.prompt and "Tukhachevski" not in question.prompt
    # Options in the standard spelling; the explanation gives the interview's own: students learn both.
    assert correct(question) == ["Tukhachevsky"]
    assert question.explanation.startswith(
        "The missing words are “Tukhachevski”, the interview’s spelling of Tukhachevsky."
    )
    lowered = {t.lower() for t in texts(question)}
    wrong = lowered - {"tukhachevsky"}
    assert not wrong & {"tukhachevski", "mikhail tukhachevsky"}  # never another spelling of the answer
    assert len(lowered) == len(texts(question))


def test_cloze_blanks_years_only_in_corroborated_claims(interview):
    run()
    question = live(Kind.CLOZE, "cloze:year:yezhov-replaced-yagoda")
    assert question.prompt.endswith(
        "“In _____, the state security minister Yagoda was substituted by a new minister Yezhov.”"
    )
    assert correct(question) == ["1936"]
    assert not live(Kind.CLOZE).filter(generator_key="cloze:year:plan-1932").exists()


def test_cloze_blanks_an_office_in_the_interviews_words(interview):
    run()
    question = live(Kind.CLOZE, "cloze:office:tukh-conspirator")
    assert correct(question) == ["the first deputy of the defense commissar"]
    assert set(texts(question)) == {
        "the first deputy of the defense commissar",
        "the minister of state security",
        "the secretary general of the party",
    }
    assert question.prompt.endswith("“Among the conspirators was Tukhachevski, _____.”")


def test_the_same_quote_twice_makes_one_cloze(interview):
    psg = interview["plan"].passage
    claim(
        "plan-again",
        "Maskharashvili repeats the plan year.",
        psg.text,
        psg=psg,
        quote=interview["plan"].quote,
        figures=interview["plan"].figure_list if hasattr(interview["plan"], "figure_list") else [],
    )
    summary = run()
    assert skipped(summary, "cloze:name:plan-again") == ["the same gap as cloze:name:plan-1932"]


def test_a_claim_naming_nobody_gets_no_names_question(db):
    crowd(4)
    claim("vague", "Maskharashvili says discontent was growing.", "The wave of discontent was quickly growing.")
    summary = run()
    assert skipped(summary, "attribution:names:vague") == ["the statement names nobody to ask about"]
    assert live(Kind.CLAIM_ASSESSMENT, "claim_assessment:vague")
