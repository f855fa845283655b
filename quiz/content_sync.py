"""Keeps the question bank honest while the content is edited.

history's admin reports each edit's figures, events and claims (history/hooks.py), and the
whole bank is regenerated in the same transaction (under a second on the interview). A whole
run rather than one scoped to the edited rows, because an edit reaches further than the rows'
own questions: a renamed figure is also a wrong choice in questions about other people, a
new office-holder stops being a safe wrong answer elsewhere, and a deleted row's questions
have lost their links to it. Every kind is regenerated: a
question whose facts changed is retired ("source facts changed") and replaced, teachers' sets
follow to the replacement, and answers already given keep pointing at the question they
answered (quiz/generation/base.py). A question whose facts did not change is kept as it is.
"""

from django.template.defaultfilters import pluralize

from .generation import Summary, generate


def content_changed(*, figures=(), events=(), claims=()) -> str:
    """Regenerate the bank after an edit of these rows (primary keys); what happened, in a sentence."""
    if not (figures or events or claims):
        return ""
    return changes_sentence(generate())


def tally(summary: Summary) -> dict[str, int]:
    """A run's questions replaced, added and retired. Within a kind, a question retired while
    another was created (or restored) is one replaced."""
    counts = {"replaced": 0, "added": 0, "retired": 0}
    for stats in summary.stats.values():
        new = stats.created + stats.restored
        swapped = min(new, stats.retired)
        counts["replaced"] += swapped
        counts["added"] += new - swapped
        counts["retired"] += stats.retired - swapped
    return counts


def changes_sentence(summary: Summary) -> str:
    """ "2 questions replaced, 1 retired; teachers' sets updated (3 items)." """
    counts = [(count, verb) for verb, count in tally(summary).items() if count]
    clauses = []
    if counts:
        (first, verb), rest = counts[0], counts[1:]
        clauses.append(", ".join([f"{first} question{pluralize(first)} {verb}", *(f"{n} {v}" for n, v in rest)]))
    if moved := summary.corrected_in_sets:
        clauses.append(f"teachers' sets updated ({moved} item{pluralize(moved)})")
    if not clauses:
        return "No questions changed."
    sentence = "; ".join(clauses)
    return sentence[:1].upper() + sentence[1:] + "."
