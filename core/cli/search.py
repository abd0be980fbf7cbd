"""``photoseek search``: words, example photos and filters in; the photos that match out.

"beach 2023" is understood as the word "beach" and the year 2023 (``core.search.understanding``);
what was understood is said on stderr, and quotes keep words literal. Options narrow further:
``--from/--to`` (dates taken), ``--folder``, ``--camera``, ``--place``, ``--type``,
``--tag`` (photos carrying a tag: see ``photoseek tags``). With no words and no photo, the
filters alone list the photos that pass them, newest first.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from core.cli.output import note, print_results
from core.models.languages import script_hint
from core.search.filters import Filters
from core.search.query import QueryError
from core.search.request import Asked, Sort

if TYPE_CHECKING:
    from core.library import Library

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def _period(text: str) -> tuple[datetime, datetime]:
    """'2023', '2023-06' or '2023-06-14' as [first moment, first moment after)."""
    match = _DATE.match(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date: write 2023, 2023-06 or 2023-06-14"
        )
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        if month is None:
            return datetime(year, 1, 1), datetime(year + 1, 1, 1)
        if day is None:
            start = datetime(year, month, 1)
            return start, datetime(year + month // 12, month % 12 + 1, 1)
        start = datetime(year, month, day)
        return start, datetime.fromordinal(start.toordinal() + 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date of the calendar") from None


def add_parser(sub: argparse._SubParsersAction, counts: Callable[[str], int]) -> None:
    search = sub.add_parser(
        "search", help="search by words, example photos and filters",
        description="Words are understood: 'beach 2023' keeps photos of 2023; put words in "
        "quotes to keep them literal. With filters and no words, lists the photos that pass.",
    )
    search.add_argument("text", nargs="?", help="what to look for: 'dog on a beach', '2:dog'")
    search.add_argument("--image", action="append", default=[], help="an example photo")
    search.add_argument("--not", dest="negatives", action="append", default=[],
                        help="text or photo to steer away from")
    search.add_argument("--from", dest="taken_from", type=_period, metavar="DATE",
                        help="taken on or after DATE (2023, 2023-06 or 2023-06-14)")
    search.add_argument("--to", dest="taken_to", type=_period, metavar="DATE",
                        help="taken on or before DATE (the whole year, month or day)")
    search.add_argument("--folder", action="append", default=[], metavar="PATH",
                        help="only photos inside this folder (may be repeated)")
    search.add_argument("--camera", help="only photos from a camera whose name contains this")
    search.add_argument("--place", help="only photos taken in this city, region or country")
    search.add_argument("--type", dest="types", action="append", default=[], metavar="EXT",
                        help="only files of this type: jpg, png, heic... (may be repeated)")
    search.add_argument("--has-place", choices=["yes", "no"],
                        help="only photos with (yes) or without (no) a GPS position")
    search.add_argument("--tag", dest="tags", action="append", default=[], metavar="NAME",
                        help="only photos carrying this tag (see photoseek tags; may be "
                        "repeated: all must apply)")
    search.add_argument("--sort", choices=[s.value for s in Sort], default=Sort.RELEVANCE.value,
                        help="relevance (default), newest or oldest first")
    search.add_argument("--all", action="store_true",
                        help="after the real matches, list the weaker ones too, ranked")
    search.add_argument("-k", type=counts, default=50,
                        help="at most this many results (default 50)")
    search.add_argument("--json", action="store_true", help="print a JSON array")


def _filters(args: argparse.Namespace) -> Filters:
    types = tuple(t.lower().lstrip(".") for t in args.types)
    if "jpg" in types or "jpeg" in types:
        types = tuple(dict.fromkeys((*types, "jpg", "jpeg")))
    return Filters(
        taken_from=args.taken_from[0] if args.taken_from else None,
        taken_until=args.taken_to[1] if args.taken_to else None,
        folders=tuple(Path(f).expanduser().absolute() for f in args.folder),
        camera=args.camera or None,
        place=args.place or None,
        types=types,
        has_place=None if args.has_place is None else args.has_place == "yes",
        tags=tuple(args.tags),
    )


def run_search(library: Library, args: argparse.Namespace) -> None:
    asked = Asked(
        args.text or "", tuple(args.image), tuple(args.negatives), _filters(args),
        Sort(args.sort), weaker=args.all,
    )
    start, end = asked.filters.taken_from, asked.filters.taken_until
    if start is not None and end is not None and start >= end:
        raise QueryError("--from is after --to: no photo can be taken between them.")
    if not asked.has_query and asked.filters.is_empty:
        raise QueryError("Type some words, give a photo (--image) or a filter to search.")
    final = None
    for results in library.ask(asked, args.k):
        final = results
    assert final is not None
    if final.understood:
        labels = ", ".join(chip.label for chip in final.understood)
        note(f"understood: {labels} (put words in quotes to keep them literal)")
    hint = script_hint(asked.text, library.model_name, command_line=True)
    if hint:
        note(hint)
    print_results(final, args.json, filtered=not asked.filters.is_empty or bool(final.understood))
