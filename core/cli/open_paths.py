"""``photoseek PHOTO`` and ``photoseek FOLDER``: paths given instead of a command.

A file manager's "Open with PhotoSeek" runs ``photoseek %F``. A photo (or video) opens the app
searching for photos like it; a folder opens it and offers to add the folder. Commands win over
paths: a file named ``search`` is opened as ``./search``.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

# The global options that take a value: the token after one is its value, not a path.
_VALUE_OPTIONS = ("--home", "--model", "--device")


@dataclass(frozen=True)
class OpenRequest:
    """What to open: absolute paths (a running instance has another working folder)."""

    photos: tuple[Path, ...] = ()
    folders: tuple[Path, ...] = ()


class NotOpenable(ValueError):
    """A path that is neither a photo PhotoSeek reads nor a folder; its message is one line."""


def split_paths(argv: Sequence[str], commands: Collection[str]) -> tuple[list[str], list[str]]:
    """(options, paths) of a command line that names paths rather than a command.

    Paths are empty when the first word that is not an option is a command (or there is none):
    argparse then reads the line as before. ``--`` ends the options (a file named ``-x.jpg``).
    """
    options: list[str] = []
    paths: list[str] = []
    literal = False
    tokens = iter(argv)
    for token in tokens:
        if not literal and token == "--":
            literal = True
        elif not literal and token.startswith("-") and token != "-":
            options.append(token)
            # argparse accepts unambiguous prefixes (--mod) and --home=value forms.
            if "=" not in token and len(token) > 2 and any(
                    o.startswith(token) for o in _VALUE_OPTIONS):
                options.append(next(tokens, ""))
        elif not paths and token in commands:
            return list(argv), []
        else:
            paths.append(token)
    return options, paths


def classify(paths: Sequence[str]) -> OpenRequest:
    """Folders and photos among ``paths``; NotOpenable for the first that is neither.

    One stat per path, in the command's process: the app that receives the request never
    touches the disk on its GUI thread to tell them apart.
    """
    from core.imaging.loading import is_supported  # Pillow: only when paths are given

    photos: list[Path] = []
    folders: list[Path] = []
    for text in paths:
        path = Path(os.path.abspath(os.path.expanduser(text)))
        if path.is_dir():
            folders.append(path)
        elif not path.exists():
            raise NotOpenable(f"photoseek: '{text}' is not a command, a photo or a folder "
                              "(see photoseek --help)")
        elif is_supported(path):
            photos.append(path)
        else:
            raise NotOpenable(f"photoseek: '{text}' is not a photo or video that PhotoSeek "
                              "reads")
    return OpenRequest(tuple(photos), tuple(folders))
