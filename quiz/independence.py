"""Independence within an attempt: no question in it gives another away.

A generated question records the facts it asks (`Question.asks`) and the facts its prompt,
options' feedback and explanation give away (`Question.reveals`), as fact keys read when it
is generated (quiz/generation/facts.py says which). Two questions conflict when one reveals
a fact the other asks, or both ask a same fact: near-duplicates, such as the cloze and the
attribution item on one sentence, or one office asked both ways ("Who held it?", "What office
did they hold?"). Either way round counts, whichever comes first: a set may shuffle its
questions, and a fact asked twice in one sitting is drilled once. Teachers' and imported
questions record no facts and conflict with none.

Where it applies:

- Practice and review sessions (quiz/attempts.py, `start_unique`) take their candidates in
  their own order (weakest, or most overdue, first) and skip a question that conflicts with
  one already taken. A skipped review card stays due and leads the next session.
- Sets built automatically (the demo set, quiz/demo.py) never hold both of a pair.
- A teacher's set is the teacher's choice: a student taking it gets every item. The set
  editor names the items that give each other away, so the teacher can decide.
- `manage.py generate_questions` counts the bank's near-duplicates, and lists them with
  --near-duplicates.
"""

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations


def conflicts(a, b) -> bool:
    """Whether one of two questions gives the other away, or both ask a same fact."""
    asks_a, asks_b = set(a.asks), set(b.asks)
    return bool(asks_a & asks_b or asks_a & set(b.reveals) or asks_b & set(a.reveals))


class Picker:
    """Questions taken one at a time, each only if it conflicts with none taken before."""

    def __init__(self):
        self.taken = []
        self.asked, self.revealed = set(), set()

    def fits(self, question) -> bool:
        asks = set(question.asks)
        return not (asks & (self.asked | self.revealed) or set(question.reveals) & self.asked)

    def take(self, question) -> None:
        self.taken.append(question)
        self.asked |= set(question.asks)
        self.revealed |= set(question.reveals)


def independent(questions, limit=None) -> list:
    """`questions` in their order, less each one that conflicts with one kept before it; at
    most `limit` of them."""
    picker = Picker()
    for question in questions:
        if limit is not None and len(picker.taken) >= limit:
            break
        if picker.fits(question):
            picker.take(question)
    return picker.taken


def independent_in_turns(groups, limit) -> list:
    """Round after round, the first question of each group (in turn) that fits with those
    taken, until `limit` are taken or the groups run out: every group is represented early."""
    picker = Picker()
    queues = [iter(group) for group in groups]
    while queues and len(picker.taken) < limit:
        for queue in list(queues):
            question = next((q for q in queue if picker.fits(q)), None)
            if question is None:
                queues.remove(queue)
            elif len(picker.taken) < limit:
                picker.take(question)
    return picker.taken


@dataclass(frozen=True)
class GiveAway:
    """Two questions of a list that conflict, by their numbers in it (from 1). `same`: both ask
    a same fact; otherwise `first_tells` says whether the first gives the second away (or the
    second the first)."""

    first: int
    second: int
    same: bool
    first_tells: bool


def give_aways(questions) -> list[GiveAway]:
    """Every conflicting pair in `questions` (a set's items, in order)."""
    found = []
    for (i, a), (j, b) in combinations(enumerate(questions, start=1), 2):
        if not conflicts(a, b):
            continue
        same = bool(set(a.asks) & set(b.asks))
        found.append(GiveAway(i, j, same=same, first_tells=not same and bool(set(a.reveals) & set(b.asks))))
    return found


@dataclass(frozen=True)
class NearDuplicate:
    first: object
    second: object
    facts: tuple[str, ...]  # the facts both ask


def near_duplicates(questions) -> list[NearDuplicate]:
    """Pairs of `questions` that ask a same fact (the same sentence, the same office both
    ways, the same date), in the order of the questions."""
    questions = list(questions)
    askers = defaultdict(list)
    for index, question in enumerate(questions):
        for fact in question.asks:
            askers[fact].append(index)
    shared = defaultdict(set)
    for fact, indexes in askers.items():
        for pair in combinations(indexes, 2):
            shared[pair].add(fact)
    return [NearDuplicate(questions[i], questions[j], tuple(sorted(shared[(i, j)]))) for i, j in sorted(shared)]
