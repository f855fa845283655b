"""Small server-rendered charts: coordinates are computed here, the SVG markup lives in a
template partial (so every label is autoescaped and no inline style is needed under the CSP)."""

from django.utils import timezone
from django.utils.formats import date_format

Y_TICKS = (0, 25, 50, 75, 100)


def _day(when):
    return date_format(timezone.localtime(when), "DATE_FORMAT")


def trend_svg(points, width=640, height=240, limit=None):
    """Geometry and text for a score-over-time line chart of TrendPoints (oldest first).

    Attempts are spaced evenly along x (each is one step in the student's practice);
    y is the score from 0 to 100 %. Returns None when there is nothing to plot.
    """
    if not points:
        return None
    left, right, top, bottom = 66, 16, 14, 34  # room for axis labels drawn larger on phones
    plot_w, plot_h = width - left - right, height - top - bottom

    def x_at(index):
        if len(points) == 1:
            return left + plot_w / 2
        return left + plot_w * index / (len(points) - 1)

    def y_at(percent):
        return top + plot_h * (100 - percent) / 100

    dots = []
    for index, point in enumerate(points):
        dots.append(
            {
                "x": round(x_at(index), 1),
                "y": round(y_at(point.percent), 1),
                "label": f"{point.title}, {_day(point.when)}: {point.percent}% ({point.correct} of {point.total} right)",
            }
        )
    ticks = [{"y": round(y_at(value), 1), "label": f"{value}%"} for value in Y_TICKS]
    x_labels = [{"x": dots[0]["x"], "label": _day(points[0].when), "anchor": "start" if len(points) > 1 else "middle"}]
    if len(points) > 1:
        x_labels.append({"x": dots[-1]["x"], "label": _day(points[-1].when), "anchor": "end"})

    percents = [point.percent for point in points]
    if len(points) == 1:
        desc = f"One finished attempt, on {_day(points[0].when)}, scored {percents[0]}%."
    else:
        # At the limit there may be older attempts the chart leaves out: say these are the latest.
        latest = "Your latest " if limit and len(points) >= limit else ""
        desc = (
            f"{latest}{len(points)} finished attempts, from {_day(points[0].when)} to {_day(points[-1].when)}. "
            f"First score {percents[0]}%, latest {percents[-1]}%, best {max(percents)}%, "
            f"average {round(sum(percents) / len(percents))}%."
        )
    return {
        "width": width,
        "height": height,
        "left": left,
        "right_edge": width - right,
        "baseline": round(y_at(0), 1),
        "label_y": height - 10,
        "line": " ".join(f"{dot['x']},{dot['y']}" for dot in dots),
        "dots": dots,
        "ticks": ticks,
        "x_labels": x_labels,
        "title": "Your scores over time",
        "desc": desc,
    }
