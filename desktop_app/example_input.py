"""Photos given as examples to search by: dropped files, our own results dragged back, pastes.

Split from the main window: it decides what a drop or a paste means (folders are added, photos
become "like …" chips, pixels are saved in the data folder first) and asks the search bar or the
engine to act. Saving and pruning pasted images happen on the io pool.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject
from PySide6.QtGui import QGuiApplication, QImage

from desktop_app.engine import Engine
from desktop_app.i18n import translate
from desktop_app.notice_bar import NoticeBar
from desktop_app.search_bar import SearchBar
from desktop_app.window_drops import classify_drop, paste_target, prune_pasted


class ExampleInput(QObject):
    def __init__(
        self,
        engine: Engine,
        search_bar: SearchBar,
        notice: NoticeBar,
        add_folder: Callable[[str], None],
    ) -> None:
        super().__init__(search_bar)
        self._engine = engine
        self._bar = search_bar
        self._notice = notice
        self._add_folder = add_folder

    def drop(self, mime: QMimeData) -> bool:
        """Folders are added; photos join the query as more "like …" chips. True if used."""
        folders, images = classify_drop(mime)
        for folder in folders:
            self._add_folder(str(folder))
        if images:
            # A second photo dropped refines the search by both, as the chips show.
            self._bar.add_images(images, replace_all=False)
        return bool(folders or images)

    def paste(self) -> None:
        """Ctrl+V: image files or pixels from the clipboard become an example to search by;
        words are pasted into the search field as anywhere else.

        A photo copied in a file manager comes as its file's url *and* its path as text: it is
        the photo that was copied, so the url wins over the text.
        """
        clipboard = QGuiApplication.clipboard()
        mime = clipboard.mimeData()
        _folders, images = classify_drop(mime)
        if images:
            self._bar.add_images(images, replace_all=False)
            return
        field = self._bar.field
        if field.hasFocus() and clipboard.text().strip():
            field.paste()  # text into the field, as anywhere else
            return
        image = QImage(mime.imageData()) if mime is not None and mime.hasImage() else QImage()
        if image.isNull() or self._engine.library is None:
            self._notice.show_message(self.tr("The clipboard holds no image to search with."))
            return
        target = paste_target(self._engine.paths.home, time.time())

        def save(_cancel: object) -> Path:
            target.parent.mkdir(parents=True, exist_ok=True)
            if not image.save(str(target)):  # PNG, from the name
                # translate(), thread-safe, on the io worker
                raise OSError(translate("ExampleInput", "could not write {0} (is the disk full?)"
                                        ).format(target))
            prune_pasted(target.parent)
            return target

        self._engine.tasks.run(
            "io", save, on_result=lambda p: self._bar.add_images([p], replace_all=False),
            on_error=lambda exc: self._notice.show_message(
                self.tr("Paste failed: {0}").format(exc)),
        )
