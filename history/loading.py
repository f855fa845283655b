"""Load the curated interview content from its versioned fixture, idempotently.

Each curated row remembers a hash of the values the loader last wrote
(`loaded_hash`). On a re-load:
- fixture unchanged for that row: nothing is written (an admin's edit stays);
- fixture changed and nobody edited the row since: the row is updated;
- fixture changed and an admin edited the row: the admin's version is kept and
  the report says so, unless `overwrite=True`.
Everything happens in one transaction: invalid content raises LoadError and
changes nothing.
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from .dates import parse_partial, unparse_partial
from .interview_text import parse_interview
from .models import Alias, Claim, Event, Figure, Passage, Role, Source

CONTENT_DIR = Path(__file__).resolve().parent / "content"
FIXTURE_PATH = CONTENT_DIR / "interview.json"
TEXT_PATH = CONTENT_DIR / "conspiracy-against-stalin.txt"
DEFAULT_SPEAKERS = {"SM": "maskharashvili", "GJ": "interviewer"}


class LoadError(Exception):
    pass


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    kept_edits: list[str] = field(default_factory=list)
    overwritten_edits: list[str] = field(default_factory=list)
    not_in_fixture: list[str] = field(default_factory=list)

    def lines(self):
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        for kind in kinds:
            yield (
                f"{kind}: {self.created[kind]} created, {self.updated[kind]} updated, {self.unchanged[kind]} unchanged"
            )
        for label in self.kept_edits:
            yield f"KEPT admin edit: {label} was changed in the admin and in the fixture; kept the admin's version (use --overwrite to replace it)"
        for label in self.overwritten_edits:
            yield f"OVERWROTE admin edit: {label}"
        for label in self.not_in_fixture:
            yield f"not in the fixture (left untouched): {label}"


def digest(values: dict) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# --- Per-model snapshots (the fixture shape of what is in the database) -------------------


def figure_values(figure: Figure) -> dict:
    return {
        "name": figure.name,
        "short_name": figure.short_name,
        "interview_spelling": figure.interview_spelling,
        "aliases": sorted(a.name for a in figure.aliases.all()),
        "bio": figure.bio,
        "birth_year": figure.birth_year,
        "death_year": figure.death_year,
        "is_participant": figure.is_participant,
    }


def source_values(source: Source) -> dict:
    return {
        "title": source.title,
        "publication": source.publication,
        "interviewer": source.interviewer,
        "interviewee": source.interviewee,
        "date": unparse_partial(source.date, source.date_precision),
        "url": source.url,
        "notes": source.notes,
    }


# Role fields added later, in the snapshot only when they differ from their default (as above).
OPTIONAL_ROLE_KEYS = ("note", "asked", "wording_misses", "reference")


def role_values(role: Role) -> dict:
    return without_empty(
        {
            "figure": role.figure.key,
            "title": role.title,
            "organisation": role.organisation,
            "start": unparse_partial(role.start_date, role.start_precision),
            "end": unparse_partial(role.end_date, role.end_precision),
            "interview_wording": role.interview_wording,
            "note": role.note,
            # Stored as "not asked", so the default leaves the snapshot as it was.
            "asked": not role.asked and "no",
            "wording_misses": role.wording_misses or [],
            "reference": role.reference,
        },
        OPTIONAL_ROLE_KEYS,
    )


OPTIONAL_EVENT_KEYS = ("other_datings", "follows", "reference")


def event_values(event: Event) -> dict:
    return without_empty(
        {
            "name": event.name,
            "date": unparse_partial(event.start_date, event.start_precision),
            "end": unparse_partial(event.end_date, event.end_precision),
            "description": event.description,
            "participants": sorted(f.key for f in event.participants.all()),
            "interview_dating": event.interview_dating,
            "other_datings": event.other_datings or [],
            "follows": sorted(e.key for e in event.follows.all()),
            "reference": event.reference,
        },
        OPTIONAL_EVENT_KEYS,
    )


# Claim fields added after content was first loaded: left out of the snapshot while empty, so a
# row loaded before they existed still hashes as it did (and is not mistaken for an admin's edit).
OPTIONAL_CLAIM_KEYS = (
    "near_misses",
    "evidence",
    "evidence_also",
    "evidence_note",
    "would_confirm",
    "gloss",
    "paraphrase",
    "decoys",
)


def without_empty(values: dict, optional) -> dict:
    return {k: v for k, v in values.items() if k not in optional or v}


def claim_values(claim: Claim) -> dict:
    return without_empty(
        {
            "statement": claim.statement,
            "speaker": claim.speaker.key,
            "passage": claim.passage.position,
            "quote": claim.quote,
            "figures": sorted(f.key for f in claim.figures.all()),
            "events": sorted(e.key for e in claim.events.all()),
            "assessment": claim.assessment,
            "note": claim.note,
            "reference": claim.reference,
            "near_misses": claim.near_misses or [],
            "evidence": claim.evidence,
            "evidence_also": sorted(claim.evidence_also or []),
            "evidence_note": claim.evidence_note,
            "would_confirm": claim.would_confirm,
            "gloss": claim.gloss,
            "paraphrase": claim.paraphrase,
            "decoys": sorted(c.key for c in claim.decoys.all()),
        },
        OPTIONAL_CLAIM_KEYS,
    )


def normalise(item: dict, keys: list[str], sorted_lists: tuple[str, ...] = (), optional=()) -> dict:
    """The fixture item reduced to the snapshot shape, so hashes compare like with like."""
    values = {k: item.get(k) for k in keys}
    for k in sorted_lists:
        values[k] = sorted(values.get(k) or [])
    for k, v in values.items():
        if k == "asked":
            values[k] = "no" if v is False else ""
        elif v is None and k == "is_participant":
            values[k] = False
        elif v is None and k in {"near_misses", "wording_misses"}:
            values[k] = []
        elif v is None and k not in {"date", "end", "start", "birth_year", "death_year"}:
            values[k] = ""
    return without_empty(values, optional)


class Loader:
    def __init__(self, data: dict, text: str, overwrite: bool = False):
        self.data = data
        self.text = text
        self.overwrite = overwrite
        self.report = LoadReport()
        self.errors: list[str] = []

    # -- helpers ---------------------------------------------------------------------------

    def resolve(self, mapping: dict, key, what: str, where: str):
        try:
            return mapping[key]
        except (KeyError, TypeError):
            self.errors.append(f"{where}: unknown {what} {key!r}")
            return None

    def partial(self, value, where: str, field_name: str):
        if value in (None, ""):
            return None, "day"
        try:
            return parse_partial(value)
        except ValueError as exc:
            self.errors.append(f"{where}: {field_name}: {exc}")
            return None, "day"

    def sync(self, model, kind: str, item: dict, values_of, keys, apply, sorted_lists=(), optional=()):
        """Create or update one curated row following the rules in the module docstring."""
        key = item.get("key")
        where = f"{kind} {key!r}"
        if not key:
            self.errors.append(f"{kind}: an item has no key: {json.dumps(item)[:80]}")
            return None
        wanted = normalise(item, keys, sorted_lists, optional)
        new_hash = digest(wanted)
        obj = model.objects.filter(key=key).first()
        if obj is None:
            obj = model(key=key)
            if apply(obj, item, where) is False:
                return None
            self.remember(obj, new_hash)
            self.report.created[kind] += 1
            return obj
        if obj.loaded_hash == new_hash:
            self.report.unchanged[kind] += 1
            return obj
        edited = digest(values_of(obj)) != obj.loaded_hash
        if edited and not self.overwrite:
            self.report.kept_edits.append(where)
            self.report.unchanged[kind] += 1
            return obj
        if edited:
            self.report.overwritten_edits.append(where)
        if apply(obj, item, where) is False:
            return None
        self.remember(obj, new_hash)
        self.report.updated[kind] += 1
        return obj

    @staticmethod
    def remember(obj, loaded_hash):
        obj.loaded_hash = loaded_hash
        type(obj).objects.filter(pk=obj.pk).update(loaded_hash=loaded_hash)

    def validate_and_save(self, obj, where: str, exclude=()):
        try:
            obj.full_clean(exclude=list(exclude), validate_unique=False)
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                for message in messages:
                    self.errors.append(f"{where}: {field_name}: {message}")
            return False
        obj.save()
        return True

    # -- the load --------------------------------------------------------------------------

    def run(self) -> LoadReport:
        if not isinstance(self.data, dict) or "figures" not in self.data:
            raise LoadError("The fixture is not a content file: it has no 'figures' list.")
        parsed = parse_interview(self.text)
        figures = self.load_figures()
        source = self.load_source(parsed)
        passages = self.load_passages(source, parsed, figures) if source else {}
        self.load_roles(figures)
        events = self.load_events(figures)
        self.load_claims(figures, passages, events)
        self.note_missing()
        if self.errors:
            raise LoadError("\n".join(self.errors))
        return self.report

    def load_figures(self) -> dict:
        figures = {}
        keys = [
            "name",
            "short_name",
            "interview_spelling",
            "aliases",
            "bio",
            "birth_year",
            "death_year",
            "is_participant",
        ]
        seen_aliases: dict[str, str] = {}

        def apply(obj, item, where):
            for name in ["name", "short_name", "interview_spelling", "bio"]:
                setattr(obj, name, item.get(name) or "")
            obj.birth_year = item.get("birth_year")
            obj.death_year = item.get("death_year")
            obj.is_participant = bool(item.get("is_participant"))
            if not self.validate_and_save(obj, where, exclude=["key"]):
                return False
            names = item.get("aliases") or []
            obj.aliases.exclude(name__in=names).delete()
            existing = set(obj.aliases.values_list("name", flat=True))
            for name in names:
                if name not in existing:
                    Alias.objects.filter(name__iexact=name).exclude(figure=obj).delete()
                    Alias.objects.create(figure=obj, name=name)
            return True

        for item in self.data.get("figures", []):
            for alias in item.get("aliases") or []:
                owner = seen_aliases.setdefault(alias.lower(), item.get("key"))
                if owner != item.get("key"):
                    self.errors.append(f"figure {item.get('key')!r}: alias {alias!r} already belongs to {owner!r}")
            obj = self.sync(Figure, "figures", item, figure_values, keys, apply, sorted_lists=("aliases",))
            if obj is not None and obj.pk:
                figures[item["key"]] = obj
        return figures

    def load_source(self, parsed):
        item = dict(self.data.get("source") or {})
        if not item:
            self.errors.append("source: missing")
            return None
        keys = ["title", "publication", "interviewer", "interviewee", "date", "url", "notes"]

        def apply(obj, item, where):
            for name in ["title", "publication", "interviewer", "interviewee", "url", "notes"]:
                setattr(obj, name, item.get(name) or "")
            obj.date, obj.date_precision = self.partial(item.get("date"), where, "date")
            obj.lead = parsed.lead
            return self.validate_and_save(obj, where, exclude=["key"])

        source = self.sync(Source, "source", item, source_values, keys, apply)
        if source is not None and source.pk and source.lead != parsed.lead:
            source.lead = parsed.lead  # the standfirst is verbatim text, not curated
            source.save(update_fields=["lead"])
        return source if source is not None and source.pk else None

    def load_passages(self, source, parsed, figures) -> dict:
        speakers = {**DEFAULT_SPEAKERS, **((self.data.get("source") or {}).get("speakers") or {})}
        existing = {p.position: p for p in source.passages.all()}
        passages = {}
        for position, (label, text) in enumerate(parsed.turns, start=1):
            speaker = figures.get(speakers.get(label))
            if speaker is None:
                self.errors.append(f"passage {position}: no figure for speaker {label!r}")
            passage = existing.get(position)
            if passage is None:
                passage = Passage.objects.create(
                    source=source, position=position, speaker_label=label, speaker=speaker, text=text
                )
                self.report.created["passages"] += 1
            elif (passage.text, passage.speaker_label, passage.speaker_id) != (text, label, speaker and speaker.pk):
                # Passages are the verbatim source: the text file always wins.
                passage.text, passage.speaker_label, passage.speaker = text, label, speaker
                passage.save()
                self.report.updated["passages"] += 1
            else:
                self.report.unchanged["passages"] += 1
            passages[position] = passage
        extra = source.passages.filter(position__gt=len(parsed.turns))
        if extra.exists():
            self.errors.append(
                f"passages: the database has {extra.count()} more turns than the text; remove them first"
            )
        return passages

    def load_roles(self, figures):
        keys = [
            "figure",
            "title",
            "organisation",
            "start",
            "end",
            "interview_wording",
            "note",
            "asked",
            "wording_misses",
            "reference",
        ]

        def apply(obj, item, where):
            obj.figure = self.resolve(figures, item.get("figure"), "figure", where)
            obj.title = item.get("title") or ""
            obj.organisation = item.get("organisation") or ""
            obj.interview_wording = item.get("interview_wording") or ""
            obj.note = item.get("note") or ""
            obj.asked = item.get("asked", True) is not False
            obj.wording_misses = item.get("wording_misses") or []
            obj.reference = item.get("reference") or ""
            obj.start_date, obj.start_precision = self.partial(item.get("start"), where, "start")
            obj.end_date, obj.end_precision = self.partial(item.get("end"), where, "end")
            if obj.figure is None:
                return False
            return self.validate_and_save(obj, where, exclude=["key"])

        for item in self.data.get("roles", []):
            self.sync(Role, "roles", item, role_values, keys, apply, optional=OPTIONAL_ROLE_KEYS)

    def load_events(self, figures) -> dict:
        events = {}
        keys = ["name", "date", "end", "description", "participants", "interview_dating", *OPTIONAL_EVENT_KEYS]
        # An event follows others, some later in the fixture: set once every event is saved.
        follows_of: list[tuple[Event, list, str]] = []

        def apply(obj, item, where):
            obj.name = item.get("name") or ""
            obj.description = item.get("description") or ""
            obj.interview_dating = item.get("interview_dating") or ""
            obj.other_datings = item.get("other_datings") or []
            obj.reference = item.get("reference") or ""
            obj.start_date, obj.start_precision = self.partial(item.get("date"), where, "date")
            obj.end_date, obj.end_precision = self.partial(item.get("end"), where, "end")
            participants = [self.resolve(figures, k, "figure", where) for k in item.get("participants") or []]
            if None in participants or not self.validate_and_save(obj, where, exclude=["key"]):
                return False
            obj.participants.set(participants)
            follows_of.append((obj, item.get("follows") or [], where))
            return True

        for item in self.data.get("events", []):
            obj = self.sync(
                Event,
                "events",
                item,
                event_values,
                keys,
                apply,
                sorted_lists=("participants", "follows"),
                optional=OPTIONAL_EVENT_KEYS,
            )
            if obj is not None and obj.pk:
                events[item["key"]] = obj
        self.link_rows(Event, "follows", follows_of, "event (one it follows)", "an event cannot follow itself")
        return events

    def load_claims(self, figures, passages, events):
        keys = ["statement", "speaker", "passage", "quote", "figures", "events", "assessment", "note", "reference"]
        keys += list(OPTIONAL_CLAIM_KEYS)
        # Decoys name other claims, some later in the fixture: set once every claim is saved.
        decoys_of: list[tuple[Claim, list, str]] = []

        def apply(obj, item, where):
            speaker = self.resolve(figures, item.get("speaker"), "speaker", where)
            passage = self.resolve(passages, item.get("passage"), "passage", where)
            if speaker is not None and passage is not None:
                obj.speaker, obj.passage = speaker, passage
            obj.statement = item.get("statement") or ""
            obj.quote = item.get("quote") or ""
            obj.assessment = item.get("assessment") or ""
            obj.note = item.get("note") or ""
            obj.reference = item.get("reference") or ""
            obj.near_misses = item.get("near_misses") or []
            obj.evidence = item.get("evidence") or ""
            obj.evidence_also = item.get("evidence_also") or []
            obj.evidence_note = item.get("evidence_note") or ""
            obj.would_confirm = item.get("would_confirm") or ""
            obj.gloss = item.get("gloss") or ""
            obj.paraphrase = item.get("paraphrase") or ""
            about = [self.resolve(figures, k, "figure", where) for k in item.get("figures") or []]
            about_events = [self.resolve(events, k, "event", where) for k in item.get("events") or []]
            if None in (speaker, passage) or None in about or None in about_events:
                return False
            if not self.validate_and_save(obj, where, exclude=["key"]):
                return False
            obj.figures.set(about)
            obj.events.set(about_events)
            decoys_of.append((obj, item.get("decoys") or [], where))
            return True

        for item in self.data.get("claims", []):
            self.sync(
                Claim,
                "claims",
                item,
                claim_values,
                keys,
                apply,
                sorted_lists=("figures", "events", "evidence_also", "decoys"),
                optional=OPTIONAL_CLAIM_KEYS,
            )
        self.link_rows(Claim, "decoys", decoys_of, "claim (a decoy)", "a claim cannot be its own decoy")

    def link_rows(self, model, field: str, pending, what: str, self_error: str):
        """Set a relation naming rows of the same kind by key (decoys, events followed), once
        every row is saved, so a row may name one further down the fixture."""
        rows = {row.key: row for row in model.objects.all()}
        for obj, keys_given, where in pending:
            linked = [self.resolve(rows, k, what, where) for k in keys_given]
            if obj.key in keys_given:
                self.errors.append(f"{where}: {field}: {self_error}")
            elif None not in linked:
                getattr(obj, field).set(linked)

    def note_missing(self):
        for model, kind in [(Figure, "figures"), (Role, "roles"), (Event, "events"), (Claim, "claims")]:
            wanted = {item.get("key") for item in self.data.get(kind, [])}
            for key in model.objects.exclude(key__in=wanted).values_list("key", flat=True):
                self.report.not_in_fixture.append(f"{kind[:-1]} {key!r}")


def load_interview(fixture_path=FIXTURE_PATH, text_path=TEXT_PATH, overwrite=False) -> LoadReport:
    try:
        data = json.loads(Path(fixture_path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise LoadError(f"{fixture_path}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from exc
    except OSError as exc:
        raise LoadError(f"{fixture_path}: cannot be read: {exc.strerror}") from exc
    text = Path(text_path).read_text(encoding="utf-8")
    with transaction.atomic():
        return Loader(data, text, overwrite=overwrite).run()
