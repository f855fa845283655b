"""Turn a passage's text plus quoted spans into segments the reader can mark up.

Claims quote exact words of a passage; several claims may quote the same
passage and their spans may overlap or nest. Rather than nesting markup (which
breaks on partial overlaps), the text is cut at every span boundary: each
segment is then covered by a fixed set of spans, and concatenating the segments
gives back the text exactly. Names of figures are linked only in segments no
claim covers, so a link never sits inside a claim link.

Everything here returns plain data; templates do the escaping.
"""

import re
from dataclasses import dataclass, field

CITED = "__cited__"  # the span a visitor arrived to see (a question's citation)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    key: str


@dataclass
class Piece:
    text: str
    figure: object = None  # a Figure when the words name one


@dataclass
class Segment:
    text: str
    start: int
    keys: tuple[str, ...] = ()  # claim keys covering the segment, innermost first
    cited: bool = False
    pieces: list[Piece] = field(default_factory=list)

    @property
    def linkable(self):
        """Worth a link of its own: a claim's bare ", " or "." between nested claims is marked
        but not made a tab stop (the claim stays reachable from its other words)."""
        return any(ch.isalnum() for ch in self.text)

    @property
    def claim_key(self):
        """The claim the segment's link opens: the innermost one covering it."""
        return self.keys[0] if self.keys else None


def locate(text: str, quote: str) -> Span | None:
    """Where `quote` first occurs in `text`, or None (a quote edited out of step with the passage)."""
    if not quote:
        return None
    start = text.find(quote)
    if start < 0:
        return None
    return Span(start, start + len(quote), "")


def segments(text: str, spans: list[Span]) -> list[Segment]:
    """Cut `text` at every span boundary; each segment lists the spans covering it.

    Spans outside the text are clipped and empty spans ignored. The segments'
    texts concatenate to `text`, each character exactly once.
    """
    clean = []
    for span in spans:
        start, end = max(0, span.start), min(len(text), span.end)
        if start < end:
            clean.append(Span(start, end, span.key))
    cuts = sorted({0, len(text), *(s.start for s in clean), *(s.end for s in clean)})
    result = []
    for start, end in zip(cuts, cuts[1:]):
        covering = [s for s in clean if s.start <= start and end <= s.end]
        # Innermost (shortest) first, so a nested claim is reachable from its own words.
        covering.sort(key=lambda s: (s.end - s.start, s.start, s.key))
        keys = tuple(dict.fromkeys(s.key for s in covering if s.key != CITED))
        result.append(Segment(text[start:end], start, keys, any(s.key == CITED for s in covering)))
    return result


def name_pattern(names: dict[str, object]) -> re.Pattern | None:
    """One regex matching any of `names` as whole words, longest names first
    (so "Sergo Orjonikidze" wins over "Orjonikidze")."""
    ordered = sorted((n for n in names if n), key=lambda n: (-len(n), n))
    if not ordered:
        return None
    alternatives = "|".join(re.escape(n) for n in ordered)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def link_names(text: str, names: dict[str, object], pattern: re.Pattern | None = None) -> list[Piece]:
    """Split `text` into pieces, attaching the figure to each whole-word name match."""
    pattern = pattern if pattern is not None else name_pattern(names)
    if pattern is None or not text:
        return [Piece(text)] if text else []
    pieces, position = [], 0
    for match in pattern.finditer(text):
        if match.start() > position:
            pieces.append(Piece(text[position : match.start()]))
        pieces.append(Piece(match.group(0), names[match.group(0)]))
        position = match.end()
    if position < len(text):
        pieces.append(Piece(text[position:]))
    return pieces


def annotate(text: str, spans: list[Span], names: dict[str, object], *, pattern=None, link_claimed=False):
    """Segments for the reader: claims marked, names linked where no claim covers them.

    With `link_claimed` (annotations hidden, so there are no claim links) names
    are linked everywhere.
    """
    pattern = pattern if pattern is not None else name_pattern(names)
    result = segments(text, spans)
    for segment in result:
        if segment.keys and not link_claimed:
            segment.pieces = [Piece(segment.text)]
        else:
            segment.pieces = link_names(segment.text, names, pattern)
    return result


def figure_names(figures) -> dict[str, object]:
    """Every spelling that should link to a figure: full name, short name, the
    interview's spelling, aliases, and the surname of the full and interview
    spellings when no other figure shares it. Ambiguous names are left unlinked."""
    claims: dict[str, set] = {}
    surnames: dict[str, set] = {}

    def add(table, name, figure):
        name = (name or "").strip()
        if len(name) >= 3 and name[0].isupper():
            table.setdefault(name, set()).add(figure.pk)

    by_pk = {}
    for figure in figures:
        by_pk[figure.pk] = figure
        for name in [
            figure.name,
            figure.short_name,
            figure.interview_spelling,
            *(a.name for a in figure.aliases.all()),
        ]:
            add(claims, name, figure)
        for full in (figure.name, figure.interview_spelling):
            parts = (full or "").split()
            if len(parts) > 1:
                add(surnames, parts[-1], figure)
    names = {name: by_pk[next(iter(pks))] for name, pks in claims.items() if len(pks) == 1}
    for name, pks in surnames.items():
        if name not in claims and len(pks) == 1:
            names[name] = by_pk[next(iter(pks))]
    return names
