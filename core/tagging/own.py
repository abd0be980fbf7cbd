"""The tags a person sees and manages: counts, their own tags added and removed.

A person's own tag is a phrase ("my red bike"), embedded through the same templates as the
built-in ones; it is known by its name (the phrase, spaces collapsed, lower case). Built-in
tags come from the vocabulary and cannot be removed.
"""

from __future__ import annotations

from core.catalog import tags as catalog_tags
from core.catalog.database import Catalog
from core.errors import UserFixableError
from core.records import TagCount
from core.tagging.vocabulary import Vocabulary, resolve, tag_name

MAX_PHRASE = 200  # characters: a tag is a few words, not a paragraph


class TagError(UserFixableError):
    """A tag cannot be added, removed or found; the message says why."""


def tag_counts(
    catalog: Catalog, vocabulary: Vocabulary, include_unused: bool = False
) -> list[TagCount]:
    """Tags with their photo counts, most used first: those carried by a photo and one's own
    (``include_unused``: every built-in tag too)."""
    with catalog.read() as conn:
        rows = catalog_tags.tag_counts(conn)
    found = [_count(row, vocabulary) for row in rows
             if row.custom or (row.photos and vocabulary.get(row.name) is not None)]
    if include_unused:
        seen = {t.name for t in found}
        found += [TagCount(c.name, c.zh or None, 0) for c in vocabulary.categories
                  if c.name not in seen]
    return found


def tag_count(catalog: Catalog, vocabulary: Vocabulary, name: str) -> TagCount:
    with catalog.read() as conn:
        row = catalog_tags.find_tag(conn, resolve(name, vocabulary))
    if row is None:
        category = vocabulary.get(resolve(name, vocabulary))
        if category is None:
            raise TagError(f"There is no tag '{name}'.")
        return TagCount(category.name, category.zh or None, 0)
    return _count(row, vocabulary)


def add_own_tag(catalog: Catalog, vocabulary: Vocabulary, phrase: str) -> str:
    """Add a person's own tag; returns its name (the same tag added twice is one tag)."""
    name = tag_name(phrase)
    if not name:
        raise TagError("A tag needs a few words that say what it shows.")
    if len(name) > MAX_PHRASE:
        raise TagError(f"A tag is at most {MAX_PHRASE} characters; say it in fewer words.")
    if vocabulary.get(resolve(name, vocabulary)) is not None:
        raise TagError(f"'{name}' is already a built-in tag.")
    with catalog.write() as conn:
        found = catalog_tags.find_tag(conn, name)
        if found is None:
            catalog_tags.add_custom_tag(conn, name, " ".join(phrase.split()))
            catalog_tags.forget_state(conn)
    return name


def remove_own_tag(catalog: Catalog, vocabulary: Vocabulary, name: str) -> None:
    wanted = resolve(name, vocabulary)
    if vocabulary.get(wanted) is not None:
        raise TagError(f"'{wanted}' is a built-in tag; only tags of your own can be removed.")
    with catalog.write() as conn:
        found = catalog_tags.find_tag(conn, wanted)
        if found is None or not found.custom:
            raise TagError(f"There is no tag of your own named '{name}'.")
        catalog_tags.remove_tag(conn, wanted)
        catalog_tags.forget_state(conn)


def _count(row: catalog_tags.TagRow, vocabulary: Vocabulary) -> TagCount:
    category = vocabulary.get(row.name)
    zh = category.zh if category is not None and not row.custom else None
    return TagCount(row.name, zh or None, row.photos, row.custom, row.phrase)
