"""Retrieval metrics on rankings, binary relevance: pure functions, no model, no I/O.

A query has a *ranking* (every photo, best first) and a set of *relevant* photos (one for a
caption, many for a labelled folder). Ranks are 1-based. With ``m`` relevant photos, found at
ranks ``r_1 < r_2 < ... < r_m``:

- ``recall@K``: the share of the relevant photos found in the top K, ``#{r_j <= K} / m``. With
  one relevant photo it equals R@K.
- ``R@K``: 1 when at least one relevant photo is in the top K, else 0: the "R@K" of retrieval
  papers (Flickr30k, COCO), also called success@K or hit rate.
- ``precision@K``: ``#{r_j <= K} / K``, always over K (the TREC convention), so a query with
  fewer than K relevant photos cannot reach 1.
- ``MRR``: the mean over queries of ``1 / r_1``.
- ``mAP``: the mean over queries of the average precision ``(1/m) * sum_j j / r_j``, over the
  whole ranking (not cut at K: every photo is scored).
- ``NDCG@K``: ``sum_{r_j <= K} 1/log2(r_j + 1)`` divided by the same sum for the ideal ranking,
  ``sum_{i <= min(K, m)} 1/log2(i + 1)``.

A relevant photo missing from the ranking counts in ``m`` and is never found. A query with no
relevant photo has no recall, precision or rank: each function raises ValueError for it, and
``summarise`` leaves it out of the means and counts it as skipped (as trec_eval does). A K
larger than the ranking means the whole ranking.

Ties: ``ranks_from_scores`` breaks them against the model (a relevant photo comes after every
other photo with the same score), so a model that scores everything alike earns nothing from
the order the photos happen to be listed in.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass

import numpy as np

SUMMARY_KS: tuple[int, ...] = (1, 5, 10)
NDCG_K = 10
# Up to this many relevant photos, ranks are found by counting rather than sorting every photo.
COUNTING_LIMIT = 32


@dataclass(frozen=True)
class QueryRanks:
    """Where one query's relevant photos landed: their ranks (1-based, ascending) and how many
    relevant photos there are (``relevant`` may exceed ``len(ranks)``: photos never ranked)."""

    ranks: np.ndarray
    relevant: int

    def found_within(self, k: int) -> int:
        _check_k(k)
        return int(np.searchsorted(self.ranks, k, side="right"))


def _check_k(k: int) -> None:
    if k < 1:
        raise ValueError(f"K must be 1 or more, not {k}")


def _checked(ranks: QueryRanks) -> QueryRanks:
    if ranks.relevant < 1:
        raise ValueError("the query has no relevant item: its metrics are undefined")
    return ranks


def ranks_in(ranking: Sequence[Hashable], relevant: Collection[Hashable]) -> QueryRanks:
    """The ranks of ``relevant`` items in ``ranking`` (an item listed twice counts once, at its
    first place)."""
    wanted = set(relevant)
    seen: set[Hashable] = set()
    found: list[int] = []
    for position, item in enumerate(ranking, start=1):
        if item in wanted and item not in seen:
            seen.add(item)
            found.append(position)
    return QueryRanks(np.asarray(found, dtype=np.int64), len(wanted))


def ranks_from_scores(scores: np.ndarray, relevant: np.ndarray) -> QueryRanks:
    """Ranks of the photos where ``relevant`` (a boolean mask) is True when every photo is
    ordered by ``scores``, highest first, ties broken against the model (see the module)."""
    scores = np.asarray(scores, dtype=np.float64)
    mask = np.asarray(relevant, dtype=bool)
    if scores.shape != mask.shape or scores.ndim != 1:
        raise ValueError("scores and relevant must be 1-D arrays of the same length")
    relevant_count = int(mask.sum())
    if relevant_count <= COUNTING_LIMIT:
        return QueryRanks(_ranks_by_counting(scores, mask), relevant_count)
    # lexsort sorts by its last key first: descending score, then non-relevant before relevant.
    order = np.lexsort((mask, -scores))
    ranks = np.flatnonzero(mask[order]) + 1
    return QueryRanks(ranks.astype(np.int64), relevant_count)


def _ranks_by_counting(scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The same ranks as sorting, in O(photos x relevant) instead of a sort of every photo: a
    caption has one or a few relevant photos, and counting is then several times faster.

    A relevant photo's rank is 1 + the photos scored above it + the other photos tied with it
    (ties go against the model) + the relevant photos tied with it and placed before it."""
    relevant = np.sort(scores[mask])[::-1]
    above = (scores[None, :] > relevant[:, None]).sum(axis=1)
    tied_others = (scores[~mask][None, :] == relevant[:, None]).sum(axis=1)
    first_of_tie = np.searchsorted(-relevant, -relevant, side="left")
    place_in_tie = np.arange(len(relevant)) - first_of_tie + 1
    return (above + tied_others + place_in_tie).astype(np.int64)


# -- one query, from its ranks ----------------------------------------------------------------


def recall_from_ranks(ranks: QueryRanks, k: int) -> float:
    return _checked(ranks).found_within(k) / ranks.relevant


def hit_from_ranks(ranks: QueryRanks, k: int) -> float:
    return 1.0 if _checked(ranks).found_within(k) > 0 else 0.0


def precision_from_ranks(ranks: QueryRanks, k: int) -> float:
    return _checked(ranks).found_within(k) / k


def reciprocal_rank_from_ranks(ranks: QueryRanks) -> float:
    _checked(ranks)
    return 1.0 / float(ranks.ranks[0]) if len(ranks.ranks) else 0.0


def average_precision_from_ranks(ranks: QueryRanks) -> float:
    _checked(ranks)
    if not len(ranks.ranks):
        return 0.0
    hits = np.arange(1, len(ranks.ranks) + 1, dtype=np.float64)
    return float((hits / ranks.ranks).sum() / ranks.relevant)


def ndcg_from_ranks(ranks: QueryRanks, k: int = NDCG_K) -> float:
    _checked(ranks)
    _check_k(k)
    within = ranks.ranks[ranks.ranks <= k].astype(np.float64)
    dcg = float((1.0 / np.log2(within + 1.0)).sum())
    ideal = np.arange(1, min(k, ranks.relevant) + 1, dtype=np.float64)
    return dcg / float((1.0 / np.log2(ideal + 1.0)).sum())


# -- one query, from its ranking --------------------------------------------------------------


def recall_at(ranking: Sequence[Hashable], relevant: Collection[Hashable], k: int) -> float:
    """The share of the relevant items found in the top ``k``."""
    return recall_from_ranks(ranks_in(ranking, relevant), k)


def hit_at(ranking: Sequence[Hashable], relevant: Collection[Hashable], k: int) -> float:
    """1.0 when any relevant item is in the top ``k`` (papers' R@K), else 0.0."""
    return hit_from_ranks(ranks_in(ranking, relevant), k)


def precision_at(ranking: Sequence[Hashable], relevant: Collection[Hashable], k: int) -> float:
    """Relevant items in the top ``k``, divided by ``k``."""
    return precision_from_ranks(ranks_in(ranking, relevant), k)


def reciprocal_rank(ranking: Sequence[Hashable], relevant: Collection[Hashable]) -> float:
    """1 / the rank of the first relevant item (0.0 when none is ranked)."""
    return reciprocal_rank_from_ranks(ranks_in(ranking, relevant))


def average_precision(ranking: Sequence[Hashable], relevant: Collection[Hashable]) -> float:
    """The mean, over the relevant items, of the precision at each one's rank."""
    return average_precision_from_ranks(ranks_in(ranking, relevant))


def ndcg_at(ranking: Sequence[Hashable], relevant: Collection[Hashable], k: int = NDCG_K) -> float:
    """Normalised discounted cumulative gain of the top ``k``, binary relevance."""
    return ndcg_from_ranks(ranks_in(ranking, relevant), k)


# -- many queries -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """Means over the queries that have relevant items.

    ``values`` keys (stable: reports and JSON use them): ``recall@K``, ``R@K``,
    ``precision@K`` for K in SUMMARY_KS, then ``mrr``, ``map``, ``ndcg@10``.
    ``recall_curve[i]`` is the mean recall@(i + 1), up to the K asked for.
    """

    queries: int
    skipped: int
    values: dict[str, float]
    recall_curve: tuple[float, ...]


def metric_keys() -> list[str]:
    """Every key of ``Summary.values``, in the order reports show them."""
    keys = [f"R@{k}" for k in SUMMARY_KS]
    keys += [f"recall@{k}" for k in SUMMARY_KS]
    keys += [f"precision@{k}" for k in SUMMARY_KS]
    return [*keys, "mrr", "map", f"ndcg@{NDCG_K}"]


def summarise(queries: Sequence[QueryRanks], curve_k: int = max(SUMMARY_KS)) -> Summary:
    """The mean of every metric over ``queries``; those without a relevant item are skipped.
    With no query left every mean is 0.0 (and ``queries`` says 0)."""
    _check_k(curve_k)
    kept = [q for q in queries if q.relevant > 0]
    skipped = len(queries) - len(kept)

    def mean(values: list[float]) -> float:
        return float(np.mean(values)) if values else 0.0

    values: dict[str, float] = {}
    for k in SUMMARY_KS:
        values[f"R@{k}"] = mean([hit_from_ranks(q, k) for q in kept])
    for k in SUMMARY_KS:
        values[f"recall@{k}"] = mean([recall_from_ranks(q, k) for q in kept])
    for k in SUMMARY_KS:
        values[f"precision@{k}"] = mean([precision_from_ranks(q, k) for q in kept])
    values["mrr"] = mean([reciprocal_rank_from_ranks(q) for q in kept])
    values["map"] = mean([average_precision_from_ranks(q) for q in kept])
    values[f"ndcg@{NDCG_K}"] = mean([ndcg_from_ranks(q, NDCG_K) for q in kept])
    curve = tuple(mean([recall_from_ranks(q, k) for q in kept]) for k in range(1, curve_k + 1))
    return Summary(len(kept), skipped, values, curve)
