"""The results grid: an item view with a delegate, not a widget per photo.

Cells have one uniform size, so where a row lies is arithmetic: the view lays out tens of
thousands of rows without asking the model about each; only visible rows are painted, and only
they ask for thumbnails. Pixmaps are requested at ``size × devicePixelRatio`` and drawn into
logical rectangles, so they stay sharp on HiDPI screens, and requested again when the window
moves to a screen with another ratio.

A timeline (the model is ``grouped``) is the same grid cut into days: each day starts a new
line under a light day label, each month under a header that spans the width. Headers are
drawn by the view between the rows, not items of the model, so nothing that selects, drags,
counts or opens photos can meet one, and the keyboard moves from photo to photo across them.
(A QListView cannot do this: in icon mode with a grid every item, a header too, takes one
cell.) The geometry is ``desktop_app.timeline.Layout``: one entry per day, bisected.

This module is the view itself: sizing, layout, scrolling, selection, mouse and keys. What it
draws lives beside it: a tile (thumbnail, placeholder, relevance bar) in
``desktop_app.thumbnail_delegate``, the headers in ``desktop_app.timeline_headers``, and the
strip above a timeline (the month in view, "Jump to year") in ``desktop_app.timeline_bar``.
``ThumbnailDelegate`` can still be imported from here.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QRegion,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QRubberBand,
    QStyle,
    QStyleOptionRubberBand,
    QStyleOptionViewItem,
    QWidget,
)

from desktop_app import timeline_headers as headers
from desktop_app.results_model import ResultsModel
from desktop_app.thumbnail_delegate import PADDING, ThumbnailDelegate
from desktop_app.timeline import Layout, Section, years
from desktop_app.timeline_bar import TimelineBar

__all__ = ["MAX_SIZE", "MIN_SIZE", "SIZE_STEP", "ResultsView", "ThumbnailDelegate"]

MIN_SIZE, MAX_SIZE, SIZE_STEP = 64, 512, 16
# What a widget receives when its window changes screen (the QWindow's screenChanged) or the
# screen's devicePixelRatio changes (Qt 6.6+).
_SCREEN_EVENTS = (QEvent.Type.ScreenChangeInternal, QEvent.Type.DevicePixelRatioChange)
_Index = QModelIndex | QPersistentModelIndex


class ResultsView(QAbstractItemView):
    """Emits ``preview_requested`` on Space/double-click, ``open_requested`` on Enter."""

    preview_requested = Signal()
    open_requested = Signal()
    size_changed = Signal(int)
    year_jumped = Signal(str)

    def __init__(self, model: ResultsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._delegate = ThumbnailDelegate(self)
        self._grid = QSize()  # one cell: the tile plus its share of the row's spare pixels
        self._columns = 1
        self._layout: Layout | None = None  # worked out again when the model or width change
        self._fonts: headers.HeaderFonts | None = None
        self._hover = -1
        self._band_origin: QPoint | None = None  # a rubber band's start, in content pixels
        self._band = QRect()
        self._years: list[tuple[str, int]] = []
        self._bar_stale = False
        self.setModel(model)
        self.setItemDelegate(self._delegate)
        self.timeline_bar = TimelineBar(self)
        self.timeline_bar.hide()
        self.timeline_bar.menu.triggered.connect(lambda action: self.jump_to_year(action.text()))
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted,
                       model.rowsRemoved):
            signal.connect(self._model_changed)
        model.modelReset.connect(self.scrollToTop)  # a new query starts at its best match
        self.verticalScrollBar().valueChanged.connect(self._show_where)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # The grid always fits the width (see _fit_grid): a horizontal bar would only flicker.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMouseTracking(True)
        # Drag out only; drops (files, folders, our own results) are handled by the window,
        # which receives them because this view does not accept drops itself.
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.doubleClicked.connect(lambda _i: self.preview_requested.emit())
        self.empty_text = ""
        self.set_thumbnail_size(160)

    # -- size ---------------------------------------------------------------------------------

    @property
    def thumbnail_size(self) -> int:
        return self._delegate.side

    def set_thumbnail_size(self, side: int) -> None:
        side = max(MIN_SIZE, min(MAX_SIZE, side))
        if side == self._delegate.side and self._grid.height() == side + 2 * PADDING:
            return
        self._delegate.side = side
        self._fit_grid()
        self._update_pixels()
        self.size_changed.emit(side)

    def grid_size(self) -> QSize:
        return QSize(self._grid)

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
        if grid != self._grid or columns != self._columns:
            self._grid, self._columns = grid, columns
            self._relayout()
            self._place_bar()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_grid()
        self._place_bar()

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
        if event.type() == QEvent.Type.FontChange:
            self._fonts = None
            self._relayout()
        return handled

    # -- the layout ---------------------------------------------------------------------------

    def _model_changed(self, *_args: object) -> None:
        # Laid out on the next turn of the event loop, as QListView does: a refinement that
        # inserts rows and then reorders them is laid out once, in its final order. Until
        # then _lay() answers from the model as it is.
        self._hover = -1
        self._bar_stale = True
        self._layout = None
        self.scheduleDelayedItemsLayout()

    def _relayout(self) -> None:
        self._layout = None
        self.updateGeometries()
        self.viewport().update()

    def _lay(self) -> Layout:
        if self._layout is None:
            cell = self._grid if self._grid.isValid() else QSize(1, 1)
            metrics = headers.grid_metrics(self._header_fonts(), self._columns, cell.width(),
                                           cell.height())
            self._layout = Layout(self._model.sections(), metrics)
        return self._layout

    def _header_fonts(self) -> headers.HeaderFonts:
        if self._fonts is None:
            self._fonts = headers.header_fonts(self.font())
        return self._fonts

    def _tile_left(self) -> int:
        """The gap left of a tile in its cell: tiles are centred in their cells."""
        return max(0, (self._grid.width() - self._tile_side()) // 2)

    def _tile_side(self) -> int:
        return self._delegate.side + 2 * PADDING

    def updateGeometries(self) -> None:  # noqa: N802 - Qt override
        if self._bar_stale:
            self._bar_stale = False
            self._sync_bar()  # its height changes the viewport's: before the scroll range
        lay = self._lay()
        height = self.viewport().height()
        bar = self.verticalScrollBar()
        bar.setPageStep(max(1, height))
        bar.setSingleStep(max(1, self._grid.height() // 3))  # a line for a wheel's notch
        bar.setRange(0, max(0, lay.height - height))
        self.horizontalScrollBar().setRange(0, 0)
        super().updateGeometries()

    # -- QAbstractItemView's geometry ----------------------------------------------------------

    def horizontalOffset(self) -> int:  # noqa: N802 - Qt override
        return 0

    def verticalOffset(self) -> int:  # noqa: N802 - Qt override
        return self.verticalScrollBar().value()

    def isIndexHidden(self, index: _Index) -> bool:  # noqa: N802 - Qt override
        return False

    def _content_rect(self, row: int) -> QRect:
        column, y = self._lay().cell(row)
        side = self._tile_side()
        return QRect(column * self._grid.width() + self._tile_left(), y, side, side)

    def visualRect(self, index: _Index) -> QRect:  # noqa: N802 - Qt override
        if not index.isValid() or index.row() >= self._lay().rows:
            return QRect()
        return self._content_rect(index.row()).translated(0, -self.verticalOffset())

    def indexAt(self, point: QPoint) -> QModelIndex:  # noqa: N802 - Qt override
        lay = self._lay()
        if not self._grid.width():
            return QModelIndex()
        y = point.y() + self.verticalOffset()
        row = lay.row_at(point.x() // self._grid.width(), y)
        if row is None or not self._content_rect(row).contains(point.x(), y):
            return QModelIndex()  # a header, or the gap between tiles
        return self._model.index(row, 0)

    def scrollTo(  # noqa: N802 - Qt override
        self, index: _Index,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        self._settle()  # the scroll range must be the new one
        if not index.isValid() or index.row() >= self._lay().rows:
            return
        lay = self._lay()
        rect = self._content_rect(index.row())
        height = self.viewport().height()
        bar = self.verticalScrollBar()
        top = lay.band_top[lay.line_of_row(index.row())]  # with the headers above its line
        Hint = QAbstractItemView.ScrollHint
        if hint == Hint.PositionAtTop:
            value = top
        elif hint == Hint.PositionAtBottom:
            value = rect.bottom() + 1 - height
        elif hint == Hint.PositionAtCenter:
            value = rect.center().y() - height // 2
        elif top < bar.value():
            value = top
        elif rect.bottom() + 1 > bar.value() + height:
            value = min(top, rect.bottom() + 1 - height)
        else:
            return
        bar.setValue(value)

    def moveCursor(  # noqa: N802 - Qt override
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        rows = self._model.rowCount()
        if rows == 0:
            return QModelIndex()
        current = self.currentIndex()
        if not current.isValid():
            return self._model.index(0, 0)
        lay, row = self._lay(), current.row()
        Move = QAbstractItemView.CursorAction
        if action in (Move.MoveLeft, Move.MovePrevious):
            row = max(0, row - 1)
        elif action in (Move.MoveRight, Move.MoveNext):
            row = min(rows - 1, row + 1)
        elif action == Move.MoveUp:
            row = lay.row_above(row)
        elif action == Move.MoveDown:
            row = lay.row_below(row)
        elif action == Move.MoveHome:
            row = 0
        elif action == Move.MoveEnd:
            row = rows - 1
        elif action in (Move.MovePageUp, Move.MovePageDown):
            column, y = lay.cell(row)
            step = self.viewport().height() * (-1 if action == Move.MovePageUp else 1)
            row = lay.row_near(column, y + step)
        return self._model.index(row, 0)

    def setSelection(  # noqa: N802 - Qt override
        self, rect: QRect, command: QItemSelectionModel.SelectionFlag
    ) -> None:
        """Select the tiles that ``rect`` (viewport pixels) touches, as QListView does."""
        area = rect.normalized().translated(0, self.verticalOffset())
        lay, cell = self._lay(), self._grid.width()
        selection = QItemSelection()
        if cell and lay.rows:
            left, side = self._tile_left(), self._tile_side()
            columns = lay.metrics.columns
            first_col = max(0, (area.left() - left - side + 1 + cell - 1) // cell)
            last_col = min(columns - 1, (area.right() - left) // cell)
            for line in lay.visible(area.top(), area.bottom()):
                if not area.top() <= lay.tiles[line] + side - 1 or lay.tiles[line] > area.bottom():
                    continue  # the rect crosses its headers only
                low = lay.line_row[line] + first_col
                high = min(lay.line_end[line] - 1, lay.line_row[line] + last_col)
                if low <= high:
                    selection.select(self._model.index(low, 0), self._model.index(high, 0))
        self.selectionModel().select(selection, command)

    def visualRegionForSelection(  # noqa: N802 - Qt override
        self, selection: QItemSelection
    ) -> QRegion:
        region = QRegion()
        top, lay = self.verticalOffset(), self._lay()
        lines = list(lay.visible(top, top + self.viewport().height()))
        if not lines:
            return region
        first, last = lay.line_row[lines[0]], lay.line_end[lines[-1]] - 1
        for n in range(selection.size()):
            span = selection.at(n)
            for row in range(max(first, span.top()), min(last, span.bottom()) + 1):
                region += self._content_rect(row).translated(0, -top)
        return region

    # -- the timeline: headers and the year jump ------------------------------------------------

    def sections(self) -> list[Section]:
        return self._lay().sections

    def _settle(self) -> None:
        """Apply a model change now rather than on the next turn of the event loop."""
        self.executeDelayedItemsLayout()

    def header_at(self, point: QPoint) -> str | None:
        """The header under ``point`` (viewport pixels): "March 2023", "Sunday 14"; None over a
        tile, a gap, or an ungrouped grid."""
        column = point.x() // max(1, self._grid.width())
        return headers.header_at(self._lay(), column, point.y() + self.verticalOffset())

    def years(self) -> list[str]:
        """The years the timeline holds, newest first ("No date" last): the jump's choices."""
        self._settle()
        return [label for label, _s in self._years]

    def jump_to_year(self, year: str | int) -> None:
        """Scroll so that the first header of ``year`` is at the top."""
        self._settle()
        for label, s in self._years:
            if label == str(year):
                self.verticalScrollBar().setValue(self._lay().section_top(s))
                self.year_jumped.emit(label)
                return

    def _sync_bar(self) -> None:
        grouped = self._model.grouped and self._model.rowCount() > 0
        self._years = years(self._model.sections()) if grouped else []
        self.timeline_bar.set_years([label for label, _s in self._years])
        height = self.timeline_bar.sizeHint().height() if grouped else 0
        if self.viewportMargins().top() != height:
            self.setViewportMargins(0, height, 0, 0)
        self.timeline_bar.setVisible(grouped)
        self._place_bar()
        self._show_where()

    def _place_bar(self) -> None:
        viewport = self.viewport().geometry()
        height = self.viewportMargins().top()
        self.timeline_bar.setGeometry(viewport.x(), viewport.y() - height, viewport.width(), height)
        # "where" starts where the headers' text does
        self.timeline_bar.set_text_left(self._tile_left() + PADDING)

    def _show_where(self, *_args: object) -> None:
        """The month at the top of the view, once its header has scrolled out of sight."""
        if not self.timeline_bar.isVisibleTo(self):
            return
        text = headers.month_at_top(self._lay(), self.verticalOffset())
        self.timeline_bar.where.setText(text)

    # -- painting -------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self.viewport())
        exposed = event.rect()
        offset = self.verticalOffset()
        lay = self._lay()
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        base_state = option.state
        selection = self.selectionModel()
        current = self.currentIndex()
        focus_row = current.row() if current.isValid() and self.hasFocus() else -1
        for line in lay.visible(exposed.top() + offset, exposed.bottom() + offset):
            if lay.band_top[line] < lay.tiles[line]:
                headers.paint_headers(painter, self.palette(), self._header_fonts(), lay, line,
                                      offset, self._grid.width(), self._tile_left() + PADDING)
            for row in range(lay.line_row[line], lay.line_end[line]):
                rect = self._content_rect(row).translated(0, -offset)
                if not rect.intersects(exposed):
                    continue
                index = self._model.index(row, 0)
                state = base_state
                if selection.isSelected(index):
                    state |= QStyle.StateFlag.State_Selected
                if row == self._hover:
                    state |= QStyle.StateFlag.State_MouseOver
                if row == focus_row:
                    state |= QStyle.StateFlag.State_HasFocus
                option.rect = rect
                option.state = state
                self._delegate.paint(painter, option, index)
        if not self._band.isNull():
            band = QStyleOptionRubberBand()
            band.initFrom(self)
            band.shape = QRubberBand.Shape.Rectangle
            band.opaque = False
            band.rect = self._band.translated(0, -offset)
            self.style().drawControl(QStyle.ControlElement.CE_RubberBand, band, painter, self)
        if self._model.rowCount() == 0 and self.empty_text:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.viewport().rect().adjusted(20, 20, -20, -20),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text,
            )
        painter.end()

    # -- mouse and keys -----------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        point = event.position().toPoint()
        starts_band = (event.button() == Qt.MouseButton.LeftButton
                       and not self.indexAt(point).isValid())
        self._band_origin = point + QPoint(0, self.verticalOffset()) if starts_band else None
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        point = event.position().toPoint()
        hover = self.indexAt(point)
        row = hover.row() if hover.isValid() else -1
        if row != self._hover:
            self._update_row(self._hover)
            self._hover = row
            self._update_row(row)
        super().mouseMoveEvent(event)
        if (self._band_origin is not None
                and self.state() == QAbstractItemView.State.DragSelectingState):
            old = self._band
            self._band = QRect(self._band_origin,
                               point + QPoint(0, self.verticalOffset())).normalized()
            offset = self.verticalOffset()
            self.viewport().update(old.united(self._band).translated(0, -offset)
                                   .adjusted(-2, -2, 2, 2))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        super().mouseReleaseEvent(event)
        self._end_band()

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().leaveEvent(event)
        self._update_row(self._hover)
        self._hover = -1

    def _end_band(self) -> None:
        self._band_origin = None
        if not self._band.isNull():
            self._band = QRect()
            self.viewport().update()

    def _update_row(self, row: int) -> None:
        if 0 <= row < self._model.rowCount():
            self.viewport().update(self.visualRect(self._model.index(row, 0)))

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
