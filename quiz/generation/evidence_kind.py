"""What kind of evidence — what does the historians' verdict on a claim chiefly rest on?

Only claims whose curators named one kind of evidence (Claim.evidence) are asked, because
most verdicts weigh several. Kinds the curators judged also fair for the claim
(Claim.evidence_also) are never offered as wrong; the wrong choices are other kinds, in a
seeded order, always shown in the scale's fixed order so the list reads the same each time.
"""

from history.models import Evidence
from quiz.answer_modes import OptionDraft
from quiz.models import Kind

from .base import Skip, claim_draft, paragraphs

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
    Evidence.ARCHIVAL: {Evidence.PUBLICATIONS, Evidence.STATISTICS, Evidence.CONFESSIONS},
    # A fact of the published record is told from the archive's, not from output figures.
    Evidence.PUBLICATIONS: {Evidence.ARCHIVAL},
    Evidence.STATISTICS: {Evidence.ARCHIVAL, Evidence.PUBLICATIONS},
    Evidence.CONFESSIONS: {Evidence.ARCHIVAL, Evidence.LATER_TESTIMONY, Evidence.DEFECTOR},
    Evidence.DEFECTOR: {Evidence.LATER_TESTIMONY, Evidence.CONFESSIONS},
    Evidence.LATER_TESTIMONY: {Evidence.DEFECTOR, Evidence.CONFESSIONS, Evidence.ARCHIVAL},
    Evidence.NO_RECORD: {Evidence.LATER_TESTIMONY, Evidence.ARCHIVAL, Evidence.DEFECTOR},
}


def generate(content, rng):
    for claim in content.claims:
        if not claim.evidence:
            continue
        key = f"{Kind.EVIDENCE_KIND}:{claim.key}"
        fair = {claim.evidence, *claim.evidence_also}
        others = rng.rank(key, [value for value in Evidence.values if value not in fair], key=str)
        close = [value for value in others if value in NEIGHBOURS[claim.evidence]]
        if len(others) < 2 or not close:
            yield Skip(Kind.EVIDENCE_KIND, key, "no wrong kind of evidence a student could fairly mistake for the key")
            continue
        others = close + [value for value in others if value not in close]
        shown = {claim.evidence, *others[: CHOICES - 1]}
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
                "What does their verdict chiefly rest on?"
            ),
            options=options,
            explanation=paragraphs(LEADS[claim.evidence], claim.evidence_note),
            # Telling kinds of evidence apart takes knowing the historiography, not the interview.
            difficulty=0.6 if claim.evidence_also else 0.55,
        )
