"""The ``photoseek`` command line. Scripts rely on it: keep the flags and JSON keys stable.

With no command it calls the ``open_app`` it was given (the desktop app's launcher passes one;
core itself never imports the desktop app), or prints its usage. Paths instead of a command
(``photoseek PHOTO``, ``photoseek FOLDER``: core.cli.open_paths) open the app with them.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Protocol

from core.cli.download_progress import DownloadProgress
from core.cli.open_paths import NotOpenable, OpenRequest, classify, split_paths
from core.cli.output import (
    ProgressPrinter,
    ensure_standard_streams,
    note,
    say,
    say_json,
)
from core.cli.search import add_parser as add_search_parser
from core.cli.search import run_search
from core.config.paths import HOME_ENV
from core.config.settings import MODEL_ENV
from core.errors import PhotoSeekError

if TYPE_CHECKING:
    from core.library import Library

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl+C
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
    index.add_argument("paths", nargs="*", help="photo folders to add (default: index the "
                       "library's folders)")

    add_search_parser(sub, _positive_int)
    from core.cli import tags as tags_command

    tags_command.add_parser(sub)
    from core.cli import describe as describe_command

    describe_command.add_parser(sub)
    from core.cli import duplicates as duplicates_command

    duplicates_command.add_parser(sub)
    from core.cli.eval import add_parser as add_eval_parser  # light: imports on run

    add_eval_parser(sub, _positive_int)

    sub.add_parser("models", help="the models offered: size, speed here, quality, languages")
    status = sub.add_parser("status", help="folders, model and counts")
    status.add_argument("--json", action="store_true")

    failures = sub.add_parser("failures", help="files that could not be indexed, and why")
    failures.add_argument("--json", action="store_true")

    forget = sub.add_parser("forget", help="remove a folder from the library (files untouched)")
    forget.add_argument("path")

    watch = sub.add_parser("watch", help="keep the library up to date until interrupted")
    watch.add_argument("paths", nargs="*", help="folders to add first")
    return parser


def _run(args: argparse.Namespace) -> int:
    from core.library import Library

    if args.command == "watch":  # runs its own session, which opens the library
        from core.cli.watch import run_watch

        return run_watch(args.home, args.model, args.device, args.paths)
    if args.command == "models":  # lists; opens no library and loads no model
        from core.cli.models import run_models

        return run_models(args.home)
    if args.command == "eval":  # temporary libraries of its own: the person's is never opened
        from core.cli.eval import run_eval

        return run_eval(args)
    library = Library(home=args.home, model=args.model, device=args.device)
    # A command that needs a model not downloaded yet shows the download on stderr.
    library.download_watch = download = DownloadProgress(library.model_name)
    try:
        return _dispatch(library, args)
    except KeyboardInterrupt:
        if download.interrupted():  # one line says how far it got
            return EXIT_INTERRUPTED
        raise
    except PhotoSeekError:
        download.failed()  # the bar goes; the error below is the one line left
        raise
    finally:
        # What recovery did (a damaged catalog, index or vector), whenever it happened.
        for notice in library.notices:
            note(f"note: {notice}")
        library.close()


def _dispatch(library: Library, args: argparse.Namespace) -> int:
    if args.command == "index":
        return _index(library, args)
    if args.command == "search":
        run_search(library, args)
        return EXIT_OK
    if args.command == "status":
        _status(library, args.json)
        return EXIT_OK
    if args.command == "tags":
        from core.cli.tags import run as run_tags

        return run_tags(library, args)
    if args.command == "describe":
        from core.cli.describe import run as run_describe

        return run_describe(library, args)
    if args.command == "duplicates":
        from core.cli.duplicates import run as run_duplicates

        return run_duplicates(library, args)
    if args.command == "failures":
        failures = library.failures()
        if args.json:
            say_json([{"path": str(f.path), "reason": f.reason, "kind": f.kind}
                      for f in failures])
        else:
            for f in failures:
                say(f"{f.path}: {f.reason}")
        return EXIT_OK
    if args.command == "forget":
        removed = library.forget_folder(args.path)
        note(f"forgot {args.path} ({removed} indexed photos removed from the library)")
        return EXIT_OK
    raise AssertionError(args.command)


def _index(library: Library, args: argparse.Namespace) -> int:
    folders = []
    for path in args.paths:
        folder = library.add_folder(path)
        folders.append(folder)
        note(f"folder: {folder.path}")
    printer = ProgressPrinter()
    summary = library.index(progress=printer, waiting=printer.waiting, new_folders=folders)
    if args.model or args.device:
        # The model the library was indexed with is the one later searches and the app use.
        library.remember_model()
    note(summary.line())
    return EXIT_OK


def _status(library: Library, as_json: bool) -> None:
    status = library.status()
    if as_json:
        data = asdict(status)
        data["folders"] = [
            {**asdict(f), "path": str(f.path), "unmounted": list(f.unmounted)}
            for f in status.folders
        ]
        say_json(data)
        return
    say(f"model: {status.model}")
    say(f"photos: {status.photos} ({status.indexed} indexed, {status.pending} pending, "
        f"{status.failed} failed)")
    if status.companions:
        raw, live = status.companions.get("raw", 0), status.companions.get("live", 0)
        kept = [f"{raw} RAW files of RAW+JPEG pairs"] if raw else []
        kept += [f"{live} Live Photo videos"] if live else []
        say(f"kept with their photos: {', '.join(kept)}")
    if status.unread:
        say(f"not read: {status.unread} files: see photoseek failures")
    for f in status.folders:
        state = "" if f.online else " (offline)"
        parts = f" ({len(f.unmounted)} unmounted drive(s) inside)" if f.unmounted else ""
        say(f"folder: {f.path}{state}: {f.photos} photos{parts}")


def _discard_stdout() -> None:
    """After a broken pipe, point stdout at devnull so the exit-time flush cannot raise again.

    This is the idiom of the Python docs' note on SIGPIPE (library/signal.html).
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (captured in-process)
        pass


class AppOpener(Protocol):
    """Opens the desktop app for (home, model, device), with photos to search by or folders to
    offer, and returns its exit code."""

    def __call__(self, home: str | None, model: str | None, device: str | None,
                 request: OpenRequest | None = None) -> int: ...


def _commands(parser: argparse.ArgumentParser) -> set[str]:
    """The command names; argparse keeps them on its (private) subparsers action only."""
    return {name for action in parser._actions
            if isinstance(action, argparse._SubParsersAction) for name in action.choices}


def main(argv: Sequence[str] | None = None, open_app: AppOpener | None = None) -> int:
    ensure_standard_streams()
    parser = _parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    options, paths = split_paths(argv, _commands(parser))
    args = parser.parse_args(options)
    request = None
    if paths:
        try:
            request = classify(paths)
        except NotOpenable as exc:
            note(str(exc))
            return EXIT_USAGE
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
        return open_app(args.home, args.model, args.device, request)
    try:
        code = _run(args)
        # A reader that went away (`photoseek search ... | head`) or a full disk shows up
        # here, inside the handlers below, rather than in the flush at interpreter exit.
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_BROKEN_PIPE
    except PhotoSeekError as exc:
        note(f"photoseek: {exc}")
        return EXIT_ERROR
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EIO, errno.EBADF):  # stdout full or gone
            _discard_stdout()
            note(f"photoseek: the output could not be written ({exc.strerror or exc}).")
            return EXIT_ERROR
        raise
    except KeyboardInterrupt:
        note("interrupted")
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
