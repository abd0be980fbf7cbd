"""The timeline's headers: their fonts and heights, how they are painted, what lies where.

A timeline (the model is ``grouped``) is the results grid cut into days: each month opens under
a header that spans the width ("March 2023", with its number of photos on the right), and each
day's tiles sit under a lighter label ("Sunday 14"). ``desktop_app.results_view`` draws them
between its rows rather than as items of the model, so nothing that selects, drags, counts or
opens photos can meet one; this module is the part of that which concerns the headers alone,
so that the view keeps to item geometry, scrolling and input. Where each line and header lies
is ``desktop_app.timeline.Layout``: plain arithmetic, Qt-free; the header heights it needs come
from the fonts here.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette

from desktop_app.i18n import number, translate
from desktop_app.timeline import Layout, Metrics


class HeaderFonts(NamedTuple):
    month: QFont
    day: QFont
    photos: QFont  # a month's number of photos, at the right end of its header


def header_fonts(base: QFont) -> HeaderFonts:
    """The headers' fonts, derived from the view's own: a larger month, a smaller day."""
    month = QFont(base)
    month.setPointSizeF(base.pointSizeF() * 1.3)
    month.setWeight(QFont.Weight.DemiBold)
    day = QFont(base)
    day.setPointSizeF(base.pointSizeF() * 0.92)
    count = QFont(day)
    return HeaderFonts(month, day, count)


def grid_metrics(fonts: HeaderFonts, columns: int, cell_width: int, cell_height: int) -> Metrics:
    """The grid's measures for ``desktop_app.timeline.Layout``, headers' heights included."""
    return Metrics(
        columns=columns, cell_width=cell_width, cell_height=max(1, cell_height),
        month_height=QFontMetrics(fonts.month).height() + 18,
        day_height=QFontMetrics(fonts.day).height() + 6,
    )


def paint_headers(
    painter: QPainter, palette: QPalette, fonts: HeaderFonts, lay: Layout, line: int,
    offset: int, cell: int, inset: int,
) -> None:
    """The month header above a line that opens a month; the labels of the days that begin
    on the line, each above its first tile. ``offset``: the view's vertical scroll; ``cell``:
    a cell's width; ``inset``: where text starts in a cell."""
    month_font, day_font, count_font = fonts
    text = palette.color(QPalette.ColorRole.Text)
    # drawText(x, y, text) only: see ThumbnailDelegate._draw_placeholder.
    if lay.opens_month[line]:
        section = lay.sections[lay.section_of_row(lay.line_row[line])]
        metrics = QFontMetrics(month_font)
        baseline = lay.band_top[line] - offset + 14 + metrics.ascent()
        painter.setFont(month_font)
        painter.setPen(text)
        painter.drawText(inset, baseline, section.month or "")
        photos = section.month_photos
        count = (translate("TimelineHeaders", "1 photo") if photos == 1
                 else translate("TimelineHeaders", "{0} photos").format(number(photos)))
        right = lay.metrics.columns * cell - inset
        painter.setFont(count_font)
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(right - QFontMetrics(count_font).horizontalAdvance(count),
                         baseline, count)
    days = lay.days_on(line)
    if not days:
        return
    metrics = QFontMetrics(day_font)
    baseline = lay.tiles[line] - offset - lay.metrics.day_height + 4 + metrics.ascent()
    painter.setFont(day_font)
    quiet = QColor(text)
    quiet.setAlphaF(0.62)
    painter.setPen(quiet)
    for first, stop, label in days:
        room = (stop - first) * cell - 2 * inset + 4
        shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, max(room, 0))
        painter.drawText(first * cell + inset, baseline, shown)


def header_at(lay: Layout, column: int, y: int) -> str | None:
    """The header at ``column`` and ``y`` (content pixels): "March 2023", "Sunday 14"; None over
    a tile, a gap, or an ungrouped grid."""
    if not lay.line_row or not 0 <= y < lay.height:
        return None
    line = lay.line_at(y)
    if y >= lay.tiles[line]:
        return None
    if lay.opens_month[line] and y < lay.band_top[line] + lay.metrics.month_height:
        return lay.sections[lay.section_of_row(lay.line_row[line])].month
    for first, stop, label in lay.days_on(line):
        if first <= column < stop:
            return label
    return None


def month_at_top(lay: Layout, top: int) -> str:
    """The month of the line at ``top`` (content pixels), once its header has scrolled out of
    sight; "" while it is in sight, at the very top, or on an ungrouped grid."""
    if lay.line_row and top > 0:
        line = lay.line_at(top)
        if not (lay.opens_month[line] and lay.band_top[line] == top):
            return lay.sections[lay.section_of_row(lay.line_row[line])].month or ""
    return ""
