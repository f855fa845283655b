"""When did it happen? — one question per event, asked at the event's own precision.

A year-precision event gets year choices only, a month-precision one month choices,
and only a day-precision event is asked for a full date. The answer is the established
date (the Event record), not the interview's dating. No wrong choice falls inside the
event's own span, so an event that ran over several years never has a second right year.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from history.dates import Precision, format_partial, period_end
from history.models import Claim
from quiz.answer_modes import OptionDraft
from quiz.models import Kind

from .base import QuestionDraft, Skip, clamp_difficulty
from .content import YEAR, overlaps, span_of

KINDS = (Kind.WHEN,)
CHOICES = 4
REACH = 8  # how far (in the event's own units) wrong choices may lie from the answer
# The finer the precision asked for, the harder the question.
PRECISION_DIFFICULTY = {Precision.YEAR: 0.0, Precision.MONTH: 0.15, Precision.DAY: 0.25}


def shift(date: dt.date, precision: str, steps: int) -> dt.date:
    if precision == Precision.YEAR:
        return dt.date(date.year + steps, 1, 1)
    month_index = date.year * 12 + date.month - 1 + steps
    year, month = divmod(month_index, 12)
    if precision == Precision.MONTH:
        return dt.date(year, month + 1, 1)
    return dt.date(year, month + 1, min(date.day, calendar.monthrange(year, month + 1)[1]))


def choice_window(rng, event, precision):
    """Consecutive choices around the answer, the answer at a random place among them
    (so 'pick the middle one' never works). Returns (dates, index of the answer)."""
    own = span_of(event)
    dates = []
    for steps in range(-REACH, REACH + 1):
        date = shift(event.start_date, precision, steps) if steps else event.start_date
        if steps and overlaps((date, period_end(date, precision)), own):
            continue  # inside the event's span: it would be right too
        dates.append(date)
    answer = dates.index(event.start_date)
    lowest = max(0, answer - (CHOICES - 1))
    highest = min(answer, len(dates) - CHOICES)
    start = rng.randint(lowest, highest)
    return dates[start : start + CHOICES], answer - start


def prompt_for(event, precision, ranged):
    verb = "begin" if ranged else "happen"
    if precision == Precision.DAY:
        return f"On which date did this {verb}: {event.name}?"
    if precision == Precision.MONTH:
        return f"In which month did this {verb}: {event.name}?"
    return f"In which year did this {verb}: {event.name}?"


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


def generate(content, rng):
    for event in content.events:
        yield question_for(content, rng, event)


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


def event_facts(event) -> str:
    facts = f"{event.name}: {event.span_display}."
    if event.description.strip():
        facts += f" {event.description.strip()}"
    return facts


def dating_note(dating: Dating) -> str:
    """The interview's dating beside the established one."""
    if dating.agrees:
        return f" The interview agrees ({dating.text})."
    if dating.doubted is not None:
        # A bare year reads "in 1932"; "soon after X (1936)" reads as it is.
        placed = f"in {dating.plain}" if YEAR.fullmatch(dating.plain or "") else dating.text
        return (
            f" The interview places it {placed}, but historians reject its account: {dating.doubted.note.strip()}"
            " The answer is the date historians establish."
        )
    if dating.text:
        return f" The interview’s own dating is {dating.text}; the answer is the date historians establish."
    return ""


def cited_claim(content, event, dating: Dating):
    """The claim to cite: the one whose dating historians reject, else the words where the
    interview dates the event, else the event's usual citation (or None)."""
    dated = next((c for c in content.claims_about_event(event) if dating.plain and dating.plain in c.quote), None)
    return dating.doubted or dated or content.citation_for_event(event)


def citation(event, claim):
    """(passage, quote, the sentence that says where the interview speaks of the event)."""
    if claim is None:
        return None, "", " This comes from the historical record; the interview does not mention it."
    if event.interview_dating:
        return claim.passage, claim.quote, f" The interview discusses it in §{claim.passage.position}."
    # Linked through a claim (often through its historians' note): the interview need not name it.
    return (
        claim.passage,
        claim.quote,
        f" For what the interview says in connection with it, see §{claim.passage.position}.",
    )


def difficulty_for(precision, dating: Dating) -> float:
    difficulty = 0.3 + PRECISION_DIFFICULTY[precision]
    if dating.text and not dating.agrees:
        difficulty += 0.1  # the interview's dating could mislead a reader who trusts it
    return difficulty


def question_for(content, rng, event):
    key = f"{Kind.WHEN}:{event.key}"
    precision = event.start_precision
    if precision not in Precision.values:
        return Skip(Kind.WHEN, key, f"unknown date precision {precision!r}")
    if YEAR.search(event.name):
        return Skip(Kind.WHEN, key, "the event's name gives its date away")
    dates, answer = choice_window(rng.for_key(key), event, precision)
    if len(dates) < 3:
        return Skip(Kind.WHEN, key, "too few dates outside the event's span to offer as wrong choices")
    # Chronological order reads best for dates.
    options = [OptionDraft(text=format_partial(d, precision), is_correct=i == answer) for i, d in enumerate(dates)]
    dating = interview_dating(content, event)
    passage, quote, source_note = citation(event, cited_claim(content, event, dating))
    ranged = bool(event.end_date) and event.end_display != event.start_display
    return QuestionDraft(
        kind=Kind.WHEN,
        generator_key=key,
        prompt=prompt_for(event, precision, ranged),
        options=options,
        explanation=event_facts(event) + dating_note(dating) + source_note,
        passage=passage,
        quote=quote,
        figures=[f for f in event.participant_list if not f.is_participant],
        events=[event],
        difficulty=clamp_difficulty(difficulty_for(precision, dating)),
    )
