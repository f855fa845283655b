"""What a student is told after answering: their answer beside the right one, the
explanation, the cited passage and, for claims, what historians have established.

Used by the feedback fragment and the end-of-quiz summary. Works from prefetched
options only, so it adds no queries per question.
"""

from dataclasses import dataclass, field


@dataclass
class MatchLine:
    left: str
    chosen: str
    right: str
    ok: bool


@dataclass
class AnswerReview:
    mode: str
    answered: bool
    is_correct: bool = False
    score: float = 0.0
    your_answer: str = ""
    right_answer: str = ""
    your_order: list = field(default_factory=list)
    right_order: list = field(default_factory=list)
    matches: list = field(default_factory=list)
    option_feedback: str = ""

    @property
    def partly_right(self):
        return self.answered and not self.is_correct and self.score > 0

    @property
    def percent(self):
        return round(self.score * 100)

    @property
    def verdict(self):
        if not self.answered:
            return "Not answered"
        if self.is_correct:
            return "Correct"
        if self.partly_right:
            return f"Partly right ({self.percent}% credit)"
        return "Incorrect"


def review_answer(question, answer, shown_order=()) -> AnswerReview:
    """Describe `answer` (or None if unanswered) to `question` for the student. `shown_order`:
    the option ids in the order the attempt showed them, so matches are listed as asked."""
    options = list(question.options.all())
    if shown_order:
        place = {pk: i for i, pk in enumerate(shown_order)}
        options.sort(key=lambda o: place.get(o.pk, len(place)))
    by_id = {o.pk: o for o in options}
    mode = question.answer_mode
    review = AnswerReview(mode=mode, answered=answer is not None)
    if answer is not None:
        review.is_correct = answer.is_correct
        review.score = answer.score
    response = answer.response if answer is not None else {}

    if mode == "ordering":
        ranked = sorted(options, key=lambda o: (o.correct_position or 0, o.position, o.pk))
        review.right_order = [o.text for o in ranked]
        review.your_order = [by_id[pk].text for pk in response.get("order", []) if pk in by_id]
    elif mode == "matching":
        for left in (o for o in options if o.side == "left"):
            chosen_id = response.get("pairs", {}).get(str(left.pk))
            chosen = by_id.get(chosen_id)
            right = by_id.get(left.match_id)
            review.matches.append(
                MatchLine(
                    left=left.text,
                    chosen=chosen.text if chosen else "—",
                    right=right.text if right else "—",
                    ok=chosen is not None and chosen_id == left.match_id,
                )
            )
    else:
        review.right_answer = "; ".join(o.text for o in options if o.is_correct)
        chosen = by_id.get(response.get("option"))
        if chosen is not None:
            review.your_answer = chosen.text
            review.option_feedback = chosen.feedback
    return review
