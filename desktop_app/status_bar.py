"""The status bar: result count and search time, indexing progress, pause/resume.

Progress arrives from the engine at most every 100 ms, already throttled.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSlider,
    QStatusBar,
    QWidget,
)

from core.lifecycle.states import IndexingState
from core.records import PHASE_WORDS, IndexProgress, LibraryStatus, SearchResults
from desktop_app import words
from desktop_app.i18n import number


class StatusBar(QStatusBar):
    weaker_requested = Signal(bool)  # show (True) or hide the matches below the cut-off

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._weaker_shown = False
        self.results_label = QLabel(self)
        self.results_label.setObjectName("results")
        # The count takes the room its words need while the line has some; a long one is cut
        # rather than widening the window past the screen: its minimum is set, not its text's
        # (Ignored cut every count longer than the minimum, with half the line empty).
        self.results_label.setSizePolicy(QSizePolicy.Policy.Preferred,
                                         QSizePolicy.Policy.Preferred)
        self.results_label.setMinimumWidth(80)
        self.addWidget(self.results_label)
        self.weaker_button = QPushButton(self.tr("Show Weaker Matches"), self)
        self.weaker_button.setFlat(True)
        self.weaker_button.setToolTip(self.tr("Also show the photos that match less well, "
                                              "ranked"))
        self.weaker_button.clicked.connect(
            lambda: self.weaker_requested.emit(not self._weaker_shown)
        )
        self.weaker_button.hide()
        self.addWidget(self.weaker_button)
        self.addWidget(QWidget(self), 1)  # the rest of the line: the counts stay left
        self.index_label = QLabel(self)
        self.addPermanentWidget(self.index_label)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.addPermanentWidget(self.progress)
        self.pause_button = QPushButton(self.tr("Pause"), self)
        self.pause_button.setCheckable(True)
        self.pause_button.setToolTip(self.tr("Pause or resume indexing"))
        self.pause_button.setFlat(True)
        self.pause_button.hide()
        self.addPermanentWidget(self.pause_button)
        self.size_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.size_slider.setRange(64, 512)
        self.size_slider.setFixedWidth(110)
        self.size_slider.setToolTip(self.tr("Thumbnail size (Ctrl+scroll over the grid)"))
        self.size_slider.setAccessibleName(self.tr("Thumbnail size"))
        self.addPermanentWidget(self.size_slider)
        self._status: LibraryStatus | None = None
        self._results: SearchResults | None = None
        self._browsing = False
        self._filtered = False
        self._oldest_first = False
        self._indexing = False
        self._note = ""  # why nothing is being indexed here (standby, waiting for the model)

    def show_nothing(self) -> None:
        self._results = None
        self.results_label.setText("")
        self.results_label.setToolTip("")
        self.weaker_button.hide()

    def show_results(
        self,
        results: SearchResults,
        browsing: bool = False,
        filtered: bool = False,
        oldest_first: bool = False,
    ) -> None:
        """The result count: for browsing, against the library's size (which grows while
        indexing finds photos, so the count never goes stale); for a query, how many really
        match, with the way to the weaker ones."""
        self._results, self._browsing, self._filtered = results, browsing, filtered
        self._oldest_first = oldest_first
        self._show_results()

    def show_weaker_offer(self, shown: bool) -> None:
        self.weaker_button.setVisible(shown)

    def _show_results(self) -> None:
        results = self._results
        if results is None:
            return
        count = len(results.hits)
        ms = number(results.seconds * 1000)
        refining = "" if results.exact else self.tr(" — refining…")
        library = number(self._status.photos if self._status is not None else 0)
        offer = False
        order = self.tr("oldest first") if self._oldest_first else self.tr("newest first")
        if self._browsing:
            passing = results.matches if results.matches is not None else count
            if self._filtered:
                text = (self.tr("{0} of {1} photos passes the filters, {2}") if passing == 1
                        else self.tr("{0} of {1} photos pass the filters, {2}")
                        ).format(number(passing), library, order)
            elif self._status is not None and self._status.photos > count:
                text = self.tr("{0} of {1} photos shown, {2}").format(number(count), library,
                                                                      order)
            else:
                text = (self.tr("{0} photo in the library, {1}") if count == 1
                        else self.tr("{0} photos in the library, {1}")
                        ).format(number(count), order)
        elif not results.ranked:
            text = (self.tr("{0} photo by file name and date in {1} ms{2}") if count == 1
                    else self.tr("{0} photos by file name and date in {1} ms{2}")
                    ).format(number(count), ms, refining)
        else:
            text, offer = self._ranked_text(results, count, ms, refining)
        if results.dated_by_file and (self._browsing or self._filtered):
            text += self.tr(" · {0} dated by the file's time (no date taken in the photo)"
                            ).format(number(results.dated_by_file))
        self.results_label.setText(text)
        self.results_label.setToolTip(text)
        self._weaker_shown = any(not h.match for h in results.hits)
        self.weaker_button.setText(
            self.tr("Hide Weaker Matches") if self._weaker_shown
            else self.tr("Show Weaker Matches")
        )
        self.weaker_button.setVisible(offer)

    def _ranked_text(
        self, results: SearchResults, count: int, ms: str, refining: str
    ) -> tuple[str, bool]:
        matches = results.matches if results.matches is not None else count
        others = (results.candidates or 0) - matches
        named = sum(1 for h in results.hits if h.name_match)
        by_text = sum(1 for h in results.hits if h.text_match and not h.name_match)
        if results.candidates == 0 and self._filtered:
            text = self.tr("No photo passes these filters")
        elif matches == 0 and count == 0:
            text = self.tr("No photo matches")
        elif matches == 0:
            text = (self.tr("No photo matches well; the nearest is shown") if count == 1
                    else self.tr("No photo matches well; the {0} nearest are shown"
                                 ).format(number(count)))
        else:
            text = (self.tr("{0} match") if matches == 1 else self.tr("{0} matches")
                    ).format(number(matches))
            if count < matches and not any(not h.match for h in results.hits):
                text += self.tr(" ({0} shown)").format(number(count))
        text = self.tr("{0} in {1} ms{2}").format(text, ms, refining)
        first = [self.tr("{0} by file or folder name").format(number(named))] if named else []
        if by_text:  # lifted because the text read in them holds the words
            first.append((self.tr("{0} by the text in it") if by_text == 1
                          else self.tr("{0} by the text in them")).format(number(by_text)))
        if first:
            text += self.tr(" ({0} first)").format(self.tr(", ", "list separator").join(first))
        return text, results.exact and others > 0 and matches > 0

    def show_library(self, status: LibraryStatus) -> None:
        self._status = status
        if self._browsing:
            self._show_results()
        if not self._indexing:
            self._show_idle()

    def show_progress(self, progress: IndexProgress) -> None:
        if progress.phase == "done":
            self._indexing = False
            self.progress.hide()
            self._show_idle()
            return
        self._indexing = True
        self.pause_button.show()
        self.progress.show()
        if progress.phase in PHASE_WORDS:  # work on embedded photos: places, tags, text
            doing = words.phase(progress.phase) or PHASE_WORDS[progress.phase]
            self._show_after_embedding(doing, progress)
            return
        if progress.phase == "scanning" or progress.total == 0:
            self.progress.setRange(0, 0)  # busy indicator
            self.index_label.setText(f"{words.phase('scanning')}…")
            return
        self.progress.setRange(0, progress.total)
        self.progress.setValue(progress.done)
        parts = [f"{words.phase('embedding')} {number(progress.done)} / "
                 f"{number(progress.total)}"]
        if progress.photos_per_second > 0:
            parts.append(self.tr("{0} photos/s").format(number(progress.photos_per_second, 1)))
        if progress.seconds_left is not None:
            parts.append(words.time_left(progress.seconds_left))
        if progress.failed:
            parts.append(self.tr("{0} failed").format(number(progress.failed)))
        self.index_label.setText(" · ".join(parts))

    def _show_after_embedding(self, doing: str, progress: IndexProgress) -> None:
        if progress.total:
            self.progress.setRange(0, progress.total)
            self.progress.setValue(progress.done)
            self.index_label.setText(
                f"{doing} {number(progress.done)} / {number(progress.total)}")
        else:
            self.progress.setRange(0, 0)
            self.index_label.setText(f"{doing}…")

    def show_state(self, state: IndexingState, _error: str | None = None) -> None:
        self._note = {
            IndexingState.STANDBY: self.tr("Another PhotoSeek process is indexing this library; "
                                           "results appear here as it works"),
            IndexingState.WAITING_FOR_MODEL: self.tr("New photos are found now and indexed "
                                                     "once the search model is ready"),
        }.get(state, "")
        if state is IndexingState.PAUSED:
            self.show_paused(True)
        elif state not in (IndexingState.SCANNING, IndexingState.INDEXING,
                           IndexingState.LOADING_MODEL):
            self._indexing = False
            self.progress.hide()
            self._show_idle()

    def show_paused(self, paused: bool) -> None:
        self.pause_button.setChecked(paused)
        self.pause_button.setText(self.tr("Resume") if paused else self.tr("Pause"))
        if paused:
            self.pause_button.show()
            self.index_label.setText(self.tr("Indexing paused"))
        else:
            self._show_idle()

    def _show_idle(self) -> None:
        if self.pause_button.isChecked():
            return
        if not self._indexing:
            self.pause_button.setVisible(False)
        status = self._status
        if status is None:
            self.index_label.setText(self._note)
            return
        if self._indexing:
            return  # progress words it
        text = self.tr("{0} of {1} photos indexed").format(number(status.indexed),
                                                           number(status.photos))
        if status.failed:
            text += " · " + self.tr("{0} could not be read").format(number(status.failed))
        if status.unread:
            text += " · " + self.tr("{0} not read").format(number(status.unread))
        if self._note:
            text += f" · {self._note}"
        self.index_label.setText(text)
