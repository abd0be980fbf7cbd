"""Exact, cheaper text encoding for CLIP's causal text transformer.

A query costs one text-tower pass, and open_clip always runs all 77 context positions even for
"red circle" (4 tokens). CLIP's text transformer is causal and pools the token at the end-of-text
position, so positions after the last pooled token can never influence the result. Running the
tower on the sequence cut to the longest pooled position in the batch (positional embedding and
causal mask cut the same way) gives the same features for a fraction of the work.

Where that argument does not hold (bidirectional Hugging Face text towers such as XLM-RoBERTa, a
padding mask, a CoCa class token appended at the end, pooling at the last position) we fall back
to ``model.encode_text``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import torch


class _CausalTower:
    """The pieces of a causal open_clip text tower, wherever the model keeps them."""

    def __init__(self, owner: Any, pool_type: str, eos_id: int | None) -> None:
        self.token_embedding = owner.token_embedding
        self.positional_embedding = owner.positional_embedding
        self.transformer = owner.transformer
        self.ln_final = owner.ln_final
        self.text_projection = owner.text_projection
        self.attn_mask = owner.attn_mask
        self.pool_type = pool_type
        self.eos_id = eos_id


def _is_causal(mask: torch.Tensor | None) -> bool:
    import torch

    if mask is None or mask.ndim != 2 or mask.shape[0] != mask.shape[1]:
        return False
    upper = torch.ones(mask.shape, dtype=torch.bool, device=mask.device).triu(1)
    return bool(torch.equal(torch.isneginf(mask), upper)) and bool((mask[~upper] == 0).all())


def find_causal_tower(model: Any) -> _CausalTower | None:
    """Return the text tower if truncation is exact for it, else None."""
    from open_clip.model import CLIP
    from open_clip.transformer import TextTransformer

    if isinstance(model, CLIP):
        tower = _CausalTower(model, model.text_pool_type, getattr(model, "text_eos_id", None))
    else:
        text = getattr(model, "text", None)
        if not isinstance(text, TextTransformer):
            return None  # HF towers (e.g. XLM-RoBERTa) are bidirectional
        if text.cls_emb is not None or text.use_pad_mask:
            return None  # CoCa appends a class token at the end; pad masks change the mask shape
        tower = _CausalTower(text, text.pool_type, getattr(text, "eos_id", None))
    if tower.pool_type not in ("argmax", "eos", "first"):
        return None  # 'last' pools position 76, which truncation would move
    if tower.pool_type == "eos" and tower.eos_id is None:
        return None
    if not _is_causal(tower.attn_mask):
        return None
    return tower


def _pool_index(tower: _CausalTower, tokens: torch.Tensor) -> torch.Tensor:
    # Same rules as open_clip.transformer.text_global_pool. argmax returns the FIRST maximum,
    # which stays inside the truncated sequence, so the index is unchanged by the cut.
    if tower.pool_type == "argmax":
        return tokens.argmax(dim=-1)
    if tower.pool_type == "eos" and tower.eos_id is not None:  # find_causal_tower checked it
        return tokens.eq(tower.eos_id).int().argmax(dim=-1)
    return tokens.new_zeros(tokens.shape[0])


def encode_text_truncated(tower: _CausalTower, tokens: torch.Tensor) -> torch.Tensor:
    """Unnormalised text features equal to model.encode_text(tokens), computed on a cut sequence."""
    import torch

    idx = _pool_index(tower, tokens)
    length = int(idx.max().item()) + 1
    tokens = tokens[:, :length]
    cast_dtype = tower.transformer.get_cast_dtype()
    x = tower.token_embedding(tokens).to(cast_dtype)
    x = x + tower.positional_embedding[:length].to(cast_dtype)
    x = tower.transformer(x, attn_mask=tower.attn_mask[:length, :length])
    x = tower.ln_final(x)
    x = x[torch.arange(x.shape[0], device=x.device), idx]
    proj = tower.text_projection
    if proj is None:
        return x
    return proj(x) if isinstance(proj, torch.nn.Linear) else x @ proj


class TextEncoder:
    """Encodes token batches with the truncated path when exact, else model.encode_text."""

    def __init__(self, model: Any) -> None:
        self._model = model
        self._tower = find_causal_tower(model)

    @property
    def truncates(self) -> bool:
        return self._tower is not None

    def __call__(self, tokens: torch.Tensor) -> torch.Tensor:
        if self._tower is None:
            return self._model.encode_text(tokens)
        return encode_text_truncated(self._tower, tokens)
