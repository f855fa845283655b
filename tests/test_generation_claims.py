"""Questions on what the interview SAYS: attribution, claim assessment and cloze."""

import pytest

from history.models import Assessment, Claim, Role
from quiz.models import Kind
from tests.generation_builders import assessment_prompt

from .generation_builders import claim, correct, crowd, event, figure, live, office, passage, role, run, skipped, texts

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
            near_misses=[
                {
                    "text": "In 1936 Yezhov replaced Tukhachevsky as head of state security.",
                    "why": "Yagoda, not Tukhachevsky.",
                },
                {
                    "text": "In 1935 Yezhov replaced Yagoda as head of state security.",
                    "why": "The interview says 1936.",
                },
                {"text": "In 1936 Yagoda replaced Yezhov as head of state security.", "why": "The other way round."},
            ],
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
    # The verdict and why: the note's own short first sentence, not the claim again (the prompt
    # has just said it); the whole note and its reference are the claim's, which the feedback shows.
    assert question.explanation == "Contradicted by historians: wrong year: it began in 1933."
    assert "Davies." not in question.explanation
    assert question.claim == interview["plan"]
    assert question.passage == interview["plan"].passage and question.quote == interview["plan"].quote


def test_a_claim_without_a_short_reason_is_explained_by_what_its_label_means(db):
    # A disputed note whose first sentence gives one side only is no lead: the rubric's words for
    # the label stand there instead, around the claim.
    claim(
        "opposition",
        "Maskharashvili says there was an opposition to Stalin in 1934.",
        "There was an opposition to Stalin.",
        assessment=Assessment.DISPUTED,
        note="There was real opposition among the delegates. Others find no trace of it in the records.",
    )
    run(only=[Kind.CLAIM_ASSESSMENT])
    question = live(Kind.CLAIM_ASSESSMENT, "claim_assessment:opposition")
    assert question.explanation == (
        "Disputed by historians: historians who have studied the evidence disagree over whether there was an "
        "opposition to Stalin in 1934."
    )


def test_a_bare_reason_follows_what_the_label_means(db):
    # "Contradicted by historians: wrong year." says too little on its own.
    claim(
        "plan",
        "Maskharashvili says the plan began in 1932.",
        "The plan began in 1932.",
        assessment=Assessment.CONTRADICTED,
        note="Wrong year. It began in 1933, as the records show.",
    )
    run(only=[Kind.CLAIM_ASSESSMENT])
    question = live(Kind.CLAIM_ASSESSMENT, "claim_assessment:plan")
    assert question.explanation == (
        "Contradicted by historians: the evidence shows it is not true that the plan began in 1932. "
        "Wrong year. It began in 1933, as the records show."
    )


def test_attribution_offers_the_statement_among_its_curated_near_misses(interview):
    run()
    question = live(Kind.ATTRIBUTION, "attribution:says:yezhov-replaced-yagoda")
    assert question.prompt == "According to the interview, which of these does Maskharashvili say?"
    assert correct(question) == ["In 1936 Yezhov replaced Yagoda as head of state security."]
    misses = {m["text"]: m["why"] for m in interview["replaced"].near_misses}
    wrong = {o.text: o.feedback for o in question.options.all() if not o.is_correct}
    # Each wrong choice says, as its feedback, what the interview says instead.
    assert wrong == misses
    assert question.explanation_lead.startswith("Maskharashvili says this in §")
    assert question.explanation_lead.endswith("Historians agree with the interview here. Correct: 26 September 1936.")
    assert question.quote in question.explanation_more and question.quote in question.passage.text


def test_a_claim_without_curated_near_misses_gets_no_says_question(interview):
    # Changing a name or a year by machine gave absurd choices, and a doubted claim's year may
    # be its very error: only curated near-misses are offered.
    summary = run()
    assert skipped(summary, "attribution:says:plan-1932") == ["fewer than two curated near-misses for this claim"]


def without_office_wording():
    """The conspirator's quote names his office in the interview's words, which gives the name
    away (see the test below); without it the quote tests the reading of the name."""
    Role.objects.filter(key="tukh-deputy").update(interview_wording="")


def test_attribution_never_blanks_a_name(interview):
    # The second review: "___ and Yagoda were Stalin's close associates" offered Molotov as
    # wrong, and "historians agree" after it taught that he was not one. Wrong names are too
    # often true of someone; the quotation gap (cloze) asks names in the interview's words.
    without_office_wording()
    run()
    assert not live(Kind.ATTRIBUTION).filter(generator_key__startswith="attribution:names:").exists()
    assert live(Kind.ATTRIBUTION, "attribution:says:yezhov-replaced-yagoda")
    assert live(Kind.CLOZE, "cloze:name:tukh-conspirator")


def test_no_wrong_name_in_a_gap_is_someone_the_historians_note_names(interview):
    # The twenty-first review: Beria offered as wrong for "in ___'s case" of the new faces, and the
    # feedback then naming him as a real new face of 1934.
    without_office_wording()
    run()
    offered = [t for t in texts(live(Kind.CLOZE, "cloze:name:tukh-conspirator")) if t != "Tukhachevsky"]
    tukh = Claim.objects.get(key="tukh-conspirator")
    Claim.objects.filter(pk=tukh.pk).update(note=f"{offered[0]} was a conspirator too, some said.")
    run()
    assert offered[0] not in texts(live(Kind.CLOZE, "cloze:name:tukh-conspirator"))


def test_cloze_blanks_a_name_in_the_quote_spelled_as_the_interview_spells_it(interview):
    without_office_wording()
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


def test_cloze_blanks_an_office_in_the_interviews_words_among_its_curated_wrong_wordings(interview):
    # The fourteenth review: the other offices the interview names, one pool for every office gap,
    # often did not fit the gap ("the central committee would elect the first deputy of the defense
    # commissar"); each office has its own wrong wordings, written to fit where its words stand.
    misses = ["the chief of staff of the army", "the commander of the Moscow military district"]
    Role.objects.filter(key="tukh-deputy").update(wording_misses=misses)
    run()
    question = live(Kind.CLOZE, "cloze:office:tukh-conspirator")
    assert correct(question) == ["the first deputy of the defense commissar"]
    assert set(texts(question)) == {"the first deputy of the defense commissar", *misses}
    assert question.prompt.endswith("“Among the conspirators was Tukhachevski, _____.”")


def test_an_office_without_curated_wrong_wordings_gets_no_gap(interview):
    summary = run()
    assert not live(Kind.CLOZE).filter(generator_key="cloze:office:tukh-conspirator").exists()
    assert skipped(summary, "cloze:office:tukh-conspirator") == [
        "fewer than two curated wrong wordings for the office (Role.wording_misses)"
    ]


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
    run()
    assert not live().filter(generator_key__contains=":name").exists()
    assert live(Kind.CLAIM_ASSESSMENT, "claim_assessment:vague")


def test_no_names_gap_presupposes_a_death_or_keys_the_usual_guess(db):
    stalin = figure("stalin", "Joseph Stalin", "Stalin")
    kirov = figure("kirov", "Sergei Kirov", "Kirov")
    crowd(6, start_year=1930)
    psg = passage("Stalin welcomed Kirov's murder. Stalin feared rivals. Stalin trusted nobody. Kirov led Leningrad.")
    claim(
        "welcomed",
        "Maskharashvili says Stalin welcomed Kirov's murder.",
        "Stalin welcomed Kirov's murder.",
        psg=psg,
        figures=[stalin, kirov],
    )
    claim("feared", "Maskharashvili says Stalin feared rivals.", "Stalin feared rivals.", psg=psg, figures=[stalin])
    claim("trusted", "Maskharashvili says Stalin trusted nobody.", "Stalin trusted nobody.", psg=psg, figures=[stalin])
    claim("led", "Maskharashvili says Kirov led Leningrad.", "Kirov led Leningrad.", psg=psg, figures=[kirov])
    summary = run(only=[Kind.ATTRIBUTION, Kind.CLOZE])
    # Stalin is in most claims: a gap keyed to him tests a guess. "___'s murder" with any other
    # name would say that person was murdered.
    for key in ["cloze:name:welcomed", "cloze:name:feared"]:
        assert not live().filter(generator_key=key).exists(), key
    assert not skipped(summary, "cloze:name:led")
    assert correct(live(Kind.CLOZE, "cloze:name:led")) == ["Kirov"]
    for question in live():
        assert "Joseph Stalin" not in correct(question) and "Stalin" not in correct(question)


def test_no_answer_keys_more_than_a_fifth_of_a_kind(db):
    from quiz.answer_modes import OptionDraft
    from quiz.generation.base import KeyedRandom, QuestionDraft, Skip, balance

    def draft(i, answer):
        return QuestionDraft(
            kind=Kind.CLOZE,
            generator_key=f"cloze:{i}",
            prompt="p",
            explanation="e",
            options=[OptionDraft(text=answer, is_correct=True), OptionDraft(text="x")],
        )

    items = [draft(i, "Kirov") for i in range(6)] + [draft(10 + i, f"Person{i}") for i in range(14)]
    kept = list(balance(KeyedRandom(), Kind.CLOZE, items, lambda d: d.options[0].text))
    drafts = [d for d in kept if isinstance(d, QuestionDraft)]
    skips = [s for s in kept if isinstance(s, Skip)]
    assert len(drafts) + len(skips) == 20
    assert sum(d.options[0].text == "Kirov" for d in drafts) <= 0.2 * len(drafts)
    assert skips and all("keyed “Kirov”" in s.reason for s in skips)


def test_nobody_dead_before_the_claims_time_is_offered_as_a_name(db):
    kirov = figure("kirov", "Sergei Kirov", "Kirov")
    lenin = figure("lenin", "Vladimir Lenin", "Lenin", death_year=1924)
    office(lenin, "stalin-gs")  # in office once, so otherwise a likely wrong name
    crowd(3, start_year=1930)
    yagoda = figure("yagoda", "Genrikh Yagoda", "Yagoda")
    psg = passage("Kirov led Leningrad in 1934. Yagoda spoke well.")
    claim(
        "led",
        "Maskharashvili says Kirov led Leningrad in 1934.",
        "Kirov led Leningrad in 1934.",
        psg=psg,
        figures=[kirov],
    )
    # Dated by nothing of its own: the time its passage speaks of (1934) counts.
    claim("spoke", "Maskharashvili says Yagoda spoke well.", "Yagoda spoke well.", psg=psg, figures=[yagoda])
    run(only=[Kind.ATTRIBUTION, Kind.CLOZE])
    for question in live().filter(generator_key__contains=":name"):
        assert not {"Vladimir Lenin", "Lenin"} & set(texts(question)), question.generator_key
    assert live().filter(generator_key="cloze:name:spoke").exists()


def test_nobody_who_held_the_office_the_quote_names_is_offered_as_a_name(db):
    yenukidze = figure("yenukidze", "Avel Yenukidze", "Yenukidze", spelling="Enukidze")
    akulov = figure("akulov", "Ivan Akulov", "Akulov")
    kirov = figure("kirov", "Sergei Kirov", "Kirov")
    crowd(2, start_year=1930)  # few enough that every other candidate is offered
    secretary = "Secretary of the Central Executive Committee"
    role(
        yenukidze,
        secretary,
        "1922-12",
        "1935-03",
        key="yenukidze-cec",
        wording="secretary of the central executive committee",
    )
    role(akulov, secretary, "1935-03", "1937", key="akulov-cec")  # his successor
    # The words differ from the role's ("secretarial position" for "secretary"): still that office.
    psg = passage("Kirov visited Enukidze in his secretarial position of the central executive committee.")
    quote = "Kirov visited Enukidze in his secretarial position of the central executive committee"
    claim(
        "kremlin",
        "Maskharashvili says Kirov visited Yenukidze, the CEC secretary.",
        quote,
        psg=psg,
        figures=[kirov],
    )
    # Each claim about someone else, so nobody is the usual guess; this one in a passage of its own.
    claim("led", "Maskharashvili says Akulov led the procuracy.", "Akulov led the procuracy.", figures=[akulov])
    summary = run(only=[Kind.ATTRIBUTION, Kind.CLOZE])
    for key in ("cloze:name:kremlin",):
        question = live().get(generator_key=key)
        assert correct(question) in (["Sergei Kirov"], ["Kirov"]), key
        assert not {"Ivan Akulov", "Akulov"} & set(texts(question)), key
    # A gap for the office's own holder would be given away by the office: not asked.
    claim(
        "kremlin-2",
        "Maskharashvili says Yenukidze was removed as CEC secretary.",
        "Stalin removed Enukidze from the secretarial position of the central executive committee",
        psg=passage("Stalin removed Enukidze from the secretarial position of the central executive committee."),
        figures=[yenukidze],
    )
    summary = run(only=[Kind.ATTRIBUTION, Kind.CLOZE])
    for key in ("cloze:name:kremlin-2",):
        assert skipped(summary, key) == ["the office the quote names gives the name away (the office questions ask it)"]


def test_a_name_gap_is_not_made_where_a_pronoun_has_lost_its_referent(db):
    # Torn from its passage, "his brother-in-law ___" or "Even ___ was one of them" fits anyone.
    people = {key: figure(key, key.title(), key.title()) for key in ("svanidze", "stalin", "ordzhonikidze", "kirov")}
    crowd(3, start_year=1930)
    cases = {
        "in-law": ("His brother-in-law Svanidze wrote to Stalin", ["svanidze", "stalin"]),
        "one-of-them": ("Even Ordzhonikidze was one of them", ["ordzhonikidze"]),
        "plain": ("Kirov told Stalin about the plot", ["kirov", "stalin"]),
    }
    for key, (quote, named) in cases.items():
        claim(key, f"Maskharashvili says: {quote}.", quote, figures=[people[p] for p in named])
    summary = run(only=[Kind.CLOZE])
    lost = ["the quote's pronoun has lost its referent, so any name fits"]
    assert skipped(summary, "cloze:name:in-law") == lost
    assert skipped(summary, "cloze:name:one-of-them") == lost
    assert live().filter(generator_key="cloze:name:plain").exists()


def test_a_year_gap_never_has_its_answer_at_either_end_of_the_choices(db):
    # "in ___, … assassinated Kirov" against 1931, 1932, 1933 gave "the latest" away.
    crowd(2)
    for i in range(8):
        claim(f"y{i}", f"Maskharashvili says something happened in {1920 + i}.", f"It happened in {1920 + i}, he said.")
    run(only=[Kind.CLOZE])
    questions = live(Kind.CLOZE).filter(generator_key__startswith="cloze:year:")
    assert questions.count() == 8
    for question in questions:
        years = sorted(int(t) for t in texts(question))
        assert years[0] < int(correct(question)[0]) < years[-1], (question.generator_key, years)


def test_words_said_of_several_men_and_judged_per_man_are_named_by_what_each_claim_says(db):
    # The twelfth review: "close associates, old friends and fellow-fighters", said of three men,
    # is true of Yenukidze and false of Tukhachevsky. Split by man, the Tukhachevsky question
    # must not say "The words “his old friends” are a separate claim: corroborated", which reads
    # as a verdict on Tukhachevsky's friendship.
    stalin = figure("stalin", "Joseph Stalin", "Stalin")
    tukhachevsky = figure("tukhachevsky", "Mikhail Tukhachevsky", "Tukhachevsky")
    yenukidze = figure("yenukidze", "Avel Yenukidze", "Yenukidze")
    crowd(4, start_year=1930)
    psg = passage("They were Stalin’s close associates, his old friends and fellow-fighters.")
    claim(
        "tukh-friend",
        "Maskharashvili says Tukhachevsky was one of Stalin's old friends.",
        psg.text,
        psg=psg,
        figures=[tukhachevsky, stalin],
        assessment=Assessment.CONTRADICTED,
        note="Tukhachevsky was never in Stalin's circle.",
    )
    claim(
        "yen-friend",
        "Maskharashvili says Yenukidze was an old friend of Stalin's.",
        "his old friends and fellow-fighters",
        psg=psg,
        figures=[yenukidze, stalin],
        note="Correct: they were friends from the Georgian underground.",
    )
    run(only=[Kind.CLAIM_ASSESSMENT])
    question = live(Kind.CLAIM_ASSESSMENT, "claim_assessment:tukh-friend")
    assert "That Yenukidze was an old friend of Stalin's is a separate claim: corroborated" in question.explanation
    assert "The words “his old friends" not in question.explanation


def test_a_claim_the_speaker_only_suggests_is_asked_as_suggested(db):
    # The fourteenth review: Kirov "a new face" is Maskharashvili's implication; asked what he
    # "says", the key stated it as his words.
    claim(
        "face",
        "Maskharashvili suggests that Kirov was one of the new faces.",
        "Some new faces were appearing, and in Kirov's case his treatment was explainable.",
        near_misses=[
            {"text": "Kirov was one of Stalin's old friends.", "why": "Said of others."},
            {"text": "No new faces were appearing.", "why": "He answers 'Yes!'."},
        ],
    )
    run(only=[Kind.ATTRIBUTION])
    question = live(Kind.ATTRIBUTION, "attribution:says:face")
    assert question.prompt == "According to the interview, which of these does Maskharashvili suggest?"
    assert question.explanation_lead.startswith("Maskharashvili suggests this in §")
    # Nor does the verdict call it what the interview "says" (the nineteenth review).
    face = Claim.objects.get(key="face")
    Claim.objects.filter(pk=face.pk).update(assessment=Assessment.CONTRADICTED, note="Kirov was no new face in 1934.")
    run(only=[Kind.ATTRIBUTION])
    question = live(Kind.ATTRIBUTION, "attribution:says:face")
    assert "Careful: this is what the interview suggests, not established fact" in question.explanation_lead


def test_an_attribution_offers_one_of_its_own_near_misses_and_others_from_beside_it(db):
    # The twenty-third review: three near-misses each changing one detail of the key made the key
    # the option most like the others, found without reading in 51 of 67 questions.
    psg = passage("Stalin was jealous by nature. Kirov led Leningrad well. Yagoda ran the police.")

    def misses(*texts):
        return [{"text": text, "why": "Not what the interview says."} for text in texts]

    claim(
        "jealous",
        "Maskharashvili says Stalin was jealous by nature.",
        "Stalin was jealous by nature.",
        psg=psg,
        near_misses=misses("Stalin was calm by nature.", "Stalin was jealous of Yagoda.", "Stalin was never jealous."),
    )
    claim(
        "kirov",
        "Maskharashvili says Kirov led Leningrad well.",
        "Kirov led Leningrad well.",
        psg=psg,
        # The last is what another claim says: never offered as wrong.
        near_misses=misses("Kirov led Moscow well.", "Kirov led Leningrad badly.", "Yagoda ran the police."),
    )
    claim(
        "yagoda",
        "Maskharashvili says Yagoda ran the police.",
        "Yagoda ran the police.",
        psg=psg,
        near_misses=misses("Yagoda ran the army.", "Yezhov ran the police.", "Yagoda ran the railways."),
    )
    run(only=[Kind.ATTRIBUTION])
    wrong = set(texts(live(Kind.ATTRIBUTION, "attribution:says:jealous"))) - {"Stalin was jealous by nature."}
    assert len(wrong) == 3
    assert (
        len(wrong & {"Stalin was calm by nature.", "Stalin was jealous of Yagoda.", "Stalin was never jealous."}) == 1
    )
    assert (
        len(
            wrong
            & {
                "Kirov led Moscow well.",
                "Kirov led Leningrad badly.",
                "Yagoda ran the army.",
                "Yezhov ran the police.",
                "Yagoda ran the railways.",
            }
        )
        == 2
    )
    for question in live(Kind.ATTRIBUTION):
        assert "Yagoda ran the police." not in [t for t in texts(question) if t not in correct(question)]
