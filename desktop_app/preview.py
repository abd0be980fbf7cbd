"""Preview: one photo large, with its metadata. Arrows move through results, Esc closes.

The large picture is decoded on the thumbs pool (key "preview": moving on drops the older
decode); until it arrives the grid's thumbnail is shown, scaled up, so arrows feel instant.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QImage, QKeyEvent, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from core.records import Photo, SearchHit
from desktop_app.tasks import TaskRunner


class ImageCanvas(QWidget):
    """Paints a pixmap fitted to the widget, never upscaled beyond 2×; "Loading…" until it
    arrives, or why the photo cannot be shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pixmap: QPixmap | None = None
        self.problem: str | None = None  # why the photo cannot be shown
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 240)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # keys reach the dialog through it

    def set_pixmap(self, pixmap: QPixmap | None) -> None:
        self.pixmap, self.problem = pixmap, None
        self.update()

    def set_problem(self, reason: str) -> None:
        self.pixmap, self.problem = None, reason
        self.update()

    def message(self) -> str:
        """What the canvas says when it shows no picture."""
        if self.problem is not None:
            return f"This photo cannot be shown: {self.problem}"
        return "Loading…"

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        pixmap = self.pixmap
        if pixmap is None or pixmap.isNull():
            painter.drawText(self.rect().adjusted(20, 20, -20, -20),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.message())
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        dpr = pixmap.devicePixelRatio() or 1.0
        w, h = pixmap.width() / dpr, pixmap.height() / dpr
        scale = min(self.width() / w, self.height() / h, 2.0)
        tw, th = int(w * scale), int(h * scale)
        painter.drawPixmap(
            QRect((self.width() - tw) // 2, (self.height() - th) // 2, tw, th), pixmap
        )


def describe(photo: Photo, hit: SearchHit | None = None) -> list[tuple[str, str]]:
    """The metadata rows shown beside the picture (``hit``: how it matched the search)."""
    rows = [("Name", photo.path.name)]
    if hit is not None and hit.relevance is not None:
        strength = "a strong match" if hit.match else "a weaker match"
        rows.append(("Match", f"{strength} (score {hit.score:.3f})"))
    if photo.taken_at:
        rows.append(("Taken", str(photo.taken_at)))
    elif photo.file_time:
        rows.append(("Date", f"{photo.file_time} (the file's time: no date taken in it)"))
    if photo.camera:
        rows.append(("Camera", photo.camera))
    if photo.width and photo.height:
        rows.append(("Size", f"{photo.width} × {photo.height} px"))
    rows.append(("File size", _bytes(photo.size)))
    if photo.gps_lat is not None and photo.gps_lon is not None:
        position = f"{photo.gps_lat:.5f}, {photo.gps_lon:.5f}"
        rows.append(("Place", f"{photo.place}\n{position}" if photo.place else position))
    rows.append(("Path", str(photo.path)))
    return rows


def _bytes(size: int) -> str:
    if size == 1:
        return "1 byte"
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


class PreviewDialog(QDialog):
    navigate = Signal(int)  # -1 previous, +1 next

    def __init__(self, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preview — PhotoSeek")
        self._tasks = tasks
        self.photo: Photo | None = None
        layout = QHBoxLayout(self)
        self.canvas = ImageCanvas(self)
        layout.addWidget(self.canvas, 1)
        side = QVBoxLayout()
        # Each value under its name, the panel's full width: a box layout gives a wrapping label
        # the height its width needs (a form layout cut long paths short).
        self._details = QVBoxLayout()
        self._details.setSpacing(2)
        side.addLayout(self._details)
        side.addStretch(1)
        hint = QLabel("← → previous / next · Esc close", self)
        hint.setEnabled(False)  # the palette's disabled text colour: quiet in any theme
        side.addWidget(hint)
        panel = QWidget(self)
        panel.setLayout(side)
        panel.setFixedWidth(280)
        layout.addWidget(panel)
        self.resize(QSize(1100, 720))

    def show_photo(
        self,
        photo: Photo,
        thumbnail: QPixmap | None = None,
        problem: str | None = None,
        hit: SearchHit | None = None,
    ) -> None:
        """Show ``photo`` (the grid's ``thumbnail`` until the large picture is decoded);
        ``problem``: why its thumbnail could not be made, said at once; ``hit``: its score."""
        self.photo = photo
        self.setWindowTitle(f"{photo.path.name} — PhotoSeek")
        if problem:
            self.canvas.set_problem(problem)
        else:
            self.canvas.set_pixmap(thumbnail)
        while self._details.count():
            item = self._details.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for name, value in describe(photo, hit):
            self._add_detail(name, value)
        screen = self.screen()
        dpr = screen.devicePixelRatio() if screen is not None else 1.0
        geometry = screen.availableGeometry() if screen is not None else QRect(0, 0, 1920, 1080)
        side = int(max(geometry.width(), geometry.height()) * dpr)
        path = photo.path
        self._tasks.run(
            "thumbs", lambda _c: _decode(path, side), key="preview",
            on_result=lambda image: self._decoded(path, image, dpr),
            on_error=lambda exc: self._failed(path, exc),
        )
        if not self.isVisible():
            self.show()
        self.raise_()
        self.activateWindow()
        self.canvas.setFocus()

    def _decoded(self, path: Path, image: QImage, dpr: float) -> None:
        if self.photo is not None and self.photo.path == path:
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(dpr)
            self.canvas.set_pixmap(pixmap)

    def _failed(self, path: Path, exc: BaseException) -> None:
        if self.photo is not None and self.photo.path == path:
            reason = str(getattr(exc, "reason", exc))
            self.canvas.set_problem(reason)
            self._add_detail("Problem", reason)

    def _add_detail(self, name: str, value: str) -> None:
        caption = QLabel(name, self)
        caption.setEnabled(False)  # the palette's quiet colour: the value stands out
        self._details.addWidget(caption)
        self._details.addWidget(_value_label(value, self))
        self._details.addSpacing(6)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self.navigate.emit(1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self.navigate.emit(-1)
        elif key == Qt.Key.Key_Space:
            self.close()  # Space toggles, as in a file manager's quick look
        else:
            super().keyPressEvent(event)  # Esc closes


def _value_label(value: str, parent: QWidget) -> QLabel:
    """A selectable value that wraps: a zero-width space after each path separator, '_', '-'
    and '.', so that a long path breaks there rather than being cut."""
    breakable = value
    for mark in ("/", "\\", "_", "-", "."):
        breakable = breakable.replace(mark, mark + "\u200b")
    label = QLabel(breakable, parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _decode(path: Path, side: int) -> QImage:
    from core.imaging.loading import make_thumbnail
    from desktop_app.thumbnails import pil_to_qimage

    return pil_to_qimage(make_thumbnail(path, side))
