from django.shortcuts import get_object_or_404, render

from .models import Event, Figure, Source


def interview(request):
    source = Source.objects.first()
    passages = source.passages.select_related("speaker") if source else []
    return render(request, "history/interview.html", {"source": source, "passages": passages})


def figure_index(request):
    figures = Figure.objects.filter(is_participant=False).prefetch_related("aliases")
    return render(request, "history/figure_index.html", {"figures": figures})


def figure_detail(request, key):
    figure = get_object_or_404(Figure, key=key)
    return render(request, "history/figure_detail.html", {"figure": figure})


def timeline(request):
    events = Event.objects.all()
    return render(request, "history/timeline.html", {"events": events})
