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
from .facts import fold
from .sentences import judged_apart, sentence_holding, sentences_of, unjudged_line

KINDS = (Kind.ATTRIBUTION,)
MIN_DISTRACTORS = 2
NEAR_MISSES = 3
# Of the claim's own near-misses, this many; the rest are near-misses of claims beside it. Each
# own near-miss changes one detail of the key, so three of them made the key the option most like
# all the others, found without reading in 51 of 67 questions (the twenty-third review).
OWN_MISSES = 1


def generate(content, rng):
    sentences = sentences_of(content)
    # Every claim's statement as folded words, once: a near-miss that is one of them is said.
    statements = {fold(content.reported(c).core) for c in content.claims}
    for claim in content.claims:
        yield says(content, rng, claim, sentence_holding(sentences, claim), statements)


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


def curated(claim) -> list[dict]:
    return [m for m in claim.near_misses if m.get("text", "").strip()][:NEAR_MISSES]


def beside(content, claim) -> list:
    """Claims of the same speaker in the same turn, or about the same people (Stalin aside, whom
    nearly every claim concerns): their near-misses are on the claim's subject."""
    people = {f.key for f in claim.figure_list} - {"stalin"}
    return [
        c
        for c in content.claims
        if c is not claim
        and c.speaker_id == claim.speaker_id
        and (c.passage_id == claim.passage_id or people & {f.key for f in c.figure_list})
    ]


def wrong_choices(content, rng, key, claim, core, statements) -> list[dict]:
    """One of the claim's own near-misses, then near-misses of the claims beside it, those of its
    own turn and of the key's length first; never one that is some claim's statement (the same
    words in the same order, as `fold` reads them: "Yagoda replaced Yezhov" is not "Yezhov
    replaced Yagoda"), or the key."""

    def unsaid(miss) -> bool:
        return fold(miss["text"]) not in statements

    mine = [m for m in curated(claim) if unsaid(m)]
    own = rng.for_key(key).sample(mine, k=min(OWN_MISSES, len(mine)))
    theirs = [(other, miss) for other in beside(content, claim) for miss in curated(other) if unsaid(miss)]
    ranked = rng.rank(key, theirs, key=lambda pair: pair[1]["text"])
    ranked.sort(key=lambda pair: (pair[0].passage_id != claim.passage_id, abs(len(pair[1]["text"]) - len(core)) // 30))
    chosen = list(own)
    for _, miss in ranked:
        if len(chosen) == NEAR_MISSES:
            break
        if fold(miss["text"]) not in {fold(m["text"]) for m in chosen}:
            chosen.append(miss)
    # Too few beside it: the claim's own make up the rest.
    chosen += [m for m in mine if m not in chosen][: NEAR_MISSES - len(chosen)]
    return chosen


def says(content, rng, claim, sentence=None, statements=frozenset()):
    key = f"{Kind.ATTRIBUTION}:says:{claim.key}"
    if len(curated(claim)) < MIN_DISTRACTORS:
        return Skip(Kind.ATTRIBUTION, key, "fewer than two curated near-misses for this claim")
    reported = content.reported(claim)
    misses = wrong_choices(content, rng, key, claim, reported.core, statements)
    if len(misses) < MIN_DISTRACTORS:
        return Skip(Kind.ATTRIBUTION, key, "fewer than two near-misses the interview does not say elsewhere")
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
