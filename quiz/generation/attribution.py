"""According to the interview — source reading, about what the interview SAYS.

Two questions per claim where the content allows:
- "says": which of these does the speaker say? The wrong choices are the claim's curated
  near-misses (Claim.near_misses): statements the interview does not make but a careless
  reader might think it does (a person from the same passage put in, the words twisted, what
  historians say instead). Each carries, as its feedback, what the interview says instead.
  A claim nobody curated near-misses for is not asked: swapping a name or a year into the
  statement by machine gave absurd choices ("Menzhinsky's economic policies") and choices
  presupposing murders that never happened.
- "names": whom does the speaker name here? The statement with one person blanked; the
  wrong choices are people the interview does not connect with the claim. Never a gap keyed
  to the person a student guesses when unsure (content.default_guess), never a gap beside
  words of a death ("___'s murder": every wrong name would presuppose a death that did not
  happen), and no person keys more than a fifth of these (base.balance).

The interview is not always right: every explanation gives the historians' verdict, so an
error is never taught as fact.
"""

import re

from quiz.answer_modes import OptionDraft
from quiz.models import Kind

from .base import (
    BLANK,
    Skip,
    assessment_sentence,
    balance,
    choice_options,
    claim_draft,
    mean_closeness,
    name_gap_fault,
    paragraphs,
    quoted,
    stand_ins_for,
)
from .content import distinct_figures, fate_beside, replace_hits

KINDS = (Kind.ATTRIBUTION,)
MIN_DISTRACTORS = 2
NEAR_MISSES = 3


def generate(content, rng):
    for claim in content.claims:
        yield says(content, rng, claim)
    yield from balance(rng, Kind.ATTRIBUTION, [names(content, rng, claim) for claim in content.claims], named)


def named(draft) -> str:
    return next(o.text for o in draft.options if o.is_correct)


def says_prompt(reported) -> str:
    if reported.verb:
        return f"According to the interview, which of these does {reported.who_in_sentence} say?"
    return "According to the interview, which of these is what the interview says?"


def explained(content, claim, lead) -> str:
    """The lead, then the historians' verdict (what the interview says is never taught as
    fact), then the interview's own words."""
    return paragraphs(
        f"{lead} {assessment_sentence(claim, content.nested_claims(claim))}",
        f"In the interview’s words (§{claim.passage.position}): {quoted(claim.quote)}",
    )


def says(content, rng, claim):
    key = f"{Kind.ATTRIBUTION}:says:{claim.key}"
    misses = [m for m in claim.near_misses if m.get("text", "").strip()][:NEAR_MISSES]
    if len(misses) < MIN_DISTRACTORS:
        return Skip(Kind.ATTRIBUTION, key, "fewer than two curated near-misses for this claim")
    reported = content.reported(claim)
    options = [OptionDraft(text=reported.core, is_correct=True)] + [
        OptionDraft(text=m["text"].strip(), feedback=m["why"].strip()) for m in misses
    ]
    rng.for_key(key).shuffle(options)
    lead = (
        f"{reported.who} says this in §{claim.passage.position}; each of the other statements changes what "
        "the interview says."
    )
    return claim_draft(
        Kind.ATTRIBUTION,
        key,
        claim,
        prompt=says_prompt(reported),
        options=options,
        explanation=explained(content, claim, lead),
        # Curated near-misses are as close as wrong choices get.
        difficulty=0.55,
    )


def named_in_words(content, person, text) -> bool:
    """Whether `text` names the person in so many words: "He …" does not, nor "anti-Stalinist"."""
    return any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text) for n in content.names(person))


def names(content, rng, claim):
    key = f"{Kind.ATTRIBUTION}:names:{claim.key}"
    reported = content.reported(claim)
    statement = reported.core
    hits = content.find_names(statement)
    people = [p for p in rng.rank(key, distinct_figures(hits), key=lambda f: f.key) if p != content.default_guess]
    people = [p for p in people if not fate_beside(statement, [h for h in hits if h.figure == p])]
    # "Whom does X name?" is only true of a name the speaker's turn actually says; and the gap is
    # for someone the claim is about, so the verdict that follows is about the name asked.
    people = [p for p in people if named_in_words(content, p, claim.passage.text) and p in claim.figure_list]
    if not people:
        return Skip(Kind.ATTRIBUTION, key, "the statement names nobody the claim is about but the usual guess")
    faults = [name_gap_fault(content, claim, p, statement) for p in people]
    people = [p for p, fault in zip(people, faults) if not fault]
    if not people:
        return Skip(Kind.ATTRIBUTION, key, faults[0])
    for person in people:
        chosen = stand_ins_for(content, rng, key, claim, person)
        if len(chosen) >= MIN_DISTRACTORS:
            break
    else:
        return Skip(Kind.ATTRIBUTION, key, "too few people the interview does not connect with this claim")
    blanked = replace_hits(statement, [h for h in hits if h.figure == person], lambda h: BLANK)
    return claim_draft(
        Kind.ATTRIBUTION,
        key,
        claim,
        # The statement is our paraphrase, not a quotation: no quotation marks around it.
        prompt=f"According to the interview, whom does {reported.who_in_sentence} name in the gap? In our words: {blanked}",
        options=choice_options(rng, key, person.name, chosen),
        explanation=explained(content, claim, f"{reported.who} names {person.name} here (§{claim.passage.position})."),
        difficulty=0.3 + 0.4 * mean_closeness(chosen),
        figures=[person],
    )
