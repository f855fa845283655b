"""Names and usernames carry no direction overrides, invisible format characters, controls,
"filler" letters or towers of accents, and a username cannot pass for another one, so nobody can
spoof a name on a class roster. Teachers' set titles and class names lose the invisible
characters too."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.names import visible_name
from quiz.models import Classroom, Enrollment
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "smolny-corridor-1934"


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("Nino", "Nino"),
        ("\u202eonin", "onin"),  # RIGHT-TO-LEFT OVERRIDE
        ("Ni\u2066n\u2069o", "Nino"),  # isolates
        ("Ni\u200bno\u200f", "Nino"),  # zero-width space, right-to-left mark
        ("Ni\u00adno", "Nino"),  # soft hyphen (format)
        ("Ni\x07no\x1b", "Nino"),  # control characters
        ("\u3164", ""),  # HANGUL FILLER
        ("Nino\u115f\u1160\uffa0", "Nino"),  # choseong/jungseong fillers, halfwidth filler
        ("  Nino \u00a0 Beridze  ", "Nino Beridze"),  # odd spaces become one plain space
        ("Ნინო", "Ნინო"),  # Georgian letters stay
        ("José", "José"),
        ("Jose\u0301", "José"),  # composed (NFC)
        ("Ni\u17b4no\u17b5", "Nino"),  # Khmer inherent vowels: default ignorable, draw nothing
        ("Nino\ufe0f\U000e0100", "Nino"),  # variation selectors
        ("Ni\u180bno", "Nino"),  # Mongolian free variation selector
        ("Nino\ue000\U000f0000", "Nino"),  # private use
        ("Nino\ufffe\ufdd0\U0010ffff", "Nino"),  # noncharacters
        ("Nino\U000e0041", "Nino"),  # a tag character
        ("\u0301\u0308", ""),  # combining marks with no letter to sit on
        ("\u0301Nino \u0308Beridze", "Nino Beridze"),
        ("N" + "\u0301" * 140 + "ino", "\u0143" + "\u0301" * 3 + "ino"),  # 4 accents at most, Ń's own counted
        ("ệ", "ệ"),  # Vietnamese: two accents on one letter stay
        ("नमस्ते", "नमस्ते"),  # Devanagari vowel signs and virama stay
    ],
)
def test_visible_name(raw, clean):
    assert visible_name(raw) == clean


def sign_up(client, **fields):
    data = {"username": "nino", "password1": PASSWORD, "password2": PASSWORD, **fields}
    return client.post(reverse("signup"), data)


def test_sign_up_strips_invisible_characters_from_username_and_name(client):
    response = sign_up(client, username="ni\u200bno\u202e", first_name="\u202eNino\u2069 \u3164Beridze")
    assert response.status_code == 302
    user = get_user_model().objects.get()
    assert (user.username, user.first_name) == ("nino", "Nino Beridze")


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"username": "\u200b\u3164\u202e"}, "A username needs at least one visible letter or digit."),
        ({"first_name": "\u3164\u200b"}, "A name needs at least one visible letter."),
        ({"first_name": "\u0301\u0301\u0301"}, "A name needs at least one visible letter."),
    ],
    ids=["username invisible after stripping", "name invisible after stripping", "name of combining marks alone"],
)
def test_a_username_or_name_with_nothing_visible_is_refused(client, fields, error):
    response = sign_up(client, **fields)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not get_user_model().objects.exists()


def test_a_name_keeps_at_most_four_marks_on_a_letter(client):
    assert sign_up(client, first_name="Z" + "\u0336\u0334" * 70 + "oe").status_code == 302
    assert get_user_model().objects.get().first_name == "Z\u0336\u0334\u0336\u0334oe"


@pytest.mark.parametrize(
    "username",
    [
        "stud\u0435nt",  # Cyrillic е among Latin letters
        "\u0455tudent",  # Cyrillic dze
        "studen\u03c4",  # Greek tau
    ],
)
def test_a_username_mixing_latin_with_cyrillic_or_greek_in_one_word_is_refused(client, username):
    response = sign_up(client, username=username)
    assert response.status_code == 200
    assert "mixes letters of different alphabets" in response.content.decode()
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize(
    "existing, username",
    [
        ("cop", "\u0441\u043e\u0440"),  # Cyrillic "сор"
        ("cop", "\u0421\u041e\u0420"),  # Cyrillic capitals "СОР"
        ("pop", "\u03c1\u03bf\u03c1"),  # Greek "ρορ"
        ("kayak", "\u043a\u0430\u0443\u0430\u043a"),  # Cyrillic "кауак"
    ],
)
def test_a_username_that_looks_like_an_existing_one_is_refused(client, existing, username):
    make_user(existing)
    response = sign_up(client, username=username)
    assert response.status_code == 200
    assert "looks too much like an existing username" in response.content.decode()
    assert get_user_model().objects.count() == 1


def test_a_lookalike_is_refused_whichever_account_came_first(client):
    make_user("\u0441\u043e\u0440")  # Cyrillic "сор"
    response = sign_up(client, username="Cop")
    assert "looks too much like an existing username" in response.content.decode()


def test_full_width_and_other_compatibility_forms_are_the_plain_letters(client, student):
    response = sign_up(client, username="\uff53\uff54\uff55")  # full-width "stu"
    assert response.status_code == 200 and "already exists" in response.content.decode()


@pytest.mark.parametrize(
    "username",
    ["\u0438\u0432\u0430\u043d", "\u03b5\u03bb\u03b5\u03bd\u03b7", "ivan_\u0438\u0432\u0430\u043d", "jos\u00e9"],
)
def test_usernames_in_one_alphabet_per_word_are_welcome(client, username):
    make_user("cop")
    assert sign_up(client, username=username).status_code == 302
    assert get_user_model().objects.filter(username=username).exists()


def test_a_stripped_username_cannot_impersonate_an_existing_one(client, teacher):
    response = sign_up(client, username=f"{teacher.username}\u200b")
    assert response.status_code == 200 and "already exists" in response.content.decode()
    assert get_user_model().objects.count() == 1


def test_the_roster_shows_the_name_without_its_spoofing_characters(teacher_client, teacher):
    from django.test import Client

    classroom = Classroom.objects.create(teacher=teacher, name="Year 8")
    # "Nino" followed by an override that would display the rest right to left ("...rehcaet").
    assert sign_up(Client(), username="nino\u2066", first_name="Nino \u202eteacher").status_code == 302
    Enrollment.objects.create(classroom=classroom, student=get_user_model().objects.get(username="nino"))
    page = teacher_client.get(reverse("quiz:class_detail", args=[classroom.pk])).content.decode()
    assert "Nino teacher" in page
    for invisible in ("\u202e", "\u2066", "\u2069", "&#x202e;"):
        assert invisible not in page


# The rest of the admin's change form for a user, as the page posts it back.
ADMIN_USER_FORM = {
    "last_name": "",
    "email": "",
    "is_active": "on",
    "date_joined_0": "2026-01-01",
    "date_joined_1": "09:00:00",
    "initial-date_joined_0": "2026-01-01",
    "initial-date_joined_1": "09:00:00",
}


def admin_change(client, user, **fields):
    return client.post(reverse("admin:auth_user_change", args=[user.pk]), {**ADMIN_USER_FORM, **fields})


def test_the_admin_strips_names_too(staff_client, student):
    response = admin_change(
        staff_client, student, username="stu\u200b", first_name="\u202eStu", last_name="Ber\u3164idze"
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    student.refresh_from_db()
    assert (student.username, student.first_name, student.last_name) == ("stu", "Stu", "Beridze")


def test_the_admin_refuses_a_lookalike_username_but_keeps_a_users_own(staff_client, student):
    make_user("cop")
    refused = admin_change(staff_client, student, first_name="Stu", username="\u0441\u043e\u0440")
    assert refused.status_code == 200 and "looks too much like an existing username" in refused.content.decode()
    added = staff_client.post(
        reverse("admin:auth_user_add"), {"username": "\u0421\u041e\u0420", "usable_password": "false"}
    )
    assert added.status_code == 200 and "looks too much like an existing username" in added.content.decode()
    assert admin_change(staff_client, student, first_name="Stu", username="stu").status_code == 302
    student.refresh_from_db()
    assert student.username == "stu" and not get_user_model().objects.filter(username__startswith="\u0441").exists()


def test_the_admin_can_still_edit_one_of_two_lookalikes_saved_before_the_check(staff_client, student):
    make_user("\u0455tu")  # with a Cyrillic ѕ, saved before sign-up refused it
    response = admin_change(staff_client, student, username="stu", first_name="Stuart")
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.first_name == "Stuart"


def test_names_saved_before_the_fix_are_cleaned_by_the_migration(django_user_model):
    import importlib

    from django.apps import apps

    spoofed = django_user_model.objects.create(username="nino\u200b", first_name="\u202eNino", last_name="B\u3164")
    twin = django_user_model.objects.create(username="stu\u200b")
    django_user_model.objects.create(username="stu")
    importlib.import_module("accounts.migrations.0002_visible_names").strip_names(apps, None)
    spoofed.refresh_from_db()
    twin.refresh_from_db()
    assert (spoofed.username, spoofed.first_name, spoofed.last_name) == ("nino", "Nino", "B")
    assert twin.username == "stu\u200b", "left alone: it would look like the existing stu"


def test_names_saved_before_the_stricter_rules_are_cleaned_by_the_next_migration(django_user_model):
    import importlib

    from django.apps import apps

    saved = django_user_model.objects.create(
        username="nino\ufe0f", first_name="Ni\u17b4no", last_name="B" + "\u0301" * 40
    )
    importlib.import_module("accounts.migrations.0003_stricter_visible_names").clean_names(apps, None)
    saved.refresh_from_db()
    assert (saved.username, saved.first_name, saved.last_name) == ("nino", "Nino", "B" + "\u0301" * 4)
