"""The grid's model: search hits by photo id; thumbnails come from the loader on demand.

``replace`` swaps in a refined answer in place: rows that survive keep their persistent indexes
(so the selection and the current item stay on the same photos) and the view keeps its scroll
position, because the change is announced as a layout change, not a reset.

A date-ordered answer (browsing, or sorted by date) is shown ``grouped``: the model keeps its
rows photos only, and describes the timeline's months and days as ``sections()`` (see
``desktop_app.timeline``), which the view draws as headers between them. Headers are not rows:
they cannot be selected, dragged, counted or handed to anything that expects a photo.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QUrl,
)
from PySide6.QtGui import QPixmap

from core.records import Photo, SearchHit, moment_text
from desktop_app.i18n import number
from desktop_app.thumbnails import ThumbnailLoader
from desktop_app.timeline import Section, arrange, dates_of, group, undated_last, when_text

PhotoRole = Qt.ItemDataRole.UserRole + 1
ScoreRole = Qt.ItemDataRole.UserRole + 2
PathRole = Qt.ItemDataRole.UserRole + 3
IdRole = Qt.ItemDataRole.UserRole + 4
FailedRole = Qt.ItemDataRole.UserRole + 5
# 0..1 (0.5 at the cut-off between real matches and the rest); -1.0 where the answer is not
# ranked (never None: see data()).
RelevanceRole = Qt.ItemDataRole.UserRole + 6
MatchRole = Qt.ItemDataRole.UserRole + 7  # True for a real match, False for a weaker one

_Index = QModelIndex | QPersistentModelIndex


class ResultsModel(QAbstractListModel):
    def __init__(self, loader: ThumbnailLoader) -> None:
        super().__init__()
        self._loader = loader
        self._no_pixmap = QPixmap()  # a placeholder is drawn instead (see data())
        self._hits: list[SearchHit] = []
        # Rows whose thumbnail was asked for (painted rows only): where an arriving thumbnail
        # goes. Mapping every row instead cost 90 ms for 50,000 results on the GUI thread.
        self._asked_row: dict[Path, int] = {}
        self.ranked = True  # False for name/date results, which have no score
        self.grouped = False  # a timeline: months and days (see sections())
        self._sections: list[Section] | None = None  # worked out when first asked for
        self.thumb_pixels = 160  # device pixels; the view sets it from size and devicePixelRatio
        loader.ready.connect(self._thumbnails_arrived)

    # -- Qt model API -------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._hits):
            return None
        hit = self._hits[index.row()]
        photo = hit.photo
        if role == Qt.ItemDataRole.DecorationRole:
            self._asked_row[photo.path] = index.row()
            # Never None: PySide6 (6.12, Python 3.11) drops a reference to None each time an
            # empty QVariant comes back through index.data(); a grid repainting placeholders
            # (failed thumbnails) wore None's count down to zero and aborted the process.
            # A video shows the frame that matched (hit.moment), or its middle.
            return self._loader.get(photo.path, self.thumb_pixels, hit.moment) or self._no_pixmap
        if role == Qt.ItemDataRole.DisplayRole:
            return photo.path.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(hit)
        if role == PhotoRole:
            return photo
        if role == ScoreRole:
            return hit.score
        if role == RelevanceRole:
            return hit.relevance if self.ranked and hit.relevance is not None else -1.0
        if role == MatchRole:
            return hit.match
        if role == PathRole:
            return str(photo.path)
        if role == IdRole:
            return photo.id
        if role == FailedRole:
            return self._loader.failed(photo.path, self.thumb_pixels, hit.moment) or ""
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:
        return ["text/uri-list"]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """Dragged results are files: other apps and file managers copy them."""
        mime = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        mime.setUrls([QUrl.fromLocalFile(str(self._hits[r].photo.path)) for r in rows])
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    # -- content ------------------------------------------------------------------------------

    def hits(self) -> list[SearchHit]:
        return list(self._hits)

    def photo_ids(self) -> set[int]:
        return {h.photo.id for h in self._hits}

    def photo(self, row: int) -> Photo:
        return self._hits[row].photo

    def hit(self, row: int) -> SearchHit:
        return self._hits[row]

    def relevance(self, row: int) -> tuple[float, bool] | None:
        """(relevance, a real match) for the tile's bar; None where the answer is unranked.
        For the delegate, which paints every visible tile: no QVariant round trip."""
        hit = self._hits[row]
        if not self.ranked or hit.relevance is None:
            return None
        return hit.relevance, hit.match

    def text_match(self, row: int) -> bool:
        """Whether the text read in the photo holds the words typed (it was lifted for it):
        the delegate marks the tile."""
        return self._hits[row].text_match

    def video(self, row: int) -> tuple[bool, float | None]:
        """(a video, the moment its matching frame shows) for the tile's marks."""
        from core.imaging.formats import is_video

        hit = self._hits[row]
        return is_video(hit.photo.path), hit.moment

    def sections(self) -> list[Section]:
        """The grid's groups, in row order: a timeline's days (with their month headers) when
        ``grouped``, else one section of every row, with no header."""
        if self._sections is None:
            if not self._hits:
                self._sections = []
            elif self.grouped:
                self._sections = group(dates_of(self._hits))
            else:
                self._sections = [Section(0, len(self._hits))]
        return self._sections

    def reset(self, hits: list[SearchHit], ranked: bool = True, grouped: bool = False) -> None:
        """Show the answer to a new query: a model reset (the view scrolls to the top).
        ``grouped``: the answer is in date order, shown as a timeline; photos with no date go
        last, under "No date"."""
        self.ranked, self.grouped = ranked, grouped
        self.beginResetModel()
        self._hits, sections = arrange(hits) if grouped else (list(hits), None)
        self._reindex()
        self._sections = sections  # worked out with the order: one pass over the dates
        self.endResetModel()

    def replace(self, hits: list[SearchHit], ranked: bool = True, grouped: bool = False) -> None:
        """Show ``hits`` instead, keeping persistent indexes on photos that are still there."""
        self.ranked, self.grouped = ranked, grouped
        if grouped:
            hits = undated_last(hits)
        old_n, new_n = len(self._hits), len(hits)
        if old_n == 0 or new_n == 0:
            self.reset(hits, ranked, grouped)  # nothing to keep: cheapest, clears the selection
            return
        if new_n > old_n:
            self.beginInsertRows(QModelIndex(), old_n, new_n - 1)
            self._hits = self._hits + list(hits[old_n:])  # placeholders until the relayout
            self._sections = None
            self.endInsertRows()
            self._relayout(list(hits))
        else:
            self._relayout(list(hits) + self._leftovers(hits, old_n - new_n))
            if new_n < old_n:
                self.beginRemoveRows(QModelIndex(), new_n, old_n - 1)
                self._hits = self._hits[:new_n]
                self._reindex()
                self.endRemoveRows()

    def _leftovers(self, hits: list[SearchHit], count: int) -> list[SearchHit]:
        """``count`` old hits absent from ``hits``: parked at the end, then removed."""
        keep = {h.photo.id for h in hits}
        return [h for h in self._hits if h.photo.id not in keep][:count]

    def _relayout(self, target: list[SearchHit]) -> None:
        assert len(target) == len(self._hits)
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        after = []
        if before:  # a map of every row only when some index must follow its photo
            row_of_id: dict[int, int] = {}
            for row, hit in enumerate(target):
                row_of_id.setdefault(hit.photo.id, row)
            old = self._hits
            for index in before:
                r = index.row()
                row = row_of_id.get(old[r].photo.id, -1) if 0 <= r < len(old) else -1
                after.append(self.index(row, 0) if row >= 0 else QModelIndex())
        self._hits = target
        self._reindex()
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _reindex(self) -> None:
        # Rows moved: the view repaints what it shows, which asks (and maps) them again.
        self._asked_row = {}
        self._sections = None

    def _thumbnails_arrived(self, paths: list[Path]) -> None:
        roles = [Qt.ItemDataRole.DecorationRole]
        hits = self._hits
        for path in paths:
            row = self._asked_row.get(path)
            if row is not None and row < len(hits) and hits[row].photo.path == path:
                index = self.index(row, 0)
                self.dataChanged.emit(index, index, roles)

    def refresh_thumbnails(self) -> None:
        """The thumbnail size changed: every decoration must be asked for again."""
        if self._hits:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._hits) - 1, 0),
                [Qt.ItemDataRole.DecorationRole],
            )

    def _tooltip(self, hit: SearchHit) -> str:
        photo = hit.photo
        lines = [photo.path.name]
        failed = self._loader.failed(photo.path, self.thumb_pixels, hit.moment)
        if failed:  # core's reason, as it says it
            lines.append(self.tr("Cannot be shown: {0}").format(failed))
        if hit.name_match:
            lines.append(self.tr("Its file or folder name matches"))
        if hit.text_match:
            lines.append(self.tr("The text in the photo matches"))
        if hit.moment is not None:
            lines.append(self.tr("A video: the frame at {0} matches").format(
                moment_text(hit.moment)))
        if self.ranked:
            score = number(hit.score, 3)
            if hit.relevance is None:
                lines.append(self.tr("Score {0}").format(score))
            elif hit.match:
                lines.append(self.tr("Score {0} · a strong match").format(score))
            else:
                lines.append(self.tr("Score {0} · a weaker match").format(score))
        if photo.taken_at:
            lines.append(self.tr("Taken: {0}").format(when_text(photo.taken_at)))
        elif photo.file_time:
            lines.append(self.tr("File date: {0} (no date taken in the file)").format(
                when_text(photo.file_time)))
        if photo.width and photo.height:
            lines.append(f"{photo.width} × {photo.height}")
        lines.append(str(photo.path.parent))
        return "\n".join(lines)
