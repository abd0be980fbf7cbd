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
from core.records import (
    PHASE_WORDS,
    IndexProgress,
    LibraryStatus,
    SearchResults,
    duration_text,
)

STANDBY_TEXT = ("Another PhotoSeek process is indexing this library; results appear here as "
                "it works")
WAITING_TEXT = "New photos are found now and indexed once the search model is ready"


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
        self.weaker_button = QPushButton("Show Weaker Matches", self)
        self.weaker_button.setFlat(True)
        self.weaker_button.setToolTip("Also show the photos that match less well, ranked")
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
        self.pause_button = QPushButton("Pause", self)
        self.pause_button.setCheckable(True)
        self.pause_button.setToolTip("Pause or resume indexing")
        self.pause_button.setFlat(True)
        self.pause_button.hide()
        self.addPermanentWidget(self.pause_button)
        self.size_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.size_slider.setRange(64, 512)
        self.size_slider.setFixedWidth(110)
        self.size_slider.setToolTip("Thumbnail size (Ctrl+scroll over the grid)")
        self.size_slider.setAccessibleName("Thumbnail size")
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
        noun = "photo" if count == 1 else "photos"
        ms = results.seconds * 1000
        refining = "" if results.exact else " — refining…"
        library = self._status.photos if self._status is not None else 0
        offer = False
        order = "oldest first" if self._oldest_first else "newest first"
        if self._browsing:
            passing = results.matches if results.matches is not None else count
            if self._filtered:
                verb = "passes" if passing == 1 else "pass"
                text = f"{passing:,} of {library:,} photos {verb} the filters, {order}"
            elif library > count:
                text = f"{count:,} of {library:,} photos shown, {order}"
            else:
                text = f"{count:,} {noun} in the library, {order}"
        elif not results.ranked:
            text = f"{count:,} {noun} by file name and date in {ms:.0f} ms{refining}"
        else:
            text, offer = self._ranked_text(results, count, ms, refining)
        if results.dated_by_file and (self._browsing or self._filtered):
            text += (f" · {results.dated_by_file:,} dated by the file's time (no date taken "
                     "in the photo)")
        self.results_label.setText(text)
        self.results_label.setToolTip(text)
        self._weaker_shown = any(not h.match for h in results.hits)
        self.weaker_button.setText(
            "Hide Weaker Matches" if self._weaker_shown else "Show Weaker Matches"
        )
        self.weaker_button.setVisible(offer)

    def _ranked_text(
        self, results: SearchResults, count: int, ms: float, refining: str
    ) -> tuple[str, bool]:
        matches = results.matches if results.matches is not None else count
        others = (results.candidates or 0) - matches
        named = sum(1 for h in results.hits if h.name_match)
        by_text = sum(1 for h in results.hits if h.text_match and not h.name_match)
        if results.candidates == 0 and self._filtered:
            text = "No photo passes these filters"
        elif matches == 0:
            nearest = "the nearest is" if count == 1 else f"the {count:,} nearest are"
            text = f"No photo matches well; {nearest} shown" if count else "No photo matches"
        else:
            text = f"{matches:,} {'match' if matches == 1 else 'matches'}"
            if count < matches and not any(not h.match for h in results.hits):
                text += f" ({count:,} shown)"
        text += f" in {ms:.0f} ms{refining}"
        first = [f"{named:,} by file or folder name"] if named else []
        if by_text:  # lifted because the text read in them holds the words
            first.append(f"{by_text:,} by the text in {'it' if by_text == 1 else 'them'}")
        if first:
            text += f" ({', '.join(first)} first)"
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
        after = PHASE_WORDS.get(progress.phase)
        if after is not None:  # work on embedded photos: places, tags, text
            self._show_after_embedding(after, progress)
            return
        if progress.phase == "scanning" or progress.total == 0:
            self.progress.setRange(0, 0)  # busy indicator
            self.index_label.setText("Looking for photos…")
            return
        self.progress.setRange(0, progress.total)
        self.progress.setValue(progress.done)
        parts = [f"Indexing {progress.done:,} / {progress.total:,}"]
        if progress.photos_per_second > 0:
            parts.append(f"{progress.photos_per_second:.1f} photos/s")
        if progress.seconds_left is not None:
            parts.append(f"{duration_text(progress.seconds_left)} left")
        if progress.failed:
            parts.append(f"{progress.failed} failed")
        self.index_label.setText(" · ".join(parts))

    def _show_after_embedding(self, words: str, progress: IndexProgress) -> None:
        if progress.total:
            self.progress.setRange(0, progress.total)
            self.progress.setValue(progress.done)
            self.index_label.setText(f"{words} {progress.done:,} / {progress.total:,}")
        else:
            self.progress.setRange(0, 0)
            self.index_label.setText(f"{words}…")

    def show_state(self, state: IndexingState, _error: str | None = None) -> None:
        self._note = {
            IndexingState.STANDBY: STANDBY_TEXT, IndexingState.WAITING_FOR_MODEL: WAITING_TEXT,
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
        self.pause_button.setText("Resume" if paused else "Pause")
        if paused:
            self.pause_button.show()
            self.index_label.setText("Indexing paused")
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
        text = f"{status.indexed:,} of {status.photos:,} photos indexed"
        if status.failed:
            text += f" · {status.failed:,} could not be read"
        if status.unread:
            text += f" · {status.unread:,} not read"
        if self._note:
            text += f" · {self._note}"
        self.index_label.setText(text)
