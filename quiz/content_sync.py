"""Keeps the question bank honest while the content is edited.

history's admin reports each edit's figures, events and claims (history/hooks.py); the
questions touching them are regenerated in the same transaction, every kind of them: a
question whose facts changed is retired ("source facts changed") and replaced, teachers' sets
follow to the replacement, and answers already given keep pointing at the question they
answered (quiz/generation/base.py). A question whose facts did not change is kept as it is.
"""

from django.template.defaultfilters import pluralize

from history.models import Claim, Event, Figure

from .generation import Scope, Summary, generate


def content_changed(*, figures=(), events=(), claims=()) -> str:
    """Regenerate the questions touching these rows (primary keys); what happened, in a sentence."""
    scope = Scope(figures=frozenset(figures), events=frozenset(events), claims=frozenset(claims))
    # A deleted row's questions have lost their links to it, so no scope can find them: only a
    # whole run sees that their slots are no longer produced (under a second on the interview).
    return changes_sentence(generate(scope=None if rows_deleted(scope) else scope))


def rows_deleted(scope: Scope) -> bool:
    return any(
        model.objects.filter(pk__in=pks).count() < len(pks)
        for model, pks in ((Figure, scope.figures), (Event, scope.events), (Claim, scope.claims))
    )


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
