"""The prepared model: towers exported to ONNX, int8, checked against torch, used without torch.

The default architecture (random:ViT-B-32-SigLIP2-256: real compute, a Gemma-format tokenizer)
proves the int8 vectors stay with the fp32 ones on real photos; the tiny model (CLIP's own BPE
tokenizer) proves the library's flow (prepared after indexing, used by the next start without
torch, a damaged copy set aside, a model that cannot be prepared stays on torch).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.models.loading import load_model
from core.models.names import parse_model_name
from core.models.onnx_embedder import OnnxEmbedder
from core.models.onnx_export import PROBE_TEXTS, prepare_package
from core.models.onnx_package import IMAGE_FILE, MANIFEST, package_dir, read_package
from core.models.prepared import BACKEND_ENV, prepared_embedder
from core.search.query import build_query
from tests.conftest import make_photo

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ["a dog on the beach at sunset", "海边的日落", "red circle", "🎂 party", "x" * 3000]


def _photos() -> list[Image.Image]:
    from skimage import data

    return [Image.fromarray(a).convert("RGB") for a in (
        data.astronaut(), data.chelsea(), data.coffee(), data.rocket(), data.camera(),
        data.immunohistochemistry(), data.hubble_deep_field(), data.page())]


@pytest.fixture(scope="module")
def siglip2_prepared(siglip2_embedder, tmp_path_factory: pytest.TempPathFactory):
    """The default architecture (random:ViT-B-32-SigLIP2-256: Gemma tokenizer, sigmoid
    calibration, timm image tower) on torch, and its prepared copy."""
    models = tmp_path_factory.mktemp("prepared-siglip2")
    name = siglip2_embedder.name
    manifest = prepare_package(siglip2_embedder, name, models)
    return siglip2_embedder, OnnxEmbedder(manifest, package_dir(models, name))


@pytest.fixture(scope="module")
def tiny_prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models dir holding the prepared test-tiny (CLIP's own BPE tokenizer), as a torch load
    leaves it: knowing this computer has no GPU."""
    models = tmp_path_factory.mktemp("prepared-tiny")
    torch_model = load_model(parse_model_name("test-tiny"), models, device="cpu")  # + devices
    prepare_package(torch_model, "test-tiny", models)
    return models


def _fp32_image_vectors(torch_embedder, prepared, photos) -> np.ndarray:
    import torch

    with torch.inference_mode():  # the torch embedder's own image tower may be int8
        pixels = torch.from_numpy(np.stack([prepared.preprocess(p) for p in photos]))
        return torch_embedder.model.encode_image(pixels, normalize=True).numpy()


def test_int8_image_tower_agrees_with_fp32_on_real_photos(siglip2_prepared) -> None:
    torch_model, prepared = siglip2_prepared
    assert (prepared.backend, prepared.image_precision) == ("onnx", "int8")
    assert prepared.image_size == 256 and prepared.dim == 768
    photos = _photos()
    ours, exact = prepared.embed_pil(photos), _fp32_image_vectors(torch_model, prepared, photos)
    assert ours.dtype == np.float32 and np.allclose(np.linalg.norm(ours, axis=1), 1, atol=1e-5)
    assert np.min(np.sum(ours * exact, axis=1)) >= 0.995
    # Each photo is still nearest to its own fp32 twin.
    assert list(np.argmax(ours @ exact.T, axis=1)) == list(range(len(photos)))
    assert prepared.manifest.checks["image_int8_min_cosine"] >= 0.995


def test_text_tower_tokens_and_calibration_agree_with_torch(siglip2_prepared) -> None:
    torch_model, prepared = siglip2_prepared
    assert prepared.text_precision == "int8"
    _session, tokens = prepared._text_parts()
    for texts in (list(PROBE_TEXTS), QUERIES):
        np.testing.assert_array_equal(tokens.ids(texts), torch_model.tokenizer(texts).numpy())
    a, b = prepared.embed_texts(QUERIES), torch_model.embed_texts(QUERIES)
    assert np.min(np.sum(a * b, axis=1)) >= 0.995
    assert list(np.argmax(a @ b.T, axis=1)) == list(range(len(QUERIES)))
    # SigLIP's sigmoid calibration travels with the prepared copy (relevance cut-off, tags).
    assert prepared.logit_bias is not None
    assert (prepared.logit_scale, prepared.logit_bias) == pytest.approx(
        (torch_model.logit_scale, torch_model.logit_bias))


def test_prepared_model_searches_without_torch(tiny_prepared: Path) -> None:
    """A new process finds the prepared copy and encodes a query with torch never imported."""
    script = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from core.models.prepared import prepared_embedder\n"
        f"e = prepared_embedder('test-tiny', Path({str(tiny_prepared)!r}), 'cpu')\n"
        "v = e.embed_texts(['two cats asleep on a sofa'])[0]\n"
        "print(json.dumps({'backend': e.backend, 'torch': 'torch' in sys.modules,\n"
        "                  'open_clip': 'open_clip' in sys.modules, 'v': v.tolist()}))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=True)
    answer = json.loads(out.stdout.strip().splitlines()[-1])
    assert answer["backend"] == "onnx"
    assert not answer["torch"] and not answer["open_clip"]
    mine = prepared_embedder("test-tiny", tiny_prepared, "cpu")
    assert mine is not None
    np.testing.assert_allclose(answer["v"], mine.embed_texts(["two cats asleep on a sofa"])[0],
                               atol=1e-5)


def test_auto_device_uses_the_prepared_copy_once_torch_found_no_gpu(tiny_prepared: Path) -> None:
    found = prepared_embedder("test-tiny", tiny_prepared, "auto")
    assert found is not None and found.backend == "onnx"
    assert prepared_embedder("test-tiny", tiny_prepared, "cuda") is None
    os.environ[BACKEND_ENV] = "torch"
    try:
        assert prepared_embedder("test-tiny", tiny_prepared, "cpu") is None
    finally:
        del os.environ[BACKEND_ENV]


# --------------------------------------------------------------------------- the library's flow


def test_library_prepares_after_indexing_and_next_start_uses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.library import Library

    monkeypatch.setenv(BACKEND_ENV, "onnx")  # the tiny model is prepared only when asked
    photos = tmp_path / "photos"
    for n in range(6):
        make_photo(photos / f"p{n}.jpg", n)
    lib = Library(model="test-tiny", device="cpu")
    try:
        lib.add_folder(photos)
        lib.index()
        assert lib.embedder().backend == "onnx"  # swapped in by the background job
        before = _ranking(lib, build_query(images=[str(photos / "p3.jpg")]))
    finally:
        lib.close()
    assert read_package(lib.paths.models_dir, "test-tiny") is not None

    again = Library(model="test-tiny", device="cpu")
    try:
        assert again.embedder().backend == "onnx"
        after = _ranking(again, build_query(images=[str(photos / "p3.jpg")]))
        assert len(after) == 5 and after == before  # the photo asked with is left out
        assert _ranking(again, build_query("a red square"))  # the prepared text tower
    finally:
        again.close()


def _ranking(lib, query) -> list[Path]:
    final = list(lib.search(query, k=6))[-1]
    return [hit.photo.path for hit in final.hits]


def test_damaged_prepared_copy_is_set_aside(tmp_path: Path, tiny_embedder) -> None:
    from core.errors import ModelUnavailableError

    models = tmp_path / "models"
    prepare_package(tiny_embedder, "test-tiny", models)
    folder = package_dir(models, "test-tiny")
    (folder / IMAGE_FILE).write_bytes(b"not an onnx graph")
    broken = prepared_embedder("test-tiny", models, "cpu")
    assert broken is not None
    with pytest.raises(ModelUnavailableError) as caught:
        broken.embed_pil([Image.new("RGB", (80, 60), "red")])
    assert "\n" not in str(caught.value) and "made again" in str(caught.value)
    assert not folder.exists()  # the next load builds on torch and prepares it again
    assert prepared_embedder("test-tiny", models, "cpu") is None


def test_manifest_of_another_version_is_not_used(tmp_path: Path, tiny_embedder) -> None:
    models = tmp_path / "models"
    prepare_package(tiny_embedder, "test-tiny", models)
    path = package_dir(models, "test-tiny") / MANIFEST
    data = json.loads(path.read_text())
    data["version"] += 1
    path.write_text(json.dumps(data))
    assert read_package(models, "test-tiny") is None


# --------------------------------------------------------------------------- the models offered


def test_multilingual_tokens_reproduced_without_torch(xlmr_embedder, tmp_path: Path) -> None:
    """XLM-R's tokenizer (Chinese included) written for the prepared model gives open_clip's ids."""
    from core.models.onnx_export import write_tokenizer
    from core.models.tokens import TextTokens

    spec = write_tokenizer(xlmr_embedder, tmp_path / "tokenizer.json")
    texts = [*QUERIES, "一只猫在沙发上睡觉", "北京的秋天 2019"]
    ids = TextTokens(tmp_path / "tokenizer.json", spec).ids(texts)
    np.testing.assert_array_equal(ids, xlmr_embedder.tokenizer(texts).numpy())
    assert spec.pad_id == 1  # XLM-R pads with 1, which its tower masks out


def test_a_model_that_cannot_be_prepared_stays_on_torch_and_is_not_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.library import Library
    from core.models import onnx_export

    monkeypatch.setenv(BACKEND_ENV, "onnx")
    calls: list[str] = []

    def refuse(embedder, *_args, **_kwargs):
        calls.append(embedder.name)
        raise RuntimeError("Exporting the operator 'aten::exotic' is not supported")

    monkeypatch.setattr(onnx_export, "prepare_package", refuse)
    lib = Library(model="test-tiny", device="cpu")
    try:
        assert lib.prepare_model() == 0
        assert lib.embedder().backend == "torch"  # still searches, on torch
        assert lib.prepare_model() == 0
        assert calls == ["test-tiny"]  # remembered: the minute is not spent again
    finally:
        lib.close()
