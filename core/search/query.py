"""Queries as a person types them: words, example photos and terms to avoid, each weighted.

A query is any mix of positive and negative texts and images, each with a weight; the searcher
turns it into one vector.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from core.errors import PhotoSeekError

_WEIGHTED = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*:\s*(.+)$")


@dataclass(frozen=True)
class QueryTerm:
    kind: Literal["text", "image"]
    value: str  # the text, or the image's path
    weight: float = 1.0
    negative: bool = False


@dataclass(frozen=True)
class Query:
    terms: tuple[QueryTerm, ...]

    @property
    def is_empty(self) -> bool:
        return not any(not t.negative for t in self.terms)


class QueryError(PhotoSeekError):
    """A query that cannot be answered (empty, unreadable image); the message says why."""


# Where a term begins like a file path. A "/" inside a term is not enough: "AC/DC" is text.
_PATH_STARTS = ("/", "~", "./", "../", ".\\", "..\\")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def _looks_like_path(value: str) -> bool:
    """True for a term meant as a file: it has a photo extension or begins like a path."""
    from core.imaging.loading import is_supported  # Pillow: not needed to build a window

    value = value.strip()
    return (
        is_supported(Path(value)) or value.startswith(_PATH_STARTS) or bool(_DRIVE.match(value))
    )


def _photo_path(value: str) -> Path:
    """The photo file a term names; QueryError when there is none, so that a mistyped path is
    never searched as words."""
    from core.imaging.loading import is_supported

    path = Path(value.strip()).expanduser()
    if not path.exists():
        raise QueryError(
            f"There is no photo at {path.absolute()}. Check the path, or leave it out."
        )
    if not path.is_file() or not is_supported(path):
        raise QueryError(f"{path} is not a photo PhotoSeek can read.")
    return path.resolve()


def parse_term(raw: str, *, negative: bool = False, image: bool | None = None) -> QueryTerm:
    """``"2:dog"`` weighs "dog" twice; a value naming an existing photo file is an image term.

    ``image=None`` decides by the value: a term that looks like a path must name a photo.
    """
    weight = 1.0
    match = _WEIGHTED.match(raw)
    if match and not Path(raw).exists():
        weight, raw = float(match.group(1)), match.group(2)
        if weight <= 0:
            raise QueryError(
                f"'{match.group(0).strip()}': a weight must be above zero. To steer away from "
                "something, add it as a 'not' term instead."
            )
    if image is None:
        image = _looks_like_path(raw)
    if image:
        return QueryTerm("image", str(_photo_path(raw)), weight, negative)
    return QueryTerm("text", raw.strip(), weight, negative)


def build_query(
    text: str | None = None,
    images: Sequence[str] = (),
    negatives: Sequence[str] = (),
) -> Query:
    """A query from the words typed, example photos, and terms (words or photos) to avoid.

    ``text`` is always words, even when it looks like a file name: a search box sends every
    keystroke here, and half a path typed so far must not be an error.
    """
    terms: list[QueryTerm] = []
    if text and text.strip():
        terms.append(parse_term(text, image=False))
    terms += [parse_term(path, image=True) for path in images]
    terms += [parse_term(value, negative=True) for value in negatives]
    return Query(tuple(terms))
