"""The model's state above the grid: loading, downloading (size, speed, time left, Cancel),
or failed (a clear message, Retry, Use a weights file…). Hidden once the model is ready."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QWidget,
)

from core.lifecycle.states import ModelState
from desktop_app import words
from desktop_app.i18n import number, translate
from desktop_app.themed import restyle_on_theme_change
from desktop_app.weights_file import ask_weights_file


def _mb(n: float) -> str:
    return translate("ModelBanner", "{0} MB").format(number(n / 1e6))


class DownloadRate:
    """Bytes per second, smoothed so the time left does not jump about."""

    def __init__(self, smoothing: float = 0.3) -> None:
        self.smoothing = smoothing
        self.rate = 0.0
        self._last: tuple[float, int] | None = None

    def add(self, done: int, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        if self._last is not None and now > self._last[0]:
            sample = (done - self._last[1]) / (now - self._last[0])
            self.rate = sample if self.rate == 0 else (
                self.smoothing * sample + (1 - self.smoothing) * self.rate
            )
        if self._last is None or now - self._last[0] >= 0.5:
            self._last = (now, done)
        return self.rate


class ModelBanner(QFrame):
    cancel_requested = Signal()
    retry_requested = Signal()
    weights_chosen = Signal(str)
    choose_requested = Signal()  # a first start's model choice, shown again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelBanner")
        self.setStyleSheet(
            "#modelBanner { background: palette(alternate-base); border: 1px solid palette(mid);"
            " border-radius: 6px; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.bar = QProgressBar(self)
        self.bar.setMaximumWidth(200)
        self.bar.setTextVisible(False)
        layout.addWidget(self.bar)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.clicked.connect(self.cancel_requested.emit)
        self.retry_button = QPushButton(self.tr("Retry"), self)
        self.retry_button.clicked.connect(self.retry_requested.emit)
        self.weights_button = QPushButton(self.tr("Use a weights file…"), self)
        self.weights_button.clicked.connect(self.choose_weights)
        self.choose_button = QPushButton(self.tr("Choose a Model…"), self)
        self.choose_button.clicked.connect(self.choose_requested.emit)
        for button in (self.cancel_button, self.retry_button, self.weights_button,
                       self.choose_button):
            layout.addWidget(button)
        self._rate = DownloadRate()
        self._first_done: int | None = None  # bytes on the disk when this download began
        self.state = "hidden"
        self.hide()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        restyle_on_theme_change(self, event)
        super().changeEvent(event)

    def reset_rate(self) -> None:
        """A new download or a retry: the last one's speed says nothing about this one."""
        self._rate = DownloadRate()
        self._first_done = None

    def show_state(self, state: ModelState, message: str) -> None:
        self.state = state.value
        if state is ModelState.DOWNLOADING:
            self.reset_rate()  # a new download (or a retry): its speed is measured afresh
            return  # the progress signal words it
        self.reset_rate()  # whatever comes next, a later download starts its own meter
        self.choose_button.setVisible(state is ModelState.CHOOSING)
        if state is ModelState.READY:
            self.hide()
            return
        if state is ModelState.CHOOSING:  # the welcome's choice was left for the folders
            self.bar.hide()
            for button in (self.cancel_button, self.retry_button, self.weights_button):
                button.hide()
            self.label.setText(self.tr(
                "No search model is downloaded yet: choose which one to use. Until then you "
                "can search by file name and date."))
            self.show()
            return
        busy = state in (ModelState.LOADING, ModelState.SWITCHING)
        self.bar.setVisible(busy)
        self.bar.setRange(0, 0)
        # A switch indexes for minutes: it can be called off (the current model stays).
        self.cancel_button.setVisible(state is ModelState.SWITCHING)
        self.retry_button.setVisible(not busy)
        self.weights_button.setVisible(not busy)
        suffix = "" if busy else "  " + self.tr(
            "Until then you can search by file name and date.")
        self.label.setText((message or self.tr("Loading the search model…")) + suffix)
        self.show()

    def show_download(self, done: int, total: int) -> None:
        self.state = "downloading"
        rate = self._rate.add(done)
        if self._first_done is None:
            self._first_done = done  # more than 0: an earlier try left these bytes
        self.bar.show()
        self.cancel_button.show()
        self.retry_button.hide()
        self.weights_button.hide()
        self.choose_button.hide()
        if total <= 0:
            self.bar.setRange(0, 0)
            self.label.setText(self.tr("Downloading the search model (once)…"))
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * done / total))
            if self._first_done:
                head = self.tr("Resuming the search model download: {done} of {total}")
            else:
                head = self.tr("Downloading the search model: {done} of {total}")
            parts = [head.format(done=_mb(done), total=_mb(total))]
            if rate > 0:
                parts.append(self.tr("{0} MB/s").format(number(rate / 1e6, 1)))
                parts.append(words.time_left((total - done) / rate))
            self.label.setText(" · ".join(parts))
        self.show()

    def choose_weights(self) -> None:
        path = ask_weights_file(self)
        if path:
            self.weights_chosen.emit(path)
