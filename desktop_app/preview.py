"""Preview: one photo large, with its metadata. Arrows move through results, Esc closes.

The large picture is decoded on the thumbs pool (key "preview": moving on drops the older
decode); until it arrives the grid's thumbnail is shown, scaled up, so arrows feel instant.

Beside the metadata, what the photo shows in words: its tags (a click shows the photos carrying
the tag: the tag filter), the short descriptions the model finds closest (a click searches for
those words) and the text read in it, selectable. They are read on the io pool, never on the
GUI thread: tags and text from the catalog at once, descriptions with the model
(``Library.describe``) once it is ready; an answer for a photo the person has moved on from is
dropped (the task keys, and the photo id checked on arrival).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLocale, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QHideEvent, QImage, QKeyEvent, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.records import Description, Photo, SearchHit, moment_text
from desktop_app.i18n import number, translate
from desktop_app.tasks import TaskRunner
from desktop_app.themed import restyle_on_theme_change
from desktop_app.timeline import when_text

if TYPE_CHECKING:
    from core.library import Library
    from desktop_app.engine import Engine

log = logging.getLogger(__name__)
SIDE_WIDTH = 300  # the details beside the picture


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
        if self.problem is not None:  # core's reason, as it says it
            return self.tr("This photo cannot be shown: {0}").format(self.problem)
        return self.tr("Loading…")

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
    rows = [(translate("Preview", "Name"), photo.path.name)]
    if hit is not None and hit.relevance is not None:
        score = number(hit.score, 3)
        match = (translate("Preview", "a strong match (score {0})") if hit.match
                 else translate("Preview", "a weaker match (score {0})")).format(score)
        if hit.text_match:  # lifted among the results for it
            match += "\n" + translate("Preview", "The text in the photo matches the words.")
        rows.append((translate("Preview", "Match"), match))
    if hit is not None and hit.moment is not None:  # a video: the frame shown is the match
        rows.append((translate("Preview", "Moment"), translate(
            "Preview", "{0} (the frame that matches)").format(moment_text(hit.moment))))
    if photo.taken_at:
        rows.append((translate("Preview", "Taken"), when_text(photo.taken_at)))
    elif photo.file_time:
        rows.append((translate("Preview", "Date"), translate(
            "Preview", "{0} (the file's time: no date taken in it)").format(
                when_text(photo.file_time))))
    if photo.camera:
        rows.append((translate("Preview", "Camera"), photo.camera))
    if photo.width and photo.height:
        rows.append((translate("Preview", "Size"), f"{photo.width} × {photo.height} px"))
    rows.append((translate("Preview", "File size"), _bytes(photo.size)))
    if photo.gps_lat is not None and photo.gps_lon is not None:
        position = f"{photo.gps_lat:.5f}, {photo.gps_lon:.5f}"
        rows.append((translate("Preview", "Place"),
                     f"{photo.place}\n{position}" if photo.place else position))
    rows.append((translate("Preview", "Path"), str(photo.path)))
    return rows


def _bytes(size: int) -> str:
    """A file's size: bytes below a KB, else KB, MB or GB with one decimal (the units are
    the same in every language)."""
    if size == 1:
        return translate("Preview", "1 byte")
    if size < 1024:
        return translate("Preview", "{0} bytes").format(number(size))
    value = size / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{number(value, 1)} {unit}"
        value /= 1024
    return f"{number(value, 1)} GB"


def kind_word(kind: str) -> str:
    """How a companion file is named beside the photo: "Live Photo" is Apple's term, which
    each language names its own way; "RAW+JPEG" is the same everywhere."""
    from core.indexing.companions import KIND_WORDS, LIVE  # imaging: not needed to build a window

    if kind == LIVE:
        return translate("Preview", "Live Photo")
    return KIND_WORDS.get(kind, kind)


@dataclass(frozen=True)
class PhotoWords:
    """What the catalog knows of a photo in words: its tags (name, score), best first, and
    the text read in it ("" when it shows none; None when it has not been read yet)."""

    tags: list[tuple[str, float]]
    text: str | None


def read_words(library: Library, photo_id: int) -> PhotoWords:
    """A photo's tags and text, from the catalog (no model). Not on the GUI thread."""
    return PhotoWords(library.tags_of(photo_id), library.text_of(photo_id))


class FlowLayout(QLayout):
    """Widgets left to right, wrapping onto more lines as the width needs (tag chips)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt override
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt override
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt override
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt override
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, move: bool) -> int:
        """Place the items in rows within ``rect``'s width; returns the height they take."""
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x > rect.x() and x + hint.width() > rect.right() + 1:
                x, y, line = rect.x(), y + line + self._gap, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._gap
            line = max(line, hint.height())
        return y + line - rect.y()


class TagButton(QToolButton):
    """A tag as a rounded chip; a click shows the photos that carry it."""

    def __init__(self, name: str, shown: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.setObjectName("tag")
        self.setText(shown)
        self.setToolTip(self.tr("Show the photos tagged “{0}”").format(shown))
        self.setAccessibleName(self.tr("Tag {0}").format(shown))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # arrows keep moving through photos
        self.setStyleSheet(
            "#tag { border: 1px solid palette(mid); border-radius: 10px; padding: 1px 8px;"
            " background: palette(alternate-base); }"
            " #tag:hover { border-color: palette(highlight); }"
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        restyle_on_theme_change(self, event)
        super().changeEvent(event)


class PhraseButton(QPushButton):
    """A description as a link-like line; a click searches for its words."""

    def __init__(self, phrase: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.phrase = phrase
        self.setObjectName("phrase")
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setToolTip(self.tr("Search for “{0}”").format(phrase))
        self.setAccessibleName(self.tr("Search for {0}").format(phrase))
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setStyleSheet(
            "#phrase { text-align: left; border: none; padding: 1px 0; color: palette(link); }"
            " #phrase:hover { text-decoration: underline; }"
        )
        self.setText(phrase)

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        # A phrase longer than the panel is shortened with "…" (the tooltip has it whole).
        metrics = self.fontMetrics()
        self.setText(metrics.elidedText(self.phrase, Qt.TextElideMode.ElideRight,
                                        max(20, self.width() - 2)))
        super().resizeEvent(event)  # type: ignore[arg-type]

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        restyle_on_theme_change(self, event)
        super().changeEvent(event)


class PreviewDialog(QDialog):
    navigate = Signal(int)  # -1 previous, +1 next
    tag_chosen = Signal(str)  # a tag clicked: show the photos carrying it
    words_chosen = Signal(str)  # a description clicked: search for its words

    def __init__(
        self, tasks: TaskRunner, parent: QWidget | None = None, engine: Engine | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preview — PhotoSeek"))
        self._tasks = tasks
        self._engine = engine  # None: no words are shown (the picture and metadata only)
        self._chinese = QLocale().language() == QLocale.Language.Chinese
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
        self._words = QVBoxLayout()  # tags, descriptions, text: filled when they are read
        self._words.setSpacing(2)
        side.addLayout(self._words)
        side.addStretch(1)
        panel = QWidget(self)
        panel.setLayout(side)
        # Many rows and a long text scroll, the picture keeps its room.
        scroll = QScrollArea(self)
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # arrows move through the photos
        scroll.setFixedWidth(SIDE_WIDTH)
        column = QVBoxLayout()
        column.addWidget(scroll, 1)
        hint = QLabel(self.tr("← → previous / next · Esc close"), self)
        hint.setEnabled(False)  # the palette's disabled text colour: quiet in any theme
        column.addWidget(hint)
        layout.addLayout(column)
        self.resize(QSize(1100, 720))
        self.tags_box: QWidget | None = None  # the sections shown now (for tests, too)
        self.phrases: list[PhraseButton] = []
        self.text_label: QLabel | None = None
        self._words_for: int | None = None  # the photo whose words are shown or asked for

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
        _clear(self._details)
        for name, value in describe(photo, hit):
            self._add_detail(name, value)
        if self._words_for != photo.id:  # the same photo again (new results): words stay
            self._load_words(photo)
        self._load_companions(photo)
        screen = self.screen()
        dpr = screen.devicePixelRatio() if screen is not None else 1.0
        geometry = screen.availableGeometry() if screen is not None else QRect(0, 0, 1920, 1080)
        side = int(max(geometry.width(), geometry.height()) * dpr)
        path = photo.path
        moment = hit.moment if hit is not None else None  # a video: the matching frame
        self._tasks.run(
            "thumbs", lambda _c: _decode(path, side, moment), key="preview",
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
            self._add_detail(self.tr("Problem"), reason)  # core's reason, as it says it

    def _load_companions(self, photo: Photo) -> None:
        """Ask for the files kept with the photo (its RAW, its Live Photo's video): each is
        said in a row of its own ("RAW+JPEG: IMG_0042.CR2") once the catalog answers."""
        library = self._engine.library if self._engine is not None else None
        if library is None:
            return
        photo_id = photo.id
        self._tasks.run(
            "io", lambda _c: library.companions_of(photo_id), key="preview-companions",
            on_result=lambda kept: self._show_companions(photo_id, kept),
            on_error=lambda exc: log.info("companions of photo %s: %s", photo_id, exc),
        )

    def _show_companions(self, photo_id: int, kept: list[tuple[Path, str]]) -> None:
        if not self._is_shown(photo_id):
            return  # moved on meanwhile
        for path, kind in kept:
            self._add_detail(kind_word(kind), path.name)

    def _add_detail(self, name: str, value: str) -> None:
        caption = QLabel(name, self)
        caption.setEnabled(False)  # the palette's quiet colour: the value stands out
        self._details.addWidget(caption)
        self._details.addWidget(_value_label(value, self))
        self._details.addSpacing(6)

    # -- the photo in words --------------------------------------------------------------

    def _load_words(self, photo: Photo) -> None:
        """Ask for the photo's tags and text, then (with the model ready) its descriptions;
        the sections appear as their answers arrive, for this photo only."""
        _clear(self._words)
        self.tags_box, self.phrases, self.text_label = None, [], None
        self._words_for = photo.id
        engine = self._engine
        library = engine.library if engine is not None else None
        if engine is None or library is None:
            return
        photo_id = photo.id
        self._tasks.run(
            "io", lambda _c: read_words(library, photo_id), key="preview-words",
            on_result=lambda words: self._show_words(photo_id, words),
            on_error=lambda exc: self._words_failed(library, exc),
        )
        if engine.model_ready:  # describing loads the model: never ask for it to load here
            self._tasks.run(
                "words", lambda _c: library.describe(photo_id), key="preview-describe",
                on_result=lambda found: self._show_descriptions(photo_id, found),
                on_error=lambda exc: self._words_failed(library, exc),
            )

    def _is_shown(self, photo_id: int) -> bool:
        return self.photo is not None and self.photo.id == photo_id

    def _show_words(self, photo_id: int, words: PhotoWords) -> None:
        if not self._is_shown(photo_id):
            return  # moved on meanwhile
        if words.tags:
            box = QWidget(self)
            flow = FlowLayout(box)
            for name, _score in words.tags:
                button = TagButton(name, self._shown_tag(name), box)
                button.clicked.connect(lambda _c=False, n=name: self._choose_tag(n))
                flow.addWidget(button)
            self._insert_section(0, self.tr("Tags"), box)
            self.tags_box = box
        if words.text is not None:  # None: not read yet, nothing to say
            label = QLabel(words.text or self.tr("No text found"), self)
            label.setWordWrap(True)
            if words.text:
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                label.setToolTip(self.tr("The text read in the photo: select it to copy it"))
            else:
                label.setEnabled(False)  # quiet: nothing was found
            self._insert_section(self._words.count(), self.tr("Text in the photo"), label)
            self.text_label = label

    def _show_descriptions(self, photo_id: int, found: Description) -> None:
        if not self._is_shown(photo_id) or not found.descriptions:
            return
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.phrases = []
        for phrase, _score in found.descriptions:
            button = PhraseButton(phrase, box)
            button.clicked.connect(lambda _c=False, p=phrase: self._choose_words(p))
            column.addWidget(button)
            self.phrases.append(button)
        # After the tags, before the text, whichever of them arrived first.
        at = self._words.indexOf(self.tags_box) + 2 if self.tags_box is not None else 0
        self._insert_section(at, self.tr("Looks like"), box)

    def _insert_section(self, at: int, title: str, body: QWidget) -> None:
        """A quiet caption, its body, a gap: three layout items from ``at``."""
        caption = QLabel(title, self)
        caption.setEnabled(False)
        self._words.insertWidget(at, caption)
        self._words.insertWidget(at + 1, body)
        self._words.insertSpacing(at + 2, 6)

    def _shown_tag(self, name: str) -> str:
        if self._chinese:  # a built-in tag's Chinese name (own tags are shown as typed)
            from core.tagging.vocabulary import BUILT_IN

            category = BUILT_IN.get(name)
            if category is not None and category.zh:
                return category.zh
        return name

    def _words_failed(self, library: Library, exc: BaseException) -> None:
        from core.errors import PhotoSeekError

        if isinstance(exc, PhotoSeekError):
            return  # no vector yet, a photo gone: the words are left out, the photo shows
        engine = self._engine
        if engine is not None and library is engine.library:  # not one closed meanwhile
            log.error("the preview's words could not be read", exc_info=exc)

    def _choose_tag(self, name: str) -> None:
        self.close()  # the window shows the photos carrying it
        self.tag_chosen.emit(name)

    def _choose_words(self, phrase: str) -> None:
        self.close()
        self.words_chosen.emit(phrase)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self._words_for = None  # shown again later: read afresh (tagging may have run)
        super().hideEvent(event)

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


def _clear(layout: QVBoxLayout) -> None:
    """Remove every item of ``layout``; its widgets are freed on the next loop turn."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()
            widget.deleteLater()


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


def _decode(path: Path, side: int, moment: float | None = None) -> QImage:
    from desktop_app.thumbnails import make_picture, pil_to_qimage

    return pil_to_qimage(make_picture(path, side, moment))
