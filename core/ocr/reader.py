"""Reading the words printed in one photo, offline: rapidocr's PP-OCR detector and recogniser.

Both models ship inside the rapidocr wheel; the reader names their files itself, so rapidocr
never reaches for its download code (it would fetch a missing model from the network). rapidocr,
OpenCV and onnxruntime are imported on first use, in the thread that reads: opening a library,
the CLI and the app never pay for them.

Most personal photos have no text, so the detector runs first, on the photo scaled down to
``DETECT_SIDE`` pixels on its longest side, and the recogniser only runs on the boxes it finds
(``TextReader.recognitions`` counts those photos). Boxes read below ``MIN_CONFIDENCE``, or as a
single character, are dropped: on a photo without writing the detector now and then boxes a
texture, and what the recogniser makes of it is noise ("O", "8"). Lines are joined in reading
order: top to bottom, boxes on one line left to right, separated by a space, lines by a
newline.

Choices: the angle classifier (text upside down) is not used: it costs a model run per box, and
a photo's EXIF orientation already turns it upright. Text smaller than about 1% of the photo's
longest side (a 12-megapixel photo's fine print, a long screenshot's body text) is too small at
``DETECT_SIDE`` and is not read.

Memory: the two ONNX sessions with their buffers hold about 100 to 300 MB (measured RSS);
``TextReader.close`` gives it back once a run is over (see ``core.ocr.pending``).
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import logging
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from core.errors import UserFixableError
from core.imaging.loading import make_thumbnail

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

DETECT_SIDE = 960  # the detector's input, longest side: PP-OCR's own default for photos
READ_SIDE = 1600  # the photo as decoded: the recogniser reads its crops at this resolution
# Rendered and printed text reads at 0.95 and above; textures taken for text ("Deeoce", "OOO" in
# coins, cells, gravel) read at 0.5 to 0.8: 5 of 60 such photos kept some at 0.6, 1 at 0.8.
MIN_CONFIDENCE = 0.8
# A box read as one character ("O", "8") is mostly a texture taken for a letter, and too little
# to search by anyway.
MIN_CHARS = 2
# Bumped when this module reads differently (sizes, threshold, joining): part of the engine's
# name, so that a library can tell which photos a better reader has not read yet.
READER_REVISION = 1
_DET_MODEL = "PP-OCRv6_det_small"
_REC_MODEL = "PP-OCRv6_rec_small"


class OcrUnavailableError(UserFixableError):
    """The text reader cannot run (rapidocr or its models missing); the message says why."""


@dataclass(frozen=True)
class TextFound:
    """What one photo says: ``text`` is "" when it has no (legible) writing."""

    text: str
    boxes: int  # text boxes the detector found
    recognised: bool  # the recogniser ran (the detector found something)

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


def _models_dir() -> Path:
    """rapidocr's bundled models, found without importing it (that takes a second)."""
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or spec.origin is None:
        raise OcrUnavailableError(
            "Text in photos cannot be read: the rapidocr package is not installed."
        )
    return Path(spec.origin).parent / "models"


def model_files() -> tuple[Path, Path]:
    """(detector, recogniser) ONNX files inside the installed rapidocr wheel: PP-OCRv6 where
    the wheel has it, else the first of each kind it ships."""
    folder = _models_dir()
    found: list[Path] = []
    for preferred, kind in ((_DET_MODEL, "det"), (_REC_MODEL, "rec")):
        path = folder / f"{preferred}.onnx"
        if not path.is_file():
            others = sorted(folder.glob(f"*_{kind}_*.onnx")) if folder.is_dir() else []
            if not others:
                raise OcrUnavailableError(
                    f"Text in photos cannot be read: the rapidocr package has no {kind} model "
                    f"in {folder}. Reinstall PhotoSeek to get it back."
                )
            path = others[0]
        found.append(path)
    return found[0], found[1]


def engine_name() -> str:
    """The reader's name as stored with each photo's text: its models and this module's
    revision, e.g. "rapidocr:PP-OCRv6_det_small+PP-OCRv6_rec_small:r1"."""
    det, rec = model_files()
    return f"rapidocr:{det.stem}+{rec.stem}:r{READER_REVISION}"


def _quiet(logger_name: str = "RapidOCR") -> None:
    """rapidocr logs INFO lines (and a WARNING for every photo without text) through its own
    handler on stderr: send its records through the application's logging instead, errors
    only."""
    logger = logging.getLogger(logger_name)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    logger.propagate = True
    logger.setLevel(logging.ERROR)


def _return_memory() -> None:
    """Ask glibc to hand freed heap back to the system: the sessions' buffers are hundreds of
    small and large blocks that malloc would otherwise keep for the process."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):  # not glibc (musl): nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class TextReader:
    """Reads the text in photos. The engine loads on first use (about 0.2 s once rapidocr is
    imported, 1 s with the import); ``close`` frees it. Safe to share between threads: reads
    are serialised (onnxruntime already uses every core for one image)."""

    def __init__(
        self,
        detect_side: int = DETECT_SIDE,
        read_side: int = READ_SIDE,
        min_confidence: float = MIN_CONFIDENCE,
        threads: int | None = None,
    ) -> None:
        self.detect_side = detect_side
        self.read_side = read_side
        self.min_confidence = min_confidence
        self.threads = threads  # onnxruntime's intra-op threads; None: one per core
        self.name = engine_name()
        self.detections = 0  # images given to the detector
        self.recognitions = 0  # ...and of those, given to the recogniser
        self._lock = threading.Lock()
        self._engine: Any = None

    def read(self, path: Path) -> TextFound:
        """The text in the photo at ``path``. ImageLoadError when it cannot be decoded."""
        # The safe decoder: pixel budget, EXIF orientation, RGB, never upscaled.
        return self.read_image(make_thumbnail(path, self.read_side))

    def read_image(self, image: Image.Image) -> TextFound:
        pixels = np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])  # BGR
        with self._lock:
            engine = self._loaded()
            from rapidocr.main import RapidOCRError

            self.detections += 1
            prepared, record = engine.preprocess_img(pixels)
            try:
                crops, detected = engine.detect_and_crop(prepared, record)
            except RapidOCRError:  # rapidocr's way of saying "no text box"
                return TextFound("", 0, False)
            if not crops:
                return TextFound("", 0, False)
            self.recognitions += 1
            try:
                recognised = engine.recognize_txt(crops)
            except RapidOCRError:
                return TextFound("", len(crops), True)
        kept = [
            (box, text.strip())
            for box, text, score in zip(
                detected.boxes, recognised.txts, recognised.scores, strict=False
            )
            if score >= self.min_confidence and len(text.strip()) >= MIN_CHARS
        ]
        return TextFound(_reading_order(kept), len(crops), True)

    def close(self) -> None:
        """Free the engine and its memory; the next read loads it again."""
        with self._lock:
            if self._engine is None:
                return
            self._engine = None
        import gc

        gc.collect()  # the sessions sit in reference cycles inside rapidocr
        _return_memory()

    def _loaded(self) -> Any:
        if self._engine is None:
            try:
                from rapidocr import RapidOCR
            except ImportError as exc:
                raise OcrUnavailableError(
                    f"Text in photos cannot be read: rapidocr does not load ({exc})."
                ) from exc
            _quiet()
            det, rec = model_files()
            threads = self.threads if self.threads is not None else -1
            self._engine = RapidOCR(params={
                "Global.log_level": "error",
                "Global.use_cls": False,
                # Explicit paths: rapidocr downloads a model it cannot find by name.
                "Det.model_path": str(det),
                "Rec.model_path": str(rec),
                "Det.limit_type": "max",
                "Det.limit_side_len": self.detect_side,
                "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            })
            _quiet()  # RapidOCR() sets its logger's level again
        return self._engine


def _reading_order(boxes: list[tuple[np.ndarray, str]]) -> str:
    """Lines top to bottom, each left to right: a box whose vertical middle lies within the
    current line's height joins it."""
    placed = sorted(
        ((float(b[:, 1].min()), float(b[:, 1].max()), float(b[:, 0].min()), t) for b, t in boxes),
        key=lambda item: (item[0] + item[1]) / 2,
    )
    lines: list[list[tuple[float, str]]] = []
    top = bottom = 0.0
    for y0, y1, x0, text in placed:
        middle = (y0 + y1) / 2
        if lines and top <= middle <= bottom:
            lines[-1].append((x0, text))
            continue
        lines.append([(x0, text)])
        top, bottom = y0, y1
    return "\n".join(" ".join(t for _x, t in sorted(line)) for line in lines)
