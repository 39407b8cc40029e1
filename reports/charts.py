"""Geometry of the charts the reports draw as SVG on the server: bars of counts with an
optional target line (visits per month against the quota). Money charts reuse
``charity.services.bar_chart``. Every chart comes with the table it is drawn from, which the
templates show as the chart's text alternative.
"""

from dataclasses import dataclass


@dataclass
class CountBar:
    label: str
    value: int
    target: int | None
    x: float
    y: float
    width: float
    height: float
    label_x: float
    target_y: float | None


@dataclass
class CountChart:
    width: int
    height: int
    top: int
    bars: list
    ticks: list  # (y, value)
    baseline: float
    target_points: str  # an SVG polyline's points, empty when there is no target


def nice_top(value: int) -> int:
    """The smallest of 1, 2, 5 × 10ⁿ at or above the value (at least 4)."""
    value = max(value, 4)
    power = 1
    while True:
        for step in (1, 2, 5):
            if power * step >= value:
                return power * step
        power *= 10


def count_chart(rows, *, width=640, height=240) -> CountChart:
    """``rows`` are (label, value) or (label, value, target)."""
    rows = [tuple(row) + (None,) * (3 - len(row)) for row in rows]
    left, right, top_pad, bottom_pad = 40, 8, 16, 28
    plot_width = width - left - right
    plot_height = height - top_pad - bottom_pad
    top = nice_top(max([row[1] for row in rows] + [row[2] or 0 for row in rows] + [0]))
    slot = plot_width / max(len(rows), 1)
    bar_width = round(slot * 0.6, 1)
    baseline = top_pad + plot_height
    bars, points = [], []
    for index, (label, value, target) in enumerate(rows):
        bar_height = round(plot_height * value / top, 1)
        x = round(left + slot * index + (slot - bar_width) / 2, 1)
        target_y = None if target is None else round(baseline - plot_height * target / top, 1)
        if target_y is not None:
            points.append(f"{round(left + slot * index, 1)},{target_y}")
            points.append(f"{round(left + slot * (index + 1), 1)},{target_y}")
        bars.append(
            CountBar(
                label=label,
                value=value,
                target=target,
                x=x,
                y=round(baseline - bar_height, 1),
                width=bar_width,
                height=bar_height,
                label_x=round(x + bar_width / 2, 1),
                target_y=target_y,
            )
        )
    ticks = [(round(baseline - plot_height * part / 4, 1), top * part // 4) for part in range(5)]
    return CountChart(
        width=width,
        height=height,
        top=top,
        bars=bars,
        ticks=ticks,
        baseline=baseline,
        target_points=" ".join(points),
    )


@dataclass
class HBar:
    label: str
    value: int
    y: float
    width: float
    text_y: float
    value_x: float


@dataclass
class HBarChart:
    width: int
    height: int
    label_width: int
    bars: list


def hbar_chart(rows, *, width=640, row_height=26, label_width=180) -> HBarChart:
    """Horizontal bars for counts with long labels (event types): ``rows`` are (label, value)."""
    rows = list(rows)
    plot_width = width - label_width - 48
    top = max([value for _label, value in rows] + [1])
    bars = []
    for index, (label, value) in enumerate(rows):
        y = index * row_height + 4
        bar_width = round(plot_width * value / top, 1)
        bars.append(
            HBar(
                label=label,
                value=value,
                y=y,
                width=bar_width,
                text_y=y + row_height / 2 + 1,
                value_x=round(label_width + bar_width + 6, 1),
            )
        )
    return HBarChart(
        width=width, height=len(rows) * row_height + 8, label_width=label_width, bars=bars
    )
