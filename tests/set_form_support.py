"""The question set's settings form as the browser posts it: the required fields filled in, so
a test names only the values it is about."""

from django.urls import reverse

REQUIRED = {"visibility": "private", "max_attempts": 0, "show_score": "each_question", "show_answers": "each_question"}


def set_form(**fields):
    """The settings form's data: `fields` over the required ones."""
    return {**REQUIRED, **fields}


def create_set(client, **fields):
    """Post the new-set form."""
    return client.post(reverse("quiz:set_create"), set_form(**fields))
