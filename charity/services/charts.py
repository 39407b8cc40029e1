"""The geometry of a bar chart of money, in Decimal, which the templates draw as SVG (the
reports' money charts too)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..money import yuan


@dataclass
class Bar:
    label: str
    amount: Decimal
    x: Decimal
    y: Decimal
    width: Decimal
    height: Decimal
    label_x: Decimal


@dataclass
class Chart:
    width: int
    height: int
    top: Decimal  # the axis maximum, in 元
    bars: list
    ticks: list  # (y, amount)
    baseline: int


def nice_ceiling(amount: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above the amount (at least 10,000 元)."""
    amount = max(yuan(amount), Decimal(10000))
    power = Decimal(1)
    while power * 10 <= amount:
        power *= 10
    for step in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        if power * step >= amount:
            return power * step
    return power * 10  # pragma: no cover


def bar_chart(rows, *, width=640, height=260) -> Chart:
    """Geometry of a bar chart, in Decimal: ``rows`` are (label, amount)."""
    rows = list(rows)
    left, right, top_pad, bottom_pad = 64, 8, 24, 28
    plot_width = Decimal(width - left - right)
    plot_height = Decimal(height - top_pad - bottom_pad)
    top = nice_ceiling(max((amount for _, amount in rows), default=Decimal(0)))
    slot = plot_width / max(len(rows), 1)
    bar_width = (slot * Decimal("0.62")).quantize(Decimal("0.1"))
    bars = []
    one = Decimal("0.1")
    for index, (label, amount) in enumerate(rows):
        bar_height = (plot_height * yuan(amount) / top).quantize(one)
        x = (left + slot * index + (slot - bar_width) / 2).quantize(one)
        bars.append(
            Bar(
                label=label,
                amount=yuan(amount),
                x=x,
                y=(top_pad + plot_height - bar_height).quantize(one),
                width=bar_width,
                height=bar_height,
                label_x=(x + bar_width / 2).quantize(one),
            )
        )
    ticks = [
        ((top_pad + plot_height - plot_height * part / 4).quantize(one), top * part / 4)
        for part in range(5)
    ]
    return Chart(
        width=width, height=height, top=top, bars=bars, ticks=ticks, baseline=height - bottom_pad
    )


def percent(part: Decimal, whole: Decimal | None) -> Decimal | None:
    if not whole:
        return None
    return (yuan(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
