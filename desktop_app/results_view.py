"""The results grid: a QListView in icon mode with a delegate, not a widget per photo.

Cells have one uniform size, so the view lays out tens of thousands of rows without asking the
model about each; only visible rows are painted, and only they ask for thumbnails. Pixmaps are
requested at ``size × devicePixelRatio`` and drawn into logical rectangles, so they stay sharp on
HiDPI screens, and requested again when the window moves to a screen with another ratio.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desktop_app.results_model import FailedRole, ResultsModel

MIN_SIZE, MAX_SIZE, SIZE_STEP = 64, 512, 16
PADDING = 6
# What a widget receives when its window changes screen (the QWindow's screenChanged) or the
# screen's devicePixelRatio changes (Qt 6.6+).
_SCREEN_EVENTS = (QEvent.Type.ScreenChangeInternal, QEvent.Type.DevicePixelRatioChange)


class ThumbnailDelegate(QStyledItemDelegate):
    """Paints a thumbnail centred in its cell, a placeholder until it arrives."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = 160

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(self.side + 2 * PADDING, self.side + 2 * PADDING)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        palette = option.palette
        rect: QRect = option.rect
        state = option.state
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        cell = rect.adjusted(2, 2, -2, -2)
        if state & QStyle.StateFlag.State_Selected:
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
        if isinstance(pixmap, QPixmap) and not pixmap.isNull():
            self._draw_fitted(painter, area, pixmap)
        else:
            failed = bool(model.data(index, FailedRole))
            name = str(model.data(index, Qt.ItemDataRole.DisplayRole)) if failed else ""
            self._draw_placeholder(painter, area, palette, name)
        if state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(palette.color(QPalette.ColorRole.Highlight))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(cell.adjusted(1, 1, -1, -1), 6, 6)
        painter.restore()

    @staticmethod
    def _draw_fitted(painter: QPainter, area: QRect, pixmap: QPixmap) -> None:
        dpr = pixmap.devicePixelRatio() or 1.0
        w, h = pixmap.width() / dpr, pixmap.height() / dpr
        scale = min(area.width() / w, area.height() / h) if w and h else 1.0
        tw, th = round(w * scale), round(h * scale)
        target = QRect(
            area.x() + (area.width() - tw) // 2, area.y() + (area.height() - th) // 2, tw, th
        )
        painter.drawPixmap(target, pixmap)

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
        for text, y in (
            ("Cannot be shown", inner.bottom() + metrics.ascent() + 2),
            (failed_name, inner.bottom() + metrics.ascent() + metrics.height() + 2),
        ):
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, area.width())
            x = area.center().x() - metrics.horizontalAdvance(shown) // 2
            painter.drawText(x, min(y, area.bottom()), shown)


class ResultsView(QListView):
    """Emits ``activated_photo`` on Enter/double-click, ``preview_requested`` on Space."""

    preview_requested = Signal()
    open_requested = Signal()
    size_changed = Signal(int)

    def __init__(self, model: ResultsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._delegate = ThumbnailDelegate(self)
        self.setModel(model)
        self.setItemDelegate(self._delegate)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)  # layout without asking every row for its size
        # Lay out 1,000 rows per event-loop turn: 50,000 results never freeze the window.
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(1000)
        model.modelReset.connect(self.scrollToTop)  # a new query starts at its best match
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # The grid always fits the width (see _fit_grid): a horizontal bar would only flicker.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMouseTracking(True)
        self.setWordWrap(False)
        self.setSpacing(0)
        # Drag out only; drops (files, folders, our own results) are handled by the window,
        # which receives them because this view does not accept drops itself.
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.doubleClicked.connect(lambda _i: self.preview_requested.emit())
        self.empty_text = ""
        self.set_thumbnail_size(160)

    @property
    def thumbnail_size(self) -> int:
        return self._delegate.side

    def set_thumbnail_size(self, side: int) -> None:
        side = max(MIN_SIZE, min(MAX_SIZE, side))
        if side == self._delegate.side and self.gridSize().height() == side + 2 * PADDING:
            return
        self._delegate.side = side
        self._fit_grid()
        self._update_pixels()
        self.size_changed.emit(side)

    def _fit_grid(self) -> None:
        """Share the row's spare pixels among the cells, so the grid fills the width evenly."""
        cell = self._delegate.side + 2 * PADDING
        width = self.viewport().width()
        if not self.verticalScrollBar().isVisible():
            # Leave the scroll bar's room even while it is hidden. Otherwise a grid that fits
            # only without the bar gains a column, needs the bar, loses the column, and the
            # view resizes and repaints itself forever.
            width -= self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        columns = max(1, width // cell)
        grid = QSize(max(cell, width // columns), cell)
        if grid != self.gridSize():
            self.setGridSize(grid)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_grid()

    def _update_pixels(self) -> None:
        pixels = round(self._delegate.side * self.devicePixelRatioF())
        if pixels != self._model.thumb_pixels:
            self._model.thumb_pixels = pixels
            self._model.refresh_thumbnails()

    def showEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)  # type: ignore[arg-type]
        self._update_pixels()  # the screen (and its devicePixelRatio) is known now

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() in _SCREEN_EVENTS:
            # The window moved to another screen (or this one's scale changed): thumbnails
            # decoded for the old ratio would be blurry or wastefully large.
            self._update_pixels()
        return handled

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if self.model().rowCount() == 0 and self.empty_text:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.viewport().rect().adjusted(20, 20, -20, -20),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text,
            )

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            self.set_thumbnail_size(self._delegate.side + round(steps * SIZE_STEP))
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key == Qt.Key.Key_Space and self.currentIndex().isValid():
            self.preview_requested.emit()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit()
            return
        super().keyPressEvent(event)

    def selected_rows(self) -> list[int]:
        rows = sorted(i.row() for i in self.selectionModel().selectedIndexes())
        if not rows and self.currentIndex().isValid():
            rows = [self.currentIndex().row()]
        return rows
