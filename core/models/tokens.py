"""Turning text into a model's token ids without torch: the `tokenizers` library reading the
tokenizer file of a prepared model, with open_clip's cleaning and wrapping around it.

core.models.onnx_export writes the file and checks that these ids equal open_clip's for a set of
queries (English, Chinese, emoji, punctuation, overlong) before the package is used.
"""

from __future__ import annotations

import html
import string
from pathlib import Path

import numpy as np

from core.models.onnx_package import TextSpec

_PUNCTUATION = str.maketrans("", "", string.punctuation)


def _basic_clean(text: str) -> str:
    import ftfy

    text = ftfy.fix_text(text)
    return html.unescape(html.unescape(text)).strip()


def _whitespace_clean(text: str) -> str:
    return " ".join(text.split()).strip()


def clean_text(text: str, mode: str) -> str:
    """open_clip.tokenizer's clean functions ('lower', 'whitespace', 'canonicalize')."""
    text = _basic_clean(text)
    if mode == "canonicalize":  # big_vision's: no punctuation, lower case
        text = text.replace("_", " ").translate(_PUNCTUATION).lower()
        return " ".join(text.split()).strip()
    if mode == "lower":
        return _whitespace_clean(text).lower()
    if mode == "whitespace":
        return _whitespace_clean(text)
    raise ValueError(f"unknown text cleaning {mode!r}")


class TextTokens:
    """Token ids for a batch of texts, for a prepared model's text tower."""

    def __init__(self, tokenizer_file: Path, spec: TextSpec) -> None:
        from tokenizers import Tokenizer

        self.spec = spec
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))

    def ids(self, texts: list[str]) -> np.ndarray:
        """(N, context_length) int64 ids, exactly as open_clip's tokenizer makes them."""
        spec = self.spec
        cleaned = [clean_text(t, spec.clean) for t in texts]
        out = np.full((len(texts), spec.context_length), spec.pad_id, dtype=np.int64)
        if spec.wrap == "clip":
            encoded = self._tokenizer.encode_batch(cleaned, add_special_tokens=False)
            assert spec.bos_id is not None and spec.eos_id is not None
            for row, enc in enumerate(encoded):
                ids = [spec.bos_id, *enc.ids[: spec.context_length - 2], spec.eos_id]
                out[row, : len(ids)] = ids
        else:  # the file's own post-processor, truncation and padding
            for row, enc in enumerate(self._tokenizer.encode_batch(cleaned)):
                ids = enc.ids[: spec.context_length]
                out[row, : len(ids)] = ids
        if spec.strip_sep_id is not None:
            out[out == spec.strip_sep_id] = 0
        return out
