"""Question sets over HTTP: create, settings, bank browsing, add/remove/reorder (htmx and
plain posts), duplicate, delete, preview, and the boundaries between teachers."""

import json
import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertInHTML

from history.models import Assessment
from quiz.models import Origin, QuestionSet, SetItem, Visibility
from tests import factories
from tests.factories import make_user
from tests.html_support import has
from tests.set_form_support import create_set, set_form

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def bank(db):
    kirov = factories.figure("Kirov")
    yagoda = factories.figure("Yagoda")
    murder = factories.event("Kirov's murder")
    return {
        "kirov_q": factories.single_choice("Who led Leningrad?", figures=[kirov], events=[murder], difficulty=0.2),
        "yagoda_q": factories.single_choice(
            "Who headed the NKVD?", ("Yagoda", "Kirov", "Bukharin"), figures=[yagoda], difficulty=0.8
        ),
        "claim_q": factories.single_choice(
            "Is this claim corroborated?",
            ("Corroborated", "Disputed", "Contradicted"),
            claim=factories.claim(assessment=Assessment.DISPUTED),
            difficulty=0.5,
        ),
        "order_q": factories.ordering("Order these events."),
        "kirov": kirov,
        "murder": murder,
    }


def make_set(owner, *questions, visibility=Visibility.PRIVATE, title="My set"):
    return factories.question_set(owner, list(questions), title=title, visibility=visibility)


def order_of(question_set):
    return list(question_set.items.order_by("position").values_list("question_id", flat=True))


def test_create_set_and_change_settings(teacher_client, teacher):
    response = create_set(
        teacher_client,
        title="Purges 101",
        description="Week 3",
        visibility="class",
        shuffle_options="on",
        max_attempts=2,
        show_score="after_attempt",
        show_answers="after_close",
    )
    question_set = QuestionSet.objects.get(title="Purges 101")
    assert response.status_code == 302 and response["Location"] == reverse("quiz:set_detail", args=[question_set.pk])
    assert question_set.owner == teacher and question_set.max_attempts == 2
    assert (question_set.show_score, question_set.show_answers) == ("after_attempt", "after_close")
    assert question_set.visibility == Visibility.CLASS and not question_set.shuffle_questions

    response = teacher_client.post(
        reverse("quiz:set_settings", args=[question_set.pk]),
        set_form(title="Purges 102", visibility="public", shuffle_questions="on"),
    )
    assert response.status_code == 302
    question_set.refresh_from_db()
    assert question_set.title == "Purges 102" and question_set.visibility == "public" and question_set.shuffle_questions
    assert not question_set.shuffle_options


def test_an_attempt_limit_beyond_reason_is_refused(teacher_client, teacher):
    response = create_set(teacher_client, title="Many", max_attempts=40000)
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 100." in response.content.decode()
    assert not QuestionSet.objects.exists()


def test_invalid_settings_are_explained(teacher_client, teacher):
    response = teacher_client.post(
        reverse("quiz:set_create"), {"title": "", "visibility": "secret", "max_attempts": -1, "show_score": "x"}
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not QuestionSet.objects.exists()


def test_bank_filters(teacher_client, teacher, bank):
    question_set = make_set(teacher)
    url = reverse("quiz:set_detail", args=[question_set.pk])

    def prompts(**params):
        response = teacher_client.get(url, params)
        assert response.status_code == 200
        return {q.prompt for q in response.context["bank"]}

    assert prompts() == {
        "Who led Leningrad?",
        "Who headed the NKVD?",
        "Is this claim corroborated?",
        "Order these events.",
    }
    assert prompts(kind="chronology") == {"Order these events."}
    assert prompts(figure=bank["kirov"].key) == {"Who led Leningrad?"}
    assert prompts(event=bank["murder"].key) == {"Who led Leningrad?"}
    assert prompts(assessment="disputed") == {"Is this claim corroborated?"}
    assert prompts(difficulty="hard") == {"Who headed the NKVD?"}
    assert prompts(difficulty="easy", figure=bank["kirov"].key) == {"Who led Leningrad?"}
    # A tampered filter value is ignored rather than breaking the page.
    assert len(prompts(kind="nonsense")) == 4


def test_bank_excludes_retired_and_other_teachers_questions_but_includes_mine(
    teacher_client, teacher, other_teacher, bank
):
    bank["yagoda_q"].is_retired = True
    bank["yagoda_q"].save()
    factories.single_choice("Another teacher's secret", origin=Origin.TEACHER, author=other_teacher)
    factories.single_choice("My own question", origin=Origin.TEACHER, author=teacher)
    question_set = make_set(teacher)
    response = teacher_client.get(reverse("quiz:set_detail", args=[question_set.pk]))
    prompts = {q.prompt for q in response.context["bank"]}
    assert "My own question" in prompts
    assert "Who headed the NKVD?" not in prompts and "Another teacher's secret" not in prompts
    mine = teacher_client.get(reverse("quiz:set_detail", args=[question_set.pk]), {"mine": "on"})
    assert {q.prompt for q in mine.context["bank"]} == {"My own question"}


def test_bank_is_paginated_with_htmx_fragment(teacher_client, teacher):
    for i in range(20):
        factories.single_choice(f"Bank question {i:02d}")
    question_set = make_set(teacher)
    # The editor's own URL holds the bank's page: htmx asks it for the bank alone (and pushes it).
    url = reverse("quiz:set_detail", args=[question_set.pk])
    page2 = teacher_client.get(url, {"page": 2}, **HX)
    assert page2.status_code == 200
    html = page2.content.decode()
    assert html.lstrip().startswith('<div id="bank-results"')
    assert "<html" not in html and "page 2 of 2" in html
    assert len(page2.context["bank"]) == 5
    # Without htmx, or when htmx restores a page from history, the same URL is the whole editor there.
    for headers in ({}, {**HX, "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}):
        whole = teacher_client.get(url, {"page": 2}, **headers)
        assert whole.status_code == 200 and "<html" in whole.content.decode()
        assert "page 2 of 2" in whole.content.decode() and len(whole.context["bank"]) == 5


def settled_events(response):
    """The client events an htmx response asks for once its swap has settled (teach.js handles them)."""
    return json.loads(response.get("HX-Trigger-After-Settle", "{}"))


def test_add_remove_and_reorder_with_htmx(teacher_client, teacher, bank):
    question_set = make_set(teacher)
    add_three_with_htmx(teacher_client, question_set, bank)
    move_with_htmx(teacher_client, question_set, bank)
    remove_with_htmx(teacher_client, question_set, bank)


def add_three_with_htmx(client, question_set, bank):
    """Kirov, Yagoda, then the ordering question, each from the bank filtered to its kind."""
    add = reverse("quiz:set_add", args=[question_set.pk])
    editor = "http://testserver" + reverse("quiz:set_detail", args=[question_set.pk])
    for key, kind in (("kirov_q", "who_held_role"), ("yagoda_q", "who_held_role"), ("order_q", "chronology")):
        # htmx names the page the teacher is on; its URL holds the bank's filters.
        response = client.post(add, {"question": bank[key].pk}, **HX, HTTP_HX_CURRENT_URL=f"{editor}?kind={kind}")
        assert response.status_code == 200
        if kind == "who_held_role":
            # The bank is still at the page's filters.
            assert {q.pk for q in response.context["bank"]} == {bank[k].pk for k in ("kirov_q", "yagoda_q", "claim_q")}
    html = response.content.decode()
    # One partial: both panels, since the bank marks what is now in the set. Nothing out of band.
    assert html.lstrip().startswith('<div id="editor"')
    assert 'id="set-items"' in html and 'id="bank-results"' in html and "hx-swap-oob" not in html
    assert [q.pk for q in response.context["bank"]] == [bank["order_q"].pk] and "In this set" in html
    # Focus stays on the row's button (Add has become Remove).
    assert settled_events(response) == {
        "teach:status": {"message": "Question added to the set."},
        "teach:focus": {"id": f"bank-{bank['order_q'].pk}-button"},
    }
    assert f'id="bank-{bank["order_q"].pk}-button" class="small secondary">Remove' in html
    assert order_of(question_set) == [bank["kirov_q"].pk, bank["yagoda_q"].pk, bank["order_q"].pk]


def move_with_htmx(client, question_set, bank):
    """The ordering question up to second, Kirov down to second, then the first up (a no-op)."""
    move = reverse("quiz:set_move", args=[question_set.pk])
    response = client.post(move, {"question": bank["order_q"].pk, "direction": "up"}, **HX)
    assert response.status_code == 200 and settled_events(response)["teach:status"] == {
        "message": "Moved to position 2."
    }
    # A move changes the list only; focus stays on the moved question's button.
    assert response.content.decode().lstrip().startswith('<div id="set-items"')
    assert 'id="bank-results"' not in response.content.decode()
    assert settled_events(response)["teach:focus"] == {"id": f"move-up-{bank['order_q'].pk}"}
    assert f'id="move-up-{bank["order_q"].pk}"' in response.content.decode()
    assert order_of(question_set) == [bank["kirov_q"].pk, bank["order_q"].pk, bank["yagoda_q"].pk]
    client.post(move, {"question": bank["kirov_q"].pk, "direction": "down"}, **HX)
    assert order_of(question_set) == [bank["order_q"].pk, bank["kirov_q"].pk, bank["yagoda_q"].pk]
    # Moving the first up changes nothing.
    response = client.post(move, {"question": bank["order_q"].pk, "direction": "up"}, **HX)
    assert "already first" in settled_events(response)["teach:status"]["message"]
    assert order_of(question_set) == [bank["order_q"].pk, bank["kirov_q"].pk, bank["yagoda_q"].pk]


def remove_with_htmx(client, question_set, bank):
    """Kirov out of the middle: the others close up."""
    remove = reverse("quiz:set_remove", args=[question_set.pk])
    response = client.post(remove, {"question": bank["kirov_q"].pk}, **HX)
    assert response.status_code == 200
    # Its item and buttons are gone: focus goes to the list's heading.
    assert settled_events(response)["teach:focus"] == {"id": "items-heading"}
    assert order_of(question_set) == [bank["order_q"].pk, bank["yagoda_q"].pk]
    assert list(question_set.items.order_by("position").values_list("position", flat=True)) == [1, 2]


def test_a_malformed_page_url_from_htmx_costs_only_the_filters(teacher_client, teacher, bank):
    question_set = make_set(teacher)
    for current in ("http://[oops/teach/?kind=chronology", "\x00?kind=chronology#x", "no query at all"):
        response = teacher_client.post(
            reverse("quiz:set_add", args=[question_set.pk]),
            {"question": bank["order_q"].pk},
            **HX,
            HTTP_HX_CURRENT_URL=current,
        )
        assert response.status_code == 200
        kinds = {q.kind for q in response.context["bank"]}
        assert kinds == ({"chronology"} if "?" in current else {"chronology", "who_held_role"})
    assert order_of(question_set) == [bank["order_q"].pk]


def test_add_and_reorder_without_javascript(teacher_client, teacher, bank):
    question_set = make_set(teacher, bank["kirov_q"])
    response = teacher_client.post(
        reverse("quiz:set_add", args=[question_set.pk]) + "?kind=who_held_role&page=1",
        {"question": bank["yagoda_q"].pk},
    )
    assert response.status_code == 302
    assert (
        response["Location"] == reverse("quiz:set_detail", args=[question_set.pk]) + "?kind=who_held_role&page=1#bank"
    )
    page = teacher_client.get(response["Location"])
    assert "Question added to the set." in page.content.decode()
    response = teacher_client.post(
        reverse("quiz:set_move", args=[question_set.pk]), {"question": bank["yagoda_q"].pk, "direction": "up"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#set-items")
    assert order_of(question_set) == [bank["yagoda_q"].pk, bank["kirov_q"].pk]


def test_double_add_does_not_duplicate(teacher_client, teacher, bank):
    question_set = make_set(teacher)
    url = reverse("quiz:set_add", args=[question_set.pk])
    first = teacher_client.post(url, {"question": bank["kirov_q"].pk}, **HX)
    second = teacher_client.post(url, {"question": bank["kirov_q"].pk}, **HX)
    assert first.status_code == second.status_code == 200
    assert "already in the set" in settled_events(second)["teach:status"]["message"]
    assert SetItem.objects.filter(question_set=question_set).count() == 1


@pytest.mark.parametrize("case", ["missing", "garbage", "retired", "private"])
def test_tampered_question_ids_are_refused_and_change_nothing(teacher_client, teacher, other_teacher, bank, case):
    question_set = make_set(teacher, bank["kirov_q"])
    if case == "missing":
        value, status = 999999, 404
    elif case == "garbage":
        value, status = "1; DROP TABLE", 400
    elif case == "retired":
        bank["yagoda_q"].is_retired = True
        bank["yagoda_q"].save()
        value, status = bank["yagoda_q"].pk, 409
    else:
        value, status = factories.single_choice("Secret", origin=Origin.TEACHER, author=other_teacher).pk, 404
    for headers in ({}, HX):
        response = teacher_client.post(reverse("quiz:set_add", args=[question_set.pk]), {"question": value}, **headers)
        assert response.status_code == status
        assert order_of(question_set) == [bank["kirov_q"].pk]
    assert response["Content-Type"].startswith("text/plain")
    assert len(response.content.decode()) > 10  # a readable explanation
    # Removing or moving a question that is not in the set is a 404 too.
    assert (
        teacher_client.post(
            reverse("quiz:set_remove", args=[question_set.pk]), {"question": bank["order_q"].pk}
        ).status_code
        == 404
    )
    bad_move = teacher_client.post(
        reverse("quiz:set_move", args=[question_set.pk]), {"question": bank["kirov_q"].pk, "direction": "sideways"}
    )
    assert bad_move.status_code == 400
    assert order_of(question_set) == [bank["kirov_q"].pk]


def test_duplicate_own_and_public_sets(teacher_client, teacher, other_teacher, bank):
    mine = make_set(teacher, bank["kirov_q"], bank["yagoda_q"], title="Mine")
    response = teacher_client.post(reverse("quiz:set_duplicate", args=[mine.pk]))
    copy = QuestionSet.objects.get(title="Copy of Mine")
    assert response["Location"] == reverse("quiz:set_detail", args=[copy.pk])
    assert copy.owner == teacher and order_of(copy) == order_of(mine)

    theirs = make_set(other_teacher, bank["order_q"], bank["claim_q"], visibility=Visibility.PUBLIC, title="Theirs")
    bank["claim_q"].is_retired = True
    bank["claim_q"].save()
    view = teacher_client.get(reverse("quiz:set_detail", args=[theirs.pk]))
    assert view.status_code == 200 and "Make my own copy" in view.content.decode()
    assert "set_add" not in view.content.decode() and "Remove" not in view.content.decode()
    teacher_client.post(reverse("quiz:set_duplicate", args=[theirs.pk]), follow=True)
    copy = QuestionSet.objects.get(title="Copy of Theirs")
    assert copy.owner == teacher and copy.visibility == Visibility.PRIVATE
    assert order_of(copy) == [bank["order_q"].pk]  # the retired question is left out


def test_public_sets_of_others_cannot_be_edited(teacher_client, other_teacher, bank):
    theirs = make_set(other_teacher, bank["kirov_q"], visibility=Visibility.PUBLIC)
    for name in ("set_settings", "set_delete"):
        assert teacher_client.get(reverse(f"quiz:{name}", args=[theirs.pk])).status_code == 404
    # Their editor's URL, asked for the bank as htmx would, is still the read-only page.
    their_editor = teacher_client.get(reverse("quiz:set_detail", args=[theirs.pk]), {"page": 2}, **HX).content.decode()
    assert "Make my own copy" in their_editor and 'id="bank-results"' not in their_editor
    for name, data in [
        ("set_add", {"question": bank["yagoda_q"].pk}),
        ("set_remove", {"question": bank["kirov_q"].pk}),
        ("set_move", {"question": bank["kirov_q"].pk, "direction": "down"}),
        ("set_settings", set_form(title="Hijacked", visibility="public")),
        ("set_delete", {}),
        ("set_assign", {"classroom": 1}),
    ]:
        assert teacher_client.post(reverse(f"quiz:{name}", args=[theirs.pk]), data).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title != "Hijacked" and order_of(theirs) == [bank["kirov_q"].pk]


def test_private_sets_of_others_are_invisible(teacher_client, other_teacher, bank):
    for visibility in (Visibility.PRIVATE, Visibility.CLASS):
        theirs = make_set(other_teacher, bank["kirov_q"], visibility=visibility, title=f"Their {visibility} set")
        for name in ("set_detail", "set_preview", "set_settings", "set_delete"):
            assert teacher_client.get(reverse(f"quiz:{name}", args=[theirs.pk])).status_code == 404
        assert teacher_client.post(reverse("quiz:set_duplicate", args=[theirs.pk])).status_code == 404
        home = teacher_client.get(reverse("quiz:teacher_home")).content.decode()
        assert theirs.title not in home and reverse("quiz:set_detail", args=[theirs.pk]) not in home
    assert QuestionSet.objects.count() == 2  # no copies were made


def test_delete_set(teacher_client, teacher, bank):
    question_set = make_set(teacher, bank["kirov_q"], title="Doomed")
    confirm = teacher_client.get(reverse("quiz:set_delete", args=[question_set.pk]))
    assert confirm.status_code == 200 and "Delete “Doomed”?" in confirm.content.decode()
    response = teacher_client.post(reverse("quiz:set_delete", args=[question_set.pk]))
    assert response["Location"] == reverse("quiz:teacher_home")
    assert not QuestionSet.objects.filter(pk=question_set.pk).exists()
    assert bank["kirov_q"].__class__.objects.filter(pk=bank["kirov_q"].pk).exists()


def test_preview_renders_like_the_student_page_and_records_nothing(teacher_client, teacher, bank):
    from quiz.models import Answer, Attempt

    question_set = make_set(teacher, bank["kirov_q"], bank["order_q"], factories.matching())
    response = teacher_client.get(reverse("quiz:set_preview", args=[question_set.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert has(html, "input", type="radio") and "Who led Leningrad?" in html
    assert has(html, None, class_="order-list") and "Choose a match…" in html
    # The key sits behind "Show answer" and the form posts nowhere.
    assertInHTML("<summary>Show answer</summary>", html)
    assert html.count("Correct answer:") == 1 and "Correct order:" in html and "Correct pairs:" in html
    previews = html.split('<article class="preview-question')[1:]
    assert len(previews) == 3
    # The student's own controls (help for the number inputs included), ids kept apart per question.
    assert "Number the items from 1 (first) to" in html and has(html, None, aria_describedby="p2-order-help")
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    for preview in previews:
        form_tag = preview.split("<form", 1)[1].split(">", 1)[0]
        assert "action=" not in form_tag and "method=" not in form_tag and "hx-" not in form_tag
        assert 'type="submit"' not in preview and "csrfmiddlewaretoken" not in preview
    single = teacher_client.get(reverse("quiz:question_preview", args=[bank["kirov_q"].pk]) + f"?set={question_set.pk}")
    assert single.status_code == 200 and "Back to “My set”" in single.content.decode()
    assert not Attempt.objects.exists() and not Answer.objects.exists()


def test_preview_shows_the_set_as_students_get_it_without_retired_questions(teacher_client, teacher, bank):
    question_set = make_set(teacher, bank["kirov_q"], bank["yagoda_q"])
    bank["yagoda_q"].is_retired = True
    bank["yagoda_q"].save()
    html = teacher_client.get(reverse("quiz:set_preview", args=[question_set.pk])).content.decode()
    assert html.count('<article class="preview-question') == 1
    assert "Who led Leningrad?" in html and "Who headed the NKVD?" not in html


def test_preview_of_another_teachers_private_question_is_404(teacher_client, other_teacher):
    secret = factories.single_choice("Secret", origin=Origin.TEACHER, author=other_teacher)
    assert teacher_client.get(reverse("quiz:question_preview", args=[secret.pk])).status_code == 404
    # Once shared in a public set, it may be previewed.
    make_set(other_teacher, secret, visibility=Visibility.PUBLIC)
    assert teacher_client.get(reverse("quiz:question_preview", args=[secret.pk])).status_code == 200


def test_editor_query_count_is_constant(teacher_client, teacher, django_assert_max_num_queries):
    small = make_set(teacher, *factories.mixed_questions(3))
    make_user("filler")
    for i in range(30):
        factories.single_choice(f"Filler {i}", figures=[factories.figure()])
    big = make_set(teacher, *factories.mixed_questions(40), title="Big")

    def count(question_set):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert teacher_client.get(reverse("quiz:set_detail", args=[question_set.pk])).status_code == 200
        return len(ctx.captured_queries)

    assert count(small) == count(big)


def test_editor_shows_each_questions_answer_so_alike_prompts_can_be_told_apart(teacher_client, teacher):
    said = "According to the interview, which of these does Maskharashvili say?"
    first = factories.single_choice(said, ("Kirov was killed in 1934.", "Kirov was killed in 1935."), correct=0)
    second = factories.single_choice(said, ("Yagoda was replaced in 1936.", "Yagoda was replaced in 1937."), correct=0)
    order = factories.ordering("Put these in order.", items=("Congress", "Murder", "Trial"))
    question_set = make_set(teacher, first, order)
    html = teacher_client.get(reverse("quiz:set_detail", args=[question_set.pk])).content.decode()
    items = html.split('id="set-items"')[1].split('id="bank-results"')[0]
    assert "Answer: Kirov was killed in 1934." in items and "Answer: Congress → Murder → Trial" in items
    bank = html.split('id="bank-results"')[1]
    assert "Answer: Yagoda was replaced in 1936." in bank and "Answer: Kirov was killed in 1934." in bank
    assert second.prompt == first.prompt


def test_paging_the_bank_moves_keyboard_focus_to_the_new_page(teacher_client, teacher):
    for i in range(20):
        factories.single_choice(f"Filler question {i}")
    question_set = make_set(teacher)
    url = reverse("quiz:set_detail", args=[question_set.pk]) + "?page=2"
    paged = teacher_client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER="bank-next")
    assert settled_events(paged) == {"teach:focus": {"id": "bank-count"}}
    assertContains(
        paged,
        '<p id="bank-count" class="bank-count" role="status" tabindex="-1">20 questions match · page 2 of 2</p>',
        html=True,
    )
    # A filter change keeps focus where it is (on the filter): nothing claims it.
    filtered = teacher_client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER="bank-filters")
    assert settled_events(filtered) == {}


def test_without_javascript_every_form_carries_the_banks_state_in_its_url(teacher_client, teacher, bank):
    for i in range(20):
        factories.single_choice(f"Who else? {i:02d}")
    question_set = make_set(teacher, bank["kirov_q"], bank["yagoda_q"])
    editor = reverse("quiz:set_detail", args=[question_set.pk])
    html = teacher_client.get(editor, {"kind": "who_held_role", "page": 2}).content.decode()
    assert "bank_state" not in html and "bank_qs" not in html
    actions = dict(re.findall(r'<form method="post" action="([^"?]+)\?([^"]*)"', html))
    assert set(actions) == {
        reverse(f"quiz:{name}", args=[question_set.pk]) for name in ("set_add", "set_remove", "set_move")
    }
    assert set(actions.values()) == {"kind=who_held_role&amp;page=2"}
    # The pager's links: the same filters, another page.
    assert has(html, "a", href="?kind=who_held_role&page=1#bank", hx_get="?kind=who_held_role&page=1")
    # A post from that page comes back to it.
    add = re.search(r'<form method="post" action="([^"]*/add/[^"]*)"', html).group(1).replace("&amp;", "&")
    question = re.search(
        r'name="question" value="(\d+)">\s*<button type="submit" id="bank-\d+-button" class="small">', html
    ).group(1)
    response = teacher_client.post(add, {"question": question})
    assert response.status_code == 302 and response["Location"] == editor + "?kind=who_held_role&page=2#bank"
    assert int(question) in order_of(question_set)
