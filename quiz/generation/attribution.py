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

from .base import (
    BLANK,
    Skip,
    assessment_sentence,
    choice_options,
    choose_distractors,
    claim_draft,
    mean_closeness,
    quoted,
    stand_ins_for,
)
from .content import YEAR, distinct_figures, option_key, replace_hits

KINDS = (Kind.ATTRIBUTION,)
MIN_DISTRACTORS = 2


def generate(content, rng):
    statements = {option_key(content.reported(c).core) for c in content.claims}
    for claim in content.claims:
        yield says(content, rng, claim, statements)
        yield names(content, rng, claim)


def name_variants(content, claim, statement):
    """The statement with one person's name changed to someone the interview does not connect
    with the claim: [(text, closeness)]."""
    period = content.period_of(claim)
    hits = content.find_names(statement)
    stand_ins = content.uninvolved(claim)
    variants = []
    for figure in distinct_figures(hits):
        own = [h for h in hits if h.figure == figure]
        for other in stand_ins:
            changed = replace_hits(
                statement,
                own,
                lambda h, other=other, figure=figure: other.name if h.text == figure.name else other.short_name,
            )
            variants.append((changed, 0.6 * content.plausibility(other, period)))
    return variants


def year_variants(claim, statement):
    """The statement with one year moved by one or two: [(text, closeness)]. Where historians
    doubt the claim, its year may be the error: a changed year could be the true one, and
    marking the truth "wrong" would mislead. So years vary only in sound claims."""
    if claim.assessment != "corroborated":
        return []
    passage_years = set(YEAR.findall(claim.passage.text))
    variants = []
    for year in dict.fromkeys(YEAR.findall(statement)):
        for step in (-2, -1, 1, 2):
            moved = str(int(year) + step)
            if moved in passage_years:
                continue  # a year the passage uses might make the changed sentence true to it
            changed = re.sub(rf"(?<!\d){year}(?!\d)", moved, statement)
            variants.append((changed, 1.0 if abs(step) == 1 else 0.7))
    return variants


def says_prompt(reported) -> str:
    if reported.verb:
        return f"According to the interview, which of these does {reported.who_in_sentence} say?"
    return "According to the interview, which of these is what the interview says?"


def says(content, rng, claim, statements):
    key = f"{Kind.ATTRIBUTION}:says:{claim.key}"
    reported = content.reported(claim)
    statement = reported.core
    variants = name_variants(content, claim, statement) + year_variants(claim, statement)
    # A changed sentence that happens to be another claim's statement is something the interview says.
    variants = [v for v in variants if option_key(v[0]) not in statements]
    chosen = choose_distractors(
        rng, key, variants, text=lambda v: v[0], closeness=lambda v: v[1], forbidden=[statement]
    )
    if len(chosen) < MIN_DISTRACTORS:
        return Skip(Kind.ATTRIBUTION, key, "no names or years in the statement to vary into wrong choices")
    explanation = (
        f"{reported.sentence()} In the interview’s words (§{claim.passage.position}): {quoted(claim.quote)} "
        "The other choices change a name or a year: they are not what the interview says, whether or not "
        f"they are true. {assessment_sentence(claim, content.nested_claims(claim))}"
    )
    return claim_draft(
        Kind.ATTRIBUTION,
        key,
        claim,
        prompt=says_prompt(reported),
        options=choice_options(rng, key, statement, chosen),
        explanation=explanation,
        difficulty=0.35 + 0.4 * mean_closeness(chosen),
    )


def named_in_words(content, person, text) -> bool:
    """Whether `text` names the person in so many words: "He …" does not, nor "anti-Stalinist"."""
    return any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text) for n in content.names(person))


def names(content, rng, claim):
    key = f"{Kind.ATTRIBUTION}:names:{claim.key}"
    reported = content.reported(claim)
    statement = reported.core
    hits = content.find_names(statement)
    people = rng.rank(key, distinct_figures(hits), key=lambda f: f.key)
    if not people:
        return Skip(Kind.ATTRIBUTION, key, "the statement names nobody to ask about")
    # "Whom does X name?" is only true of a name the speaker's turn actually says.
    people = [p for p in people if named_in_words(content, p, claim.passage.text)]
    if not people:
        return Skip(Kind.ATTRIBUTION, key, "the speaker's turn does not name the statement's people in so many words")
    for person in people:
        chosen = stand_ins_for(content, rng, key, claim, person)
        if len(chosen) >= MIN_DISTRACTORS:
            break
    else:
        return Skip(Kind.ATTRIBUTION, key, "too few people the interview does not connect with this claim")
    blanked = replace_hits(statement, [h for h in hits if h.figure == person], lambda h: BLANK)
    explanation = (
        f"{reported.who} names {person.name}. In our words: {statement} In the interview’s words "
        f"(§{claim.passage.position}): {quoted(claim.quote)} {assessment_sentence(claim, content.nested_claims(claim))}"
    )
    return claim_draft(
        Kind.ATTRIBUTION,
        key,
        claim,
        # The statement is our paraphrase, not a quotation: no quotation marks around it.
        prompt=f"According to the interview, whom does {reported.who_in_sentence} name in the gap? In our words: {blanked}",
        options=choice_options(rng, key, person.name, chosen),
        explanation=explanation,
        difficulty=0.3 + 0.4 * mean_closeness(chosen),
        figures=[person],
    )
