"""The relevance cut-off on score distributions whose answer is known."""

from __future__ import annotations

import numpy as np

from core.search.relevance import Calibration, QueryKind, cutoff


def bulk(count: int, seed: int = 0, centre: float = 0.18, spread: float = 0.03) -> np.ndarray:
    return np.random.default_rng(seed).normal(centre, spread, count).astype(np.float32)


def test_a_query_matching_nothing_lets_few_through_at_any_size():
    for count in (200, 5_000, 100_000):
        passed = [
            int((scores >= cutoff(scores, QueryKind.TEXT).threshold).sum())
            for scores in (bulk(count, seed) for seed in range(20))
        ]
        # A normal hump: about CHANCE_MATCHES (10) at most by chance, never a share of it.
        assert np.mean(passed) <= 12, (count, passed)


def test_photos_that_stand_out_match_and_the_bulk_does_not():
    scores = bulk(20_000, seed=1)
    scores[:100] = np.random.default_rng(2).normal(0.34, 0.01, 100)  # 5 spreads above
    bar = cutoff(scores, QueryKind.TEXT)
    assert (scores[:100] >= bar.threshold).mean() > 0.95
    assert (scores[100:] >= bar.threshold).sum() <= 15
    assert abs(bar.typical - 0.18) < 0.005 and abs(bar.spread - 0.03) < 0.005


def test_the_matches_do_not_raise_their_own_bar():
    """A tenth of the library matching leaves the median and the MAD on the bulk."""
    scores = bulk(10_000, seed=3)
    scores[:1000] = 0.35
    bar = cutoff(scores, QueryKind.TEXT)
    assert (scores[:1000] >= bar.threshold).all()


def test_a_clear_break_above_a_small_group_makes_it_match():
    """Scores in groups (a burst of one shot, a small library): the group above the widest
    drop matches though it stands less than three spreads above the rest."""
    rng = np.random.default_rng(4)
    scores = np.concatenate([rng.uniform(-0.9, 0.6, 44), [0.95, 0.94, 0.94, 0.93]])
    bar = cutoff(scores.astype(np.float32), QueryKind.TEXT)
    assert 0.6 < bar.threshold < 0.93
    assert int((scores >= bar.threshold).sum()) == 4


def test_one_photo_alone_above_the_rest_needs_to_stand_out():
    """The best score is always above some gap: alone, it must pass the z-score."""
    scores = bulk(1000, seed=5)
    scores[0] = 0.25  # 2.3 spreads: the best, but not a match
    assert scores[0] < cutoff(scores, QueryKind.TEXT).threshold


def smooth_bulk(count: int, centre: float, spread: float) -> np.ndarray:
    """A normal hump without chance gaps: its quantiles."""
    from statistics import NormalDist

    hump = NormalDist(centre, spread)
    return np.array([hump.inv_cdf((n + 0.5) / count) for n in range(count)], np.float32)


def test_an_example_photo_asks_for_more_than_words():
    scores = smooth_bulk(1000, centre=0.5, spread=0.1)
    text = cutoff(scores, QueryKind.TEXT).threshold
    image = cutoff(scores, QueryKind.IMAGE).threshold
    assert image > text


def test_a_calibrated_model_passes_what_it_is_confident_of():
    """SigLIP-like: probability = sigmoid(scale * cosine + bias). Half the library matches
    with p > 0.5: all of it passes, though it is the bulk."""
    calibration = Calibration(scale=10.0, bias=-2.0)  # p = 0.5 at cosine 0.2
    scores = np.concatenate([bulk(500, seed=7, centre=0.05, spread=0.02),
                             bulk(500, seed=8, centre=0.30, spread=0.02)])
    plain = cutoff(scores, QueryKind.TEXT)
    calibrated = cutoff(scores, QueryKind.TEXT, calibration)
    assert (scores[500:] >= plain.threshold).mean() < 0.5  # the bulk swallows them uncalibrated
    assert (scores[500:] >= calibrated.threshold).all()
    assert not (scores[:500] >= calibrated.threshold).any()
    probability = calibration.probability(np.array([0.2]))
    assert probability is not None and abs(probability[0] - 0.5) < 1e-9


def test_a_floor_keeps_low_scores_out_for_models_with_a_known_scale():
    scores = bulk(1000, seed=9, centre=0.02, spread=0.01)
    floor = Calibration(text_floor=0.15)
    assert cutoff(scores, QueryKind.TEXT, floor).threshold >= 0.15


def test_an_example_photos_twins_always_match():
    scores = smooth_bulk(1000, centre=0.85, spread=0.04)  # a library of very similar photos
    scores[-1] = 0.985  # a copy of the example: below the z-score's bar (0.99)
    bar = cutoff(scores, QueryKind.IMAGE)
    assert scores[-1] >= bar.threshold and (scores >= bar.threshold).sum() == 1


def test_equal_scores_match_nothing_and_odd_input_is_safe():
    assert not (np.full(100, 0.3) >= cutoff(np.full(100, 0.3), QueryKind.TEXT).threshold).any()
    assert cutoff(np.array([]), QueryKind.TEXT).threshold == np.inf
    scores = np.array([np.nan, 0.1, 0.2, np.inf, 0.15], np.float32)
    assert np.isfinite(cutoff(scores, QueryKind.TEXT).threshold)


def test_relevance_is_half_at_the_cut_off():
    scores = bulk(1000, seed=10)
    bar = cutoff(scores, QueryKind.TEXT)
    levels = bar.relevance(np.array([bar.typical, bar.threshold, 5.0]))
    assert levels[0] == 0.0 and abs(levels[1] - 0.5) < 1e-9 and levels[2] == 1.0
