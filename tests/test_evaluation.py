"""core.evaluation: metric arithmetic on hand-computed rankings, reading labels and captions,
query vectors, perturbed copies, and the runner's cancel and clean-up."""

from __future__ import annotations

import math
import tempfile
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.errors import Cancelled
from core.evaluation import metrics as m
from core.evaluation.dataset import EvaluationError, from_captions, from_folders, label_of
from core.evaluation.perturb import PERTURBATIONS, WORKING_SIDE, perturb_photos
from core.evaluation.queries import (
    ENSEMBLE_TEMPLATES,
    LABEL_TEMPLATE,
    query_vectors,
    search_text,
    templates_for,
)
from core.evaluation.report import to_json
from core.evaluation.results import EvalProgress
from core.evaluation.runner import EvalRequest, evaluate
from core.imaging.loading import make_thumbnail
from tests.conftest import TINY_MODEL, make_photo, tree_fingerprint

LOG2 = math.log2

# -- metrics ----------------------------------------------------------------------------------


def test_metrics_two_relevant_items_by_hand():
    ranking, relevant = ["a", "b", "c", "d", "e"], {"b", "d"}  # found at ranks 2 and 4
    assert m.recall_at(ranking, relevant, 1) == 0.0
    assert m.recall_at(ranking, relevant, 2) == 0.5
    assert m.recall_at(ranking, relevant, 4) == 1.0
    assert m.hit_at(ranking, relevant, 1) == 0.0
    assert m.hit_at(ranking, relevant, 2) == 1.0
    assert m.precision_at(ranking, relevant, 2) == 0.5
    assert m.precision_at(ranking, relevant, 4) == 0.5
    assert m.precision_at(ranking, relevant, 10) == pytest.approx(0.2)  # always over K
    assert m.reciprocal_rank(ranking, relevant) == 0.5
    assert m.average_precision(ranking, relevant) == pytest.approx((1 / 2 + 2 / 4) / 2)
    ideal = 1 / LOG2(2) + 1 / LOG2(3)
    assert m.ndcg_at(ranking, relevant, 10) == pytest.approx((1 / LOG2(3) + 1 / LOG2(5)) / ideal)
    assert m.ndcg_at(ranking, relevant, 3) == pytest.approx((1 / LOG2(3)) / ideal)


def test_metrics_one_relevant_item_first_and_last():
    assert m.average_precision(["x", "y", "z"], {"x"}) == 1.0
    assert m.ndcg_at(["x", "y", "z"], {"x"}) == 1.0
    assert m.precision_at(["x", "y", "z"], {"x"}, 5) == pytest.approx(0.2)
    assert m.reciprocal_rank(["y", "z", "x"], {"x"}) == pytest.approx(1 / 3)
    assert m.average_precision(["y", "z", "x"], {"x"}) == pytest.approx(1 / 3)
    assert m.ndcg_at(["y", "z", "x"], {"x"}) == pytest.approx(1 / LOG2(4))
    assert m.ndcg_at(["y", "z", "x"], {"x"}, 2) == 0.0  # outside the top 2


def test_average_precision_of_a_textbook_ranking():
    ranking = list(range(1, 11))
    relevant = {1, 3, 6}
    assert m.average_precision(ranking, relevant) == pytest.approx((1 + 2 / 3 + 3 / 6) / 3)
    assert m.recall_at(ranking, relevant, 5) == pytest.approx(2 / 3)


def test_relevant_items_missing_from_the_ranking_count_as_never_found():
    assert m.recall_at(["a", "b"], {"b", "z"}, 2) == 0.5
    assert m.average_precision(["a", "b"], {"b", "z"}) == pytest.approx((1 / 2) / 2)
    ndcg = (1 / LOG2(3)) / (1 + 1 / LOG2(3))
    assert m.ndcg_at(["a", "b"], {"b", "z"}) == pytest.approx(ndcg)
    # None of them ranked: every metric is 0, not undefined.
    assert m.reciprocal_rank(["a", "b"], {"z"}) == 0.0
    assert m.average_precision(["a", "b"], {"z"}) == 0.0
    assert m.ndcg_at(["a", "b"], {"z"}) == 0.0
    assert m.hit_at(["a", "b"], {"z"}, 10) == 0.0


def test_edge_k_and_undefined_queries():
    ranking = ["a", "b", "c"]
    assert m.recall_at(ranking, {"c"}, 100) == 1.0  # K beyond the ranking: all of it
    assert m.precision_at(ranking, {"a", "c"}, 100) == pytest.approx(2 / 100)
    with pytest.raises(ValueError, match="K must be 1 or more"):
        m.recall_at(ranking, {"a"}, 0)
    with pytest.raises(ValueError, match="no relevant item"):
        m.recall_at(ranking, set(), 1)
    with pytest.raises(ValueError, match="no relevant item"):
        m.average_precision(ranking, set())
    # More relevant items than K: the ideal DCG has K terms, so a perfect top K scores 1.
    many = [str(i) for i in range(20)]
    assert m.ndcg_at(many, set(many[:12]), 10) == pytest.approx(1.0)
    assert m.recall_at(many, set(many[:12]), 10) == pytest.approx(10 / 12)
    # An item listed twice counts once, at its first place.
    assert m.ranks_in(["a", "b", "a", "c"], {"a", "c"}).ranks.tolist() == [1, 4]


def test_ties_are_broken_against_the_model():
    tied = m.ranks_from_scores(np.array([0.9, 0.5, 0.5, 0.1]), np.array([0, 1, 0, 0], bool))
    assert tied.ranks.tolist() == [3]  # behind the other photo of the same score
    flat = m.ranks_from_scores(np.full(4, 0.3), np.array([1, 0, 0, 1], bool))
    assert flat.ranks.tolist() == [3, 4]  # a model that scores all alike finds nothing first
    assert m.reciprocal_rank_from_ranks(flat) == pytest.approx(1 / 3)
    clear = m.ranks_from_scores(np.array([0.1, 0.8, 0.3]), np.array([0, 1, 1], bool))
    assert clear.ranks.tolist() == [1, 2]
    with pytest.raises(ValueError):
        m.ranks_from_scores(np.zeros(3), np.zeros(2, bool))


def test_counting_and_sorting_give_the_same_ranks(monkeypatch):
    rng = np.random.default_rng(7)
    cases = []
    for relevant in (1, 3, 20, 60):
        # Coarse scores make many ties, between relevant photos and others alike.
        scores = np.round(rng.random(200), 1)
        mask = np.zeros(200, bool)
        mask[rng.choice(200, relevant, replace=False)] = True
        cases.append((scores, mask))
    counted = [m.ranks_from_scores(s, k).ranks.tolist() for s, k in cases]
    monkeypatch.setattr(m, "COUNTING_LIMIT", -1)  # always sort
    sorted_ = [m.ranks_from_scores(s, k).ranks.tolist() for s, k in cases]
    assert counted == sorted_
    assert [len(r) for r in counted] == [1, 3, 20, 60]


def test_summary_means_over_queries_and_skips_those_without_relevant_items():
    first = m.ranks_in(["a", "b", "c"], {"a"})  # rank 1
    second = m.ranks_in(["a", "b", "c"], {"b", "c"})  # ranks 2, 3
    nothing = m.ranks_in(["a", "b", "c"], set())
    summary = m.summarise([first, second, nothing], curve_k=3)
    assert (summary.queries, summary.skipped) == (2, 1)
    assert list(summary.values) == m.metric_keys()
    assert summary.values["R@1"] == 0.5
    assert summary.values["recall@1"] == 0.5
    assert summary.values["precision@1"] == 0.5
    assert summary.values["mrr"] == pytest.approx((1 + 1 / 2) / 2)
    assert summary.values["map"] == pytest.approx((1 + (1 / 2 + 2 / 3) / 2) / 2)
    assert summary.recall_curve == pytest.approx((0.5, 0.75, 1.0))
    empty = m.summarise([nothing])
    assert empty.queries == 0 and empty.values["map"] == 0.0


# -- labels and captions ----------------------------------------------------------------------


def test_labels_from_subfolders(tmp_path):
    root = tmp_path / "data"
    make_photo(root / "golden_retriever" / "a.jpg", 1)
    make_photo(root / "golden_retriever" / "b.png", 2)
    make_photo(root / "beach" / "x.jpg", 3)
    make_photo(root / "beach" / "2019" / "y.jpg", 4)  # deeper still counts for its label
    make_photo(root / "loose.jpg", 5)  # a distractor: no label
    make_photo(root / ".hidden" / "h.jpg", 6)  # hidden folders are never indexed
    (root / "notes").mkdir()
    (root / "notes" / "readme.txt").write_text("not a photo")
    dataset = from_folders(root)
    assert dataset.source == "folders" and not dataset.is_captions
    assert [q.subject for q in dataset.queries] == ["beach", "golden retriever"]
    assert dataset.queries[0].relevant == {"beach/x.jpg", "beach/2019/y.jpg"}
    assert dataset.queries[1].relevant == {"golden_retriever/a.jpg", "golden_retriever/b.png"}
    assert "loose.jpg" in dataset.photos
    assert not any(p.startswith(".hidden") for p in dataset.photos)
    assert label_of("  red__circle ") == "red circle"


def test_a_folder_without_labels_is_one_clear_error(tmp_path):
    make_photo(tmp_path / "flat" / "a.jpg", 1)
    with pytest.raises(EvaluationError, match="No labels found") as raised:
        from_folders(tmp_path / "flat")
    assert "\n" not in str(raised.value) and "captions file" in str(raised.value)
    with pytest.raises(EvaluationError, match="not a folder"):
        from_folders(tmp_path / "nowhere")


def test_captions_csv_with_header_quotes_and_many_rows(tmp_path):
    root = tmp_path / "data"
    for n, name in enumerate(["a.jpg", "b.jpg", "sub/c.png", "d.jpg"]):
        make_photo(root / name, n)
    captions = tmp_path / "captions.csv"
    captions.write_text(
        "\ufeffpath,caption\n"
        "a.jpg,a dog on a beach\n"
        'b.jpg,"a cat, asleep"\n'
        "./sub/c.png,a dog on a beach\n"
        "a.jpg,my dog\n"
        "\n"
        "gone.jpg,a photo that is not there\n"
        "../outside.jpg,outside the folder\n"
        "b.jpg,two cats, unquoted\n",
        encoding="utf-8",
    )
    dataset = from_captions(root, captions)
    assert dataset.is_captions
    by_caption = {q.subject: q.relevant for q in dataset.queries}
    assert by_caption == {
        "a dog on a beach": {"a.jpg", "sub/c.png"},
        "a cat, asleep": {"b.jpg"},
        "my dog": {"a.jpg"},
        "two cats, unquoted": {"b.jpg"},
    }
    assert dataset.missing == 2 and "gone.jpg" in dataset.missing_examples
    assert "d.jpg" in dataset.photos  # uncaptioned: a distractor


def test_captions_tsv_by_content_or_name(tmp_path):
    root = tmp_path / "data"
    make_photo(root / "a b.jpg", 1)
    for name in ("captions.txt", "captions.tsv"):
        path = tmp_path / name
        path.write_text("a b.jpg\ta photo, with a comma\n")
        dataset = from_captions(root, path)
        assert [(q.subject, set(q.relevant)) for q in dataset.queries] == [
            ("a photo, with a comma", {"a b.jpg"})
        ]


def test_captions_errors_are_one_clear_line(tmp_path):
    root = tmp_path / "data"
    make_photo(root / "a.jpg", 1)
    with pytest.raises(EvaluationError, match="was not found") as raised:
        from_captions(root, tmp_path / "missing.csv")
    assert "missing.csv" in str(raised.value) and "\n" not in str(raised.value)
    nothing = tmp_path / "other.csv"
    nothing.write_text("zzz.jpg,a caption for no photo\n")
    with pytest.raises(EvaluationError, match="No captions found"):
        from_captions(root, nothing)


# -- queries ----------------------------------------------------------------------------------


def test_query_texts_and_prompt_ensembles(tmp_path, tiny_embedder):
    root = tmp_path / "data"
    make_photo(root / "dog" / "a.jpg", 1)
    labels = from_folders(root)
    assert search_text(labels, "dog") == "a photo of a dog."
    assert templates_for(labels, ensembles=False) == (LABEL_TEMPLATE,)
    assert templates_for(labels, ensembles=True) == ENSEMBLE_TEMPLATES

    single = query_vectors(tiny_embedder, ["dog", "beach"], (LABEL_TEMPLATE,))
    plain = tiny_embedder.embed_texts(["a photo of a dog.", "a photo of a beach."])
    plain /= np.linalg.norm(plain, axis=1, keepdims=True)
    np.testing.assert_allclose(single, plain, atol=1e-6)

    ensemble = query_vectors(tiny_embedder, ["dog"], ENSEMBLE_TEMPLATES)[0]
    each = tiny_embedder.embed_texts([t.format("dog") for t in ENSEMBLE_TEMPLATES])
    each /= np.linalg.norm(each, axis=1, keepdims=True)
    mean = each.mean(axis=0)
    np.testing.assert_allclose(ensemble, mean / np.linalg.norm(mean), atol=1e-6)
    assert np.linalg.norm(ensemble) == pytest.approx(1.0, abs=1e-5)
    assert float(ensemble @ single[0]) < 0.9999  # the other templates moved it


# -- perturbed copies -------------------------------------------------------------------------


def test_perturbed_copies_change_pixels_keep_count_and_skip_bad_files(tmp_path):
    root = tmp_path / "data"
    names = ["a.jpg", "sub/b.png", "c.jpg"]
    for n, name in enumerate(names):
        make_photo(root / name, n, size=(200, 150))
    (root / "bad.jpg").write_bytes(b"\xff\xd8 not a jpeg at all")
    before = tree_fingerprint(root)
    done: list[tuple[int, int]] = []
    out = tmp_path / "copies"
    result = perturb_photos(root, [*names, "bad.jpg"], out,
                            progress=lambda d, t: done.append((d, t)))
    assert tree_fingerprint(root) == before  # nothing written next to the photos
    assert done[-1] == (4, 4)
    assert [rel for rel, _reason in result.failures] == ["bad.jpg"]
    assert set(result.folders) == set(PERTURBATIONS)
    for kind, folder in result.folders.items():
        copies = sorted(folder.iterdir())
        assert len(copies) == len(names), kind
        assert sorted(result.origin[kind].values()) == sorted(names)
        for copy in copies:
            original = np.asarray(
                make_thumbnail(root / result.origin[kind][copy.name], WORKING_SIDE),
                dtype=np.int16,
            )
            with Image.open(copy) as opened:
                changed = np.asarray(opened.convert("RGB"), dtype=np.int16)
            if kind == "crop":
                assert changed.shape[:2] == (105, 140)  # 70% of 150 x 200
                continue
            assert changed.shape == original.shape
            assert np.abs(changed - original).mean() > 1.0, (kind, copy.name)
    with pytest.raises(ValueError, match="outside"):
        perturb_photos(root, names, root / "copies")
    stop = threading.Event()
    stop.set()
    with pytest.raises(Cancelled):
        perturb_photos(root, names, tmp_path / "more", cancel=stop)


# -- the runner -------------------------------------------------------------------------------


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """Where the runner's temporary folder goes, to check that it is removed."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    return scratch


def _two_labels(root: Path) -> Path:
    for n in range(3):
        make_photo(root / "first" / f"{n}.jpg", n)
        make_photo(root / "second" / f"{n}.jpg", 10 + n)
    (root / "second" / "broken.jpg").write_bytes(b"\xff\xd8 truncated")
    return root


def test_runner_reports_unreadable_photos_and_removes_its_folders(tmp_path, private_tmp):
    root = _two_labels(tmp_path / "data")
    before = tree_fingerprint(root)
    seen: list[EvalProgress] = []
    request = EvalRequest(root, (TINY_MODEL,), curve_k=4, robustness=True)
    report = evaluate(request, progress=seen.append)
    assert tree_fingerprint(root) == before
    assert list(private_tmp.iterdir()) == []  # the temporary homes are gone
    (result,) = report.models
    assert result.model == TINY_MODEL and result.photos == 6
    assert [path for path, _reason in result.failures] == ["second/broken.jpg"]
    assert result.clean.queries == 2 and len(result.clean.recall_curve) == 4
    assert result.indexing.photos == 6 and result.indexing.photos_per_second > 0
    assert result.latency.queries == 2 and result.latency.p95_ms >= result.latency.p50_ms > 0
    phases = {p.phase for p in seen}
    assert phases >= {"perturbing", "loading", "indexing", "indexing copies", "timing", "ranking"}
    assert all(p.model == TINY_MODEL and p.models == 1 for p in seen if p.phase != "perturbing")
    # Every perturbation ranked on its own: the six readable photos' copies, the two labels.
    assert set(result.robustness) == set(PERTURBATIONS)
    for kind, copies in result.robustness.items():
        assert (copies.queries, copies.skipped) == (2, 0), kind
        assert copies.values["recall@10"] == 1.0  # six copies in all: every one in the top 10
    assert set(to_json(report)["models"][0]["robustness"]) == set(PERTURBATIONS)


def test_runner_cancel_stops_and_cleans_up(tmp_path, private_tmp):
    root = _two_labels(tmp_path / "data")
    cancel = threading.Event()

    def progress(p: EvalProgress) -> None:
        if p.phase == "indexing":
            cancel.set()

    with pytest.raises(Cancelled):
        evaluate(EvalRequest(root, (TINY_MODEL,)), progress=progress, cancel=cancel)
    assert list(private_tmp.iterdir()) == []
