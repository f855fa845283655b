"""Cloze — a name, a year or an office blanked out of a claim's verbatim quote.

Up to three per claim (one of each where the quote has one). Wrong names are people the
interview does not connect with the claim, written the same way as the answer (full name or
surname), all in the standard spelling; the explanation gives the interview's own ("Rikov",
the interview's spelling of Rykov). Years are blanked only in claims historians corroborate,
so a wrong year in the interview is never drilled as the answer. Offices are blanked where a
role's interview wording occurs, never where a doubted claim is about that very title, with
the office's curated wrong wordings (Role.wording_misses), each fitting the gap. No gap is keyed to the person a student guesses when unsure
(content.default_guess), and no answer keys more than a fifth of the kind (base.balance).
"""

import re

from quiz.answer_modes import OptionDraft
from quiz.models import Kind

from .base import (
    BLANK,
    QuestionDraft,
    Skip,
    after_lead,
    balance,
    choice_options,
    claim_draft,
    mean_closeness,
    name_gap_fault,
    single_choice,
    stand_ins_for,
)
from .content import (
    TITLE_EXTRA_WORDS,
    YEAR,
    distinct_figures,
    doubts_title,
    fate_beside,
    normalise,
    option_key,
    replace_hits,
)

KINDS = (Kind.CLOZE,)
MIN_DISTRACTORS = 2
YEAR_CHOICES = 4


def generate(content, rng):
    yield from balance(rng, Kind.CLOZE, list(gaps(content, rng)), answer_text)


def answer_text(draft) -> str:
    return next(o.text for o in draft.options if o.is_correct)


def gaps(content, rng):
    seen = {}
    for claim in content.claims:
        for draft in (name_gap(content, rng, claim), year_gap(content, rng, claim), office_gap(content, rng, claim)):
            if draft is None:
                continue
            if isinstance(draft, QuestionDraft):
                # Two claims quoting the same words would make the same question twice.
                duplicate = seen.setdefault(option_key(draft.prompt), draft.generator_key)
                if duplicate != draft.generator_key:
                    yield Skip(Kind.CLOZE, draft.generator_key, f"the same gap as {duplicate}")
                    continue
            yield draft


def prompt_for(claim, blanked, about=None):
    subject = f", about {about.short_name}" if about is not None else ""
    return f"Fill the gap in this quotation from the interview (§{claim.passage.position}{subject}): “{blanked}”"


def explanation_for(content, claim, said, standard=""):
    """`said`: the quote's own words in the gap; `standard`: the name the options use for them,
    when the interview spells it differently ("Rikov" is Rykov)."""
    spelling = (
        f", the interview’s spelling of {standard}" if standard and normalise(standard) != normalise(said) else ""
    )
    # The quote itself, filled in, is the question's citation: the feedback shows it beside this.
    return after_lead(f"The missing words are “{said}”{spelling}.", claim, content.nested_claims(claim))


def inside_nested(content, claim, start, end) -> bool:
    """Whether quote[start:end] lies in words another claim covers with a different verdict:
    blanking it would drill that claim's words under this one's verdict."""
    return any(s <= start and end <= e for s, e in content.nested_spans(claim))


def draft(content, claim, key, blanked, options, answer, difficulty, figures=(), about=None, standard=""):
    return claim_draft(
        Kind.CLOZE,
        key,
        claim,
        prompt=prompt_for(claim, blanked, about),
        options=options,
        explanation=explanation_for(content, claim, answer, standard),
        difficulty=difficulty,
        figures=figures,
    )


def standard_name(figure, answer: str) -> str:
    """A person as an option: the standard spelling, full name for a full name, else one word.
    Every option reads the same way; the interview's own spelling is in the explanation (a key
    alone in "Rikov (Rykov)" form among plain names would give itself away)."""
    return figure.name if " " in answer.strip() else figure.short_name


def nameable_hits(content, claim):
    """The names in the quote a gap may take: nobody named inside a nested claim's words
    (the Kirov murder's quote holds the affair rumour)."""
    hits = content.find_names(claim.quote)
    hidden = {h.figure.key for h in hits if inside_nested(content, claim, h.start, h.end)}
    return [h for h in hits if h.figure.key not in hidden]


def still_named(content, person, blanked) -> bool:
    """Whether the person is still in the quote after blanking ("anti-Stalinist"): the gap
    would give itself away."""
    rest = blanked.casefold()
    return any(name.casefold() in rest for name in content.names(person))


# Words whose referent a quotation torn from its passage loses: "his brother-in-law ___" (whose?),
# "Even ___ himself was one of them" (of whom?). With any name fitting, the gap tests memory.
LOST_REFERENT = re.compile(r"^\W*(?:he|his|him|she|her)\b|\b(?:they|them|their)\b", re.IGNORECASE)


def title_beside_name(quote: str, hits) -> bool:
    """Whether the quote is a name and a few words calling the person something ("a new
    minister Yezhov"): a claim on such words is about the title, not the name."""
    rest = quote
    for hit in hits:
        rest = rest.replace(hit.text, " ")
    return len(rest.split()) <= TITLE_EXTRA_WORDS


def name_gap(content, rng, claim):
    key = f"{Kind.CLOZE}:name:{claim.key}"
    if LOST_REFERENT.search(claim.quote):
        return Skip(Kind.CLOZE, key, "the quote's pronoun has lost its referent, so any name fits")
    hits = nameable_hits(content, claim)
    if claim.assessment != "corroborated" and hits and title_beside_name(claim.quote, hits):
        # "a new minister ___", judged wrong for the title: the name is the true part, and the
        # feedback's "contradicted" beside it read as the name being wrong (the fourteenth review).
        return Skip(Kind.CLOZE, key, "the claim is judged for what the quote calls the person, not for the name")
    people = rng.rank(key, distinct_figures(hits), key=lambda f: f.key)
    people = [p for p in people if p != content.default_guess]
    # "___'s assassination": every wrong name would say that person was killed too.
    people = [p for p in people if not fate_beside(claim.quote, [h for h in hits if h.figure == p])]
    if not people:
        return None
    faults = [name_gap_fault(content, claim, p, claim.quote) for p in people]
    people = [p for p, fault in zip(people, faults) if not fault]
    if not people:
        return Skip(Kind.CLOZE, key, faults[0])
    for person in people:
        own = [h for h in hits if h.figure == person]
        answer = own[0].text
        blanked = replace_hits(claim.quote, own, lambda h: BLANK)
        if still_named(content, person, blanked):
            continue
        chosen = stand_ins_for(content, rng, key, claim, person, text=lambda f, answer=answer: standard_name(f, answer))
        if len(chosen) >= MIN_DISTRACTORS:
            break
    else:
        return Skip(Kind.CLOZE, key, "too few people the interview does not connect with this quote")
    right = standard_name(person, answer)
    options = choice_options(rng, key, right, chosen)
    difficulty = 0.3 + 0.35 * mean_closeness(chosen)
    return draft(content, claim, key, blanked, options, answer, difficulty, figures=[person], standard=right)


def year_gap(content, rng, claim):
    if claim.assessment != "corroborated":
        return None  # the year may be the very thing the interview gets wrong
    if content.nested_claims(claim):
        # The filled-in quote would stand under "Historians agree" with words judged otherwise
        # inside it ("a semi-deranged person whose wife's lover used to be Kirov", the sixteenth
        # review), their verdicts folded away.
        return None
    key = f"{Kind.CLOZE}:year:{claim.key}"
    years = sorted(
        {m.group(0) for m in YEAR.finditer(claim.quote) if not inside_nested(content, claim, m.start(), m.end())}
    )
    if not years:
        return None
    answer = rng.rank(key, years, key=str)[0]
    others = {int(y) for y in years if y != answer}
    slot_rng = rng.for_key(key)
    # Consecutive years around the answer, none the quote uses elsewhere; the answer at a random place.
    candidates = [y for y in range(int(answer) - 6, int(answer) + 7) if y not in others]
    at = candidates.index(int(answer))
    # Never at either end of the run of years, so "the latest" or "the earliest" is no clue.
    start = slot_rng.randint(max(0, at - YEAR_CHOICES + 2), min(max(0, at - 1), len(candidates) - YEAR_CHOICES))
    window = candidates[start : start + YEAR_CHOICES]
    options = [OptionDraft(text=str(y), is_correct=str(y) == answer) for y in window]
    blanked = re.sub(rf"(?<!\d){answer}(?!\d)", BLANK, claim.quote)
    return draft(content, claim, key, blanked, options, answer, 0.45 + (0.1 if len(years) > 1 else 0))


def specific(role) -> bool:
    """An interview wording that names an office ("a new minister" does not say which)."""
    words = [w for w in normalise(role.interview_wording).split() if w not in {"a", "an"}]
    return len(words) >= 3


def wordings_in(content, quote_folded):
    """Roles whose specific interview wording the quote holds whole: "the defense commissar"
    inside "the first deputy of the defense commissar" is not one."""
    found = [r for r in content.asked_roles() if specific(r) and r.interview_wording.casefold() in quote_folded]
    return [
        r
        for r in found
        if not any(
            len(o.interview_wording) > len(r.interview_wording)
            and r.interview_wording.casefold() in o.interview_wording.casefold()
            for o in found
        )
    ]


def wrong_wordings(content, rng, key, role, answer):
    """The office's curated wrong wordings (Role.wording_misses), up to three in a seeded order.
    Each fits the gap as the interview's words do; the other offices the interview names, one
    pool for every gap, often did not ("the central committee would elect the first deputy of
    the defense commissar", the fourteenth review)."""
    own = {normalise(answer)} | {normalise(r.interview_wording) for r in content.roles_of(role.figure)}
    misses = [m for m in role.wording_misses if normalise(m) not in own]
    return rng.rank(key, misses, key=str)[:3]


def office_gap(content, rng, claim):
    key = f"{Kind.CLOZE}:office:{claim.key}"
    roles = wordings_in(content, claim.quote.casefold())
    if not roles:
        return None
    role = rng.rank(key, roles, key=lambda r: r.key)[0]
    if doubts_title(claim, role):
        return None
    start = claim.quote.casefold().index(role.interview_wording.casefold())
    answer = claim.quote[start : start + len(role.interview_wording)]
    end = start + len(answer)
    if inside_nested(content, claim, start, end):
        return None
    named = content.figures_named_in(claim.quote)
    wrong = wrong_wordings(content, rng, key, role, answer)
    if len(wrong) < MIN_DISTRACTORS:
        return Skip(Kind.CLOZE, key, "fewer than two curated wrong wordings for the office (Role.wording_misses)")
    blanked = claim.quote[:start] + BLANK + claim.quote[end:]
    options = single_choice(rng.for_key(key), answer, wrong)
    # Say whose office it is when the quote refers to them without a name ("He was relegated
    # to …"); a quote naming nobody ("the central committee would elect _____") gets no hint,
    # which would pick the answer by its holder alone.
    refers = re.search(r"\b(?:he|him|his)\b", blanked, re.IGNORECASE)
    about = role.figure if role.figure not in named and refers else None
    return draft(content, claim, key, blanked, options, answer, 0.6, figures=[role.figure], about=about)
