"""``photoseek eval``: two models side by side on drawn shapes, the trained one must win; JSON
keys, the chart, and one-line errors. The person's library and the folder are never touched."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from PIL import Image

from core.cli.main import main
from core.evaluation.metrics import metric_keys
from tests.conftest import TINY_MODEL, make_photo, tree_fingerprint
from tests.shapes_clip import COLOURS, SHAPES, draw_shape

PER_LABEL = 6


def shapes_by_label(root: Path, seed: int, per_label: int = PER_LABEL) -> Path:
    """A subfolder per colour and shape ("red circle", ...), ``per_label`` drawings in each."""
    rng = random.Random(seed)
    for colour in COLOURS:
        for shape in SHAPES:
            folder = root / f"{colour} {shape}"
            folder.mkdir(parents=True)
            for n in range(per_label):
                draw_shape(rng, colour, shape).save(folder / f"{n}.png")
    return root


def test_trained_model_beats_random_one_side_by_side(
    tmp_path, capsys, shapes_model_path, isolated_home
):
    root = shapes_by_label(tmp_path / "shapes", 2024)
    before = tree_fingerprint(root)
    chart = tmp_path / "out" / "recall.png"
    chart.parent.mkdir()
    trained = f"test-tiny:{shapes_model_path}"
    code = main(["eval", str(root), "--models", trained, TINY_MODEL, "--no-ensembles",
                 "--png", str(chart), "--json", "-k", "20"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    report = json.loads(captured.out)

    assert tree_fingerprint(root) == before  # nothing written into the folder
    assert not isolated_home.exists()  # the person's library was never opened

    assert set(report) == {"folder", "source", "photos", "queries", "ensembles", "curve_k",
                           "missing_captions", "failed_models", "models"}
    assert report["failed_models"] == []
    assert (report["source"], report["photos"], report["queries"]) == ("folders", 72, 12)
    assert report["curve_k"] == 20 and report["ensembles"] is False
    good, bad = report["models"]
    assert good["model"] == trained and bad["model"] == TINY_MODEL
    for model in (good, bad):
        assert set(model) == {"model", "photos", "queries", "skipped_queries", "metrics",
                              "recall_curve", "indexing", "latency_ms", "robustness",
                              "failures"}
        assert list(model["metrics"]) == metric_keys()
        assert len(model["recall_curve"]) == 20
        assert model["photos"] == 72 and model["failures"] == []
        assert model["indexing"]["photos"] == 72 and model["indexing"]["photos_per_second"] > 0
        assert model["latency_ms"]["queries"] == 12
        assert model["robustness"] == {}  # not asked for

    # Twelve labels of six: a random model's mAP sits near chance (about 0.1-0.2); the
    # trained one puts each label's photos first.
    assert good["metrics"]["map"] >= 0.85, good["metrics"]
    assert good["metrics"]["R@1"] >= 0.9
    assert bad["metrics"]["map"] <= 0.4, bad["metrics"]
    assert good["metrics"]["map"] - bad["metrics"]["map"] >= 0.5
    assert good["recall_curve"][-1] > bad["recall_curve"][-1]

    with Image.open(chart) as png:
        assert png.format == "PNG" and png.size == (800, 500)
        png.load()


def test_a_model_that_cannot_load_loses_no_other_models_result(tmp_path, capsys):
    root = shapes_by_label(tmp_path / "shapes", 7, per_label=2)
    missing = f"test-tiny:{tmp_path / 'nowhere.safetensors'}"
    code = main(["eval", str(root), "--models", missing, TINY_MODEL, "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    report = json.loads(captured.out)
    assert [m["model"] for m in report["models"]] == [TINY_MODEL]
    assert report["models"][0]["photos"] == 24
    [failed] = report["failed_models"]
    assert failed["model"] == missing and "nowhere.safetensors" in failed["reason"]

    # Alone, the same model's failure is the command's one-line error.
    assert main(["eval", str(root), "--models", missing]) == 1
    said = [line for line in capsys.readouterr().err.splitlines()
            if line.startswith("photoseek:")]  # after the progress lines
    assert len(said) == 1 and "nowhere.safetensors" in said[0]


def test_captions_and_the_librarys_model_in_a_table(tmp_path, capsys, isolated_home):
    root = tmp_path / "photos"
    rows = ["path,caption"]
    for n in range(8):
        name = f"holiday/{n}.jpg"
        make_photo(root / name, n)
        rows.append(f"{name},photo number {n % 4}")
    captions = tmp_path / "captions.csv"
    captions.write_text("\n".join(rows) + "\nnot-there.jpg,lost\n")
    # The library's model comes from its settings, which are read and left as they were.
    isolated_home.mkdir()
    settings = isolated_home / "settings.json"
    settings.write_text(json.dumps({"model": TINY_MODEL}))

    assert main(["eval", str(root), "--captions", str(captions)]) == 0
    captured = capsys.readouterr()
    assert sorted(p.name for p in isolated_home.iterdir()) == ["settings.json"]
    assert json.loads(settings.read_text()) == {"model": TINY_MODEL}
    lines = captured.out.splitlines()
    assert lines[0] == f"{root}: 8 photos, 4 captions"
    assert "1 caption rows name no photo" in lines[1]
    header = next(line for line in lines if line.strip().startswith(TINY_MODEL))
    assert header.split() == [TINY_MODEL]
    labels = [line.split()[0] for line in lines if line and not line.startswith(" ")]
    for key in ["photos", *metric_keys(), "indexing", "query"]:
        assert key in labels, key
    assert "indexing" in captured.err  # progress on stderr


@pytest.mark.parametrize("case", ["flat", "captions", "png-inside", "png-folder"])
def test_errors_are_one_line(tmp_path, capsys, case):
    root = tmp_path / "photos"
    make_photo(root / "a.jpg", 1)
    make_photo(root / "label" / "b.jpg", 2)
    args = {
        "flat": ["eval", str(root / "label")],
        "captions": ["eval", str(root), "--captions", str(tmp_path / "nope.csv")],
        "png-inside": ["eval", str(root), "--png", str(root / "chart.png")],
        "png-folder": ["eval", str(root), "--png", str(tmp_path / "no" / "chart.png")],
    }[case]
    before = tree_fingerprint(root)
    assert main(["--model", TINY_MODEL, *args]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("photoseek: "), err
    assert {"flat": "No labels found", "captions": "nope.csv", "png-inside": "never writes",
            "png-folder": "does not exist"}[case] in err[0]
    assert tree_fingerprint(root) == before
