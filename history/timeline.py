"""Placing events on the timeline and comparing the interview's dating with the established one."""

import datetime as dt
import re

from django.db.models import Q

from .dates import Precision, unparse_partial

# The years the interview is about; the timeline opens on them.
DEFAULT_RANGE = (1932, 1938)

_YEAR = re.compile(r"(?<!\d)(1[0-9]{3})(?!\d)")


def events_in_range(events, first_year: int, last_year: int):
    """Events overlapping the years first_year..last_year (an event running into the range counts)."""
    first, last = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
    return events.filter(
        Q(start_date__lte=last) & (Q(end_date__gte=first) | Q(end_date__isnull=True, start_date__gte=first))
    )


def dating_comparison(event) -> str:
    """How the interview's dating of `event` compares with the established date.

    "" when the interview does not date it; "agrees" when every year it gives
    falls within the event's established years; "differs" when one does not;
    "unclear" when it dates it in words with no year.
    """
    said = (event.interview_dating or "").strip()
    if not said:
        return ""
    years = [int(y) for y in _YEAR.findall(said)]
    if not years:
        return "unclear"
    first = event.start_date.year
    last = event.end_date.year if event.end_date else first
    return "agrees" if all(first <= y <= last for y in years) else "differs"


def time_attribute(event) -> str:
    """A machine-readable datetime for <time>, no more precise than the date is known."""
    return unparse_partial(event.start_date, event.start_precision or Precision.DAY) or ""
