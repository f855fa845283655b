"""The highlight logic: cutting a passage at claim spans, linking names, folding spellings."""

from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from history.annotate import CITED, Span, annotate, figure_names, link_names, locate, segments
from history.figure_search import fold, search_figures

TEXT = "Tukhachevski, Enukidze and Yagoda could practically oust Stalin in 1934."


def spans_of(text, *quotes):
    return [Span(text.index(q), text.index(q) + len(q), key) for key, q in quotes]


def test_no_spans_gives_the_whole_text_as_one_segment():
    result = segments(TEXT, [])
    assert [(s.text, s.keys) for s in result] == [(TEXT, ())]


def test_overlapping_spans_are_cut_at_every_boundary():
    spans = spans_of(TEXT, ("a", "Tukhachevski, Enukidze"), ("b", "Enukidze and Yagoda"))
    result = segments(TEXT, spans)
    assert [(s.text, s.keys) for s in result] == [
        ("Tukhachevski, ", ("a",)),
        ("Enukidze", ("b", "a")),  # the shorter span first
        (" and Yagoda", ("b",)),
        (" could practically oust Stalin in 1934.", ()),
    ]


def test_nested_spans_list_the_innermost_claim_first():
    spans = spans_of(TEXT, ("outer", "Yagoda could practically oust Stalin"), ("inner", "oust Stalin"))
    result = segments(TEXT, spans)
    covered = [(s.text, s.keys, s.claim_key) for s in result if s.keys]
    assert covered == [
        ("Yagoda could practically ", ("outer",), "outer"),
        ("oust Stalin", ("inner", "outer"), "inner"),
    ]


def test_identical_spans_keep_both_claims():
    spans = spans_of(TEXT, ("b", "Yagoda"), ("a", "Yagoda"))
    (covered,) = [s for s in segments(TEXT, spans) if s.keys]
    assert covered.keys == ("a", "b")


def test_spans_outside_the_text_are_clipped_and_empty_ones_ignored():
    result = segments("abcdef", [Span(-3, 2, "x"), Span(4, 99, "y"), Span(3, 3, "z")])
    assert [(s.text, s.keys) for s in result] == [("ab", ("x",)), ("cd", ()), ("ef", ("y",))]


def test_the_cited_span_is_flagged_but_is_not_a_claim():
    spans = spans_of(TEXT, ("a", "Enukidze and Yagoda"))
    spans.append(Span(TEXT.index("Yagoda"), TEXT.index("Yagoda") + 6, CITED))
    marked = [(s.text, s.keys, s.cited) for s in segments(TEXT, spans) if s.keys or s.cited]
    assert marked == [("Enukidze and ", ("a",), False), ("Yagoda", ("a",), True)]


@given(
    text=st.text(min_size=0, max_size=40),
    raw=st.lists(st.tuples(st.integers(-5, 45), st.integers(-5, 45)), max_size=6),
)
def test_segments_never_lose_or_duplicate_text(text, raw):
    spans = [Span(a, b, f"k{i}") for i, (a, b) in enumerate(raw)]
    result = segments(text, spans)
    assert "".join(s.text for s in result) == text
    assert all(s.text for s in result)
    for segment in result:
        # Each segment is covered by exactly the spans that contain it.
        expected = {
            f"k{i}"
            for i, (a, b) in enumerate(raw)
            if max(0, a) <= segment.start and segment.start + len(segment.text) <= min(len(text), b)
        }
        assert set(segment.keys) == expected


def test_locate_finds_the_first_occurrence_or_nothing():
    assert locate("a b a b", "a b") == Span(0, 3, "")
    assert locate("a b", "zzz") is None
    assert locate("a b", "") is None


def figure(pk, name, short, interview="", aliases=()):
    alias_objects = [SimpleNamespace(name=a) for a in aliases]
    return SimpleNamespace(
        pk=pk,
        name=name,
        short_name=short,
        interview_spelling=interview,
        aliases=SimpleNamespace(all=lambda: alias_objects),
    )


FIGURES = [
    figure(1, "Mikhail Tukhachevsky", "Tukhachevsky", "Tukhachevski"),
    figure(2, "Avel Yenukidze", "Yenukidze", "Abel Enukidze"),
    figure(3, "Joseph Stalin", "Stalin", "Stalin"),
    figure(4, "Sergo Ordzhonikidze", "Ordzhonikidze", "Sergo Orjonikidze", ["Orjonikidze"]),
    figure(5, "Alexei Rykov", "Rykov", "Rikov"),
    figure(6, "Nadezhda Stalina", "Stalina"),
    figure(7, "Grigory Zinoviev", "Zinoviev"),
]


def test_names_link_whole_words_in_any_known_spelling():
    names = figure_names(FIGURES)
    pieces = link_names("Stalin’s friend Abel Enukidze, anti-Stalinist Rikov, and Sergo Orjonikidze.", names)
    linked = [(p.text, p.figure.pk) for p in pieces if p.figure]
    assert linked == [("Stalin", 3), ("Abel Enukidze", 2), ("Rikov", 5), ("Sergo Orjonikidze", 4)]
    assert (
        "".join(p.text for p in pieces) == "Stalin’s friend Abel Enukidze, anti-Stalinist Rikov, and Sergo Orjonikidze."
    )


def test_a_surname_alone_links_when_it_is_unambiguous():
    names = figure_names(FIGURES)
    assert names["Enukidze"].pk == 2
    assert names["Tukhachevski"].pk == 1


def test_names_are_not_linked_inside_claims_unless_claims_are_hidden():
    names = figure_names(FIGURES)
    spans = spans_of(TEXT, ("a", "Tukhachevski, Enukidze"))
    on = annotate(TEXT, spans, names)
    assert [p.figure for p in on[0].pieces] == [None]
    assert [p.text for p in on[1].pieces if p.figure] == ["Stalin"]
    off = annotate(TEXT, spans, names, link_claimed=True)
    assert [p.text for p in off[0].pieces if p.figure] == ["Tukhachevski", "Enukidze"]


def test_transliterations_fold_together():
    assert fold("Tukhachevski") == fold("Tukhachevsky")
    assert fold("Rikov") == fold("Rykov")
    assert fold("Orjonikidze") == fold("Ordzhonikidze")
    assert fold("Enukidze") == fold("Yenukidze")
    assert fold("Ezhov") == fold("Yezhov")


def test_search_matches_any_spelling_partially_and_case_insensitively():
    def keys(query):
        return [f.pk for f in search_figures(FIGURES, query)]

    assert keys("tukhachevski") == [1]
    assert keys("RIKOV") == [5]
    assert keys("Ordzhon") == [4]
    assert keys("enuki") == [2]
    assert keys("stalin") == [3, 6]
    assert keys("zzz") == []
    # Loose (folded) matches count only from the start of a word.
    assert keys("orj") == [4]
    assert keys("Tukhachevskii") == []
    assert keys("  ") == [1, 2, 3, 4, 5, 6, 7]


def test_punctuation_between_nested_claims_is_not_a_link_of_its_own():
    text = "Tukhachevski, Enukidze."
    spans = [Span(0, len(text), "outer"), Span(0, 12, "t"), Span(14, 22, "e")]
    result = segments(text, spans)
    assert [(s.text, s.linkable) for s in result] == [
        ("Tukhachevski", True),
        (", ", False),
        ("Enukidze", True),
        (".", False),
    ]
