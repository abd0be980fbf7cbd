"""Recall@K curves of the models evaluated, drawn with Pillow (already a dependency: no plotting
library for one chart).

One curve per model, K = 1 .. the report's ``curve_k`` on the x axis, the mean recall@K (the
share of each query's relevant photos found in its top K) on the y axis, from 0 to 1. The
legend sits above the plot, outside it, so no curve is ever hidden behind it. Colours are the
Okabe-Ito palette (told apart by colour-blind readers too), and each curve has its own marker.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from core.evaluation.report import short_name
from core.evaluation.results import EvalReport

WIDTH, HEIGHT = 800, 500
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARKERS = ("circle", "square", "triangle", "diamond")
_INK, _GRID, _AXIS = "#222222", "#DDDDDD", "#555555"
_LEFT, _RIGHT, _BOTTOM = 72, 24, 58
_LEGEND_ROW = 22

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _font(size: int) -> Font:
    # Pillow's own scalable font (built in since 10.1 where FreeType is present; a fixed bitmap
    # font otherwise): no font file to find on the person's system.
    return ImageFont.load_default(size=size)


def _ticks(last: int) -> list[int]:
    """K values to label: every K up to 10, else steps of 2, 5, 10... keeping at most 11."""
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000) if last / s <= 10)
    ticks = [1] + [k for k in range(step, last + 1, step) if k != 1]
    return ticks if ticks[-1] == last or last - ticks[-1] < step / 2 else [*ticks, last]


def _text_width(draw: ImageDraw.ImageDraw, text: str, font: Font) -> float:
    return draw.textlength(text, font=font)


def _marker(draw: ImageDraw.ImageDraw, kind: str, x: float, y: float, colour: str) -> None:
    r = 4.5
    if kind == "circle":
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    elif kind == "square":
        draw.rectangle((x - r + 0.5, y - r + 0.5, x + r - 0.5, y + r - 0.5), fill=colour)
    elif kind == "triangle":
        draw.polygon([(x, y - r - 1), (x - r - 1, y + r), (x + r + 1, y + r)], fill=colour)
    else:
        draw.polygon([(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)],
                     fill=colour)


def _legend_rows(draw: ImageDraw.ImageDraw, names: Sequence[str], font: Font) -> list[list[int]]:
    """Which entries go on which line of the legend (as many per line as fit)."""
    rows: list[list[int]] = [[]]
    used = 0.0
    for i, name in enumerate(names):
        width = 40 + _text_width(draw, name, font) + 24
        if rows[-1] and used + width > WIDTH - _LEFT - _RIGHT:
            rows.append([])
            used = 0.0
        rows[-1].append(i)
        used += width
    return rows


def draw_recall_chart(report: EvalReport) -> Image.Image:
    """An 800x500 RGB chart of each model's Recall@K curve."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    title_font, font, small = _font(18), _font(14), _font(13)
    title = f"Recall@K on {report.folder.name or report.folder} ({report.photos} photos, " \
            f"{report.queries} {'captions' if report.source == 'captions' else 'labels'})"
    draw.text((WIDTH / 2, 12), title, fill=_INK, font=title_font, anchor="mt")

    names = [short_name(m.model, 40) for m in report.models]
    rows = _legend_rows(draw, names, font)
    legend_top = 42
    for line, entries in enumerate(rows):
        x = float(_LEFT)
        y = legend_top + line * _LEGEND_ROW + _LEGEND_ROW / 2
        for i in entries:
            colour, marker = COLOURS[i % len(COLOURS)], MARKERS[i % len(MARKERS)]
            draw.line((x, y, x + 30, y), fill=colour, width=3)
            _marker(draw, marker, x + 15, y, colour)
            draw.text((x + 38, y), names[i], fill=_INK, font=font, anchor="lm")
            x += 40 + _text_width(draw, names[i], font) + 24

    top = legend_top + len(rows) * _LEGEND_ROW + 14
    left, right, bottom = _LEFT, WIDTH - _RIGHT, HEIGHT - _BOTTOM
    last = max(1, report.curve_k)

    def px(k: float) -> float:
        if last == 1:
            return (left + right) / 2  # one point: in the middle
        return left + (k - 1) / (last - 1) * (right - left)

    def py(v: float) -> float:
        return bottom - v * (bottom - top)

    for tenth in range(0, 11, 2):  # y grid and labels: 0.0, 0.2, ... 1.0
        v = tenth / 10
        draw.line((left, py(v), right, py(v)), fill=_GRID, width=1)
        draw.text((left - 8, py(v)), f"{v:.1f}", fill=_INK, font=small, anchor="rm")
    for k in _ticks(last):
        draw.line((px(k), bottom, px(k), bottom + 5), fill=_AXIS, width=1)
        draw.text((px(k), bottom + 8), str(k), fill=_INK, font=small, anchor="mt")
    draw.line((left, top, left, bottom), fill=_AXIS, width=2)
    draw.line((left, bottom, right, bottom), fill=_AXIS, width=2)
    draw.text(((left + right) / 2, HEIGHT - 10), "K (photos looked at, best first)",
              fill=_INK, font=font, anchor="mb")
    _y_label(image, "recall@K (share of relevant photos found)", font, top, bottom)

    for i, model in enumerate(report.models):
        colour, marker = COLOURS[i % len(COLOURS)], MARKERS[i % len(MARKERS)]
        curve = model.clean.recall_curve[:last]
        points = [(px(k), py(v)) for k, v in enumerate(curve, start=1)]
        if len(points) > 1:
            draw.line(points, fill=colour, width=3, joint="curve")
        if len(points) <= 25:  # markers while they stay apart
            for x, y in points:
                _marker(draw, marker, x, y, colour)
    return image


def _y_label(image: Image.Image, text: str, font: Font, top: float, bottom: float) -> None:
    """``text`` turned a quarter anticlockwise, centred beside the y axis."""
    probe = ImageDraw.Draw(image)
    width = int(probe.textlength(text, font=font)) + 4
    label = Image.new("RGB", (width, 22), "white")
    ImageDraw.Draw(label).text((2, 11), text, fill=_INK, font=font, anchor="lm")
    turned = label.rotate(90, expand=True)
    image.paste(turned, (8, int((top + bottom) / 2 - turned.height / 2)))


def save_recall_chart(report: EvalReport, path: Path) -> None:
    """Write the chart as a PNG at ``path``."""
    draw_recall_chart(report).save(path, "PNG")
