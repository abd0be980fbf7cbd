"""Model naming, weights files and loading: all offline."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from core.errors import ModelUnavailableError
from core.models.download import download_weights
from core.models.loading import load_model
from core.models.names import (
    DEFAULT_MODEL,
    KNOWN_MODELS,
    LEGACY_DEFAULT_MODEL,
    ModelSpec,
    parse_model_name,
)


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """The model hub is unreachable, on every machine alike: the reachability check fails."""
    import core.models.download

    def unreachable(timeout: float = 3.0) -> None:
        raise ConnectionError("huggingface.co is unreachable: test is offline")

    monkeypatch.setattr(core.models.download, "_check_reachable", unreachable)


# ------------------------------------------------------------------ names


def test_parse_pretrained_tag_is_canonical() -> None:
    spec = parse_model_name("ViT-B-32:LAION2B_S34B_B79K")
    assert spec == ModelSpec(
        name=LEGACY_DEFAULT_MODEL, arch="ViT-B-32", pretrained="laion2b_s34b_b79k"
    )
    assert parse_model_name(spec.name) == spec


def test_parse_local_weights_path(tmp_path: Path) -> None:
    spec = parse_model_name(f"ViT-B-32:{tmp_path}/w.safetensors")
    assert spec.weights_path == (tmp_path / "w.safetensors").resolve()
    assert spec.name == f"ViT-B-32:{spec.weights_path}"
    assert spec.pretrained is None and not spec.random


def test_parse_random_and_test_tiny() -> None:
    assert parse_model_name("random:ViT-B-32") == ModelSpec(
        name="random:ViT-B-32", arch="ViT-B-32", random=True
    )
    assert parse_model_name("test-tiny") == ModelSpec(name="test-tiny", arch="test-tiny")


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("", ["No model name", DEFAULT_MODEL]),
        ("ViT-B32:laion2b_s34b_b79k", ["Unknown model architecture", "Did you mean", "ViT-B-32"]),
        ("ViT-B-32:nonsense_tag", ["Unknown pretrained weights", "laion2b_s34b_b79k"]),
        ("ViT-B-32", ["needs weights", "ViT-B-32:"]),
        ("ViT-B-32:/tmp/weights.zip", ["not a weights file", ".safetensors"]),
        ("random:", ["needs an architecture"]),
        ("random:NoSuchNet", ["Unknown model architecture"]),
        ("hf-hub:laion/foo", ["not supported"]),
    ],
)
def test_parse_errors_are_helpful(name: str, words: list[str]) -> None:
    with pytest.raises(ModelUnavailableError) as info:
        parse_model_name(name)
    for word in words:
        assert word in str(info.value)


def test_known_models_parse() -> None:
    for info in KNOWN_MODELS:
        assert parse_model_name(info.name).name == info.name
        assert info.download_mb > 100


def test_each_offered_model_names_the_hub_repo_open_clip_fetches_it_from() -> None:
    import open_clip

    from core.models.names import KNOWN_MODELS, parse_model_name

    for info in KNOWN_MODELS:
        spec = parse_model_name(info.name)
        hub = open_clip.get_pretrained_cfg(spec.arch, spec.pretrained or "")["hf_hub"]
        assert info.hub_repo == hub.rstrip("/"), info.name


def test_import_is_light() -> None:
    import subprocess
    import sys

    code = "import sys, core.models; print('torch' in sys.modules, 'open_clip' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# ------------------------------------------------------------------ offline downloads


def test_pretrained_offline_fails_fast_with_next_step(models_cache_dir: Path, offline) -> None:
    start = time.perf_counter()
    with pytest.raises(ModelUnavailableError) as info:
        load_model(parse_model_name(DEFAULT_MODEL), models_cache_dir, device="cpu")
    assert time.perf_counter() - start < 10
    message = str(info.value)
    assert "1524 MB" in message
    assert "--model ViT-B-32-SigLIP2-256:/path/file.safetensors" in message


def test_download_weights_offline(models_cache_dir: Path, offline) -> None:
    calls: list[tuple[int, int]] = []
    with pytest.raises(ModelUnavailableError, match="Connect to the internet once"):
        download_weights(
            parse_model_name("ViT-B-16:laion2b_s34b_b88k"),
            models_cache_dir,
            progress=lambda done, total: calls.append((done, total)),
            cancel=threading.Event(),
        )
    assert calls == []


def test_missing_local_file(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError, match="not found"):
        load_model(parse_model_name(f"test-tiny:{tmp_path}/absent.safetensors"), tmp_path)


# ------------------------------------------------------------------ local weights


def _embed(embedder) -> tuple[np.ndarray, np.ndarray]:
    torch.manual_seed(1)
    images = torch.randn(4, 3, 64, 64)
    return embedder.embed_images(images), embedder.embed_texts(["a red circle", "dog"])


def test_safetensors_round_trip(tiny_embedder, tiny_weights_path: Path, tmp_path: Path) -> None:
    loaded = load_model(parse_model_name(f"test-tiny:{tiny_weights_path}"), tmp_path)
    for a, b in zip(_embed(tiny_embedder), _embed(loaded), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("wrapped", [False, True])
def test_torch_pt_round_trip(tiny_embedder, tmp_path: Path, wrapped: bool) -> None:
    state = tiny_embedder.model.state_dict()
    path = tmp_path / "tiny.pt"
    torch.save({"state_dict": state} if wrapped else state, path)
    loaded = load_model(parse_model_name(f"test-tiny:{path}"), tmp_path)
    for a, b in zip(_embed(tiny_embedder), _embed(loaded), strict=True):
        np.testing.assert_array_equal(a, b)


class _Evil:
    marker: Path

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_malicious_pickle_is_refused(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = _Evil()
    evil.marker = marker
    path = tmp_path / "evil.pt"
    torch.save({"state_dict": {"x": evil}}, path)
    with pytest.raises(ModelUnavailableError, match="not a plain weights file"):
        load_model(parse_model_name(f"test-tiny:{path}"), tmp_path)
    assert not marker.exists()


def test_wrong_architecture_weights(tiny_weights_path: Path, tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailableError, match="do not fit"):
        load_model(parse_model_name(f"ViT-B-32:{tiny_weights_path}"), tmp_path)


# ------------------------------------------------------------------ random / built-in


def test_random_model_warns(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="core.models"):
        embedder = load_model(parse_model_name("random:ViT-B-32"), tmp_path, device="cpu")
    assert any("RANDOM weights" in r.getMessage() for r in caplog.records)
    assert (embedder.dim, embedder.image_size, embedder.device) == (512, 224, "cpu")


def test_test_tiny_is_deterministic(tiny_embedder, tmp_path: Path) -> None:
    again = load_model(parse_model_name("test-tiny"), tmp_path, device="cpu")
    for a, b in zip(_embed(tiny_embedder), _embed(again), strict=True):
        np.testing.assert_array_equal(a, b)
    assert (again.dim, again.image_size, again.name) == (64, 64, "test-tiny")


def test_device_choice() -> None:
    from core.models.devices import choose_device

    assert choose_device("cpu") == "cpu"
    assert choose_device(None) in ("cpu", "cuda", "mps")
    with pytest.raises(ModelUnavailableError):
        choose_device("tpu")


@pytest.mark.parametrize(
    "name",
    [
        "test-tiny", "test-tiny:", " ViT-B-32:LAION2B_S34B_B79K ", "random:ViT-B-32",
        "test-tiny:./w.safetensors", "test-tiny:w.safetensors", "test-tiny:~/w.pt",
        "test-tiny:sub/../w.bin",
    ],
)
def test_canonical_name_without_open_clip_matches_the_parsed_one(name, tmp_path, monkeypatch):
    from core.models.names import canonical_model_name

    monkeypatch.chdir(tmp_path)
    assert canonical_model_name(name) == parse_model_name(name).name
