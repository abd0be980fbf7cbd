"""``photoseek describe PHOTO``: what a photo shows, in words: its tags and the short
descriptions the model finds closest ("a dog on the beach at sunset"), each with its score.

A photo of the library is described from its stored vector; any other photo file is read and
embedded (nothing is written to the library). The model loads either way.

``--json`` prints one object with the stable keys ``path``, ``photo_id`` (null outside the
library), ``in_library``, ``tags`` (objects with ``name``, ``zh`` and ``score``) and
``descriptions`` (objects with ``text`` and ``score``), each list best first. Scores are
cosines, as ``photoseek search`` prints.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from core.cli.output import say, say_json

if TYPE_CHECKING:
    from core.library import Library


def add_parser(sub: argparse._SubParsersAction) -> None:
    describe = sub.add_parser("describe", help="what a photo shows, in words")
    describe.add_argument("photo", help="a photo file (in the library or not)")
    describe.add_argument("--json", action="store_true", help="print JSON")


def run(library: Library, args: argparse.Namespace) -> int:
    found = library.describe(Path(args.photo))
    if args.json:
        say_json({
            "path": str(found.path) if found.path is not None else None,
            "photo_id": found.photo_id,
            "in_library": found.photo_id is not None,
            "tags": [{"name": name, "zh": _zh(name), "score": round(score, 6)}
                     for name, score in found.tags],
            "descriptions": [{"text": text, "score": round(score, 6)}
                             for text, score in found.descriptions],
        })
        return 0
    tags = ", ".join(f"{name} {score:.3f}" for name, score in found.tags)
    say(f"tags: {tags or '(none)'}")
    for text, score in found.descriptions:
        say(f"{score:.3f}  {text}")
    return 0


def _zh(name: str) -> str | None:
    from core.tagging.vocabulary import BUILT_IN

    category = BUILT_IN.get(name)
    return category.zh if category is not None else None
