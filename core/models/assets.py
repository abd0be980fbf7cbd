"""What a model needs besides its weights: Hugging Face tokenizer files and text-tower configs.

SigLIP 2 reads text with the Gemma tokenizer of its hub repo, and the multilingual CLIP with
xlm-roberta-base's tokenizer and a text tower that open_clip builds from xlm-roberta-base's
config. open_clip would fetch all of them from the network at every load; PhotoSeek fetches them
once beside the weights (same progress and cancel) into the data folder's models dir,
and from then on loads them from the disk only.

Everything here except ``fetch_assets`` and ``build_hf_tokenizer`` runs without torch,
open_clip or transformers. A search process that never imports torch reads text through the
prepared model's own tokenizer file instead (core.models.tokens).
"""

from __future__ import annotations

import importlib.util
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.errors import Cancelled, ModelUnavailableError
from core.models import hub
from core.models.names import TEST_TINY, TEST_TINY_CONFIG, ModelSpec

TOKENIZER_JSON = "tokenizer.json"
HF_CONFIG = "config.json"
# Read by AutoTokenizer when present (the class, special tokens); a repo may lack them.
TOKENIZER_EXTRAS = ("tokenizer_config.json", "special_tokens_map.json")
DEFAULT_CONTEXT_LENGTH = 77  # open_clip's, for a text config that names none


@dataclass(frozen=True)
class HubAsset:
    repo_id: str
    filename: str
    required: bool  # optional files may be absent from a repo (the hub answers 404)


# --------------------------------------------------------------------------- what is needed


@lru_cache(maxsize=64)
def _builtin_config(arch: str) -> dict[str, Any] | None:
    """open_clip's config of ``arch`` read from its package files, without importing it."""
    if arch == TEST_TINY:
        return TEST_TINY_CONFIG
    spec = importlib.util.find_spec("open_clip")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "model_configs" / f"{arch}.json"
        if path.is_file():
            config: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            return config
    return None


def text_config(arch: str) -> dict[str, Any]:
    """The architecture's ``text_cfg`` (a copy), as open_clip builds it."""
    config = _builtin_config(arch)
    if config is None:  # registered at run time, not a file: ask open_clip itself
        import open_clip

        config = open_clip.get_model_config(arch) or {}
    return dict(config.get("text_cfg", {}))


def hf_tokenizer_repo(arch: str) -> str | None:
    return text_config(arch).get("hf_tokenizer_name") or None


def hf_text_model_repo(arch: str) -> str | None:
    return text_config(arch).get("hf_model_name") or None


def needed_assets(arch: str) -> list[HubAsset]:
    """The hub files ``arch`` needs besides its weights, optional ones first (see fetch)."""
    tok_repo, model_repo = hf_tokenizer_repo(arch), hf_text_model_repo(arch)
    optional: list[HubAsset] = []
    required: list[HubAsset] = []
    if tok_repo:
        optional += [HubAsset(tok_repo, name, False) for name in TOKENIZER_EXTRAS]
        if tok_repo != model_repo:  # AutoTokenizer reads the class from it when present
            optional.append(HubAsset(tok_repo, HF_CONFIG, False))
        required.append(HubAsset(tok_repo, TOKENIZER_JSON, True))
    if model_repo:
        required.append(HubAsset(model_repo, HF_CONFIG, True))
    return optional + required


def missing_assets(arch: str, cache_dir: Path) -> list[HubAsset]:
    """Required files not on the disk. Optional files are fetched before the required ones, so
    a present required file means its repo's optional files were fetched (or do not exist)."""
    return [
        a for a in needed_assets(arch)
        if a.required and hub.cached_file(a.repo_id, a.filename, Path(cache_dir)) is None
    ]


def _cached_dir(repo_id: str, filename: str, cache_dir: Path, spec_name: str) -> Path:
    path = hub.cached_file(repo_id, filename, Path(cache_dir))
    if path is None:
        raise ModelUnavailableError(_missing_message(spec_name, [f"{repo_id}/{filename}"]))
    return path.parent


def tokenizer_dir(spec: ModelSpec, cache_dir: Path) -> Path | None:
    """The folder holding the model's HF tokenizer files; None if it uses CLIP's own BPE."""
    repo = hf_tokenizer_repo(spec.arch)
    if repo is None:
        return None
    return _cached_dir(repo, TOKENIZER_JSON, cache_dir, spec.name)


def text_config_dir(spec: ModelSpec, cache_dir: Path) -> Path | None:
    """The folder holding the HF text tower's config.json; None if the tower is open_clip's."""
    repo = hf_text_model_repo(spec.arch)
    if repo is None:
        return None
    return _cached_dir(repo, HF_CONFIG, cache_dir, spec.name)


def tokenizer_file(spec: ModelSpec, cache_dir: Path) -> Path | None:
    """The ``tokenizer.json`` (HF fast tokenizer) of an HF-tokenized model; None for a model
    that uses CLIP's built-in BPE tokenizer. Reads the disk only; raises ModelUnavailableError
    (one sentence) when the model needs the file and it was never downloaded."""
    folder = tokenizer_dir(spec, cache_dir)
    return None if folder is None else folder / TOKENIZER_JSON


# --------------------------------------------------------------------------- messages


def transformers_missing_message(name: str) -> str:
    return (
        f"Model {name} needs the 'transformers' package, which is not installed: run "
        f"'pip install transformers tokenizers' in PhotoSeek's environment (or reinstall "
        f"PhotoSeek) and try again."
    )


def _missing_message(name: str, files: Sequence[str], reason: str = "") -> str:
    why = f" and cannot be fetched now ({reason})" if reason else ""
    return (
        f"Model {name} needs {', '.join(files)}, which is not downloaded yet{why}: connect to "
        f"the internet once and choose the model again, or choose another model."
    )


def require_transformers(spec: ModelSpec) -> None:
    """open_clip needs transformers for HF tokenizers and HF text towers."""
    if (hf_tokenizer_repo(spec.arch) or hf_text_model_repo(spec.arch)) and (
        importlib.util.find_spec("transformers") is None
    ):
        raise ModelUnavailableError(transformers_missing_message(spec.name))


# --------------------------------------------------------------------------- fetching


def fetch_assets(
    spec: ModelSpec,
    cache_dir: Path,
    progress: hub.Progress | None = None,
    cancel: threading.Event | None = None,
    offset: int = 0,
) -> int:
    """Download what the model needs besides weights and is not on the disk yet; returns the
    bytes fetched. Progress is (offset + done, offset + total) so that it continues a weights
    download's. Cancel raises Cancelled (finished files stay). Touches the network
    only when something is missing."""
    cache_dir = Path(cache_dir)
    if not missing_assets(spec.arch, cache_dir):
        return 0
    try:
        hub.check_reachable()
    except ConnectionError as exc:
        names = [f"{a.repo_id}/{a.filename}" for a in missing_assets(spec.arch, cache_dir)]
        raise ModelUnavailableError(_missing_message(spec.name, names, str(exc))) from exc

    from huggingface_hub.errors import EntryNotFoundError

    fetched = 0
    for asset in needed_assets(spec.arch):
        if hub.cached_file(asset.repo_id, asset.filename, cache_dir) is not None:
            continue
        try:
            path = hub.download_file(
                asset.repo_id, asset.filename, cache_dir, progress, cancel, offset + fetched
            )
        except (Cancelled, ModelUnavailableError):  # already one sentence (a checksum, a full disk)
            raise
        except EntryNotFoundError as exc:  # 404: fine for an optional file
            if asset.required:
                raise ModelUnavailableError(
                    _missing_message(spec.name, [f"{asset.repo_id}/{asset.filename}"],
                                     "the hub does not have it")
                ) from exc
            continue
        except Exception as exc:
            raise ModelUnavailableError(
                _missing_message(spec.name, [f"{asset.repo_id}/{asset.filename}"],
                                 type(exc).__name__)
            ) from exc
        fetched += path.stat().st_size
    return fetched


def ensure_assets(spec: ModelSpec, cache_dir: Path) -> None:
    """Every file the model needs besides weights is on the disk afterwards, or this raised
    ModelUnavailableError saying what to do. No network once they are there."""
    require_transformers(spec)
    if missing_assets(spec.arch, cache_dir):
        fetch_assets(spec, cache_dir)


# --------------------------------------------------------------------------- building


def hf_text_tower_kwargs(spec: ModelSpec, cache_dir: Path) -> dict[str, Any]:
    """open_clip.create_model arguments that build an HF text tower from the local config.

    open_clip builds XLM-R with AutoConfig.from_pretrained('xlm-roberta-base'), a network
    call, and (with no CLIP checkpoint given) AutoModel.from_pretrained: xlm-roberta-base's
    own weights, 1 GB. Naming the local config folder instead, with pretrained text weights
    off, builds the same architecture from the disk; the CLIP weights are loaded after.
    """
    folder = text_config_dir(spec, cache_dir)
    if folder is None:
        return {}
    cfg = text_config(spec.arch)
    cfg["hf_model_name"] = str(folder)
    cfg["hf_model_pretrained"] = False
    return {"text_cfg": cfg, "pretrained_text": False}


def build_hf_tokenizer(spec: ModelSpec, cache_dir: Path) -> Any | None:
    """open_clip's HFTokenizer for the model, read from the local files only; None for a model
    with CLIP's own tokenizer (open_clip.get_tokenizer builds that one)."""
    folder = tokenizer_dir(spec, cache_dir)
    if folder is None:
        return None
    from open_clip.tokenizer import HFTokenizer

    cfg = text_config(spec.arch)
    kwargs = dict(cfg.get("tokenizer_kwargs", {}))
    return HFTokenizer(
        str(folder),
        context_length=cfg.get("context_length", DEFAULT_CONTEXT_LENGTH),
        tokenizer_mode=cfg.get("tokenizer_mode"),
        local_files_only=True,  # never ask the hub, even for a file the folder lacks
        **kwargs,
    )
