"""A simulated student answering a real question, scored by the product's own code.

Whether a simulated student means to answer right follows a seeded model of student ability and
question difficulty (`chance_correct`). The student then fills in the question's answer form as a
browser would submit it, with the option tokens of the options as `quiz.scoring.displayed_options`
shows them (the field names are listed in quiz/answer_modes.py): the key, as the question's answer
mode gives it, or the key spoiled (another choice, two items or two partners swapped). The form is
scored by the question's answer mode (`question.mode.score`, what `quiz.scoring.score_response`
calls once it has the shown options) and recorded through `quiz.scoring.answer_row` and
`count_answer`, as a real answer is: whether it is right, its partial credit and what it records
are the product's and cannot drift from it. A spoiled answer that happens to be right is right.

Only the form writers below are the bench's own. A question of an answer mode with no writer is
left out of the synthetic data (`SimulatedQuestion.usable`).
"""

import math

from quiz.attempts import option_order_for
from quiz.scoring import displayed_options


def chance_correct(ability, difficulty):
    return 1 / (1 + math.exp(-(ability - difficulty)))


def _swap_two(items, rng):
    items = list(items)
    i, j = rng.sample(range(len(items)), 2)
    items[i], items[j] = items[j], items[i]
    return items


class ChoiceForm:
    """Single choice: `choice=<token>`, the key's option or one of the others."""

    def __init__(self, mode, options):
        self.right = mode.key(options)
        self.wrong = [o for o in options if o not in self.right]
        self.usable = bool(self.right and self.wrong)

    def fill(self, token, right, rng):
        chosen = self.right[0] if right else rng.choice(self.wrong)
        return {"choice": token(chosen)}


class OrderForm:
    """Ordering: `rank-<token>=<position>` for every item, in the key's order or with two swapped."""

    def __init__(self, mode, options):
        self.order = mode.key(options)
        self.usable = len(self.order) >= 2

    def fill(self, token, right, rng):
        order = self.order if right else _swap_two(self.order, rng)
        return {f"rank-{token(o)}": str(place) for place, o in enumerate(order, start=1)}


class MatchForm:
    """Matching: `match-<left token>=<right token>` for every left-hand item, with the key's
    partners or with two of them swapped."""

    def __init__(self, mode, options):
        self.pairs = mode.key(options)
        self.usable = len(self.pairs) >= 2 and all(partner is not None for _, partner in self.pairs)

    def fill(self, token, right, rng):
        partners = [partner for _, partner in self.pairs]
        if not right:
            partners = _swap_two(partners, rng)
        return {f"match-{token(left)}": token(partner) for (left, _), partner in zip(self.pairs, partners)}


FORMS = {"single": ChoiceForm, "ordering": OrderForm, "matching": MatchForm}


class SimulatedQuestion:
    """A live question as simulated students meet it: its display order, its form and how hard
    it is (in logits, with question-specific noise around the question's own estimate)."""

    def __init__(self, question, rng):
        self.question = question
        self.id = question.pk
        self.difficulty = (question.difficulty - 0.5) * 3 + rng.gauss(0, 0.6)
        writer = FORMS.get(question.mode.name)
        self.form = writer(question.mode, list(question.options.all())) if writer else None
        self.usable = self.form is not None and self.form.usable

    def option_order(self, seed):
        """The order an attempt shows the options in, as the app fixes it (shuffled)."""
        return option_order_for(self.question, shuffle=True, seed=seed)

    def respond(self, item, right, rng):
        """The ScoredResponse of the form a student meaning to be `right` submits for `item`."""
        shown = displayed_options(self.question, item.option_order, item.attempt_id)
        post = self.form.fill(_token, right, rng)
        return self.question.mode.score(shown, post)


def _token(option):
    """The option's name in the form shown (set by quiz.scoring.displayed_options)."""
    return option.token
