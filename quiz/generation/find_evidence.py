"""Find the evidence — which sentence of the interview makes this claim?

One question per claim whose words lie in one sentence. The statement is given in our words;
the choices are sentences of the interview (the claim's own passage first, then the nearest),
so the student has to find the words, not recognise a name. A wrong choice never overlaps the
claim's quote and holds no claim about the same events or the same thing (content.topic_words),
so no other sentence could fairly be said to make the claim too; but the claim's curated decoys
(Claim.decoys), sentences on its subject judged by hand not to make it, come first, and the answer
is never the only choice naming the prompt's person. Finding the words is not
proving them: the feedback says what historians think of the claim.
"""

from quiz.models import Kind

from .base import (
    SUGGESTED,
    Skip,
    about_someone_else,
    claim_draft,
    elided,
    nested_lines,
    paragraphs,
    short_reason,
    single_choice,
)
from .content import YEAR, normalise
from .facts import fold
from .sentences import as_option, judged_apart, sentence_holding, sentences_of, unjudged_line, whose

KINDS = (Kind.FIND_EVIDENCE,)
MIN_DISTRACTORS, DISTRACTORS = 2, 3
# Turns this far apart are different exchanges of the interview.
FAR = 2
# Sentence lengths within this many characters of each other read alike.
LENGTH_STEP = 80


def alongside(right, sentence) -> bool:
    """The sentence just before or after the claim's own often carries the same thought on
    ("So they created their own plan …" / "… made an attempt to depose Stalin")."""
    if sentence.passage.pk != right.passage.pk:
        return False
    return 0 <= sentence.start - right.end <= 3 or 0 <= right.start - sentence.end <= 3


def shares_a_year(claim, sentence) -> bool:
    """Sentences dated alike are often about the same thing ("arrested in 1932" / "detained
    between 1932 and 1934")."""
    return bool(set(YEAR.findall(claim.quote)) & set(YEAR.findall(sentence.text)))


def about_the_same(content, claim, sentence) -> bool:
    """Whether a sentence holds words of the claim or of a claim on the same events, the same
    topic or the same people: "Svanidze was writing to Stalin that he was planning to oust him"
    could fairly be said to make the claim that Svanidze let the cat out of the bag. Stalin, whom
    nearly every claim concerns, does not count. A sentence in another part of the interview
    that names the person outright, and is about other events and other things ("the congress
    gave more votes to Kirov" for Kirov's murder as a pretext), is not about the same: without
    such sentences the answer is the only choice naming the prompt's person."""
    topic, events = content.topic_words(claim), set(claim.event_list)
    people = {f.key for f in claim.figure_list} - {"stalin"}
    far = abs(sentence.passage.position - claim.passage.position) >= FAR
    named = {f.key for f in content.figures_named_in(sentence.text)}
    for other in sentence.claims:
        if other is claim or set(other.event_list) & events or content.topic_words(other) & topic:
            return True
        shared = people & {f.key for f in other.figure_list}
        if shared and not (far and shared <= named):
            return True
    return False


# A prompt sharing this many words in a row with the answer is answered by matching them (the
# twenty-second review: "that most of the people arrested in 1932 were exonerated a while later";
# the twenty-fourth: "practically ended in fiasco", four words, is matched as readily).
COPIED_WORDS = 4


def copied_run(prompt: str, sentence: str) -> int:
    """The most words in a row the prompt and the sentence share, read as folded words."""
    mine, theirs = fold(prompt).split(), fold(sentence).split()
    best = 0
    for i in range(len(mine)):
        for j in range(len(theirs)):
            run = 0
            while i + run < len(mine) and j + run < len(theirs) and mine[i + run] == theirs[j + run]:
                run += 1
            best = max(best, run)
    return best


def decoy_sentences(claim, right, pool) -> list:
    """The sentences holding the claim's decoys (Claim.decoys), in the interview's order."""
    return [s for s in pool if not s.overlaps(right) and any(d in s.claims for d in claim.decoy_list)]


def named_in(content, text: str) -> set[str]:
    """The people a text names outright, Stalin aside (nearly every sentence concerns him)."""
    return {f.key for f in content.figures_named_in(text)} - {"stalin"}


def with_a_namesake_sentence(content, prompt, right, ranked) -> list | None:
    """The wrong choices: the nearest, one of them naming someone the prompt and the answer
    both name, where one does. None when none does: the answer would be the only choice naming
    the prompt's person, found by the name and not by reading."""
    chosen = ranked[:DISTRACTORS]
    wanted = named_in(content, prompt) & named_in(content, right.text)
    if not wanted or any(named_in(content, s.text) & wanted for s in chosen):
        return chosen
    naming = next((s for s in ranked[DISTRACTORS:] if named_in(content, s.text) & wanted), None)
    return None if naming is None else [*chosen[: DISTRACTORS - 1], naming]


def generate(content, rng):
    sentences = sentences_of(content)
    pool = [s for s in sentences if s.offerable]
    for claim in content.claims:
        key = f"{Kind.FIND_EVIDENCE}:{claim.key}"
        right = sentence_holding(sentences, claim)
        if right is None or not right.offerable:
            yield Skip(Kind.FIND_EVIDENCE, key, "the claim's words do not lie in one sentence fit to offer")
            continue
        candidates = [
            s
            for s in pool
            if not s.overlaps(right)
            and not about_the_same(content, claim, s)
            and not alongside(right, s)
            and not shares_a_year(claim, s)
        ]
        here = claim.passage.position
        ranked = rng.rank(key, candidates, key=lambda s: (s.passage.position, s.start))
        # The claim's own turn first, then sentences near the answer's length (the nineteenth
        # review found the answer the longest choice in 26 of 62), then the nearest turns.
        size = len(right.text)
        ranked.sort(
            key=lambda s: (
                s.passage.position != here,
                abs(len(s.text) - size) // LENGTH_STEP,
                abs(s.passage.position - here),
            )
        )
        # The curated decoys first: on the claim's subject, so the answer is not the only
        # sentence about it, and judged by hand not to make it.
        decoys = decoy_sentences(claim, right, pool)
        ranked = decoys + [s for s in ranked if all(s is not d for d in decoys)]
        reported = content.reported(claim, paraphrased=True)
        if copied_run(reported.clause or reported.core, right.text) >= COPIED_WORDS:
            yield Skip(
                Kind.FIND_EVIDENCE, key, "the prompt would copy a run of the answer's words: paraphrase the claim"
            )
            continue
        prompt = prompt_for(reported)
        chosen = with_a_namesake_sentence(content, prompt, right, ranked)
        if chosen is None:
            yield Skip(Kind.FIND_EVIDENCE, key, "the answer would be the only sentence naming the prompt's person")
            continue
        if len(chosen) < MIN_DISTRACTORS:
            yield Skip(Kind.FIND_EVIDENCE, key, "too few sentences about something else")
            continue
        yield question_for(content, rng, key, claim, right, chosen, prompt)


# The longest lead: the finding, the verdict, its reason (dropped when it would run longer).
LEAD_WORDS = 60
# Claim words up to this long are quoted in the lead's first sentence; longer ones follow it.
QUOTED_IN_LEAD = 15
# The finding's sentence stays within a glance: what sets the answer apart is dropped past it.
FINDING_WORDS = 35


def verdict_lead(claim, apart) -> str:
    if claim.assessment == "corroborated":
        verdict = "Historians agree with the claim."
    else:
        label = claim.get_assessment_display().lower()
        verdict = f"Careful: finding the words is not proving them — the claim is {label}."
    if apart:
        # "A further claim", not "another part of the sentence": it may be the same words said of
        # someone else ("his old friends", of Yenukidze) or words holding these (the twenty-second review).
        verdict += (
            " The sentence also makes a further claim, with its own verdict."
            if len(apart) == 1
            else " The sentence also makes further claims, with their own verdicts."
        )
    return verdict


def others_lines(claim, chosen) -> list[str]:
    """What the wrong choices are, fullest first: "about other things", unless a curated decoy
    on the claim's own subject is among them, which is not about another thing; then what sets
    the answer apart, where it is the year ("Kirov's assassination was a perfect reason …"
    gives none)."""
    decoys = claim.decoy_list
    if not any(d in s.claims for s in chosen for d in decoys):
        return ["the others are about other things"]
    years = YEAR.findall(claim.quote)
    if len(years) == 1 and not any(years[0] in s.text for s in chosen):
        return [f"the others do not make it: none of them gives {years[0]}", "the others do not make it"]
    return ["the others do not make it"]


def named_words(content, claim, words) -> bool:
    """Whether the words left once the claims inside the quote are cut out still name the
    people the quote names: "The most active members were … and …" says nothing of whom, and
    "In 1936, … was substituted by a new minister Yezhov" not whom he replaced."""
    named = {f.pk for f in content.figures_named_in(claim.quote)}
    return named <= {f.pk for f in content.figures_named_in(words)}


def finding_for(content, claim, right, words, at, others) -> tuple[str, str]:
    """(the finding's sentence, the claim's words to show after it when too long to quote in it).
    A claim the interview only suggests is said to be suggested, not made (the twentieth review)."""
    suggested = bool(SUGGESTED.match(claim.statement))
    makes, make = ("suggests", "suggest") if suggested else ("makes", "make")
    others = others.replace("do not make it", "do not") if suggested else others
    if normalise(words) == normalise(right.text):
        return f"The whole sentence of {at} {makes} the claim; {others}.", ""
    if not named_words(content, claim, words):
        # Cut to its connecting words, the quote would say nothing; the parts judged apart,
        # listed after, are where the names are.
        return f"This sentence of {at} {makes} the claim; {others}.", ""
    if len(words.split()) <= QUOTED_IN_LEAD:
        return f"The words “{words.rstrip('.')}” in this sentence of {at} {make} the claim; {others}.", ""
    return (
        f"This sentence of {at} {makes} the claim, in the words below; {others}.",
        f"The claim’s words: “{words.rstrip('.')}”.",
    )


def explanation_for(content, claim, right, apart, chosen) -> str:
    # The words that make the claim, in the lead: "the sentence of §8 makes the claim" alone
    # never says which words do. Words of claims inside them are left out (elided): they are
    # judged apart, and listed after.
    # Not the words of a claim about someone else on the same words ("his old friends" said of
    # Yenukidze): they make this claim too, and cut out they leave "They were …".
    apart_words = [c.quote for c in content.nested_claims(claim) if not about_someone_else(c, claim)]
    words = elided(claim.quote, apart_words)
    speaker = whose(content, claim)
    at = f"§{claim.passage.position}, {speaker}," if speaker else f"§{claim.passage.position}"
    *fuller, others = others_lines(claim, chosen)
    # The fullest account of the others that keeps the finding within a glance.
    others = next(
        (o for o in fuller if len(finding_for(content, claim, right, words, at, o)[0].split()) <= FINDING_WORDS), others
    )
    finding, shown = finding_for(content, claim, right, words, at, others)
    lead = f"{finding} {verdict_lead(claim, apart)}"
    reason = short_reason(claim) if claim.assessment != "corroborated" else ""
    # Why historians doubt it, in the lead where it fits, or a bare "contradicted" beside a name
    # reads as denying the person's part; else first in the detail.
    fits = reason and len(f"{lead} {reason}".split()) <= LEAD_WORDS
    return paragraphs(
        f"{lead} {reason}" if fits else lead,
        shown,
        "" if fits else reason,
        nested_lines(apart, asked=claim),
        unjudged_line(right),
    )


def prompt_for(reported) -> str:
    """The claim without its speaker: "The interviewer says …" over one line of the
    interviewer's among the professor's would be answered by telling the speakers apart."""
    if reported.verb:
        # Without "Maskharashvili says", his "he" ("the men he names") would point elsewhere.
        clause = reported.clause_naming_speaker()
        if reported.verb == "suggests":
            return f"Which sentence of the interview suggests this: that {clause}?"
        return f"Which sentence of the interview makes this claim: that {clause}?"
    return f"Which sentence of the interview makes this claim? {reported.sentence()}"


def decoy_feedback(content, claim, sentence) -> str:
    """What a curated decoy says instead, for a student who picked it: "So they created their own
    plan …" is the closest wrong choice to "made an attempt", and nothing said why (the
    twenty-third review)."""
    decoy = next((d for d in claim.decoy_list if d in sentence.claims), None)
    if decoy is None:
        return ""
    said = f"This sentence says something else: that {content.reported(decoy).clause_naming_speaker()}"
    # With its own verdict: "that Stalin called for a new constitution in 1934", bare, taught the
    # interview's wrong year as neutral fact (the twenty-fourth review).
    if decoy.assessment != "corroborated":
        said += f"; historians judge this {decoy.assessment}"
    years = YEAR.findall(claim.quote)
    if len(years) == 1 and years[0] not in sentence.text:
        said += f". It does not give {years[0]}"
    return f"{said}."


def question_for(content, rng, key, claim, right, chosen, prompt):
    explanation = explanation_for(content, claim, right, judged_apart(content, claim, right), chosen)
    same_passage = sum(s.passage.position == claim.passage.position for s in chosen)
    options = single_choice(rng.for_key(key), as_option(right), [as_option(s) for s in chosen])
    said_instead = {as_option(s): decoy_feedback(content, claim, s) for s in chosen}
    for option in options:
        option.feedback = said_instead.get(option.text, "")
    return claim_draft(
        Kind.FIND_EVIDENCE,
        key,
        claim,
        prompt=prompt,
        options=options,
        explanation=explanation,
        difficulty=0.35 + 0.1 * same_passage,
    )
