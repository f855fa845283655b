"""What apps built on history add to its pages, so that history never imports them.

An app registers from its `AppConfig.ready()` (quiz registers its quick practice and what it
does when content changes); a page whose hook nobody filled leaves that part out, so history's
pages work on their own.
"""

from collections.abc import Callable, Iterable

from django.urls import reverse

_practice_url_name = ""
_content_changed: list[Callable[..., str]] = []


def register_practice(url_name: str) -> None:
    """Give the figure and timeline pages a "Practise" button posting `figure=<key>` or
    `event=<key>` to the URL named `url_name`."""
    global _practice_url_name
    _practice_url_name = url_name


def practice_url() -> str:
    """Where the "Practise" buttons post, or "" when no app offers practice."""
    return reverse(_practice_url_name) if _practice_url_name else ""


def register_content_changed(callback: Callable[..., str]) -> None:
    """Have `callback(figures=..., events=..., claims=...)` (sets of primary keys) called after
    an edit of the content, in the same transaction, once the edit is saved in full (inlines and
    many-to-many included); it returns a short sentence for the editor, or "". A row that is
    gone was deleted by the edit."""
    if callback not in _content_changed:  # ready() may run more than once
        _content_changed.append(callback)


def content_changed(*, figures: Iterable[int] = (), events: Iterable[int] = (), claims: Iterable[int] = ()) -> str:
    """Tell the registered apps which figures, events and claims an edit touched; what they
    report, one sentence after another ("" when nobody is registered or nothing was touched)."""
    rows = {"figures": set(figures), "events": set(events), "claims": set(claims)}
    if not any(rows.values()):
        return ""
    reports = [callback(**rows) for callback in _content_changed]
    return " ".join(report for report in reports if report)
