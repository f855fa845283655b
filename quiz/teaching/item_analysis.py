"""Classical item analysis for one assignment, in plain Python so it can be checked by hand.

Input is one `Response` per (student, question): whether the student got it right and which
option they picked (single-choice questions). Each student contributes exactly one attempt:
callers pass each student's *first finished* attempt, which measures what the class knew
before feedback and retries taught them the answers (Moodle's "first attempt" setting).

- Facility index: the share of students who answered the question correctly (0–1).
- Discrimination index: the upper–lower group method Moodle's quiz reports describe as the
  classical discrimination index. Students are ranked by their total score on the attempt
  (ties broken by student id, so the result is reproducible); the top 27% and the bottom
  27% (at least one student each) form the groups, and D = share correct in the upper group
  minus share correct in the lower group, from -1 to +1. Needs at least two students.
- Distractor counts: how many students chose each option.
- Flags: negative discrimination (strong students got it wrong more often than weak ones),
  and a distractor chosen more often than the key; both suggest a broken or ambiguous item.
  Neither is raised below MIN_RESPONSES_TO_JUDGE answers to the question: with one or two,
  a single student's choice would decide the flag.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

GROUP_FRACTION = 0.27
MIN_STUDENTS_FOR_DISCRIMINATION = 2
# The index needs two students, but a flag telling the teacher a question "may be broken"
# needs more than one student's choice to stand on.
MIN_RESPONSES_TO_JUDGE = 3

FLAG_NEGATIVE_DISCRIMINATION = "Negative discrimination"
FLAG_DISTRACTOR_BEATS_KEY = "A wrong option was chosen more often than the right one"


@dataclass(frozen=True)
class Response:
    student: Hashable
    question: Hashable
    is_correct: bool
    selected_option: Hashable | None = None


@dataclass
class ItemStats:
    question: Hashable
    responses: int
    correct: int
    facility: float | None
    discrimination: float | None
    option_counts: Counter = field(default_factory=Counter)
    key_options: frozenset = frozenset()
    flags: list[str] = field(default_factory=list)

    @property
    def judged(self) -> bool:
        """Enough answers for the flags to mean something."""
        return self.responses >= MIN_RESPONSES_TO_JUDGE

    @property
    def top_distractors(self) -> list[tuple[Hashable, int]]:
        """Wrong options students chose, most chosen first (ties by option id)."""
        wrong = [(opt, n) for opt, n in self.option_counts.items() if opt not in self.key_options and n > 0]
        return sorted(wrong, key=lambda pair: (-pair[1], str(pair[0])))


def facility(correct_flags: Iterable[bool]) -> float | None:
    flags = list(correct_flags)
    return sum(1 for flag in flags if flag) / len(flags) if flags else None


def group_size(student_count: int) -> int:
    return max(1, round(GROUP_FRACTION * student_count))


def upper_lower_groups(totals: dict[Hashable, float]) -> tuple[list, list]:
    """The top and bottom 27% of students by total score (ties by id for reproducibility)."""
    ranked = sorted(totals, key=lambda student: (-totals[student], str(student)))
    size = group_size(len(ranked))
    return ranked[:size], ranked[-size:]


def discrimination(totals: dict[Hashable, float], correct: dict[Hashable, bool]) -> float | None:
    """Upper-group minus lower-group share correct. A student missing from `correct` counts as
    wrong (they saw the question and gave no right answer)."""
    if len(totals) < MIN_STUDENTS_FOR_DISCRIMINATION:
        return None
    upper, lower = upper_lower_groups(totals)
    share = lambda group: sum(1 for s in group if correct.get(s)) / len(group)  # noqa: E731
    return share(upper) - share(lower)


def flags_for(stats: ItemStats) -> list[str]:
    flags: list[str] = []
    if not stats.judged:
        return flags
    if stats.discrimination is not None and stats.discrimination < 0:
        flags.append(FLAG_NEGATIVE_DISCRIMINATION)
    if stats.key_options:
        key_count = max((stats.option_counts.get(opt, 0) for opt in stats.key_options), default=0)
        if any(n > key_count for opt, n in stats.option_counts.items() if opt not in stats.key_options):
            flags.append(FLAG_DISTRACTOR_BEATS_KEY)
    return flags


def analyse(
    responses: Iterable[Response],
    totals: dict[Hashable, float],
    keys: dict[Hashable, Iterable[Hashable]] | None = None,
    questions: Iterable[Hashable] | None = None,
) -> list[ItemStats]:
    """Statistics for each question, in the order of `questions` (default: first seen).

    `totals` maps every analysed student to their total score (the ranking for discrimination);
    `keys` maps a single-choice question to its correct option(s), enabling the distractor flag.
    """
    keys = keys or {}
    by_question: dict[Hashable, list[Response]] = defaultdict(list)
    order: list[Hashable] = list(questions) if questions is not None else []
    for response in responses:
        if response.question not in by_question and questions is None:
            order.append(response.question)
        by_question[response.question].append(response)

    results = []
    for question in order:
        rows = by_question.get(question, [])
        correct = {row.student: row.is_correct for row in rows}
        # Only students who were given this question take part in its discrimination.
        seen_totals = {student: totals[student] for student in correct if student in totals}
        stats = ItemStats(
            question=question,
            responses=len(rows),
            correct=sum(1 for row in rows if row.is_correct),
            facility=facility(row.is_correct for row in rows),
            discrimination=discrimination(seen_totals, correct),
            option_counts=Counter(row.selected_option for row in rows if row.selected_option is not None),
            key_options=frozenset(keys.get(question, ())),
        )
        stats.flags = flags_for(stats)
        results.append(stats)
    return results
