"""Help ▸ Copy Diagnostics: what a bug report needs, on the clipboard, in plain text.

The report itself stays in English whatever the interface's language: it is read by whoever
answers the bug report. Only the words that tell the user it was copied are translated.

The report is gathered on the io pool (the library's counts are a SQLite read, and the loaded
model's details wait on its load lock) and put on the clipboard on the GUI thread. Package
versions come from their installed metadata: importing torch or onnxruntime to ask would take
seconds and hundreds of megabytes. Any part that cannot be read says why, and the rest is
still copied.
"""

from __future__ import annotations

import importlib.metadata
import logging
import platform
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import QLocale, qVersion
from PySide6.QtWidgets import QApplication

from core import __version__
from desktop_app.diagnostics import LOG_NAME
from desktop_app.i18n import translate

if TYPE_CHECKING:
    from desktop_app.engine import Engine

log = logging.getLogger(__name__)

SHOWN_MS = 8000

# Distributions whose version matters for a report, by the name pip knows them under; the first
# installed one of each group is reported (onnxruntime comes as a CPU or a GPU build).
PACKAGES: tuple[tuple[str, ...], ...] = (
    ("onnxruntime", "onnxruntime-gpu", "onnxruntime-directml", "onnxruntime-silicon"),
    ("open_clip_torch",),
    ("torch",),
    ("numpy",),
    ("Pillow",),
)


def package_versions() -> dict[str, str]:
    """Installed versions, read from package metadata only (nothing is imported)."""
    found: dict[str, str] = {}
    for names in PACKAGES:
        for name in names:
            try:
                found[name] = importlib.metadata.version(name)
                break
            except importlib.metadata.PackageNotFoundError:
                continue
        else:
            found[names[0]] = "not installed"
    return found


def _model_lines(engine: Engine) -> list[str]:
    library = engine.library
    if library is None:
        return ["Model: (library not open yet)"]
    lines = [f"Model: {library.model_name}",
             f"Model state: {engine.session.model_state.value}",
             f"Device asked for: {library.device or 'automatic'}"]
    if library.model_loaded:
        embedder = library.embedder()  # loaded already: returns at once
        lines += [f"Backend: {embedder.backend}",
                  f"Image precision: {embedder.image_precision}",
                  f"Device: {embedder.device}"]
    else:
        lines.append("Backend: (model not loaded yet)")
    return lines


def _count_lines(engine: Engine) -> list[str]:
    status = engine.session.status()
    if status is None:
        return ["Library: (not open yet)"]
    return [
        f"Photos: {status.photos}",
        f"Indexed: {status.indexed}",
        f"Pending: {status.pending}",
        f"Failed: {status.failed}",
        f"Not read (RAW, video...): {status.unread}",
        f"Folders: {len(status.folders)}",
    ]


def _guarded(part: str, read: Callable[[], list[str]]) -> list[str]:
    """``read``'s lines, or one line saying why they could not be read: a report is most
    wanted exactly when something is broken."""
    try:
        return read()
    except Exception as exc:  # noqa: BLE001 - any failure becomes a line of the report
        log.warning("diagnostics: %s not read: %s", part, exc)
        return [f"{part}: not read ({type(exc).__name__}: {exc})"]


def gather_diagnostics(engine: Engine) -> str:
    """The report, as text. Reads the catalog: call it on a worker, not on the GUI thread."""
    paths = engine.paths
    log_file = paths.logs_dir / LOG_NAME
    lines = [
        f"PhotoSeek {__version__}",
        f"Python {platform.python_version()} ({sys.implementation.name})",
        f"Qt {qVersion()}, PySide6 {PySide6.__version__}",
        f"OS: {platform.platform()} ({platform.machine()})",
        # QLocale() is the interface's (i18n.install made it the default); system() the OS's
        f"Language: {QLocale().name()} (system {QLocale.system().name()})",
    ]
    lines += [f"{name} {version}" for name, version in package_versions().items()]
    lines += _guarded("Model", lambda: _model_lines(engine))
    lines += _guarded("Library", lambda: _count_lines(engine))
    lines += [
        f"Data folder: {paths.home}",
        f"Log file: {log_file}" + ("" if log_file.exists() else " (not written yet)"),
    ]
    return "\n".join(lines)


def copy_diagnostics(engine: Engine, show_message: Callable[[str, int], None]) -> None:
    """Gather on the io pool, then copy on the GUI thread and say so with ``show_message``."""

    def gather(_cancel: threading.Event) -> str:
        return gather_diagnostics(engine)

    def copy(text: str) -> None:
        QApplication.clipboard().setText(text)
        show_message(translate("CopyDiagnostics", "Diagnostics copied to the clipboard: paste "
                                                  "them into your bug report."), SHOWN_MS)

    def failed(exc: BaseException) -> None:
        log.warning("diagnostics not gathered: %s", exc)
        show_message(translate("CopyDiagnostics", "Diagnostics could not be gathered: {0}"
                               ).format(exc), SHOWN_MS)

    engine.tasks.run("io", gather, on_result=copy, on_error=failed, key="diagnostics")
