"""What the strict Content Security Policy asks of a served page: no inline script, event
handler, style attribute or block, and no javascript: URL."""

import re

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)
STYLE_BLOCK = re.compile(r"<style[\s>]", re.I)


def assert_no_inline_code(html: str):
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)
    assert not INLINE_HANDLER.search(html), INLINE_HANDLER.search(html)
    assert not STYLE_ATTR.search(html), STYLE_ATTR.search(html)
    assert not STYLE_BLOCK.search(html)
    assert "javascript:" not in html.lower()
