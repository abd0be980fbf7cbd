"""Confirmed pairs joined into groups (union-find): a photo linked to two others puts all
three in one group, whichever pair was found."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable


class DisjointSets:
    """Union-find over integers, with path halving and union by size."""

    def __init__(self) -> None:
        self._parent: dict[int, int] = {}
        self._size: dict[int, int] = {}

    def find(self, item: int) -> int:
        parent = self._parent.setdefault(item, item)
        while parent != item:
            self._parent[item] = self._parent[parent]  # halve the path as it is walked
            item = self._parent[item]
            parent = self._parent[item]
        return item

    def union(self, first: int, second: int) -> int:
        a, b = self.find(first), self.find(second)
        if a == b:
            return a
        if self._size.get(a, 1) < self._size.get(b, 1):
            a, b = b, a
        self._parent[b] = a
        self._size[a] = self._size.get(a, 1) + self._size.get(b, 1)
        return a


def connected_groups(
    links: Iterable[tuple[int, int, str]],
) -> list[tuple[list[int], set[str]]]:
    """(members, kinds of the links inside) of each group of linked items, members sorted."""
    links = list(links)
    sets = DisjointSets()
    for first, second, _kind in links:
        sets.union(first, second)
    members: dict[int, set[int]] = defaultdict(set)
    kinds: dict[int, set[str]] = defaultdict(set)
    for first, second, kind in links:
        root = sets.find(first)
        members[root] |= {first, second}
        kinds[root].add(kind)
    return [(sorted(items), kinds[root]) for root, items in members.items()]
