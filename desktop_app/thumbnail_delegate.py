"""The results grid's tiles: how one photo's cell is painted.

``desktop_app.results_view`` lays the cells out and scrolls them; for each visible cell it
hands this delegate a rectangle and a model index, and the delegate draws the thumbnail centred
in it (a quiet placeholder until the thumbnail arrives, a crossed frame for a photo that cannot
be shown), the hover and selection backgrounds, and the focus frame. Kept apart from the view
so that what a tile looks like can change without touching layout, scrolling or selection.

Ranked answers draw a thin relevance bar at the bottom of each tile; a weaker match's bar is
grey instead of the highlight colour. A photo lifted because the text read in it holds the
words typed (``SearchHit.text_match``) carries a small "Aa" mark on its picture. A video
carries a play mark, and when a search matched one of its frames (the frame shown), that
moment's time in the corner ("1:05").
"""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPixmap, QPolygonF
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from core.records import moment_text
from desktop_app.i18n import translate
from desktop_app.results_model import FailedRole, ResultsModel

PADDING = 6  # around the thumbnail, inside its tile
BAR_HEIGHT = 3  # the relevance bar, in the tile's bottom padding
TEXT_MARK = "Aa"  # on a photo whose text matches: a glyph, the same in every language
MARK_MIN_SIDE = 48  # tiles smaller than this have no room for the mark
_Index = QModelIndex | QPersistentModelIndex


class ThumbnailDelegate(QStyledItemDelegate):
    """Paints a thumbnail centred in its cell, a placeholder until it arrives, and on ranked
    answers a relevance bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = 160

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(self.side + 2 * PADDING, self.side + 2 * PADDING)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        palette = option.palette
        rect: QRect = option.rect
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        cell = rect.adjusted(2, 2, -2, -2)
        if selected:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRoundedRect(cell, 6, 6)
        elif state & QStyle.StateFlag.State_MouseOver:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.Midlight))
            painter.drawRoundedRect(cell, 6, 6)
        area = rect.adjusted(PADDING, PADDING, -PADDING, -PADDING)
        # Ask our Python model directly: no QVariant round trip per cell and paint (see
        # ResultsModel.data on PySide6 and None).
        model = index.model()
        pixmap = model.data(index, Qt.ItemDataRole.DecorationRole)
        picture = area
        if isinstance(pixmap, QPixmap) and not pixmap.isNull():
            picture = self._draw_fitted(painter, area, pixmap)
        else:
            failed = bool(model.data(index, FailedRole))
            name = str(model.data(index, Qt.ItemDataRole.DisplayRole)) if failed else ""
            self._draw_placeholder(painter, area, palette, name)
        results = model if isinstance(model, ResultsModel) else None
        bar = results.relevance(index.row()) if results is not None else None
        if bar is not None:
            self.draw_bar(painter, area, palette, bar[0], bar[1], selected)
        marked = results is not None and results.text_match(index.row())
        if marked and area.width() >= MARK_MIN_SIDE:
            self.draw_text_mark(painter, picture)
        is_video, moment = results.video(index.row()) if results is not None else (False, None)
        if is_video and area.width() >= MARK_MIN_SIDE:
            self.draw_video_marks(painter, picture, moment)
        if state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(palette.color(QPalette.ColorRole.Highlight))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(cell.adjusted(1, 1, -1, -1), 6, 6)
        painter.restore()

    @staticmethod
    def draw_bar(
        painter: QPainter, area: QRect, palette: QPalette, relevance: float, match: bool,
        selected: bool,
    ) -> None:
        """A thin bar under the thumbnail, as long as the photo is relevant: the highlight
        colour for a real match, grey for a weaker one. Palette colours: right in dark mode."""
        inset = area.width() // 10
        track = QRectF(area.left() + inset, area.bottom() + 2, area.width() - 2 * inset,
                       BAR_HEIGHT)
        text = palette.color(QPalette.ColorRole.Text)
        faint = QColor(text)
        faint.setAlphaF(0.12)
        if selected:
            fill = palette.color(QPalette.ColorRole.HighlightedText)
        elif match:
            fill = palette.color(QPalette.ColorRole.Highlight)
        else:
            fill = QColor(text)
            fill.setAlphaF(0.38)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(faint)
        painter.drawRoundedRect(track, 1.5, 1.5)
        length = max(BAR_HEIGHT, track.width() * min(1.0, max(0.0, relevance)))
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF(track.left(), track.top(), length, BAR_HEIGHT), 1.5, 1.5)

    @staticmethod
    def draw_text_mark(painter: QPainter, picture: QRect) -> None:
        """"Aa" in a small dark pill on the picture's bottom-left corner: the photo's text
        matches the words typed. Light on dark over any photo, in either theme."""
        font = QFont(painter.font())
        font.setBold(True)
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
        painter.setFont(font)
        metrics = painter.fontMetrics()
        width, height = metrics.horizontalAdvance(TEXT_MARK) + 8, metrics.height() + 2
        pill = QRectF(picture.left() + 4, picture.bottom() - 4 - height, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 160))
        painter.drawRoundedRect(pill, 4, 4)
        painter.setPen(QColor(255, 255, 255))
        # drawText(x, y, text): see _draw_placeholder on the (rect, flags, text) overload.
        painter.drawText(int(pill.left()) + 4, int(pill.top()) + 1 + metrics.ascent(), TEXT_MARK)

    @staticmethod
    def draw_video_marks(painter: QPainter, picture: QRect, moment: float | None) -> None:
        """A play triangle in a dark pill on the picture's top-left corner (a video), and the
        moment shown ("1:05") on its bottom-right when a frame matched. Light on dark."""
        font = QFont(painter.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        painter.setFont(font)
        metrics = painter.fontMetrics()
        height = metrics.height() + 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 160))
        pill = QRectF(picture.left() + 4, picture.top() + 4, height + 4, height)
        painter.drawRoundedRect(pill, 4, 4)
        painter.setBrush(QColor(255, 255, 255))
        side = height * 0.5
        left, top = pill.left() + (pill.width() - side) / 2 + 1, pill.top() + (height - side) / 2
        painter.drawPolygon(QPolygonF([
            QPointF(left, top), QPointF(left, top + side), QPointF(left + side * 0.87,
                                                                   top + side / 2),
        ]))
        if moment is None:
            return
        text = moment_text(moment)
        width = metrics.horizontalAdvance(text) + 8
        badge = QRectF(picture.right() - 4 - width, picture.bottom() - 4 - height, width, height)
        painter.setBrush(QColor(0, 0, 0, 160))
        painter.drawRoundedRect(badge, 4, 4)
        painter.setPen(QColor(255, 255, 255))
        # drawText(x, y, text): see _draw_placeholder on the (rect, flags, text) overload.
        painter.drawText(int(badge.left()) + 4, int(badge.top()) + 1 + metrics.ascent(), text)

    @staticmethod
    def _draw_fitted(painter: QPainter, area: QRect, pixmap: QPixmap) -> QRect:
        """The pixmap fitted and centred in ``area``; returns where it was drawn."""
        dpr = pixmap.devicePixelRatio() or 1.0
        w, h = pixmap.width() / dpr, pixmap.height() / dpr
        scale = min(area.width() / w, area.height() / h) if w and h else 1.0
        tw, th = round(w * scale), round(h * scale)
        target = QRect(
            area.x() + (area.width() - tw) // 2, area.y() + (area.height() - th) // 2, tw, th
        )
        painter.drawPixmap(target, pixmap)
        return target

    @staticmethod
    def _draw_placeholder(
        painter: QPainter, area: QRect, palette: QPalette, failed_name: str
    ) -> None:
        """A quiet box while the thumbnail loads; for a photo that cannot be shown, a crossed
        frame with the file's name and a word why (the tooltip has the reason in full)."""
        inner = area.adjusted(area.width() // 8, area.height() // 5, -area.width() // 8,
                              -area.height() // 5)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.AlternateBase))
        painter.drawRoundedRect(inner, 4, 4)
        if not failed_name:
            return
        pen = palette.color(QPalette.ColorRole.PlaceholderText)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(inner, 4, 4)
        painter.drawLine(inner.topLeft(), inner.bottomRight())
        painter.drawLine(inner.topRight(), inner.bottomLeft())
        # drawText(x, y, text): the (rect, flags, text) overload leaks a reference to None per
        # call in PySide6 6.12 on Python 3.11, which aborts a long session.
        metrics = painter.fontMetrics()
        why = translate("ThumbnailDelegate", "Cannot be shown")
        for text, y in (
            (why, inner.bottom() + metrics.ascent() + 2),
            (failed_name, inner.bottom() + metrics.ascent() + metrics.height() + 2),
        ):
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, area.width())
            x = area.center().x() - metrics.horizontalAdvance(shown) // 2
            painter.drawText(x, min(y, area.bottom()), shown)
