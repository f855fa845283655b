"""According to the interview — source reading, about what the interview SAYS.

Two questions per claim where the content allows:
- "says": which of these statements does the speaker make? The wrong choices are the
  claim's statement with one name or one year changed, to something the interview does
  not say (no name the interview connects with the claim, no year its passage uses).
- "names": whom does the speaker name here? The statement with one person blanked; the
  wrong choices are people the interview does not connect with the claim.

The interview is not always right: every explanation gives the historians' assessment,
so an error is never taught as fact.
"""

import re

from quiz.models import Kind

from .base import QuestionDraft, Skip, assessment_sentence, choose_distractors, clamp_difficulty, quoted, single_choice
from .content import YEAR, option_key

KINDS = (Kind.ATTRIBUTION,)
BLANK = "_____"
MIN_DISTRACTORS = 2


def generate(content, rng):
    statements = {option_key(content.reported(c).core) for c in content.claims}
    for claim in content.claims:
        yield says(content, rng, claim, statements)
        yield names(content, rng, claim)


def replace_hits(text, hits, replacement):
    """Replace the given name occurrences (from the end, so offsets stay valid)."""
    for hit in sorted(hits, key=lambda h: h.start, reverse=True):
        text = text[: hit.start] + replacement(hit) + text[hit.end :]
    return text


def says(content, rng, claim, statements):
    key = f"{Kind.ATTRIBUTION}:says:{claim.key}"
    reported = content.reported(claim)
    statement = reported.core
    period = content.period_of(claim)
    variants = []  # (text, closeness)
    hits = content.find_names(statement)
    stand_ins = content.uninvolved(claim)
    for figure in {h.figure.key: h.figure for h in hits}.values():
        own = [h for h in hits if h.figure == figure]
        for other in stand_ins:
            changed = replace_hits(
                statement, own, lambda h, other=other: other.name if h.text == figure.name else other.short_name
            )
            variants.append((changed, 0.6 * content.plausibility(other, period)))
    passage_years = set(YEAR.findall(claim.passage.text))
    # Where historians doubt the claim, its year may be the error: a changed year could be
    # the true one, and marking the truth "wrong" would mislead. Vary years only in sound claims.
    years = YEAR.finditer(statement) if claim.assessment == "corroborated" else ()
    for match in {m.group(0): m for m in years}.values():
        for step in (-2, -1, 1, 2):
            year = str(int(match.group(0)) + step)
            if year in passage_years:
                continue  # a year the passage uses might make the changed sentence true to it
            changed = re.sub(rf"(?<!\d){match.group(0)}(?!\d)", year, statement)
            variants.append((changed, 1.0 if abs(step) == 1 else 0.7))
    # A changed sentence that happens to be another claim's statement is something the interview says.
    variants = [v for v in variants if option_key(v[0]) not in statements]
    chosen = choose_distractors(rng, key, variants, text=lambda v: v[0], closeness=lambda v: v[1], forbidden=[statement])
    if len(chosen) < MIN_DISTRACTORS:
        return Skip(Kind.ATTRIBUTION, key, "no names or years in the statement to vary into wrong choices")
    speaker = reported.who_in_sentence
    if reported.verb:
        prompt = f"According to the interview, which of these does {speaker} say?"
    else:
        prompt = "According to the interview, which of these is what the interview says?"
    explanation = (
        f"{reported.sentence()} In the interview’s words (§{claim.passage.position}): {quoted(claim.quote)} "
        "The other choices change a name or a year: they are not what the interview says, whether or not "
        f"they are true. {assessment_sentence(claim, content.nested_claims(claim))}"
    )
    mean = sum(c for _, _, c in chosen) / len(chosen)
    return QuestionDraft(
        kind=Kind.ATTRIBUTION,
        generator_key=key,
        prompt=prompt,
        options=single_choice(rng.for_key(key), statement, [t for _, t, _ in chosen]),
        explanation=explanation,
        passage=claim.passage,
        quote=claim.quote,
        claim=claim,
        figures=[f for f in claim.figure_list if not f.is_participant],
        events=claim.event_list,
        difficulty=clamp_difficulty(0.35 + 0.4 * mean),
    )


def named_in_words(content, person, text) -> bool:
    """Whether `text` names the person in so many words: "He …" does not, nor "anti-Stalinist"."""
    return any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text) for n in content.names(person))


def names(content, rng, claim):
    key = f"{Kind.ATTRIBUTION}:names:{claim.key}"
    reported = content.reported(claim)
    statement = reported.core
    hits = content.find_names(statement)
    people = rng.rank(key, list({h.figure.key: h.figure for h in hits}.values()), key=lambda f: f.key)
    if not people:
        return Skip(Kind.ATTRIBUTION, key, "the statement names nobody to ask about")
    # "Whom does X name?" is only true of a name the speaker's turn actually says.
    people = [p for p in people if named_in_words(content, p, claim.passage.text)]
    if not people:
        return Skip(Kind.ATTRIBUTION, key, "the speaker's turn does not name the statement's people in so many words")
    period = content.period_of(claim)
    stand_ins = content.uninvolved(claim)
    for person in people:
        chosen = choose_distractors(
            rng,
            key,
            stand_ins,
            text=lambda f: f.name,
            closeness=lambda f: content.plausibility(f, period),
            forbidden=content.names(person),
        )
        if len(chosen) >= MIN_DISTRACTORS:
            break
    else:
        return Skip(Kind.ATTRIBUTION, key, "too few people the interview does not connect with this claim")
    blanked = replace_hits(statement, [h for h in hits if h.figure == person], lambda h: BLANK)
    speaker = reported.who_in_sentence
    explanation = (
        f"{reported.who} names {person.name}. In our words: {statement} In the interview’s words "
        f"(§{claim.passage.position}): {quoted(claim.quote)} {assessment_sentence(claim, content.nested_claims(claim))}"
    )
    mean = sum(c for _, _, c in chosen) / len(chosen)
    figures = {f.key: f for f in [*claim.figure_list, person] if not f.is_participant}
    return QuestionDraft(
        kind=Kind.ATTRIBUTION,
        generator_key=key,
        # The statement is our paraphrase, not a quotation: no quotation marks around it.
        prompt=f"According to the interview, whom does {speaker} name in the gap? In our words: {blanked}",
        options=single_choice(rng.for_key(key), person.name, [t for _, t, _ in chosen]),
        explanation=explanation,
        passage=claim.passage,
        quote=claim.quote,
        claim=claim,
        figures=[figures[k] for k in sorted(figures)],
        events=claim.event_list,
        difficulty=clamp_difficulty(0.3 + 0.4 * mean),
    )
