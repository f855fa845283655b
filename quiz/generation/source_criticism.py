"""Source criticism — what a reader needs to know before trusting the interview itself.

Sourcing, as history teachers teach it: who made this source, where and when, and what would
it take to confirm what it says. The keys come from the source's own record (Source:
publication, date, interviewer; its passages' speaker labels), never from guesswork, so a
question changes with the record: once a curator finds the outlet and fills it in, the
answer changes with it. Three questions per source:

- "publication": what the text tells us about where and when it was published (named or not);
- "interviewer": who asked the questions;
- "confirm:<claim>": for a claim nothing on record supports either way (Claim.evidence
  "no-record"), what would confirm it: the record named for that claim (Claim.would_confirm),
  so no two questions share a key to learn. The wrong choices are the classic mistakes of
  corroboration: a confession the NKVD extracted, a memoir by someone who was not there, a
  later retelling that cites nothing.
"""

from history.models import Evidence, Source
from quiz.models import Kind

from .base import QuestionDraft, Skip, claim_draft, paragraphs, single_choice

KINDS = (Kind.SOURCE_CRITICISM,)

PUBLISHED = {
    (True, True): "It names both the publication and the date",
    (True, False): "It names the publication but not the date",
    (False, True): "It names the date but not the publication",
    (False, False): "It names neither the publication nor the date",
}
# Each is evidence of a kind, which is what makes it tempting; none is independent and checkable.
# Each says its own flaw in the explanation; a question draws three, so two questions on
# unverifiable claims do not share one set of choices to learn by heart.
NOT_CONFIRMING = {
    "An NKVD interrogation record of 1937 in which an arrested man says so": (
        "a statement the NKVD extracted under pressure or torture may say what the interrogators wanted, and "
        "even where it is right it is at most a lead to a record of the time"
    ),
    "A later article that gives this interview as its source": (
        "an article that rests on the interview is the interview again, not a second source"
    ),
    "A memoir written decades later by someone who was not there": (
        "a memoir by someone who was not there may only repeat what its author heard"
    ),
    "A later book that tells the same story without citing a source": (
        "a book that cites nothing may only repeat the story"
    ),
    "Another interview, years later, in which a historian repeats the story": (
        "a second telling, however expert, is not a second source unless it says where the story comes from"
    ),
}


def generate(content, rng):
    sources = Source.objects.filter(pk__in={p.source_id for p in content.passages}).order_by("key")
    for source in sources:
        passages = [p for p in content.passages if p.source_id == source.pk]
        yield publication(rng, source)
        asker = interviewer(rng, source, passages, {f.pk: f for f in content.all_figures})
        if asker is not None:
            yield asker
    for claim in content.claims:
        if claim.evidence == Evidence.NO_RECORD:
            yield confirm(content, rng, claim)


def provenance_note(source) -> str:
    """What a reader should know of where the source comes from: the notes' first paragraph
    (later paragraphs are for curators)."""
    first = source.notes.strip().split("\n\n")[0].strip()
    return first or "The source's record says nothing more about its provenance."


def publication(rng, source):
    key = f"{Kind.SOURCE_CRITICISM}:publication:{source.key}"
    known = (bool(source.publication.strip()), source.date is not None)
    right = PUBLISHED[known]
    what = []
    if known[0]:
        what.append(f"it appeared in {source.publication}")
    if known[1]:
        what.append(f"on {source.date_display}")
    lead = f"{right}: {' '.join(what)}." if any(known) else f"{right}: nothing in it says where or when it appeared."
    return QuestionDraft(
        kind=Kind.SOURCE_CRITICISM,
        generator_key=key,
        prompt=f"What does the text of the interview with {source.interviewee} tell us about where and when it was published?",
        options=single_choice(rng.for_key(key), right, [t for k, t in PUBLISHED.items() if k != known]),
        explanation=paragraphs(
            lead,
            "Before trusting a source, a historian asks who made it, where and when. " + provenance_note(source),
        ),
        difficulty=0.3,
    )


def interviewer(rng, source, passages, figures):
    """Who asked the questions: named in the record, or known only by the label the text prints
    (the turns not spoken by the interviewee)."""
    answering = {
        p.speaker_label for p in passages if getattr(figures.get(p.speaker_id), "name", "") == source.interviewee
    }
    asking = sorted({p.speaker_label for p in passages} - answering)
    if not asking and not source.interviewer.strip():
        return None
    key = f"{Kind.SOURCE_CRITICISM}:interviewer:{source.key}"
    if source.interviewer.strip():
        right = f"{source.interviewer}, named in the text"
        wrong = [
            f"The text does not say; it marks the questions only ‘{asking[0]}’" if asking else "Nobody is named",
            f"{source.interviewee} himself",
        ]
        wrong.append("A journalist whose name the text prints at the top")
    else:
        # Misreadings of what the text does print: a name at the top (the interviewee's), a
        # closing line (a newsletter's), and the label itself, missed. Two choices say the text
        # does not name him, as long as the others, so the answer is neither the only hedge nor
        # the longest (the eighteenth review).
        right = f"The text does not say; it marks the questions only ‘{asking[0]}’"
        wrong = [
            "The text does not say; it leaves the questions unmarked",
            "A journalist whose name the text prints at the top",
            "The editor named in the closing newsletter line",
        ]
    return QuestionDraft(
        kind=Kind.SOURCE_CRITICISM,
        generator_key=key,
        prompt=f"Who asked the questions in the interview with {source.interviewee}?",
        options=single_choice(rng.for_key(key), right, wrong),
        explanation=paragraphs(
            # What the label leaves open is the lesson, not a fold away (the twenty-fourth review).
            f"{right}."
            + (
                f" Nothing in it says who ‘{asking[0]}’ is: the label may stand for the interviewer or for the publication."
                if not source.interviewer.strip()
                else ""
            ),
            "Knowing who asked, and for whom, tells a reader what the interview was for. " + provenance_note(source),
        ),
        difficulty=0.35,
    )


def confirm(content, rng, claim):
    key = f"{Kind.SOURCE_CRITICISM}:confirm:{claim.key}"
    # The record that would confirm this claim, named for it (Claim.would_confirm): one wording
    # for every claim, echoing the prompt's "document anyone can check", was learnt once and
    # picked unread ever after (the fourteenth review).
    right = claim.would_confirm.strip()
    if not right:
        return Skip(Kind.SOURCE_CRITICISM, key, "no curated record that would confirm the claim (Claim.would_confirm)")
    said = content.reported(claim).sentence(mid_sentence=True)
    # A record of the time that is no confirmation is the real trap, so it is always shown; the
    # later retellings beside it vary.
    trap, *later = list(NOT_CONFIRMING)
    wrong = [trap, *rng.rank(key, later, key=str)[:2]]
    flaws = "; ".join(NOT_CONFIRMING[text] for text in wrong)
    return claim_draft(
        Kind.SOURCE_CRITICISM,
        key,
        claim,
        prompt=f"In the interview, {said} Historians have found nothing that settles it either way. "
        "Which of these could confirm it?",
        options=single_choice(rng.for_key(key), right, wrong),
        explanation=paragraphs(
            f"This would confirm it: {right[0].lower()}{right[1:]}, a record made at the time and independent of the "
            "interview.",
            # Each with its own flaw: a confession is not worthless because it repeats a story.
            f"None of the others is such evidence: {flaws}. " + claim.evidence_note.strip(),
        ),
        difficulty=0.45,
    )
