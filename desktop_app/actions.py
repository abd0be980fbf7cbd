"""What can be done with photos: open, reveal, copy path, copy image. Never through a shell.

Opening uses QDesktopServices (the user's default app); revealing starts the platform's file
manager with an argument list through QProcess, or on Linux asks it over D-Bus (reveal.py).
Copying an image decodes it on the thumbs pool. Whether the files are still there is checked on
the io pool first (a stalled drive must not freeze the window), and whatever cannot be done is
said in one sentence through ``tell``: nothing fails without a word.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QMimeData, QProcess, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QImage

from desktop_app.i18n import translate
from desktop_app.tasks import TaskRunner

COPY_IMAGE_MAX_SIDE = 4096  # the clipboard holds raw pixels: cap them


Tell = Callable[[str], None]


def _when_present(tasks: TaskRunner, paths: list[Path], tell: Tell,
                  then: Callable[[list[Path]], None]) -> None:
    """Call ``then`` (on the GUI thread) with the paths that still exist; say which are gone."""

    def present(_cancel: object) -> tuple[list[Path], list[Path]]:
        there = [p for p in paths if os.path.lexists(p)]
        return there, [p for p in paths if p not in there]

    def act(found: tuple[list[Path], list[Path]]) -> None:
        there, gone = found
        if gone:
            tell(_gone_text([p.name for p in gone]))
        if there:
            then(there)

    tasks.run("io", present, on_result=act, on_error=lambda exc: tell(str(exc)))


def _gone_text(names: list[str]) -> str:
    """One sentence naming up to three photos that are gone (a whole sentence per count, so
    that each language can word it)."""
    shown = translate("Actions", ", ", "list separator").join(names[:3])
    if len(names) == 1:
        return translate("Actions", "{0} is no longer there: moved, renamed or deleted since "
                                    "it was indexed.").format(shown)
    if len(names) <= 3:
        return translate("Actions", "{0} are no longer there: moved, renamed or deleted since "
                                    "it was indexed.").format(shown)
    return translate("Actions", "{0} and others are no longer there: moved, renamed or deleted "
                                "since it was indexed.").format(shown)


def open_files(
    tasks: TaskRunner, paths: list[Path], tell: Tell, moments: Mapping[Path, float] | None = None
) -> None:
    """Open each photo with the desktop's default app for it; a video with a moment (the
    frame a search matched) in a player that can start there, where there is one
    (desktop_app.video_player), else in the default app."""
    moments = dict(moments or {})

    def open_default(path: Path) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            tell(translate("Actions", "No application on this computer could open {0}."
                           ).format(path.name))

    def start_players(commands: dict[Path, tuple[str, list[str]] | None]) -> None:
        for path, command in commands.items():
            if command is None or not QProcess.startDetached(command[0], command[1])[0]:
                open_default(path)

    def open_each(there: list[Path]) -> None:
        videos = [path for path in there if path in moments]
        for path in there:
            if path not in moments:
                open_default(path)
        if videos:  # which player (a program lookup, xdg-mime) is asked off the GUI thread
            from desktop_app.video_player import find_player

            tasks.run(
                "io", lambda _c: {path: find_player(path, moments[path]) for path in videos},
                on_result=start_players,
                on_error=lambda _exc: start_players(dict.fromkeys(videos)),
            )

    _when_present(tasks, paths, tell, open_each)


def reveal_command(path: Path, platform: str = sys.platform) -> tuple[str, list[str]] | None:
    """The program and arguments that show ``path`` in the file manager (None: open folder).

    The path goes as one argument, never through a shell, and absolute, so that a file named
    "-rf" or "--help" cannot be taken for an option.
    """
    path = Path(os.path.abspath(path))
    if platform == "darwin":
        return "open", ["-R", str(path)]
    if platform.startswith("win"):
        # explorer wants "/select," and the path as one argument
        return "explorer", [f"/select,{path}"]
    return None


def reveal_files(tasks: TaskRunner, paths: list[Path], tell: Tell) -> None:
    """Show the photos in the file manager, selected where it can."""

    def reveal(there: list[Path]) -> None:
        commands = [reveal_command(p) for p in there]
        if None in commands:
            # Linux: the file manager selects them over D-Bus; without one, open their folders.
            from desktop_app.reveal import show_items

            show_items(there, lambda paths: open_folders(paths, tell))
            return
        for program, arguments in filter(None, commands):
            started, _pid = QProcess.startDetached(program, arguments)
            if not started:
                tell(translate("Actions", "The file manager ({0}) could not be started."
                               ).format(program))

    _when_present(tasks, paths, tell, reveal)


def open_folders(paths: list[Path], tell: Tell | None = None) -> None:
    """Each photo's folder, once (no portable way to select the file itself)."""
    for folder in dict.fromkeys(p.parent for p in paths):
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))) and tell is not None:
            tell(translate("Actions", "No file manager on this computer could show {0}."
                           ).format(folder))


def copy_paths(paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setText("\n".join(str(p) for p in paths))
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    QGuiApplication.clipboard().setMimeData(mime)


def copy_image(tasks: TaskRunner, path: Path) -> None:
    """Decode off the GUI thread, then put the pixels (and the file's url) on the clipboard."""

    def decode(_cancel: object) -> QImage:
        from desktop_app.thumbnails import make_picture, pil_to_qimage

        return pil_to_qimage(make_picture(path, COPY_IMAGE_MAX_SIDE))  # a video: its middle

    def put(image: QImage) -> None:
        mime = QMimeData()
        mime.setImageData(image)
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        QGuiApplication.clipboard().setMimeData(mime)

    tasks.run("thumbs", decode, on_result=put, key="copy-image")
