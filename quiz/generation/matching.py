"""Matching — pair people with offices they held, or events with the year they began.

Sets of four pairs (three at least), one set anchored on each person and each event.
A pairing is only offered when it is the only right one: nobody in a set ever held
another member's office, no two offices read the same, and no event's span covers
another event's year.
"""

from quiz.answer_modes import OptionDraft
from quiz.models import Kind, Option

from .base import QuestionDraft, Skip, clamp_difficulty, much_the_same, paragraphs, sources_line
from .content import (
    YEAR,
    normalise,
    office_in_sentence,
    office_text,
    option_key,
    other_spans,
    overlaps,
    span_of,
    span_words,
)
from .roles import wording_note
from .when import date_phrase, interview_dating, wrong_only_in_order

KINDS = (Kind.MATCHING,)
PAIRS, FEWEST = 4, 3


def generate(content, rng):
    seen = {}
    for figure in content.subjects:
        if content.asked_roles(figure):
            yield offices_set(content, rng, figure, seen)
    for event in content.events:
        if YEAR.search(event.name):
            continue  # a name with its year in it would match itself
        yield years_set(content, rng, event, seen)


def build(key, pairs, slot_rng):
    """Options: the prompts (left) in order, then the choices (right) shuffled."""
    rights = [right for _, right in pairs]
    slot_rng.shuffle(rights)
    options = [OptionDraft(text=left, side=Option.Side.LEFT) for left, _ in pairs]
    options += [OptionDraft(text=right, side=Option.Side.RIGHT) for right in rights]
    for i, (_, right) in enumerate(pairs):
        options[i].match = len(pairs) + rights.index(right)
    return options


def deduplicate(kind_key, members, seen):
    members = frozenset(members)
    for other, slot in seen.items():
        if much_the_same(members, other):
            return Skip(Kind.MATCHING, kind_key, f"much the same pairs as {slot}")
    seen[members] = kind_key
    return None


def pairs_uniquely(content, person, role, chosen) -> bool:
    """Whether (person, role) may join the chosen pairs: no one could pass for another member,
    no two offices read the same, and neither could be paired with the other's office."""
    text = normalise(office_text(role))
    for other, theirs in chosen:
        if content.same_person_risk(person, other) or text == normalise(office_text(theirs)):
            return False
        if content.ever_held(person, theirs) or content.ever_held(other, role):
            return False
    return True


def office_pairs(content, rng, key, anchor):
    """Up to PAIRS (person, office) pairs, the anchor's first; None when none of the anchor's
    offices can be matched uniquely."""
    chosen = []
    people = [anchor] + rng.rank(key, [f for f in content.subjects if f != anchor], key=lambda f: f.key)
    for person in people:
        if len(chosen) == PAIRS:
            break
        # An office whose dates need a note (a title out of use, a convention) is not matched:
        # a line of its years would state them bare (Stalin "General Secretary to 1934").
        plain = [r for r in content.asked_roles(person) if not r.note]
        for role in rng.rank(f"{key}:{person.key}", plain, key=lambda r: r.key):
            if pairs_uniquely(content, person, role, chosen):
                chosen.append((person, role))
                break
        if person == anchor and not chosen:
            return None
    return chosen


def shared_time(chosen) -> float:
    """The share of the pairs' offices held at the same time: the more, the harder to tell apart."""
    spans = [span_of(role) for _, role in chosen]
    shared = sum(overlaps(a, b) for i, a in enumerate(spans) for b in spans[i + 1 :])
    return shared / max(1, len(spans) * (len(spans) - 1) / 2)


def offices_set(content, rng, anchor, seen):
    key = f"{Kind.MATCHING}:offices:{anchor.key}"
    chosen = office_pairs(content, rng, key, anchor)
    if chosen is None:
        return Skip(Kind.MATCHING, key, "none of this person's offices can be matched uniquely")
    if len(chosen) < FEWEST:
        return Skip(Kind.MATCHING, key, "fewer than 3 people whose offices match them uniquely")
    duplicate = deduplicate(key, (f"{p.key}={r.key}" for p, r in chosen), seen)
    if duplicate:
        return duplicate
    pairs = [(person.name, office_text(role)) for person, role in chosen]
    # The lead is why these pairings are the right ones: who held which office, when, a line
    # each (a sentence saying only that the key is right explains nothing).
    lead = "\n".join(f"{p.name} was {office_in_sentence(r)} {tenures(content, r)}." for p, r in chosen)
    # An office's note (a title out of use, a convention) follows, named by its holder.
    pairs_held = "\n".join(f"{p.name}, {office_text(r)}: {r.note}" for p, r in chosen if r.note)
    # Where the interview names an office in words historians reject ("the first deputy of the
    # defense commissar" for Tukhachevsky in 1934), say so, as the office's own questions do.
    rejected, judged = [], []
    for p, r in chosen:
        said, because, claim = wording_note(content, r)
        if because:
            rejected.append(f"{p.name}:{said} {because}")
            judged.append(claim)
    pairs_held = "\n".join(filter(None, [pairs_held, *rejected]))
    return QuestionDraft(
        kind=Kind.MATCHING,
        generator_key=key,
        prompt="Match each person to an office they held.",
        options=build(key, pairs, rng.for_key(key)),
        explanation=paragraphs(lead, pairs_held, sources_line(*(r for _, r in chosen), *judged)),
        figures=sorted((p for p, _ in chosen), key=lambda f: f.key),
        difficulty=clamp_difficulty(0.3 + 0.3 * shared_time(chosen) + 0.05 * (len(chosen) - FEWEST)),
    )


def tenures(content, role) -> str:
    """Every span the holder held the office over, earliest first ("from 1918 to 1921 and from
    1923 to 1924" for Rykov at the VSNKh): the matched one alone may be the lesser."""
    text = normalise(office_text(role))
    held = [r for r in content.roles_of(role.figure) if normalise(office_text(r)) == text]
    return " and ".join(span_words(r) for r in sorted(held, key=lambda r: span_of(r)[0]))


def year_range(event) -> set[int]:
    """Every year the event may be matched to: its span's, and those of the datings standard
    accounts give instead (the Kremlin affair from December 1934), never a wrong pairing."""
    years = set()
    for start, end in [span_of(event), *other_spans(event)]:
        years |= set(range(start.year, end.year + 1))
    return years


def year_of_its_own(event, chosen) -> bool:
    """Whether the event may join the chosen ones: its name neither gives its year away nor
    repeats another's, and each event's year falls outside every other event's span, both ways."""
    if YEAR.search(event.name) or option_key(event.name) in {option_key(e.name) for e in chosen}:
        return False
    return all(event.year not in year_range(e) and e.year not in year_range(event) for e in chosen)


def year_events(content, rng, key, anchor):
    """Up to PAIRS events, the anchor first, each with a year of its own."""
    chosen = [anchor]
    for event in rng.rank(key, [e for e in content.events if e != anchor], key=lambda e: e.key):
        if len(chosen) == PAIRS:
            break
        if year_of_its_own(event, chosen):
            chosen.append(event)
    return chosen


def years_difficulty(chosen) -> float:
    """Years one apart are the hardest to tell apart; every pair past the fewest adds a little."""
    years = sorted(e.year for e in chosen)
    smallest_gap = min(b - a for a, b in zip(years, years[1:]))
    return 0.35 + (0.2 if smallest_gap == 1 else 0) + 0.05 * (len(chosen) - FEWEST)


def misdated_line(content, event) -> str:
    """Where the interview dates the event otherwise, a line saying so: a student who trusted
    the interview's year learns here which one it gave and that it is wrong. Else ""."""
    dating = interview_dating(content, event)
    if dating.doubted is None:
        return ""
    # "in 1932"; "soon after Yezhov replaced Yagoda (1936)" and "in 1934, as the year of
    # Stalin's demand for the reform" read as they are.
    placed = f"in {dating.plain}" if YEAR.fullmatch(dating.plain or "") else dating.text
    # A dating in the event's own year is wrong in its order, not its year ("soon after Yezhov
    # replaced Yagoda (1936)" of a trial a month before): "reject that" beside 1936 misleads.
    if wrong_only_in_order(event, dating):
        return f"{event.name}: the interview places it {placed}; historians reject the order, not the year."
    return f"{event.name}: the interview places it {placed}; historians reject that."


def years_set(content, rng, anchor, seen):
    key = f"{Kind.MATCHING}:years:{anchor.key}"
    chosen = year_events(content, rng, key, anchor)
    if len(chosen) < FEWEST:
        return Skip(Kind.MATCHING, key, "fewer than 3 events with a year of their own")
    duplicate = deduplicate(key, (e.key for e in chosen), seen)
    if duplicate:
        return duplicate
    # "The year it began" of a death reads oddly; "happened" of a five-year plan is ambiguous.
    ranged = [span_of(e)[0].year != span_of(e)[1].year for e in chosen]
    verb = "began" if all(ranged) else "happened (or began)" if any(ranged) else "happened"
    # The lead is the dates historians establish, a line each; where the interview dates an
    # event otherwise, that follows.
    in_order = sorted(chosen, key=lambda e: e.start_date)
    lead = "\n".join(f"{e.name}: {date_phrase(e)}." for e in in_order)
    dates = "\n".join(line for e in in_order if (line := misdated_line(content, e)))
    figures = {f.key: f for e in chosen for f in e.participant_list if not f.is_participant}
    return QuestionDraft(
        kind=Kind.MATCHING,
        generator_key=key,
        prompt=f"Match each event to the year it {verb}.",
        options=build(key, [(e.name, str(e.year)) for e in chosen], rng.for_key(key)),
        explanation=paragraphs(lead, dates, sources_line(*in_order)),
        figures=[figures[k] for k in sorted(figures)],
        events=sorted(chosen, key=lambda e: e.key),
        difficulty=clamp_difficulty(years_difficulty(chosen)),
    )
