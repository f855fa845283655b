"""What the interview says, and what historians have established about it."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from .dates import Precision, format_partial, parse_partial, period_end

# An editor's insertion into quoted words, "He [Kirov] was the leader": the convention by which
# a sentence torn from its passage is made to say whom it is about without changing a word of it.
INSERTION = re.compile(r"\s*\[[^\]]*\]")


def without_insertions(text: str) -> str:
    """The quoted words alone, the editor's [insertions] taken out."""
    return " ".join(INSERTION.sub("", text).split())


class Curated(models.Model):
    """Content loaded from the versioned fixture.

    `key` is the fixture's stable identifier; `loaded_hash` fingerprints the
    values last written by the loader, so a re-load can tell an admin's edit
    (current values differ from it) from content nobody touched.
    """

    key = models.SlugField(max_length=120, unique=True)
    loaded_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True


class Source(Curated):
    title = models.CharField(max_length=200)
    publication = models.CharField(max_length=200, blank=True)
    interviewer = models.CharField(max_length=200, blank=True)
    interviewee = models.CharField(max_length=200)
    date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    url = models.URLField(blank=True)
    lead = models.TextField(blank=True, help_text="The article's standfirst, printed above the interview.")
    notes = models.TextField(blank=True, help_text="Provenance: what is and is not known about this source.")

    def __str__(self):
        return f"{self.title} ({self.interviewee})"

    @property
    def date_display(self):
        return format_partial(self.date, self.date_precision)


class Figure(Curated):
    name = models.CharField(max_length=120, help_text="Standard English spelling, full name.")
    short_name = models.CharField(max_length=60, help_text="How questions refer to them, e.g. 'Tukhachevsky'.")
    interview_spelling = models.CharField(
        max_length=120, blank=True, help_text="Exactly as the interview spells the name; blank if not named."
    )
    bio = models.TextField(blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    death_year = models.PositiveSmallIntegerField(null=True, blank=True)
    is_participant = models.BooleanField(
        default=False, help_text="A participant in the interview rather than a historical figure it discusses."
    )

    class Meta:
        ordering = ["short_name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("history:figure", args=[self.key])

    @property
    def lifespan(self):
        if self.birth_year and self.death_year:
            return f"{self.birth_year}–{self.death_year}"
        if self.birth_year:
            return f"born {self.birth_year}"
        return ""

    def clean(self):
        if self.birth_year and self.death_year and self.death_year < self.birth_year:
            raise ValidationError({"death_year": "Death year cannot be before birth year."})


class Alias(models.Model):
    """Another spelling of a figure's name (transliterations, the interview's own)."""

    figure = models.ForeignKey(Figure, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=120)

    class Meta:
        verbose_name_plural = "aliases"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="alias_name_unique_ci")]

    def __str__(self):
        return self.name


class Passage(models.Model):
    """One speaker turn of the interview, verbatim."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="passages")
    position = models.PositiveSmallIntegerField()
    speaker_label = models.CharField(max_length=10, help_text="As printed, e.g. 'SM' or 'GJ'.")
    speaker = models.ForeignKey(Figure, on_delete=models.PROTECT, related_name="turns", null=True, blank=True)
    text = models.TextField()

    class Meta:
        ordering = ["source", "position"]
        constraints = [models.UniqueConstraint(fields=["source", "position"], name="passage_position_unique")]

    def __str__(self):
        preview = self.text[:60] + ("…" if len(self.text) > 60 else "")
        return f"§{self.position} {self.speaker_label}: {preview}"

    @property
    def anchor(self):
        return f"passage-{self.position}"

    def get_absolute_url(self):
        return reverse("history:interview") + f"#{self.anchor}"


class DatedMixin(models.Model):
    """A start (and optional end) known to a given precision; the end may not precede the start."""

    start_date = models.DateField()
    start_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    end_date = models.DateField(null=True, blank=True)
    end_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.start_date and self.end_date:
            # Compare whole periods: "1936" to "1936-04" is fine, "1937" to "1936-12" is not.
            if period_end(self.end_date, self.end_precision) < self.start_date:
                raise ValidationError({"end_date": "The end date cannot be before the start date."})

    @property
    def start_display(self):
        return format_partial(self.start_date, self.start_precision)

    @property
    def end_display(self):
        return format_partial(self.end_date, self.end_precision)

    @property
    def span_display(self):
        if self.end_date and self.end_display != self.start_display:
            return f"{self.start_display} – {self.end_display}"
        return self.start_display


class Role(Curated, DatedMixin):
    figure = models.ForeignKey(Figure, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    interview_wording = models.CharField(
        max_length=300, blank=True, help_text="The interview's own words for this office, if it names it."
    )
    note = models.TextField(
        blank=True, help_text="A qualification every question on this office shows (a title out of use, a convention)."
    )
    asked = models.BooleanField(
        default=True,
        help_text="Ask questions about this office. Off for an office listed only so that its holder is never "
        "offered as a wrong answer for it (a short or lesser-known tenure not worth drilling).",
    )
    reference = models.TextField(
        blank=True, help_text="Where a teacher can check the office and its dates (shown with every question on it)."
    )
    wording_misses = models.JSONField(
        default=list,
        blank=True,
        help_text="Wrong words for the gap where the interview's wording stands, each fitting it as that wording "
        'does and not what the interview says of this person: ["the chairman of the Leningrad Soviet", …]; the '
        "wrong choices of the office gap-fill, which is not asked without two.",
    )

    class Meta:
        ordering = ["start_date", "figure__short_name"]

    def clean(self):
        super().clean()
        misses = self.wording_misses or []
        if not isinstance(misses, list) or not all(isinstance(m, str) and m.strip() for m in misses):
            raise ValidationError({"wording_misses": 'Give a list of wordings: ["…", "…"].'})
        wording = " ".join(self.interview_wording.casefold().split())
        if misses and not wording:
            raise ValidationError({"wording_misses": "Only an office with the interview's wording has wrong ones."})
        if wording in {" ".join(m.casefold().split()) for m in misses}:
            raise ValidationError({"wording_misses": "The interview's own wording cannot be a wrong one."})

    def __str__(self):
        return f"{self.figure.short_name}: {self.title} ({self.span_display or 'undated'})"


class Event(Curated, DatedMixin):
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    reference = models.TextField(
        blank=True, help_text="Where a teacher can check the event and its dates (shown with every question on it)."
    )
    participants = models.ManyToManyField(Figure, related_name="events", blank=True)
    interview_dating = models.CharField(
        max_length=100, blank=True, help_text="How the interview dates it, where it does."
    )
    other_datings = models.JSONField(
        default=list,
        blank=True,
        help_text='Dates standard accounts give instead, never offered as a wrong date: [{"date": "1938-12-08", '
        '"why": "the day the press announced it"}].',
    )
    follows = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="+",
        help_text="Events this one cannot have come before (an arrest before its trial, a murder before its "
        "killer's trial): never put in one ordering question with it, where the order gives itself away.",
    )

    class Meta:
        ordering = ["start_date", "name"]

    def __str__(self):
        return f"{self.name} ({self.span_display})"

    def clean(self):
        super().clean()
        for entry in self.other_datings or []:
            if not isinstance(entry, dict) or not str(entry.get("why", "")).strip():
                raise ValidationError({"other_datings": 'Each entry needs a "date" and a "why".'})
            try:
                parse_partial(entry.get("date"))
            except ValueError as exc:
                raise ValidationError({"other_datings": str(exc)}) from exc

    @property
    def dated_otherwise(self) -> list[tuple[date, str, str]]:
        """(date, precision, why) for each dating standard accounts give instead."""
        return [(*parse_partial(entry["date"]), entry["why"].strip()) for entry in self.other_datings or []]

    def get_absolute_url(self):
        return reverse("history:timeline") + f"#event-{self.key}"

    @property
    def year(self):
        return self.start_date.year


class Assessment(models.TextChoices):
    CORROBORATED = "corroborated", "Corroborated by historians"
    DISPUTED = "disputed", "Disputed by historians"
    CONTRADICTED = "contradicted", "Contradicted by historians"
    UNVERIFIABLE = "unverifiable", "Unverifiable"


class Evidence(models.TextChoices):
    """What a historians' verdict can chiefly rest on: the kinds of evidence the historiography
    of the 1930s turns on."""

    ARCHIVAL = "archival", "Archival records (Politburo, Central Committee and NKVD documents)"
    CONFESSIONS = "confessions", "Confessions of the accused (trials and NKVD interrogations, 1935-38)"
    DEFECTOR = "defector", "A defector's memoir"
    LATER_TESTIMONY = "later-testimony", "Later testimony (memoirs and the inquiries of the Khrushchev era and after)"
    PUBLICATIONS = "publications", "Contemporary publications (decrees, newspapers, published trial reports)"
    STATISTICS = "statistics", "Economic and demographic data"
    NO_RECORD = "no-record", "No surviving record that could settle it"


class Claim(Curated):
    """A statement the interview makes, with the historians' assessment of it."""

    statement = models.TextField(help_text="The claim in plain words, as the speaker makes it.")
    speaker = models.ForeignKey(Figure, on_delete=models.PROTECT, related_name="claims_made")
    passage = models.ForeignKey(Passage, on_delete=models.PROTECT, related_name="claims")
    quote = models.TextField(help_text="The exact words of the passage the claim comes from.")
    figures = models.ManyToManyField(Figure, related_name="claims_about", blank=True)
    events = models.ManyToManyField(Event, related_name="claims", blank=True)
    assessment = models.CharField(max_length=20, choices=Assessment.choices)
    note = models.TextField(help_text="What historians have established, and why this assessment.")
    reference = models.TextField(help_text="Where a teacher can check the note.")
    near_misses = models.JSONField(
        default=list,
        blank=True,
        help_text="Statements the interview does not make but a careless reader might think it does, as "
        '[{"text": "…", "why": "what the interview says instead"}]; the wrong choices of "According to the interview".',
    )
    evidence = models.CharField(
        max_length=20,
        choices=Evidence.choices,
        blank=True,
        help_text="What the verdict chiefly rests on, when one kind of evidence clearly does; blank otherwise.",
    )
    evidence_also = models.JSONField(
        default=list,
        blank=True,
        help_text="Other kinds of evidence that would also be a fair answer (never offered as wrong).",
    )
    evidence_note = models.TextField(blank=True, help_text="One or two sentences on that evidence, for the feedback.")
    would_confirm = models.CharField(
        max_length=300,
        blank=True,
        help_text="For a claim nothing on record settles: the record that would confirm it, named for this claim "
        '("The letter itself, preserved among Stalin\'s papers and open to researchers"); the answer of '
        '"What could confirm it?", which is not asked without it.',
    )
    gloss = models.TextField(
        blank=True,
        help_text="The sentence holding the quote with an editor's [insertions] saying whom or what it is about, "
        '"He [Kirov] was the leader in that city [Leningrad] …": how source-reading questions show a sentence '
        "that, torn from its passage, would not say. Only the insertions may differ from the interview's words.",
    )
    paraphrase = models.TextField(
        blank=True,
        help_text="The claim in other words than the interview's, with its speaker and verb (“Maskharashvili "
        "says …”): how “Find the evidence” asks it, where the statement copies a run of the sentence's words "
        "and the answer would be found by matching them. Blank: the statement.",
    )
    decoys = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="+",
        help_text="Claims whose sentences share this claim's person or subject but do not make it: the wrong "
        "choices 'Find the evidence' offers first, so the answer is not the only sentence on its subject.",
    )

    class Meta:
        ordering = ["passage__position", "key"]

    def __str__(self):
        text = self.statement if len(self.statement) <= 80 else self.statement[:79] + "…"
        return f"{text} [{self.get_assessment_display()}]"

    def clean(self):
        errors = {}
        if self.passage_id and self.quote and self.quote not in self.passage.text:
            errors["quote"] = f"The quote does not occur in passage §{self.passage.position}; copy it exactly."
        if not self.assessment:
            errors["assessment"] = "Every claim needs a historical assessment."
        elif self.assessment not in Assessment.values:
            errors["assessment"] = f"{self.assessment!r} is not an assessment ({', '.join(Assessment.values)})."
        if not (self.note or "").strip():
            errors["note"] = "Explain the assessment in a short note."
        errors.update(self.curation_errors())
        if errors:
            raise ValidationError(errors)

    def curation_errors(self) -> dict:
        """What is wrong with the near-misses and the evidence fields, by field."""
        errors = {}
        misses = self.near_misses or []
        if not isinstance(misses, list) or not all(
            isinstance(m, dict) and str(m.get("text", "")).strip() and str(m.get("why", "")).strip() for m in misses
        ):
            errors["near_misses"] = 'Give a list of {"text": …, "why": …}, both filled in.'
        also = self.evidence_also or []
        if not isinstance(also, list) or not set(also) <= set(Evidence.values):
            errors["evidence_also"] = f"Give a list of evidence kinds ({', '.join(Evidence.values)})."
        elif self.evidence and self.evidence in also:
            errors["evidence_also"] = "The main kind of evidence is already the answer; list only the others."
        if self.evidence and not (self.evidence_note or "").strip():
            errors["evidence_note"] = "Say in a sentence what that evidence is."
        if (self.would_confirm or "").strip() and self.evidence != Evidence.NO_RECORD:
            errors["would_confirm"] = "Only a claim nothing on record settles (evidence: no record) needs this."
        if gloss_error := self.gloss_error():
            errors["gloss"] = gloss_error
        paraphrase = (self.paraphrase or "").split()
        if paraphrase and paraphrase[:2] != (self.statement or "").split()[:2]:
            errors["paraphrase"] = "Open as the statement does, with its speaker and verb (“Maskharashvili says …”)."
        return errors

    def gloss_error(self) -> str:
        gloss = (self.gloss or "").strip()
        if not gloss:
            return ""
        if not INSERTION.search(gloss):
            return "Add what the sentence leaves unsaid in [square brackets], e.g. “He [Kirov] was …”."
        words = without_insertions(gloss)
        if not self.passage_id or words not in " ".join(self.passage.text.split()):
            return "Without its [insertions] the gloss must be the passage's own words, copied exactly."
        if self.quote and " ".join(self.quote.split()) not in words:
            return "Gloss the sentence that holds the claim's quote."
        return ""

    @property
    def quote_start(self):
        return self.passage.text.find(self.quote)
