"""Runs the user's query and puts its answers in the grid, calmly.

- A newer query supersedes the older one (the task key "search"): its answers are dropped.
- The first answer of a new query resets the grid and scrolls to the top (the old scroll
  position means nothing for other photos); the exact answer of the same query then replaces
  the fast one in place (ResultsModel.replace), keeping selection and scroll position.
- While indexing adds photos, the open query is re-run quietly (key "refresh") at most every
  two seconds; if photos the grid lacks now rank among its best ``NEW_MATCH_RANKS`` answers, a
  bar offers them ("3 new matches") instead of reshuffling what the user is looking at. (Every
  newly indexed photo appears somewhere in a long ranked list: only those near the top are
  news.) While browsing, every new photo counts.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from core.lifecycle.states import ModelState
from core.records import SearchResults
from core.search.request import Sort
from desktop_app.engine import Engine
from desktop_app.i18n import number
from desktop_app.notice_bar import NoticeBar
from desktop_app.results_model import ResultsModel
from desktop_app.search_bar import QueryDraft

REFRESH_EVERY_S = 2.0
NEW_MATCH_RANKS = 100


class SearchController(QObject):
    shown = Signal(object)  # SearchResults just painted
    failed = Signal(str)  # a message for the user (unreadable example photo, ...)

    def __init__(self, engine: Engine, model: ResultsModel, new_bar: NoticeBar) -> None:
        super().__init__()
        self._engine = engine
        self._model = model
        self._bar = new_bar
        self.draft = QueryDraft()
        self.last: SearchResults | None = None
        self.ranked = False  # whether the grid shows answers ranked by similarity
        self._pending: SearchResults | None = None
        # What the grid shows answers to: (draft, ranked). A different one means a new query.
        self._shown_for: tuple[QueryDraft, bool] | None = None
        self._last_refresh = 0.0
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.timeout.connect(self._refresh)
        engine.library_grew.connect(self._library_grew)
        engine.model_state.connect(self._model_state)

    def run(self, draft: QueryDraft) -> None:
        self.draft = draft
        self._pending = None
        self._bar.hide()
        self._refresh_timer.stop()
        self._engine.tasks.cancel_key("refresh")
        if not draft.has_query:
            self._engine.browse(self._show, asked=draft)
        else:
            self._engine.search(draft, self._show, self._error)

    def rerun(self) -> None:
        self.run(self.draft)

    def _show(self, results: SearchResults) -> None:
        self.last = results
        self.ranked = results.ranked and self.draft.has_query
        # Photos in date order read as a timeline: grouped under month headers.
        grouped = not self.ranked or self.draft.sort is not Sort.RELEVANCE
        shown_for = (self.draft, self.ranked)
        if shown_for != self._shown_for:
            self._shown_for = shown_for
            # A new query: the view scrolls to the top.
            self._model.reset(results.hits, ranked=self.ranked, grouped=grouped)
        else:  # the refinement of the same query, or new matches applied: in place
            self._model.replace(results.hits, ranked=self.ranked, grouped=grouped)
        self.shown.emit(results)

    def _error(self, exc: BaseException) -> None:
        from core.errors import PhotoSeekError

        if not isinstance(exc, PhotoSeekError):
            raise exc  # a bug: TaskRunner logs it with its traceback
        self._shown_for = None
        self._model.reset([], ranked=False)
        self.failed.emit(str(exc))

    # -- new matches while indexing -----------------------------------------------------------

    def _model_state(self, state: ModelState, _message: str) -> None:
        if state is ModelState.READY and self.draft.has_query:
            self.rerun()  # name matches until now: the real answer replaces them

    def _library_grew(self, _count: int) -> None:
        if self._refresh_timer.isActive():
            return
        wait = max(0.0, REFRESH_EVERY_S - (time.monotonic() - self._last_refresh))
        self._refresh_timer.start(int(wait * 1000))

    def _refresh(self) -> None:
        self._last_refresh = time.monotonic()
        draft = self.draft
        if not draft.has_query:
            self._engine.browse(self._refreshed, key="refresh", asked=draft)
        elif self._engine.model_ready:
            self._engine.search(draft, self._refreshed_item, lambda _exc: None, key="refresh")

    def _refreshed_item(self, results: SearchResults) -> None:
        if results.exact:
            self._refreshed(results)

    def _refreshed(self, results: SearchResults) -> None:
        if self._model.rowCount() == 0:
            self._show(results)  # nothing on screen to disturb
            return
        shown = self._model.photo_ids()
        browsing = not self.draft.has_query
        ranks = results.hits if browsing else results.hits[:NEW_MATCH_RANKS]
        new = sum(1 for h in ranks if h.photo.id not in shown)
        if new == 0:
            return
        self._pending = results
        if browsing:
            text = (self.tr("{0} new photo found while indexing.") if new == 1
                    else self.tr("{0} new photos found while indexing."))
        else:
            text = (self.tr("{0} new match found while indexing.") if new == 1
                    else self.tr("{0} new matches found while indexing."))
        self._bar.show_message(text.format(number(new)), [(self.tr("Show"), self.apply_new)])

    def apply_new(self) -> None:
        if self._pending is not None:
            self._show(self._pending)
            self._pending = None
        self._bar.hide()
