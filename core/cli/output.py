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

from core.records import (
    PHASE_WORDS,
    IndexProgress,
    LibraryStatus,
    SearchHit,
    SearchResults,
    moment_text,
)


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


def print_results(results: SearchResults, as_json: bool, filtered: bool = False) -> None:
    if as_json:
        say_json([_hit_json(hit, results.ranked) for hit in results.hits])
    else:
        for hit in results.hits:
            line = f"{hit.score:.3f}  {hit.photo.path}" if results.ranked else str(hit.photo.path)
            if hit.moment is not None:  # a video: the moment its best frame shows
                line += f"  at {moment_text(hit.moment)}"
            say(line + ("  [text]" if hit.text_match else ""))  # the words are written in it
    note(_summary(results, filtered))


def _hit_json(hit: SearchHit, ranked: bool) -> dict[str, Any]:
    photo = hit.photo
    return {
        "path": str(photo.path), "score": round(hit.score, 6) if ranked else None,
        "match": hit.match if ranked else None,
        "relevance": round(hit.relevance, 4) if hit.relevance is not None else None,
        "width": photo.width, "height": photo.height, "taken_at": photo.taken_at,
        "date": photo.date, "dated_by_file": photo.dated_by_file,
        "place": photo.place, "camera": photo.camera, "folder": str(photo.path.parent),
        "name_match": hit.name_match, "text_match": hit.text_match,
        # A video: seconds into it of the frame that matched best (null for a photo).
        "moment": round(hit.moment, 3) if hit.moment is not None else None,
    }


def _summary(results: SearchResults, filtered: bool) -> str:
    """One line for the person at the terminal: how many really match, and what was shown."""
    shown, took = len(results.hits), f"in {results.seconds * 1000:.0f} ms"
    if not results.ranked:
        total = results.matches if results.matches is not None else shown
        line = _count(total, "photo") + (
            (" passes the filters" if total == 1 else " pass the filters") if filtered else "")
        line += f" (showing {shown:,}) {took}" if shown < total else f" {took}"
    elif results.candidates == 0 and filtered:
        line = f"no photo passes the filters {took}"
    elif results.matches == 0:
        nearest = "the nearest is" if shown == 1 else f"the {shown} nearest are"
        line = (f"no photo matches well; {nearest} shown {took}" if shown
                else f"no photo matches {took}")
    else:
        matches = results.matches if results.matches is not None else shown
        line = _count(matches, "match", "matches")
        strong = sum(1 for h in results.hits if h.match)
        if strong < matches:
            line += f" (showing {strong:,}; -k for more)"
        if shown > strong:
            line += f", then {shown - strong:,} weaker"
        line += f" {took}"
    if results.dated_by_file:
        verb = "has" if results.dated_by_file == 1 else "have"
        line += (f"; {results.dated_by_file:,} of them {verb} no date taken and "
                 f"{'is' if verb == 'has' else 'are'} dated by the file's time")
    return line


def _count(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else many or one + 's'}"


def stderr_is_tty() -> bool:
    """Whether progress may rewrite its line (a terminal) or must write whole lines."""
    try:
        return sys.stderr.isatty()
    except (OSError, ValueError):
        return False


def show_progress(line: str, tty: bool, last: bool) -> bool:
    """Draw a progress line on stderr: rewritten in place on a terminal (ended by ``last``),
    a line of its own otherwise. Returns whether a terminal line was left open."""
    try:
        sys.stderr.write(("\r\033[K" + line) if tty else line + "\n")
        if tty and last:
            sys.stderr.write("\n")
        sys.stderr.flush()
    except OSError:
        pass  # stderr full or gone: progress is lost, the work goes on
    return tty and not last


class ProgressPrinter:
    """Progress on stderr: one rewritten line on a terminal, a line every few seconds otherwise."""

    def __init__(self) -> None:
        self._tty = stderr_is_tty()
        self._last = 0.0

    def __call__(self, p: IndexProgress) -> None:
        now = time.monotonic()
        if p.phase != "done" and now - self._last < (0.2 if self._tty else 5.0):
            return
        self._last = now
        after = PHASE_WORDS.get(p.phase)
        if p.phase == "scanning":
            line = "scanning folders…"
        elif after is not None:  # work on embedded photos: places, tags, text
            line = f"{after.lower()}: {p.done}/{p.total}" if p.total else f"{after.lower()}…"
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
        show_progress(line, self._tty, last)
