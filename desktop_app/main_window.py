"""The main window: composes the search bar, the grid, the panels and the menus.

It wires signals between the parts and does nothing slow itself: every request goes to the
engine (or to the task pools) and comes back as a signal.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QStackedWidget, QVBoxLayout, QWidget

from core.lifecycle.states import IndexingState, ModelState
from core.records import LibraryStatus, Photo, SearchResults
from core.search.filters import Filters
from core.search.request import Sort
from desktop_app import actions, words
from desktop_app.engine import Engine
from desktop_app.example_input import ExampleInput
from desktop_app.filter_bar import FilterBar
from desktop_app.folders_panel import FoldersPanel
from desktop_app.help_diagnostics import copy_diagnostics
from desktop_app.help_search import show_how_to_search
from desktop_app.help_shortcuts import show_shortcut_sheet
from desktop_app.menus import build_actions, fill_photo_menu
from desktop_app.model_download import ModelBanner
from desktop_app.notice_bar import NoticeBar
from desktop_app.preview import PreviewDialog
from desktop_app.results_model import FailedRole, ResultsModel
from desktop_app.results_view import SIZE_STEP, ResultsView
from desktop_app.search_bar import SearchBar
from desktop_app.search_controller import SearchController
from desktop_app.status_bar import StatusBar
from desktop_app.tags_panel import TagsPanel
from desktop_app.thumbnails import ThumbnailLoader
from desktop_app.welcome import WelcomePage
from desktop_app.window_drops import has_local_files


class MainWindow(QMainWindow):
    def __init__(self, engine: Engine, thumbnails_dir: Path) -> None:
        super().__init__()
        self.engine = engine
        self.tasks = engine.tasks
        self.setWindowTitle("PhotoSeek")
        self.resize(1200, 800)
        self.setAcceptDrops(True)

        self.loader = ThumbnailLoader(self.tasks, thumbnails_dir)
        self.model = ResultsModel(self.loader)
        self.search_bar = SearchBar(self)
        self.filter_bar = FilterBar(self)
        self.banner = ModelBanner(self)
        self.notice = NoticeBar(self)
        self.new_matches = NoticeBar(self)
        self.view = ResultsView(self.model, self)
        self.welcome = WelcomePage(self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.welcome)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.setSpacing(6)
        for widget in (self.search_bar, self.filter_bar, self.banner, self.notice,
                       self.new_matches):
            layout.addWidget(widget)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.folders = FoldersPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.folders)
        self.tags = TagsPanel(engine, self)  # below the library panel: folders are few
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.tags)
        self.splitDockWidget(self.folders, self.tags, Qt.Orientation.Vertical)
        self.resizeDocks([self.folders, self.tags], [1, 2], Qt.Orientation.Vertical)
        self.status = StatusBar(self)
        self.setStatusBar(self.status)
        self.preview: PreviewDialog | None = None
        self.tool_windows: dict[str, QWidget] = {}  # Tools menu windows, made on first use
        self.controller = SearchController(engine, self.model, self.new_matches)
        self.examples = ExampleInput(engine, self.search_bar, self.notice, self.add_folder)
        self.acts = build_actions(self, {
            "add_folder": self.folders.choose_folder, "paste": self.examples.paste,
            "remove_folder": self.folders.remove_selected,
            "cancel_download": engine.cancel_download, "retry_download": engine.load_model,
            "choose_weights": self.banner.choose_weights,
            "not_term": self.search_bar.exclude_typed_text,
            "settings": self.open_settings, "quit": self.close, "find": self.focus_search,
            "clear": self.search_bar.clear_step, "copy_path": self.copy_paths,
            "copy_image": self.copy_image, "select_all": self.view.selectAll,
            "open": self.open_selected, "preview": self.show_preview,
            "reveal": lambda: actions.reveal_files(
                self.tasks, self.selected_paths(), self.notice.show_message
            ),
            "find_similar": self.find_similar, "exclude_similar": self.exclude_similar,
            "bigger": lambda: self.view.set_thumbnail_size(self.view.thumbnail_size + SIZE_STEP),
            "smaller": lambda: self.view.set_thumbnail_size(self.view.thumbnail_size - SIZE_STEP),
            "pause": self.toggle_pause, "about": self.about,
            "shortcuts": lambda: show_shortcut_sheet(self),
            "how_to_search": lambda: show_how_to_search(self),
            "copy_diagnostics": lambda: copy_diagnostics(engine, self.status.showMessage),
            "find_duplicates": self.find_duplicates, "evaluate": self.open_evaluation,
        }, grid=self.view)
        self._connect()
        self._welcomed = True
        self._failed_count = -1  # failures are reloaded only when their number changes
        self._choices_for = -1  # the photo count the filter menus were last read for
        self._language_hint: str | None = None  # the last hint to switch models
        # Settings need the open library (its current model); until then OK would switch to
        # whatever model happens to be first in the list.
        self.acts.settings.setEnabled(False)
        self._model_state(ModelState.LOADING, "")
        self._size_save = QTimer(self)
        self._size_save.setSingleShot(True)
        self._size_save.setInterval(1000)
        self._size_save.timeout.connect(
            lambda: engine.save_settings(thumbnail_size=self.view.thumbnail_size)
        )
        self._selection_changed()
        self.search_bar.field.setFocus()

    def _connect(self) -> None:
        e, a = self.engine, self.acts
        self.search_bar.query_changed.connect(self.controller.run)
        self.search_bar.understood_removed.connect(self.search_bar.undo_understood)
        self.filter_bar.filters_changed.connect(self._filters_changed)
        self.filter_bar.sort_changed.connect(self.search_bar.set_sort)
        self.status.weaker_requested.connect(self.search_bar.set_weaker)
        self.controller.shown.connect(self._results_shown)
        self.controller.failed.connect(self.notice.show_message)
        e.opened.connect(self._opened)
        e.status_changed.connect(self._status_changed)
        e.photos_found.connect(self._photos_found)
        e.model_state.connect(self.banner.show_state)
        e.model_state.connect(self._model_state)
        e.download_progress.connect(self.banner.show_download)
        e.index_progress.connect(self.status.show_progress)
        e.indexing_state.connect(self.status.show_state)
        e.indexing_state.connect(self._indexing_state)
        e.failures_loaded.connect(self.folders.show_failures)
        e.message.connect(self.notice.show_message)
        e.folder_removed.connect(self.controller.rerun)
        self.banner.cancel_requested.connect(e.cancel_download)
        self.banner.retry_requested.connect(e.load_model)
        self.banner.choose_requested.connect(self.ask_model_choice)
        # A chosen file goes through Settings, which finds its architecture and checks it.
        self.banner.weights_chosen.connect(self.use_weights_file)
        self.folders.add_requested.connect(self.add_folder)
        self.folders.remove_requested.connect(e.forget_folder)
        self.folders.folder_selected.connect(e.prioritise_folder)
        self.folders.folder_chosen.connect(self.filter_bar.set_folder)
        self.folders.selection_changed.connect(
            lambda: a.remove_folder.setEnabled(self.folders.selected_folder() is not None)
        )
        self.search_bar.field.paste_requested.connect(self.examples.paste)
        self.search_bar.field.files_dropped.connect(self.examples.drop)
        self.search_bar.field.textChanged.connect(
            lambda text: a.not_term.setEnabled(bool(text.strip()))
        )
        self.welcome.folder_chosen.connect(self.add_folder)
        self.welcome.dismissed.connect(self._welcome_dismissed)
        self.welcome.help_requested.connect(lambda: show_how_to_search(self))
        # A model chosen from the banner, after the welcome: back to the photos, not the welcome
        self.welcome.model_chosen.connect(
            lambda _model: self.stack.setCurrentWidget(self.view) if self._welcomed else None)
        self.view.preview_requested.connect(self.show_preview)
        self.view.open_requested.connect(self.open_selected)
        self.view.size_changed.connect(self._size_changed)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.status.size_slider.setValue(self.view.thumbnail_size)
        self.status.size_slider.valueChanged.connect(self.view.set_thumbnail_size)
        self.status.pause_button.clicked.connect(self.toggle_pause)
        a.library_panel.setChecked(True)
        a.library_panel.toggled.connect(self.folders.setVisible)
        self.folders.visibilityChanged.connect(a.library_panel.setChecked)
        self.tags.tags_chosen.connect(self.filter_bar.set_tags)
        a.tags_panel.setChecked(True)
        a.tags_panel.toggled.connect(self.tags.setVisible)
        self.tags.visibilityChanged.connect(a.tags_panel.setChecked)

    # -- library ------------------------------------------------------------------------------

    def _opened(self, status: LibraryStatus) -> None:
        settings = self.engine.settings
        assert settings is not None
        self.view.set_thumbnail_size(settings.thumbnail_size)
        self.acts.settings.setEnabled(True)
        self._welcomed = settings.welcomed or bool(status.folders)
        self._status_changed(status)
        if not self._welcomed:
            self.stack.setCurrentWidget(self.welcome)
        self.controller.rerun()

    def _status_changed(self, status: LibraryStatus) -> None:
        self.folders.show_status(status)
        if status.photos != self._choices_for:  # the menus follow the library as it grows
            self._choices_for = status.photos
            self.engine.filter_choices(self.filter_bar.set_choices)
        self.status.show_library(status)
        not_read = status.failed + status.unread
        if not_read != self._failed_count:  # not on every progress tick: 5k rows cost
            self._failed_count = not_read
            if not_read:
                self.engine.load_failures()
            else:
                self.folders.show_failures([])

    def _indexing_state(self, state: IndexingState, _error: object) -> None:
        if state is IndexingState.IDLE:  # places may have been named since: menus follow
            self.engine.filter_choices(self.filter_bar.set_choices)

    def _filters_changed(self, filters: Filters) -> None:
        if not filters.folders:  # the folder filter went (its chip, Clear Filters)
            self.folders.tree.clearSelection()
        self.tags.set_chosen(filters.tags)  # a tag chip removed: the panel follows
        self.search_bar.set_filters(filters)

    def _photos_found(self) -> None:
        if not self.controller.draft.has_query and self.model.rowCount() == 0:
            self.controller.rerun()  # first photos of a new library: show them

    def add_folder(self, path: str) -> None:
        self.stack.setCurrentWidget(self.view)
        self._welcome_dismissed()
        self.engine.add_folder(path)

    def ask_model_choice(self) -> None:
        """The welcome's model choice (the banner stands aside while it shows)."""
        self.welcome.ask_model_choice(self.engine)
        self.stack.setCurrentWidget(self.welcome)
        self.banner.hide()

    def _welcome_dismissed(self) -> None:
        self.stack.setCurrentWidget(self.view)
        if self.engine.session.model_state is ModelState.CHOOSING:
            # Left for the folders without choosing: the banner keeps the question open.
            self.banner.show_state(ModelState.CHOOSING, "")
        if not self._welcomed:
            self._welcomed = True
            self.engine.save_settings(welcomed=True)

    # -- results ------------------------------------------------------------------------------

    def _results_shown(self, results: SearchResults) -> None:
        draft = self.controller.draft
        # Words that were all filters ("photos from my iPhone") browse too.
        browsing = not draft.has_query or results.browsed
        filtered = not draft.filters.is_empty or bool(results.understood)
        self.search_bar.show_understood(results.understood if draft.text.strip() else ())
        self._hint_language(draft.text)
        self.filter_bar.set_browsing(browsing)
        if browsing and not results.hits and not filtered:
            self.status.show_nothing()
        else:
            self.status.show_results(results, browsing=browsing, filtered=filtered,
                                     oldest_first=draft.sort is Sort.OLDEST)
        loading = not self.engine.model_ready
        if filtered and results.candidates == 0:
            understood = self.tr(", ", "list separator").join(
                chip.label for chip in results.understood)
            self.view.empty_text = (
                self.tr("No photos pass these filters (with {0}, understood from the words)."
                        ).format(understood) if understood
                else self.tr("No photos pass these filters."))
        elif browsing and filtered:
            self.view.empty_text = self.tr("No photos pass these filters.")
        elif browsing:
            self.view.empty_text = self.tr("No photos yet: add a folder (File ▸ Add Folder…) "
                                           "or drop one here.")
        elif draft.images and loading:
            self.view.empty_text = self.tr("The search model is still loading: photos like "
                                           "this one appear here as soon as it is ready.")
        elif not results.ranked and loading:
            self.view.empty_text = self.tr("No file or folder name matches yet. The search "
                                           "model is still loading: photos that match by what "
                                           "they show appear here as soon as it is ready.")
        elif not results.ranked:
            self.view.empty_text = self.tr("No file or folder name matches. Photos are still "
                                           "being indexed: matches by what they show appear "
                                           "as they are.")
        else:
            self.view.empty_text = self.tr("No matching photos. Help ▸ How to Search has tips.")
        self.view.viewport().update()
        if self.preview is not None and self.preview.isVisible():
            self._sync_preview()

    def _hint_language(self, text: str) -> None:
        """Once per language and model: a query the model cannot read gets a hint to switch."""
        library = self.engine.library
        hint = words.script_hint(text, library.model_name) if library is not None else None
        if hint is not None and hint != self._language_hint:
            self._language_hint = hint
            self.notice.show_message(hint)

    def selected_photos(self) -> list[Photo]:
        return [self.model.photo(r) for r in self.view.selected_rows()]

    def selected_paths(self) -> list[Path]:
        return [p.path for p in self.selected_photos()]

    def _selection_changed(self, *_args: object) -> None:
        has = bool(self.view.selected_rows())
        for action in self.acts.photo_actions():
            action.setEnabled(has)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid() and not self.view.selectionModel().isSelected(index):
            self.view.setCurrentIndex(index)
        if not self.view.selected_rows():
            return
        menu = QMenu(self)
        fill_photo_menu(menu, self.acts)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def open_selected(self) -> None:
        # A video found by a frame opens at that moment where the player allows it.
        hits = [self.model.hit(row) for row in self.view.selected_rows()]
        moments = {h.photo.path: h.moment for h in hits if h.moment is not None}
        actions.open_files(self.tasks, self.selected_paths(), self.notice.show_message, moments)

    def copy_paths(self) -> None:
        paths = self.selected_paths()
        if paths:
            actions.copy_paths(paths)

    def copy_image(self) -> None:
        paths = self.selected_paths()
        if paths:
            actions.copy_image(self.tasks, paths[0])

    def find_similar(self) -> None:
        """More Like This: the selected photos join the query as examples; the words typed,
        the other chips and the filters stay."""
        paths = self.selected_paths()
        if paths:
            self.search_bar.add_images(paths, replace_all=False)

    def exclude_similar(self) -> None:
        """Less Like This: the selected photos join the query as terms to steer away from."""
        for path in self.selected_paths():
            self.search_bar.add_negative(str(path))

    def focus_search(self) -> None:
        self.search_bar.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_bar.field.selectAll()

    # -- preview ------------------------------------------------------------------------------

    def show_preview(self) -> None:
        rows = self.view.selected_rows()
        if not rows:
            return
        if self.preview is None:
            self.preview = PreviewDialog(self.tasks, self, engine=self.engine)
            self.preview.navigate.connect(self._preview_step)
            self.preview.tag_chosen.connect(self.filter_bar.choose_tag)
            self.preview.words_chosen.connect(self.search_bar.set_text)
        if not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.model.index(rows[0], 0))
        self._sync_preview()

    def _sync_preview(self) -> None:
        index = self.view.currentIndex()
        if self.preview is None or not index.isValid():
            return
        thumb = index.data(Qt.ItemDataRole.DecorationRole)
        problem = index.data(FailedRole) or None
        hit = self.model.hit(index.row())
        self.preview.show_photo(hit.photo, thumb, problem, hit if self.model.ranked else None)

    def _preview_step(self, step: int) -> None:
        row = self.view.currentIndex().row() + step
        if 0 <= row < self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(row, 0))
            self._sync_preview()

    # -- drops and paste ----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if has_local_files(event.mimeData()):  # names only; the drop itself looks closer
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        if self.examples.drop(event.mimeData()):
            event.acceptProposedAction()

    def paste(self) -> None:
        self.examples.paste()

    def _model_state(self, state: ModelState, _message: str) -> None:
        if state is ModelState.CHOOSING:  # a first start: which model to download?
            self.ask_model_choice()
        downloading = state in (ModelState.DOWNLOADING, ModelState.SWITCHING)
        self.acts.cancel_download.setEnabled(downloading)
        self.acts.retry_download.setEnabled(state in (ModelState.FAILED, ModelState.CANCELLED))
        self.acts.choose_weights.setEnabled(not downloading)

    # -- settings, pause, about, close --------------------------------------------------------

    def open_settings(self) -> None:
        self.use_weights_file("")

    def use_weights_file(self, path: str) -> None:
        """Open Settings; with a path, it reads that weights file (architecture, check)."""
        from desktop_app.settings_dialog import SettingsDialog

        if self.engine.library is None or self.engine.settings is None:
            return  # not open yet, or reopening: nothing to show the current values of

        dialog = SettingsDialog(self.engine, self)
        dialog.open()
        if path:
            dialog.weights.use_file(path)

    def toggle_pause(self) -> None:
        if self.engine.paused:
            self.engine.resume()
        else:
            self.engine.pause()
        paused = self.engine.paused
        self.acts.pause.setChecked(paused)
        self.acts.pause.setText(self.tr("&Resume Indexing") if paused
                                else self.tr("&Pause Indexing"))
        self.status.show_paused(paused)

    def _size_changed(self, side: int) -> None:
        self.status.size_slider.blockSignals(True)
        self.status.size_slider.setValue(side)
        self.status.size_slider.blockSignals(False)
        self._size_save.start()

    # -- tools --------------------------------------------------------------------------------

    def find_duplicates(self) -> None:
        from desktop_app.duplicates_window import DuplicatesWindow

        window = self.tool_windows.get("duplicates")
        if not isinstance(window, DuplicatesWindow):
            window = DuplicatesWindow(self.engine, self.loader, self)
            window.photos_removed.connect(self._photos_removed)
            self.tool_windows["duplicates"] = window
        if not window.isVisible():
            window.show()
            window.start()  # each opening looks again: the library may have changed
        window.raise_()
        window.activateWindow()

    def _photos_removed(self, _paths: list[Path]) -> None:
        """Photos went to the trash from a tool window: the grid and the counts follow."""
        self.controller.rerun()
        self.engine.refresh_status()

    def open_evaluation(self) -> None:
        from desktop_app.evaluation_dialog import EvaluationDialog

        dialog = self.tool_windows.get("evaluation")
        if not isinstance(dialog, EvaluationDialog):
            dialog = EvaluationDialog(self.engine, self)
            self.tool_windows["evaluation"] = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def about(self) -> None:
        QMessageBox.about(
            self, self.tr("About PhotoSeek"),
            self.tr("PhotoSeek finds photos on this computer by description or by example.\n"
                    "Everything runs locally; nothing is uploaded."),
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.preview is not None:
            self.preview.close()
        for window in self.tool_windows.values():
            window.close()  # closing cancels what they were doing
        super().closeEvent(event)
