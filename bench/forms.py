"""Read the quiz's answer form out of a page, as a student's browser would, and fill it in.

Used by the page timings and the load run; standard library only, so it works in either.
"""

import re
from html.parser import HTMLParser

ASSET_RE = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')


class _FormParser(HTMLParser):
    """Collects the first form whose action ends in /answer/: its action and a valid fill."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.action = None
        self.fields = {}
        self._in_form = False
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and self.action is None and (a.get("action") or "").endswith("/answer/"):
            self.action = a["action"]
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            self._input(name, a)
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and a.get("value") and self._select not in self.fields:
            self.fields[self._select] = a["value"]  # the first real choice

    def _input(self, name, a):
        kind = a.get("type", "text")
        if kind == "radio":
            self.fields.setdefault(name, a.get("value", ""))  # the first choice
        elif kind != "submit":
            self.fields[name] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form" and self._in_form:
            self._in_form = False


def answer_form(html):
    """(action URL, form data) of the page's answer form, or (None, {}) when it has none."""
    parser = _FormParser()
    parser.feed(html)
    return parser.action, parser.fields


def assets(html):
    """The stylesheets and scripts a page loads."""
    return ASSET_RE.findall(html)
