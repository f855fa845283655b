"""Question generation: turns figures, roles, events and claims into questions.

Each question kind lives in its own module here, exposing

    KINDS = (Kind.X, ...)              # the kinds it produces
    def generate(content, rng): ...    # yields QuestionDraft or Skip records

A module with those two names is picked up automatically, so adding a kind means
adding one module. `generate()` below runs them, validates every draft against the
rules in base.py and saves the bank (see base.py for how re-generation keeps old
questions stable).
"""

import importlib
import pkgutil
from dataclasses import dataclass

from django.db import transaction

from quiz.models import Kind, Origin, Question

from .base import (
    CONTENT_REMOVED,
    DEFAULT_SEED,
    KeyedRandom,
    QuestionDraft,
    Skip,
    Summary,
    follow_corrections,
    retire,
    save_draft,
    validate,
)
from .content import Content
from .facts import FactReader

__all__ = ["DEFAULT_SEED", "Scope", "Summary", "generate", "generated_kinds", "generators"]

INFRASTRUCTURE = {"base", "content"}


def generators() -> list:
    """The kind modules, in the order of the kinds they produce."""
    modules = []
    for info in pkgutil.iter_modules(__path__):
        if info.name in INFRASTRUCTURE or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "KINDS") and hasattr(module, "generate"):
            modules.append(module)
    order = {kind: i for i, kind in enumerate(Kind.values)}
    return sorted(modules, key=lambda m: min(order[str(k)] for k in m.KINDS))


def generated_kinds() -> list[str]:
    """The kinds some module generates (other kinds are written or imported by people)."""
    return [str(kind) for module in generators() for kind in module.KINDS]


@dataclass(frozen=True)
class Scope:
    """Limit a run to questions touching some content rows (primary keys)."""

    figures: frozenset = frozenset()
    events: frozenset = frozenset()
    claims: frozenset = frozenset()

    def touches(self, draft: QuestionDraft) -> bool:
        return draft.touches(self.figures, self.events, self.claims)

    def existing(self, queryset):
        ids = set(queryset.filter(figures__in=self.figures).values_list("pk", flat=True))
        ids |= set(queryset.filter(events__in=self.events).values_list("pk", flat=True))
        ids |= set(queryset.filter(claim__in=self.claims).values_list("pk", flat=True))
        return queryset.filter(pk__in=ids)


def wanted_kinds(only) -> set[str]:
    """The kinds a run generates: `only`, or every generated kind; ValueError for a kind no
    module generates."""
    known = generated_kinds()
    wanted = {str(k) for k in only} if only else set(known)
    unknown = wanted - set(known)
    if unknown:
        raise ValueError(
            f"Not a generated question kind: {', '.join(sorted(unknown))} (choose from {', '.join(known)})"
        )
    return wanted


def start_kinds(kinds, summary: Summary) -> dict[str, set]:
    """Give each kind its line in the summary, in the kinds' order, even if it produces
    nothing; returns the slots produced so far per kind (none)."""
    for kind in kinds:
        summary.for_kind(kind)
    return {kind: set() for kind in kinds}


def finish_kinds(kinds, produced_keys, scope: Scope | None, summary: Summary, progress) -> None:
    """Retire the live questions of slots this run no longer produced (within the scope),
    then report each kind's figures."""
    for kind in kinds:
        stale = (
            Question.objects.live()
            .filter(origin=Origin.GENERATED, kind=kind)
            .exclude(generator_key__in=produced_keys[kind])
        )
        if scope is not None:
            stale = scope.existing(stale)
        summary.for_kind(kind).retired += retire(stale, CONTENT_REMOVED)
        if progress:
            progress(kind, summary.for_kind(kind))


def generate(seed=DEFAULT_SEED, only=None, progress=None, scope: Scope | None = None) -> Summary:
    """Generate (or refresh) the question bank. `only`: kinds to generate; `progress`:
    called as progress(kind, stats) when each kind is done; `scope`: only questions
    touching these figures, events or claims. Returns the Summary."""
    wanted = wanted_kinds(only)
    summary = Summary(seed=seed)
    content = Content.load()
    reader = FactReader(content)
    with transaction.atomic():
        for module in generators():
            kinds = [str(k) for k in module.KINDS if str(k) in wanted]
            if not kinds:
                continue
            produced_keys = start_kinds(kinds, summary)
            for item in module.generate(content, KeyedRandom(seed, module.__name__)):
                if str(item.kind) not in kinds:
                    continue
                if isinstance(item, Skip):
                    summary.skip(item)
                    continue
                errors = validate(item)
                if not errors and item.generator_key in produced_keys[str(item.kind)]:
                    errors = ["the slot was produced twice"]
                if errors:
                    summary.skip(Skip(item.kind, item.generator_key, "invalid: " + "; ".join(errors)))
                    continue
                produced_keys[str(item.kind)].add(item.generator_key)
                summary.produced[str(item.kind)] += 1
                if scope is None or scope.touches(item):
                    save_draft(item, seed, summary.for_kind(item.kind), reader)
            finish_kinds(kinds, produced_keys, scope, summary, progress)
        summary.corrected_in_sets = follow_corrections()
    return summary
