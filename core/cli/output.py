"""What the command line writes: results on stdout, messages and progress on stderr.

Output never makes a command fail with a traceback: a file name that is not valid text is
written as its bytes (stdout) or escaped (stderr); a closed or full stderr loses its messages
and nothing else; a closed stdout at start is replaced by /dev/null, and a full or broken one is
reported by the caller in one line.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import sys
import time
from typing import Any, TextIO

from core.records import IndexProgress, LibraryStatus, SearchResults


def ensure_standard_streams() -> None:
    """A process started with stdout or stderr closed (``photoseek index 2>&-``) has None for
    them (or a stream whose writes fail): point them at /dev/null, so that writing a message
    never stops the work it reports on."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None or _closed(stream):
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    # A logging handler that cannot write would print "--- Logging error ---" and a traceback
    # for every record; a lost log line is better.
    logging.raiseExceptions = False


def _closed(stream: TextIO) -> bool:
    try:
        os.fstat(stream.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        return not hasattr(stream, "getvalue")  # an in-memory stream (tests) is fine
    return False


def say(line: str, stream: TextIO | None = None) -> None:
    """Write one line; a file name that is not valid text never makes the output crash.

    Undecodable bytes in a file name reach Python as lone surrogates (PEP 383), which a strict
    stream (``PYTHONIOENCODING=utf-8:strict``) refuses. On stdout, where scripts read paths, the
    line is then written as bytes with those very bytes restored, naming the real file as ``ls``
    would; messages (and what cannot be restored) get backslash escapes instead.
    """
    stream = stream or sys.stdout
    if stream is sys.stderr:
        with contextlib.suppress(OSError):  # stderr full or gone: the message is lost
            _write(line, stream)
        return
    _write(line, stream)


def _write(line: str, stream: TextIO) -> None:
    text = line + "\n"
    try:
        stream.write(text)
        return
    except UnicodeEncodeError:
        pass
    encoding = stream.encoding or "utf-8"
    escaped = text.encode(encoding, "backslashreplace")
    buffer = getattr(stream, "buffer", None)
    if stream is not sys.stdout or buffer is None:
        stream.write(escaped.decode(encoding))
        return
    try:
        data = text.encode(encoding, "surrogateescape")
    except UnicodeEncodeError:
        data = escaped
    stream.flush()  # keep the order of lines already written through the text layer
    buffer.write(data)


def note(line: str) -> None:
    """A message for the person at the terminal (stderr)."""
    say(line, sys.stderr)


def say_json(data: Any) -> None:
    """JSON in plain ASCII: file names with undecodable bytes travel as \\udcXX escapes, which
    json.loads and os.fsencode turn back into the exact bytes. Never NaN: it is not JSON."""
    say(json.dumps(data, ensure_ascii=True, allow_nan=False))


def print_results(results: SearchResults, as_json: bool) -> None:
    if as_json:
        say_json([
            {"path": str(h.photo.path), "score": round(h.score, 6), "width": h.photo.width,
             "height": h.photo.height, "taken_at": h.photo.taken_at,
             "name_match": h.name_match}
            for h in results.hits
        ])
        return
    for hit in results.hits:
        say(f"{hit.score:.3f}  {hit.photo.path}")
    note(f"{len(results.hits)} results in {results.seconds * 1000:.0f} ms")


class ProgressPrinter:
    """Progress on stderr: one rewritten line on a terminal, a line every few seconds otherwise."""

    def __init__(self) -> None:
        try:
            self._tty = sys.stderr.isatty()
        except (OSError, ValueError):
            self._tty = False
        self._last = 0.0

    def __call__(self, p: IndexProgress) -> None:
        now = time.monotonic()
        if p.phase != "done" and now - self._last < (0.2 if self._tty else 5.0):
            return
        self._last = now
        if p.phase == "scanning":
            line = "scanning folders…"
        else:
            left = f", {p.seconds_left:.0f} s left" if p.seconds_left is not None else ""
            line = f"{p.done}/{p.total} photos, {p.photos_per_second:.1f}/s{left}"
        self._show(line, p.phase == "done")

    def waiting(self, status: LibraryStatus) -> None:
        """Another process indexes the library: say what it has done so far."""
        now = time.monotonic()
        if now - self._last < (0.5 if self._tty else 5.0):
            return
        self._last = now
        self._show(
            "another PhotoSeek process is indexing this library; waiting for it "
            f"({status.indexed:,} of {status.photos:,} photos indexed, Ctrl+C to stop waiting)",
            False,
        )

    def _show(self, line: str, last: bool) -> None:
        try:
            sys.stderr.write(("\r\033[K" + line) if self._tty else line + "\n")
            if self._tty and last:
                sys.stderr.write("\n")
            sys.stderr.flush()
        except OSError:
            pass  # stderr full or gone: progress is lost, indexing goes on
