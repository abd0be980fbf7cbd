"""Which tags a photo carries, from its scores against every tag: the rule, on plain arrays.

A CLIP model scores every photo against every tag, so "the best tags" always exist; the point
is the few that really apply. A tag applies to a photo when both hold:

1. It stands out from the library for that tag: it reaches the tag's bar, ``Z_MIN`` robust
   spreads above the bulk of the library's scores for it (as ``core.search.relevance`` does
   for a query). The bulk is placed from the lower half of the scores (10th and 25th
   percentiles, read as a normal hump), not from the median: a tag that applies to half the
   library ("people") would otherwise raise its own bar over its matches. Photos above a clear
   break among a tag's best scores also reach its bar (``core.search.relevance`` explains the
   break): scores that fall in groups rather than in a hump, as for a small library.
2. It is among what the photo shows, as CLIP's zero-shot classifier sees it: a softmax over the
   vocabulary with the model's logit scale, where the tag is at most ``MARGIN`` logits below
   the photo's best tag (a share of its vote at least 5% of the best one's), a little further
   for a tag far above its bar (``MARGIN_PER_Z``, up to ``MARGIN_MAX``): a second subject
   clearly there. A photo of a dog that happens to score high for "receipt" compared with
   other photos still shows a dog, not a receipt.

Two more ways in: the photo's classifier is confident (a share of ``CONFIDENT_SHARE`` or more)
and the tag stands ``CONFIDENT_Z`` spreads above the bulk, which keeps a tag that most of the
library carries; and a model with a calibrated sigmoid (SigLIP) passes what it gives a
probability of ``CONFIDENT`` or more. At most ``MAX_TAGS`` per photo, its best first.

A small library (under ``SMALL_LIBRARY`` photos) has no distribution to stand out from: there a
tag applies when the photo's own classifier gives it ``SMALL_SHARE`` of the vote or more, or
the calibrated probability says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Z_MIN = 3.0
MARGIN = 3.0  # logits below the photo's best tag: a share of at least 5% of the best one's
MARGIN_PER_Z = 0.5  # ... and this many logits more for each spread above the bar
MARGIN_MAX = 4.5  # ... but never more: a share of at least 1.1% of the best one's
CONFIDENT_SHARE = 0.5
CONFIDENT_Z = 1.0  # ... for a confident share, the tag must still stand above the library
CONFIDENT = 0.5  # a calibrated model's own probability that counts on its own
MAX_TAGS = 5
SMALL_LIBRARY = 50
SMALL_SHARE = 0.2
MIN_SPREAD = 0.005  # below this, a tag's scores are as good as equal: nothing stands out
DEFAULT_LOGIT_SCALE = 100.0  # CLIP's learnt scale, for a model that reports none
SAMPLE_SIZE = 16384  # photos enough to place each tag's bulk within a fraction of its spread
# A clear break, as core.search.relevance defines it (see there for the figures).
BREAK_RATIO = 1.8
BREAK_MIN = 0.45
BREAK_ABOVE = 1.0
BREAK_SEARCH = 200  # breaks are looked for among each tag's best this many scores

# Where the 10th and 25th percentiles of a normal hump lie, in standard deviations.
_Q10, _Q25 = -1.2816, -0.6745


@dataclass(frozen=True)
class Bulk:
    """Where each tag's unrelated photos score: (K,) typical score and robust spread, and the
    bar a photo's score must reach for the tag to stand out."""

    typical: np.ndarray
    spread: np.ndarray
    bar: np.ndarray

    def z(self, scores: np.ndarray) -> np.ndarray:
        return (scores - self.typical) / self.spread


@dataclass(frozen=True)
class Calibration:
    scale: float
    bias: float | None = None  # SigLIP's: sigmoid(scale * cosine + bias) is a probability

    @staticmethod
    def of(logit_scale: float | None, logit_bias: float | None) -> Calibration:
        return Calibration(logit_scale or DEFAULT_LOGIT_SCALE, logit_bias)


def library_bulk(sample: np.ndarray, best: np.ndarray | None = None) -> Bulk | None:
    """Each tag's bulk from scores of a sample of the library, (photos, K), and its bar from
    ``best``: each tag's best scores over the whole library, (up to BREAK_SEARCH + 1, K) in
    descending order (default: the sample's). None when the library is too small to have a
    bulk."""
    if len(sample) < SMALL_LIBRARY:
        return None
    # Each tag's scores contiguous: partitioning along rows is several times quicker.
    columns = np.ascontiguousarray(np.asarray(sample, np.float32).T)
    q10, q25 = np.percentile(columns, [10, 25], axis=1).astype(np.float64)
    spread = np.maximum((q25 - q10) / (_Q25 - _Q10), MIN_SPREAD)
    typical = q25 - _Q25 * spread
    if best is None:
        best = top_scores(sample)
    bar = np.minimum(typical + Z_MIN * spread, _clear_breaks(best, typical, spread))
    return Bulk(typical.astype(np.float32), spread.astype(np.float32), bar.astype(np.float32))


def top_scores(scores: np.ndarray, previous: np.ndarray | None = None) -> np.ndarray:
    """Each column's best BREAK_SEARCH + 1 scores, descending, of ``scores`` (photos, K) and
    of ``previous`` (an earlier result): built block by block over a library."""
    scores = np.asarray(scores, np.float32)
    if previous is not None and len(previous) == BREAK_SEARCH + 1:
        # Only scores above a column's worst kept one can enter it: after the first blocks
        # of a library, a handful.
        enters = scores > previous[-1]
        if not enters.any():
            return previous
        merged = previous.copy()
        for column in np.flatnonzero(enters.any(axis=0)):
            pool = np.concatenate([previous[:, column], scores[enters[:, column], column]])
            merged[:, column] = -np.sort(-pool)[: BREAK_SEARCH + 1]
        return merged
    if previous is not None:
        scores = np.concatenate([previous, scores])
    keep = min(len(scores), BREAK_SEARCH + 1)
    if keep == 0:
        return scores
    columns = np.ascontiguousarray(scores.T)
    best = -np.partition(-columns, keep - 1, axis=1)[:, :keep]
    return np.ascontiguousarray(-np.sort(-best, axis=1).T)


def _clear_breaks(best: np.ndarray, typical: np.ndarray, spread: np.ndarray) -> np.ndarray:
    """Per tag, the middle of the widest clear break among its best scores; inf for none."""
    if len(best) < 3:
        return np.full(len(typical), np.inf)
    gaps = best[:-1] - best[1:]  # gaps[i]: between the (i+1)-th and the (i+2)-th best
    above = best[0] - best[:-1]  # the spread of the i+1 best
    qualifies = (
        (np.arange(len(gaps)) >= 1)[:, None]  # two photos at least
        & (gaps >= BREAK_RATIO * above)
        & (gaps >= BREAK_MIN * spread)
        & (best[:-1] >= typical + BREAK_ABOVE * spread)
    )
    widest = np.argmax(np.where(qualifies, gaps, -np.inf), axis=0)
    columns = np.arange(best.shape[1])
    middle = best[widest, columns] - gaps[widest, columns] / 2
    return np.where(qualifies.any(axis=0), middle, np.inf)


def sample_rows(count: int, size: int = SAMPLE_SIZE) -> np.ndarray:
    """Evenly spaced row numbers (deterministic: the same library gives the same tags)."""
    if count <= size:
        return np.arange(count)
    return np.linspace(0, count - 1, size).astype(np.int64)


def choose(
    scores: np.ndarray, bulk: Bulk | None, calibration: Calibration
) -> tuple[np.ndarray, np.ndarray]:
    """The tags each photo carries: (rows, columns) into ``scores`` (photos, K) of cosines,
    each photo's tags best first."""
    scores = np.asarray(scores, np.float32)
    if scores.size == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    logits = calibration.scale * scores
    gap = logits.max(axis=1, keepdims=True) - logits  # 0 for the photo's best tag
    share = np.exp(-gap)
    share /= share.sum(axis=1, keepdims=True)
    if bulk is None:
        keep = share >= SMALL_SHARE
    else:
        beyond = np.maximum((scores - bulk.bar) / bulk.spread, 0.0)  # spreads above the bar
        margin = np.minimum(MARGIN + MARGIN_PER_Z * beyond, MARGIN_MAX)
        keep = (scores >= bulk.bar) & (gap <= margin)
        keep |= (share >= CONFIDENT_SHARE) & (bulk.z(scores) >= CONFIDENT_Z)
    if calibration.bias is not None:
        probability = 1.0 / (1.0 + np.exp(-np.clip(logits + calibration.bias, -60, 60)))
        keep |= probability >= CONFIDENT
    crowded = keep.sum(axis=1) > MAX_TAGS  # rare, but a poor model may pass many
    if crowded.any():
        some = np.where(keep[crowded], scores[crowded], -np.inf)
        best = np.argpartition(-some, MAX_TAGS - 1, axis=1)[:, :MAX_TAGS]
        trimmed = np.zeros(some.shape, bool)
        np.put_along_axis(trimmed, best, True, axis=1)
        keep[crowded] = trimmed
    rows, columns = np.nonzero(keep)  # a few a photo: cheaper than ranking every tag
    order = np.lexsort((-scores[rows, columns], rows))  # by photo, then best first
    rows, columns = rows[order], columns[order]
    first = np.searchsorted(rows, rows)  # where each photo's tags start
    kept = np.arange(len(rows)) - first < MAX_TAGS
    return rows[kept].astype(np.int64), columns[kept].astype(np.int64)
