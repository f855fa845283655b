"""Names as people see them: without direction overrides or other invisible characters.

A name or username on a class roster could otherwise carry U+202E (RIGHT-TO-LEFT OVERRIDE) and
display as something else, or hide zero-width and "filler" characters so that two accounts look
alike. visible_name() removes format characters (category Cf: direction marks, embeddings,
overrides and isolates, zero-width spaces and joiners, the soft hyphen), control characters
(Cc), and the characters that draw nothing although Unicode calls them letters or symbols (the
Hangul fillers, the blank Braille pattern, the combining grapheme joiner). Any run of spaces,
of whatever kind, becomes one plain space, and the ends are trimmed.

Zero-width joiners belong to the spelling of some scripts (Persian among them); on a roster, a
slightly different rendering is a fair price for names that cannot pretend.
"""

import unicodedata

from django import forms
from django.contrib.auth.forms import UsernameField

DRAW_NOTHING = frozenset("\u034f\u115f\u1160\u2800\u3164\uffa0")
INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc"})


def visible_name(text: str) -> str:
    kept = []
    for ch in text:
        if ch.isspace():
            kept.append(" ")
        elif ch not in DRAW_NOTHING and unicodedata.category(ch) not in INVISIBLE_CATEGORIES:
            kept.append(ch)
    return " ".join("".join(kept).split())


class _Visible:
    """A form field whose value goes through visible_name(); a value with nothing visible left
    is refused (not silently emptied)."""

    def to_python(self, value):
        text = super().to_python(value)
        visible = visible_name(text)
        if text and not visible:
            raise forms.ValidationError(self.error_messages["invisible"], code="invisible")
        return visible


class VisibleNameField(_Visible, forms.CharField):
    default_error_messages = {"invisible": "A name needs at least one visible letter."}


class VisibleUsernameField(_Visible, UsernameField):
    default_error_messages = {"invisible": "A username needs at least one visible letter or digit."}
