"""Zero-shot tags: the prompt ensemble, the threshold rule, and a library of coloured shapes
tagged by the tiny CLIP trained on them (tests/shapes_clip.py), through the Library API."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from core.search.filters import Filters
from core.search.request import SearchRequest
from core.tagging import thresholds
from core.tagging.own import TagError
from core.tagging.prompts import PromptCache, embed_categories, ensemble
from core.tagging.thresholds import Bulk, Calibration, choose, library_bulk
from core.tagging.vocabulary import BUILT_IN, Category, Role, Vocabulary, resolve, tag_name
from tests.shapes_clip import COLOURS, SHAPES, draw_shape

pytestmark = pytest.mark.understanding  # tagging runs after indexing here

# Phrasings the shapes model was trained on ("a red circle", "a photo of a red circle"): words
# it never saw ("blurry", ".") would only add noise to its tiny vocabulary.
SHAPE_TEMPLATES = ("{}", "a photo of {}")
LABELS = [f"{c} {s}" for c in COLOURS for s in SHAPES]


def shapes_vocabulary(leave_out: tuple[str, ...] = ()) -> Vocabulary:
    return Vocabulary(
        tuple(Category(label, f"a {label}", "", SHAPE_TEMPLATES, Role.SUBJECT)
              for label in LABELS if label not in leave_out),
        custom_templates=SHAPE_TEMPLATES,
    )


def shapes_folder(root: Path, per_label: int, seed: int = 5) -> dict[Path, str]:
    """``per_label`` pictures of each of the 12 colours and shapes; path -> label."""
    rng = random.Random(seed)
    truth = {}
    root.mkdir(parents=True)
    for n in range(per_label * len(LABELS)):
        label = LABELS[n % len(LABELS)]
        path = root / f"shape_{n:03d}.png"
        draw_shape(rng, *label.split()).save(path)
        truth[path] = label
    return truth


def open_shapes(home: Path, weights: Path, folder: Path, vocabulary: Vocabulary):
    from core.library import Library

    lib = Library(home=home, model=f"test-tiny:{weights}")
    lib.tag_vocabulary = vocabulary
    lib.add_folder(folder)
    return lib


def embed_and_tag(lib) -> int:
    """Scan and embed, then tag: what ``index`` does, without the other jobs after embedding
    (reading text in 60 photos would cost these tests seconds)."""
    lib.scan()
    lib.embed_pending()
    return lib.tag_photos()


def photo_ids(lib, truth: dict[Path, str]) -> dict[Path, int]:
    from core.catalog import lookups

    with lib.catalog.read() as conn:
        return {path: lookups.photo_at(conn, path)[0] for path in truth}


@pytest.fixture(scope="module")
def shapes(tmp_path_factory, shapes_model_path):
    """60 shapes (5 of each label), indexed and tagged, shared by the tests that only read."""
    root = tmp_path_factory.mktemp("tagged")
    truth = shapes_folder(root / "photos", 5)
    lib = open_shapes(root / "home", shapes_model_path, root / "photos", shapes_vocabulary())
    embed_and_tag(lib)
    yield lib, truth, photo_ids(lib, truth)
    lib.close()


# -- prompts ---------------------------------------------------------------------------------


def test_ensemble_is_the_unit_mean_of_unit_template_vectors(tiny_embedder):
    assert np.allclose(ensemble(np.array([[3.0, 0.0], [0.0, 0.5]])), [2**-0.5, 2**-0.5])

    category = Category("dog", "a dog", "狗", ("a photo of {}.", "a blurry photo of {}."),
                        Role.SUBJECT)
    one = tiny_embedder.embed_texts(["a photo of a dog."])[0]
    two = tiny_embedder.embed_texts(["a blurry photo of a dog."])[0]
    mean = (one + two) / 2
    expected = mean / np.linalg.norm(mean)
    got = embed_categories([category], tiny_embedder.embed_texts)[0]
    assert np.allclose(got, expected, atol=1e-6)
    assert not np.allclose(got, one, atol=1e-3)  # two prompts really were averaged


def test_prompt_cache_encodes_each_tag_once_and_survives_damage(tmp_path, tiny_embedder):
    asked: list[str] = []

    def embed(texts):
        asked.extend(texts)
        return tiny_embedder.embed_texts(texts)

    vocabulary = shapes_vocabulary()
    cold = PromptCache(tmp_path, "model-a").vectors(vocabulary.categories, embed)
    assert len(asked) == len(vocabulary.categories) * len(SHAPE_TEMPLATES)
    asked.clear()
    warm = PromptCache(tmp_path, "model-a").vectors(vocabulary.categories, embed)  # from disk
    assert asked == [] and np.array_equal(cold, warm)
    # Another model has its own file; a changed prompt is encoded again, alone.
    PromptCache(tmp_path, "model-b").vectors(vocabulary.categories[:1], embed)
    assert len(asked) == len(SHAPE_TEMPLATES)
    asked.clear()
    changed = Category("red circle", "a red round circle", "", SHAPE_TEMPLATES, Role.SUBJECT)
    PromptCache(tmp_path, "model-a").vectors([changed, *vocabulary.categories[1:]], embed)
    assert sorted(asked) == sorted(changed.prompts())
    # Cancelled midway (photos arrived), the tags done are kept: the next run does the rest.
    import threading

    from core.tagging import prompts

    stop = threading.Event()
    asked.clear()

    def embed_then_stop(texts):
        stop.set()
        return embed(texts)

    many = [Category(f"tag {n}", f"a thing number {n}", "", SHAPE_TEMPLATES, Role.SUBJECT)
            for n in range(2 * prompts.CHUNK)]
    assert PromptCache(tmp_path, "model-c").vectors(many, embed_then_stop, stop) is None
    assert len(asked) == prompts.CHUNK * len(SHAPE_TEMPLATES)
    asked.clear()
    PromptCache(tmp_path, "model-c").vectors(many, embed)
    assert len(asked) == prompts.CHUNK * len(SHAPE_TEMPLATES)
    # A damaged file is computed again, never trusted.
    cache = PromptCache(tmp_path, "model-a")
    cache.path.write_bytes(b"not a numpy file")
    asked.clear()
    again = cache.vectors(vocabulary.categories, embed)
    assert np.allclose(again, cold) and len(asked) == len(vocabulary.categories) * 2


def test_prompt_cache_cancelled_before_any_prompt_keeps_nothing_and_raises_nothing(tmp_path):
    """Photos arrived before the first chunk of a new model's prompts: nothing to save."""
    import threading

    stop = threading.Event()
    stop.set()
    cache = PromptCache(tmp_path, "model-d")
    assert cache.vectors(shapes_vocabulary().categories, lambda texts: 1 / 0, stop) is None
    assert not cache.path.exists()


def test_built_in_vocabulary_is_large_unique_and_bilingual():
    names = BUILT_IN.names
    assert 250 <= len(names) <= 400
    assert {"beach", "dog", "receipt", "screenshot", "birthday", "night", "sunset"} <= set(names)
    assert all(name == tag_name(name) for name in names)  # stable lower-case keys
    assert all(c.zh for c in BUILT_IN.categories)
    settings = [c for c in BUILT_IN.categories if c.role is not Role.SUBJECT
                and c.role is not Role.STYLE]
    assert all(c.where for c in settings)  # each composes: "on the beach", "at night"
    assert resolve("海滩") == "beach" and resolve("  Beach ") == "beach"
    with pytest.raises(ValueError, match="twice"):
        Vocabulary(BUILT_IN.categories[:2] * 2)


# -- the rule --------------------------------------------------------------------------------


def _scores(rng: np.random.Generator, photos: int, tags: int) -> np.ndarray:
    """A library's cosines: each tag's bulk around 0.2, spread 0.01."""
    return rng.normal(0.2, 0.01, (photos, tags)).astype(np.float32)


def _bulk(tags: int, typical: float, spread: float) -> Bulk:
    """Every tag's bulk the same, its bar Z_MIN spreads above."""
    return Bulk(np.full(tags, typical, np.float32), np.full(tags, spread, np.float32),
                np.full(tags, typical + thresholds.Z_MIN * spread, np.float32))


def test_a_tag_applies_where_it_stands_out_from_the_library():
    rng = np.random.default_rng(1)
    scores = _scores(rng, 400, 40)
    shows = 1 + np.arange(400) % 39  # each photo shows one of tags 1..39 ...
    scores[np.arange(400), shows] += 0.1
    scores[:20, 0] += 0.09  # ... and 20 of them tag 0 besides
    rows, cols = choose(scores, library_bulk(scores), Calibration(100.0))
    tagged = {(int(r), int(c)) for r, c in zip(rows, cols, strict=True)}
    wanted = {(r, 0) for r in range(20)} | {(r, int(shows[r])) for r in range(400)}
    assert len(wanted - tagged) <= 4, sorted(wanted - tagged)
    assert len(tagged - wanted) <= 4, sorted(tagged - wanted)
    # Without the photos' own subject to compare with, chance alone passes few: pure noise.
    noise = _scores(rng, 400, 40)
    assert len(choose(noise, library_bulk(noise), Calibration(100.0))[0]) <= 0.01 * noise.size


def test_a_tag_most_of_the_library_carries_still_applies():
    rng = np.random.default_rng(2)
    scores = _scores(rng, 500, 40)
    scores[np.arange(500), 2 + np.arange(500) % 38] += 0.1  # each photo's own subject ...
    scores[:250, 1] += 0.08  # ... and half the library carries tag 1 too ("people")
    rows, cols = choose(scores, library_bulk(scores), Calibration(100.0))
    carrying = set(rows[cols == 1].tolist())
    assert len(carrying & set(range(250))) >= 210  # a few are too far below their subject
    assert len(carrying - set(range(250))) <= 2
    # The median and MAD would have set the bar inside the matches.
    column = scores[:, 1].astype(np.float64)
    median_bar = np.median(column) + 3 * 1.4826 * np.median(np.abs(column - np.median(column)))
    assert (scores[:250, 1] >= median_bar).sum() < 200


def test_a_tag_far_below_the_photos_own_subject_does_not_apply():
    bulk = _bulk(3, 0.2, 0.01)
    photo = np.array([[0.34, 0.25, 0.2]], np.float32)  # tag 1 stands 5 spreads out, but...
    rows, cols = choose(photo, bulk, Calibration(100.0))
    assert cols.tolist() == [0]  # ... 9 logits below tag 0: the photo shows tag 0
    close = np.array([[0.28, 0.26, 0.2]], np.float32)  # 2 logits apart: both apply
    assert choose(close, bulk, Calibration(100.0))[1].tolist() == [0, 1]


def test_a_photo_carries_a_few_tags_at_most():
    bulk = _bulk(12, 0.2, 0.01)
    photo = np.full((1, 12), 0.3, np.float32) + np.arange(12, dtype=np.float32) * 1e-3
    _rows, cols = choose(photo, bulk, Calibration(100.0))
    assert cols.tolist() == [11, 10, 9, 8, 7][: thresholds.MAX_TAGS]  # the best, best first


def test_a_small_library_keeps_what_the_photo_classifier_says():
    scores = np.full((3, 10), 0.2, np.float32)
    scores[0, 0] = 0.3
    scores[1, :2], scores[1, 2:] = 0.25, 0.1
    assert library_bulk(scores) is None
    rows, cols = choose(scores, None, Calibration(100.0))
    got = sorted(zip(rows.tolist(), cols.tolist(), strict=True))
    # The first photo is clearly tag 0; the second is both 0 and 1; the third, nothing clear.
    assert got == [(0, 0), (1, 0), (1, 1)]


def test_a_calibrated_model_passes_what_it_is_sure_of():
    bulk = _bulk(2, 0.2, 0.05)
    photo = np.array([[0.21, 0.02]], np.float32)  # tag 0 stands out by 0.2 spreads only
    assert choose(photo, bulk, Calibration(10.0)).__getitem__(1).tolist() == []
    # A sigmoid model (SigLIP) giving sigmoid(10 * 0.21 - 1) = 0.75 says it applies.
    assert choose(photo, bulk, Calibration(10.0, bias=-1.0))[1].tolist() == [0]


# -- a library of shapes ---------------------------------------------------------------------


def test_photos_get_their_own_tag_and_few_others(shapes):
    lib, truth, ids = shapes
    right = wrong = 0
    for path, label in truth.items():
        names = [name for name, _score in lib.tags_of(ids[path])]
        right += label in names
        wrong += len([name for name in names if name != label])
        assert len(names) <= thresholds.MAX_TAGS
    assert right >= 0.9 * len(truth), (right, wrong)
    assert wrong <= 0.1 * len(truth), (right, wrong)
    counts = {tag.name: tag.count for tag in lib.tags()}
    assert set(counts) == set(LABELS) and all(4 <= n <= 9 for n in counts.values()), counts


def test_tagging_is_skipped_when_nothing_changed(shapes):
    lib, _truth, _ids = shapes
    writes = lib.catalog.write_count
    assert lib.tag_photos() == 0
    assert lib.catalog.write_count == writes  # not even a write transaction


def test_new_photos_are_tagged_at_the_next_run(tmp_path, shapes_model_path):
    truth = shapes_folder(tmp_path / "photos", 5)
    lib = open_shapes(tmp_path / "home", shapes_model_path, tmp_path / "photos",
                      shapes_vocabulary())
    try:
        assert embed_and_tag(lib) == len(truth)
        assert lib.tag_photos() == 0
        extra = tmp_path / "photos" / "late.png"
        draw_shape(random.Random(99), "blue", "square").save(extra)
        assert embed_and_tag(lib) == len(truth) + 1
        late = photo_ids(lib, {extra: "blue square"})[extra]
        assert [name for name, _ in lib.tags_of(late)][:1] == ["blue square"]
        assert lib.tag_photos() == 0
        # A different vocabulary is a change too: everything is tagged again.
        lib.tag_vocabulary = shapes_vocabulary(leave_out=("red circle",))
        assert lib.tag_photos() == len(truth) + 1
        assert "red circle" not in {t.name for t in lib.tags()}
    finally:
        lib.close()


def test_indexing_tags_a_small_library_by_each_photo_alone(tmp_path, shapes_model_path,
                                                          monkeypatch):
    """Under 50 photos there is no library to stand out from: each photo's own classifier
    decides. ``index`` runs the tagging job after embedding."""
    from core.library import Library

    truth = shapes_folder(tmp_path / "photos", 2)
    lib = open_shapes(tmp_path / "home", shapes_model_path, tmp_path / "photos",
                      shapes_vocabulary())
    # The jobs as registered, but for reading text in photos: seconds, and not tagging's.
    jobs = [job for job in Library.background_jobs(lib) if job.name != "text"]
    monkeypatch.setattr(lib, "background_jobs", lambda: jobs)
    try:
        lib.index()
        ids = photo_ids(lib, truth)
        found = {path: [name for name, _ in lib.tags_of(ids[path])] for path in truth}
        assert sum(found[p][:1] == [label] for p, label in truth.items()) >= len(truth) - 1
        assert sum(len(names) for names in found.values()) <= len(truth) + 2, found
        assert lib.tag_photos() == 0  # the job already ran
    finally:
        lib.close()


def test_own_tags_fill_themselves_and_can_be_removed(tmp_path, shapes_model_path):
    truth = shapes_folder(tmp_path / "photos", 5)
    vocabulary = shapes_vocabulary(leave_out=("yellow triangle",))
    lib = open_shapes(tmp_path / "home", shapes_model_path, tmp_path / "photos", vocabulary)
    try:
        embed_and_tag(lib)
        ids = photo_ids(lib, truth)
        added = lib.add_tag("A  Yellow Triangle")  # the model is loaded: it fills at once
        assert (added.name, added.custom, added.phrase) == ("a yellow triangle", True,
                                                            "A Yellow Triangle")
        carrying = {path for path in truth if "a yellow triangle" in dict(lib.tags_of(ids[path]))}
        wanted = {path for path, label in truth.items() if label == "yellow triangle"}
        assert len(carrying & wanted) >= 4 and len(carrying - wanted) <= 1, added
        assert added.count == len(carrying)
        assert lib.add_tag("a yellow triangle").name == added.name  # the same tag, once
        assert sum(t.name == added.name for t in lib.tags()) == 1

        with pytest.raises(TagError, match="built-in"):
            lib.remove_tag("red circle")
        with pytest.raises(TagError, match="built-in"):
            lib.add_tag("Red Circle")
        with pytest.raises(TagError, match="no tag of your own"):
            lib.remove_tag("purple hexagon")
        lib.remove_tag("A yellow triangle")
        assert added.name not in {t.name for t in lib.tags()}
        assert all(added.name not in dict(lib.tags_of(i)) for i in ids.values())
    finally:
        lib.close()


def test_own_tag_added_before_the_model_loads_fills_at_the_next_run(tmp_path,
                                                                    shapes_model_path):
    from core.library import Library

    truth = shapes_folder(tmp_path / "photos", 5)
    vocabulary = shapes_vocabulary(leave_out=("green square",))
    lib = open_shapes(tmp_path / "home", shapes_model_path, tmp_path / "photos", vocabulary)
    embed_and_tag(lib)
    lib.close()
    lib = Library(home=tmp_path / "home", model=f"test-tiny:{shapes_model_path}")
    lib.tag_vocabulary = vocabulary
    try:
        assert lib.add_tag("a green square").count == 0 and not lib.model_loaded
        assert lib.tag_photos() == len(truth)
        assert {t.name: t.count for t in lib.tags()}["a green square"] >= 4
    finally:
        lib.close()


def test_a_tag_filter_narrows_search_and_browsing(shapes):
    from core.search.query import build_query

    lib, truth, ids = shapes
    blue_squares = {ids[p] for p, label in truth.items() if label == "blue square"}
    carrying = {i for i in ids.values() if "blue square" in dict(lib.tags_of(i))}
    assert len(carrying & blue_squares) >= 4

    browsed = lib._finder.browse(SearchRequest(None, Filters(tags=("blue square",))), None)
    assert {hit.photo.id for hit in browsed.hits} == carrying
    # With a query that ranks other photos first, only the tagged photos are answered.
    request = SearchRequest(build_query("red circle"), Filters(tags=("Blue Square",)),
                            weaker=True, limit=60)
    found = list(lib.find(request))[-1]
    assert {hit.photo.id for hit in found.hits} == carrying
    # All tags must apply; an unknown tag keeps nothing.
    both = Filters(tags=("blue square",)).merged(Filters(tags=("red circle",)))
    assert both.tags == ("blue square", "red circle")
    assert lib._finder.browse(SearchRequest(None, both), None).hits == []
    nothing = lib._finder.browse(SearchRequest(None, Filters(tags=("unicorn",))), None)
    assert nothing.hits == []


def test_describe_a_library_photo_and_an_outside_one(shapes, tmp_path):
    lib, truth, ids = shapes
    path, label = next((p, label) for p, label in truth.items() if label == "green circle")
    by_id = lib.describe(ids[path])
    by_path = lib.describe(path)
    assert by_id == by_path
    assert by_id.photo_id == ids[path] and by_id.tags == lib.tags_of(ids[path])
    assert by_id.descriptions[0][0] == "a green circle"
    assert 3 <= len(by_id.descriptions) <= 5  # the vocabulary has subjects only: 4 phrases
    scores = [score for _text, score in by_id.descriptions]
    assert scores == sorted(scores, reverse=True)

    outside = tmp_path / "elsewhere" / "yellow.png"
    outside.parent.mkdir()
    draw_shape(random.Random(3), "yellow", "square").save(outside)
    found = lib.describe(outside)
    assert found.photo_id is None and found.path == outside
    assert [name for name, _ in found.tags][:1] == ["yellow square"]
    assert found.descriptions[0][0] == "a yellow square"
    with lib.catalog.read() as conn:  # nothing was added to the library
        assert conn.exec_driver_sql("SELECT count(*) FROM photos").scalar() == len(truth)

    broken = tmp_path / "elsewhere" / "broken.jpg"
    broken.write_bytes(b"not a picture")
    with pytest.raises(TagError, match="broken.jpg"):
        lib.describe(broken)
    with pytest.raises(TagError, match="no photo 99999"):
        lib.describe(99999)


def test_descriptions_compose_subjects_settings_and_times():
    from core.tagging.describe import candidates

    categories = [BUILT_IN.get(n) for n in ("dog", "people", "beach", "birthday", "night",
                                            "street", "receipt")]
    scores = np.array([0.3, 0.1, 0.3, 0.1, 0.3, 0.25, 0.05], np.float32)
    phrases = candidates(categories, scores, None)
    for wanted in ("a dog on the beach", "people at a birthday party",
                   "a city street at night", "a dog on the beach at night", "a dog"):
        assert wanted in phrases
    assert len(phrases) == len(set(phrases)) <= 80


def test_tags_run_after_places_in_the_background_jobs(library):
    jobs = [(job.name, job.needs_model) for job in library.background_jobs()]
    assert jobs.index(("tags", True)) == jobs.index(("places", False)) + 1
