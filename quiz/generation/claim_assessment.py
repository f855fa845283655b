"""Claim assessment — is this claim from the interview corroborated, disputed,
contradicted by historians, or unverifiable? One question per claim.

The answer is the claim's stored assessment; the explanation gives the historians'
note and where to check it.
"""

from history.models import Assessment
from quiz.answer_modes import OptionDraft
from quiz.models import Kind

from .base import Skip, citation_sentence, claim_draft, nested_clause

KINDS = (Kind.CLAIM_ASSESSMENT,)
# Plain agreement is easiest to recognise; "unverifiable" and "disputed" need the most care.
DIFFICULTY = {
    Assessment.CORROBORATED: 0.35,
    Assessment.CONTRADICTED: 0.5,
    Assessment.UNVERIFIABLE: 0.6,
    Assessment.DISPUTED: 0.65,
}


def generate(content, rng):
    for claim in content.claims:
        key = f"{Kind.CLAIM_ASSESSMENT}:{claim.key}"
        if claim.assessment not in Assessment.values:
            yield Skip(Kind.CLAIM_ASSESSMENT, key, f"the claim has no known assessment ({claim.assessment!r})")
            continue
        if not claim.note.strip():
            yield Skip(Kind.CLAIM_ASSESSMENT, key, "the claim has no historians' note to explain the answer")
            continue
        label = claim.get_assessment_display()
        # Reported speech in our words; the interview's own words are in the explanation.
        said = f"In the interview, {content.reported(claim).sentence(mid_sentence=True)}"
        # The four verdicts in their fixed order: the scale reads the same in every question.
        options = [OptionDraft(text=text, is_correct=value == claim.assessment) for value, text in Assessment.choices]
        reference = f" Source: {claim.reference.strip()}" if claim.reference.strip() else ""
        explanation = (
            f"{label}{nested_clause(content.nested_claims(claim))}. {claim.note.strip()}{reference}"
            f" {citation_sentence(claim)}"
        )
        yield claim_draft(
            Kind.CLAIM_ASSESSMENT,
            key,
            claim,
            prompt=f"{said} How do historians assess this claim?",
            options=options,
            explanation=explanation,
            difficulty=DIFFICULTY[claim.assessment],
        )
