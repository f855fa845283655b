"""When did it happen? — one question per event, asked at the event's own precision.

A year-precision event gets year choices only, a month-precision one month choices,
and only a day-precision event is asked for a full date. The answer is the established
date (the Event record), not the interview's dating. No wrong choice falls inside the
event's own span, so an event that ran over several years never has a second right year.
"""

import calendar
import datetime as dt
import re

from history.dates import Precision, format_partial, period_end
from quiz.answer_modes import OptionDraft
from quiz.models import Kind

from .base import QuestionDraft, Skip, clamp_difficulty
from .content import YEAR, overlaps, span_of

KINDS = (Kind.WHEN,)
CHOICES = 4
REACH = 8  # how far (in the event's own units) wrong choices may lie from the answer


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


def question_for(content, rng, event):
    key = f"{Kind.WHEN}:{event.key}"
    precision = event.start_precision
    if precision not in Precision.values:
        return Skip(Kind.WHEN, key, f"unknown date precision {precision!r}")
    if YEAR.search(event.name):
        return Skip(Kind.WHEN, key, "the event's name gives its date away")
    ranged = bool(event.end_date) and event.end_display != event.start_display
    dates, answer = choice_window(rng.for_key(key), event, precision)
    if len(dates) < 3:
        return Skip(Kind.WHEN, key, "too few dates outside the event's span to offer as wrong choices")
    # Chronological order reads best for dates.
    options = [OptionDraft(text=format_partial(d, precision), is_correct=i == answer) for i, d in enumerate(dates)]

    explanation = f"{event.name}: {event.span_display}."
    if event.description.strip():
        explanation += f" {event.description.strip()}"
    dating = event.interview_dating.strip()
    # interview_dating is our summary of how the interview dates the event, not its words: no
    # quotation marks. Only a plain date can agree; "soon after X (1936)" dates by another event.
    plain = re.fullmatch(r"(?:in )?(.+)", dating, re.I).group(1) if dating else ""
    agrees = bool(dating) and plain in (event.start_display, str(event.year))
    doubted = doubted_dating(content, event, dating) if not agrees else None
    # A bare year reads "in 1932"; "soon after X (1936)" reads as it is.
    placed = f"in {plain}" if YEAR.fullmatch(plain or "") else dating
    if agrees:
        explanation += f" The interview agrees ({dating})."
    elif doubted is not None:
        explanation += (
            f" The interview places it {placed}, but historians reject its account: {doubted.note.strip()}"
            " The answer is the date historians establish."
        )
    elif dating:
        explanation += f" The interview’s own dating is {dating}; the answer is the date historians establish."
    # Cite the words where the interview dates it, where there are such words.
    dated = next((c for c in content.claims_about_event(event) if plain and plain in c.quote), None) if dating else None
    claim = doubted or dated or content.citation_for_event(event)
    if claim is not None:
        passage, quote = claim.passage, claim.quote
        if event.interview_dating:
            explanation += f" The interview discusses it in §{claim.passage.position}."
        else:
            # Linked through a claim (often through its historians' note): the interview need not name it.
            explanation += f" For what the interview says in connection with it, see §{claim.passage.position}."
    else:
        passage, quote = None, ""
        explanation += " This comes from the historical record; the interview does not mention it."
    difficulty = 0.3 + {Precision.YEAR: 0.0, Precision.MONTH: 0.15, Precision.DAY: 0.25}[precision]
    if dating and not agrees:
        difficulty += 0.1  # the interview's dating could mislead a reader who trusts it
    return QuestionDraft(
        kind=Kind.WHEN,
        generator_key=key,
        prompt=prompt_for(event, precision, ranged),
        options=options,
        explanation=explanation,
        passage=passage,
        quote=quote,
        figures=[f for f in event.participant_list if not f.is_participant],
        events=[event],
        difficulty=clamp_difficulty(difficulty),
    )
