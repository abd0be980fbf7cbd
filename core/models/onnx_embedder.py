"""The onnxruntime backend: a prepared model's int8 towers on the CPU, with no torch in the
process. Each tower's session is opened the first time it is needed, so a search from a cold
start opens only the text tower and indexing only the image tower (until a query comes)."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import ModelUnavailableError
from core.models.embedder import Embedder
from core.models.onnx_package import IMAGE_FILE, TEXT_FILE, TOKENIZER_FILE, Manifest
from core.models.tokens import TextTokens


def new_session(path: Path, spin: bool = True) -> Any:
    """An onnxruntime CPU session for one tower.

    ``spin`` False stops its threads from busy-waiting between operators: the image tower runs
    beside the decoding threads, which need those cycles (a query alone may spin: it is short).
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    # All cores for one call: indexing runs one batch at a time, and a query is one call.
    options.intra_op_num_threads = os.cpu_count() or 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # warnings about unused initializers are not the user's
    if not spin:
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


class OnnxEmbedder(Embedder):
    backend = "onnx"

    def __init__(self, manifest: Manifest, folder: Path) -> None:
        super().__init__(
            name=manifest.name, dim=manifest.dim, device="cpu", pixels=manifest.pixels,
            logit_scale=manifest.logit_scale, logit_bias=manifest.logit_bias,
        )
        self.manifest = manifest
        self.folder = folder
        self.image_precision = manifest.image_precision
        self.text_precision = manifest.text_precision
        self._open_lock = threading.Lock()
        self._image: Any = None
        self._text: Any = None
        self._tokens: TextTokens | None = None

    def _open(self, file: str, spin: bool) -> Any:
        try:
            return new_session(self.folder / file, spin)
        except Exception as exc:  # onnxruntime raises its own types for a damaged graph
            # Set the copy aside: the next load runs on torch and prepares it again.
            shutil.rmtree(self.folder, ignore_errors=True)
            raise ModelUnavailableError(
                f"The prepared copy of {self.name} could not be read ({type(exc).__name__}); "
                "it was removed and will be made again the next time the model loads."
            ) from exc

    def _image_session(self) -> Any:
        with self._open_lock:
            if self._image is None:
                self._image = self._open(IMAGE_FILE, spin=False)
            return self._image

    def _text_parts(self) -> tuple[Any, TextTokens]:
        with self._open_lock:
            if self._text is None:
                # The first query of a cold start waits for both: read the tokenizer file
                # (tens of MB for SigLIP's 256k words) while onnxruntime builds the session.
                tokens: list[TextTokens] = []
                reader = threading.Thread(target=lambda: tokens.append(
                    TextTokens(self.folder / TOKENIZER_FILE, self.manifest.text)))
                reader.start()
                try:
                    self._text = self._open(TEXT_FILE, spin=True)
                finally:
                    reader.join()
                if not tokens:
                    raise ModelUnavailableError(
                        f"The tokenizer of the prepared copy of {self.name} could not be read; "
                        "delete the data folder's models/prepared folder to make it again."
                    )
                self._tokens = tokens[0]
            assert self._tokens is not None
            return self._text, self._tokens

    def _encode_images(self, batch: Any) -> np.ndarray:
        pixels = np.ascontiguousarray(np.asarray(batch, dtype=np.float32))
        return self._image_session().run(None, {"pixels": pixels})[0]

    def _encode_texts(self, texts: list[str]) -> np.ndarray:
        session, tokens = self._text_parts()
        return session.run(None, {"tokens": tokens.ids(texts)})[0]
