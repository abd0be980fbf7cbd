"""Model fixtures. tests/conftest.py re-exports them with ``from tests.conftest_models import *``.

Everything runs offline: models are built from the built-in ``test-tiny`` architecture, from
random weights or from the committed trained weights in tests/data, and weights files are
written by the tests and loaded through the real path. Nothing is trained during a test session
but the tiny SentencePiece tokenizers of tests/hf_assets.py (milliseconds).
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = [
    "hf_models_dir", "models_cache_dir", "no_network", "shapes_model_path", "siglip2_embedder",
    "tiny_embedder", "tiny_weights_path", "xlmr_embedder",
]

XLMR_RANDOM = "random:xlm-roberta-base-ViT-B-32"
SIGLIP2_RANDOM = "random:ViT-B-32-SigLIP2-256"


@pytest.fixture(scope="session")
def models_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty weights cache: any attempt to use a pretrained tag must download (and fail)."""
    return tmp_path_factory.mktemp("models-cache")


@pytest.fixture(scope="session")
def tiny_embedder(models_cache_dir: Path):
    """The fixed-seed random test-tiny model on CPU (shared; do not mutate)."""
    from core.models.loading import load_model
    from core.models.names import parse_model_name

    return load_model(parse_model_name("test-tiny"), models_cache_dir, device="cpu")


@pytest.fixture(scope="session")
def tiny_weights_path(tmp_path_factory: pytest.TempPathFactory, tiny_embedder) -> Path:
    """The random test-tiny weights saved as .safetensors (load with 'test-tiny:<path>')."""
    from safetensors.torch import save_file

    path = tmp_path_factory.mktemp("tiny-weights") / "tiny.safetensors"
    state = {k: v.detach().contiguous() for k, v in tiny_embedder.model.state_dict().items()}
    save_file(state, str(path))
    return path


@pytest.fixture(scope="session")
def shapes_model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """test-tiny trained on coloured shapes, as a full .safetensors (load 'test-tiny:<path>').

    Nothing is trained here: the weights come from tests/data/shapes_clip.npz, which
    scripts/train_shapes_clip.py made once, so every machine gets the same model in well under a
    second (see tests/shapes_clip.py, committed_state, for how the file becomes a model).
    """
    from tests.shapes_clip import COMMITTED_WEIGHTS, REGENERATE, build_weights_file

    if not COMMITTED_WEIGHTS.is_file():
        pytest.fail(
            f"{COMMITTED_WEIGHTS} is missing: the semantic tests need the trained shapes CLIP. "
            f"Make it once with `{REGENERATE}` and commit it.",
            pytrace=False,
        )
    path = tmp_path_factory.mktemp("shapes-clip") / "shapes.safetensors"
    return build_weights_file(path, COMMITTED_WEIGHTS)


def _refuse_network(*_args: object, **_kwargs: object) -> None:
    raise OSError("the network is blocked in this test")


@contextlib.contextmanager
def _blocked_network() -> Iterator[None]:
    """No socket connects and no name resolves: loading must find everything on the disk."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", _refuse_network)
        mp.setattr(socket, "getaddrinfo", _refuse_network)
        mp.setattr(socket, "create_connection", _refuse_network)
        yield


@pytest.fixture
def no_network() -> Iterator[None]:
    with _blocked_network():
        yield


@pytest.fixture(scope="session")
def hf_models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models dir holding what a download of the HF-tokenized models leaves besides weights:
    XLM-R's tokenizer.json and config.json, SigLIP 2's Gemma tokenizer files (tests/hf_assets)."""
    from tests.hf_assets import write_gemma_tokenizer, write_xlm_roberta_base

    folder = tmp_path_factory.mktemp("hf-models")
    write_xlm_roberta_base(folder)
    write_gemma_tokenizer(folder, "timm/ViT-B-32-SigLIP2-256")
    return folder


def _load_offline(name: str, folder: Path):
    from core.models.loading import load_model
    from core.models.names import parse_model_name

    spec = parse_model_name(name)
    with _blocked_network():
        start = time.perf_counter()
        embedder = load_model(spec, folder, device="cpu")
        embedder.load_seconds = time.perf_counter() - start  # reported by the tests
    return embedder


@pytest.fixture(scope="session")
def xlmr_embedder(hf_models_dir: Path):
    """random:xlm-roberta-base-ViT-B-32 loaded through the real path with the network blocked."""
    return _load_offline(XLMR_RANDOM, hf_models_dir)


@pytest.fixture(scope="session")
def siglip2_embedder(hf_models_dir: Path):
    """random:ViT-B-32-SigLIP2-256 loaded through the real path with the network blocked."""
    return _load_offline(SIGLIP2_RANDOM, hf_models_dir)
