"""Claim assessment — is this claim from the interview corroborated, disputed,
contradicted by historians, or unverifiable? One question per claim.

The answer is the claim's stored assessment. The explanation's lead gives the verdict and
its gist in plain words (the note's first sentence when it is short); the note itself and
its reference stay on the claim, which the feedback shows after the lead.
"""

from history.models import Assessment
from quiz.answer_modes import OptionDraft
from quiz.models import Kind

from .base import Skip, claim_draft, first_sentence, nested_clause, nested_lines, paragraphs, short_reason

KINDS = (Kind.CLAIM_ASSESSMENT,)
# Plain agreement is easiest to recognise; "unverifiable" and "disputed" need the most care.
DIFFICULTY = {
    Assessment.CORROBORATED: 0.35,
    Assessment.CONTRADICTED: 0.5,
    Assessment.UNVERIFIABLE: 0.6,
    Assessment.DISPUTED: 0.65,
}
# Why the label fits, in the words of the rubric (README, "How claims are assessed"), around
# the claim as reported speech.
VERDICTS = {
    Assessment.CORROBORATED: "the standard works agree that {}.",
    Assessment.DISPUTED: "historians who have studied the evidence disagree over whether {}.",
    Assessment.CONTRADICTED: "the evidence shows it is not true that {}.",
    Assessment.UNVERIFIABLE: "no surviving evidence can confirm or refute the claim that {}.",
}


# A reason shorter than this ("Wrong year.") does not stand for the verdict on its own.
BARE_REASON_WORDS = 5


def verdict_sentence(content, claim) -> str:
    """The verdict and why, around what the speaker says (X): "Disputed by historians: historians who have studied the evidence disagree over whether X"."""
    reported = content.reported(claim)
    said = reported.clause if reported.verb else reported.core
    if said.startswith(("The ", "A ", "An ")):
        said = said[0].lower() + said[1:]
    return f"{claim.get_assessment_display()}: {VERDICTS[claim.assessment].format(said.strip().rstrip('.'))}"


# Openings that read on in lower case after a colon; anything else (a name) keeps its capital.
LOWERED_OPENINGS = (
    "Historians ",
    "Wrong ",
    "Correct ",
    "Overstated",
    "Anachronistic ",
    "Released ",
    "Their ",
    "Neither ",
    "None ",
    "Economic ",
    "Most ",
    "The ",
    "No ",
    "Not ",
    "Nothing ",
    "Whether ",
    "This ",
    "These ",
)


def lowered(sentence: str) -> str:
    """A sentence continuing after a colon: "Historians disagree" reads "historians disagree"."""
    return sentence[0].lower() + sentence[1:] if sentence.startswith(LOWERED_OPENINGS) else sentence


def explanation_for(content, claim) -> str:
    nested = content.nested_claims(claim)
    reason = short_reason(claim)
    if reason and len(first_sentence(reason).split()) < BARE_REASON_WORDS:
        # "Contradicted by historians: wrong year." says too little in a sentence: the reason
        # follows the label's meaning, around the claim.
        lead = f"{verdict_sentence(content, claim)} {reason}"
    elif reason:
        # The prompt has just said the claim: the reason is worth more than its repetition
        # (the eighteenth review: every lead restated the claim under its label, then gave the
        # reason). Neither "Corroborated by historians: correct: …" nor "…: historians disagree: …".
        reason = reason.removeprefix("Correct: ").removeprefix("Correct. ").removeprefix("Historians disagree: ")
        lead = f"{claim.get_assessment_display()}: {lowered(reason)}"
    else:
        lead = verdict_sentence(content, claim)
    return paragraphs(lead + nested_clause(nested), nested_lines(nested, asked=claim))


def generate(content, rng):
    for claim in content.claims:
        key = f"{Kind.CLAIM_ASSESSMENT}:{claim.key}"
        if claim.assessment not in Assessment.values:
            yield Skip(Kind.CLAIM_ASSESSMENT, key, f"the claim has no known assessment ({claim.assessment!r})")
            continue
        if not claim.note.strip():
            yield Skip(Kind.CLAIM_ASSESSMENT, key, "the claim has no historians' note to explain the answer")
            continue
        # Reported speech in our words; the interview's own words are in the feedback's citation.
        said = f"In the interview, {content.reported(claim).sentence(mid_sentence=True)}"
        # The four verdicts in their fixed order: the scale reads the same in every question.
        options = [OptionDraft(text=text, is_correct=value == claim.assessment) for value, text in Assessment.choices]
        yield claim_draft(
            Kind.CLAIM_ASSESSMENT,
            key,
            claim,
            prompt=f"{said} How do historians assess this claim?",
            options=options,
            explanation=explanation_for(content, claim),
            difficulty=DIFFICULTY[claim.assessment],
        )
