"""A weights file's architecture found from its keys and shapes, and a misfit said in one
sentence (core.models.weights_check). Real files: test-tiny's weights written by the fixtures,
then damaged or swapped here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.errors import ModelUnavailableError
from core.models.weights_check import (
    NOT_CLIP,
    candidate_archs,
    check_weights,
    detect_architecture,
    fits,
    signature,
)


def one_sentence(text: str | None) -> str:
    """The message is one short sentence and names no tensor (never a key dump)."""
    assert text is not None
    assert "\n" not in text and len(text) < 160, text
    assert text.endswith(".") and not re.search(r"[.!?] [A-Z]", text), text
    assert not re.search(r"\b(visual|text|transformer|token_embedding)\.", text), text
    return text


@pytest.fixture(scope="module")
def tiny_state(tiny_weights_path: Path) -> dict:
    from safetensors.torch import load_file

    return load_file(str(tiny_weights_path))


def test_the_tiny_file_is_found_to_be_test_tiny(
    tiny_weights_path: Path, tiny_state: dict, tmp_path: Path
) -> None:
    import torch

    assert detect_architecture(tiny_weights_path) == ["test-tiny"]
    assert check_weights(tiny_weights_path, "test-tiny") is None
    pt = tmp_path / "tiny.pt"  # torch's own format, read with weights_only
    torch.save({"state_dict": tiny_state}, pt)
    assert detect_architecture(pt) == ["test-tiny"]
    assert check_weights(pt, "test-tiny") is None


def test_a_file_of_another_architecture_is_said_in_one_sentence(tiny_weights_path: Path) -> None:
    for arch in ("ViT-B-32", "ViT-B-32-SigLIP2-256"):
        message = one_sentence(check_weights(tiny_weights_path, arch))
        assert message == f"This file holds a test-tiny model, not {arch}."


def test_shapes_tell_apart_architectures_with_the_same_keys() -> None:
    b32, _ = signature("ViT-B-32")
    b16, _ = signature("ViT-B-16")
    assert b32.keys() == b16.keys() and b32 != b16
    assert b32["visual.conv1.weight"] == (768, 3, 32, 32)
    offered = {"ViT-B-32-SigLIP2-256", "ViT-B-16-SigLIP2", "xlm-roberta-base-ViT-B-32"}
    assert offered <= set(candidate_archs())


def test_full_size_architectures_are_told_apart() -> None:
    """On signatures alone (a real ViT-B-32 file is 600 MB): exact for detection; an image
    size loading interpolates is accepted by the check; XLM-R needs its own text tower."""
    b32, _ = signature("ViT-B-32")
    fitting = [a for a in candidate_archs() if fits(b32, a)]
    assert fitting == ["ViT-B-32"]
    assert not fits(b32, "ViT-B-32-256") and fits(b32, "ViT-B-32-256", exact=False)
    xlmr = {k: v for k, v in b32.items() if k.startswith("visual.")}
    xlmr["text.transformer.embeddings.word_embeddings.weight"] = (250002, 768)
    assert [a for a in candidate_archs() if fits(xlmr, a)] == ["xlm-roberta-base-ViT-B-32"]


def test_a_truncated_file_is_said_to_be_cut_short(
    tiny_weights_path: Path, tiny_state: dict, tmp_path: Path
) -> None:
    import torch

    data = tiny_weights_path.read_bytes()
    short = tmp_path / "short.safetensors"
    short.write_bytes(data[: len(data) // 2])
    pt = tmp_path / "whole.pt"
    torch.save(tiny_state, pt)
    short_pt = tmp_path / "short.pt"
    short_pt.write_bytes(pt.read_bytes()[: pt.stat().st_size // 2])
    for path in (short, short_pt):
        assert "cut short" in one_sentence(check_weights(path, "test-tiny"))
        with pytest.raises(ModelUnavailableError, match="cut short"):
            detect_architecture(path)


def test_files_that_are_not_clip_weights_get_one_sentence_each(
    tiny_state: dict, tmp_path: Path
) -> None:
    import torch
    from safetensors.torch import save_file

    text = tmp_path / "notes.safetensors"
    text.write_text("not weights at all\n" * 20)
    photo = tmp_path / "photo.pt"
    photo.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(300))
    classifier = tmp_path / "resnet.safetensors"  # weights, but of no CLIP
    save_file({"fc.weight": torch.zeros(10, 4), "fc.bias": torch.zeros(10)}, str(classifier))
    empty = tmp_path / "empty.pt"
    empty.write_bytes(b"")
    assert "not a weights file" in one_sentence(check_weights(text, "test-tiny"))
    assert "not a weights file" in one_sentence(check_weights(photo, "test-tiny"))
    assert one_sentence(check_weights(classifier, "test-tiny")) == NOT_CLIP
    assert one_sentence(check_weights(empty, "test-tiny")) == "The file is empty."
    assert "gone" in one_sentence(check_weights(tmp_path / "vanished.pt", "test-tiny"))
    with pytest.raises(ModelUnavailableError, match="not a CLIP weights file"):
        detect_architecture(classifier)


def test_pickled_code_is_refused_not_run(tiny_state: dict, tmp_path: Path) -> None:
    import torch

    path = tmp_path / "model.pt"
    torch.save({"state_dict": tiny_state, "note": Path("/x")}, path)  # an object, not tensors
    message = one_sentence(check_weights(path, "test-tiny"))
    assert "more than a plain state dict" in message


def test_a_file_fitting_nothing_known_says_so_without_key_names(
    tiny_state: dict, tmp_path: Path
) -> None:
    from safetensors.torch import save_file

    partial = {k: v for k, v in tiny_state.items() if k != "visual.proj"}
    path = tmp_path / "partial.safetensors"
    save_file(partial, str(path))
    assert detect_architecture(path) == []
    message = one_sentence(check_weights(path, "test-tiny"))
    assert message.startswith("This file does not fit test-tiny") and "1 missing" in message


def test_a_tensor_of_another_shape_is_a_misfit(tiny_state: dict, tmp_path: Path) -> None:
    import torch
    from safetensors.torch import save_file

    state = dict(tiny_state)
    state["visual.proj"] = torch.zeros(64, 32)  # the right key, the wrong shape
    path = tmp_path / "reshaped.safetensors"
    save_file(state, str(path))
    assert detect_architecture(path) == []
    assert "1 of another shape" in one_sentence(check_weights(path, "test-tiny"))


def test_an_xlm_roberta_clip_is_found_from_its_real_keys(xlmr_embedder) -> None:
    """Its text tower is a Hugging Face model, compared by kind rather than shape (its config
    would come from the network); the image tower by shape."""
    shapes = {k: tuple(v.shape) for k, v in xlmr_embedder.model.state_dict().items()}
    assert [a for a in candidate_archs() if fits(shapes, a)] == ["xlm-roberta-base-ViT-B-32"]
