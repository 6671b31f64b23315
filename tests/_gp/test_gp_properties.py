"""Property-based tests (hypothesis) of the GP numerics."""

from __future__ import annotations

import numpy as np
import pytest

from skhyper._gp import (
    GaussianProcess,
    LogExpectedImprovement,
    Standardizer,
    log_h,
)

hypothesis = pytest.importorskip("hypothesis")
st = pytest.importorskip("hypothesis.strategies")
hnp = pytest.importorskip("hypothesis.extra.numpy")
given, settings = hypothesis.given, hypothesis.settings

finite_z = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@given(z=finite_z, dz=st.floats(min_value=1e-6, max_value=10.0))
def test_log_h_finite_and_increasing(z: float, dz: float) -> None:
    v = log_h(np.array([z, z + dz]))
    assert np.all(np.isfinite(v))
    assert v[1] >= v[0]


@given(
    mu=st.floats(min_value=-1e3, max_value=1e3),
    sigma=st.floats(min_value=1e-12, max_value=1e3),
    best=st.floats(min_value=-1e3, max_value=1e3),
)
def test_log_ei_and_gradient_finite(mu: float, sigma: float, best: float) -> None:
    eye = np.eye(2)
    values, grad = LogExpectedImprovement()(
        np.array([mu]), np.array([sigma]), best, eye[:1], eye[1:]
    )
    assert np.isfinite(values[0])
    assert np.all(np.isfinite(grad))
    # d logEI / d mu > 0 : a larger mean never lowers the improvement.
    assert grad[0, 0] > 0


# Magnitudes down to 1e-100: multiplying subnormal floats by 1e-9 underflows
# to zero and loses the very information the property compares.
_normal_floats = st.one_of(
    st.just(0.0),
    st.floats(min_value=1e-100, max_value=1e6),
    st.floats(min_value=-1e6, max_value=-1e-100),
)


@given(
    y=hnp.arrays(float, st.integers(1, 20), elements=_normal_floats),
    scale=st.sampled_from([1e-9, 1e-3, 1.0, 1e3, 1e9]),
)
def test_standardizer_is_unit_free(y: np.ndarray, scale: float) -> None:
    a = Standardizer.fit(y)
    b = Standardizer.fit(y * scale)
    assert b.scale > 0
    np.testing.assert_allclose(a.transform(y), b.transform(y * scale), atol=1e-6)
    np.testing.assert_allclose(
        b.inverse_mean(b.transform(y * scale)),
        y * scale,
        rtol=1e-9,
        atol=1e-9 * scale * (1 + np.max(np.abs(y))),
    )


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(1, 12),
    d=st.integers(1, 4),
    seed=st.integers(0, 2**16),
    duplicate=st.booleans(),
    constant=st.booleans(),
)
def test_fit_and_predict_never_fail(
    n: int, d: int, seed: int, duplicate: bool, constant: bool
) -> None:
    rng = np.random.default_rng(seed)
    X = rng.random((n, d))
    if duplicate:
        X = np.vstack([X, X[:1], X[:1]])
    y = np.full(X.shape[0], 3.0) if constant else rng.standard_normal(X.shape[0])
    gp = GaussianProcess().fit(X, y, rng)
    out = gp.predict(rng.random((5, d)), return_grad=True)
    for arr in out:
        assert np.all(np.isfinite(arr))
    assert np.all(out[1] > 0)
