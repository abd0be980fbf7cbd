"""Model fixtures. tests/conftest.py re-exports them with ``from tests.conftest_models import *``.

Everything runs offline: models are built from the built-in ``test-tiny`` architecture, from
random weights or from the committed trained weights in tests/data, and weights files are
written by the tests and loaded through the real path. Nothing is trained during a test session.
"""

from __future__ import annotations

from pathlib import Path

import pytest

__all__ = ["models_cache_dir", "shapes_model_path", "tiny_embedder", "tiny_weights_path"]


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
