"""A model download on the command line: one progress line on stderr, never on stdout.

``Library.embedder`` reports the bytes of a download it has to make (``Library.download_watch``);
this draws them as a bar rewritten in place on a terminal, or as a plain line every few seconds
when stderr is a file or a pipe, so that ``--json`` on stdout stays clean. An interrupted or
failed download ends in one line.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from core.cli.output import note, show_progress, stderr_is_tty
from core.records import duration_text

# How often a line is drawn: a terminal redraws smoothly, a log file gets a line now and then.
TTY_EVERY_S = 0.2
PLAIN_EVERY_S = 5.0
BAR_WIDTH = 24
MB = 1e6


class DownloadProgress:
    """A ``core.library.library.DownloadWatch`` that writes to stderr."""

    def __init__(self, model_name: str, clock: Callable[[], float] = time.monotonic) -> None:
        self._name = model_name
        self._clock = clock
        self._tty = stderr_is_tty()
        self._started: float | None = None
        self._first_done = 0  # bytes already there when this run started (hub resume)
        self._done = self._total = 0
        self._last = 0.0
        self._open = False  # a bar is drawn on the terminal and its line not ended

    @property
    def active(self) -> bool:
        """A download started and has not finished."""
        return self._started is not None

    def __call__(self, done: int, total: int) -> None:
        now = self._clock()
        if self._started is None:
            self._started, self._first_done, self._last = now, done, 0.0
            note(f"downloading model {self._name} (once)…")
        self._done, self._total = done, total
        every = TTY_EVERY_S if self._tty else PLAIN_EVERY_S
        if now - self._last < every and done < total:
            return
        self._last = now
        self._open = show_progress(self._line(now), self._tty, last=False)

    def finished(self) -> None:
        """The model is on the disk: end the bar with the size and the time it took."""
        if self._started is None:
            return
        seconds = self._clock() - self._started
        self._end(f"downloaded model {self._name}: {self._total / MB:,.1f} MB in {seconds:.0f} s")

    def interrupted(self) -> bool:
        """Ctrl+C: say in one line how far the download got; False when none was under way.

        The hub client (huggingface_hub 2.x) writes to a temporary file of its own that it
        deletes when the download stops, so the next run downloads the file again from its start.
        """
        if self._started is None:
            return False
        self._end(
            f"model download interrupted at {self._done / MB:,.1f} of {self._total / MB:,.1f} MB;"
            " run the command again to download it"
        )
        return True

    def failed(self) -> None:
        """A download that fails: clear the bar, so that the error is the one line left."""
        if self._started is not None:
            self._end(None)

    def _end(self, line: str | None) -> None:
        if self._open:
            show_progress("", self._tty, last=False)  # clears the bar on a terminal
            self._open = False
        self._started = None
        if line is not None:
            note(line)

    def _line(self, now: float) -> str:
        done, total = self._done, max(self._total, 1)
        elapsed = now - (self._started or now)
        rate = (done - self._first_done) / elapsed if elapsed > 0 else 0.0
        text = f"{done / MB:,.1f} of {total / MB:,.1f} MB"
        if rate > 0:  # unknown at the first report: nothing measured yet
            text += f", {rate / MB:.1f} MB/s"
            text += f", {duration_text((total - done) / rate)} left" if done < total else ""
        if not self._tty:
            return f"downloading: {text}"
        filled = min(BAR_WIDTH, BAR_WIDTH * done // total)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        return f"[{bar}] {100 * done // total:3d}% {text}"


