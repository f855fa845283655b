"""Questions about a page's markup asked of the parsed HTML (Django's own test parser), not of
its raw text: attribute order, quoting and whitespace do not matter.

For a whole element whose content is known, `assertContains(response, fragment, html=True)` or
`assertInHTML` (from pytest_django.asserts) says it best; these helpers are for the rest:

    find_all(html, "a", href="/figures/kirov/")        # every <a> with that href
    has(html, "input", type="hidden", name="figure", value="yagoda")
    text_of(element)                                    # its text, whitespace collapsed
"""

from django.test.html import Element, normalize_whitespace, parse_html


def _matches(element, tag, attrs):
    if tag is not None and element.name != tag:
        return False
    present = dict(element.attributes)
    for name, wanted in attrs.items():
        name = name.rstrip("_").replace("_", "-")  # class_ → class, aria_describedby → aria-describedby
        if name not in present:
            return False
        if wanted is not True and present[name] != wanted:
            return False
    return True


def _walk(element):
    for child in element.children:
        if isinstance(child, Element):
            yield child
            yield from _walk(child)


def find_all(html, tag, **attrs):
    """The `tag` elements (None: any) whose attributes include `attrs` (a value of True: present
    with any value; `class_` for class, underscores for hyphens), in document order."""
    if isinstance(html, Element):
        root = html
    else:
        root = parse_html(html if isinstance(html, str) else html.content.decode())
    return [e for e in ([root] if isinstance(root, Element) else []) + list(_walk(root)) if _matches(e, tag, attrs)]


def has(html, tag, **attrs):
    return bool(find_all(html, tag, **attrs))


def text_of(element):
    parts = []

    def collect(node):
        for child in node.children:
            if isinstance(child, str):
                parts.append(child)
            else:
                collect(child)

    collect(element)
    return normalize_whitespace(" ".join(parts)).strip()


def link_texts(html, href):
    """The texts of the links to `href`."""
    return [text_of(a) for a in find_all(html, "a", href=href)]
