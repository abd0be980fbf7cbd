"""Help ▸ Keyboard Shortcuts (F1): a table of every key the window answers to, by menu.

The rows are read from the window's own menus and actions each time the sheet opens, never
written out by hand, so a command added, removed or given another key shows up here at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop_app.i18n import translate

# Languages without letters for mnemonics put the key after the words: "文件(&F)".
_TRAILING_MNEMONIC = re.compile(r"\s*\(&[^&\s]\)")


@dataclass(frozen=True)
class ShortcutRow:
    command: str  # as the menu shows it, without the & of its mnemonic
    keys: str  # every key that triggers it, as this platform writes them ("Ctrl+F, Ctrl+L")


def plain_text(action: QAction) -> str:
    """A menu text without its mnemonic marks ("&Find" -> "Find", "查找(&F)" -> "查找"; "&&" is
    a real "&")."""
    text = _TRAILING_MNEMONIC.sub("", action.text().replace("&&", "\0"))
    return text.replace("&", "").replace("\0", "&")


def _keys(action: QAction) -> str:
    native = QKeySequence.SequenceFormat.NativeText
    names = [key.toString(native) for key in action.shortcuts() if not key.isEmpty()]
    # Each once: Return and Enter are two keys with one name in some languages (回车, 回车)
    return ", ".join(dict.fromkeys(names))


def _menu_actions(menu: QMenu) -> list[QAction]:
    """The commands of a menu and of its submenus, in menu order (no separators)."""
    found: list[QAction] = []
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            found += _menu_actions(sub)
        elif not action.isSeparator():
            found.append(action)
    return found


def shortcut_groups(window: QMainWindow) -> list[tuple[str, list[ShortcutRow]]]:
    """(menu title, its commands that have a key), in menu-bar order; then the window's other
    actions with a key (they work with the menu bar hidden too). Menus without keys are left out.
    """
    groups: list[tuple[str, list[ShortcutRow]]] = []
    seen: set[int] = set()
    for top in window.menuBar().actions():
        menu = top.menu()
        if not isinstance(menu, QMenu):
            continue
        rows = []
        for action in _menu_actions(menu):
            seen.add(id(action))
            if keys := _keys(action):
                rows.append(ShortcutRow(plain_text(action), keys))
        if rows:
            groups.append((plain_text(top), rows))
    others = [ShortcutRow(plain_text(a), _keys(a)) for a in window.actions()
              if id(a) not in seen and _keys(a) and a.text()]
    if others:
        # the actions with a key that sit in no menu
        groups.append((translate("ShortcutSheet", "Elsewhere"), others))
    return groups


class ShortcutSheet(QDialog):
    """The table of keys; Esc (or Close) closes it. Rebuilt by ``refresh`` on every opening."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.setWindowTitle(self.tr("Keyboard Shortcuts"))
        self.resize(520, 600)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("Command"), self.tr("Keys")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def refresh(self) -> None:
        self.table.setRowCount(0)
        for title, rows in shortcut_groups(self._window):
            heading = QTableWidgetItem(title)
            font = QFont(heading.font())
            font.setBold(True)
            heading.setFont(font)
            self._append(heading, QTableWidgetItem(""))
            self.table.setSpan(self.table.rowCount() - 1, 0, 1, 2)
            for row in rows:
                self._append(QTableWidgetItem(row.command), QTableWidgetItem(row.keys))

    def _append(self, command: QTableWidgetItem, keys: QTableWidgetItem) -> None:
        n = self.table.rowCount()
        self.table.insertRow(n)
        self.table.setItem(n, 0, command)
        self.table.setItem(n, 1, keys)

    def rows(self) -> list[tuple[str, str]]:
        """What the table shows, row by row (headings have empty keys)."""
        def text(row: int, column: int) -> str:
            item = self.table.item(row, column)
            return item.text() if item is not None else ""

        return [(text(r, 0), text(r, 1)) for r in range(self.table.rowCount())]


def show_shortcut_sheet(window: QMainWindow) -> ShortcutSheet:
    """The window's sheet (made once), refreshed, shown and raised."""
    sheet = window.findChild(ShortcutSheet)
    if not isinstance(sheet, ShortcutSheet):
        sheet = ShortcutSheet(window)
    sheet.refresh()
    sheet.show()
    sheet.raise_()
    sheet.activateWindow()
    return sheet

