"""Checking and recording answers. Scoring happens here, on the server, and is final.

Forms never name options by database id (ids are created in authored order, so for an
ordering question they would spell out the answer). Each option is named by an opaque
token, an HMAC of the attempt, the question and the option, which says nothing about its
place or correctness, cannot be guessed for another question's options, and means nothing
in any other attempt (a token learned in practice or a teacher's preview is no use in an
assignment). An answer is taken only to a question the student has been shown.

Form fields, by answer mode:
  single    choice=<token>
  ordering  rank-<token>=<1..n> for every item
  matching  match-<left token>=<right token> for every left-hand item
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac

from . import review_options
from .models import Answer, Attempt
from .review import record_review

_MAX_MS = 2**31 - 1


class BadAnswer(Exception):
    """The submitted form is not a valid answer to this question; nothing was recorded."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class AttemptClosed(BadAnswer):
    """The attempt is finished; it takes no more answers."""


class NotShown(BadAnswer):
    """The question has not been shown to the student yet (its time could not be measured)."""


NOT_SHOWN = (
    "This question has not been shown to you yet, so an answer to it cannot be taken. "
    "Go to your current question and answer it there."
)


def option_token(scope, question_id, option_id) -> str:
    """The form name of an option. `scope`: the attempt's id, or a one-off value for a page
    that is no attempt (a teacher's preview), so its tokens are no use anywhere else."""
    value = f"{scope}:{question_id}:{option_id}"
    return salted_hmac("quiz.scoring.option", value, algorithm="sha256").hexdigest()[:16]


@dataclass
class ScoredResponse:
    is_correct: bool
    score: float
    response: dict
    selected_option: object = None


@dataclass
class RecordResult:
    answer: Answer
    created: bool
    attempt: Attempt
    finished: bool = False


@dataclass
class DisplayOptions:
    """A question's options in the order this attempt shows them, split by role."""

    all: list = field(default_factory=list)
    left: list = field(default_factory=list)
    right: list = field(default_factory=list)


def displayed_options(question, option_order, scope):
    """Options in display order; each gets `.token` (see option_token for `scope`). Options
    added after the attempt was created are not shown (the attempt is frozen), ones deleted
    since are skipped."""
    by_id = {o.pk: o for o in question.options.all()}
    shown = DisplayOptions()
    for pk in option_order:
        option = by_id.get(pk)
        if option is None:
            continue
        option.token = option_token(scope, question.pk, pk)
        shown.all.append(option)
        if question.answer_mode == "matching":
            (shown.left if option.side == "left" else shown.right).append(option)
    return shown


def _single(shown, post_data):
    token = post_data.get("choice")
    if not token:
        raise BadAnswer("Choose one of the answers before submitting.")
    option = next((o for o in shown.all if o.token == token), None)
    if option is None:
        raise BadAnswer("That answer is not one of this question's options.")
    return ScoredResponse(
        is_correct=option.is_correct,
        score=1.0 if option.is_correct else 0.0,
        response={"option": option.pk},
        selected_option=option,
    )


def _rank(option):
    return option.correct_position if option.correct_position is not None else option.position


def ordering_credit(ordered):
    """Share of neighbouring pairs the student put the right way round (1.0 when all are)."""
    pairs = list(zip(ordered, ordered[1:]))
    if not pairs:
        return 1.0
    return sum(_rank(a) <= _rank(b) for a, b in pairs) / len(pairs)


def _unknown_keys(post_data, prefix, tokens):
    return [k for k in post_data if k.startswith(prefix) and k[len(prefix) :] not in tokens]


def _ordering(shown, post_data):
    n = len(shown.all)
    tokens = {o.token for o in shown.all}
    if _unknown_keys(post_data, "rank-", tokens):
        raise BadAnswer("The answer names an item that is not part of this question.")
    positions = {}
    for option in shown.all:
        raw = (post_data.get(f"rank-{option.token}") or "").strip()
        if not raw:
            raise BadAnswer("Give every item a position before submitting.")
        if not raw.isdecimal() or not 1 <= int(raw) <= n:
            raise BadAnswer(f"Positions must be whole numbers from 1 to {n}.")
        positions[option.pk] = int(raw)
    if len(set(positions.values())) != n:
        raise BadAnswer("Each position can be used only once: give every item a different number.")
    ordered = sorted(shown.all, key=lambda o: positions[o.pk])
    credit = ordering_credit(ordered)
    return ScoredResponse(is_correct=credit == 1.0, score=credit, response={"order": [o.pk for o in ordered]})


def _matching(shown, post_data):
    left_tokens = {o.token for o in shown.left}
    right_by_token = {o.token: o for o in shown.right}
    if _unknown_keys(post_data, "match-", left_tokens):
        raise BadAnswer("The answer names an item that is not part of this question.")
    pairs, right_count = {}, 0
    for option in shown.left:
        token = post_data.get(f"match-{option.token}")
        if not token:
            raise BadAnswer("Choose a match for every item before submitting.")
        partner = right_by_token.get(token)
        if partner is None:
            raise BadAnswer("That match is not one of this question's options.")
        pairs[str(option.pk)] = partner.pk
        right_count += option.match_id == partner.pk
    total = len(shown.left)
    credit = right_count / total if total else 0.0
    return ScoredResponse(is_correct=total > 0 and right_count == total, score=credit, response={"pairs": pairs})


def score_response(question, option_order, post_data, scope) -> ScoredResponse:
    """Parse and check a submitted answer. Raises BadAnswer for anything malformed or tampered."""
    shown = displayed_options(question, option_order, scope)
    if not shown.all:
        raise BadAnswer("This question has no options to answer.")
    mode = question.answer_mode
    if mode == "ordering":
        return _ordering(shown, post_data)
    if mode == "matching":
        return _matching(shown, post_data)
    return _single(shown, post_data)


def _elapsed_ms(item, now):
    if item.shown_at is None:
        return None
    return max(0, min(_MAX_MS, int((now - item.shown_at).total_seconds() * 1000)))


def record_answer(attempt, item, post_data, now) -> RecordResult:
    """Record the student's answer to `item` exactly once.

    The attempt row is locked for the whole insert, so concurrent or replayed posts queue up
    and then hit the one-to-one constraint on Answer.item; that rolls the whole transaction
    back (nothing of theirs is written) and the first answer is returned with created=False.
    Checking for the answer before inserting would cost every first answer a query, and a
    savepoint around the insert two more; repeats are rare, first answers are the load.
    Raises AttemptClosed for a finished attempt, NotShown for a question never shown,
    BadAnswer for bad input. The answer is scheduled for spaced review at once when the
    attempt shows its score as it goes, otherwise when the score is shown (review_options).
    """
    try:
        with transaction.atomic():
            locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
            if locked.finished_at is not None:
                existing = Answer.objects.filter(item_id=item.pk).first()
                if existing is not None:
                    return RecordResult(answer=existing, created=False, attempt=locked)
                raise AttemptClosed("This quiz is finished, so it takes no more answers.")
            try:
                if item.shown_at is None:
                    raise NotShown(NOT_SHOWN)
                scored = score_response(item.question, item.option_order, post_data, scope=locked.pk)
            except BadAnswer:
                # A replayed post is a repeat however its data looks (nothing written yet).
                existing = Answer.objects.filter(item_id=item.pk).first()
                if existing is not None:
                    return RecordResult(answer=existing, created=False, attempt=locked)
                raise
            answer = Answer.objects.create(
                item=item,
                student_id=locked.student_id,
                question_id=item.question_id,
                selected_option=scored.selected_option,
                response=scored.response,
                is_correct=scored.is_correct,
                score=scored.score,
                time_taken_ms=_elapsed_ms(item, now),
            )
            locked.answered_count += 1
            locked.correct_count += int(scored.is_correct)
            locked.score += scored.score
            fields = ["answered_count", "correct_count", "score"]
            if locked.answered_count >= locked.question_count:
                locked.finished_at = now
                fields.append("finished_at")
            locked.save(update_fields=fields)
            if locked.results_shown_at is not None:
                record_review(answer)
            if locked.finished_at is not None:
                review_options.attempt_finished(locked, now=now)
    except IntegrityError:
        # Rolled back whole. A repeat of an answered item (the unique item) is not an error;
        # any other constraint failure is, and goes on to the caller.
        existing = Answer.objects.filter(item_id=item.pk).first()
        if existing is None:
            raise
        return RecordResult(answer=existing, created=False, attempt=Attempt.objects.get(pk=attempt.pk))
    return RecordResult(answer=answer, created=True, attempt=locked, finished=locked.finished_at is not None)
