"""Files that belong to another photo of the same shot: they are kept with it, not listed apart.

Two kinds, each recognised in one folder by a file name's stem (the name without its
extension, compared case-insensitively, as cameras and phones write ``IMG_0042.JPG`` beside
``IMG_0042.CR2`` or ``img_0042.mov``):

- **RAW+JPEG.** A camera set to RAW+JPEG writes both files of one shot. The JPEG (or HEIC) is
  the photo that is searched and shown; the RAW is its companion. A RAW alone is a photo itself,
  and becomes one again when its JPEG is deleted.
- **Live Photos.** An iPhone writes the still (HEIC or JPEG) and a short MOV. The still is the
  photo; the MOV is its companion and is never indexed as a video.

This module holds the rule, once; the scanner and the reconcile of single files (watcher events)
both ask it, so a companion never reaches the catalog as an item of its own. Companions are
recorded with the photo they belong to: counted as part of it, never skipped in silence.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from core.imaging.formats import RAW_EXTENSIONS
from core.imaging.loading import SUPPORTED_EXTENSIONS

# The photo of a shot: what a camera writes beside a RAW, what an iPhone writes beside its MOV.
# Only a still PhotoSeek reads can stand for the shot (HEIC needs pillow-heif): beside a still
# it cannot read, a RAW is a photo of its own.
STILL_EXTENSIONS = frozenset({".jpg", ".jpeg", ".jpe", ".heic", ".heif"}) & SUPPORTED_EXTENSIONS
# A Live Photo's moving part. Only MOV: Android's motion photos keep their video inside the JPEG.
LIVE_EXTENSIONS = frozenset({".mov"})

RAW = "raw"  # the RAW file of a RAW+JPEG pair
LIVE = "live"  # the video of a Live Photo
KIND_WORDS = {RAW: "RAW+JPEG", LIVE: "Live Photo"}


@dataclass(frozen=True)
class Companion:
    """``name`` belongs to the photo ``item`` (both file names in the same folder)."""

    name: str
    item: str
    kind: str  # RAW or LIVE


def _split(name: str) -> tuple[str, str]:
    """(stem folded for comparison, extension lower-cased); a dot file has no extension."""
    stem, ext = os.path.splitext(name)
    return stem.casefold(), ext.lower()


def kind_of(name: str) -> str | None:
    """RAW or LIVE when a file of this name would be a companion beside a still; else None."""
    ext = _split(name)[1]
    if ext in RAW_EXTENSIONS:
        return RAW
    if ext in LIVE_EXTENSIONS:
        return LIVE
    return None


def pair_up(names: Iterable[str]) -> dict[str, Companion]:
    """The companions among the file ``names`` of one folder, by name.

    A RAW or a MOV is a companion when a still (JPEG or HEIC) with the same stem is beside it.
    Should a folder hold two stills of one stem (``IMG_1.JPG`` and ``IMG_1.HEIC``), both stay
    photos and the companions go with the first by name, so the answer never depends on the
    order the folder was listed in.
    """
    stills: dict[str, str] = {}
    others: list[tuple[str, str, str]] = []  # (name, folded stem, kind)
    for name in names:
        stem, ext = _split(name)
        if ext in STILL_EXTENSIONS:
            if stem not in stills or name < stills[stem]:
                stills[stem] = name
            continue
        kind = kind_of(name)
        if kind is not None:
            others.append((name, stem, kind))
    return {
        name: Companion(name, stills[stem], kind)
        for name, stem, kind in others
        if stem in stills
    }


def _file_names(folder: Path) -> list[str]:
    """The names of the files in ``folder`` (links to files count); [] when it cannot be read."""
    names: list[str] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    if not entry.name.startswith(".") and entry.is_file():
                        names.append(entry.name)
                except OSError:
                    continue  # a broken link or a file gone meanwhile is nobody's photo
    except OSError:
        return []
    return names


def folder_companions(folder: Path, names: Iterable[str] | None = None) -> dict[str, Companion]:
    """:func:`pair_up` for the files of ``folder`` (listed here unless ``names`` are given)."""
    return pair_up(_file_names(folder) if names is None else names)


def companion_of(path: Path) -> Companion | None:
    """The photo that the file at ``path`` belongs to, None when it is a photo itself."""
    if kind_of(path.name) is None:
        return None  # a still or anything else: one look at the name, no listing
    return folder_companions(path.parent).get(path.name)


def same_shot(path: Path) -> list[Path]:
    """The other files beside ``path`` with its stem: a change to one can turn another into a
    photo or a companion (a JPEG deleted makes its RAW a photo again)."""
    stem, ext = _split(path.name)
    if ext not in STILL_EXTENSIONS and kind_of(path.name) is None:
        return []
    return [
        path.parent / name
        for name in _file_names(path.parent)
        if name != path.name and _split(name)[0] == stem
        and (_split(name)[1] in STILL_EXTENSIONS or kind_of(name) is not None)
    ]
