"""What an evaluation asks, and which photos answer it: labels from subfolders, or captions.

Two ways to say what is relevant, both read-only (nothing is ever written into the folder):

- Subfolders: ``FOLDER/<label>/...``: every photo under a first-level subfolder is relevant to
  that label's query. Underscores in the folder name become spaces (``golden_retriever`` is
  asked as "golden retriever"). Photos directly in FOLDER belong to no label: they are
  distractors, ranked but relevant to nothing.
- A captions file: CSV or TSV rows ``path,caption`` (a tab in the first line, or a ``.tsv``
  name, means TSV; a first row ``path,caption`` is a header), paths relative to FOLDER. A
  caption is one query; every photo with that exact caption is relevant to it; a photo may have
  many rows. Photos of FOLDER without a caption are distractors. Rows naming a file that is not
  a photo of FOLDER are counted in ``Dataset.missing`` and left out.

Photos are found exactly as indexing finds them (``core.indexing.scanner.walk_photos``: hidden
and system folders skipped), so the photos here are the photos the evaluation library holds.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import UserFixableError
from core.fs.safe_open import read_regular_bytes
from core.indexing.scanner import walk_photos

MAX_CAPTIONS_BYTES = 64 << 20  # a captions file of a million rows is a few tens of MB
_HEADER_NAMES = frozenset({"path", "file", "filename", "image", "photo"})


class EvaluationError(UserFixableError):
    """An evaluation cannot be run as asked; the message says why and what to do."""


@dataclass(frozen=True)
class LabelledQuery:
    """One thing to search for. ``subject`` is the label or the caption itself; the text
    searched is made from it (``core.evaluation.queries``). ``relevant`` holds paths relative
    to the folder, in posix form."""

    subject: str
    relevant: frozenset[str]


@dataclass(frozen=True)
class Dataset:
    root: Path
    source: str  # "folders" | "captions"
    photos: tuple[str, ...]  # every photo found under root, relative posix paths, sorted
    queries: tuple[LabelledQuery, ...]
    missing: int = 0  # caption rows naming no photo of the folder
    missing_examples: tuple[str, ...] = field(default=())  # a few of them, to show

    @property
    def is_captions(self) -> bool:
        return self.source == "captions"


def find_photos(root: Path) -> list[str]:
    """Every photo under ``root`` as indexing sees it, relative posix paths, sorted."""
    return sorted(found.rel for found in walk_photos(root))


def _checked_root(folder: str | Path) -> Path:
    root = Path(folder).expanduser().resolve()
    if not root.is_dir():
        raise EvaluationError(f"{root} is not a folder that can be read.")
    return root


def label_of(folder_name: str) -> str:
    """The words a label folder stands for: underscores as spaces, spaces squeezed."""
    return " ".join(folder_name.replace("_", " ").split())


def from_folders(folder: str | Path) -> Dataset:
    """Labels from the first-level subfolders of ``folder`` (see the module)."""
    root = _checked_root(folder)
    photos = find_photos(root)
    by_label: dict[str, set[str]] = {}
    for rel in photos:
        parts = rel.split("/")
        if len(parts) > 1:
            label = label_of(parts[0])
            if label:
                by_label.setdefault(label, set()).add(rel)
    if not by_label:
        raise EvaluationError(
            f"No labels found in {root}: put the photos of each label in a subfolder named "
            "after it (FOLDER/dog/..., FOLDER/beach/...), or give a captions file."
        )
    queries = tuple(
        LabelledQuery(label, frozenset(rels)) for label, rels in sorted(by_label.items())
    )
    return Dataset(root, "folders", tuple(photos), queries)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # a spreadsheet's BOM is not part of the first path
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _rows(text: str, tsv: bool) -> list[tuple[str, str]]:
    delimiter = "\t" if tsv else ","
    rows: list[tuple[str, str]] = []
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        if len(row) < 2 or not row[0].strip():
            continue  # a blank line, or a photo without a caption
        # A caption with unquoted commas was cut by the reader: its pieces are joined back.
        rows.append((row[0].strip(), delimiter.join(row[1:]).strip()))
    if rows and rows[0][0].casefold() in _HEADER_NAMES:
        rows = rows[1:]
    return rows


def _relative(root: Path, written: str) -> str | None:
    """The posix path relative to ``root`` that a captions row names, or None outside it."""
    path = Path(written.replace("\\", "/")).expanduser()
    # normpath, not resolve: a photo that is a symlink is known by its own name, as indexing
    # knows it, not by its target's.
    absolute = Path(os.path.normpath(path if path.is_absolute() else root / path))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return None


def from_captions(folder: str | Path, captions: str | Path) -> Dataset:
    """Queries from a captions file (see the module)."""
    root = _checked_root(folder)
    source = Path(captions).expanduser()
    try:
        data = read_regular_bytes(source, MAX_CAPTIONS_BYTES + 1)
    except FileNotFoundError:
        raise EvaluationError(f"The captions file {source} was not found.") from None
    except (OSError, ValueError) as exc:
        raise EvaluationError(f"The captions file {source} cannot be read: {exc}") from None
    if len(data) > MAX_CAPTIONS_BYTES:
        raise EvaluationError(
            f"The captions file {source} is over {MAX_CAPTIONS_BYTES >> 20} MB: is it the "
            "right file?"
        )
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    tsv = source.suffix.lower() == ".tsv" or "\t" in first_line
    photos = find_photos(root)
    known = set(photos)
    by_caption: dict[str, set[str]] = {}
    missing: list[str] = []
    rows = _rows(text, tsv)
    for written, caption in rows:
        rel = _relative(root, written)
        if rel is None or rel not in known:
            missing.append(written)
            continue
        if caption:
            by_caption.setdefault(caption, set()).add(rel)
    if not by_caption:
        raise EvaluationError(
            f"No captions found for photos of {root} in {source}: write one 'path,caption' row "
            "per caption, paths relative to the folder."
        )
    queries = tuple(LabelledQuery(c, frozenset(rels)) for c, rels in by_caption.items())
    return Dataset(
        root, "captions", tuple(photos), queries, len(missing), tuple(missing[:3])
    )


def load_dataset(folder: str | Path, captions: str | Path | None = None) -> Dataset:
    """The captions file when one is given, else the subfolders' labels."""
    if captions is not None:
        return from_captions(folder, captions)
    return from_folders(folder)
