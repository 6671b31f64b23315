"""The GP generator's input warping: which columns it warps, and that it helps
where a parameter is searched on the wrong scale."""

from __future__ import annotations

import numpy as np
import pytest

from skhyper import GPGenerator, Integer, MultiFidelityGPGenerator, Real, minimize
from skhyper.generators._encoding import SubSpaceEncoder
from skhyper.space import parse_search_space


def _encoder(space: dict) -> SubSpaceEncoder:
    return SubSpaceEncoder(parse_search_space(space)[0])


def test_ordered_mask_covers_numeric_columns_only() -> None:
    encoder = _encoder(
        {
            "a": Real(0.0, 1.0),
            "n": Integer(1, 8),
            "grid": [1, 2, 5, 10],
            "kernel": ["rbf", "poly", "sigmoid"],
            "flag": [True, False],
            "binary": [0.1, 0.2],
        }
    )
    by_column = {
        name: bool(encoder.ordered_mask[cols].all())
        for name, cols, _ in encoder._blocks
    }
    assert by_column["a"] and by_column["n"] and by_column["grid"]
    assert not by_column["kernel"] and not by_column["flag"]
    assert not by_column["binary"]  # two values: a warping cannot matter
    assert not np.any(encoder.ordered_mask & encoder.one_hot_mask)


@pytest.mark.parametrize("input_warping", [False, True])
def test_models_warp_exactly_when_asked(input_warping: bool) -> None:
    space = {"a": Real(0.0, 1.0), "b": Real(0.0, 1.0), "k": ["x", "y", "z"]}
    gen = GPGenerator(n_initial_points=5, input_warping=input_warping)
    gen.start(space, random_state=0)
    for _ in range(4):
        batch = gen.ask(2)
        gen.tell(batch, [np.sqrt(c["a"]) - c["b"] for c in batch])
    gen.ask(1)
    (model,) = gen._models
    if input_warping:
        assert model.input_warp_ is not None
        assert model.input_warp_.mask.tolist() == [True, True, False, False, False]
    else:
        assert model.input_warp_ is None
    mean, std = gen.predict([{"a": 0.5, "b": 0.5, "k": "y"}])
    assert np.isfinite(mean).all() and np.isfinite(std).all()


def _fast_near_zero(lr: float, depth: int) -> float:
    """A loss that moves over decades of ``lr`` near 0 and is flat above."""
    return (np.log10(lr) + 3.0) ** 2 + 0.05 * (depth - 4) ** 2


def test_warping_helps_a_scale_parameter_searched_on_a_linear_scale() -> None:
    """A learning-rate-like parameter on Real(1e-5, 1) without a log prior:
    the warped model finds the optimum near 1e-3 closer on most seeds."""
    space = {"lr": Real(1e-5, 1.0), "depth": Integer(1, 8)}
    regrets = {False: [], True: []}
    for seed in range(4):
        for warping in (False, True):
            result = minimize(
                _fast_near_zero,
                space,
                n_calls=30,
                generator=GPGenerator(input_warping=warping),
                random_state=seed,
            )
            regrets[warping].append(result.fun)
    assert np.median(regrets[True]) < np.median(regrets[False])


@pytest.mark.parametrize("input_warping", [False, True])
def test_multi_fidelity_models_never_warp_the_fidelity(input_warping: bool) -> None:
    space = {"a": Real(0.0, 1.0), "n": Integer(1, 8)}
    gen = MultiFidelityGPGenerator(n_initial_points=4, input_warping=input_warping)
    gen.start(space, random_state=0)
    for fidelity in (0.2, 0.5, 1.0):
        batch = gen.ask(3)
        gen.tell_at_fidelity(batch, [c["a"] - 0.1 * c["n"] for c in batch], fidelity)
    assert len(gen.ask(2)) == 2
    (model,) = gen._models
    if input_warping:
        assert model.input_warp_ is not None
        assert model.input_warp_.mask.tolist() == [True, True, False]
    else:
        assert model.input_warp_ is None
