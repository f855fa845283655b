"""Imported HTML reduced, in one linear pass, to what html_to_text keeps: its text and the few
block tags that decide where lines break, balanced and at most MAX_NESTING deep.

Why: nh3's HTML parser (html5ever) takes time that grows with how deeply elements nest and
with formatting tags left open across blocks, which it re-creates in every block that follows.
Measured here with nh3 0.3.8: 300 KB of <div>s took 12 s; 264 KB of `<div><b title=N></div>`
took 63 s; 33 KB reopening 100 distinct <b>s in each of 8,000 paragraphs came out as 14 MB;
100,000 attributes on one tag took 4.5 s; and its time grows with the square of the character
references in one text (see AMP below). On an outline none of that can happen: no attributes,
no formatting tags, no references, every element closed in order, nesting bounded. So nh3 still
sanitises what it is given, in time proportional to its length.

The tokenizer follows HTML's own rules where they decide what is a tag (comments, `<!...>` and
`<?...>`, quoted attribute values that may hold `>`, the raw text of <script> and <style>), so
markup cannot hide an end tag from the nesting count, nor show one that a browser would not see.
"""

import html
import re

from .limits import MAX_NESTING


class NestingTooDeep(Exception):
    """The HTML nests more than MAX_NESTING block elements inside one another."""


# The tags html_to_text turns into line breaks, and images (counted for a warning). Tables
# and rows become <div>s: they break lines the same way without the table parsing rules.
_BLOCKS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}
_AS_DIV = {"table", "tr"}
_VOID = {"br", "img"}
_KEPT = _BLOCKS | _AS_DIV | _VOID
# A start tag of these closes a <p> left open, as in HTML; these close one of their own kind.
_CLOSES_P = _BLOCKS | _AS_DIV
_CLOSE_THEIR_LIKE = {"li", "tr"}
# Elements whose content is text up to their end tag: dropped with it, or kept as text.
_DROP_CONTENT = {"script", "style"}
_RAW_TEXT = {"textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"}

_WS = "\t\n\f\r "
_TOKEN = re.compile(
    rf"""
    (?P<text>[^<]+)
  | <!--(?:-?>|.*?--!?>|.*)                 # a comment (one left open runs to the end, as in HTML)
  | <[!?][^>]*+>? | </(?![A-Za-z])[^>]*+>?  # doctype, <![CDATA[, <?...>, </ without a name: ignored
  | <(?P<end>/?)(?P<name>[A-Za-z][^{_WS}/>]*+)
    (?:[{_WS}/]++                           # the attributes, possessive so nothing is rescanned:
      | (?:=[^{_WS}/>=]*+|[^{_WS}/>=]++)    #   a name (it may start with =),
        (?:[{_WS}]*+=[{_WS}]*+(?:"[^"]*+"?|'[^']*+'?|[^{_WS}>]*+))?  # a value; quotes may hold >
    )*+
    (?P<close>>?)
  | (?P<lt><)                               # a < that starts nothing is text
    """,
    re.S | re.X,
)
_END_OF: dict[str, re.Pattern] = {}  # name -> compiled search for its end tag, e.g. </script followed by space, / or >


def _end_tag(name):
    if name not in _END_OF:
        _END_OF[name] = re.compile(rf"</{name}[{_WS}/>]", re.I)
    return _END_OF[name]


# The outline's text holds no & and no <: they stand as these private-use characters, which
# html_to_text turns back (and any already in the text are dropped). html5ever takes time that
# grows with the square of the character references in one text: 200,000 `a&amp;b` took
# 1.6 s, 400,000 took 6.5 s.
AMP, LT = "\ue001", "\ue002"


def _text(value, decode=True):
    """Text as the outline carries it: character references decoded here, where the text is
    still in one piece (a dropped tag must not join `&am` and `p;`)."""
    text = html.unescape(value) if decode else value
    return text.replace(AMP, "").replace(LT, "").replace("&", AMP).replace("<", LT)


def restore(text):
    """The text of an outline (once nh3 and the text extractor are done with it)."""
    return text.replace(AMP, "&").replace(LT, "<")


class _Outline:
    """The outline being written, and the elements open in it (by their names in the source)."""

    def __init__(self):
        self.out = []
        self.open = []

    def start(self, name):
        if name in _VOID:
            self.out.append(f"<{name}>")
            return
        if self.open and self.open[-1] == "p" and name in _CLOSES_P:
            self.close_top()
        if self.open and self.open[-1] == name and name in _CLOSE_THEIR_LIKE:
            self.close_top()
        self.open.append(name)
        if len(self.open) > MAX_NESTING:
            raise NestingTooDeep()
        self.out.append(f"<{_written(name)}>")

    def end(self, name):
        if name == "br":  # </br> is read as <br>, as browsers do
            self.out.append("<br>")
        elif name in self.open:
            while self.close_top() != name:
                pass

    def close_top(self):
        name = self.open.pop()
        if self.out and self.out[-1] == f"<{_written(name)}>":
            # An empty element only breaks the line, and a run of them breaks it as one does
            # (html_to_text collapses blank lines): keep one, so 1 MB of <p>s is not 2 MB of outline.
            self.out.pop()
            if not self.out or self.out[-1] != _EMPTY_BLOCK:
                self.out.append(_EMPTY_BLOCK)
            return name
        self.out.append(f"</{_written(name)}>")
        return name

    def html(self):
        while self.open:
            self.close_top()
        return "".join(self.out)


_EMPTY_BLOCK = "<div></div>"


def _written(name):
    return "div" if name in _AS_DIV else name


def outline(value):
    """The outline of HTML `value` (see the module docstring). Raises NestingTooDeep."""
    result = _Outline()
    pos, length = 0, len(value)
    while pos < length:
        match = _TOKEN.match(value, pos)
        pos = match.end()
        if match["text"] is not None or match["lt"] is not None:
            result.out.append(_text(match[0]))
            continue
        if match["name"] is None or not match["close"]:
            continue  # a comment, a declaration, or a tag cut off by the end of the text: dropped
        name = match["name"].lower()
        if match["end"]:
            if name in _KEPT:
                result.end(name)
        elif name in _KEPT:
            result.start(name)
        elif name in _DROP_CONTENT or name in _RAW_TEXT:
            found = None if name == "plaintext" else _end_tag(name).search(value, pos)
            end = found.start() if found else length
            if name in _RAW_TEXT:
                # Raw text is text, tags and all; only <title> and <textarea> decode references.
                result.out.append(_text(value[pos:end], decode=name in ("title", "textarea")))
            pos = end
    return result.html()
