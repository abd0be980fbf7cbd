"""Which photos really match: a cut-off decided per query from its own scores.

A model scores every photo against every query, so a ranking alone always "finds" something:
"purple elephant at the zoo" would fill the grid with the library in score order. What matches
is what stands out from the bulk. For one query, most photos are unrelated and their scores form
a broad hump; the photos that show what was asked sit in its upper tail. The cut-off is

    the bulk's median + Z x its spread (a robust standard deviation: 1.4826 x the MAD),

with Z per query kind, and never below a floor where the model has a known scale. Medians and
MADs ignore the matching tail itself, so a query matching 10% of the library does not raise its
own bar. Cosines of text against images sit far lower, and closer together, than cosines of
images against images; a z-score measures both in the same unit.

Photos above a clear break also match: a few that score close together, well above the bulk,
then a drop clearly wider than their own spread (a burst of the same shot; a small
library whose scores fall in groups rather than in a hump). In a hump of unrelated scores the
gaps between the best few grow no faster than the spread above them, so such a break is rare
by chance (1 to 4% of queries matching nothing, in libraries of 1,000 photos and more, measured
on normal humps); it must also be nearly half the bulk's spread wide.

A model with calibrated outputs (SigLIP's sigmoid, with its learnt logit scale and bias, gives a
match probability) also passes every photo the model itself is confident of (p >= 0.5), so a
library that is half dogs still shows all its dogs for "dog".

Known limit: when most of the library matches a query, the bulk is the matches and only their
best stand out (uncalibrated models). "Show weaker matches" is the way to the rest.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

MIN_SPREAD = 0.01  # below this, scores are as good as equal: nothing stands out
SAMPLE_SIZE = 4096  # scores enough to place the bulk within a fraction of its spread
BREAK_RATIO = 1.8  # a break is this many times wider than the spread of the photos above it
BREAK_MIN = 0.45  # ... and at least this many bulk spreads wide
BREAK_ABOVE = 1.0  # the photos above a break stand this many spreads above the bulk at least
BREAK_SEARCH = 200  # breaks are looked for among the best this many scores
CONFIDENT = 0.5  # a calibrated model's probability that counts as a match on its own
MATCH_LEVEL = 0.5  # the relevance (a tile's bar) at the cut-off
# Two images this close are the same picture (a copy, a resized or re-encoded one): an example
# photo's twins always match, however many similar photos surround them.
SAME_PICTURE = 0.98


class QueryKind(enum.Enum):
    TEXT = "text"
    IMAGE = "image"
    MIXED = "mixed"


# How far above the bulk a photo must score, in spreads, at least. Image-to-image scores have a
# long tail of merely similar photos (same place, same light), so an example photo asks for more.
STANDS_OUT = {QueryKind.TEXT: 3.0, QueryKind.IMAGE: 3.5, QueryKind.MIXED: 3.0}
# In a large library the bar rises so that a query matching nothing would let through about
# this many photos by chance (were the bulk a normal hump): 3 spreads alone would let through
# 0.13% of the library, 135 photos of 100,000.
CHANCE_MATCHES = 10


@dataclass(frozen=True)
class Calibration:
    """A model's own scale for matches: ``sigmoid(scale * cosine + bias)`` is a probability
    (SigLIP), or ``floors`` give cosines below which nothing matches (known CLIP families)."""

    scale: float | None = None
    bias: float | None = None
    text_floor: float | None = None
    image_floor: float | None = None

    def probability(self, scores: np.ndarray) -> np.ndarray | None:
        if self.scale is None or self.bias is None:
            return None
        logits = np.clip(self.scale * np.asarray(scores, np.float64) + self.bias, -60, 60)
        return 1.0 / (1.0 + np.exp(-logits))

    def confident_score(self) -> float | None:
        """The cosine at which the model's probability reaches ``CONFIDENT``."""
        if self.scale is None or self.bias is None or self.scale <= 0:
            return None
        return (math.log(CONFIDENT / (1 - CONFIDENT)) - self.bias) / self.scale


@dataclass(frozen=True)
class Cutoff:
    threshold: float  # scores at or above it match
    typical: float  # the bulk's median score
    spread: float  # the bulk's robust standard deviation (at least MIN_SPREAD)

    def relevance(self, scores: np.ndarray) -> np.ndarray:
        """0..1 for a bar on a tile: 0 at the bulk, MATCH_LEVEL at the cut-off, 1 far above."""
        span = max(self.threshold - self.typical, self.spread)
        return np.clip((np.asarray(scores, np.float64) - self.typical) / (2 * span), 0.0, 1.0)


def cutoff(
    scores: np.ndarray,
    kind: QueryKind,
    calibration: Calibration | None = None,
    bulk: np.ndarray | None = None,
) -> Cutoff:
    """The cut-off for one query, from its scores over the photos it may answer with. ``bulk``:
    scores that place the library's bulk (default: a sample of ``scores``); a filtered search
    gives the library's, so that a filter keeping only good photos does not raise the bar."""
    scores = np.asarray(scores, np.float32)
    scores = scores[np.isfinite(scores)]
    if len(scores) == 0:
        return Cutoff(math.inf, 0.0, MIN_SPREAD)
    # The median of a sample: a fraction of the cost, within a fraction of a spread.
    bulk = sample(scores if bulk is None else np.asarray(bulk, np.float32))
    bulk = bulk[np.isfinite(bulk)].astype(np.float64)
    if len(bulk) == 0:
        return Cutoff(math.inf, 0.0, MIN_SPREAD)
    typical = float(np.median(bulk))
    spread = max(1.4826 * float(np.median(np.abs(bulk - typical))), MIN_SPREAD)
    threshold = typical + _stands_out(kind, len(scores)) * spread
    broken = _clear_break(scores, typical, spread)
    if broken is not None:
        threshold = min(threshold, broken)
    if kind is QueryKind.IMAGE:
        threshold = min(threshold, SAME_PICTURE)
    if calibration is not None:
        floor = calibration.text_floor if kind is QueryKind.TEXT else calibration.image_floor
        if kind is not QueryKind.MIXED and floor is not None:
            threshold = max(threshold, floor)
        confident = calibration.confident_score()
        if confident is not None and kind is QueryKind.TEXT:
            threshold = min(threshold, confident)
    return Cutoff(threshold, typical, spread)


def _stands_out(kind: QueryKind, count: int) -> float:
    rare = NormalDist().inv_cdf(1 - CHANCE_MATCHES / count) if count > CHANCE_MATCHES else 0.0
    return max(STANDS_OUT[kind], rare)


def _clear_break(scores: np.ndarray, typical: float, spread: float) -> float | None:
    """The middle of a clear break among the best scores (see the module), if there is one."""
    count = min(len(scores), BREAK_SEARCH + 1)
    if count < 3:
        return None
    best = -np.partition(-scores, count - 1)[:count]
    best.sort()
    best = best[::-1]
    gaps = best[:-1] - best[1:]  # gaps[i]: between the (i+1)-th and the (i+2)-th best
    above = best[:-1] - best[0]  # minus the spread of the i+1 best: 0 for the best alone
    qualifies = (
        (np.arange(len(gaps)) >= 1)  # two photos at least: one alone always has a "break"
        & (gaps >= BREAK_RATIO * -above)
        & (gaps >= BREAK_MIN * spread)
        & (best[:-1] >= typical + BREAK_ABOVE * spread)
    )
    if not qualifies.any():
        return None
    widest = int(np.argmax(np.where(qualifies, gaps, -np.inf)))
    return float(best[widest] - gaps[widest] / 2)  # the middle of the break


def sample(scores: np.ndarray, size: int = 4 * SAMPLE_SIZE) -> np.ndarray:
    """An evenly spaced sample (deterministic: the same library gives the same cut-off)."""
    if len(scores) <= size:
        return scores
    return scores[:: len(scores) // size]
