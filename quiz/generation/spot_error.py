"""Spot the error — which of these sentences of the interview do historians contradict?

One question per contradicted claim whose words lie in one sentence, and are wrong as they
stand: a claim judged for a year the sentence does not give is left to the other kinds. The wrong choices are
sentences historians corroborate as a whole: every claim quoting words of them is
corroborated and those claims' quotes cover nearly all of the sentence, so no unassessed words
(which might hold an error nobody has noted) and no disputed or unverifiable words (which a
student could fairly call wrong) are ever offered as sound. Sentences from the same passage
come first, then the nearest passages. The explanation gives the established fact.

Every choice must read alone (no "He …", "These people …" whose referent is in the passage, unless
an editor's insertions say who: "He [Kirov] was …", from Claim.gloss), and
the error must not stand out unread: the only sentence stating a year, or the longest by far, is
not asked. The interview holds few sentences sound as a whole, so each is offered three times at most:
offered in every question, it is learnt and passed over, and the one unfamiliar sentence is the
answer. Errors past that are asked by the other kinds only.
"""

from quiz.models import Kind

from .base import Skip, claim_draft, nested_lines, note_opening, paragraphs, single_choice
from .content import YEAR
from .sentences import as_option, covered, judged_apart, sentence_holding, sentences_of, unjudged_line, whose

KINDS = (Kind.SPOT_ERROR,)
MIN_DISTRACTORS, DISTRACTORS = 2, 3
# A sound sentence offered in more questions than this becomes one a student learns to pass
# over, and the unfamiliar sentence is the answer: the questions past it are not asked.
MOST_USES = 3
# Lengths within this many characters of each other read alike (45 let the attempt to depose
# Stalin, 32 longer than any sound sentence, stand out unread: the twenty-third review).
LENGTH_STEP = 30
# The share of a sound sentence's letters that corroborated quotes must cover.
COVERED = 0.9
# A sound sentence shorter than this is too bare to be judged on its own.
SOUND_MIN_WORDS = 8
# Said wherever a glossed sentence is offered, so no student takes the insertions for the interview's.
INSERTIONS_NOTE = (
    "Words in [square brackets] are added to say whom or what a sentence is about; they are not the interview’s."
)


def letters(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def covered_share(sentence) -> float:
    """How much of the sentence the quotes of its claims cover, by letters."""
    own = sentence.passage.text[sentence.start : sentence.end]
    share = sum(1 for ch, mark in zip(own, covered(sentence)) if mark and ch.isalnum())
    return share / max(1, letters(own))


def judged_for_unstated_year(claim, sentence) -> bool:
    """Whether the claim is judged for a year the sentence does not state: read alone, the
    sentence is then neither plainly sound nor plainly wrong ("the industry was developing very
    weakly", judged for 1934; "It soon became obvious …", judged for 1932-34)."""
    return bool(set(YEAR.findall(claim.statement)) - set(YEAR.findall(sentence.text)))


def undated_scope(sentence) -> bool:
    """Whether a claim on the sentence holds only at a time the sentence does not state."""
    return any(judged_for_unstated_year(c, sentence) for c in sentence.claims)


def sound(sentence) -> bool:
    """A sentence historians corroborate as a whole, whenever it is read, and which says on its
    own what it is about: safe to offer as containing no error. "These people were not exactly
    'Trotskyites'" cannot be judged without the passage, and "The court was open to public" is
    true of the trials' form only, which the passage around it qualifies (the fourteenth review)."""
    return (
        sentence.offerable
        and len(sentence.text.split()) >= SOUND_MIN_WORDS
        and sentence.reads_alone
        and sentence.labels == {"corroborated"}
        and covered_share(sentence) >= COVERED
        and not undated_scope(sentence)
    )


def shown(sentence) -> str:
    """The sentence as the student reads it, insertions and all."""
    return sentence.gloss or sentence.text


def gives_itself_away(wrong_one, chosen) -> str:
    """Why the erroneous sentence stands out from the sound ones unread, or "": the only one
    stating a year (the review found the year errors picked for their dates alone), or longer
    than all of them by far."""
    if YEAR.search(wrong_one.text) and not any(YEAR.search(s.text) for s in chosen):
        return "the only sentence among the choices that states a year"
    if len(shown(wrong_one)) > max(len(shown(s)) for s in chosen) + LENGTH_STEP:
        return "longer by far than every sound sentence there is to offer"
    return ""


def generate(content, rng):
    sentences = sentences_of(content)
    pool = [s for s in sentences if sound(s)]
    asked = {}  # sentence -> the slot asking it: two errors in one sentence make one question
    used = {}  # sentence -> how many questions offer it as sound: spread them, or students learn them
    for claim in content.claims:
        if claim.assessment != "contradicted":
            continue
        key = f"{Kind.SPOT_ERROR}:{claim.key}"
        wrong_one = sentence_holding(sentences, claim)
        if wrong_one is None or not wrong_one.offerable:
            yield Skip(Kind.SPOT_ERROR, key, "the claim's words do not lie in one sentence fit to offer")
            continue
        if judged_for_unstated_year(claim, wrong_one):
            yield Skip(Kind.SPOT_ERROR, key, "the error depends on a date the sentence does not state")
            continue
        if not wrong_one.reads_alone:
            # "They were Stalin's close associates": who? Read alone, it cannot be judged wrong.
            yield Skip(Kind.SPOT_ERROR, key, "the sentence does not say on its own whom or what it is about")
            continue
        first = asked.setdefault((wrong_one.passage.pk, wrong_one.start), key)
        if first != key:
            yield Skip(Kind.SPOT_ERROR, key, f"the same sentence as {first}")
            continue
        yield question_for(content, rng, key, claim, wrong_one, pool, used)


def question_for(content, rng, key, claim, wrong_one, pool, used):
    here = claim.passage.position
    fresh = [s for s in pool if not s.overlaps(wrong_one) and used.get(id(s), 0) < MOST_USES]
    ranked = rng.rank(key, fresh, key=lambda s: (s.passage.position, s.start))
    # The least offered first, then those about the error's people (three sentences on Kirov
    # beside the one on the conspirators gave it away: the twenty-fifth review), then those
    # nearest the error's length (a long sentence among short ones is picked for its length),
    # then the nearest (stable: seeded within each).
    size = len(shown(wrong_one))
    people = {f.key for f in claim.figure_list} - {"stalin"}

    def about_others(sentence) -> bool:
        return not any(people & {f.key for f in c.figure_list} for c in sentence.claims)

    ranked.sort(
        key=lambda s: (
            used.get(id(s), 0),
            about_others(s),
            abs(len(shown(s)) - size) // LENGTH_STEP,
            abs(s.passage.position - here),
        )
    )
    chosen = ranked[:DISTRACTORS]
    if len(chosen) < MIN_DISTRACTORS:
        return Skip(Kind.SPOT_ERROR, key, "too few sentences historians corroborate as a whole, not yet offered thrice")
    if reason := gives_itself_away(wrong_one, chosen):
        return Skip(Kind.SPOT_ERROR, key, f"the error is {reason}")
    for sentence in chosen:
        used[id(sentence)] = used.get(id(sentence), 0) + 1
    same_passage = sum(s.passage.position == here for s in chosen)
    speaker = whose(content, claim)
    which, words = f"the sentence from §{here}" + (f", {speaker}" if speaker else ""), claim.quote.strip()
    # A sentence holding other claims too: name the words that are wrong, not the whole sentence
    # (in the lead when short, else after it, or the lead runs on).
    shared = len(wrong_one.claims) > 1
    others_wrong = any(c is not claim and c.assessment == "contradicted" for c in wrong_one.claims)
    if content.nested_claims(claim):
        # Words holding a part judged otherwise are named by what the claim says of whom: "Historians
        # contradict “They were Stalin's close associates …”" over Yenukidze's corroborated friendship
        # took back in its next paragraph what it had just taught (the twenty-second review).
        which = f"that {content.reported(claim).clause_naming_speaker()} (§{here}{', ' + speaker if speaker else ''})"
    elif shared and len(words.split()) <= 10:
        which = f"“{words}” (§{here}{', ' + speaker if speaker else ''})"
    explanation = paragraphs(
        f"Historians contradict {which}. {note_opening(claim.note)}",
        # "Among": another part of the sentence may be contradicted too, and is listed after.
        f"{'Among the words they contradict' if others_wrong else 'The words they contradict'}: “{words}”."
        if shared and which.startswith("the sentence")
        else "",
        # The rest of the sentence, which the student also picked, with its own verdicts.
        nested_lines(judged_apart(content, claim, wrong_one), asked=claim),
        unjudged_line(wrong_one),
        "The other sentences are ones historians corroborate.",
        INSERTIONS_NOTE if any(s.gloss for s in (wrong_one, *chosen)) else "",
    )
    return claim_draft(
        Kind.SPOT_ERROR,
        key,
        claim,
        prompt="Which of these sentences from the interview do historians contradict?",
        options=single_choice(
            rng.for_key(key), as_option(wrong_one, glossed=True), [as_option(s, glossed=True) for s in chosen]
        ),
        explanation=explanation,
        # The whole sentence is what the student picked out, so it is what the question cites.
        quote=wrong_one.text,
        # Wrong choices from the same turn read alike and are harder to tell apart.
        difficulty=0.5 + 0.1 * same_passage,
    )
