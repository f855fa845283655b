"""When did it happen? — one question per event, asked at the event's own precision.

A year-precision event gets year choices only, a month-precision one month choices,
and only a day-precision event is asked for a full date. Wrong choices vary at that
precision: nearby years; nearby months (so mostly of the same year); for a day, other
days of the same month first, else days a few weeks away — never the same day of other
months, which would test the month rather than the day. The answer sits at a random
place among them, and they are shown in date order.

The answer is the established date (the Event record), not the interview's dating. No
wrong choice falls inside the event's own span, so an event that ran over several years
never has a second right year, nor inside the span of another event of the same name. An
event that ran on for years or many months (the mass operations, from July 1937 to November
1938) is asked by its whole run: "Over which months did this run?", the wrong runs the same
length moved earlier or later.

The question cites the interview only where its words name the event (names_event): a
claim linked to the event through the historians' note alone is no citation for when it
happened. The explanation's first sentence gives the established date; the detail (what
happened, the interview's dating, where it speaks of it) follows after a blank line.
"""

import datetime as dt
import re
from dataclasses import dataclass

from history.dates import Precision, format_partial, period_end
from history.models import Claim
from quiz.answer_modes import OptionDraft
from quiz.models import Kind

from .base import (
    QuestionDraft,
    Skip,
    clamp_difficulty,
    nested_clause,
    nested_lines,
    paragraphs,
    sources_line,
    with_reason,
)
from .content import COMMON_WORDS, YEAR, normalise, other_spans, overlaps, span_of

KINDS = (Kind.WHEN,)
WRONG = 3
# How far (in the event's own units) wrong choices may lie from the answer: days reach a
# few weeks either side, so a day question stays about the day.
REACH = {Precision.YEAR: 8, Precision.MONTH: 8, Precision.DAY: 24}
# Two dates a day apart read as a trick, not a question of knowledge.
DAY_SPACING = 2
# The finer the precision asked for, the harder the question.
PRECISION_DIFFICULTY = {Precision.YEAR: 0.0, Precision.MONTH: 0.15, Precision.DAY: 0.25}


# --- Wrong dates ----------------------------------------------------------------------------


def shift(date: dt.date, precision: str, steps: int) -> dt.date:
    if precision == Precision.YEAR:
        return dt.date(date.year + steps, 1, 1)
    if precision == Precision.DAY:
        return date + dt.timedelta(days=steps)
    year, month = divmod(date.year * 12 + date.month - 1 + steps, 12)
    return dt.date(year, month + 1, 1)


def forbidden_spans(content, event) -> list:
    """Periods no wrong choice may touch: the event's own, those of any other event of the
    same name (two records of one event would make both dates right), and the datings standard
    accounts give instead ("December 1938" for Yezhov's removal, the month it was announced)."""
    name = normalise(event.name)
    return [span_of(event), *other_spans(event)] + [
        span_of(e) for e in content.events if e is not event and normalise(e.name) == name
    ]


def side_origin(event, precision, direction) -> dt.date:
    """Where the dates on one side count from. Later dates count from the event's end: counted
    from its start, a plan of five years or a trial of three weeks leaves none within reach, and
    "the latest" gives the start away."""
    origin = event.end_date if direction > 0 and event.end_date else event.start_date
    if precision == Precision.YEAR:
        return dt.date(origin.year, 1, 1)
    if precision == Precision.MONTH:
        return origin.replace(day=1)
    return origin


def side(event, precision, direction, forbidden) -> list[dt.date]:
    """Dates on one side of the answer (direction -1 before, +1 after), nearest first,
    none touching a forbidden span (nor, for days, the day either side of one: "30 December"
    for a trial of 28-29 December is a trick)."""
    margin = dt.timedelta(days=DAY_SPACING - 1 if precision == Precision.DAY else 0)
    origin = side_origin(event, precision, direction)
    dates = []
    for steps in range(1, REACH[precision] + 1):
        date = shift(origin, precision, direction * steps)
        if not any(overlaps((date - margin, period_end(date, precision) + margin), span) for span in forbidden):
            dates.append(date)
    return dates


def day_picks(rng, answer: dt.date, dates) -> list[dt.date]:
    """Up to WRONG days from one side: days of the answer's own month first, in a seeded
    order, each at least DAY_SPACING days from the answer and from one another."""
    dates = list(dates)
    rng.shuffle(dates)
    dates.sort(key=lambda d: (d.year, d.month) != (answer.year, answer.month))  # stable: keeps the shuffle
    picked: list[dt.date] = []
    for date in dates:
        if all(abs((date - other).days) >= DAY_SPACING for other in [answer, *picked]):
            picked.append(date)
    return picked[:WRONG]


def long_running(event, precision) -> bool:
    """Whether the event ran on so long that dates after its end lie far from its start, so it
    is asked by its whole run (run_options): half a question's reach in months or years (a year
    and more of mass operations), the whole reach in days (a trial or a congress of some days
    is not)."""
    start, end = span_of(event)
    if precision == Precision.YEAR:
        units = end.year - start.year
    elif precision == Precision.MONTH:
        units = (end.year - start.year) * 12 + end.month - start.month
    else:
        # Days past a congress of two or three weeks are still near its start: only a span
        # longer than the reach itself is long.
        return (end - start).days > REACH[precision]
    return units >= REACH[precision] // 2


def wrong_dates(rng, content, event, precision) -> list[dt.date]:
    """The wrong choices: some before the answer and the rest after, how many before chosen
    at random (so 'pick the middle one' never works)."""
    forbidden = forbidden_spans(content, event)
    before, after = (side(event, precision, d, forbidden) for d in (-1, 1))
    # A dating left out next to the answer leaves a hole beside it ("September, October,
    # November, January" for a removal also dated December): the hole points to its neighbour.
    # The wrong choices then come from the other side only, where it has enough.
    if precision != Precision.DAY:
        for near, far in ((before, after), (after, before)):
            step = -1 if near is before else 1
            if near and len(far) >= WRONG and near[0] != shift(side_origin(event, precision, step), precision, step):
                near.clear()
    if precision == Precision.DAY:
        before, after = day_picks(rng, event.start_date, before), day_picks(rng, event.start_date, after)
    wanted = min(WRONG, len(before) + len(after))
    # Later choices count from the end (side): a trial of some days keeps an even spread around
    # its start (the thirteenth review found the answer third of four in half the questions).
    # A long-running event is asked by its run instead (run_options).
    count_before = rng.randint(max(0, wanted - len(after)), min(wanted, len(before)))
    earlier, later = before[:count_before], after[: wanted - count_before]
    # A day question whose answer is the only day of its month tests the month, not the day
    # (2 December 1927 among three November dates): one wrong day of the answer's month at least,
    # in place of a chosen day on its own side, so the answer's place stays as drawn.
    answer = event.start_date

    def of_its_month(dates):
        return [d for d in dates if (d.year, d.month) == (answer.year, answer.month)]

    if precision == Precision.DAY and not of_its_month(earlier + later):
        if earlier and of_its_month(before):
            earlier = [*earlier[:-1], of_its_month(before)[0]]
        elif later and of_its_month(after):
            later = [*later[:-1], of_its_month(after)[0]]
        elif of_its_month(before + after):
            earlier, later = [of_its_month(before + after)[0], *earlier], later[: max(0, len(later) - 1)]
    return sorted(set(earlier + later))


# A long-running event is asked by its whole run, each wrong run the same length moved by
# these steps in its own units: far enough apart to be told from one another.
RUN_STEPS: dict[str, tuple[int, ...]] = {
    Precision.YEAR: (1, 2, 3),
    Precision.MONTH: (3, 6, 9),
    Precision.DAY: (7, 14, 21),
}
COARSEST_FIRST = (Precision.YEAR, Precision.MONTH, Precision.DAY)


def run_precision(event) -> str:
    """The precision both ends of a run are shown at: the coarser of the two ("July 1937 to
    November 1938" for operations ended on 17 November 1938), so neither end stands out."""
    return min(event.start_precision, event.end_precision, key=COARSEST_FIRST.index)


def run_text(start: dt.date, end: dt.date, precision: str) -> str:
    return f"{format_partial(start, precision)} to {format_partial(end, precision)}"


def interview_year(event, dating: "Dating") -> int | None:
    """The year the interview wrongly gives a year-precision event ("In 1932, the Soviet Union
    embarked on … the second five-year plan"), to be offered among the wrong choices: the
    interview's own error is the most telling one to tell from the record (the fifteenth review
    found it never offered)."""
    if dating.agrees or event.start_precision != Precision.YEAR or not YEAR.fullmatch(dating.plain or ""):
        return None
    year = int(dating.plain)
    return year if year != event.year else None


def run_options(rng, content, event, insist: int | None = None) -> list[OptionDraft]:
    """The run itself among the same run moved earlier or later. Asked for its start alone, a
    long event had its later choices after its end, each ruled out by knowing the end (the
    twelfth and fourteenth reviews), or none there and the answer always the latest (the third).
    No wrong run starts within another dating of the start (the Kremlin affair "from December
    1934" in some accounts), where it would be right by that account."""
    precision = run_precision(event)
    start, end = event.start_date, event.end_date
    starts_elsewhere = [(s, period_end(s, precision)) for s, _ in forbidden_spans(content, event)[1:]]

    def moved(steps):
        first = shift(start, precision, steps)
        if any(overlaps((first, period_end(first, precision)), span) for span in starts_elsewhere):
            return None
        return first, shift(end, precision, steps)

    before = [m for m in (moved(-k) for k in RUN_STEPS[precision]) if m]
    after = [m for m in (moved(k) for k in RUN_STEPS[precision]) if m]
    wanted = min(WRONG, len(before) + len(after))
    count_before = rng.randint(max(0, wanted - len(after)), min(wanted, len(before)))
    wrong = [*before[:count_before], *after[: wanted - count_before]]
    own = moved(insist - start.year) if insist is not None and precision == Precision.YEAR else None
    if own and own not in wrong:
        # The interview's own dating in place of the wrong run farthest from the answer.
        wrong = sorted(wrong, key=lambda run: abs((run[0] - start).days))[: WRONG - 1] + [own]
    runs = sorted([(start, end), *wrong])
    return [OptionDraft(text=run_text(a, b, precision), is_correct=a == start) for a, b in runs]


def choice_options(rng, content, event, precision, insist: int | None = None) -> list[OptionDraft]:
    wrong = wrong_dates(rng, content, event, precision)
    own = dt.date(insist, 1, 1) if insist is not None else None
    forbidden = forbidden_spans(content, event)
    if own and own not in wrong and not any(overlaps((own, period_end(own, precision)), span) for span in forbidden):
        # The interview's own wrong year in place of the wrong year farthest from the answer.
        wrong = sorted(wrong, key=lambda d: abs(d.year - event.year))[: WRONG - 1] + [own]
    dates = sorted([event.start_date, *wrong])
    # Chronological order reads best for dates.
    return [OptionDraft(text=format_partial(d, precision), is_correct=d == event.start_date) for d in dates]


# --- Where the interview speaks of the event ------------------------------------------------


# Stems the interview uses for what an event's name calls otherwise: "Yagoda was substituted by
# a new minister Yezhov" names "Yezhov replaces Yagoda" (the fourteenth review found it said to
# be dated "only by implication").
SAME_STEM = {"substi": "replac", "succee": "replac", "murder": "assass", "killed": "assass"}


def stems(text: str) -> set[str]:
    """The words a text names a thing by, roughly: the stems of its longer words ("replaced"
    and "replaces" share "replac"; "political" is not "Politburo"), brackets and common
    words left out."""
    found = {w[:6] for w in normalise(text).split() if len(w) >= 4 and w not in COMMON_WORDS}
    return {SAME_STEM.get(stem, stem) for stem in found}


def share_named(event, words: set[str]) -> float:
    wanted = stems(event.name)
    return len(wanted & words) / len(wanted) if wanted else 0.0


def person_stems(content) -> set[str]:
    """The stems of every word of every person's name in the content (worked out once per run)."""
    cached = getattr(content, "_person_stems", None)
    if cached is None:
        cached = set().union(*(stems(name) for figure in content.all_figures for name in content.names(figure)))
        content._person_stems = cached
    return cached


def names_event(content, event, text: str) -> bool:
    """Whether a text names the event: it has two of the words of its name ("assassinated
    Kirov" for "Assassination of Sergei Kirov"), or the only one a one-word name has; not
    only the people's names ("his brother-in-law Alexander Svanidze" does not name his arrest);
    and no other event's name is matched more fully ("the second five-year plan" names the
    second plan, not the first plan's being declared fulfilled)."""
    words, wanted = stems(text), stems(event.name)
    found = wanted & words
    if not wanted or len(found) < min(2, len(wanted)):
        return False
    if wanted - person_stems(content) and not found - person_stems(content):
        return False
    mine = share_named(event, words)
    return all(share_named(other, words) <= mine for other in content.events)


def doubted_dating(content, event, dating):
    """The claim historians reject in which the interview dates this event ("Soon after this,
    Stalin opened the court case…" for "soon after Yezhov replaced Yagoda"): a contradicted or
    disputed claim about the event whose quote shares the dating's words. None if there is none."""
    words = {w for w in re.findall(r"[a-z0-9]+", dating.casefold()) if len(w) >= 4}
    best, shared = None, 0
    for claim in content.claims_about_event(event):
        if claim.assessment not in ("contradicted", "disputed"):
            continue
        found = len(words & set(re.findall(r"[a-z0-9]+", claim.quote.casefold())))
        if found > shared:
            best, shared = claim, found
    return best


@dataclass(frozen=True)
class Dating:
    """How the interview dates an event. `text` is our summary of its dating, not its words
    (so never in quotation marks); `plain` is that date without a leading "in"; `doubted` is
    the claim historians reject in which the interview dates it, or None."""

    text: str
    plain: str
    agrees: bool
    doubted: Claim | None = None


def interview_dating(content, event) -> Dating:
    dating = event.interview_dating.strip()
    # Only a plain date can agree; "soon after X (1936)" dates by another event.
    found = re.fullmatch(r"(?:in )?(.+)", dating, re.I)
    plain = found.group(1) if found else ""
    agrees = bool(dating) and plain in (event.start_display, str(event.year))
    doubted = doubted_dating(content, event, dating) if not agrees else None
    return Dating(dating, plain, agrees, doubted)


def naming_claim(content, event, dating: Dating | None = None):
    """The claim to cite for this event, or None: the one whose dating historians reject,
    else the words where the interview dates it, else a claim about it whose quote (failing
    that, whose passage) names it. Corroborated claims first."""
    dating = dating or interview_dating(content, event)
    # A fact is best cited to words historians agree with, where there are any.
    claims = sorted(content.claims_about_event(event), key=lambda c: c.assessment != "corroborated")
    dated = next((c for c in claims if dating.plain and dating.plain in c.quote), None)
    if dating.doubted or dated:
        return dating.doubted or dated
    # The words that name it most fully: "He deposed Enukidze from the secretarial position of
    # the central executive committee" for his removal, not the sentence on where he was sent.
    named = [c for c in claims if names_event(content, event, c.quote)]
    if named:
        return max(named, key=lambda c: (c.assessment == "corroborated", share_named(event, stems(c.quote))))
    return next((c for c in claims if names_event(content, event, c.passage.text)), None)


def speaks_of(content, event, claim) -> bool:
    """Whether the claim cited for an event names it, in its words or in its passage."""
    return names_event(content, event, claim.quote) or names_event(content, event, claim.passage.text)


# --- The explanation ------------------------------------------------------------------------


def on(date, precision) -> str:
    """A date after its preposition: "on 1 December 1934", "in April 1933", "in 1932"."""
    return f"{'on' if precision == Precision.DAY else 'in'} {format_partial(date, precision)}"


def date_phrase(event) -> str:
    """When the event happened, as historians establish it: "on 1 December 1934", "from 19 to
    24 August 1936", "from July 1937 to 17 November 1938"."""
    start, end = event.start_display, event.end_display if event.end_date else ""
    if not end or end == start:
        return on(event.start_date, event.start_precision)
    first, last = event.start_date, event.end_date
    if event.start_precision == event.end_precision != Precision.YEAR and first.year == last.year:
        # The year (and the month) said once: "from 26 January to 10 February 1934".
        same_month = first.month == last.month and event.start_precision == Precision.DAY
        start = str(first.day) if same_month else start.removesuffix(f" {first.year}")
    return f"from {start} to {end}"


def wrong_only_in_order(event, dating: Dating) -> bool:
    """Whether the interview dates the event by another one in the event's own year ("soon
    after Yezhov replaced Yagoda (1936)" of a trial a month before): its order is wrong, not
    its year, and "historians reject that" beside the year would mislead."""
    return not YEAR.fullmatch(dating.plain or "") and str(event.year) in YEAR.findall(dating.text)


def dating_note(event, dating: Dating) -> str:
    """The interview's dating beside the established one (the historians' reasons stay in
    their note, which the claim's own questions show)."""
    if dating.agrees:
        return f"The interview agrees ({dating.text})."
    if dating.doubted is not None:
        # A bare year reads "in 1932"; "soon after X (1936)" reads as it is.
        placed = f"in {dating.plain}" if YEAR.fullmatch(dating.plain or "") else dating.text
        # A dating in the event's own year is wrong in its order, not its year (the twelfth
        # review: "reject its account" beside 1936 read as the year rejected).
        if wrong_only_in_order(event, dating):
            verdict = f"The interview places it {placed}: the year is right, but historians reject the order."
        else:
            verdict = f"The interview places it {placed}, but historians reject its account."
        # With what is wrong, or "reject" reads as rejecting the whole sentence.
        return with_reason(verdict, dating.doubted)
    if dating.text:
        return f"The interview’s own dating is {dating.text}; the answer is the date historians establish."
    return ""


def misdating_words(content, event) -> Claim | None:
    """A claim on the event whose year historians reject, or None: its note opens "Wrong year",
    the curators' mark for a misdating ("In 1934, Stalin demanded …" of the 1935 reform). A
    claim merely beside the event ("most of those arrested in 1932 were exonerated", on Stalin's
    speech of 1931) is wrong for other reasons and dates nothing."""
    dated = [
        c
        for c in content.claims_about_event(event)
        if c.assessment == "contradicted" and YEAR.search(c.quote) and c.note.startswith("Wrong year")
    ]
    return dated[0] if dated else None


def source_note(content, event, claim, dating: Dating) -> str:
    if claim is not None:
        # The cited words may hold others historians judge apart ("whose wife's lover used to
        # be Kirov himself" in the sentence on Kirov's murder): say so, or the citation vouches.
        nested = content.nested_claims(claim)
        # Where it gives no date, say so: a quote beside the question reads as the source of one.
        undated = "" if dating.text else ", without dating it"
        # Cited for words bearing on the event, not naming it (the reform's year, not the 7th
        # Congress of Soviets, which it never mentions): "discusses" would be untrue.
        # Nor "dates it by implication": it dates something else (the nineteenth review).
        at = f"§{claim.passage.position}"
        where = (
            f"The interview discusses it in {at}{undated}."
            if speaks_of(content, event, claim)
            else f"The interview’s words cited, in {at}, bear on it without naming it as such."
        ) + nested_clause(nested)
        return paragraphs(where, nested_lines(nested, asked=claim))
    if dating.text:
        return ""  # the dating note already says what the interview makes of it
    # Words on the event that do not name it may still date it wrongly: "In 1934, Stalin demanded
    # …" for the reform the 7th Congress of Soviets approved in 1935. Said, with the verdict, or
    # "the interview does not date this event" hides the error (the twenty-third review).
    said = misdating_words(content, event)
    if said is not None:
        return with_reason(
            f"The interview does not name this event, but in §{said.passage.position} it says that"
            f" {content.reported(said).clause_naming_speaker()}; historians judge this {said.assessment}.",
            said,
        )
    return "The date comes from the historical record; the interview does not date this event."


def explanation_for(content, event, dating: Dating, claim) -> str:
    phrase = date_phrase(event)
    reason = f"Historians date this {phrase if phrase.startswith('from ') else 'to ' + event.start_display}."
    # A student who read another standard dating learns why it is not the answer.
    otherwise = " ".join(
        f"Some accounts give {format_partial(d, precision)}, {why}." for d, precision, why in event.dated_otherwise
    )
    detail = " ".join(
        part
        for part in [
            event.description.strip(),
            otherwise,
            dating_note(event, dating),
            source_note(content, event, claim, dating),
        ]
        if part
    )
    # The works behind the date, then those behind the historians' reasons on the cited words.
    reasoned = content.nested_claims(claim) if claim is not None else []
    if claim is None and not dating.text:
        reasoned = list(filter(None, [misdating_words(content, event)]))
    return paragraphs(reason, detail, sources_line(event, *reasoned))


# --- The question ---------------------------------------------------------------------------


def prompt_for(event, precision, ranged, by_run, dating: Dating):
    verb = "begin" if ranged else "happen"
    if by_run:
        units: dict[str, str] = {Precision.YEAR: "years", Precision.MONTH: "months", Precision.DAY: "dates"}
        between = "Between" if precision == Precision.DAY else "Over"
        asked = f"{between} which {units[run_precision(event)]} did this run: {event.name}?"
    elif precision == Precision.DAY:
        asked = f"On which date did this {verb}: {event.name}?"
    elif precision == Precision.MONTH:
        asked = f"In which month did this {verb}: {event.name}?"
    else:
        asked = f"In which year did this {verb}: {event.name}?"
    # The twelfth review: the interview's own wrong year, quoted beside the question, reads as
    # an answer; the question asks the record's. Said whenever the interview dates it at all, so
    # the words alone do not tell a student that its dating is wrong.
    if dating.text:
        return f"By the historical record, {asked[0].lower()}{asked[1:]}"
    return asked


def difficulty_for(precision, dating: Dating) -> float:
    difficulty = 0.3 + PRECISION_DIFFICULTY[precision]
    if dating.text and not dating.agrees:
        difficulty += 0.1  # the interview's dating could mislead a reader who trusts it
    return difficulty


def generate(content, rng):
    for event in content.events:
        yield question_for(content, rng, event)


def question_for(content, rng, event):
    key = f"{Kind.WHEN}:{event.key}"
    precision = event.start_precision
    if precision not in Precision.values:
        return Skip(Kind.WHEN, key, f"unknown date precision {precision!r}")
    if YEAR.search(event.name):
        return Skip(Kind.WHEN, key, "the event's name gives its date away")
    ranged = bool(event.end_date) and event.end_display != event.start_display
    dating = interview_dating(content, event)
    insist = interview_year(event, dating)
    by_run = ranged and long_running(event, precision)
    if by_run:
        options = run_options(rng.for_key(key), content, event, insist)
    else:
        options = choice_options(rng.for_key(key), content, event, precision, insist)
    if len(options) < 3:
        return Skip(Kind.WHEN, key, "too few dates outside the event's span to offer as wrong choices")
    claim = naming_claim(content, event, dating)
    return QuestionDraft(
        kind=Kind.WHEN,
        generator_key=key,
        prompt=prompt_for(event, precision, ranged, by_run, dating),
        options=options,
        explanation=explanation_for(content, event, dating, claim),
        passage=claim.passage if claim else None,
        quote=claim.quote if claim else "",
        figures=[f for f in event.participant_list if not f.is_participant],
        events=[event],
        difficulty=clamp_difficulty(difficulty_for(precision, dating)),
    )
