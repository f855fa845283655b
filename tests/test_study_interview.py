"""The study pages over the real curated content (history/content/interview.json): the reader,
its source line, figure pages and search, the timeline and question citations."""

import re
from html import unescape

import pytest
from django.template import Context, Template
from django.urls import reverse

from history.loading import FIXTURE_PATH
from history.models import Claim, Event, Figure, Passage
from tests.study_support import names_found, parse_page

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not FIXTURE_PATH.exists(), reason="the curated content fixture is not there yet"),
]

READER = "/interview/"

# Spellings the interview uses, and whose page each should reach.
INTERVIEW_SPELLINGS = {
    "Tukhachevski": "tukhachevsky",
    "Orjonikidze": "ordzhonikidze",
    "Rikov": "rykov",
    "Kirov": "kirov",
    "Stalin": "stalin",
    "Yagoda": "yagoda",
    "Yezhov": "yezhov",
    "Enukidze": "yenukidze",
    "Svanidze": "svanidze",
    "Zinoviev": "zinoviev",
    "Kamenev": "kamenev",
    "Bukharin": "bukharin",
}


def source_line(response):
    html = response.content.decode()
    match = re.search(r'<p class="source-meta">(.*?)</p>', html, re.S)
    assert match, "no source line"
    return match.group(1)


def text_of(fragment):
    return " ".join(unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def test_every_passage_is_anchored_and_verbatim(client, interview):
    page = parse_page(client.get(READER))
    passages = list(interview.passages.order_by("position"))
    assert len(passages) > 10
    assert [i for i in page.ids if i.startswith("passage-")] == [p.anchor for p in passages]
    for passage in passages:
        assert page.passage_texts[passage.anchor] == passage.text
    assert not page.nested_interactive


def test_every_claim_is_highlighted_in_place_and_opens(client, interview):
    response = client.get(READER)
    page = parse_page(response)
    hrefs = {href for _, href, *_ in page.claim_links}
    claims = list(Claim.objects.all())
    assert len(claims) > 20
    # In place: none falls back to the "also claimed" list.
    assert 'class="unplaced-claims"' not in response.content.decode()
    for claim in claims:
        url = reverse("history:claim", args=[claim.key])
        assert url in hrefs, f"claim {claim.key} has no highlight"
    for href in hrefs:
        assert client.get(href, HTTP_HX_REQUEST="true").status_code == 200


def test_names_in_the_interview_link_to_their_figures(client, interview):
    html = client.get(READER, {"annotations": "off"}).content.decode()
    for spelling, key in INTERVIEW_SPELLINGS.items():
        assert f'href="/figures/{key}/">' in html
        assert f">{spelling}</a>" in html or f"{spelling}</a>" in html, spelling


@pytest.mark.parametrize("query, key", [(q, k) for q, k in INTERVIEW_SPELLINGS.items()] + [("rikov", "rykov")])
def test_every_interview_spelling_finds_its_figure(client, interview, query, key):
    page = parse_page(client.get(reverse("history:figures"), {"q": query}))
    assert f"/figures/{key}/" in page.links


def test_every_figure_page_renders_and_its_links_resolve(client, interview):
    timeline_ids = set(parse_page(client.get(reverse("history:timeline"), {"range": "all"})).ids)
    reader_ids = set(parse_page(client.get(READER)).ids)
    for figure in Figure.objects.all():
        response = client.get(figure.get_absolute_url())
        assert response.status_code == 200
        for link in parse_page(response).links:
            if link.startswith("/timeline/#"):
                assert link.split("#")[1] in timeline_ids, (figure.key, link)
            elif link.startswith("/interview/?"):
                assert link.split("#")[1] in reader_ids, (figure.key, link)


def test_timeline_anchors_every_event_and_flags_the_interviews_1932(client, interview):
    response = client.get(reverse("history:timeline"), {"range": "all"})
    ids = parse_page(response).ids
    for event in Event.objects.all():
        assert f"event-{event.key}" in ids
    html = response.content.decode()
    plan = html[html.index('id="event-second-five-year-plan"') :]
    plan = plan[: plan.index("</li>")]
    assert "The interview says: 1932" in plan and "differs from the established date" in plan


def test_question_citations_reach_their_passage_and_quote(client, question_bank):
    questions = list(question_bank.select_related("passage", "claim__passage")[:400])
    assert questions
    template = Template("{% load study %}{{ question|citation_url }}")
    reader_ids = set(parse_page(client.get(READER)).ids)
    checked = 0
    for question in questions:
        url = template.render(Context({"question": question}))
        if not url:
            continue
        path, anchor = url.split("#")
        assert anchor in reader_ids
        if question.quote and checked < 25:
            page = parse_page(client.get(path))
            assert question.quote in "".join(page.cited_texts) or "".join(page.cited_texts) in question.quote, (
                question.pk
            )
            assert "".join(page.cited_texts)
            checked += 1
    assert checked


def test_query_count_on_the_full_reader_is_small(client, interview, django_assert_max_num_queries):
    assert Passage.objects.count() > 10
    with django_assert_max_num_queries(6):
        client.get(READER)
    with django_assert_max_num_queries(6):
        client.get(reverse("history:figure", args=["stalin"]))


# --- The source line ----------------------------------------------------------------


def test_source_line_says_what_the_text_does_not_name(client, interview):
    line = source_line(client.get(READER))
    assert text_of(line) == (
        "Interview with Simon Maskharashvili. The interviewer is not named in the text "
        "(their turns are credited to “GJ”); the publication is not identified."
    )
    # Nothing but a real title is set as one.
    assert "<cite>" not in line


@pytest.mark.parametrize(
    "interviewer, publication, expected",
    [
        (
            "Nino Gelashvili",
            "Georgian Journal",
            "Interview with Simon Maskharashvili, by Nino Gelashvili, Georgian Journal.",
        ),
        (
            "",
            "Georgian Journal",
            "Interview with Simon Maskharashvili, Georgian Journal. The interviewer is not named in the text "
            "(their turns are credited to “GJ”).",
        ),
        (
            "Nino Gelashvili",
            "",
            "Interview with Simon Maskharashvili, by Nino Gelashvili. The publication is not identified.",
        ),
    ],
)
def test_source_line_names_whatever_is_known(client, interview, interviewer, publication, expected):
    interview.interviewer, interview.publication = interviewer, publication
    interview.save()
    line = source_line(client.get(READER))
    assert text_of(line) == expected
    assert ("<cite>Georgian Journal</cite>" in line) == bool(publication)


# --- The order of figure-search results -----------------------------------------------


def test_an_exact_spelling_is_listed_before_a_name_that_only_contains_it(client, interview):
    # Kirov was born Kostrikov, which contains "rikov"; Rikov is Rykov's own spelling.
    assert names_found(client, "Rikov") == ["rykov", "kirov"]
    assert names_found(client, "rikov", HTTP_HX_REQUEST="true") == ["rykov", "kirov"]


def test_search_ranks_whole_words_before_the_starts_of_words(client, interview):
    # Bukharin and Yezhov are called Nikolai; Nikolaev and Tukhachevsky (Nikolayevich) only
    # begin a word with it. Within each group the usual alphabetical order stands.
    assert names_found(client, "Nikolai") == ["bukharin", "yezhov", "nikolaev", "tukhachevsky"]
