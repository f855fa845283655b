"""Cloze — a name, a year or an office blanked out of a claim's verbatim quote.

Up to three per claim (one of each where the quote has one). Wrong names are people the
interview does not connect with the claim, written the same way as the answer (full name or
surname), all in the standard spelling; the explanation gives the interview's own ("Rikov",
the interview's spelling of Rykov). Years are blanked only in claims historians corroborate,
so a wrong year in the interview is never drilled as the answer. Offices are blanked where a role's interview wording occurs, never where
a doubted claim is about that very title, with wrong offices of the same kind (army, party,
security, soviets) first.
"""

import re

from quiz.answer_modes import OptionDraft
from quiz.models import Kind

from .base import (
    QuestionDraft,
    Skip,
    assessment_sentence,
    choose_distractors,
    citation_sentence,
    clamp_difficulty,
    single_choice,
)
from .content import YEAR, contains_words, normalise, option_key

KINDS = (Kind.CLOZE,)
BLANK = "_____"
MIN_DISTRACTORS = 2
YEAR_CHOICES = 4


def generate(content, rng):
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
    spelling = f", the interview’s spelling of {standard}" if standard and normalise(standard) != normalise(said) else ""
    return (
        f"The missing words are “{said}”{spelling}. {citation_sentence(claim)} "
        f"{assessment_sentence(claim, content.nested_claims(claim))}"
    )


def inside_nested(content, claim, start, end) -> bool:
    """Whether quote[start:end] lies in words another claim covers with a different verdict:
    blanking it would drill that claim's words under this one's verdict."""
    return any(s <= start and end <= e for s, e in content.nested_spans(claim))


def draft(content, claim, key, blanked, options, answer, difficulty, figures=(), about=None, standard=""):
    people = {f.key: f for f in [*claim.figure_list, *figures] if not f.is_participant}
    return QuestionDraft(
        kind=Kind.CLOZE,
        generator_key=key,
        prompt=prompt_for(claim, blanked, about),
        options=options,
        explanation=explanation_for(content, claim, answer, standard),
        passage=claim.passage,
        quote=claim.quote,
        claim=claim,
        figures=[people[k] for k in sorted(people)],
        events=claim.event_list,
        difficulty=clamp_difficulty(difficulty),
    )


def standard_name(figure, answer: str) -> str:
    """A person as an option: the standard spelling, full name for a full name, else one word.
    Every option reads the same way; the interview's own spelling is in the explanation (a key
    alone in "Rikov (Rykov)" form among plain names would give itself away)."""
    return figure.name if " " in answer.strip() else figure.short_name


def replace_spans(text, hits, replacement):
    for hit in sorted(hits, key=lambda h: h.start, reverse=True):
        text = text[: hit.start] + replacement + text[hit.end :]
    return text


def name_gap(content, rng, claim):
    key = f"{Kind.CLOZE}:name:{claim.key}"
    hits = content.find_names(claim.quote)
    # Nobody named inside a nested claim's words (the Kirov murder's quote holds the affair rumour).
    hidden = {h.figure.key for h in hits if inside_nested(content, claim, h.start, h.end)}
    hits = [h for h in hits if h.figure.key not in hidden]
    people = rng.rank(key, list({h.figure.key: h.figure for h in hits}.values()), key=lambda f: f.key)
    if not people:
        return None
    period = content.period_of(claim)
    stand_ins = content.uninvolved(claim)
    for person in people:
        own = [h for h in hits if h.figure == person]
        answer = own[0].text
        rest = replace_spans(claim.quote, own, BLANK).casefold()
        if any(name.casefold() in rest for name in content.names(person)):
            continue  # still in the quote after blanking ("anti-Stalinist"): the gap gives itself away
        chosen = choose_distractors(
            rng,
            key,
            stand_ins,
            text=lambda f, answer=answer: standard_name(f, answer),
            closeness=lambda f: content.plausibility(f, period),
            forbidden=content.names(person),
        )
        if len(chosen) >= MIN_DISTRACTORS:
            break
    else:
        return Skip(Kind.CLOZE, key, "too few people the interview does not connect with this quote")
    blanked = replace_spans(claim.quote, own, BLANK)
    mean = sum(c for _, _, c in chosen) / len(chosen)
    right = standard_name(person, answer)
    options = single_choice(rng.for_key(key), right, [t for _, t, _ in chosen])
    return draft(content, claim, key, blanked, options, answer, 0.3 + 0.35 * mean, figures=[person], standard=right)


def year_gap(content, rng, claim):
    if claim.assessment != "corroborated":
        return None  # the year may be the very thing the interview gets wrong
    key = f"{Kind.CLOZE}:year:{claim.key}"
    years = sorted({m.group(0) for m in YEAR.finditer(claim.quote) if not inside_nested(content, claim, m.start(), m.end())})
    if not years:
        return None
    answer = rng.rank(key, years, key=str)[0]
    others = {int(y) for y in years if y != answer}
    slot_rng = rng.for_key(key)
    # Consecutive years around the answer, none the quote uses elsewhere; the answer at a random place.
    candidates = [y for y in range(int(answer) - 6, int(answer) + 7) if y not in others]
    at = candidates.index(int(answer))
    start = slot_rng.randint(max(0, at - YEAR_CHOICES + 1), min(at, len(candidates) - YEAR_CHOICES))
    window = candidates[start : start + YEAR_CHOICES]
    options = [OptionDraft(text=str(y), is_correct=str(y) == answer) for y in window]
    blanked = re.sub(rf"(?<!\d){answer}(?!\d)", BLANK, claim.quote)
    return draft(content, claim, key, blanked, options, answer, 0.45 + (0.1 if len(years) > 1 else 0))


def specific(role) -> bool:
    """An interview wording that names an office ("a new minister" does not say which)."""
    words = [w for w in normalise(role.interview_wording).split() if w not in {"a", "an"}]
    return len(words) >= 3


# Broad kinds of office, from the body that holds it: a wrong office of the same kind reads as
# a real option ("Tukhachevski of the Soviet Army – ___" offered one military post among party ones).
OFFICE_KINDS = (
    ("army", ("defence", "army", "military")),
    ("security", ("nkvd", "ogpu", "state security", "internal affairs")),
    ("party", ("party", "central committee")),
    ("soviet", ("executive committee", "soviet")),
)


def office_kind(role) -> str:
    body = f"{role.organisation} {role.title}".casefold()
    return next((kind for kind, words in OFFICE_KINDS if any(w in body for w in words)), "other")


def office_gap(content, rng, claim):
    key = f"{Kind.CLOZE}:office:{claim.key}"
    quote_folded = claim.quote.casefold()
    found = [r for r in content.subject_roles() if specific(r) and r.interview_wording.casefold() in quote_folded]
    # Only whole wordings: "the defense commissar" inside "the first deputy of the defense commissar" is not one.
    roles = [
        r for r in found
        if not any(len(o.interview_wording) > len(r.interview_wording)
                   and r.interview_wording.casefold() in o.interview_wording.casefold() for o in found)
    ]
    if not roles:
        return None
    role = rng.rank(key, roles, key=lambda r: r.key)[0]
    if claim.assessment != "corroborated" and contains_words(normalise(claim.statement), normalise(role.interview_wording)):
        return None  # the claim historians doubt is about this very title: never drill it, as with years
    start = quote_folded.index(role.interview_wording.casefold())
    answer = claim.quote[start : start + len(role.interview_wording)]
    if inside_nested(content, claim, start, start + len(answer)):
        return None
    named = content.figures_named_in(claim.quote)
    # Wordings for other offices that nobody named in the quote ever held.
    candidates = [
        r
        for r in content.subject_roles()
        if specific(r)
        and r.interview_wording.casefold() not in quote_folded
        and not any(content.ever_held(person, r) for person in [role.figure, *named])
    ]
    chosen = choose_distractors(
        rng,
        key,
        candidates,
        text=lambda r: r.interview_wording,
        closeness=lambda r: (
            1.0 if normalise(r.organisation) == normalise(role.organisation) else 0.8 if office_kind(r) == office_kind(role) else 0.4
        ),
        forbidden=[answer] + [r.interview_wording for r in content.roles_of(role.figure) if r.interview_wording],
        identity=normalise,
    )
    if len(chosen) < MIN_DISTRACTORS:
        return Skip(Kind.CLOZE, key, "too few other offices in the interview’s wording to offer as wrong choices")
    blanked = claim.quote[:start] + BLANK + claim.quote[start + len(answer) :]
    kind = office_kind(role)
    hints = dict(OFFICE_KINDS).get(kind, ())
    if any(w in blanked.casefold() for w in hints) and not any(office_kind(r) == kind for r, _, _ in chosen):
        # "Tukhachevski of the Soviet Army – ___" with one military office among the choices.
        return Skip(Kind.CLOZE, key, "the quote's own words point to the only office of its kind")
    options = single_choice(rng.for_key(key), answer, [t for _, t, _ in chosen])
    mean = sum(c for _, _, c in chosen) / len(chosen)
    # Say whose office it is when the quote itself does not ("He was relegated to …").
    about = None if role.figure in named else role.figure
    return draft(content, claim, key, blanked, options, answer, 0.5 + 0.3 * mean, figures=[role.figure], about=about)
