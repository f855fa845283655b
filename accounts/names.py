"""Names as people see them: without invisible characters, towers of accents or lookalike letters.

A name or username on a class roster could otherwise carry U+202E (RIGHT-TO-LEFT OVERRIDE) and
display as something else, hide characters that draw nothing so that two accounts look alike,
pile a hundred accents on one letter so that it covers the rows around it, or borrow a Cyrillic
or Greek letter that looks Latin.

without_invisible() removes what draws nothing: format characters (category Cf: direction
marks, embeddings, overrides and isolates, zero-width spaces and joiners, the soft hyphen, tag
characters), control characters (Cc) other than line breaks and tabs, private-use characters
(Co), unassigned code points and noncharacters (Cn, as far as this Python's Unicode knows),
surrogates (Cs), and every other Default_Ignorable_Code_Point (Unicode's list of characters a
renderer shows as nothing: the Khmer inherent vowels, variation selectors, the Hangul fillers,
the combining grapheme joiner...), plus the blank Braille pattern. Teachers' set titles,
descriptions and class names go through it too (quiz/teaching/forms.py).

visible_name() also turns any run of spaces, of whatever kind, into one plain space, trims the
ends, composes the text (NFC; NFKC for usernames, as Django does, so full-width and other
compatibility forms are the plain letters), and keeps at most MAX_MARKS combining marks on a
letter (counting those built into a precomposed one: Vietnamese needs two, Indic vowel signs
one or two), dropping marks that have no letter to sit on. A name with no visible letter left
is refused, not silently emptied.

Usernames must not pass for one another. The exact check (differing only in case, or after the
stripping above) is Django's; on top of it a username is refused when one word of it mixes
Latin with Cyrillic or Greek letters ("studеnt" with a Cyrillic е), and when its skeleton
(LOOKALIKES mapped to the Latin letters they resemble, then case-folded) is another account's
("сор" in Cyrillic beside "cop"). What this does not catch: lookalikes within one alphabet (rn
and m, l and I and 1, 0 and O), letters of other alphabets (Armenian, Cherokee...) and
Cyrillic or Greek letters missing from the small table, and characters whose case folding is
longer (ß and ss). Two accounts saved before these checks may still look alike: an
administrator can rename one.

Zero-width joiners belong to the spelling of some scripts (Persian among them), and variation
selectors to some emoji; on a roster, a slightly different rendering is a fair price for names
that cannot pretend.
"""

import re
import unicodedata
from typing import Literal

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UsernameField

# Default_Ignorable_Code_Point (Unicode 15, DerivedCoreProperties.txt), and the blank Braille
# pattern, which is a symbol that draws nothing.
_IGNORABLE_RANGES = [
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x2800, 0x2800),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
]
DRAW_NOTHING = frozenset(chr(code) for first, last in _IGNORABLE_RANGES for code in range(first, last + 1))
INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Co", "Cn", "Cs"})
KEPT_CONTROLS = frozenset("\t\n\r")
MAX_MARKS = 4

# Cyrillic and Greek letters that look like a Latin one, in the case in which they do (the
# lower-case Cyrillic т and н look like small capitals, not like t and h).
LOOKALIKES = {
    **dict(zip("аеһіјкорсухѕԁԛԝӏү", "aehijkopcyxsdqwly", strict=True)),
    **dict(zip("АВЕЅІЈКМНОРСТУХҮӀ", "ABESIJKMHOPCTYXYI", strict=True)),
    **dict(zip("αικνορυχγηϲϳ", "aikvopuxyncj", strict=True)),
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧϹ", "ABEZHIKMNOPTYXC", strict=True)),
}
SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def without_invisible(text: str) -> str:
    """`text` without the characters that draw nothing (line breaks and tabs are kept)."""
    return "".join(
        ch
        for ch in text
        if ch in KEPT_CONTROLS or (ch not in DRAW_NOTHING and unicodedata.category(ch) not in INVISIBLE_CATEGORIES)
    )


def _with_few_marks(text: str) -> str:
    """At most MAX_MARKS combining marks after each base character of decomposed `text`; marks
    with no base (at the start, or after a space) are dropped."""
    kept = []
    marks = None  # marks on the current base; None while there is no base to sit on
    for ch in text:
        if unicodedata.category(ch).startswith("M"):
            if marks is None or marks >= MAX_MARKS:
                continue
            marks += 1
        else:
            marks = None if ch == " " else 0
        kept.append(ch)
    return "".join(kept)


def visible_name(text: str, *, form: Literal["NFC", "NFKC"] = "NFC") -> str:
    spaced = "".join(" " if ch.isspace() else ch for ch in text)
    decomposed = unicodedata.normalize("NFKD" if form == "NFKC" else "NFD", without_invisible(spaced))
    return " ".join(unicodedata.normalize(form, _with_few_marks(decomposed)).split())


def _script(ch: str) -> str | None:
    name = unicodedata.name(ch, "")
    return next((script for script in SCRIPTS if name.startswith(script + " ")), None)


def mixes_scripts(username: str) -> bool:
    """Whether one word (a run of letters) of `username` mixes Latin, Cyrillic and Greek."""
    return any(len({_script(ch) for ch in word} - {None}) > 1 for word in re.findall(r"[^\W\d_]+", username))


def skeleton(text: str) -> str:
    return "".join(LOOKALIKES.get(ch, ch) for ch in text).casefold()


def _same_skeleton_pattern(username: str) -> str:
    """A regular expression (the same in Python's re, SQLite's and PostgreSQL's) matching every
    username of the same length whose characters have the same skeletons, in either case."""
    pool = set(LOOKALIKES) | set(LOOKALIKES.values())
    parts = []
    for ch in username:
        target = skeleton(ch)
        candidates = {ch, ch.upper(), ch.lower(), target, target.upper()} | pool
        alternatives = sorted(alt for alt in candidates if len(alt) == 1 and alt.isalnum() and skeleton(alt) == target)
        parts.append(f"[{''.join(alternatives)}]" if ch.isalnum() and alternatives else re.escape(ch))
    return "^" + "".join(parts) + "$"


def lookalike_exists(username: str, *, exclude_pk=None) -> bool:
    """Whether another account's username has the same skeleton as `username`."""
    candidates = get_user_model()._default_manager.filter(username__regex=_same_skeleton_pattern(username))
    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    wanted = skeleton(username)
    return any(skeleton(other) == wanted for other in candidates.values_list("username", flat=True)[:20])


class _Visible:
    """A form field whose value goes through visible_name(); a value with nothing visible left
    is refused (not silently emptied)."""

    normal_form = "NFC"

    def to_python(self, value):
        text = super().to_python(value)
        visible = visible_name(text, form=self.normal_form)
        if text and not visible:
            raise forms.ValidationError(self.error_messages["invisible"], code="invisible")
        return visible


class VisibleNameField(_Visible, forms.CharField):
    default_error_messages = {"invisible": "A name needs at least one visible letter."}


class VisibleUsernameField(_Visible, UsernameField):
    normal_form = "NFKC"
    default_error_messages = {
        "invisible": "A username needs at least one visible letter or digit.",
        "mixed_scripts": "This username mixes letters of different alphabets in one word (say Latin with "
        "Cyrillic), which lets it pass for another. Use one alphabet in each word.",
    }

    def validate(self, value):
        super().validate(value)
        if mixes_scripts(value):
            raise forms.ValidationError(self.error_messages["mixed_scripts"], code="mixed_scripts")


class DistinctUsernameMixin:
    """For forms that name an account (sign-up, the admin's): a new username that looks like
    another account's is refused. (An unchanged one is left alone, so that either of two
    lookalikes saved before this check can still be edited, and renamed.)"""

    lookalike_message = "This username looks too much like an existing username. Choose another."

    def clean_username(self):
        parent = getattr(super(), "clean_username", None)
        username = parent() if parent else self.cleaned_data.get("username")
        if username and "username" in self.changed_data and lookalike_exists(username, exclude_pk=self.instance.pk):
            raise forms.ValidationError(self.lookalike_message, code="lookalike")
        return username
