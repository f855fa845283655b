"""Study pages: the annotated interview, the figures, the timeline.

Each page is one template; htmx requests get only the named partial they swap.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from config.htmx import is_fragment_request

from .annotate import CITED, Span, annotate, figure_names, locate, name_pattern
from .citations import cited_span, claim_citation_url
from .figure_search import other_spellings, search_figures
from .hooks import practice_url
from .models import Claim, Event, Figure, Role, Source
from .timeline import DEFAULT_RANGE, dating_comparison, events_in_range, time_attribute

MAX_QUERY = 100


# --- The interview reader ---------------------------------------------------------------


def reader_query(request, **changes):
    """This reader URL with some parameters changed ("on" drops the annotations switch)."""
    params = request.GET.copy()
    for name, value in changes.items():
        params.pop(name, None)
        if value != "on":
            params[name] = value
    query = params.urlencode()
    return reverse("history:interview") + (f"?{query}" if query else "")


def interviewer_labels(source, passages):
    """The labels that mark the turns of speakers other than the interviewee (the interviewer's
    questions), so an unnamed interviewer can be described by how the text credits them."""
    labels = (p.speaker_label for p in passages if p.speaker and p.speaker.name not in source.interviewee)
    return list(dict.fromkeys(label for label in labels if label))


def interview(request):
    source = Source.objects.order_by("pk").first()
    annotations = request.GET.get("annotations") != "off"
    context = {"source": source, "annotations": annotations, "passages": []}
    if source is None:
        return render(request, "history/interview.html", context)
    passages = list(source.passages.select_related("speaker"))
    claims = list(
        Claim.objects.filter(passage__source=source).only("key", "passage_id", "quote", "statement").order_by("pk")
    )
    names = figure_names(Figure.objects.prefetch_related("aliases"))
    pattern = name_pattern(names)
    by_id = {p.pk: p for p in passages}
    cited = cited_span(request.GET, by_id, claims)

    spans, unplaced = {}, {}
    for claim in claims:
        passage = by_id.get(claim.passage_id)
        span = passage and locate(passage.text, claim.quote)
        if span:
            spans.setdefault(claim.passage_id, []).append(Span(span.start, span.end, claim.key))
        else:
            # A quote out of step with its passage still gets a way in, just not in place.
            unplaced.setdefault(claim.passage_id, []).append(claim)
    for passage in passages:
        passage_spans = list(spans.get(passage.pk, [])) if annotations else []
        if cited and cited[0] == passage.pk:
            passage_spans.append(Span(cited[1], cited[2], CITED))
        passage.segments = annotate(passage.text, passage_spans, names, pattern=pattern, link_claimed=not annotations)
        passage.unplaced_claims = unplaced.get(passage.pk, []) if annotations else []
        passage.claim_total = len(spans.get(passage.pk, [])) + len(unplaced.get(passage.pk, []))
        passage.is_cited = bool(cited and cited[0] == passage.pk)
    context.update(
        toggle_url=reader_query(request, annotations="on" if not annotations else "off"),
        show_url=reader_query(request, annotations="on"),
        passages=passages,
        claim_total=len(claims),
        lead_pieces=annotate(source.lead, [], names, pattern=pattern),
        interviewer_labels=interviewer_labels(source, passages),
    )
    return render(request, "history/interview.html", context)


def claim_detail(request, key):
    claim = get_object_or_404(
        Claim.objects.select_related("passage", "passage__speaker", "speaker").prefetch_related(
            Prefetch("figures", queryset=Figure.objects.order_by("short_name")),
            Prefetch("events", queryset=Event.objects.order_by("start_date", "name")),
        ),
        key=key,
    )
    # Claims sharing any of these words, so a claim hidden under another one stays reachable.
    span = locate(claim.passage.text, claim.quote)
    overlapping = []
    if span:
        for other in (
            Claim.objects.filter(passage_id=claim.passage_id).exclude(pk=claim.pk).only("key", "quote", "statement")
        ):
            other_span = locate(claim.passage.text, other.quote)
            if other_span and other_span.start < span.end and span.start < other_span.end:
                overlapping.append(other)
    context = {
        "claim": claim,
        "overlapping": overlapping,
        "reader_url": claim_citation_url(claim),
        "in_panel": is_fragment_request(request),
    }
    template = "history/claim.html#claim-panel" if context["in_panel"] else "history/claim.html"
    return render(request, template, context)


# --- Figures ----------------------------------------------------------------------------


def figure_index(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    figures = list(Figure.objects.prefetch_related("aliases").order_by("is_participant", "short_name"))
    results = search_figures(figures, query)
    for figure in results:
        figure.spellings = other_spellings(figure)
    context = {"query": query, "results": results, "total": len(figures)}
    if is_fragment_request(request):
        # The count lives outside the swapped list (a persistent live region); update it out of band.
        return render(request, "history/figure_index.html#results", {**context, "oob": True})
    return render(request, "history/figure_index.html", context)


def figure_detail(request, key):
    figure = get_object_or_404(
        Figure.objects.prefetch_related(
            "aliases",
            Prefetch("roles", queryset=Role.objects.order_by("start_date", "title")),
            Prefetch("events", queryset=Event.objects.order_by("start_date", "name")),
            Prefetch(
                "claims_about",
                queryset=Claim.objects.select_related("passage", "speaker").order_by("passage__position", "key"),
            ),
        ),
        key=key,
    )
    claims = list(figure.claims_about.all())
    for claim in claims:
        claim.reader_url = claim_citation_url(claim)
    turns, claims_made = [], 0
    if figure.is_participant:
        turns = list(figure.turns.order_by("position").values_list("position", flat=True))
        claims_made = figure.claims_made.count()
    return render(
        request,
        "history/figure_detail.html",
        {
            "figure": figure,
            "spellings": other_spellings(figure),
            "roles": figure.roles.all(),
            "events": figure.events.all(),
            "claims": claims,
            "turns": turns,
            "claims_made": claims_made,
            "practice_url": practice_url(),
        },
    )


# --- Timeline ---------------------------------------------------------------------------


def timeline(request):
    show_all = request.GET.get("range") == "all"
    figure_key = request.GET.get("figure", "").strip()
    choices = list(Figure.objects.filter(events__isnull=False).distinct().order_by("short_name"))
    selected = None
    status = 200
    events = Event.objects.order_by("start_date", "name").prefetch_related(
        Prefetch("participants", queryset=Figure.objects.order_by("short_name")),
        Prefetch("claims", queryset=Claim.objects.select_related("passage").order_by("passage__position", "key")),
    )
    error = ""
    if figure_key:
        selected = next((f for f in choices if f.key == figure_key), None)
        if selected is None:
            error = "There is no figure with that name on the timeline; showing every figure."
            status = 400
        else:
            events = events.filter(participants=selected)
    if not show_all:
        events = events_in_range(events, *DEFAULT_RANGE)
    events = list(events)
    for event in events:
        event.dating = dating_comparison(event)
        event.time_attribute = time_attribute(event)
        for claim in event.claims.all():
            claim.reader_url = claim_citation_url(claim)
    return render(
        request,
        "history/timeline.html",
        {
            "events": events,
            "show_all": show_all,
            "range": DEFAULT_RANGE,
            "choices": choices,
            "selected": selected,
            "error": error,
            "practice_url": practice_url(),
        },
        status=status,
    )
