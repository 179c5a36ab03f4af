"""Inline SVG charts written by hand: bars, lines and a day x hour heatmap.

Output is deterministic (fixed palette, fixed number formatting) and every label is an
SVG ``<text>`` element, XML-escaped, so Chinese renders with the browser's own fonts and
no user string can inject markup. Pixel geometry is the only arithmetic here.
"""

from __future__ import annotations

import math
from html import escape

FONT = (
    "system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', "
    "'Microsoft YaHei', 'PingFang SC', sans-serif"
)
PALETTE = ("#2E7D32", "#1565C0", "#EF6C00", "#6A1B9A", "#00838F", "#AD1457", "#9E9D24", "#4E342E")
# The viewBox is 480 units wide and text is 14 units: on a 400 px phone a chart is about
# 350 px wide, so text stays above 10 px; wider screens show two charts a row.
WIDTH, HEIGHT = 480, 330
LEFT, RIGHT, TOP, BOTTOM = 58, 34, 58, 78
FONT_SIZE = 14
LEGEND_ROW = 20


def _e(text) -> str:
    return escape(str(text), quote=True)


def _n(x: float) -> str:
    """Coordinates with one decimal: stable text for equal inputs."""
    return f"{x:.1f}"


def nice_max(value: float) -> tuple[float, float]:
    """A round axis maximum at or above ``value`` and its tick step (1, 2 or 5 x 10^k)."""
    if not value or not math.isfinite(value) or value <= 0:
        return 1.0, 0.25
    exp = 10 ** math.floor(math.log10(value / 4))
    step = next(m * exp for m in (1, 2, 5, 10) if value / (m * exp) <= 5)
    return step * math.ceil(value / step), step


def tick_label(value: float) -> str:
    if abs(value) >= 1e6:
        return f"{value / 1e6:g}M"
    if abs(value) >= 1e3:
        return f"{value / 1e3:g}k"
    return f"{value:g}"


def text_width(text) -> float:
    """Estimated width of ``text`` at :data:`FONT_SIZE` (CJK characters are square,
    Latin ones about 0.6 em)."""
    return sum(FONT_SIZE if ord(ch) > 0x2E80 else FONT_SIZE * 0.6 for ch in str(text))


def label_step(labels: list[str], slot: float) -> int:
    """Show every n-th of ``labels`` spaced ``slot`` apart so that none overlap."""
    widest = max((text_width(t) for t in labels), default=0.0) + 8
    return max(1, math.ceil(widest / max(slot, 1e-9)))


def _frame(title: str, unit: str, height: int = HEIGHT, width: int = WIDTH) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{_e(title)}" font-family="{_e(FONT)}" '
        f'font-size="{FONT_SIZE}" preserveAspectRatio="xMidYMid meet">',
        f"<title>{_e(title)}</title>",
        f'<text x="8" y="18" font-size="15" font-weight="600">{_e(title)}</text>',
        f'<text x="8" y="38" fill="#555">{_e(unit)}</text>',
    ]


def _x_labels(labels: list[str], x_of, slot: float, y: float) -> list[str]:
    out = []
    step = label_step(labels, slot)
    for i, text in enumerate(labels):
        if i % step == 0:
            out.append(
                f'<text x="{_n(x_of(i))}" y="{_n(y)}" text-anchor="middle" fill="#333">'
                f"{_e(text)}</text>"
            )
    return out


def _y_axis(top: float, bottom: float, step: float, scale, width: int = WIDTH) -> list[str]:
    out = []
    k = 0
    while k * step <= top + 1e-9:
        v = k * step
        y = scale(v)
        out.append(
            f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{_n(y)}" y2="{_n(y)}" stroke="#e0e0e0"/>'
        )
        out.append(
            f'<text x="{LEFT - 6}" y="{_n(y + 4)}" text-anchor="end" fill="#555">'
            f"{_e(tick_label(v))}</text>"
        )
        k += 1
    return out


def _legend(names: list[str], colors: list[str], y: float, width: int = WIDTH) -> list[str]:
    """Legend entries left to right, wrapping to a new row instead of overlapping."""
    out, x = [], 8.0
    for name, color in zip(names, colors, strict=True):
        w = 18 + text_width(name) + 14
        if x + w > width - 4 and x > 8:
            x, y = 8.0, y + LEGEND_ROW
        out.append(f'<rect x="{_n(x)}" y="{_n(y - 11)}" width="12" height="12" fill="{color}"/>')
        out.append(f'<text x="{_n(x + 17)}" y="{_n(y)}">{_e(name)}</text>')
        x += w
    return out


def bar_chart(
    title: str,
    unit: str,
    categories: list[str],
    series: list[tuple[str, list]],
    stacked: bool = True,
    overlay: tuple[str, list] | None = None,
) -> str:
    """Vertical bars per category, stacked or side by side; NaN/None bars are omitted.

    Parameters
    ----------
    series : list of (name, values)
        One value per category, in ``unit``.
    overlay : (name, values), optional
        A share per category [%] drawn as a line on a right-hand 0-100 % axis.
    """
    clean = [[v if v is not None and math.isfinite(v) else 0.0 for v in vals] for _, vals in series]
    totals = (
        [sum(max(v, 0.0) for v in col) for col in zip(*clean, strict=True)]
        if stacked
        else [max(col) for col in zip(*clean, strict=True)]
    )
    top, step = nice_max(max(totals, default=0.0))
    plot_h = HEIGHT - TOP - BOTTOM
    plot_w = WIDTH - LEFT - RIGHT

    def scale(v):
        return TOP + plot_h * (1 - v / top)

    out = _frame(title, unit) + _y_axis(top, 0, step, scale)
    slot = plot_w / max(len(categories), 1)
    bar_w = slot * 0.7 / (1 if stacked else max(len(series), 1))
    colors = [PALETTE[i % len(PALETTE)] for i in range(len(series))]
    for i, category in enumerate(categories):
        x0 = LEFT + slot * i + slot * 0.15
        base = 0.0
        for s, vals in enumerate(clean):
            v = max(vals[i], 0.0)
            if v <= 0:
                continue
            x = x0 if stacked else x0 + bar_w * s
            y_top = scale(base + v) if stacked else scale(v)
            y_bottom = scale(base) if stacked else scale(0)
            out.append(
                f'<rect x="{_n(x)}" y="{_n(y_top)}" width="{_n(bar_w)}" '
                f'height="{_n(y_bottom - y_top)}" fill="{colors[s]}">'
                f"<title>{_e(series[s][0])} {_e(category)}: {v:,.1f} {_e(unit)}"
                "</title></rect>"
            )
            base += v if stacked else 0.0
    out += _x_labels(categories, lambda i: LEFT + slot * (i + 0.5), slot, HEIGHT - BOTTOM + 24)
    names = [s[0] for s in series]
    if overlay is not None:
        out += _overlay(overlay, len(categories), slot, colors := colors + [PALETTE[-1]])
        names.append(overlay[0])
    out += _legend(names, colors, HEIGHT - BOTTOM + 50)
    return "\n".join(out + ["</svg>"])


def _overlay(overlay: tuple, n: int, slot: float, colors: list[str]) -> list[str]:
    """A share (0-100 %) drawn as a line over bars, on a right-hand axis."""
    name, values = overlay
    plot_h = HEIGHT - TOP - BOTTOM

    def y_of(v):
        return TOP + plot_h * (1 - min(max(v, 0.0), 100.0) / 100.0)

    out = [  # the right-hand axis: 0 and 100 %
        f'<text x="{WIDTH - 2}" y="{_n(y_of(100) + 5)}" text-anchor="end" fill="#555">100%</text>',
        f'<text x="{WIDTH - 2}" y="{_n(y_of(0) + 5)}" text-anchor="end" fill="#555">0%</text>',
    ]
    path, pen = [], "M"
    for i, v in enumerate(values[:n]):
        if v is None or not math.isfinite(v):
            pen = "M"
            continue
        x = LEFT + slot * (i + 0.5)
        path.append(f"{pen}{_n(x)} {_n(y_of(v))}")
        pen = "L"
        out.append(
            f'<circle cx="{_n(x)}" cy="{_n(y_of(v))}" r="3" fill="{colors[-1]}">'
            f"<title>{_e(name)}: {v:.1f} %</title></circle>"
        )
    if path:
        out.append(
            f'<path d="{" ".join(path)}" fill="none" stroke="{colors[-1]}" stroke-width="2"/>'
        )
    return out


def line_chart(
    title: str, unit: str, labels: list[str], series: list[tuple[str, list, bool]]
) -> str:
    """Lines over ``labels``; each series is ``(name, values, dashed)``; gaps where a value
    is NaN."""
    finite = [v for _, vals, _ in series for v in vals if v is not None and math.isfinite(v)]
    top, step = nice_max(max(finite, default=0.0))
    plot_h = HEIGHT - TOP - BOTTOM
    plot_w = WIDTH - LEFT - RIGHT

    def scale(v):
        return TOP + plot_h * (1 - v / top)

    def x_of(i):
        return LEFT + plot_w * (i + 0.5) / max(len(labels), 1)

    out = _frame(title, unit) + _y_axis(top, 0, step, scale)
    colors = [PALETTE[i % len(PALETTE)] for i in range(len(series))]
    for (name, vals, dashed), color in zip(series, colors, strict=True):
        path, pen = [], "M"
        for i, v in enumerate(vals):
            if v is None or not math.isfinite(v):
                pen = "M"
                continue
            path.append(f"{pen}{_n(x_of(i))} {_n(scale(v))}")
            pen = "L"
            out.append(
                f'<circle cx="{_n(x_of(i))}" cy="{_n(scale(v))}" r="2.5" '
                f'fill="{color}"><title>{_e(name)} {_e(labels[i])}: {v:,.3f}</title>'
                "</circle>"
            )
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        if path:
            out.append(
                f'<path d="{" ".join(path)}" fill="none" stroke="{color}" stroke-width="2"{dash}/>'
            )
    out += _x_labels(labels, x_of, plot_w / max(len(labels), 1), HEIGHT - BOTTOM + 24)
    out += _legend([s[0] for s in series], colors, HEIGHT - BOTTOM + 50)
    return "\n".join(out + ["</svg>"])


def heatmap(title: str, unit: str, rows: list[str], values: list[list]) -> str:
    """Rows (days) x 24 columns (local clock hours), darker = more; NaN cells are grey.

    Parameters
    ----------
    values : list of list
        ``values[row][hour]`` in ``unit``.
    """
    finite = [v for r in values for v in r if v is not None and math.isfinite(v)]
    high = max(finite, default=0.0) or 1.0
    cell_w = (WIDTH - LEFT - RIGHT) / 24
    cell_h = max(1.0, min(12.0, 372.0 / max(len(rows), 1)))
    height = int(TOP + cell_h * len(rows) + 44)
    out = _frame(title, unit, height)
    for h in range(0, 24, 3):
        out.append(
            f'<text x="{_n(LEFT + cell_w * (h + 0.5))}" y="{TOP - 4}" '
            f'text-anchor="middle" fill="#555">{h:02d}</text>'
        )
    label_every = max(1, math.ceil((FONT_SIZE + 2) / cell_h))
    for r, (name, vals) in enumerate(zip(rows, values, strict=True)):
        y = TOP + cell_h * r
        if r % label_every == 0:
            out.append(
                f'<text x="{LEFT - 6}" y="{_n(y + min(cell_h, FONT_SIZE) - 1)}" '
                f'text-anchor="end" fill="#555">{_e(name)}</text>'
            )
        for h, v in enumerate(vals):
            out.append(
                f'<rect x="{_n(LEFT + cell_w * h)}" y="{_n(y)}" width="{_n(cell_w)}" '
                f'height="{_n(cell_h)}" fill="{_shade(v, high)}"/>'
            )
    y = TOP + cell_h * len(rows) + 30
    out.append(f'<text x="{LEFT}" y="{_n(y)}" fill="#555">0</text>')
    for k in range(10):
        out.append(
            f'<rect x="{_n(LEFT + 16 + 16 * k)}" y="{_n(y - 11)}" width="16" '
            f'height="12" fill="{_shade(high * (k + 1) / 10, high)}"/>'
        )
    out.append(
        f'<text x="{_n(LEFT + 184)}" y="{_n(y)}" fill="#555">'
        f"{_e(tick_label(round(high, 1)))} {_e(unit)}</text>"
    )
    return "\n".join(out + ["</svg>"])


def _shade(value, high: float) -> str:
    if value is None or not math.isfinite(value):
        return "#bdbdbd"
    t = min(max(value / high, 0.0), 1.0)
    low_rgb, high_rgb = (232, 245, 233), (27, 94, 32)
    rgb = [round(a + (b - a) * t) for a, b in zip(low_rgb, high_rgb, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*rgb)
