"""What kind of evidence — what does the historians' verdict on a claim chiefly rest on?

Only claims whose curators named one kind of evidence (Claim.evidence) are asked, because
most verdicts weigh several. Kinds the curators judged also fair for the claim
(Claim.evidence_also) are never offered as wrong; the wrong choices are other kinds, in a
seeded order, always shown in the scale's fixed order so the list reads the same each time.
"""

from history.models import Assessment, Evidence
from quiz.answer_modes import OptionDraft
from quiz.models import Kind

from .base import LEAD_WORDS, Skip, claim_draft, first_sentence, nested_clause, nested_lines, paragraphs

KINDS = (Kind.EVIDENCE_KIND,)
CHOICES = 4


# The answer as the explanation's first sentence.
LEADS = {
    Evidence.ARCHIVAL: "It rests chiefly on archival records.",
    Evidence.CONFESSIONS: "It rests chiefly on the confessions of the accused.",
    Evidence.DEFECTOR: "It rests chiefly on a defector's memoir.",
    Evidence.LATER_TESTIMONY: "It rests chiefly on testimony given long afterwards.",
    Evidence.PUBLICATIONS: "It rests chiefly on what was published at the time.",
    Evidence.STATISTICS: "It rests chiefly on economic and demographic data.",
    Evidence.NO_RECORD: "It rests on the absence of any record anyone can check that could settle it.",
}


# The kinds a student could fairly confuse with each: a wrong choice from these makes the question
# one of judgement; confessions offered for an output figure make it one of elimination.
NEIGHBOURS = {
    Evidence.ARCHIVAL: {Evidence.PUBLICATIONS, Evidence.CONFESSIONS, Evidence.LATER_TESTIMONY},
    # A fact of the published record is told from the archive's, not from output figures.
    Evidence.PUBLICATIONS: {Evidence.ARCHIVAL},
    Evidence.STATISTICS: {Evidence.ARCHIVAL, Evidence.PUBLICATIONS},
    Evidence.CONFESSIONS: {Evidence.ARCHIVAL, Evidence.LATER_TESTIMONY, Evidence.DEFECTOR},
    Evidence.DEFECTOR: {Evidence.LATER_TESTIMONY, Evidence.CONFESSIONS},
    Evidence.LATER_TESTIMONY: {Evidence.DEFECTOR, Evidence.CONFESSIONS, Evidence.ARCHIVAL},
    Evidence.NO_RECORD: {Evidence.LATER_TESTIMONY, Evidence.ARCHIVAL, Evidence.DEFECTOR},
}


# Kinds no reader would take for the key's: a wrong choice from these is eliminated unread.
ABSURD = {
    Evidence.ARCHIVAL: {Evidence.STATISTICS},
    Evidence.CONFESSIONS: {Evidence.STATISTICS},
    Evidence.DEFECTOR: {Evidence.STATISTICS},
    Evidence.LATER_TESTIMONY: {Evidence.STATISTICS},
    Evidence.NO_RECORD: {Evidence.STATISTICS},
    Evidence.STATISTICS: {Evidence.CONFESSIONS, Evidence.DEFECTOR, Evidence.NO_RECORD},
    Evidence.PUBLICATIONS: {Evidence.DEFECTOR, Evidence.NO_RECORD},
}


def generate(content, rng):
    for claim in content.claims:
        if not claim.evidence:
            continue
        key = f"{Kind.EVIDENCE_KIND}:{claim.key}"
        if claim.evidence == Evidence.NO_RECORD:
            # "Historians call this unverifiable" in the prompt is the key in other words; what
            # would confirm it is asked by source criticism instead.
            yield Skip(Kind.EVIDENCE_KIND, key, "the verdict named in the prompt gives the answer away")
            continue
        fair = {claim.evidence, *claim.evidence_also}
        if claim.assessment != Assessment.UNVERIFIABLE:
            # "No record that could settle it" beside "Historians call this disputed" is ruled out
            # by the prompt (the fourteenth review).
            fair.add(Evidence.NO_RECORD)
        others = rng.rank(key, [value for value in Evidence.values if value not in fair], key=str)
        close = [value for value in others if value in NEIGHBOURS[claim.evidence]]
        # The closest first, then any other kind that is not absurd beside the key ("economic
        # and demographic data" beside a confession is thrown away unread); three choices
        # are better than a throwaway fourth.
        fillers = [v for v in others if v not in close and v not in ABSURD.get(claim.evidence, ())]
        # Figures are told apart only from records and publications: with one of those ruled
        # fair, any other kind beside them is eliminated unread ("later testimony" for an output
        # figure, the twentieth review).
        thin = claim.evidence == Evidence.STATISTICS and len(close) < 2
        if not close or len(close) + len(fillers) < 2 or thin:
            yield Skip(Kind.EVIDENCE_KIND, key, "no wrong kind of evidence a student could fairly mistake for the key")
            continue
        shown = {claim.evidence, *(close + fillers)[: CHOICES - 1]}
        options = [
            OptionDraft(text=label, is_correct=value == claim.evidence)
            for value, label in Evidence.choices
            if value in shown
        ]
        said = content.reported(claim).sentence(mid_sentence=True)
        verdict = claim.get_assessment_display().lower()
        yield claim_draft(
            Kind.EVIDENCE_KIND,
            key,
            claim,
            prompt=(
                f"In the interview, {said} Historians call this {verdict.replace(' by historians', '')}. "
                # A dispute does not rest on one kind of evidence as a verdict does: it turns on it
                # (the story of the missing votes rests on later testimony, its doubters on the
                # archive: the twenty-sixth review).
                + (
                    "What evidence does their dispute chiefly turn on?"
                    if claim.assessment == "disputed"
                    else "What does their verdict chiefly rest on?"
                )
            ),
            options=options,
            # The words quoted may hold others historians judge apart: said once, after the answer.
            explanation=explanation_for(content, claim),
            # Telling kinds of evidence apart takes knowing the historiography, not the interview.
            difficulty=0.6 if claim.evidence_also else 0.55,
        )


def explanation_for(content, claim) -> str:
    """The answer, then what the evidence is (the evidence note's first sentence) in the lead
    where it fits, since "It rests chiefly on archival records" alone only repeats the key; the
    rest of the note, and any words judged apart, follow."""
    nested = content.nested_claims(claim)
    note = " ".join(claim.evidence_note.split())
    opening = first_sentence(note)
    lead = LEADS[claim.evidence]
    if claim.assessment == "disputed":
        lead = lead.replace("It rests chiefly on", "The dispute turns chiefly on")
    if opening and len(f"{lead} {opening}".split()) <= LEAD_WORDS:
        lead, note = f"{lead} {opening}", note[len(opening) :].strip()
    # That part of the quote is judged apart is said after the reason, not between it and the answer.
    return paragraphs(lead + nested_clause(nested), note, nested_lines(nested, asked=claim))
