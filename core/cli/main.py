"""The ``photoseek`` command line. Scripts rely on it: keep the flags and JSON keys stable.

With no command it calls the ``open_app`` it was given (the desktop app's launcher passes one;
core itself never imports the desktop app), or prints its usage.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any, TextIO

from core.config.paths import HOME_ENV
from core.config.settings import MODEL_ENV
from core.errors import PhotoSeekError, UserFixableError
from core.records import IndexProgress, SearchResults

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
# What a shell reports for a program that SIGPIPE ended (128 + 13), as for `yes | head`.
EXIT_BROKEN_PIPE = 141


def _positive_int(text: str) -> int:
    """argparse type for counts: 0 or less is refused (exit 2) rather than quietly raised to 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="photoseek",
        description="Find photos by describing them or by example. Local and private.",
    )
    parser.add_argument("--home", help=f"data folder (default: ${HOME_ENV} or the user data dir)")
    parser.add_argument("--model", help=f"open_clip model ARCH:PRETRAINED (or ${MODEL_ENV})")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda", "mps"], help="compute device")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command")

    index = sub.add_parser("index", help="add folders to the library and index them")
    index.add_argument("paths", nargs="+", help="photo folders")

    search = sub.add_parser("search", help="search by text and/or example images")
    search.add_argument("text", nargs="?", help="what to look for: 'dog on a beach', '2:dog'")
    search.add_argument("--image", action="append", default=[], help="an example photo")
    search.add_argument("--not", dest="negatives", action="append", default=[],
                        help="text or photo to steer away from")
    search.add_argument("-k", type=_positive_int, default=20,
                        help="number of results (default 20)")
    search.add_argument("--json", action="store_true", help="print a JSON array")

    status = sub.add_parser("status", help="folders, model and counts")
    status.add_argument("--json", action="store_true")

    failures = sub.add_parser("failures", help="files that could not be indexed, and why")
    failures.add_argument("--json", action="store_true")

    forget = sub.add_parser("forget", help="remove a folder from the library (files untouched)")
    forget.add_argument("path")

    watch = sub.add_parser("watch", help="keep the library up to date until interrupted")
    watch.add_argument("paths", nargs="*", help="folders to add first")
    return parser


class _ProgressPrinter:
    """Progress on stderr: one rewritten line on a terminal, a line every few seconds otherwise."""

    def __init__(self) -> None:
        self._tty = sys.stderr.isatty()
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
        sys.stderr.write(("\r\033[K" + line) if self._tty else line + "\n")
        if self._tty and p.phase == "done":
            sys.stderr.write("\n")
        sys.stderr.flush()


def _say(line: str, stream: TextIO | None = None) -> None:
    """Write one line; a file name that is not valid text never makes the output crash.

    Undecodable bytes in a file name reach Python as lone surrogates (PEP 383), which a strict
    stream (``PYTHONIOENCODING=utf-8:strict``) refuses. On stdout, where scripts read paths, the
    line is then written as bytes with those very bytes restored, naming the real file as ``ls``
    would; messages (and what cannot be restored) get backslash escapes instead.
    """
    stream = stream or sys.stdout
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


def _say_json(data: Any) -> None:
    """JSON in plain ASCII: file names with undecodable bytes travel as \\udcXX escapes, which
    json.loads and os.fsencode turn back into the exact bytes."""
    _say(json.dumps(data, ensure_ascii=True))


def _print_results(results: SearchResults, as_json: bool) -> None:
    if as_json:
        _say_json([
            {"path": str(h.photo.path), "score": round(h.score, 6), "width": h.photo.width,
             "height": h.photo.height, "taken_at": h.photo.taken_at}
            for h in results.hits
        ])
        return
    for hit in results.hits:
        _say(f"{hit.score:.3f}  {hit.photo.path}")
    _say(f"{len(results.hits)} results in {results.seconds * 1000:.0f} ms", sys.stderr)


def _run(args: argparse.Namespace) -> int:
    from core.library import Library

    library = Library(home=args.home, model=args.model, device=args.device)
    for notice in library.notices:
        _say(f"note: {notice}", sys.stderr)
    try:
        return _dispatch(library, args)
    finally:
        library.close()


def _dispatch(library: object, args: argparse.Namespace) -> int:
    from core.library import Library
    from core.search.query import build_query

    assert isinstance(library, Library)
    if args.command == "index":
        for path in args.paths:
            folder = library.add_folder(path)
            _say(f"folder: {folder.path}", sys.stderr)
        summary = library.index(progress=_ProgressPrinter())
        print(summary.line(), file=sys.stderr)
        return EXIT_OK
    if args.command == "search":
        query = build_query(args.text, args.image, args.negatives)
        final = None
        for results in library.search(query, k=args.k):
            final = results
        assert final is not None
        _print_results(final, args.json)
        return EXIT_OK
    if args.command == "status":
        status = library.status()
        if args.json:
            data = asdict(status)
            data["folders"] = [
                {**asdict(f), "path": str(f.path)} for f in status.folders
            ]
            _say_json(data)
        else:
            _say(f"model: {status.model}")
            _say(f"photos: {status.photos} ({status.indexed} indexed, {status.pending} pending, "
                 f"{status.failed} failed)")
            for f in status.folders:
                state = "" if f.online else " (offline)"
                _say(f"folder: {f.path}{state}: {f.photos} photos")
        return EXIT_OK
    if args.command == "failures":
        failures = library.failures()
        if args.json:
            _say_json([{"path": str(f.path), "reason": f.reason} for f in failures])
        else:
            for f in failures:
                _say(f"{f.path}: {f.reason}")
        return EXIT_OK
    if args.command == "forget":
        removed = library.forget_folder(args.path)
        _say(f"forgot {args.path} ({removed} indexed photos removed from the library)",
             sys.stderr)
        return EXIT_OK
    if args.command == "watch":
        from core.cli.watch import run_watch

        return run_watch(library, args.paths)
    raise AssertionError(args.command)


def _discard_stdout() -> None:
    """After a broken pipe, point stdout at devnull so the exit-time flush cannot raise again.

    This is the idiom of the Python docs' note on SIGPIPE (library/signal.html).
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (captured in-process)
        pass


# Opens the desktop app for (home, model, device) and returns its exit code.
AppOpener = Callable[[str | None, str | None, str | None], int]


def main(argv: Sequence[str] | None = None, open_app: AppOpener | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    # Pillow reports damaged EXIF with warnings; they belong in the log, not on the terminal.
    logging.captureWarnings(True)
    if not args.verbose:
        logging.getLogger("py.warnings").setLevel(logging.ERROR)
    if args.command is None:
        if open_app is None:
            parser.print_usage(sys.stderr)
            return EXIT_USAGE
        return open_app(args.home, args.model, args.device)
    try:
        code = _run(args)
        # A reader that went away (`photoseek search ... | head`) shows up here, inside the
        # handler below, rather than in the flush at interpreter exit.
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_BROKEN_PIPE
    except UserFixableError as exc:
        _say(f"photoseek: {exc}", sys.stderr)
        return EXIT_ERROR
    except PhotoSeekError as exc:
        _say(f"photoseek: {exc}", sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
