"""Put these events in order — sets of 3 to 5 events, one set anchored on each event.

Only events that certainly follow one another are put in one set: two events whose
periods overlap at their precision (two "1934" events, or "1934" and "December 1934")
have no single right order, so they never share a set. Nor do two whose order needs no
knowledge, one following from the other (Event.follows: an arrest and its trial).

A set is drawn close in time, so ordering it takes knowledge rather than a rough sense
of the decade: every event in it starts within two years (WINDOW) of every other, and
the events closest to the anchor are taken first. An anchor with fewer than two such
partners is skipped; one whose set another anchor already has is asked with one event
more or fewer, where that makes a new set.

The interview's own mis-orderings are taken before closeness. The interview puts event A
on the wrong side of event B when its dating of A (Event.interview_dating) says so:
either it dates A by B ("soon after Yezhov replaced Yagoda (1936)" for the first Moscow
show trial, which came a month before Yezhov's appointment), or it gives A a plain date
("1935") that lies wholly on the other side of B from where A really was. A partner an
event in the set is mis-ordered with is taken next, and the explanation says where the
interview has the order wrong. (Claims historians contradict are not enough on their own:
they link events for many reasons other than their order.)
"""

import datetime as dt
import re
from dataclasses import dataclass

from history.dates import Precision, period_end
from history.models import Event
from quiz.answer_modes import OptionDraft
from quiz.models import Kind

from .base import (
    QuestionDraft,
    Skip,
    clamp_difficulty,
    much_the_same,
    nested_clause,
    nested_lines,
    paragraphs,
    sources_line,
    with_reason,
)
from .content import YEAR, option_key, other_spans, span_of, strictly_before
from .when import date_phrase, naming_claim, speaks_of, stems

KINDS = (Kind.CHRONOLOGY,)
SMALLEST, LARGEST = 3, 5
WINDOW = dt.timedelta(days=730)  # the most between the earliest and the latest start in a set
NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five"}
TOO_FEW = "fewer than 3 events that certainly came before or after one another within two years of this one"

# "soon after Yezhov replaced Yagoda (1936)": the interview dates an event by another one.
RELATIVE = re.compile(
    r"(?:(?:soon|shortly|just|long|well)\s+)?(?P<relation>after|before)\s+(?P<what>.+?)(?:\s*\((?P<year>\d{4})\))?",
    re.I,
)
PLAIN_FORMATS = {"%Y": Precision.YEAR, "%B %Y": Precision.MONTH, "%d %B %Y": Precision.DAY}


def orderable(a, b) -> bool:
    """Whether one event certainly came first, by its dates and by every dating standard
    accounts give instead (the Kremlin affair from its first denunciations in December 1934
    does not certainly follow the trial of 28-29 December)."""
    return all(x[1] < y[0] for x in spans(a) for y in spans(b)) or all(y[1] < x[0] for x in spans(a) for y in spans(b))


def spans(event) -> list:
    return [span_of(event), *other_spans(event)]


# --- The interview's mis-orderings ----------------------------------------------------------


@dataclass(frozen=True)
class Misordering:
    """The interview puts `event` on the wrong side of `other`; `placed` is how it dates
    `event` ("soon after Yezhov replaced Yagoda (1936)", "in 1935")."""

    event: Event
    other: Event
    placed: str


def plain_dating(text: str):
    """The interview's dating as a period (first day, last day), if it is a plain date."""
    text = re.sub(r"^in\s+", "", text.strip(), flags=re.I)
    for form, precision in PLAIN_FORMATS.items():
        try:
            date = dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
        return date, period_end(date, precision)
    return None


def dated_by(content, event, found):
    """The one event a relative dating names ("Yezhov replaced Yagoda" → "Yezhov replaces
    Yagoda as head of the NKVD"): every word of it in the event's name, in the year given."""
    words = stems(found["what"])
    matches = [
        other
        for other in content.events
        if other is not event
        and words <= stems(other.name)
        and (not found["year"] or other.start_date.year == int(found["year"]))
    ]
    return matches[0] if words and len(matches) == 1 else None


def relative_misordering(content, event, found) -> list[Misordering]:
    """ "after B" (or "before B") when the event really came before (after) B."""
    other = dated_by(content, event, found)
    says_after = found["relation"].casefold() == "after"
    if other is not None and strictly_before(*((event, other) if says_after else (other, event))):
        return [Misordering(event, other, event.interview_dating.strip())]
    return []


def plain_misorderings(content, event, period) -> list[Misordering]:
    """The events a plain dating puts the event on the wrong side of: it really came before
    (after) them, but the interview's date lies wholly after (before) them."""
    dating = event.interview_dating.strip()
    placed = dating if dating.startswith("in ") else f"in {dating}"
    wrong = []
    for other in content.events:
        start, end = span_of(other)
        if (strictly_before(event, other) and period[0] > end) or (strictly_before(other, event) and period[1] < start):
            wrong.append(Misordering(event, other, placed))
    return wrong


def misorderings_of(content, event) -> list[Misordering]:
    dating = event.interview_dating.strip()
    found = RELATIVE.fullmatch(dating)
    if found:
        return relative_misordering(content, event, found)
    period = plain_dating(dating)
    return plain_misorderings(content, event, period) if period else []


def misorderings(content) -> dict[frozenset, Misordering]:
    """Every pair of events the interview puts the wrong way round, by their two keys."""
    return {
        frozenset((m.event.key, m.other.key)): m for event in content.events for m in misorderings_of(content, event)
    }


# --- Choosing a set -------------------------------------------------------------------------


def one_follows_the_other(a, b) -> bool:
    """Whether one event cannot have come before the other (Event.follows: Tukhachevsky's arrest
    before his trial): side by side, their order is given, not known."""
    return a.pk in getattr(b, "follows_pks", ()) or b.pk in getattr(a, "follows_pks", ())


def fits(event, chain) -> bool:
    starts = [e.start_date for e in chain] + [event.start_date]
    return (
        max(starts) - min(starts) <= WINDOW
        and all(orderable(event, other) and not one_follows_the_other(event, other) for other in chain)
        and option_key(event.name) not in {option_key(e.name) for e in chain}
    )


def preference(event, chain, wrong):
    """Lower first: a partner the interview mis-orders with an event of the set, then the
    events closest to the anchor."""
    mis_ordered = any(frozenset((event.key, other.key)) in wrong for other in chain)
    return not mis_ordered, abs((event.start_date - chain[0].start_date).days)


def choose_set(rng, key, anchor, events, size, wrong) -> list:
    # A seeded order first, so events equally preferred are taken in an order of their own.
    pool = rng.rank(key, [e for e in events if e is not anchor], key=lambda e: e.key)
    chain = [anchor]
    while len(chain) < size:
        fitting = [e for e in pool if fits(e, chain)]
        if not fitting:
            break
        chosen = min(fitting, key=lambda e: preference(e, chain, wrong))
        chain.append(chosen)
        pool.remove(chosen)
    return chain


def sized_sets(slot_rng, chain) -> list[list]:
    """The sets an anchor may have: the first events of its chain, at a seeded size first and
    the other sizes after, so an anchor whose set another anchor already has gets another."""
    size = slot_rng.randint(SMALLEST, LARGEST)
    sizes = [size] + [s for s in range(SMALLEST, LARGEST + 1) if s != size]
    return [chain[:s] for s in sizes if s <= len(chain)]


def too_close(chain, seen: dict) -> str:
    """The slot of an earlier set this one repeats (base.much_the_same), or ""."""
    keys = frozenset(e.key for e in chain)
    return next((slot for other, slot in seen.items() if much_the_same(keys, other)), "")


def generate(content, rng):
    wrong = misorderings(content)
    seen = {}
    # A name that carries its date ("Soviet famine of 1932-1933") gives its place away, and a
    # name's years may span what the event's record dates more narrowly: never in a set.
    events = [e for e in content.events if not YEAR.search(e.name)]
    # The events the interview misorders anchor first: their sets, which teach where it errs,
    # are made before a neighbour's set, much the same, would rule them out.
    misordered = {key for pair in wrong for key in pair}
    for anchor in sorted(content.events, key=lambda e: e.key not in misordered):
        key = f"{Kind.CHRONOLOGY}:{anchor.key}"
        if anchor not in events:
            yield Skip(Kind.CHRONOLOGY, key, "the event's name gives its date away")
            continue
        slot_rng = rng.for_key(key)
        sets = sized_sets(slot_rng, choose_set(rng, key, anchor, events, LARGEST, wrong))
        if not sets:
            yield Skip(Kind.CHRONOLOGY, key, TOO_FEW)
            continue
        fresh = next((chain for chain in sets if not too_close(chain, seen)), None)
        if fresh is None:
            yield Skip(Kind.CHRONOLOGY, key, f"much the same events as {too_close(sets[0], seen)}")
            continue
        seen[frozenset(e.key for e in fresh)] = key
        yield question_for(content, slot_rng, key, fresh, wrong)


# --- The question ---------------------------------------------------------------------------


def dates_sentence(ordered) -> str:
    """Why the order is right, in a line: the dates themselves, earliest first."""
    dates = [date_phrase(e).removeprefix("on ").removeprefix("in ").removeprefix("from ") for e in ordered]
    return f"Their dates put them in this order: {', '.join(dates[:-1])} and {dates[-1]}."


def order_sentence(ordered) -> str:
    """The order in full: each event with its date, earliest first."""
    # Names are titles ("Industrial Party trial"), so each stands after a colon, not as a subject.
    steps = [f"{e.name}, {date_phrase(e)}" for e in ordered]
    middle = "".join(f"; then: {step}" for step in steps[1:-1])
    return f"First: {steps[0]}{middle}; last: {steps[-1]}."


def misordering_note(content, mistake: Misordering):
    """(the sentences saying where the interview has the order wrong, the claim where it says so)."""
    happened = "before" if strictly_before(mistake.event, mistake.other) else "after"
    claim = naming_claim(content, mistake.event)
    # Event names are titles ("Shakhty trial"), so they go in brackets rather than mid-sentence.
    note = (
        f"The interview has two of these the wrong way round: it places one ({mistake.event.name}) "
        f"{mistake.placed}, but it happened {happened} the other ({mistake.other.name})."
    )
    return note + (f" The interview says so in §{claim.passage.position}." if claim else ""), claim


def citation(content, ordered, mistake):
    """(the detail, the claim to cite, the claims whose historians' reasons the detail gives, for
    the sources): the interview's mis-ordering if the set has one, else the first event the
    interview's words name."""
    if mistake is not None:
        return (*misordering_note(content, mistake), [])
    named = [(event, claim) for event in ordered if (claim := naming_claim(content, event)) is not None]
    if not named:
        return "", None, []
    reasoned = []
    event, claim = named[0]  # the one cited
    if len(named) == 1:
        at = f"§{claim.passage.position}"
        where = (
            f"The interview discusses one of these events ({event.name}) in {at}."
            if speaks_of(content, event, claim)
            else f"The interview’s words in {at} bear on one of these events ({event.name})."
        )
        if claim.assessment != "corroborated":  # the cited words are not to be read as fact
            where += " " + with_reason(f"Historians judge what it says there {claim.assessment}.", claim)
            reasoned.append(claim)
    else:
        # Every event it discusses, or "one of these" undercounts what the source covers.
        count = NUMBER_WORDS.get(len(named), str(len(named)))
        listed = "; ".join(
            f"{e.name} (§{c.passage.position}{'' if speaks_of(content, e, c) else ', not by name'})" for e, c in named
        )
        verb = "discusses" if all(speaks_of(content, e, c) for e, c in named) else "touches on"
        where = f"The interview {verb} {count} of these events: {listed}."
        for _, other in named:
            if other.assessment != "corroborated":
                # What it says there, said: only the first passage's words are quoted beside the
                # question, and "what it says in §2" pointed at words not shown (the twenty-second review).
                said = (
                    f"In §{other.passage.position} it says that {content.reported(other).clause_naming_speaker()};"
                    f" historians judge this {other.assessment}."
                )
                where += " " + with_reason(said, other)
                reasoned.append(other)
    nested = content.nested_claims(claim)  # nor words inside them judged apart
    clause = nested_clause(nested)
    if len(named) > 1 and clause:  # which passage's words, when several are named
        clause = clause.replace(" Part", f" In §{claim.passage.position}, part", 1)
    return paragraphs(where + clause, nested_lines(nested, asked=claim)), claim, [*reasoned, *nested]


def question_for(content, slot_rng, key, chain, wrong):
    ordered = sorted(chain, key=lambda e: e.start_date)
    shown = list(ordered)
    slot_rng.shuffle(shown)
    if shown == ordered:  # never show the answer as the starting order
        shown = shown[1:] + shown[:1]
    options = [OptionDraft(text=e.name, correct_position=ordered.index(e) + 1) for e in shown]
    pairs = [frozenset((a.key, b.key)) for i, a in enumerate(ordered) for b in ordered[i + 1 :]]
    mistake = next((wrong[p] for p in pairs if p in wrong), None)
    detail, claim, reasoned = citation(content, ordered, mistake)
    gaps = [(b.start_date - span_of(a)[1]).days for a, b in zip(ordered, ordered[1:])]
    closeness = 1 - min(1.0, min(gaps) / 730)  # events months apart are harder to order than years apart
    figures = {f.key: f for e in ordered for f in e.participant_list if not f.is_participant}
    return QuestionDraft(
        kind=Kind.CHRONOLOGY,
        generator_key=key,
        prompt="Put these events in the order they happened, earliest first.",
        options=options,
        # The dates are why the answer is right; the order in full and the interview are detail.
        # The works behind the dates, then those behind the historians' reasons it gives.
        explanation=paragraphs(
            dates_sentence(ordered), order_sentence(ordered), detail, sources_line(*ordered, *reasoned)
        ),
        passage=claim.passage if claim else None,
        quote=claim.quote if claim else "",
        figures=[figures[k] for k in sorted(figures)],
        events=ordered,
        difficulty=clamp_difficulty(
            0.3 + 0.08 * (len(ordered) - SMALLEST) + 0.35 * closeness + (0.1 if mistake else 0)
        ),
    )
