"""Every command as a QAction with its shortcut, placed in the menus (and the grid's context
menu), so that each is reachable from the keyboard and from a menu."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from desktop_app.i18n import translate

Key = QKeySequence.StandardKey


@dataclass
class WindowActions:
    add_folder: QAction
    remove_folder: QAction
    paste_image: QAction
    cancel_download: QAction
    retry_download: QAction
    choose_weights: QAction
    not_term: QAction
    settings: QAction
    quit: QAction
    find: QAction
    clear: QAction
    copy_path: QAction
    copy_image: QAction
    select_all: QAction
    open: QAction
    preview: QAction
    reveal: QAction
    find_similar: QAction
    exclude_similar: QAction
    bigger: QAction
    smaller: QAction
    library_panel: QAction
    tags_panel: QAction
    pause: QAction
    find_duplicates: QAction
    evaluate: QAction
    shortcuts: QAction
    how_to_search: QAction
    copy_diagnostics: QAction
    about: QAction

    def photo_actions(self) -> list[QAction]:
        """Actions that need selected results (disabled when nothing is selected)."""
        return [self.open, self.preview, self.reveal, self.copy_path, self.copy_image,
                self.find_similar, self.exclude_similar]


def unique_keys(shortcuts: list[QKeySequence | Key | str]) -> list[QKeySequence]:
    """The key sequences, each once. A standard key is Ctrl+Q on one platform and nothing on
    another, so it is listed beside the explicit one; where both are the same, Qt would see an
    ambiguous shortcut and trigger neither (Ctrl+Q once quit nothing)."""
    unique: dict[str, QKeySequence] = {}
    for shortcut in shortcuts:
        for sequence in (
            QKeySequence.keyBindings(shortcut) if isinstance(shortcut, Key)
            else [QKeySequence(shortcut)]
        ):
            if not sequence.isEmpty():
                unique.setdefault(sequence.toString(), sequence)
    return list(unique.values())


def _action(
    window: QMainWindow,
    text: str,
    slot: Callable[[], object],
    shortcuts: list[QKeySequence | Key | str] | None = None,
    tip: str = "",
) -> QAction:
    action = QAction(text, window)
    if shortcuts:
        action.setShortcuts(unique_keys(shortcuts))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)  # shortcuts work even when the menu bar is hidden
    return action


def build_actions(
    window: QMainWindow, slots: dict[str, Callable[[], object]], grid: QWidget
) -> WindowActions:
    """The window's actions, in its menus; Enter and Space (open, preview) act on ``grid``."""
    a = WindowActions(
        add_folder=_action(window, translate("Menus", "&Add Folder…"), slots["add_folder"],
                           ["Ctrl+O"]),
        remove_folder=_action(
            window, translate("Menus", "&Remove Folder…"), slots["remove_folder"], [],
            translate("Menus", "Remove the folder selected in the library panel (files stay)")),
        cancel_download=_action(window, translate("Menus", "&Cancel Model Download"),
                                slots["cancel_download"]),
        retry_download=_action(window, translate("Menus", "&Retry Model Download"),
                               slots["retry_download"]),
        choose_weights=_action(
            window, translate("Menus", "Choose &Weights File…"), slots["choose_weights"], [],
            translate("Menus", "Load the model from a weights file on this computer")),
        not_term=_action(
            window, translate("Menus", "&Not… (Exclude Typed Words)"), slots["not_term"],
            ["Ctrl+N"],
            translate("Menus", "Turn the typed words into a 'not' term: steer away from them")),
        paste_image=_action(
            window, translate("Menus", "&Paste Image to Search"), slots["paste"], [Key.Paste],
            translate("Menus", "Find photos similar to the image on the clipboard")),
        settings=_action(window, translate("Menus", "&Settings…"), slots["settings"],
                         [Key.Preferences, "Ctrl+,"]),
        quit=_action(window, translate("Menus", "&Quit"), slots["quit"], [Key.Quit, "Ctrl+Q"]),
        find=_action(window, translate("Menus", "&Find"), slots["find"], ["Ctrl+F", "Ctrl+L"]),
        clear=_action(window, translate("Menus", "C&lear Search"), slots["clear"], ["Esc"]),
        copy_path=_action(window, translate("Menus", "&Copy Path"), slots["copy_path"],
                          [Key.Copy]),
        copy_image=_action(window, translate("Menus", "Copy &Image"), slots["copy_image"],
                           ["Ctrl+Shift+C"]),
        select_all=_action(window, translate("Menus", "Select &All"), slots["select_all"],
                           [Key.SelectAll]),
        open=_action(window, translate("Menus", "&Open"), slots["open"], ["Return", "Enter"],
                     translate("Menus", "Open with the default app")),
        preview=_action(window, translate("Menus", "&Preview"), slots["preview"], ["Space"],
                        translate("Menus", "Show large")),
        reveal=_action(window, translate("Menus", "Show in &Folder"), slots["reveal"],
                       ["Ctrl+Shift+R"]),
        find_similar=_action(
            window, translate("Menus", "&More Like This"), slots["find_similar"],
            ["Ctrl+Shift+S"],
            translate("Menus", "Add the selected photos to the search as examples")),
        exclude_similar=_action(
            window, translate("Menus", "&Less Like This"), slots["exclude_similar"], [],
            translate("Menus", "Steer the search away from the selected photos")),
        bigger=_action(window, translate("Menus", "&Larger Thumbnails"), slots["bigger"],
                       [Key.ZoomIn, "Ctrl+="]),
        smaller=_action(window, translate("Menus", "S&maller Thumbnails"), slots["smaller"],
                        [Key.ZoomOut]),
        library_panel=QAction(translate("Menus", "&Library Panel"), window),
        tags_panel=QAction(translate("Menus", "&Tags Panel"), window),
        pause=_action(window, translate("Menus", "&Pause Indexing"), slots["pause"],
                      ["Ctrl+P"]),
        find_duplicates=_action(
            window, translate("Menus", "Find &Duplicates…"), slots["find_duplicates"],
            ["Ctrl+Shift+D"],
            translate("Menus", "Find copies of the same photo and review them")),
        evaluate=_action(
            window, translate("Menus", "&Evaluate Search Quality…"), slots["evaluate"], [],
            translate("Menus", "Measure how well models find the photos of a labelled folder")),
        shortcuts=_action(
            window, translate("Menus", "&Keyboard Shortcuts"), slots["shortcuts"],
            ["F1", Key.HelpContents],
            translate("Menus", "Every key PhotoSeek answers to, by menu")),
        how_to_search=_action(
            window, translate("Menus", "&How to Search"), slots["how_to_search"], [],
            translate("Menus", "Words, photos, 'not', weights, filters, text in photos, tags")),
        copy_diagnostics=_action(
            window, translate("Menus", "&Copy Diagnostics"), slots["copy_diagnostics"], [],
            translate("Menus", "Copy the versions, model, counts and log file's place, "
                               "for a bug report")),
        about=_action(window, translate("Menus", "&About PhotoSeek"), slots["about"]),
    )
    # Esc clears the search only when focus is in the main window: a preview's Esc is its own.
    a.clear.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    a.library_panel.setCheckable(True)
    a.tags_panel.setCheckable(True)
    a.tags_panel.setShortcut(QKeySequence("Ctrl+T"))
    a.tags_panel.setStatusTip(
        translate("Menus", "Show or hide the tags: click one to show its photos"))
    window.addAction(a.tags_panel)  # its shortcut works even when the menu bar is hidden
    a.pause.setCheckable(True)
    # Enter and Space act only while the grid has focus (a widget shortcut on it), so the
    # search field still types spaces and searches on Enter; the menus show the keys anyway.
    for action in (a.open, a.preview):
        window.removeAction(action)
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        grid.addAction(action)
        action.setShortcutVisibleInContextMenu(True)
    bar = window.menuBar()
    file_menu = bar.addMenu(translate("Menus", "&File"))
    for action in (a.add_folder, a.remove_folder, a.paste_image):
        file_menu.addAction(action)
    file_menu.addSeparator()
    file_menu.addAction(a.settings)
    file_menu.addSeparator()
    file_menu.addAction(a.quit)
    edit = bar.addMenu(translate("Menus", "&Edit"))
    for action in (a.find, a.not_term, a.clear, a.copy_path, a.copy_image, a.select_all):
        edit.addAction(action)
    photo = bar.addMenu(translate("Menus", "&Photo"))
    fill_photo_menu(photo, a)
    view = bar.addMenu(translate("Menus", "&View"))
    for action in (a.bigger, a.smaller, a.library_panel, a.tags_panel):
        view.addAction(action)
    indexing = bar.addMenu(translate("Menus", "&Indexing"))
    indexing.addAction(a.pause)
    indexing.addSeparator()
    for action in (a.cancel_download, a.retry_download, a.choose_weights):
        indexing.addAction(action)
    a.remove_folder.setEnabled(False)  # until a folder is selected in the library panel
    a.not_term.setEnabled(False)  # until words are typed
    tools = bar.addMenu(translate("Menus", "&Tools"))
    for action in (a.find_duplicates, a.evaluate):
        tools.addAction(action)
    help_menu = bar.addMenu(translate("Menus", "&Help"))
    for action in (a.shortcuts, a.how_to_search, a.copy_diagnostics):
        help_menu.addAction(action)
    help_menu.addSeparator()
    help_menu.addAction(a.about)
    return a


def fill_photo_menu(menu: QMenu, a: WindowActions) -> None:
    for action in (a.open, a.preview, a.reveal):
        menu.addAction(action)
    menu.addSeparator()
    for action in (a.copy_path, a.copy_image):
        menu.addAction(action)
    menu.addSeparator()
    for action in (a.find_similar, a.exclude_similar):
        menu.addAction(action)
