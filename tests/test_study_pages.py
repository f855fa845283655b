"""HTTP tests for the study pages: the reader, claims, figures and the timeline."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from history.citations import question_citation_url
from history.models import Claim, Figure, Passage, Role
from quiz.models import Question
from tests.html_support import has, link_texts
from tests.study_support import CLAIMS, add_extra, names_found, parse_page

pytestmark = pytest.mark.django_db

READER = "/interview/"


# --- The reader -------------------------------------------------------------------------


def test_reader_shows_the_standfirst_and_every_turn_with_its_speaker(client, study):
    response = client.get(READER)
    assert response.status_code == 200
    html = response.content.decode()
    page = parse_page(response)
    assert "Those people were part of" in html
    passages = list(Passage.objects.order_by("position"))
    assert [i for i in page.ids if i.startswith("passage-")] == [p.anchor for p in passages]
    assertInHTML('<abbr class="speaker-label" title="Simon Maskharashvili">SM</abbr>', html)
    assert "Simon Maskharashvili" in link_texts(html, "/figures/maskharashvili/")


def test_reader_keeps_every_passage_verbatim(client, study):
    page = parse_page(client.get(READER))
    for passage in Passage.objects.all():
        assert page.passage_texts[passage.anchor] == passage.text


def test_every_highlight_opens_an_existing_claim_and_every_claim_is_highlighted(client, study):
    page = parse_page(client.get(READER))
    linked = set()
    for passage_anchor, href, hx_get, hx_target in page.claim_links:
        assert hx_get == href
        assert hx_target == "#panel-" + passage_anchor.split("-")[1]
        assert f"panel-{passage_anchor.split('-')[1]}" in page.ids
        assert client.get(href).status_code == 200
        linked.add(href)
    assert linked == {reverse("history:claim", args=[key]) for key, *_ in CLAIMS}
    assert not page.nested_interactive


def test_overlapping_and_nested_claims_each_keep_their_own_words(client, study):
    page = parse_page(client.get(READER))
    in_passage_8 = [href.split("/")[-2] for anchor, href, *_ in page.claim_links if anchor == "passage-8"]
    # group-members spans "The most active … Abel Enukidze"; tukhachevsky-deputy nests inside it and
    # enukidze-secretary overlaps its end: the innermost claim owns the shared words.
    assert in_passage_8 == [
        "group-members",
        "tukhachevsky-deputy",
        "group-members",
        "enukidze-secretary",
        "enukidze-secretary",
        "kirov-killed-1934",
    ]
    assert page.passage_texts["passage-8"] == Passage.objects.get(position=8).text


def test_names_link_to_figures_but_never_inside_a_claim_link(client, study):
    response = client.get(READER)
    html = response.content.decode()
    assert not parse_page(response).nested_interactive
    # Interview spellings and aliases outside claims.
    assertInHTML('<a class="figure-link" href="/figures/tukhachevsky/">Tukhachevski</a>', html)  # passage 14
    assertInHTML('<a class="figure-link" href="/figures/ordzhonikidze/">Sergo Orjonikidze</a>', html)
    assertInHTML('<a class="figure-link" href="/figures/svanidze/">Alexander Svanidze</a>', html)
    assert '<a class="figure-link" href="/figures/kirov/">Kirov</a>’s case' in html
    # Whole words only: "anti-Stalinist" and "Zinovievites" are not names.
    assert ">Stalin</a>ist" not in html
    assert ">Zinoviev</a>ites" not in html
    # "Rikov" sits inside the trial-of-four claim: linked from the claim panel, not the text.
    assert "Rikov" not in link_texts(html, "/figures/rykov/")
    panel = client.get(reverse("history:claim", args=["trial-of-four"])).content.decode()
    assert "Alexei Rykov" in link_texts(panel, "/figures/rykov/")


def test_hiding_annotations_shows_plain_text_with_every_name_linked(client, study):
    response = client.get(READER, {"annotations": "off"})
    page = parse_page(response)
    html = response.content.decode()
    assert page.claim_links == []
    assert 'class="reader annotations-off"' in html
    assert "Rikov" in link_texts(html, "/figures/rykov/")
    assert ">Show the claims</a>" in html
    for passage in Passage.objects.all():
        assert page.passage_texts[passage.anchor] == passage.text
    on = client.get(READER).content.decode()
    assert has(on, "a", href="/interview/?annotations=off", data_annotations_toggle=True)


def test_text_and_content_are_escaped(client, study):
    passage = Passage.objects.get(position=9)
    passage.text = 'Why <script>alert("x")</script> & how?'
    passage.save()
    claim = Claim.objects.create(
        key="escaped",
        statement="<b>bold</b>",
        speaker=passage.speaker,
        passage=passage,
        quote='<script>alert("x")</script>',
        assessment="unverifiable",
        note="<i>n</i>",
        reference="r",
    )
    html = client.get(READER).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert parse_page(client.get(READER)).passage_texts["passage-9"] == passage.text
    panel = client.get(reverse("history:claim", args=[claim.key])).content.decode()
    assert "<b>bold</b>" not in panel and "&lt;b&gt;bold&lt;/b&gt;" in panel
    assert "<i>n</i>" not in panel


def test_a_claim_whose_quote_no_longer_matches_is_still_listed(client, study):
    Claim.objects.filter(key="yezhov-1936").update(quote="words that are not in the passage")
    page = parse_page(client.get(READER))
    hrefs = [href for anchor, href, *_ in page.claim_links]
    assert reverse("history:claim", args=["yezhov-1936"]) in hrefs
    assert page.passage_texts["passage-14"] == Passage.objects.get(position=14).text


def test_a_claim_link_marks_its_quote_in_the_reader(client, study):
    claim = Claim.objects.get(key="congress-votes")
    page = parse_page(client.get(READER, {"quote": claim.key}))
    assert "".join(page.cited_texts) == claim.quote
    page = parse_page(client.get(READER, {"highlight": claim.key}))
    assert "".join(page.cited_texts) == claim.quote


def test_the_public_reader_tells_nothing_about_a_private_question(client, study, teacher):
    # A teacher's private question, looked up by its id: the reader marks nothing.
    passage = Passage.objects.get(position=12)
    quote = "Kirov’s assassination was a perfect reason for starting a new wave of the party cleansing."
    secret = Question.objects.create(
        kind="attribution", prompt="Exam question", passage=passage, quote=quote, author=teacher, origin="teacher"
    )
    page = parse_page(client.get(READER, {"cite": str(secret.pk)}))
    assert page.cited_texts == []
    # Malformed or out-of-range spans are ignored too.
    for cite in ("12:5-2", "12:0-999999", "999:0-5", "12:-1-4", "x"):
        assert parse_page(client.get(READER, {"cite": cite})).cited_texts == []


def test_question_citations_link_to_the_passage_and_mark_the_quote(client, study):
    passage = Passage.objects.get(position=12)
    quote = "Kirov’s assassination was a perfect reason for starting a new wave of the party cleansing."
    question = Question.objects.create(kind="attribution", prompt="Who said?", passage=passage, quote=quote)
    url = question_citation_url(question)
    start = passage.text.index(quote)
    # The link names the words, not the question (the reader is public).
    assert url == f"/interview/?cite=12%3A{start}-{start + len(quote)}#passage-12"
    path, anchor = url.split("#")
    response = client.get(path)
    page = parse_page(response)
    assert anchor in page.ids
    assert "".join(page.cited_texts) == quote
    assert "The words the citation points to are marked in this passage." in response.content.decode()
    # Names inside a cited quote that no claim covers still link.
    assert 'href="/figures/kirov/">Kirov</a>' in response.content.decode()


def test_a_question_citing_only_a_claim_marks_the_claims_quote(client, study):
    claim = Claim.objects.get(key="second-plan-1932")
    question = Question.objects.create(kind="claim_assessment", prompt="?", claim=claim, passage=claim.passage)
    page = parse_page(client.get(question_citation_url(question).split("#")[0]))
    assert "".join(page.cited_texts) == claim.quote


@pytest.mark.parametrize("params", [{"cite": "999999"}, {"cite": "abc"}, {"quote": "nope"}, {"annotations": "x"}])
def test_stale_or_odd_reader_links_still_open_the_interview(client, study, params):
    response = client.get(READER, params)
    assert response.status_code == 200
    assert parse_page(response).cited_texts == []


def test_reader_without_content_explains_itself(client, db):
    response = client.get(READER)
    assert response.status_code == 200
    assert "The interview has not been loaded yet." in response.content.decode()


# --- Claims -----------------------------------------------------------------------------


def test_claim_page_without_htmx_is_a_full_page(client, study):
    response = client.get(reverse("history:claim", args=["second-plan-1932"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and has(html, "h1", id="claim-title-second-plan-1932")
    assert "In 1932, the Soviet Union embarked on the fulfillment of the second five-year plan." in html
    assertInHTML('<span class="badge-icon" aria-hidden="true">✗</span> Contradicted by historians', html)
    assert "Historians&#x27; note on second-plan-1932." in html
    assert "Reference for second-plan-1932." in html
    assert "Read it in the interview" in link_texts(html, "/interview/?quote=second-plan-1932#passage-2")
    assert "Second Five-Year Plan" in link_texts(html, "/timeline/#event-second-five-year-plan")
    assert "data-panel-close" not in html


def test_claim_panel_for_htmx_is_a_focusable_fragment(client, study):
    response = client.get(reverse("history:claim", args=["group-members"]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<main" not in html
    assert html.strip().startswith('<section class="claim-card"')
    assert "data-focus" in html and has(html, "h2", id="claim-title-group-members")
    assert "Unverifiable" in html and "data-panel-close" in html
    # Claims sharing the words are offered, loading into the same panel.
    assert has(html, "a", hx_get="/interview/claims/tukhachevsky-deputy/", hx_target="closest .claim-panel")
    assert has(html, "a", hx_get="/interview/claims/enukidze-secretary/")
    assert "kirov-killed-1934" not in html


def test_unknown_claim_is_404(client, study):
    assert client.get("/interview/claims/no-such-claim/").status_code == 404
    assert client.get("/interview/claims/no-such-claim/", HTTP_HX_REQUEST="true").status_code == 404


# --- Figures ----------------------------------------------------------------------------


def test_a_roles_note_is_shown_with_it_on_the_figure_page(client, study):
    # Stalin's General Secretaryship ends with the title's use in 1934: the page says why.
    Role.objects.filter(figure__key="tukhachevsky").update(note="A note on <the> title.")
    html = client.get(reverse("history:figure", args=["tukhachevsky"])).content.decode()
    assertInHTML('<span class="role-note">A note on &lt;the&gt; title.</span>', html)


def test_figure_index_lists_everyone_with_their_other_spellings(client, study):
    response = client.get(reverse("history:figures"))
    html = response.content.decode()
    assert has(html, "label", for_="figure-q") and has(html, "input", id="figure-q", name="q")
    assert "Also: Tukhachevski" in html
    assert "All 14 people in the interview." in html
    assert len(names_found(client, "")) == Figure.objects.count()


@pytest.mark.parametrize(
    "query, key",
    [
        ("Tukhachevski", "tukhachevsky"),
        ("tukhachevsky", "tukhachevsky"),
        ("Rikov", "rykov"),
        ("rYkOv", "rykov"),
        ("Orjonikidze", "ordzhonikidze"),
        ("Ordzhon", "ordzhonikidze"),
        ("Enukidze", "yenukidze"),
        ("Ezhov", "yezhov"),
        ("svani", "svanidze"),
        ("Dzhugashvili", "stalin"),
    ],
)
def test_search_finds_a_figure_by_any_spelling(client, study, query, key):
    assert names_found(client, query) == [key]


def test_search_partial_match_finds_several(client, study):
    found = names_found(client, "ov")
    assert {"rykov", "kirov", "yezhov", "zinoviev"} <= set(found)
    assert "kamenev" not in found


def test_search_with_no_match_says_so(client, study):
    response = client.get(reverse("history:figures"), {"q": "Napoleon"})
    html = response.content.decode()
    assert "0 figures match “Napoleon”." in html
    assert "Nobody matches “Napoleon”." in html


def test_live_search_returns_only_the_results_and_the_count(client, study):
    response = client.get(reverse("history:figures"), {"q": "Rikov"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assertInHTML('<p id="result-count" hx-swap-oob="innerHTML">1 figure matches “Rikov”.</p>', html)
    assert names_found(client, "Rikov", HTTP_HX_REQUEST="true") == ["rykov"]
    # Restoring history asks for the whole page.
    restored = client.get(
        reverse("history:figures"), {"q": "Rikov"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in restored.content.decode()


def test_figure_page_shows_bio_roles_events_and_claims(client, study):
    response = client.get(reverse("history:figure", args=["tukhachevsky"]))
    html = response.content.decode()
    assert response.status_code == 200
    assertInHTML("<h1>Mikhail Tukhachevsky</h1>", html)
    assert "1893–1937" in html
    assert "Mikhail Tukhachevsky &lt;b&gt;bio&lt;/b&gt;." in html
    assertInHTML("<strong>Other spellings:</strong> Tukhachevski", html)
    assert "First Deputy People&#x27;s Commissar of Defence" in html
    assert "April 1936 – May 1937" in html
    assert "The interview calls it: “the first deputy of the defense commissar (minister)”" in html
    assert "Statement of tukhachevsky-deputy &lt;i&gt;as made&lt;/i&gt;." in html
    assertInHTML('<span class="badge-icon" aria-hidden="true">✓</span> Corroborated by historians', html)
    assert has(html, "a", href="/interview/?quote=tukhachevsky-deputy#passage-8")


def test_figure_page_links_resolve(client, study):
    response = client.get(reverse("history:figure", args=["yagoda"]))
    page = parse_page(response)
    timeline_ids = parse_page(client.get(reverse("history:timeline"), {"range": "all"})).ids
    reader_ids = parse_page(client.get(READER)).ids
    checked = 0
    for link in page.links:
        if link.startswith("/timeline/#"):
            assert link.split("#")[1] in timeline_ids
            checked += 1
        elif link.startswith("/interview/?"):
            assert link.split("#")[1] in reader_ids
            checked += 1
        elif link.startswith("/interview/claims/"):
            assert client.get(link).status_code == 200
            checked += 1
    assert checked >= 3


def test_practise_button_only_for_logged_in_users(client, study, student):
    url = reverse("history:figure", args=["yagoda"])
    anonymous = client.get(url).content.decode()
    assert "Log in to practise" in anonymous and 'name="figure"' not in anonymous
    client.force_login(student)
    html = client.get(url).content.decode()
    assert "Log in to practise" not in html
    assert f'action="{reverse("quiz:practice")}"' in html
    assertInHTML('<input type="hidden" name="figure" value="yagoda">', html)
    assert "Practise this figure" in html


def test_a_speakers_page_lists_their_turns_instead_of_practice(client, study, student):
    client.force_login(student)
    html = client.get(reverse("history:figure", args=["maskharashvili"])).content.decode()
    assert "Speaks in 7 passages:" in html
    assertInHTML('<a href="/interview/#passage-14"><span class="visually-hidden">Passage </span>§14</a>', html)
    assert f"{len(CLAIMS)} of the interview's annotated claims are made by Maskharashvili." in html
    assert "Practise this figure" not in html


def test_a_role_still_held_reads_from_its_start(client, study):
    from history.models import Role

    Role.objects.filter(key="yagoda-nkvd").update(end_date=None)
    html = client.get(reverse("history:figure", args=["yagoda"])).content.decode()
    assert "from 10 July 1934" in html


def test_unknown_figure_is_404(client, study):
    assert client.get("/figures/napoleon/").status_code == 404


# --- Timeline ---------------------------------------------------------------------------


def event_ids(response):
    return [i.removeprefix("event-") for i in parse_page(response).ids if i.startswith("event-")]


def test_timeline_shows_1932_to_1938_in_order_by_default(client, study):
    response = client.get(reverse("history:timeline"))
    assert response.status_code == 200
    assert event_ids(response) == [
        "second-five-year-plan",
        "seventeenth-congress",
        "kirov-assassination",
        "first-moscow-trial",
        "yagoda-replaced",
    ]
    html = response.content.decode()
    assert "Show all years" in html
    assert has(html, "label", for_="timeline-figure") and has(html, "label", for_="timeline-range")


def test_timeline_can_show_every_year(client, study):
    response = client.get(reverse("history:timeline"), {"range": "all"})
    assert event_ids(response)[0] == "shakhty-trial"
    assert "May 1928 – July 1928" in response.content.decode()


def test_timeline_shows_the_interviews_dating_where_it_differs(client, study):
    html = client.get(reverse("history:timeline")).content.decode()
    plan = html[html.index('id="event-second-five-year-plan"') : html.index('id="event-seventeenth-congress"')]
    assert '<time datetime="1933">1933 – 1937</time>' in plan
    assert "The interview says: 1932" in plan and "differs from the established date" in plan
    congress = html[html.index('id="event-seventeenth-congress"') : html.index('id="event-kirov-assassination"')]
    assert "26 January 1934 – 10 February 1934" in congress
    assert "The interview says: 1934" in congress and "differs" not in congress


def test_timeline_events_link_participants_and_claims(client, study):
    response = client.get(reverse("history:timeline"))
    html = response.content.decode()
    kirov = html[html.index('id="event-kirov-assassination"') :]
    assert '<a href="/figures/kirov/">Sergei Kirov</a>' in kirov
    assert 'href="/interview/?quote=kirov-killed-1934#passage-8"' in kirov
    reader_ids = parse_page(client.get(READER)).ids
    for link in parse_page(response).links:
        if link.startswith("/interview/?"):
            assert link.split("#")[1] in reader_ids
        elif link.startswith("/figures/"):
            assert client.get(link).status_code == 200


def test_timeline_filters_by_figure(client, study):
    response = client.get(reverse("history:timeline"), {"figure": "yagoda"})
    assert event_ids(response) == ["yagoda-replaced"]
    assert has(response, "option", value="yagoda", selected=True)


def test_timeline_rejects_an_unknown_figure_clearly(client, study):
    response = client.get(reverse("history:timeline"), {"figure": "napoleon"})
    assert response.status_code == 400
    assert "There is no figure with that name on the timeline" in response.content.decode()
    assert len(event_ids(response)) == 5


def test_timeline_practise_buttons_for_logged_in_users(client, study, student):
    assert "Log in to practise" in client.get(reverse("history:timeline")).content.decode()
    client.force_login(student)
    html = client.get(reverse("history:timeline")).content.decode()
    assertInHTML('<input type="hidden" name="event" value="kirov-assassination">', html)


# --- Query counts -----------------------------------------------------------------------

PAGES = [
    READER,
    READER + "?quote=congress-votes",
    "/interview/claims/group-members/",
    "/figures/",
    "/figures/?q=rikov",
    "/figures/tukhachevsky/",
    "/figures/stalin/",
    "/timeline/?range=all",
    "/timeline/?figure=stalin",
]


def query_counts(client):
    counts = {}
    for url in PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)
    return counts


def test_query_counts_do_not_grow_with_the_content(client, study):
    small = query_counts(client)
    add_extra(12)
    assert Claim.objects.count() > 3 * len(CLAIMS)
    assert query_counts(client) == small
    assert max(small.values()) <= 8
