"""Charts drawn on the server with matplotlib, so the same picture is in the page (SVG) and in the
documents (PNG in DOCX/PDF), with no chart library loaded by the browser.

A :class:`Chart` is its data: a title, the table behind it (columns and rows, which the page shows
one click away and serves as CSV) and a kind (bar, line, stacked, treemap, multiples). Drawing is
lazy: matplotlib (the ``charts`` extra) is imported on the first draw. Chinese labels need a CJK
font; Noto Sans CJK (``fonts-noto-cjk``) is found where the system keeps it.
"""

from __future__ import annotations

import csv
import io
import textwrap
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any, Literal

from ogi.errors import OgiError

Kind = Literal["bar", "line", "stacked", "grouped", "treemap", "multiples"]
INSTALL = "charts need matplotlib: pip install 'ogi[charts]'"
_FONT_NAMES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei")
_COLOURS = ("#3b6ea5", "#e0803c", "#5a9e4b", "#c44e52", "#8172b2", "#937860", "#da8bc3", "#8c8c8c", "#ccb974")


class ChartError(OgiError):
    """A chart cannot be drawn here (matplotlib or a CJK font missing)."""


@dataclass
class Chart:
    """A chart and the table behind it. ``rows`` are (label, value) for bar/line/treemap; (label,
    series, value) for stacked and grouped; (panel, x, value) for multiples."""

    name: str
    title: str
    kind: Kind
    columns: list[str]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    note: str = ""

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.columns)
        writer.writerows([[_plain(v) for v in r] for r in self.rows])
        return out.getvalue()

    def table(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "note": self.note,
            "columns": self.columns,
            "rows": [[_plain(v) for v in r] for r in self.rows],
        }

    def svg(self) -> str:
        return _draw(self, "svg").decode("utf-8")

    def png(self, dpi: int = 150) -> bytes:
        return _draw(self, "png", dpi)


def _plain(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


@cache
def _font() -> str:
    try:
        import matplotlib

        matplotlib.use("agg")
        from matplotlib import font_manager
    except ImportError as e:
        raise ChartError(INSTALL) from e
    for path in sorted(font_manager.findSystemFonts()):  # a set's order: the same font every run
        if "NotoSansCJK-Regular" in path or "NotoSansCJKsc-Regular" in path:
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
    available = {f.name for f in font_manager.fontManager.ttflist}
    for name in _FONT_NAMES:
        if name in available:
            return name
    raise ChartError("charts need a Chinese font: apt-get install fonts-noto-cjk")


def _draw(chart: Chart, fmt: str, dpi: int = 150) -> bytes:
    font = _font()
    from matplotlib import rcParams
    from matplotlib.figure import Figure

    rcParams["font.family"] = font
    rcParams["svg.fonttype"] = "path"  # self-contained: the browser needs no CJK font
    rcParams["axes.unicode_minus"] = False
    rcParams["svg.hashsalt"] = "ogi"  # the same chart is the same file
    width, height = (7.5, 3.2) if chart.kind != "multiples" else (7.5, 1.9 * ((len(_panels(chart)) + 3) // 4))
    if chart.kind in ("bar", "grouped"):
        height = max(2.0, 0.32 * len(chart.rows) * (0.6 if chart.kind == "grouped" else 1) + 0.9)
    fig = Figure(figsize=(width, height), dpi=dpi)
    if not chart.rows:
        fig.text(0.5, 0.5, "无数据", ha="center", va="center", color="#888")
    elif chart.kind == "multiples":
        _multiples(fig, chart)
    else:
        ax = fig.add_subplot()
        {"bar": _bar, "line": _line, "stacked": _stacked, "grouped": _grouped, "treemap": _treemap}[chart.kind](
            ax, chart
        )
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    fig.suptitle(chart.title, fontsize=11, x=0.01, ha="left")
    out = io.BytesIO()
    fig.savefig(out, format=fmt, bbox_inches="tight", metadata={"Date": None} if fmt == "svg" else None)
    return out.getvalue()


def _bar(ax: Any, chart: Chart) -> None:
    labels = [str(r[0]) for r in chart.rows][::-1]
    values = [float(_plain(r[1]) or 0) for r in chart.rows][::-1]
    bars = ax.barh(labels, values, color=_COLOURS[0])
    ax.bar_label(bars, labels=[f"{v:,.0f}" if v == int(v) else f"{v:,.2f}" for v in values], fontsize=8, padding=2)
    ax.tick_params(labelsize=8)
    ax.set_xlabel(chart.columns[1], fontsize=8)
    if min(values, default=0) >= 0:
        ax.set_xlim(0, max(max(values, default=0) * 1.1, 1))


def _line(ax: Any, chart: Chart) -> None:
    xs = [str(r[0]) for r in chart.rows]
    ys = [None if r[1] is None else float(_plain(r[1])) for r in chart.rows]
    ax.plot(xs, [y if y is not None else float("nan") for y in ys], marker="o", color=_COLOURS[0])
    for x, y in zip(xs, ys, strict=True):
        if y is not None:
            ax.annotate(f"{y:,.0f}", (x, y), textcoords="offset points", xytext=(0, 5), ha="center", fontsize=8)
    ax.set_ylabel(chart.columns[1], fontsize=8)
    ax.tick_params(labelsize=8)
    ax.set_ylim(bottom=0)


def _stacked(ax: Any, chart: Chart) -> None:
    labels = list(dict.fromkeys(str(r[0]) for r in chart.rows))
    series = list(dict.fromkeys(str(r[1]) for r in chart.rows))
    value = {(str(r[0]), str(r[1])): float(_plain(r[2]) or 0) for r in chart.rows}
    left = [0.0] * len(labels)
    for i, s in enumerate(series):
        widths = [value.get((label, s), 0.0) for label in labels]
        ax.barh(labels[::-1], widths[::-1], left=left[::-1], label=s, color=_COLOURS[i % len(_COLOURS)])
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.legend(fontsize=7, ncols=min(4, len(series)), loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False)
    ax.tick_params(labelsize=8)


def _grouped(ax: Any, chart: Chart) -> None:
    labels = list(dict.fromkeys(str(r[0]) for r in chart.rows))[::-1]
    series = list(dict.fromkeys(str(r[1]) for r in chart.rows))
    value = {(str(r[0]), str(r[1])): float(_plain(r[2]) or 0) for r in chart.rows}
    height = 0.8 / len(series)
    for i, s in enumerate(series):
        ys = [n + (len(series) - 1 - i) * height - 0.4 + height / 2 for n in range(len(labels))]
        widths = [value.get((label, s), 0.0) for label in labels]
        bars = ax.barh(ys, widths, height=height, label=s, color=_COLOURS[i % len(_COLOURS)])
        ax.bar_label(bars, labels=[f"{w:,.0f}" for w in widths], fontsize=7, padding=2)
    ax.set_yticks(range(len(labels)), labels)
    ax.legend(fontsize=7, loc="lower right", frameon=False)
    ax.tick_params(labelsize=8)


def _treemap(ax: Any, chart: Chart) -> None:
    import squarify

    rows = [(str(r[0]), float(_plain(r[1]) or 0)) for r in chart.rows if _plain(r[1])]
    rows.sort(key=lambda r: -r[1])
    if not rows:
        return
    sizes = squarify.normalize_sizes([v for _, v in rows], 100, 60)
    rects = squarify.squarify(sizes, 0, 0, 100, 60)
    for i, ((label, v), rect) in enumerate(zip(rows, rects, strict=True)):
        ax.add_patch(_rectangle(rect, _COLOURS[i % len(_COLOURS)]))
        if rect["dx"] > 8 and rect["dy"] > 5:
            ax.text(rect["x"] + 1, rect["y"] + 1.5, f"{label}\n{v:,.0f}", va="top", fontsize=7, color="white")
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 60)
    ax.invert_yaxis()
    ax.axis("off")


def _rectangle(rect: dict[str, float], colour: str) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((rect["x"], rect["y"]), rect["dx"], rect["dy"], facecolor=colour, edgecolor="white")


def _panels(chart: Chart) -> list[str]:
    return list(dict.fromkeys(str(r[0]) for r in chart.rows))


def _multiples(fig: Any, chart: Chart) -> None:
    panels = _panels(chart)
    cols = 4
    rows = (len(panels) + cols - 1) // cols
    for i, panel in enumerate(panels):
        ax = fig.add_subplot(rows, cols, i + 1)
        points = [(str(r[1]), r[2]) for r in chart.rows if str(r[0]) == panel]
        xs = [x for x, _ in points]
        ys = [float("nan") if y is None else float(_plain(y)) for _, y in points]
        ax.plot(xs, ys, marker="o", markersize=3, color=_COLOURS[0], linewidth=1)
        ax.set_title("\n".join(textwrap.wrap(panel, 14)), fontsize=6.5)
        ax.set_ylim(bottom=min(0, *[y for y in ys if y == y]) if any(y == y for y in ys) else 0)
        ax.tick_params(labelsize=6)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    fig.subplots_adjust(hspace=0.9, wspace=0.35)


__all__ = ["Chart", "ChartError"]
