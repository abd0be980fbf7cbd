"""``photoseek duplicates``: exact copies, copies (re-encoded, resized) and bursts of
near-identical shots, each group with the photo suggested to keep (see core.duplicates).

Nothing is moved unless ``--trash-suggested`` is given: then every photo not suggested to keep
goes to the system trash (recoverable from there) and the library forgets it.

Text output (stdout): a line per group (its kind, how many photos, what the others take up),
then a line per photo, the keeper first and marked ``keep``: path, resolution, size, date.
Photos that could not be checked, and what the trash did not take, are said on stderr.

``--json`` prints an array of groups, each an object with the keys
``kind`` ("exact", "copy" or "burst"), ``reclaimable`` (bytes the others take up) and
``members``, an array of objects with ``id``, ``path``, ``folder``, ``size`` (bytes),
``width``, ``height``, ``date`` (taken, or the file's time), ``taken_at``, ``dated_by_file``,
``keep`` (the suggested keeper), ``identical`` (the same bytes as the keeper) and ``distance``
(perceptual-hash bits differing from the keeper's, 0 to 64, or null). With
``--trash-suggested`` it prints one object instead: ``groups`` (that array, as found before
anything moved), ``trashed`` (paths moved to the trash) and ``failed`` (objects with ``path``
and ``reason``). The exit status is 1 when a file could not be moved.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING, Any

from core.cli.output import note, say, say_json
from core.records import DuplicateGroup, DuplicateMember, Failure, TrashReport

if TYPE_CHECKING:
    from core.library import Library


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "duplicates", help="exact copies, resized copies and bursts, with the one to keep",
        description="Lists groups of duplicate photos, the suggested keeper first: the largest "
        "resolution, then the largest file, then the original (no '(1)' or 'copy' in its "
        "name, the earliest date). Nothing moves without --trash-suggested.",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--trash-suggested", action="store_true",
                        help="move every photo not suggested to keep to the system trash")


def run(library: Library, args: argparse.Namespace) -> int:
    skipped: list[Failure] = []
    groups = library.duplicates(progress=_Progress(), skipped=skipped)
    for failure in skipped:
        note(f"not checked: {failure.path}: {failure.reason}")
    report = library.trash([m.photo.id for g in groups for m in g.others]) \
        if args.trash_suggested else None
    if args.json:
        found = [_group_json(group) for group in groups]
        say_json(found if report is None else {
            "groups": found,
            "trashed": [str(photo.path) for photo in report.trashed],
            "failed": [{"path": str(f.path) if f.path else None, "reason": f.reason}
                       for f in report.failed],
        })
    else:
        for group in groups:
            _print_group(group)
    note(_summary(groups))
    if report is None:
        return 0
    _say_trashed(report, quiet=args.json)
    return 1 if report.failed else 0


def _print_group(group: DuplicateGroup) -> None:
    say(f"{group.kind}: {len(group.members)} photos, {_bytes(group.reclaimable)} in the others")
    for member in group.members:
        say(f"  {'keep' if member.keep else '    '}  {member.photo.path}  {_describe(member)}")


def _describe(member: DuplicateMember) -> str:
    photo = member.photo
    size = f"{photo.width}x{photo.height}" if photo.width and photo.height else "?x?"
    return f"{size}  {_bytes(photo.size)}  {photo.date or 'no date'}"


def _group_json(group: DuplicateGroup) -> dict[str, Any]:
    return {
        "kind": group.kind,
        "reclaimable": group.reclaimable,
        "members": [
            {
                "id": m.photo.id, "path": str(m.photo.path), "folder": str(m.folder),
                "size": m.photo.size, "width": m.photo.width, "height": m.photo.height,
                "date": m.photo.date, "taken_at": m.photo.taken_at,
                "dated_by_file": m.photo.dated_by_file, "keep": m.keep,
                "identical": m.identical, "distance": m.distance,
            }
            for m in group.members
        ],
    }


def _summary(groups: list[DuplicateGroup]) -> str:
    if not groups:
        return "no duplicates found"
    others = sum(len(g.others) for g in groups)
    freed = _bytes(sum(g.reclaimable for g in groups))
    return (f"{len(groups):,} group{'s' if len(groups) != 1 else ''} of duplicates: "
            f"{others:,} photo{'s' if others != 1 else ''} ({freed}) besides the ones to keep")


def _say_trashed(report: TrashReport, quiet: bool) -> None:
    for photo in report.trashed:
        if not quiet:
            say(f"moved to the trash: {photo.path}")
    for failure in report.failed:
        note(f"not moved: {failure.path or failure.photo_id}: {failure.reason}")
    note(f"moved {len(report.trashed):,} photos ({_bytes(report.freed)}) to the trash"
         + (f"; {len(report.failed):,} could not be moved" if report.failed else ""))


def _bytes(count: int) -> str:
    size = float(count)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    raise AssertionError("unreachable")


class _Progress:
    """'looking for duplicates: done/total' on stderr every few seconds, for a long first run
    (the photos hashed for the first time are decoded)."""

    def __init__(self) -> None:
        try:
            self._every = 1.0 if sys.stderr.isatty() else 5.0
        except (OSError, ValueError):
            self._every = 5.0
        self._last = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._last >= self._every and done < total:
            self._last = now
            note(f"looking for duplicates: {done:,}/{total:,}")
