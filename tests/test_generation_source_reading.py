"""The source-reading kinds: find the evidence and spot the error, with their traps."""

import pytest

from history.models import Claim, Figure, Passage
from quiz.models import Kind

from .generation_builders import claim, correct, figure, live, passage, run, skipped, texts

pytestmark = pytest.mark.django_db

WRONG = {
    "assessment": "contradicted",
    "note": "Wrong year. The plan began in 1933, as the records show.",
    "reference": "R.",
}


def one_passage(*sentences):
    return passage(" ".join(sentences))


def unsettled(key, statement, quote, note="Nothing records it.", **fields):
    """A claim nothing on record settles either way (unverifiable, evidence "no-record")."""
    return claim(key, statement, quote, assessment="unverifiable", evidence="no-record", evidence_note=note, **fields)


def claims_on(psg, *specs):
    """One claim per (key, statement, quote, fields) on the passage."""
    return [claim(key, statement, quote, psg=psg, **fields) for key, statement, quote, fields in specs]


SOUND = [
    (
        "congress",
        "Maskharashvili says the congress met in Moscow in 1934.",
        "The congress met in Moscow in the winter of 1934.",
        {},
    ),
    (
        "factory",
        "Maskharashvili says Leningrad had a huge factory.",
        "Leningrad had one huge factory of its own then.",
        {},
    ),
    ("court", "Maskharashvili says the court sat in public.", "The court was open to the public at the time.", {}),
]

SOUND_QUOTES = [quote for _, _, quote, _ in SOUND]


def test_spot_the_error_offers_only_sentences_historians_corroborate_as_a_whole(db):
    psg = one_passage(
        "In 1932 the second plan began with great fanfare.",
        *(quote for _, _, quote, _ in SOUND),
        # Traps: a disputed sentence, a corroborated one whose other half nobody assessed, and
        # one with no claim at all could each hold an error a student may fairly point to.
        "Discontent was growing quickly in the whole country.",
        "Kirov was the leader of Leningrad and he secretly planned to replace Stalin.",
        "Nobody has assessed this long sentence about the harvest at all.",
    )
    claims_on(
        psg,
        ("plan-1932", "Maskharashvili says the second plan began in 1932.", "In 1932 the second plan began", WRONG),
        *SOUND,
        (
            "discontent",
            "Maskharashvili says discontent grew.",
            "Discontent was growing quickly",
            {"assessment": "disputed"},
        ),
        ("kirov-leader", "Maskharashvili says Kirov led Leningrad.", "Kirov was the leader of Leningrad", {}),
    )
    run(only=[Kind.SPOT_ERROR])
    question = live(Kind.SPOT_ERROR, "spot_error:plan-1932")
    assert correct(question) == [f"§{psg.position}: “In 1932 the second plan began with great fanfare.”"]
    offered = " ".join(texts(question))
    for quote in (q for _, _, q, _ in SOUND):
        assert quote in offered
    for trap in ("Discontent", "secretly planned", "Nobody has assessed"):
        assert trap not in offered, trap
    # The first sentence says why: the established fact, from the note.
    assert question.explanation.startswith(f"Historians contradict the sentence from §{psg.position}. Wrong year.")
    assert question.claim.key == "plan-1932" and question.quote in question.passage.text


def test_two_errors_in_one_sentence_make_one_question_and_too_few_sound_sentences_none(db):
    psg = one_passage("In 1932 the plan began and in 1934 all were freed.", SOUND[0][2], SOUND[1][2])
    claims_on(
        psg,
        ("began", "Maskharashvili says the plan began in 1932.", "In 1932 the plan began", WRONG),
        ("freed", "Maskharashvili says all were freed in 1934.", "in 1934 all were freed", WRONG),
        *SOUND[:2],
    )
    summary = run(only=[Kind.SPOT_ERROR])
    assert [q.generator_key for q in live(Kind.SPOT_ERROR)] == ["spot_error:began"]
    assert skipped(summary, "spot_error:freed") == ["the same sentence as spot_error:began"]
    # The sentence holds a second claim: the lead names the wrong words, not the whole sentence.
    began = live(Kind.SPOT_ERROR, "spot_error:began")
    assert began.explanation.startswith(f"Historians contradict “In 1932 the plan began” (§{psg.position}).")

    lonely = one_passage("In 1936 the trial came first of all.", SOUND[2][2])
    claims_on(
        lonely,
        ("trial-first", "Maskharashvili says the trial came first.", "In 1936 the trial came first", WRONG),
        ("court-2", SOUND[2][1], SOUND[2][2], {}),
    )
    run(only=[Kind.SPOT_ERROR])
    # The sound sentence of its own passage comes first, then the nearest passage's.
    offered = texts(live(Kind.SPOT_ERROR, "spot_error:trial-first"))
    assert f"§{lonely.position}: “{SOUND[2][2]}”" in offered
    assert f"§{psg.position}: “{SOUND[0][2]}”" in offered


def test_a_long_wrong_quote_in_a_shared_sentence_is_named_by_its_opening_words(db):
    psg = one_passage("In 1932 the plan began with great fanfare in every city, and Kirov spoke.", *SOUND_QUOTES)
    claims_on(
        psg,
        (
            "long",
            "Maskharashvili says the second plan began in 1932.",
            "In 1932 the plan began with great fanfare in every city",
            WRONG,
        ),
        ("spoke", "Maskharashvili says Kirov spoke.", "Kirov spoke", {}),
        *SOUND,
    )
    run(only=[Kind.SPOT_ERROR])
    question = live(Kind.SPOT_ERROR, "spot_error:long")
    lead, words, *_ = question.explanation.split("\n\n")
    assert lead.startswith(f"Historians contradict the sentence from §{psg.position}. Wrong year.")
    assert words == "The words they contradict: “In 1932 the plan began with great fanfare in every city”."


def test_find_the_evidence_never_offers_a_sentence_that_makes_the_claim_too(db):
    psg = one_passage(
        "Svanidze wrote to Stalin in 1935 that he had plotted against him.",
        *SOUND_QUOTES,
    )
    gj = passage("To make a long story short, he let the cat out of the bag.")
    svanidze = figure("svanidze", "Alexander Svanidze", "Svanidze")
    claims_on(
        psg,
        (
            "letter",
            "Maskharashvili says Svanidze wrote to Stalin in 1935.",
            "Svanidze wrote to Stalin in 1935",
            {"figures": [svanidze]},
        ),
        *SOUND,
    )
    claim(
        "cat",
        "The interviewer suggests that Svanidze revealed the plot.",
        "he let the cat out of the bag",
        psg=gj,
        figures=[svanidze],
    )
    run(only=[Kind.FIND_EVIDENCE])
    question = live(Kind.FIND_EVIDENCE, "find_evidence:cat")
    assert correct(question) == [f"§{gj.position}: “To make a long story short, he let the cat out of the bag.”"]
    # The letter could fairly be said to reveal the plot too: same person, never offered.
    assert not any("Svanidze wrote" in text for text in texts(question))
    assert len(texts(question)) == 4
    assert question.prompt.startswith("Which sentence of the interview makes this claim? The interviewer suggests")
    assert question.explanation_lead.endswith("the others are about other things. Historians agree with the claim.")
    assert Figure.objects.get(key="svanidze") in question.figures.all()


def far_away(person, text="Yagoda had trained as a pharmacist in Nizhny Novgorod."):
    """A sentence naming `person`, two turns on, about something else entirely."""
    passage("A turn between, with nothing in it to offer.")
    return claim("far", f"Maskharashvili says something else of {person.short_name}.", text, figures=[person])


def test_the_answer_is_never_the_only_sentence_naming_the_prompts_person(db):
    # The eleventh review: "that Yenukidze was removed …" among sentences naming nobody else
    # was found by the name, not by reading.
    kirov = figure("kirov", "Sergei Kirov", "Kirov")
    psg = one_passage("Kirov was the leader of Leningrad for many years.", *SOUND_QUOTES)
    claims_on(
        psg,
        (
            "leader",
            "Maskharashvili says Kirov led Leningrad.",
            "Kirov was the leader of Leningrad",
            {"figures": [kirov]},
        ),
        *SOUND,
    )
    summary = run(only=[Kind.FIND_EVIDENCE])
    assert not live(Kind.FIND_EVIDENCE).filter(generator_key="find_evidence:leader").exists()
    assert skipped(summary, "find_evidence:leader") == [
        "the answer would be the only sentence naming the prompt's person"
    ]

    # A sentence two turns on that names him, about another thing, is offered beside it.
    far = far_away(kirov, "Kirov’s murder was followed by many arrests in the city.")
    run(only=[Kind.FIND_EVIDENCE])
    question = live(Kind.FIND_EVIDENCE, "find_evidence:leader")
    assert f"§{far.passage.position}: “{far.quote}”" in texts(question)
    # Not the other way round when they are neighbours: the next turn may carry the thought on.
    near = passage("Kirov was loved in Leningrad by the workers of the city.")
    claim("loved", "Maskharashvili says Kirov was loved.", near.text, psg=near, figures=[kirov])
    run(only=[Kind.FIND_EVIDENCE])
    assert not any("loved" in text for text in texts(live(Kind.FIND_EVIDENCE, "find_evidence:far")))


def test_a_found_sentence_says_which_of_its_words_historians_judge_apart(db):
    # "Historians agree" over a quote that holds a contradicted title would vouch for the title.
    yagoda = figure("yagoda", "Genrikh Yagoda", "Yagoda")
    psg = one_passage(
        "The minister of state security Yagoda was dismissed in 1936.", *(quote for _, _, quote, _ in SOUND)
    )
    claims_on(
        psg,
        (
            "dismissed",
            "Maskharashvili says Yagoda was dismissed in 1936.",
            "The minister of state security Yagoda was dismissed in 1936",
            {"figures": [yagoda], "paraphrase": "Maskharashvili says Yagoda lost his post in 1936."},
        ),
        *SOUND,
    )
    claim(
        "title",
        "Maskharashvili calls Yagoda minister of state security.",
        "minister of state security Yagoda",
        psg=psg,
        figures=[yagoda],
        assessment="contradicted",
        note="Anachronistic title: Yagoda was People's Commissar for Internal Affairs.",
    )
    far_away(yagoda)
    run(only=[Kind.FIND_EVIDENCE])
    question = live(Kind.FIND_EVIDENCE, "find_evidence:dismissed")
    assert "with its own verdict" in question.explanation
    assert "The words “minister of state security Yagoda” are a separate claim: contradicted" in question.explanation
    assert "Anachronistic title" in question.explanation


def test_the_bank_has_source_reading_questions_with_one_right_sentence(question_bank):
    # Spot the error is bounded by the sentences sound as a whole that read alone, each offered
    # thrice at most: the interview has two, so few errors are asked this way.
    for kind, fewest in ((Kind.FIND_EVIDENCE, 50), (Kind.SPOT_ERROR, 2)):
        questions = list(question_bank.filter(kind=kind).prefetch_related("options"))
        assert len(questions) >= fewest, kind
        for question in questions:
            assert len(correct(question)) == 1 and len(texts(question)) >= 3
            assert question.quote in question.passage.text
    for question in question_bank.filter(kind=Kind.SPOT_ERROR).select_related("claim"):
        assert question.claim.assessment == "contradicted"


def test_what_kind_of_evidence_never_offers_a_kind_also_fair_for_the_claim(db):
    from history.models import Evidence

    claim(
        "votes",
        "Maskharashvili says Kirov got more votes than Stalin.",
        "the congress gave more votes to Kirov than to Stalin",
        assessment="disputed",
        evidence="later-testimony",
        evidence_also=["archival", "defector"],
        evidence_note="The story rests on testimony collected decades later for a Khrushchev-era inquiry.",
    )
    claim("plain", "Maskharashvili says the court was open.", "The court was open to the public.")
    run(only=[Kind.EVIDENCE_KIND])
    question = live(Kind.EVIDENCE_KIND, "evidence_kind:votes")
    labels = dict(Evidence.choices)
    assert correct(question) == [labels["later-testimony"]]
    offered = texts(question)
    assert len(offered) == 3
    assert labels["archival"] not in offered and labels["defector"] not in offered
    # Nor "no surviving record" beside "Historians call this disputed": the prompt rules it out
    # (the fourteenth review); three choices rather than a throwaway fourth.
    assert labels["no-record"] not in offered
    # The scale's own order, whatever was picked.
    assert offered == [label for label in labels.values() if label in offered]
    # The eighth review: the answer alone only repeated the key; what the evidence is follows it.
    # The twenty-sixth: a dispute turns on its evidence; a verdict rests on it.
    assert question.explanation_lead.startswith(
        "The dispute turns chiefly on testimony given long afterwards. The story rests on"
    )
    assert question.prompt.endswith("Historians call this disputed. What evidence does their dispute chiefly turn on?")
    # A claim nobody curated is not asked: most verdicts weigh several kinds of evidence.
    assert not live(Kind.EVIDENCE_KIND).filter(generator_key="evidence_kind:plain").exists()


def test_what_kind_of_evidence_offers_a_kind_a_student_could_mistake_or_is_not_asked(db):
    # The second review: output figures against confessions, a defector and later testimony gave
    # the key away unread. A kind close to the key is offered first; with none left, no question.
    from history.models import Evidence

    claim(
        "output",
        "Maskharashvili says industry was developing weakly.",
        "The industry was developing very weakly.",
        assessment="disputed",
        evidence="statistics",
        evidence_note="Output figures.",
    )
    claim(
        "fiasco",
        "Maskharashvili says the policies ended in fiasco.",
        "The policies ended in fiasco.",
        assessment="disputed",
        evidence="statistics",
        evidence_also=["archival", "publications"],
        evidence_note="Output figures and the famine's toll.",
    )
    # A fact of the published record whose archive is fair too: output figures beside it are no test.
    claim(
        "members",
        "Maskharashvili says the four were Central Committee members.",
        "They were elected members of the Central Committee.",
        evidence="publications",
        evidence_also=["archival"],
        evidence_note="The congress's published record.",
    )
    summary = run(only=[Kind.EVIDENCE_KIND])
    assert skipped(summary, "evidence_kind:members")
    labels = dict(Evidence.choices)
    offered = texts(live(Kind.EVIDENCE_KIND, "evidence_kind:output"))
    assert labels["archival"] in offered and labels["publications"] in offered
    assert skipped(summary, "evidence_kind:fiasco") == [
        "no wrong kind of evidence a student could fairly mistake for the key"
    ]


def test_what_kind_of_evidence_never_pads_with_a_kind_absurd_beside_the_key(db):
    # The fifth review: "economic and demographic data" beside a trial confession or a post held
    # is eliminated unread; three choices are better than a throwaway fourth.
    from history.models import Evidence

    claim(
        "plot",
        "Maskharashvili says the three plotted.",
        "The three were the most active conspirators.",
        assessment="disputed",
        evidence="confessions",
        evidence_note="The confessions of 1937-38.",
    )
    claim(
        "removed",
        "Maskharashvili says Stalin removed Yenukidze.",
        "He deposed Enukidze from the secretarial position.",
        evidence="archival",
        evidence_note="The Politburo's decision of March 1935.",
    )
    run(only=[Kind.EVIDENCE_KIND])
    statistics = dict(Evidence.choices)["statistics"]
    for key in ("evidence_kind:plot", "evidence_kind:removed"):
        offered = texts(live(Kind.EVIDENCE_KIND, key))
        assert statistics not in offered and len(offered) >= 3, key


def test_source_criticism_answers_from_the_sources_own_record(db):
    from history.models import Source
    from quiz.generation import source_criticism

    from .generation_builders import source

    passage("Professor, who was behind the plot?")
    unsettled(
        "letter",
        "Maskharashvili says Svanidze wrote to Stalin.",
        "Svanidze wrote to Stalin in 1935.",
        note="No such letter is known from the archives.",
        would_confirm="The letter itself, preserved among Stalin's papers and open to researchers",
    )
    run(only=[Kind.SOURCE_CRITICISM])
    published = live(Kind.SOURCE_CRITICISM, "source_criticism:publication:gen-source")
    assert correct(published) == ["It names neither the publication nor the date"]
    confirm = live(Kind.SOURCE_CRITICISM, "source_criticism:confirm:letter")
    # The fourteenth review: one key for every claim, echoing the prompt's "document anyone can
    # check", was learnt once; the record that would confirm it is named for the claim.
    assert correct(confirm) == ["The letter itself, preserved among Stalin's papers and open to researchers"]
    assert confirm.explanation_lead == (
        "This would confirm it: the letter itself, preserved among Stalin's papers and open to researchers, "
        "a record made at the time and independent of the interview."
    )
    # Evidence that is not independent or not checkable is the trap (a confession the NKVD
    # extracted is a document from the time too, and never the key); each choice shown has
    # its own flaw named.
    wrong = [text for text in texts(confirm) if text not in correct(confirm)]
    assert len(wrong) == 3
    # The tenth review: with only later retellings beside it, the key was the one record of the
    # time; an interrogation record of 1937 is always among the choices.
    assert "An NKVD interrogation record of 1937 in which an arrested man says so" in wrong
    for text in wrong:
        assert source_criticism.NOT_CONFIRMING[text] in confirm.explanation_more, text
    assert confirm.prompt.endswith(
        "Historians have found nothing that settles it either way. Which of these could confirm it?"
    )
    assert "check" not in confirm.prompt
    assert "No such letter is known" in confirm.explanation_more

    # Once a curator finds the outlet, the key follows the record.
    Source.objects.filter(pk=source().pk).update(publication="Georgian Journal")
    run(only=[Kind.SOURCE_CRITICISM])
    published = live(Kind.SOURCE_CRITICISM, "source_criticism:publication:gen-source")
    assert correct(published) == ["It names the publication but not the date"]
    assert published.explanation.startswith(
        "It names the publication but not the date: it appeared in Georgian Journal."
    )


def test_two_what_could_confirm_it_questions_do_not_share_one_set_of_choices(db):
    # The fifth review: every confirm item offered the same four choices, learnt once.
    for key in ("letter", "school", "lover"):
        unsettled(
            key,
            f"Maskharashvili says the {key} story.",
            f"The {key} story is told here.",
            would_confirm=f"The {key}'s own record, kept in the archives",
        )
    unsettled("uncurated", "Maskharashvili says the uncurated story.", "The uncurated story is told here.")
    summary = run(only=[Kind.SOURCE_CRITICISM])
    confirms = live(Kind.SOURCE_CRITICISM).filter(generator_key__contains=":confirm:")
    sets = {frozenset(texts(q)) for q in confirms}
    assert len(sets) > 1
    assert len({correct(q)[0] for q in confirms}) == 3  # no key shared
    assert skipped(summary, "source_criticism:confirm:uncurated") == [
        "no curated record that would confirm the claim (Claim.would_confirm)"
    ]


def test_a_found_sentence_historians_doubt_says_why_even_at_some_length(db):
    # The reason sits in the folded part, where a note's first sentence of 24 words has room.
    note = (
        "Released is not exonerated: the convictions stood in the 1930s, and formal rehabilitation, "
        "where it came at all, came only after Stalin's death. The campaign peaked earlier."
    )
    psg = one_passage("Most of those arrested in 1932 were exonerated a while later.", *SOUND_QUOTES)
    claims_on(
        psg,
        (
            "exonerated",
            "Maskharashvili says most of those arrested in 1932 were exonerated.",
            "Most of those arrested in 1932 were exonerated a while later",
            {
                "assessment": "contradicted",
                "note": note,
                "paraphrase": "Maskharashvili says most held in 1932 were cleared.",
            },
        ),
        *SOUND,
    )
    run(only=[Kind.FIND_EVIDENCE])
    question = live(Kind.FIND_EVIDENCE, "find_evidence:exonerated")
    assert "— the claim is contradicted by historians. Released is not exonerated:" in question.explanation_lead


def test_a_found_sentence_names_its_other_words_historians_judge_differently(db):
    # The student picks the whole sentence: "Historians agree" must not stand over its end.
    psg = one_passage("They all had very powerful levers, and their clout was limitless.", *SOUND_QUOTES)
    claims_on(
        psg,
        ("levers", "Maskharashvili says they held powerful posts.", "They all had very powerful levers", {}),
        (
            "limitless",
            "Maskharashvili says their clout was limitless.",
            "their clout was limitless",
            {
                "assessment": "contradicted",
                "note": "Far from limitless: each was removed by one Politburo decision.",
                "paraphrase": "Maskharashvili says their power had no bounds.",
            },
        ),
        *SOUND,
    )
    run(only=[Kind.FIND_EVIDENCE])
    levers = live(Kind.FIND_EVIDENCE, "find_evidence:levers")
    assert "The sentence also makes a further claim, with its own verdict." in (levers.explanation_lead)
    assert (
        "The words “their clout was limitless” are a separate claim: contradicted by historians. "
        "Far from limitless: each was removed by one Politburo decision."
    ) in levers.explanation_more
    assert "claim-assessment:limitless" in levers.reveals
    # The other way round: the doubted claim's question names the sound part too.
    limitless = live(Kind.FIND_EVIDENCE, "find_evidence:limitless")
    assert "The words “They all had very powerful levers” are a separate claim: corroborated" in limitless.explanation


def test_a_claim_holding_the_found_words_does_not_vouch_for_them(db):
    # The fourth review: "a man whose wife's lover was Kirov, assassinated Kirov" is corroborated
    # for the murder; a line calling those words corroborated stood under the affair's question.
    psg = one_passage("A man whose wife’s lover was Kirov assassinated Kirov in 1934.", *SOUND_QUOTES)
    claims_on(
        psg,
        (
            "murder",
            "Maskharashvili says a man assassinated Kirov in 1934.",
            "A man whose wife’s lover was Kirov assassinated Kirov in 1934",
            {"paraphrase": "Maskharashvili says Kirov was killed in 1934 by a man."},
        ),
        (
            "affair",
            "Maskharashvili says Kirov was the killer's wife's lover.",
            "whose wife’s lover was Kirov",
            {"assessment": "unverifiable", "note": "No reliable documentary evidence of an affair has been found."},
        ),
        *SOUND,
    )
    run(only=[Kind.FIND_EVIDENCE])
    affair = live(Kind.FIND_EVIDENCE, "find_evidence:affair")
    assert "are a separate claim: corroborated" not in affair.explanation
    murder = live(Kind.FIND_EVIDENCE, "find_evidence:murder")
    assert "The words “whose wife’s lover was Kirov” are a separate claim: unverifiable" in murder.explanation


def test_a_sentence_true_only_of_a_year_it_does_not_state_is_never_offered_as_sound(db):
    # The fourth review: "The industry was developing very weakly" is corroborated for 1933, the
    # statement says; offered bare as sound, a student who knows 1934-36 could call it wrong.
    psg = one_passage(
        "In 1932 the second plan began with great fanfare.", "The industry was developing very weakly.", *SOUND_QUOTES
    )
    claims_on(
        psg,
        ("plan-1932", "Maskharashvili says the second plan began in 1932.", "In 1932 the second plan began", WRONG),
        (
            "weakly",
            "Maskharashvili says industry was developing weakly in 1933.",
            "The industry was developing very weakly.",
            {},
        ),
        *SOUND,
    )
    run(only=[Kind.SPOT_ERROR])
    question = live(Kind.SPOT_ERROR, "spot_error:plan-1932")
    assert not any("very weakly" in text for text in texts(question))
    assert len(texts(question)) == 4


def test_spot_the_error_gives_the_verdicts_on_the_rest_of_its_sentence(db):
    psg = one_passage("In 1932 the plan began and the group plotted.", *SOUND_QUOTES)
    claims_on(
        psg,
        ("began", "Maskharashvili says the plan began in 1932.", "In 1932 the plan began", WRONG),
        (
            "plotted",
            "Maskharashvili says the group plotted.",
            "the group plotted",
            {"assessment": "disputed", "note": "Historians disagree whether any group plotted."},
        ),
        *SOUND,
    )
    run(only=[Kind.SPOT_ERROR])
    question = live(Kind.SPOT_ERROR, "spot_error:began")
    assert (
        "The words “the group plotted” are a separate claim: disputed by historians. "
        "Historians disagree whether any group plotted."
    ) in question.explanation


def test_a_doubted_claim_holding_the_found_words_is_named(db):
    # The fifth review: "The most active members [of the plot] were … Yagoda" (disputed) holds the
    # title "the minister Yagoda" (contradicted); the title's question must name the plot's verdict.
    psg = one_passage("The most active members were Enukidze and the minister Yagoda.", *SOUND_QUOTES)
    claims_on(
        psg,
        (
            "members",
            "Maskharashvili says Yenukidze and Yagoda were the plot's most active members.",
            "The most active members were Enukidze and the minister Yagoda",
            {"assessment": "disputed", "note": "Historians disagree whether any such group existed."},
        ),
        (
            "title",
            "Maskharashvili calls Yagoda a minister.",
            "the minister Yagoda",
            {"assessment": "contradicted", "note": "Anachronistic title: he was People's Commissar."},
        ),
        *SOUND,
    )
    run(only=[Kind.FIND_EVIDENCE])
    title = live(Kind.FIND_EVIDENCE, "find_evidence:title")
    # The seventh review: quoting the plot's words whole set the title's words, just judged
    # contradicted, under a second verdict; the plot claim is named by what it says.
    assert (
        "That Yenukidze and Yagoda were the plot's most active members is a separate claim: "
        "disputed by historians. Historians disagree whether any such group existed."
    ) in title.explanation
    assert "The words “The most active members" not in title.explanation


def test_found_words_leave_out_the_words_judged_apart_and_the_prompt_names_no_speaker(db):
    # The seventh review: "Historians agree with the claim. The claim's words: '…a semi-deranged
    # person whose wife's lover used to be Kirov himself, assassinated Kirov'" vouched for the
    # affair too; and "The interviewer says …" over the professor's sentences gave it away.
    psg = one_passage("In 1934, a troubled man, the lover's husband, killed Kirov.", *SOUND_QUOTES)
    claims_on(
        psg,
        (
            "murder",
            "Maskharashvili says Kirov was killed in 1934.",
            "In 1934, a troubled man, the lover's husband, killed Kirov",
            {},
        ),
        (
            "troubled",
            "Maskharashvili says the killer was troubled.",
            "a troubled man",
            {"assessment": "disputed", "note": "Historians differ on his state of mind."},
        ),
        (
            "lover",
            "Maskharashvili says Kirov was a lover.",
            "the lover's husband",
            {"assessment": "unverifiable", "note": "No record shows an affair."},
        ),
        *SOUND,
    )
    run(only=[Kind.FIND_EVIDENCE])
    murder = live(Kind.FIND_EVIDENCE, "find_evidence:murder")
    assert murder.prompt == "Which sentence of the interview makes this claim: that Kirov was killed in 1934?"
    assert "The words “In 1934, …, killed Kirov” in this sentence of §1 make the claim" in murder.explanation_lead
    assert "The words “a troubled man” are a separate claim: disputed" in murder.explanation_more
    assert "The words “the lover's husband” are a separate claim: unverifiable" in murder.explanation_more


def test_a_reply_too_short_to_stand_alone_is_found_with_the_sentence_after_it(db):
    # The seventh review: "Yes! Some new faces were appearing …" was never asked, the only claim
    # without a find-the-evidence question, because "Yes!" was cut off as a sentence of its own.
    psg = one_passage("Yes! Some new faces were appearing in the party that year.", *SOUND_QUOTES)
    claims_on(
        psg,
        (
            "new-face",
            "Maskharashvili agrees that Kirov was a new face.",
            "Yes! Some new faces were appearing in the party that year.",
            WRONG,
        ),
        *SOUND,
    )
    run(only=[Kind.FIND_EVIDENCE])
    question = live(Kind.FIND_EVIDENCE, "find_evidence:new-face")
    assert correct(question) == ["§1: “Yes! Some new faces were appearing in the party that year.”"]
    assert not any("“Some new faces" in text for text in texts(question))


def test_the_interviewer_question_offers_misreadings_not_absurdities(db):
    from .generation_builders import source

    source()
    passage("A question?")
    run(only=[Kind.SOURCE_CRITICISM])
    question = live(Kind.SOURCE_CRITICISM, "source_criticism:interviewer:gen-source")
    offered = texts(question)
    assert "Nobody: it is an essay, not an interview" not in offered
    assert not any(text.endswith(" himself") for text in offered)
    assert "A journalist whose name the text prints at the top" in offered
    # The eighteenth review: the answer was the longest choice and the only one saying the text
    # does not name him, so it was found unread.
    right = correct(question)[0]
    assert right.startswith("The text does not say")
    assert sum(text.startswith("The text does not say") for text in offered) == 2
    assert len(right) <= max(len(text) for text in offered if text != right)


def test_no_sound_sentence_is_offered_in_more_than_three_spot_the_error_questions(db):
    # The seventh review: eight sound sentences filled all 48 wrong choices, six times each, so
    # a student learnt them and picked the one sentence never seen before.
    errors = [f"In 193{n} the plan number {n} began with great fanfare." for n in range(4)]
    psg = one_passage(*errors, *SOUND_QUOTES)
    claims_on(
        psg,
        *[
            (f"err-{n}", f"Maskharashvili says plan {n} began in 193{n}.", text.rstrip("."), WRONG)
            for n, text in enumerate(errors)
        ],
        *SOUND,
    )
    summary = run(only=[Kind.SPOT_ERROR])
    asked = list(live(Kind.SPOT_ERROR))
    assert len(asked) == 3
    offered = [text for question in asked for text in texts(question) if text not in correct(question)]
    assert max(offered.count(text) for text in set(offered)) <= 3
    assert any("not yet offered thrice" in reason for reason in skipped(summary, "spot_error:err-3"))


def test_the_prompt_names_the_speaker_where_the_statement_said_he(db):
    # The eighth review: without "Maskharashvili says", "the men he names" had no referent, and
    # "Tukhachevsky, in the group he places in 1934" read as Tukhachevsky placing it.
    psg = one_passage("Their clout was limitless in every way.", *SOUND_QUOTES)
    claims_on(
        psg,
        ("clout", "Maskharashvili says the men he names had limitless clout.", "Their clout was limitless", WRONG),
        *SOUND,
    )
    run(only=[Kind.FIND_EVIDENCE])
    question = live(Kind.FIND_EVIDENCE, "find_evidence:clout")
    assert question.prompt.endswith("that the men Maskharashvili names had limitless clout?")


def test_a_sentence_with_two_errors_says_the_words_named_are_among_them(db):
    psg = one_passage("In 1932 the plan began and in 1934 all the prisoners were freed.", *SOUND_QUOTES)
    claims_on(
        psg,
        (
            "began",
            "Maskharashvili says the plan began in 1932.",
            "In 1932 the plan began and in 1934 all the prisoners",
            WRONG,
        ),
        ("freed", "Maskharashvili says all were freed.", "all the prisoners were freed", WRONG),
        *SOUND,
    )
    run(only=[Kind.SPOT_ERROR])
    question = live(Kind.SPOT_ERROR, "spot_error:began")
    assert (
        "Among the words they contradict: “In 1932 the plan began and in 1934 all the prisoners”."
        in question.explanation
    )


def test_a_sentence_wrong_only_for_a_time_it_does_not_state_is_not_the_error_to_spot(db):
    # The eleventh review: "It soon became obvious that the failure was not the fault of the
    # specialists", judged for 1932-34, is not plainly wrong read alone.
    psg = one_passage("It soon became obvious that nobody was to blame at all.", *SOUND_QUOTES)
    claims_on(
        psg,
        (
            "obvious",
            "Maskharashvili says that by 1934 it became obvious that nobody was to blame.",
            "It soon became obvious",
            WRONG,
        ),
        *SOUND,
    )
    summary = run(only=[Kind.SPOT_ERROR])
    assert not live(Kind.SPOT_ERROR).exists()
    assert skipped(summary, "spot_error:obvious") == ["the error depends on a date the sentence does not state"]


def test_a_curated_decoy_is_offered_first_though_it_shares_the_claims_person(db):
    # The twelfth review: the answer was the only choice on its subject; a curator names the
    # sentences on it that do not make the claim (Claim.decoys), and they come first.
    kirov = figure("kirov", "Sergei Kirov", "Kirov")
    psg = one_passage("The congress gave more votes to Kirov than to Stalin.", *SOUND_QUOTES)
    votes, *_ = claims_on(
        psg,
        ("votes", "Maskharashvili says Kirov won more votes.", "gave more votes to Kirov", {"figures": [kirov]}),
        *SOUND,
    )
    nearby = passage("Kirov was the party secretary for Leningrad for many years.")
    secretary = claim("secretary", "Maskharashvili says Kirov led Leningrad.", nearby.text, psg=nearby, figures=[kirov])
    summary = run(only=[Kind.FIND_EVIDENCE])
    # Without it, the only other sentence naming Kirov is a neighbour, never offered: not asked.
    assert skipped(summary, "find_evidence:votes") == [
        "the answer would be the only sentence naming the prompt's person"
    ]
    votes.decoys.set([secretary])
    run(only=[Kind.FIND_EVIDENCE])
    question = live(Kind.FIND_EVIDENCE, "find_evidence:votes")
    assert f"§{nearby.position}: “{nearby.text}”" in texts(question)
    assert correct(question) == [f"§{psg.position}: “The congress gave more votes to Kirov than to Stalin.”"]
    # A sentence on the claim's own subject is not "about other things".
    assert "the others do not make it" in question.explanation_lead
    assert "about other things" not in question.explanation
    # And a student who picked it learns what it says instead (the twenty-third review).
    picked = question.options.get(text=f"§{nearby.position}: “{nearby.text}”")
    assert picked.feedback == "This sentence says something else: that Kirov led Leningrad."
    # With its verdict where historians doubt it (the twenty-fourth review).
    Claim.objects.filter(pk=secretary.pk).update(assessment="contradicted", note="Wrong: he led it only from 1926.")
    run(only=[Kind.FIND_EVIDENCE])
    picked = live(Kind.FIND_EVIDENCE, "find_evidence:votes").options.get(text=f"§{nearby.position}: “{nearby.text}”")
    assert picked.feedback == (
        "This sentence says something else: that Kirov led Leningrad; historians judge this contradicted."
    )


def test_a_decoy_without_the_claims_year_is_said_to_lack_it(db):
    # The eighteenth review: "Kirov was assassinated in 1934" had no other sentence on the murder
    # to tell it from; the curated one names the murder and gives no year, and the feedback says so.
    kirov = figure("kirov", "Sergei Kirov", "Kirov")
    psg = one_passage("In 1934 a man shot Kirov in the corridor.", *SOUND_QUOTES)
    murder, *_ = claims_on(
        psg,
        ("murder", "Maskharashvili says Kirov was shot in 1934.", "In 1934 a man shot Kirov", {"figures": [kirov]}),
        *SOUND,
    )
    later = passage("The murder of Kirov was a pretext for the purge that followed.")
    pretext = claim("pretext", "Maskharashvili says the murder was a pretext.", later.text, psg=later, figures=[kirov])
    murder.decoys.set([pretext])
    run(only=[Kind.FIND_EVIDENCE])
    question = live(Kind.FIND_EVIDENCE, "find_evidence:murder")
    assert f"§{later.position}: “{later.text}”" in texts(question)
    assert "the others do not make it: none of them gives 1934." in question.explanation_lead


def test_found_words_cut_down_to_their_connecting_words_are_not_quoted(db):
    # The eighteenth review: "The words “The most active members were … and …” make the claim"
    # said nothing; the names were all in the parts judged apart.
    people = [figure(k, f"Ivan {n}", n) for k, n in (("tukh", "Tukhachevsky"), ("yag", "Yagoda"))]
    psg = one_passage("The most active members were the deputy Tukhachevsky and the minister Yagoda.", *SOUND_QUOTES)
    members, *_ = claims_on(
        psg,
        (
            "members",
            "Maskharashvili says Tukhachevsky and Yagoda led the plot.",
            "The most active members were the deputy Tukhachevsky and the minister Yagoda",
            {"figures": people, "assessment": "disputed", "note": "Historians disagree whether any plot existed."},
        ),
        ("deputy", "Maskharashvili calls Tukhachevsky the deputy.", "the deputy Tukhachevsky", {**WRONG}),
        ("minister", "Maskharashvili calls Yagoda the minister.", "the minister Yagoda", {**WRONG}),
        *SOUND,
    )
    soldier = passage("Ivan Tukhachevsky was a soldier of the old army all his life.")
    members.decoys.set([claim("soldier", "Maskharashvili says he was a soldier.", soldier.text, psg=soldier)])
    run(only=[Kind.FIND_EVIDENCE])
    question = live(Kind.FIND_EVIDENCE, "find_evidence:members")
    assert question.explanation_lead.startswith(f"This sentence of §{psg.position} makes the claim;")
    assert "…" not in question.explanation_lead
    assert "The words “the deputy Tukhachevsky” are a separate claim: contradicted" in question.explanation


def test_the_interviewers_sentence_is_said_to_be_the_interviewers(db):
    # The twelfth review: "exonerated" is the interviewer's framing, and nothing said so.
    interviewer = figure("interviewer", "The interviewer (GJ)", "GJ", aliases=["The interviewer"], participant=True)
    asked = one_passage("Most of those arrested in 1932 were exonerated later.")
    Passage.objects.filter(pk=asked.pk).update(speaker=interviewer)
    asked.refresh_from_db()
    claim(
        "exonerated",
        "The interviewer says most of those arrested in 1932 were exonerated later.",
        "Most of those arrested in 1932 were exonerated later",
        psg=asked,
        paraphrase="The interviewer says most held in 1932 were later cleared.",
        **WRONG,
    )
    psg = asked
    claims_on(one_passage(*SOUND_QUOTES), *SOUND)
    far_away(figure("someone", "Some One", "One"))
    run(only=[Kind.SPOT_ERROR, Kind.FIND_EVIDENCE])
    spot = live(Kind.SPOT_ERROR, "spot_error:exonerated")
    assert spot.explanation.startswith(f"Historians contradict the sentence from §{psg.position}, the interviewer’s.")
    found = live(Kind.FIND_EVIDENCE, "find_evidence:exonerated")
    assert found.explanation.startswith(f"The whole sentence of §{psg.position}, the interviewer’s, makes the claim")


def test_words_said_of_someone_else_too_are_not_cut_from_the_found_words(db):
    # The thirteenth review: "They were …" was all that was left of the words making the claim,
    # once the words judged apart for another man were cut out.
    tukhachevsky = figure("tukhachevsky", "Mikhail Tukhachevsky", "Tukhachevsky")
    yenukidze = figure("yenukidze", "Avel Yenukidze", "Yenukidze")
    psg = one_passage("They were Stalin’s old friends and fellow-fighters.", *SOUND_QUOTES)
    claims_on(
        psg,
        (
            "tukh",
            "Maskharashvili says Tukhachevsky was one of Stalin's old friends.",
            "They were Stalin’s old friends and fellow-fighters",
            {"figures": [tukhachevsky], **WRONG},
        ),
        (
            "yen",
            "Maskharashvili says Yenukidze was an old friend of Stalin's.",
            "old friends and fellow-fighters",
            {"figures": [yenukidze]},
        ),
        *SOUND,
    )
    run(only=[Kind.FIND_EVIDENCE])
    question = live(Kind.FIND_EVIDENCE, "find_evidence:tukh")
    assert "…" not in question.explanation_lead
    assert "That Yenukidze was an old friend of Stalin's is a separate claim: corroborated" in question.explanation


def test_words_of_a_further_claim_on_the_same_person_are_still_cut_from_the_found_words(db):
    # The fourteenth review: "historians agree" over words holding the affair rumour, once a
    # claim sharing Kirov with the murder was taken for one about someone else.
    kirov = figure("kirov", "Sergei Kirov", "Kirov")
    draule = figure("draule", "Milda Draule", "Draule")
    psg = one_passage("In 1934 a man whose wife was Kirov’s lover killed Kirov in Leningrad.", *SOUND_QUOTES)
    claims_on(
        psg,
        (
            "killed",
            "Maskharashvili says Kirov was killed in 1934.",
            "In 1934 a man whose wife was Kirov’s lover killed Kirov",
            {"figures": [kirov]},
        ),
        (
            "affair",
            "Maskharashvili says the killer's wife had been Kirov's lover.",
            "whose wife was Kirov’s lover",
            {
                "figures": [kirov, draule],
                "assessment": "unverifiable",
                "note": "No evidence of an affair has been found.",
            },
        ),
        *SOUND,
    )
    far_away(kirov, "Kirov’s funeral was held in Moscow with great ceremony.")
    run(only=[Kind.FIND_EVIDENCE])
    question = live(Kind.FIND_EVIDENCE, "find_evidence:killed")
    assert "wife" not in question.explanation_lead.split("Historians agree")[0]


def test_spot_the_error_offers_and_asks_only_sentences_that_read_alone(db):
    # The fourteenth review: "These people were not exactly 'Trotskyites'" was offered as sound and
    # "They were Stalin's close associates" asked as the error: neither says, torn from its
    # passage, whom it is about. "The court was open to public" was too bare to judge alone.
    psg = one_passage(
        "The second plan began in 1932 with great fanfare.",
        "They were the closest friends of the leader.",
        *SOUND_QUOTES,
        "These people were not exactly loyal to the old party line.",
        "The court sat in public.",
    )
    claims_on(
        psg,
        ("plan", "Maskharashvili says the second plan began in 1932.", "The second plan began in 1932", WRONG),
        ("friends", "Maskharashvili says they were the leader's friends.", "They were the closest friends", WRONG),
        *SOUND,
        ("loyal", "Maskharashvili says they were not loyal.", "These people were not exactly loyal", {}),
        ("bare", "Maskharashvili says the court sat in public.", "The court sat in public.", {}),
    )
    summary = run(only=[Kind.SPOT_ERROR])
    question = live(Kind.SPOT_ERROR, "spot_error:plan")
    offered = " ".join(texts(question))
    assert "These people" not in offered and "The court sat in public." not in offered
    assert skipped(summary, "spot_error:friends") == ["the sentence does not say on its own whom or what it is about"]


@pytest.mark.parametrize(
    "error, reason",
    [
        # The only year among the choices: picked for its date, unread.
        ("In 1932 the second plan began with fanfare.", "the only sentence among the choices that states a year"),
        (
            "The plan began with a great fanfare in all the factories and all the farms of the whole "
            "country, and every newspaper of the land wrote about it for months on end without a pause.",
            "longer by far than every sound sentence there is to offer",
        ),
    ],
)
def test_an_error_that_stands_out_unread_is_not_asked(db, error, reason):
    undated = [q for q in SOUND_QUOTES if "1934" not in q]
    psg = one_passage(error, *undated)
    claims_on(
        psg,
        ("error", "Maskharashvili says the plan began.", error, WRONG),
        *[spec for spec in SOUND if spec[2] in undated],
    )
    summary = run(only=[Kind.SPOT_ERROR])
    assert not live(Kind.SPOT_ERROR).exists()
    assert skipped(summary, "spot_error:error") == [f"the error is {reason}"]


def test_what_kind_of_evidence_is_not_asked_where_the_verdict_in_the_prompt_is_the_answer(db):
    # The fourteenth review: "Historians call this unverifiable" beside "no surviving record
    # that could settle it" is the key in other words.
    unsettled("letter", "Maskharashvili says Svanidze wrote to Stalin.", "Svanidze wrote to Stalin in 1935.")
    summary = run(only=[Kind.EVIDENCE_KIND])
    assert not live(Kind.EVIDENCE_KIND).exists()
    assert skipped(summary, "evidence_kind:letter") == ["the verdict named in the prompt gives the answer away"]


def test_a_sentence_an_editor_glossed_is_offered_with_its_insertions_where_it_must_read_alone(db):
    # The eighteenth review: only two sentences of the interview were sound and read alone, so
    # every spot-the-error question offered the same two. "He [Kirov] was …" reads alone.
    psg = one_passage(
        "They were the closest friends of the leader.",
        "He was the leader in that city and answered for it.",
        SOUND_QUOTES[0],
    )
    claims_on(
        psg,
        (
            "friends",
            "Maskharashvili says the three were the leader's friends.",
            "They were the closest friends of the leader.",
            {**WRONG, "gloss": "They [the three generals] were the closest friends of the leader."},
        ),
        (
            "leader",
            "Maskharashvili says Kirov led the city.",
            "He was the leader in that city and answered for it.",
            {"gloss": "He [Kirov] was the leader in that city [Leningrad] and answered for it."},
        ),
        SOUND[0],
    )
    claims_on(one_passage(*SOUND_QUOTES[1:]), *SOUND[1:])
    run(only=[Kind.SPOT_ERROR, Kind.FIND_EVIDENCE])
    question = live(Kind.SPOT_ERROR, "spot_error:friends")
    assert correct(question) == [
        f"§{psg.position}: “They [the three generals] were the closest friends of the leader.”"
    ]
    assert f"§{psg.position}: “He [Kirov] was the leader in that city [Leningrad] and answered for it.”" in texts(
        question
    )
    assert "Words in [square brackets] are added to say whom or what a sentence is about" in question.explanation
    # What the question cites is the interview's own words, without the insertions.
    assert question.quote == "They were the closest friends of the leader."
    # Finding the evidence, an inserted name would point to the answer: the words stand bare.
    offered = [text for q in live(Kind.FIND_EVIDENCE) for text in texts(q)]
    assert f"§{psg.position}: “He was the leader in that city and answered for it.”" in offered
    assert not any("[" in text for text in offered)


def test_find_the_evidence_prefers_wrong_sentences_near_the_answers_length(db):
    # The nineteenth review: the answer was the longest choice in 26 of 62 questions.
    long_ones = [
        f"The committee number {n} met for many long weeks in the old hall of the city and debated every "
        f"clause of every report that the regional offices had sent in during that long and difficult year."
        for n in range(3)
    ]
    short_ones = [f"The office number {n} kept its records well." for n in range(3)]
    psg = one_passage("The harvest failed in every province.", "Nobody wrote it down.", *long_ones, *short_ones)
    claims_on(
        psg,
        ("harvest", "Maskharashvili says the harvest failed.", "The harvest failed in every province.", {}),
        *[(f"long-{n}", f"Maskharashvili says committee {n} met.", text, {}) for n, text in enumerate(long_ones)],
        *[
            (f"short-{n}", f"Maskharashvili says office {n} kept records.", text, {})
            for n, text in enumerate(short_ones)
        ],
    )
    run(only=[Kind.FIND_EVIDENCE])
    question = live(Kind.FIND_EVIDENCE, "find_evidence:harvest")
    wrong = [text for text in texts(question) if text not in correct(question)]
    assert wrong and all("kept its records well" in text for text in wrong), wrong


def test_figures_are_asked_only_against_both_records_and_publications(db):
    # The twentieth review: "Economic and demographic data" against Politburo documents and later
    # testimony, with publications ruled fair, was found without knowing anything.
    claim(
        "output",
        "Maskharashvili says Leningrad had the largest industrial output.",
        "Leningrad had the largest industrial output of all.",
        assessment="contradicted",
        evidence="statistics",
        evidence_also=["publications"],
        evidence_note="The output figures of the time.",
    )
    summary = run(only=[Kind.EVIDENCE_KIND])
    assert skipped(summary, "evidence_kind:output") == [
        "no wrong kind of evidence a student could fairly mistake for the key"
    ]
    Claim.objects.filter(key="output").update(evidence_also=[])
    run(only=[Kind.EVIDENCE_KIND])
    assert len(texts(live(Kind.EVIDENCE_KIND, "evidence_kind:output"))) >= 3


def test_a_claim_the_interview_only_suggests_is_found_as_suggested(db):
    # The twentieth review: "the whole sentence makes the claim" of Kirov as a new face, which the
    # interview only implies.
    psg = one_passage(
        "Yes! Some new faces were appearing, and in Kirov's case his rise was explainable.", *SOUND_QUOTES
    )
    claims_on(
        psg,
        (
            "face",
            "Maskharashvili suggests that Kirov was one of the new faces.",
            "Yes! Some new faces were appearing, and in Kirov's case his rise was explainable.",
            {},
        ),
        *SOUND,
    )
    run(only=[Kind.FIND_EVIDENCE])
    question = live(Kind.FIND_EVIDENCE, "find_evidence:face")
    assert question.prompt.startswith("Which sentence of the interview suggests this: that ")
    assert " suggests the claim; the others " in question.explanation_lead
    assert "makes the claim" not in question.explanation_lead


def test_find_the_evidence_asks_in_other_words_than_the_answers(db):
    # The twenty-second review: "that most of the people arrested in 1932 were exonerated a while
    # later" was answered by matching its words against the one sentence holding them.
    psg = one_passage("Most of those people who were arrested in 1932 were exonerated a while later.", *SOUND_QUOTES)
    claims_on(
        psg,
        (
            "cleared",
            "Maskharashvili says most of the people arrested in 1932 were exonerated a while later.",
            "Most of those people who were arrested in 1932 were exonerated a while later.",
            {},
        ),
        *SOUND,
    )
    summary = run(only=[Kind.FIND_EVIDENCE])
    assert skipped(summary, "find_evidence:cleared") == [
        "the prompt would copy a run of the answer's words: paraphrase the claim"
    ]
    Claim.objects.filter(key="cleared").update(
        paraphrase="Maskharashvili says most of those held in 1932 were cleared of the charges some time afterwards."
    )
    run(only=[Kind.FIND_EVIDENCE])
    question = live(Kind.FIND_EVIDENCE, "find_evidence:cleared")
    assert question.prompt == (
        "Which sentence of the interview makes this claim: that most of those held in 1932 were cleared of the"
        " charges some time afterwards?"
    )


def test_a_paraphrase_opens_with_the_statements_speaker_and_verb(db):
    from django.core.exceptions import ValidationError

    obj = claim("plan", "Maskharashvili says the plan began in 1932.", "The plan began in 1932 as hoped.")
    obj.paraphrase = "The plan, he says, started in 1932."
    with pytest.raises(ValidationError) as raised:
        obj.full_clean()
    assert "paraphrase" in raised.value.message_dict


def test_words_of_a_printed_sentence_nobody_judged_are_said_to_be_unjudged(db):
    # The twenty-second review: "Historians agree" stood over the whole sentence "He had the
    # investigation started whether Kirov was killed by the anti-Stalinist powers", whose second
    # half no claim judges.
    psg = one_passage("He had the investigation started whether Kirov was killed by the anti-Stalinist powers.")
    claim(
        "inquiry",
        "Maskharashvili says Stalin had an investigation opened.",
        "He had the investigation started",
        psg=psg,
        near_misses=[
            {"text": "Stalin forbade any investigation.", "why": "He had one started."},
            {"text": "Kirov opened the investigation.", "why": "Stalin did."},
        ],
    )
    run(only=[Kind.ATTRIBUTION])
    question = live(Kind.ATTRIBUTION, "attribution:says:inquiry")
    assert (
        "No verdict is given here on the words “whether Kirov was killed by the anti-Stalinist powers”: read them"
        " as the interview’s, not as established."
    ) in question.explanation


def test_an_error_holding_words_judged_otherwise_is_named_by_what_it_says_of_whom(db):
    # The twenty-second review: "Historians contradict “They were Stalin's close associates …”"
    # over words a separate claim corroborates of Yenukidze took back what it had just taught.
    psg = one_passage("Tukhachevsky, Yenukidze and Yagoda were Stalin's old friends and comrades.", *SOUND_QUOTES)
    claims_on(
        psg,
        (
            "friends",
            "Maskharashvili says Tukhachevsky and Yagoda were Stalin's old friends and comrades.",
            "Tukhachevsky, Yenukidze and Yagoda were Stalin's old friends and comrades.",
            {**WRONG, "note": "Neither was an old friend of Stalin's."},
        ),
        (
            "yenukidze-friend",
            "Maskharashvili says Yenukidze was one of Stalin's old friends.",
            "Stalin's old friends",
            {},
        ),
        *SOUND,
    )
    run(only=[Kind.SPOT_ERROR])
    question = live(Kind.SPOT_ERROR, "spot_error:friends")
    assert question.explanation_lead.startswith(
        "Historians contradict that Tukhachevsky and Yagoda were Stalin's old friends and comrades (§"
    )


def test_spot_the_error_offers_a_sound_sentence_on_the_errors_people_first(db):
    # The twenty-fifth review: three sound sentences on Kirov beside the one on the conspirators
    # let the error be picked by its subject alone. The one on Yagoda is offered though its
    # length is further from the error's.
    yagoda = figure("yagoda", "Genrikh Yagoda", "Yagoda")
    kirov = figure("kirov", "Sergei Kirov", "Kirov")
    error = "Yagoda had limitless clout over every single commissariat and every single province of the land."
    pharmacist = "Yagoda had trained as a pharmacist in Nizhny."
    on_kirov = [
        f"Kirov led the Leningrad party organisation for eight long years, from {year} to the very end."
        for year in (1926, 1927, 1928, 1929)
    ]
    psg = one_passage(error, pharmacist, *on_kirov)
    claims_on(
        psg,
        ("clout", "Maskharashvili says Yagoda's clout was limitless.", error, {**WRONG, "figures": [yagoda]}),
        ("pharmacist", "Maskharashvili says Yagoda trained as a pharmacist.", pharmacist, {"figures": [yagoda]}),
        *[
            (f"led-{n}", "Maskharashvili says Kirov led the party.", text, {"figures": [kirov]})
            for n, text in enumerate(on_kirov)
        ],
    )
    run(only=[Kind.SPOT_ERROR])
    question = live(Kind.SPOT_ERROR, "spot_error:clout")
    assert f"§{psg.position}: “{pharmacist}”" in texts(question)
