"""Which photo of a group to keep.

The rule, in order; each step only breaks the ties of the one before:

1. the largest resolution (width x height): a resized copy, as a messenger or an export makes
   it, never wins over the photo it was made from;
2. the largest file: among photos of one size in pixels, the one compressed least (a copy
   re-encoded at a lower quality is smaller) and the one that kept its metadata;
3. the original: a name without the marks that copying adds (" (1)", "copy", "-edited"), then
   the earliest date taken, then the earliest file time (a copy is made after its original),
   then the shortest path, then the path itself, so the choice never depends on the order
   in which photos were found.

It is a suggestion for a person to review, never applied on its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePath

from core.catalog.duplicates import StoredPhoto

# " (1)" at the end (browsers, Windows Explorer), "copy" ("IMG_1 copy", "Copy of IMG_1",
# "IMG_1 - Copy", "IMG_1_copy"), "edited" ("IMG_1-edited" from Google Photos).
_COPY_MARKS = re.compile(r"\(\d+\)\s*$|(?<![a-z])(copy|edited)(?![a-z])", re.IGNORECASE)


def looks_like_copy(name: str) -> bool:
    """True when a file name carries a mark that copying or editing adds."""
    return _COPY_MARKS.search(PurePath(name).stem) is not None


def _rank(stored: StoredPhoto) -> tuple[int, int, bool, bool, str, int, int, str]:
    photo = stored.photo
    pixels = (photo.width or 0) * (photo.height or 0)
    taken = photo.taken_at or ""
    path = str(photo.path)
    return (-pixels, -photo.size, looks_like_copy(photo.path.name), not taken, taken,
            stored.mtime_ns, len(path), path)


def keeper_first(members: Sequence[StoredPhoto]) -> list[StoredPhoto]:
    """The group in the order of the rule above: the suggested keeper first."""
    return sorted(members, key=_rank)
