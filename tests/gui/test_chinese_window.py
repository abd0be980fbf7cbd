"""The interface in Simplified Chinese: walking the real window (welcome, results, preview,
menus, panels, dialogs) finds no visible text left in English.

Visible text is read the way a user meets it: window titles, labels (rich text as shown), buttons,
placeholders, tool tips, combo box items, every menu item down to submenus, the items and headers
of views. What may stay Latin is short and named below: the app's name, key names, units and
model names, and the names of the user's own files and folders.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTabBar,
    QWidget,
)

from tests.gui.conftest import TIMEOUT_MS

pytestmark = pytest.mark.gui

# Latin words a Chinese interface keeps: names, key names, units, file-format and tech acronyms.
KEPT = {
    "PhotoSeek", "CLIP", "SigLIP", "Ctrl", "Shift", "Alt", "Meta", "Esc", "Del", "Delete", "Enter",
    "Return", "Space", "Backspace", "Tab", "Home", "End", "PgUp", "PgDown", "Up", "Down", "Left",
    "Right", "Ins", "MB", "GB", "KB", "px", "JPEG", "PNG", "HEIC", "RAW", "GPU", "CPU", "CUDA",
    "OCR", "EXIF", "GPS", "Live", "Photo", "Photos", "ms", "fps", "int8", "fp32", "ONNX", "AND",
    "NOT", "OR", "Not", "min", "Pictures", "Enhance", "CSV", "TSV",
    "English",  # the language menu names each language in its own words
    "MSCOCO", "ImageNet", "Crossmodal",  # the benchmarks a model's quality is published on
}
WORD = re.compile(r"[A-Za-z][A-Za-z']+")


@pytest.fixture
def chinese(qapp) -> Iterator[None]:
    from desktop_app import i18n

    assert i18n.install("zh_CN") == "zh_CN", "the Chinese translation did not load"
    yield
    i18n.install("en")


def _plain(text: str) -> str:
    rich = re.search(r"<[a-zA-Z/][^>]*>", text) is not None
    return QTextDocumentFragment.fromHtml(text).toPlainText() if rich else text


def _action_texts(actions: list[QAction], where: str) -> Iterator[tuple[str, str]]:
    for action in actions:
        if action.isSeparator() or not action.isVisible():
            continue
        yield where, action.text()
        yield where + " (tip)", action.toolTip()
        menu = action.menu()
        if isinstance(menu, QMenu):
            yield from _action_texts(menu.actions(), f"{where} ▸ {action.text()}")


def _view_texts(view: QAbstractItemView, where: str) -> Iterator[tuple[str, str]]:
    model = view.model()
    if model is None:
        return

    def columns(parent: QModelIndex) -> int:
        try:
            return model.columnCount(parent)
        except TypeError:  # a list model: PySide hides its columnCount
            return 1

    def has_children(index: QModelIndex) -> bool:
        try:
            return model.hasChildren(index)
        except TypeError:  # a list model: flat
            return False

    def walk(parent: QModelIndex, depth: int) -> Iterator[tuple[str, str]]:
        for row in range(min(model.rowCount(parent), 40)):
            for column in range(columns(parent)):
                index = model.index(row, column, parent)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = model.data(index, role)
                    if isinstance(value, str):
                        yield f"{where} row {row}", value
                if depth < 2 and column == 0 and has_children(index):
                    yield from walk(index, depth + 1)
    yield from walk(QModelIndex(), 0)
    for column in range(columns(QModelIndex())):
        header = model.headerData(column, Qt.Orientation.Horizontal)
        if isinstance(header, str):
            yield f"{where} header", header


def visible_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every text a user can see in ``root`` and its visible children."""
    yield "title", root.windowTitle()
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        name = type(widget).__name__
        yield f"{name} (tip)", widget.toolTip()
        if isinstance(widget, (QLabel, QAbstractButton)):
            yield name, widget.text()
        elif isinstance(widget, QLineEdit):
            yield f"{name} (placeholder)", widget.placeholderText()
        elif isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield name, widget.itemText(i)
        elif isinstance(widget, QGroupBox):
            yield name, widget.title()
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                yield name, widget.tabText(i)
        elif isinstance(widget, QAbstractItemView):
            yield from _view_texts(widget, name)


def english_left(root: QWidget, names: set[str]) -> list[str]:
    """Texts that still hold an English word (names of the user's files are allowed)."""
    left = []
    for where, text in visible_texts(root):
        plain = _plain(text or "").replace("\u200b", "")  # zero-width: where long paths wrap
        for token in sorted(names, key=len, reverse=True):  # a file's name before its stem
            plain = plain.replace(token, " ")
        plain = re.sub(r"\S*[/\\]\S*", " ", plain)  # a path
        words = [w for w in WORD.findall(plain) if w not in KEPT]
        if words:
            left.append(f"{where}: {text!r} ({', '.join(words)})")
    return sorted(set(left))


def _names_of(folder: Path) -> set[str]:
    names = {folder.name, str(folder)}
    for path in folder.rglob("*"):
        names |= {path.name, path.stem}
    return names


def _model_names() -> set[str]:
    from core.models.names import KNOWN_MODELS

    found = {"test-tiny"}
    for spec in KNOWN_MODELS:
        found |= {spec.name, *spec.name.replace(":", " ").split()}
    return found


def test_the_welcome_is_chinese(chinese, make_window) -> None:
    window = make_window(wait_model=False)
    assert window.welcome.isVisible()
    left = english_left(window, _model_names())
    assert not left, "English left on the welcome page:\n" + "\n".join(left)


def test_the_searching_window_menus_and_panels_are_chinese(
    chinese, make_window, indexed_photos: Path, qtbot
) -> None:
    window = make_window()
    names = _names_of(indexed_photos) | _model_names()
    window.tags.show()
    window.folders.show()
    window.search_bar.field.setText("海边的狗")
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS):
        window.search_bar.field.returnPressed.emit()
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=TIMEOUT_MS)
    window.view.setCurrentIndex(window.model.index(0, 0))
    left = english_left(window, names)
    for menu in window.menuBar().findChildren(QMenu):
        menu.aboutToShow.emit()  # menus that fill themselves when opened
    left += [f"menu {line}" for line in sorted(
        set(f"{w}: {t!r}" for w, t in _action_texts(window.menuBar().actions(), "menu bar")
            if [x for x in WORD.findall(_plain(t)) if x not in KEPT and x not in names])
    )]
    assert not left, "English left in the window:\n" + "\n".join(left)


def test_the_preview_settings_and_help_are_chinese(
    chinese, make_window, indexed_photos: Path, qtbot
) -> None:
    from desktop_app.help_search import HowToSearch
    from desktop_app.help_shortcuts import ShortcutSheet
    from desktop_app.settings_dialog import SettingsDialog

    window = make_window()
    names = _names_of(indexed_photos) | _model_names()
    window.search_bar.field.setText("猫")
    with qtbot.waitSignal(window.controller.shown, timeout=TIMEOUT_MS):
        window.search_bar.field.returnPressed.emit()
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=TIMEOUT_MS)
    window.view.setCurrentIndex(window.model.index(0, 0))
    window.show_preview()
    qtbot.waitUntil(lambda: window.preview is not None and window.preview.isVisible(),
                    timeout=TIMEOUT_MS)
    qtbot.wait(300)  # the photo's details arrive from a worker
    dialogs: list[QWidget] = [window.preview]
    settings = SettingsDialog(window.engine, window)
    qtbot.addWidget(settings)
    settings.show()
    dialogs.append(settings)
    for action, kind in ((window.acts.shortcuts, ShortcutSheet),
                         (window.acts.how_to_search, HowToSearch)):
        action.trigger()
        found = window.findChild(kind)
        assert found is not None, f"{kind.__name__} did not open"
        qtbot.waitUntil(found.isVisible, timeout=TIMEOUT_MS)
        dialogs.append(found)
    left: list[str] = []
    for dialog in dialogs:
        left += english_left(dialog, names)
    assert not left, "English left in dialogs:\n" + "\n".join(left)


def test_the_tool_windows_are_chinese(chinese, make_window, indexed_photos: Path, qtbot) -> None:
    """Find Duplicates (once it has looked) and Evaluate Search Quality."""
    window = make_window()
    names = _names_of(indexed_photos) | _model_names()
    window.find_duplicates()
    duplicates = window.tool_windows["duplicates"]
    qtbot.waitUntil(lambda: not duplicates.cancel_button.isVisible(), timeout=TIMEOUT_MS)
    window.open_evaluation()
    left = english_left(duplicates, names) + english_left(window.tool_windows["evaluation"], names)
    assert not left, "English left in the tool windows:\n" + "\n".join(left)
