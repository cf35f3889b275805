"""Horizontal bar charts as geometry for ``templates/_bars.svg`` (one or two series)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 560
LABEL_WIDTH = 210
ROW = 26


@dataclass(frozen=True)
class BarRow:
    label: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class DrawnBar:
    x: float
    y: float
    width: float
    height: float
    value: int
    series: int


@dataclass(frozen=True)
class Chart:
    title: str
    series: tuple[str, ...]
    rows: tuple[BarRow, ...]
    bars: tuple[DrawnBar, ...]
    width: int
    height: int
    label_width: int
    row_height: int


def bar_chart(title: str, rows: Sequence[BarRow], series: Sequence[str] = ("",)) -> Chart:
    biggest = max((v for r in rows for v in r.values), default=0) or 1
    inner = WIDTH - LABEL_WIDTH - 50
    per_series = (ROW - 6) / max(1, len(series))
    bars = []
    for i, row in enumerate(rows):
        for s, value in enumerate(row.values):
            bars.append(
                DrawnBar(
                    x=LABEL_WIDTH,
                    y=round(8 + i * ROW + s * per_series, 1),
                    width=round(max(1.0, inner * value / biggest), 1),
                    height=round(per_series - 1, 1),
                    value=value,
                    series=s,
                )
            )
    return Chart(title, tuple(series), tuple(rows), tuple(bars), WIDTH, 16 + len(rows) * ROW, LABEL_WIDTH, ROW)
