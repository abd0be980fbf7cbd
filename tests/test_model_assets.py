"""Models whose text side comes from the hub: SigLIP 2 (Gemma tokenizer) and the multilingual
CLIP (XLM-RoBERTa tokenizer and text tower). The real architectures with random weights, loaded
through the real path from files placed where a download puts them, with the network blocked.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from core.errors import Cancelled, ModelUnavailableError
from core.models import assets, hub
from core.models.names import parse_model_name
from tests.conftest_models import SIGLIP2_RANDOM, XLMR_RANDOM

CHINESE_QUERY = "海边的日落"
TEXTS = [
    CHINESE_QUERY,
    "a dog on the beach at sunset",
    "A Dog_on   the BEACH!!  ",
    "一只狗在海滩上奔跑, sunset 2023",
    "&amp; caf\u00e9 \u3000 full\u3000width \U0001F305",
    " ".join(["sunset over the sea"] * 40),  # longer than any context: truncated
    "",
]


def _one_sentence(message: str) -> None:
    assert "\n" not in message and "Traceback" not in message
    assert message.rstrip().endswith(".") and message.count(". ") == 0, message


# ------------------------------------------------------------------ XLM-R, Chinese


def test_multilingual_model_reads_a_chinese_query(xlmr_embedder, hf_models_dir: Path) -> None:
    spec = parse_model_name(XLMR_RANDOM)
    ids = xlmr_embedder.tokenizer([CHINESE_QUERY]).numpy()[0]
    tokenizer_json = assets.tokenizer_file(spec, hf_models_dir)
    assert tokenizer_json is not None
    bos, eos, pad = 0, 2, 1  # <s>, </s>, <pad> of XLM-R's vocabulary
    text_ids = [int(i) for i in ids if i not in (bos, eos, pad)]
    unk = json.loads(tokenizer_json.read_text("utf-8"))["model"]["unk_id"]
    assert text_ids and unk not in text_ids  # known pieces, not <unk>
    assert (ids[0], ids[len(text_ids) + 1]) == (bos, eos)

    vector = xlmr_embedder.embed_texts([CHINESE_QUERY])[0]
    assert vector.shape == (512,) and abs(float(np.linalg.norm(vector)) - 1) < 1e-5
    other = xlmr_embedder.embed_texts(["一只猫睡在红色的沙发上"])[0]
    assert float(vector @ other) < 0.9999  # the ids reached the text tower


def test_multilingual_tower_is_built_from_the_local_config(xlmr_embedder) -> None:
    config = xlmr_embedder.model.text.config
    assert (config.vocab_size, config.hidden_size, config.num_hidden_layers) == (250002, 768, 12)
    assert Path(config._name_or_path).is_dir()  # the models dir, not the hub's name


# ------------------------------------------------------------------ SigLIP 2


def test_siglip2_loads_offline_and_keeps_its_calibration(siglip2_embedder) -> None:
    model = siglip2_embedder.model
    assert siglip2_embedder.logit_bias == pytest.approx(float(model.logit_bias))
    assert siglip2_embedder.logit_scale == pytest.approx(float(model.logit_scale.exp()))
    assert siglip2_embedder.logit_bias == pytest.approx(-10.0)  # SigLIP 2's initial bias

    from core.search.relevance import Calibration

    calibration = Calibration(siglip2_embedder.logit_scale, siglip2_embedder.logit_bias)
    assert calibration.confident_score() is not None  # what the cut-off and tags use
    vector = siglip2_embedder.embed_texts(["a dog on the beach"])[0]
    assert vector.shape == (768,) and abs(float(np.linalg.norm(vector)) - 1) < 1e-5


def test_clip_bpe_models_have_no_tokenizer_file(tmp_path: Path) -> None:
    spec = parse_model_name("random:ViT-B-32")
    assert assets.tokenizer_file(spec, tmp_path) is None
    assert assets.needed_assets("ViT-B-32") == []


# ------------------------------------------------------------------ failing in one sentence


def test_missing_files_offline_say_what_to_do(tmp_path: Path, no_network) -> None:
    from core.models.loading import load_model

    with pytest.raises(ModelUnavailableError) as info:
        load_model(parse_model_name(XLMR_RANDOM), tmp_path, device="cpu")
    message = str(info.value)
    assert "xlm-roberta-base/tokenizer.json" in message and "connect to the internet" in message
    _one_sentence(message)


def test_missing_transformers_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    from core.models.loading import load_model

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec",
        lambda name, *a: None if name == "transformers" else real(name, *a),
    )
    with pytest.raises(ModelUnavailableError) as info:
        load_model(parse_model_name(SIGLIP2_RANDOM), tmp_path, device="cpu")
    assert "pip install transformers" in str(info.value)
    _one_sentence(str(info.value))


def test_damaged_tokenizer_says_what_to_do(tmp_path: Path, no_network) -> None:
    from core.models.loading import load_model
    from tests.hf_assets import write_gemma_tokenizer

    snap = write_gemma_tokenizer(tmp_path, "timm/ViT-B-32-SigLIP2-256")
    (snap / "tokenizer.json").write_text("{ not json")
    with pytest.raises(ModelUnavailableError) as info:
        load_model(parse_model_name(SIGLIP2_RANDOM), tmp_path, device="cpu")
    assert "tokenizer" in str(info.value) and "fetched again" in str(info.value)
    _one_sentence(str(info.value))


# ------------------------------------------------------------------ fetching


class _FakeHub:
    """The hub's file server as the cache sees it: writes each file where hf_hub_download
    would, reports its bytes, honours a cancel, 404s for files a repo lacks."""

    def __init__(self, files: dict[tuple[str, str], bytes], cancel_after: int | None = None):
        self.files = files
        self.asked: list[tuple[str, str]] = []
        self.cancel_after = cancel_after

    def download(self, repo_id, filename, cache_dir, progress=None, cancel=None, offset=0):
        from huggingface_hub.errors import EntryNotFoundError

        from tests.hf_assets import _snapshot

        self.asked.append((repo_id, filename))
        if self.cancel_after is not None and len(self.asked) > self.cancel_after:
            cancel.set()
        data = self.files.get((repo_id, filename))
        if data is None:
            raise EntryNotFoundError(f"404 {repo_id}/{filename}")
        if cancel is not None and cancel.is_set():
            raise Cancelled("Model download cancelled.")  # as the real download checks
        if progress is not None:
            progress(offset + len(data), offset + len(data))
        path = _snapshot(Path(cache_dir), repo_id) / filename
        path.write_bytes(data)
        return path


def test_fetch_gets_optional_files_first_then_required_with_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = parse_model_name(XLMR_RANDOM)
    fake = _FakeHub({("xlm-roberta-base", "tokenizer.json"): b"t" * 1000,
                     ("xlm-roberta-base", "config.json"): b"c" * 10})
    monkeypatch.setattr(hub, "check_reachable", lambda timeout=3.0: None)
    monkeypatch.setattr(hub, "download_file", fake.download)
    seen: list[tuple[int, int]] = []
    assert assets.missing_assets(spec.arch, tmp_path)
    fetched = assets.fetch_assets(spec, tmp_path, lambda d, t: seen.append((d, t)), offset=500)
    assert fetched == 1010
    assert [f for _, f in fake.asked] == [
        "tokenizer_config.json", "special_tokens_map.json", "tokenizer.json", "config.json"]
    assert seen == [(1500, 1500), (1510, 1510)]  # continuing the weights' 500 bytes
    assert assets.missing_assets(spec.arch, tmp_path) == []
    fake.asked.clear()
    assert assets.fetch_assets(spec, tmp_path) == 0 and fake.asked == []  # nothing again


def test_fetch_cancel_leaves_the_model_incomplete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = parse_model_name(SIGLIP2_RANDOM)
    repo = "timm/ViT-B-32-SigLIP2-256"
    fake = _FakeHub({(repo, n): b"x" for n in
                     ("tokenizer_config.json", "special_tokens_map.json", "tokenizer.json")},
                    cancel_after=1)
    monkeypatch.setattr(hub, "check_reachable", lambda timeout=3.0: None)
    monkeypatch.setattr(hub, "download_file", fake.download)
    with pytest.raises(Cancelled):
        assets.fetch_assets(spec, tmp_path, cancel=threading.Event())
    assert assets.missing_assets(spec.arch, tmp_path)  # the required file is still missing


def test_cached_weights_counts_only_a_complete_model(tmp_path: Path) -> None:
    from core.models.download import _hf_candidates, cached_weights
    from tests.hf_assets import _snapshot, write_gemma_tokenizer

    spec = parse_model_name("ViT-B-32-SigLIP2-256:webli")
    repo_id, names = _hf_candidates(spec)
    (_snapshot(tmp_path, repo_id) / names[0]).write_bytes(b"weights")
    assert cached_weights(spec, tmp_path) is None  # the tokenizer is not there yet
    write_gemma_tokenizer(tmp_path, "timm/ViT-B-32-SigLIP2-256")
    found = cached_weights(spec, tmp_path)
    assert found is not None and found.name == names[0]


def test_load_times_are_reported(xlmr_embedder, siglip2_embedder, capsys) -> None:
    for embedder in (xlmr_embedder, siglip2_embedder):
        start = time.perf_counter()
        embedder.embed_texts(["first query of a fresh session"])
        first = time.perf_counter() - start
        with capsys.disabled():
            print(f"\n{embedder.name}: load {embedder.load_seconds:.1f} s, "
                  f"first query {first * 1000:.0f} ms")
