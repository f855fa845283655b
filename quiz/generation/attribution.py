"""According to the interview — source reading, about what the interview SAYS.

One question per claim where the content allows:
- "says": which of these does the speaker say? The wrong choices are the claim's curated
  near-misses (Claim.near_misses): statements the interview does not make but a careless
  reader might think it does (a person from the same passage put in, the words twisted, what
  historians say instead). Each carries, as its feedback, what the interview says instead.
  A claim nobody curated near-misses for is not asked: swapping a name or a year into the
  statement by machine gave absurd choices ("Menzhinsky's economic policies") and choices
  presupposing murders that never happened.
No "whom does the speaker name?" gap: whatever name was offered as wrong, someone in the 1930s
made the sentence true of them too (Molotov was Stalin's close associate, Kamenev his old
comrade), and a name offered as wrong with "historians agree" after it teaches that it was not.
The quotation gaps (cloze) ask names in the interview's own words instead.

The interview is not always right: every explanation gives the historians' verdict, so an
error is never taught as fact.
"""

from quiz.answer_modes import OptionDraft
from quiz.models import Kind

from .base import (
    Skip,
    after_lead,
    claim_draft,
    paragraphs,
    quoted,
)
from .sentences import judged_apart, sentence_holding, sentences_of, unjudged_line

KINDS = (Kind.ATTRIBUTION,)
MIN_DISTRACTORS = 2
NEAR_MISSES = 3


def generate(content, rng):
    sentences = sentences_of(content)
    for claim in content.claims:
        yield says(content, rng, claim, sentence_holding(sentences, claim))


# The reporting verb as the prompt asks with it: a claim the speaker only suggests is asked as
# suggested ("does Maskharashvili suggest?"), not as said (the fourteenth review: Kirov "a new
# face" is his implication, asked as his words). Verbs that read oddly in a question ask "say".
ASKED_AS_SAY = {"says", "agrees", "adds", "states"}


def asked_verb(verb: str) -> str:
    return "say" if verb in ASKED_AS_SAY else verb.removesuffix("s")


def says_prompt(reported) -> str:
    if reported.verb:
        return (
            f"According to the interview, which of these does {reported.who_in_sentence} {asked_verb(reported.verb)}?"
        )
    return "According to the interview, which of these is what the interview says?"


def explained(content, claim, lead, sentence=None) -> str:
    """The lead, then the historians' verdict (what the interview says is never taught as
    fact), then the interview's own words: the whole sentence, since a claim's quote may be a
    fragment ("It soon became obvious") that shows nothing alone."""
    words = sentence.text if sentence is not None else claim.quote
    # The whole sentence is printed, so every claim on it that this verdict does not cover is
    # named with its own ("Historians agree" stood over "… and their clout was limitless",
    # contradicted, in the fifteenth review), not only those inside the claim's quote.
    apart = judged_apart(content, claim, sentence) if sentence is not None else content.nested_claims(claim)
    return paragraphs(
        after_lead(lead, claim, apart),
        f"In the interview’s words (§{claim.passage.position}): {quoted(words)}",
        unjudged_line(sentence),
    )


def says(content, rng, claim, sentence=None):
    key = f"{Kind.ATTRIBUTION}:says:{claim.key}"
    misses = [m for m in claim.near_misses if m.get("text", "").strip()][:NEAR_MISSES]
    if len(misses) < MIN_DISTRACTORS:
        return Skip(Kind.ATTRIBUTION, key, "fewer than two curated near-misses for this claim")
    reported = content.reported(claim)
    options = [OptionDraft(text=reported.core, is_correct=True)] + [
        OptionDraft(text=m["text"].strip(), feedback=m["why"].strip()) for m in misses
    ]
    rng.for_key(key).shuffle(options)
    said = "says" if reported.verb in ASKED_AS_SAY or not reported.verb else reported.verb
    lead = (
        f"{reported.who} {said} this in §{claim.passage.position}; each of the others changes what the interview says."
    )
    return claim_draft(
        Kind.ATTRIBUTION,
        key,
        claim,
        prompt=says_prompt(reported),
        options=options,
        explanation=explained(content, claim, lead, sentence),
        # Curated near-misses are as close as wrong choices get.
        difficulty=0.55,
    )
