"""What apps built on history add to its pages, so that history never imports them.

An app registers from its `AppConfig.ready()` (quiz registers its quick practice); a page whose
hook nobody filled leaves that part out, so history's pages work on their own.
"""

from django.urls import reverse

_practice_url_name = ""


def register_practice(url_name: str) -> None:
    """Give the figure and timeline pages a "Practise" button posting `figure=<key>` or
    `event=<key>` to the URL named `url_name`."""
    global _practice_url_name
    _practice_url_name = url_name


def practice_url() -> str:
    """Where the "Practise" buttons post, or "" when no app offers practice."""
    return reverse(_practice_url_name) if _practice_url_name else ""
