import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from skhyper import Categorical, Integer, Real
from skhyper.generators._encoding import SubSpaceEncoder
from skhyper.space import parse_search_space

SPACE = parse_search_space(
    {
        "a": Real(1e-3, 1, log=True),
        "b": Integer(1, 5),
        "c": ["x", "y", "z"],
        "d": [1, 10, 100],
        "e": stats.randint(0, 3),
        "f": Categorical([True, False]),
        "g": "fixed",
    }
)[0]
ENCODER = SubSpaceEncoder(SPACE)


def test_layout_one_hot_only_for_unordered_lists_of_three_or_more():
    assert ENCODER.n_features == 8
    assert ENCODER.one_hot_mask.tolist() == [False] * 2 + [True] * 3 + [False] * 3


@settings(max_examples=50, deadline=None)
@given(arrays(float, (6, 8), elements=st.floats(0, 1)))
def test_snap_gives_encodings_of_valid_candidates(X):
    snapped = ENCODER.snap(X)
    candidates = ENCODER.decode(snapped)
    assert all(SPACE.matches(c) for c in candidates)
    np.testing.assert_allclose(ENCODER.encode(candidates), snapped, atol=1e-12)
    np.testing.assert_allclose(ENCODER.snap(snapped), snapped, atol=1e-12)
    assert (snapped[:, ENCODER.one_hot_mask].sum(axis=1) == 1).all()
