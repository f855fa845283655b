"""Dates known only to a year or a month, as history often is.

A partial date is stored as the first day of its period plus a precision; these
helpers parse the fixture's "YYYY", "YYYY-MM" and "YYYY-MM-DD" forms and print
a date no more precisely than it is known.
"""

import datetime as dt

from django.db import models


class Precision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


def parse_partial(value: str) -> tuple[dt.date, str]:
    """Parse "1934", "1934-12" or "1934-12-01" into (date, precision).

    Raises ValueError with a message naming the bad value.
    """
    parts = str(value).strip().split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(numbers) == 1:
            return dt.date(numbers[0], 1, 1), Precision.YEAR
        if len(numbers) == 2:
            return dt.date(numbers[0], numbers[1], 1), Precision.MONTH
        if len(numbers) == 3:
            return dt.date(*numbers), Precision.DAY
    except (TypeError, ValueError):
        pass
    raise ValueError(f"{value!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")


def unparse_partial(date: dt.date | None, precision: str) -> str | None:
    """The inverse of parse_partial: the fixture form of a stored partial date."""
    if date is None:
        return None
    if precision == Precision.YEAR:
        return f"{date.year:04d}"
    if precision == Precision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def format_partial(date: dt.date | None, precision: str) -> str:
    """Human form at the date's precision: "1934", "December 1934", "1 December 1934"."""
    if date is None:
        return ""
    if precision == Precision.YEAR:
        return str(date.year)
    if precision == Precision.MONTH:
        return date.strftime("%B %Y")
    return f"{date.day} {date.strftime('%B %Y')}"


def period_end(date: dt.date, precision: str) -> dt.date:
    """The last day a partial date could mean (31 December for a year)."""
    if precision == Precision.YEAR:
        return dt.date(date.year, 12, 31)
    if precision == Precision.MONTH:
        next_month = dt.date(date.year + date.month // 12, date.month % 12 + 1, 1)
        return next_month - dt.timedelta(days=1)
    return date
