"""Find figures by any spelling of their name.

Russian names reach English in several transliterations (Rykov/Rikov,
Tukhachevsky/Tukhachevski, Ordzhonikidze/Orjonikidze, Yenukidze/Enukidze).
Besides the stored aliases, names and queries are folded to a rough common
form, so a spelling nobody thought to store still finds its figure.
"""

import re
import unicodedata

# Applied in order to lower-cased, accent-free text.
_FOLDS = [
    (re.compile(r"dzh"), "j"),
    (re.compile(r"zh"), "j"),
    (re.compile(r"\bye"), "e"),  # Yezhov/Ezhov, Yenukidze/Enukidze
    (re.compile(r"[yj]"), "i"),  # after the above: Rykov/Rikov, -sky/-ski
    (re.compile(r"kh"), "h"),
    (re.compile(r"ff\b"), "v"),  # Rykoff
    (re.compile(r"[^a-z0-9 ]"), ""),
    (re.compile(r"\s+"), " "),
]


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    for pattern, replacement in _FOLDS:
        text = pattern.sub(replacement, text)
    return text.strip()


def spellings(figure) -> list[str]:
    """All the names a figure goes by (aliases must be prefetched)."""
    names = [figure.name, figure.short_name, figure.interview_spelling, *(a.name for a in figure.aliases.all())]
    return [n for n in dict.fromkeys(names) if n]


def other_spellings(figure) -> list[str]:
    """Spellings a reader might meet besides the figure's standard full name."""
    return [n for n in spellings(figure) if n != figure.name and n != figure.short_name]


# How closely a figure's best spelling matches the query, best first.
EXACT, WHOLE_WORD, WORD_START, INSIDE = range(4)


def search_figures(figures, query: str) -> list:
    """Figures any of whose spellings contains `query` (case-insensitive, partial,
    transliteration-tolerant), closest matches first: a spelling equal to the query, then
    the query as a whole word, then as the start of a word, then anywhere inside a word
    ("Rikov" lists Rykov, whose alias it is, before Kirov, born Kostrikov). Figures that
    match equally well keep their given order. An empty query returns every figure."""
    query = (query or "").strip()
    if not query:
        return list(figures)
    plain = query.casefold()
    plain_word = re.compile(rf"(?<!\w){re.escape(plain)}(?!\w)")
    plain_start = re.compile(rf"(?<!\w){re.escape(plain)}")
    # Folded forms are loose, so they must match from the start of a word:
    # "orj" finds Ordzhonikidze but not Grigori Zinoviev.
    folded = fold(query)
    folded_word = re.compile(rf"(?:^| ){re.escape(folded)}(?: |$)") if folded else None
    folded_at_word = re.compile(rf"(?:^| ){re.escape(folded)}") if folded else None

    def closeness(name):
        text, loose = name.casefold(), fold(name)
        if text == plain or (folded and loose == folded):
            return EXACT
        if plain_word.search(text) or (folded_word and folded_word.search(loose)):
            return WHOLE_WORD
        if plain_start.search(text) or (folded_at_word and folded_at_word.search(loose)):
            return WORD_START
        if plain in text:
            return INSIDE
        return None

    ranked = []
    for order, figure in enumerate(figures):
        ranks = [r for r in map(closeness, spellings(figure)) if r is not None]
        if ranks:
            ranked.append((min(ranks), order, figure))
    return [figure for _, _, figure in sorted(ranked, key=lambda item: item[:2])]
