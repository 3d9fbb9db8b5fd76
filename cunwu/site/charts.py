"""Static SVG charts drawn at build time: no JavaScript, no fonts to download.

Every chart is also published as a table of its numbers next to it, so the
SVG only has to be legible, not exhaustive.
"""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape as _xml_escape

from .markup import plain_line


def escape(value: object) -> str:
    """Text for the SVG, in an element or a quoted attribute: masked, one line,
    with both quote kinds escaped."""
    return _xml_escape(plain_line(value), {"'": "&apos;", '"': "&quot;"})

# One colour per category on every chart of every site, village and county
# alike: a colour never changes meaning between two charts. Totals (收入,
# 支出) have their own; no category reuses them.
COLORS = {
    "收入": "#2e7d32", "支出": "#c62828",
    "经营收入": "#1565c0", "承包收入": "#827717", "补助收入": "#ad1457", "投资收益": "#283593", "其他收入": "#8d6e63",
    "经营支出": "#ef6c00", "管理费用": "#6a1b9a", "公益支出": "#00838f", "其他支出": "#455a64",
    "满意": "#2e7d32", "基本满意": "#f9a825", "不满意": "#c62828",
}
INCOME_COLOR = COLORS["收入"]
EXPENSE_COLOR = COLORS["支出"]
PALETTE = ("#546e7a", "#6d4c41", "#5e35b1", "#0277bd")   # labels outside COLORS, in turn


def colour_of(label: str, i: int = 0) -> str:
    return COLORS.get(label, PALETTE[i % len(PALETTE)])
FONT = "font-family='sans-serif'"


def _num(value) -> float:
    # Only for geometry: the figures people read come from Decimal tables.
    return float(value)


def _open(title: str, width: int, height: int) -> list[str]:
    """The SVG element with its accessible name and the title printed at the top."""
    return [f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' role='img' "
            f"aria-label='{escape(title)}'>",
            f"<title>{escape(title)}</title>",
            f"<text x='4' y='18' {FONT} font-size='16' font-weight='bold'>{escape(title)}</text>"]


def _short(amount) -> str:
    """1234567 → 123.5万, as a board writes large sums."""
    value = _num(amount)
    if abs(value) >= 10_000:
        return f"{value / 10_000:.1f}万"
    return f"{value:.0f}"


# Charts are drawn 360 units wide, the width of the phones they are read on;
# the page shows them about 328 px wide there, so text is at least 14 units
# (12.7 px) and never shrinks below 12 px.
WIDTH = 360


def grouped_bars(title: str, labels: list[str], series: list[tuple[str, str, list[Decimal]]],
                 width: int = WIDTH, height: int = 240) -> str:
    """Vertical bars, one group per label; series = [(name, colour, values)]."""
    left, right, top, bottom = 44, 6, 50, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([_num(v) for _, _, values in series for v in values] + [1.0])
    group_w = plot_w / max(len(labels), 1)
    bar_w = max(group_w * 0.8 / max(len(series), 1), 1.0)
    parts = _open(title, width, height)
    for k, (name, colour, _) in enumerate(series):
        x = 4 + k * 80
        parts.append(f"<rect x='{x}' y='27' width='12' height='12' fill='{colour}'/>"
                     f"<text x='{x + 16}' y='38' {FONT} font-size='14'>{escape(name)}</text>")
    for frac in (0, 0.5, 1):
        y = top + plot_h * (1 - frac)
        parts.append(f"<line x1='{left}' y1='{y:.1f}' x2='{width - right}' y2='{y:.1f}' stroke='#ccc'/>"
                     f"<text x='{left - 4}' y='{y + 4:.1f}' {FONT} font-size='14' text-anchor='end'>"
                     f"{_short(peak * frac)}</text>")
    step = max(1, -(-len(labels) // 6))   # at most six labels fit under the bars
    for i, label in enumerate(labels):
        gx = left + i * group_w + group_w * 0.1
        for k, (_, colour, values) in enumerate(series):
            h = plot_h * max(_num(values[i]), 0.0) / peak
            parts.append(f"<rect x='{gx + k * bar_w:.1f}' y='{top + plot_h - h:.1f}' width='{bar_w:.1f}' "
                         f"height='{h:.1f}' fill='{colour}'/>")
        if i % step == 0:
            parts.append(f"<text x='{left + (i + 0.5) * group_w:.1f}' y='{height - bottom + 17}' {FONT} "
                         f"font-size='14' text-anchor='middle'>{escape(label)}</text>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def horizontal_bars(title: str, items: list[tuple[str, Decimal]], width: int = WIDTH,
                    value_format=_short) -> str:
    """One bar per item, longest first as given; labels on the left."""
    row_h, left, top = 30, 72, 30
    height = top + row_h * max(len(items), 1) + 10
    peak = max([_num(v) for _, v in items] + [1.0])
    plot_w = width - left - 64
    parts = _open(title, width, height)
    for i, (label, value) in enumerate(items):
        y = top + i * row_h
        w = plot_w * max(_num(value), 0.0) / peak
        colour = colour_of(label, i)
        parts.append(f"<text x='{left - 6}' y='{y + 19}' {FONT} font-size='14' text-anchor='end'>"
                     f"{escape(label)}</text>"
                     f"<rect x='{left}' y='{y + 5}' width='{w:.1f}' height='20' fill='{colour}'/>"
                     f"<text x='{left + w + 4:.1f}' y='{y + 19}' {FONT} font-size='14'>"
                     f"{escape(value_format(value))}</text>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def stacked_votes(title: str, rows: list[tuple[str, int, int, int]], width: int = WIDTH) -> str:
    """Evaluation votes per cadre: 满意 / 基本满意 / 不满意 as one stacked bar each."""
    row_h, left, top = 30, 64, 44
    height = top + row_h * max(len(rows), 1) + 10
    colours = tuple((name, COLORS[name]) for name in ("满意", "基本满意", "不满意"))
    plot_w = width - left - 8
    parts = _open(title, width, height)
    for k, (name, colour) in enumerate(colours):
        x = 4 + k * 90
        parts.append(f"<rect x='{x}' y='26' width='12' height='12' fill='{colour}'/>"
                     f"<text x='{x + 16}' y='37' {FONT} font-size='14'>{name}</text>")
    for i, (label, *counts) in enumerate(rows):
        y = top + i * row_h + 4
        total = max(sum(counts), 1)
        parts.append(f"<text x='{left - 6}' y='{y + 17}' {FONT} font-size='14' text-anchor='end'>"
                     f"{escape(label)}</text>")
        bar_x = float(left)
        for count, (_, colour) in zip(counts, colours, strict=True):
            w = plot_w * count / total
            parts.append(f"<rect x='{bar_x:.1f}' y='{y + 3}' width='{w:.1f}' height='20' fill='{colour}'/>")
            bar_x += w
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
