"""Look for duplicates across a library: candidates, confirmation, groups, keepers.

1. Exact copies: photos whose content fingerprints match, read whole and compared.
2. Candidates: every pair of vector neighbours at ``CANDIDATE_SIMILARITY`` or more.
3. Confirmation: each candidate's perceptual hash (from the catalog's cache; decoded only for
   photos without one), compared as ``core.duplicates.confirming`` says.
4. Groups: union-find of the confirmed pairs, each with its kind and its suggested keeper.

The work is on stored vectors and cached hashes; a photo is decoded once, the first time it is
a candidate, and its hash is kept until its file changes. A photo that cannot be checked (gone,
changed since it was indexed, damaged) is left out, with its reason, and the rest goes on.
"""

from __future__ import annotations

import threading
from collections import defaultdict

from core.catalog.database import Catalog
from core.catalog.duplicates import StoredPhoto, photos_by_label, stored_photos
from core.duplicates.cache import perceptual_hashes
from core.duplicates.candidates import exact_copies, similar_pairs
from core.duplicates.confirming import (
    CANDIDATE_SIMILARITY,
    EXACT,
    KINDS,
    link_kind,
    loosest,
)
from core.duplicates.grouping import connected_groups
from core.duplicates.hashes import changed_reason, hamming
from core.duplicates.keeping import keeper_first
from core.duplicates.steps import Progress, Steps
from core.records import DuplicateGroup, DuplicateMember, Failure
from core.vectors.index import VectorIndex


def find_duplicates(
    catalog: Catalog,
    index: VectorIndex,
    model_id: int,
    cancel: threading.Event | None = None,
    progress: Progress | None = None,
    skipped: list[Failure] | None = None,
) -> list[DuplicateGroup]:
    """Every group of duplicates among the photos of online folders: exact copies first, then
    copies, then bursts, each by the keeper's path. ``progress(done, total)`` follows the
    passes (the total grows as each learns its size). Setting ``cancel`` raises
    core.errors.Cancelled after the current batch; the hashes computed so far are kept, so the
    next run goes on from there. Photos that could not be checked are appended to ``skipped``
    with their reasons."""
    steps = Steps(cancel, progress)
    left_out: list[Failure] = []
    steps.check()
    with catalog.read() as conn:
        photo_of = photos_by_label(conn, model_id)
    digests = exact_copies(catalog, steps, left_out)
    pairs = similar_pairs(index, photo_of, CANDIDATE_SIMILARITY, steps)
    # A pair already known to be the same bytes needs no look at its pixels.
    to_check = {
        pair: score for pair, score in pairs.items()
        if digests.get(pair[0]) is None or digests.get(pair[0]) != digests.get(pair[1])
    }
    hashes = perceptual_hashes(catalog, {pid for pair in to_check for pid in pair}, steps,
                               left_out)
    links = _exact_links(digests)
    for (first, second), score in to_check.items():
        if first in hashes and second in hashes:
            kind = link_kind(score, hashes[first], hashes[second])
            if kind is not None:
                links.append((first, second, kind))
    groups = _groups(catalog, links, digests, hashes, left_out)
    if skipped is not None:
        seen: set[str] = set()
        for failure in left_out:
            if str(failure.path) not in seen:
                seen.add(str(failure.path))
                skipped.append(failure)
    return groups


def _exact_links(digests: dict[int, bytes]) -> list[tuple[int, int, str]]:
    by_digest: dict[bytes, list[int]] = defaultdict(list)
    for photo_id, digest in sorted(digests.items()):
        by_digest[digest].append(photo_id)
    return [(ids[0], other, EXACT) for ids in by_digest.values() for other in ids[1:]]


def _groups(
    catalog: Catalog,
    links: list[tuple[int, int, str]],
    digests: dict[int, bytes],
    hashes: dict[int, int],
    left_out: list[Failure],
) -> list[DuplicateGroup]:
    with catalog.read() as conn:
        stored = stored_photos(conn, sorted({pid for a, b, _ in links for pid in (a, b)}))
    # What is shown must be there as the catalog describes it: a hash from the cache says
    # nothing of a file deleted or replaced since (one stat a photo). Its links go with it.
    for pid, item in list(stored.items()):
        reason = changed_reason(item.photo.path, item.photo.size, item.mtime_ns)
        if reason is not None:
            left_out.append(Failure(item.photo.path, reason, "skipped"))
            del stored[pid]
    found = connected_groups((a, b, kind) for a, b, kind in links if a in stored and b in stored)
    # Identical files have identical pixels: one hash serves them all.
    by_digest = {digests[pid]: phash for pid, phash in hashes.items() if pid in digests}
    for pid, digest in digests.items():
        if pid not in hashes and digest in by_digest:
            hashes[pid] = by_digest[digest]
    groups = []
    for members, kinds in found:
        ordered = keeper_first([stored[pid] for pid in members])
        groups.append(_group(ordered, loosest(kinds), digests, hashes))
    groups.sort(key=lambda g: (KINDS.index(g.kind), str(g.keeper.photo.path)))
    return groups


def _group(
    ordered: list[StoredPhoto], kind: str, digests: dict[int, bytes], hashes: dict[int, int]
) -> DuplicateGroup:
    keeper = ordered[0].photo.id
    members = []
    for stored in ordered:
        pid = stored.photo.id
        identical = pid == keeper or (
            digests.get(pid) is not None and digests.get(pid) == digests.get(keeper)
        )
        distance = (
            0 if identical else
            hamming(hashes[pid], hashes[keeper]) if pid in hashes and keeper in hashes else None
        )
        members.append(DuplicateMember(stored.photo, pid == keeper, identical, distance))
    return DuplicateGroup(kind, tuple(members))
