"""Embedder: preprocessing parity with open_clip, unit vectors, the text cache, the exact
truncated text path."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from core.models.embedder import Embedder, unit_rows
from core.models.loading import load_model
from core.models.names import parse_model_name
from core.models.text_encoding import TextEncoder

TEXTS = [
    "red circle",
    "a",
    "a photo of a dog playing in the snow next to a red car at sunset",
    "birthday cake with candles",
    " ".join(["very"] * 120) + " long",  # longer than 77 tokens: the tokenizer truncates it
]


@pytest.fixture(scope="module")
def vit_b32(tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    logging.getLogger("core.models").setLevel(logging.ERROR)  # the expected RANDOM warning
    try:
        cache = tmp_path_factory.mktemp("vitb32")
        return load_model(parse_model_name("random:ViT-B-32"), cache, device="cpu")
    finally:
        logging.getLogger("core.models").setLevel(logging.NOTSET)


def _pictures() -> list[Image.Image]:
    rng = np.random.default_rng(0)
    shapes = [(150, 100), (100, 150), (64, 64), (224, 224), (31, 47), (640, 427), (301, 1000)]
    images = [Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8)) for w, h in shapes]
    images.append(Image.fromarray(rng.integers(0, 256, (90, 120), dtype=np.uint8)))  # L
    images.append(Image.fromarray(rng.integers(0, 256, (90, 120, 4), dtype=np.uint8)))  # RGBA
    return images


@pytest.mark.parametrize("which", ["tiny", "vit_b32"])
def test_preprocess_matches_open_clip(which: str, tiny_embedder: Embedder, request) -> None:
    from open_clip import get_model_preprocess_cfg
    from open_clip.transform import PreprocessCfg, image_transform_v2

    embedder = tiny_embedder if which == "tiny" else request.getfixturevalue("vit_b32")
    cfg = get_model_preprocess_cfg(embedder.model)
    reference = image_transform_v2(PreprocessCfg(**cfg), is_train=False)
    for image in _pictures():
        ours = embedder.preprocess(image)
        theirs = reference(image).numpy()
        assert ours.dtype == np.float32
        assert ours.shape == theirs.shape == (3, embedder.image_size, embedder.image_size)
        assert np.abs(ours - theirs).max() <= 1e-5


@pytest.mark.parametrize("mode", ["squash", "shortest"])
@pytest.mark.parametrize("interpolation", ["bicubic", "bilinear"])
def test_pixels_without_torch_match_open_clip(mode: str, interpolation: str) -> None:
    """SigLIP's squash and CLIP's shortest-side crop, as the torch-free prepared model does."""
    from open_clip.transform import PreprocessCfg, image_transform_v2

    from core.models.preprocessing import PixelSpec, to_pixels

    spec = PixelSpec(256, (0.5, 0.5, 0.5), (0.5, 0.5, 0.5), interpolation, mode)
    reference = image_transform_v2(PreprocessCfg(
        size=256, mean=spec.mean, std=spec.std, interpolation=interpolation, resize_mode=mode,
    ), is_train=False)
    for image in _pictures():
        ours, theirs = to_pixels(image, spec), reference(image).numpy()
        assert ours.dtype == np.float32 and ours.shape == theirs.shape == (3, 256, 256)
        assert np.abs(ours - theirs).max() <= 1e-5


def test_image_embeddings_are_unit_float32(tiny_embedder: Embedder) -> None:
    vectors = tiny_embedder.embed_pil(_pictures())
    assert vectors.dtype == np.float32 and vectors.shape == (9, 64)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert tiny_embedder.embed_pil([]).shape == (0, 64)


def test_text_embeddings_and_cache(tiny_embedder: Embedder) -> None:
    first = tiny_embedder.embed_texts(["red circle", "blue square", "red circle"])
    assert first.dtype == np.float32 and first.shape == (3, 64)
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(first[0], first[2])
    first[:] = 0  # the caller owns what it gets back; the cache must not change
    again = tiny_embedder.embed_texts(["blue square", "red circle"])
    fresh = unit_rows(tiny_embedder._encode_texts(["blue square", "red circle"]))
    np.testing.assert_array_equal(again, fresh)
    assert tiny_embedder.embed_texts([]).shape == (0, 64)


@pytest.mark.parametrize("which", ["tiny", "vit_b32"])
def test_truncated_text_path_is_exact(which: str, tiny_embedder: Embedder, request) -> None:
    embedder = tiny_embedder if which == "tiny" else request.getfixturevalue("vit_b32")
    encoder = TextEncoder(embedder.model)
    assert encoder.truncates
    tokens = embedder._tokenizer(TEXTS)
    with torch.inference_mode():
        fast = torch.nn.functional.normalize(encoder(tokens), dim=-1)
        full = embedder.model.encode_text(tokens, normalize=True)
        single = torch.nn.functional.normalize(encoder(tokens[:1]), dim=-1)
    assert (fast - full).abs().max().item() < 1e-5
    assert (single[0] - full[0]).abs().max().item() < 1e-5


def test_text_encoder_falls_back_for_non_causal_towers() -> None:
    class HFLike(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.text = torch.nn.Identity()  # stands in for a bidirectional HF text tower

        def encode_text(self, tokens: torch.Tensor) -> torch.Tensor:
            return tokens.float() * 2

    encoder = TextEncoder(HFLike())
    assert not encoder.truncates
    assert encoder(torch.ones(1, 3, dtype=torch.long)).tolist() == [[2.0, 2.0, 2.0]]


def test_text_and_images_from_two_threads(tiny_embedder: Embedder) -> None:
    batch = np.stack([tiny_embedder.preprocess(im) for im in _pictures()])
    expected_images = tiny_embedder.embed_images(batch)
    expected_text = unit_rows(tiny_embedder._encode_texts(["thread test"]))
    errors: list[BaseException] = []

    def images() -> None:
        try:
            for _ in range(20):
                np.testing.assert_allclose(tiny_embedder.embed_images(batch), expected_images,
                                           atol=1e-6)
        except BaseException as exc:  # reported below
            errors.append(exc)

    worker = threading.Thread(target=images)
    worker.start()
    for i in range(20):
        out = tiny_embedder.embed_texts(["thread test", f"query {i}"])
        np.testing.assert_allclose(out[:1], expected_text, atol=1e-6)
    worker.join()
    assert not errors


def test_vit_b32_shapes(vit_b32: Embedder) -> None:
    assert (vit_b32.dim, vit_b32.image_size) == (512, 224)
    vectors = vit_b32.embed_texts(["red circle"])
    assert vectors.shape == (1, 512)


def test_weights_file_with_module_prefix(tiny_embedder: Embedder, tmp_path: Path) -> None:
    state = {f"module.{k}": v for k, v in tiny_embedder.model.state_dict().items()}
    path = tmp_path / "ddp.pth"
    torch.save(state, path)
    loaded = load_model(parse_model_name(f"test-tiny:{path}"), tmp_path)
    np.testing.assert_array_equal(
        loaded.embed_texts(["x y"]), tiny_embedder.embed_texts(["x y"])
    )


def test_cpu_image_tower_is_int8_and_agrees_with_fp32(tmp_path, monkeypatch):
    """The quantised CPU image tower stays within cosine 0.999 of fp32 on real photos."""
    from skimage import data

    photos = [Image.fromarray(a).convert("RGB") for a in (data.astronaut(), data.chelsea(),
                                                           data.coffee(), data.rocket())]
    spec = parse_model_name("random:ViT-B-32")
    fast = load_model(spec, tmp_path, "cpu")
    monkeypatch.setenv("PHOTOSEEK_IMAGE_PRECISION", "fp32")
    exact = load_model(spec, tmp_path, "cpu")
    assert (fast.image_precision, exact.image_precision) == ("int8", "fp32")
    a, b = fast.embed_pil(photos), exact.embed_pil(photos)
    assert np.min(np.sum(a * b, axis=1)) > 0.999
    # Each photo is still nearest to its own fp32 twin.
    assert list(np.argmax(a @ b.T, axis=1)) == [0, 1, 2, 3]
