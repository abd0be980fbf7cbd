"""``photoseek tags``: the tags photos carry, with their counts; one's own tags added, removed.

    photoseek tags                      tags in use, most used first (own tags marked)
    photoseek tags --all                every built-in tag too, used or not
    photoseek tags --add "my red bike"  a tag of one's own, filled at once (the model loads)
    photoseek tags --remove "my red bike"

Photos are tagged after indexing (``photoseek index``); ``photoseek search --tag NAME`` keeps
the photos that carry a tag.

``--json`` prints an array of objects (one object for ``--add``) with the stable keys
``name`` (the tag's key, what ``--tag`` takes), ``zh`` (a built-in tag's Chinese name, or
null), ``count`` (photos carrying it), ``custom`` (a tag of one's own) and ``phrase`` (the
phrase typed for one's own tag, or null).
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import TYPE_CHECKING

from core.cli.output import note, say, say_json
from core.records import TagCount

if TYPE_CHECKING:
    from core.library import Library


def add_parser(sub: argparse._SubParsersAction) -> None:
    tags = sub.add_parser(
        "tags", help="the tags photos carry, and tags of your own",
        description="List the tags photos carry (most used first), or add and remove tags of "
        "your own. Search by tag with: photoseek search --tag NAME.",
    )
    action = tags.add_mutually_exclusive_group()
    action.add_argument("--add", metavar="PHRASE", help="add a tag of your own: 'my red bike'")
    action.add_argument("--remove", metavar="NAME", help="remove a tag of your own")
    tags.add_argument("--all", action="store_true", help="list every built-in tag, used or not")
    tags.add_argument("--json", action="store_true", help="print JSON")


def run(library: Library, args: argparse.Namespace) -> int:
    if args.remove is not None:
        library.remove_tag(args.remove)
        note(f"removed the tag '{args.remove}'")
        return 0
    if args.add is not None:
        added = library.add_tag(args.add)
        if library.status().indexed:
            library.tag_photos()  # loads the model: the tag fills itself now
            added = next((t for t in library.tags() if t.name == added.name), added)
        if args.json:
            say_json(asdict(added))
        else:
            say(_line(added))
        return 0
    found = library.tags(include_unused=args.all)
    if args.json:
        say_json([asdict(t) for t in found])
        return 0
    for tag in found:
        say(_line(tag))
    if not found:
        note("no photo is tagged yet: photos are tagged after indexing (photoseek index)")
    return 0


def _line(tag: TagCount) -> str:
    """"  12  beach (海滩)", "   3  my red bike [own]"."""
    label = f"{tag.name} ({tag.zh})" if tag.zh else tag.name
    return f"{tag.count:6,}  {label}{'  [own]' if tag.custom else ''}"
