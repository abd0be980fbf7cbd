import numpy as np
import pytest

from core.vectors import codec as vector_codec


def test_round_trip_keeps_cosine_within_a_thousandth():
    rng = np.random.default_rng(1)
    v = rng.normal(size=(200, 512)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    back = vector_codec.decode_many([vector_codec.encode(x) for x in v], 512)
    cos = np.sum(v * back, axis=1)
    assert cos.min() > 0.999
    q = v[0]
    assert np.argsort(-(v @ q))[0] == np.argsort(-(back @ q))[0] == 0


def test_blob_size_is_small():
    assert len(vector_codec.encode(np.ones(512, np.float32))) == 516


def test_a_stored_vector_without_direction_or_with_nan_is_damaged():
    with pytest.raises(vector_codec.DamagedVectorError):
        vector_codec.decode(vector_codec.encode(np.zeros(8, np.float32)))
    nan_scale = np.float32("nan").tobytes() + bytes(range(1, 9))
    with pytest.raises(vector_codec.DamagedVectorError):
        vector_codec.decode(nan_scale)
    with pytest.raises(vector_codec.DamagedVectorError):
        vector_codec.decode(vector_codec.encode(np.ones(8, np.float32)), dim=16)  # too short
    with pytest.raises(vector_codec.DamagedVectorError):
        vector_codec.encode(np.full(8, np.inf, np.float32))
