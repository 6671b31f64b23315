"""minimize accepts what scipy.optimize.minimize accepts and loses nothing."""

from __future__ import annotations

import numpy as np
import pytest

from skhyper import Real, minimize

SPACE = {"x": Real(-5.0, 5.0)}


@pytest.mark.parametrize(
    "wrap",
    [float, np.float32, lambda v: np.array([v]), lambda v: np.array([[v]]), np.array],
    ids=["float", "float32", "array_1", "array_1x1", "array_0d"],
)
def test_an_objective_returning_one_number_in_any_form_is_accepted(wrap):
    result = minimize(
        lambda x: wrap((x - 2.0) ** 2), SPACE, n_calls=6, generator="random",
        random_state=0,
    )  # fmt: skip
    plain = minimize(
        lambda x: (x - 2.0) ** 2, SPACE, n_calls=6, generator="random", random_state=0
    )
    np.testing.assert_allclose(result.func_vals, plain.func_vals, rtol=1e-6)
    assert result.func_vals.dtype == float


@pytest.mark.parametrize("value", [np.array([1.0, 2.0]), "one", None])
def test_more_than_one_number_is_refused_clearly(value):
    with pytest.raises(ValueError, match="must return a single number") as info:
        minimize(lambda x: value, SPACE, n_calls=3, generator="random")
    assert info.value.optimize_result is None


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
@pytest.mark.parametrize("batch_size", [1, 3])
def test_an_objective_that_raises_keeps_the_results_so_far(error, batch_size):
    calls = []

    def func(x):
        calls.append(x)
        if len(calls) == 5:
            raise error("objective broke")
        return (x - 2.0) ** 2

    with pytest.raises(error) as info:
        minimize(func, SPACE, n_calls=10, generator="sobol", batch_size=batch_size,
                 random_state=0)  # fmt: skip
    result = info.value.optimize_result
    assert [p["x"] for p in result.x_iters] == calls[:4]
    np.testing.assert_allclose(result.func_vals, [(x - 2.0) ** 2 for x in calls[:4]])
    assert result.fun == min(result.func_vals)
    assert "4 evaluation(s) finished" in "".join(info.value.__notes__)
