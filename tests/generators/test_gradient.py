import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.base import clone

from skhyper import GradientGenerator, Integer, Real, minimize
from skhyper.generators import make_generator
from skhyper.generators._gradient_steps import (
    OrderedAxes,
    backtrack_ratio,
    bfgs_update,
    estimate_gradient,
)
from skhyper.space import parse_search_space


def smooth(u):
    """A smooth test function of unit coordinates and its gradient."""
    x, y = u
    value = math.sin(3 * x) * math.cos(2 * y) + x * y**2
    grad = np.array(
        [
            3 * math.cos(3 * x) * math.cos(2 * y) + y**2,
            -2 * math.sin(3 * x) * math.sin(2 * y) + 2 * x * y,
        ]
    )
    return value, grad


def gradient_at(centre, space, func, **params):
    """Run the generator from ``centre`` through one stencil; its gradient_."""
    gen = GradientGenerator(**params).start(space, initial_points=[centre])
    first = gen.ask(1)
    assert first == [centre]
    gen.tell(first, [func(centre)])
    stencil = gen.ask(gen.preferred_batch_size)
    gen.tell(stencil, [func(c) for c in stencil])
    gen.ask(1)  # the next ask reads the stencil
    return gen, stencil


@settings(max_examples=30, deadline=None)
@given(
    x=st.floats(0.05, 0.95),
    y=st.floats(0.05, 0.95),
    difference=st.sampled_from(["forward", "central"]),
)
def test_finite_difference_gradient_matches_the_analytic_one(x, y, difference):
    space = {"x": Real(0.0, 1.0), "y": Real(0.0, 1.0)}
    gen, stencil = gradient_at(
        {"x": x, "y": y},
        space,
        lambda c: smooth((c["x"], c["y"]))[0],
        difference=difference,
        fd_step=1e-3,
    )
    assert len(stencil) == (2 if difference == "forward" else 4)
    _, analytic = smooth((x, y))
    # forward differences err by about h * |f''| / 2, central by h**2 * |f'''| / 6
    tol = 1e-2 if difference == "forward" else 1e-4
    np.testing.assert_allclose(gen.gradient_, analytic, atol=tol)


def test_gradient_is_taken_in_the_unit_coordinates_of_the_prior():
    # log10(C) = -2 + 4 u, so f = -(4 u - 3) ** 2 and df/du = -8 (4 u - 3).
    space = {"C": Real(1e-2, 1e2, log=True)}
    gen, _ = gradient_at(
        {"C": 1.0},
        space,
        lambda c: -((math.log10(c["C"]) - 1) ** 2),
        difference="central",
    )
    np.testing.assert_allclose(gen.gradient_, [-8 * (4 * 0.5 - 3)], rtol=1e-6)


def test_estimate_gradient_one_sided_at_the_bound():
    axes = OrderedAxes(parse_search_space({"x": Real(0, 1), "y": Real(0, 1)})[0])
    u = np.array([1.0, 0.5])
    offsets = axes.stencil(u, 0.01, central=True)
    assert {(o.column, round(o.delta, 6)) for o in offsets} == {
        (0, -0.01),
        (1, 0.01),
        (1, -0.01),
    }
    scores = [2 * o.u[0] + 3 * o.u[1] for o in offsets]
    gradient = estimate_gradient(2, 2 * 1.0 + 3 * 0.5, offsets, scores)
    np.testing.assert_allclose(gradient, [2, 3])


def test_bfgs_update_learns_a_quadratic():
    # f = -x'Ax/2: -gradient = A x, so y = A s; after d independent steps
    # the inverse Hessian estimate satisfies the secant equation H y = s.
    A = np.array([[4.0, 1.0], [1.0, 2.0]])
    H = None
    for s in (np.array([1.0, 0.0]), np.array([0.3, 1.0])):
        H = bfgs_update(H, s, A @ s)
        np.testing.assert_allclose(H @ (A @ s), s)
    assert np.all(np.linalg.eigvalsh(H) > 0)
    assert bfgs_update(H, np.array([1.0, 0.0]), np.array([-1.0, 0.0])) is H


@pytest.mark.parametrize(
    "f_trial, expected",
    [(0.5, 1 / 3), (0.9, 1 / 2.2), (-100.0, 0.1), (math.nan, 0.5), (2.5, 0.5)],
)
def test_backtrack_ratio_is_safeguarded(f_trial, expected):
    # f0 = 1, slope 1 along the step: the quadratic through f(1) = f_trial.
    ratio = backtrack_ratio(1.0, 1.0, f_trial, shrink=0.5)
    assert ratio == pytest.approx(expected)


def quadratic(x, y):
    return (x - 0.3) ** 2 + 2 * (y - 0.7) ** 2


@pytest.mark.parametrize("quasi_newton", [True, False])
def test_minimizes_a_smooth_function(quasi_newton):
    result = minimize(
        quadratic,
        {"x": Real(0, 1), "y": Real(0, 1)},
        n_calls=40,
        generator=GradientGenerator(quasi_newton=quasi_newton),
        random_state=0,
    )
    assert result.fun < 1e-4


def test_respects_bounds_and_reaches_a_corner():
    space = {"x": Real(-1, 2), "y": Real(1e-3, 10, log=True)}
    result = minimize(
        lambda x, y: -x - math.log(y), space, n_calls=40, generator="gradient"
    )
    parsed = parse_search_space(space)
    for point in result.x_iters:
        parsed.locate(point)  # raises outside the bounds
    assert result.x["x"] == pytest.approx(2) and result.x["y"] == pytest.approx(10)


def test_integer_dimensions_step_by_at_least_one_value():
    space = {"n": Integer(1, 10), "x": Real(0, 1)}
    _, stencil = gradient_at(
        {"n": 5, "x": 0.5},
        space,
        lambda c: -((c["n"] - 7.2) ** 2) - c["x"] ** 2,
        difference="central",
    )
    assert sorted(c["n"] for c in stencil if c["x"] == 0.5) == [4, 6]
    assert all(isinstance(c["n"], int) for c in stencil)
    result = minimize(
        lambda n, x: (n - 7.2) ** 2 + (x - 0.4) ** 2,
        space,
        n_calls=40,
        generator="gradient",
        random_state=0,
    )
    assert result.x["n"] == 7 and abs(result.x["x"] - 0.4) < 0.01


def test_discrete_space_never_repeats_a_candidate_and_is_exhausted():
    space = {"n": Integer(1, 6), "m": stats.randint(0, 4), "k": ["a", "b"]}
    gen = GradientGenerator().start(space, random_state=0)
    seen = []
    while True:
        batch = gen.ask(3)
        if not batch:
            break
        seen += batch
        gen.tell(batch, [-abs(c["n"] - 4) - abs(c["m"] - 1) for c in batch])
    keys = [gen.space_.key(c) for c in seen]
    assert len(set(keys)) == len(keys) <= 6 * 4 * 2
    assert gen.exhausted
    best = seen[int(np.argmax(gen.scores_))]
    assert (best["n"], best["m"]) == (4, 1)


def test_categorical_dimensions_are_revisited_by_coordinate_steps():
    space = {"x": Real(0, 1), "k": ["a", "b", "c"]}
    gen = GradientGenerator().start(space, random_state=0)
    first = gen.ask(1)
    assert first[0]["k"] == "b"  # the centre of the cube

    def score(c):
        return -((c["x"] - 0.3) ** 2) + {"a": 0.0, "b": 0.1, "c": 0.5}[c["k"]]

    gen.tell(first, [score(c) for c in first])
    seen = list(first)
    while len(seen) < 60:
        batch = gen.ask(2)
        gen.tell(batch, [score(c) for c in batch])
        seen += batch
    best = seen[int(np.argmax(gen.scores_))]
    assert best["k"] == "c" and abs(best["x"] - 0.3) < 0.01
    # The other choices are tried at the start point before the ascent...
    assert {c["k"] for c in seen[1:3]} == {"a", "c"}
    assert all(c["x"] == first[0]["x"] for c in seen[1:3])
    # ...which then keeps the best of them while it moves x.
    assert all(c["k"] == "c" for c in seen[3:8])
    assert len({c["x"] for c in seen[3:8]}) > 1


def test_mixed_ridge_tries_both_intercepts_before_the_ascent():
    """Issue 12: on Ridge with fit_intercept in [True, False] the ascent
    spent every evaluation on the centre's choice (False) and scored about
    -3.6 R^2; both choices must be compared before a phase commits."""
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import cross_val_score

    X, y = load_diabetes(return_X_y=True)
    space = {"alpha": Real(1e-3, 1e3, log=True), "fit_intercept": [True, False]}
    gen = GradientGenerator().start(space, random_state=0)
    seen = []
    while len(seen) < 20:
        batch = gen.ask(1)
        gen.tell(batch, [cross_val_score(Ridge(**c), X, y).mean() for c in batch])
        seen += batch
    assert {c["fit_intercept"] for c in seen[:2]} == {True, False}
    assert max(gen.scores_) > 0.45


def test_several_subspaces():
    space = [{"x": Real(0, 1), "kind": ["p"]}, {"y": Real(0, 1), "kind": ["q"]}]

    def f(kind, x=None, y=None):
        return (x - 0.2) ** 2 if kind == "p" else (y - 0.6) ** 2 - 0.5

    result = minimize(f, space, n_calls=40, generator="gradient", random_state=0)
    kinds = [p["kind"] for p in result.x_iters]
    assert kinds[:2] == ["p", "q"]  # the centre of each sub-space first
    assert result.x["kind"] == "q" and abs(result.x["y"] - 0.6) < 0.01


def test_starts_from_user_given_points():
    start = {"x": 0.31, "y": 0.69}
    gen = GradientGenerator().start(
        {"x": Real(0, 1), "y": Real(0, 1)}, initial_points=[start]
    )
    assert gen.ask(1) == [start]
    gen.tell([start], [-quadratic(**start)])
    stencil = gen.ask(4)
    assert all(
        abs(c["x"] - 0.31) + abs(c["y"] - 0.69) == pytest.approx(0.01) for c in stencil
    )


def test_same_seed_same_sequence_across_restarts():
    def run(seed):
        return minimize(
            lambda x: (x - 0.37) ** 2,
            {"x": Real(0, 1)},
            n_calls=60,
            generator="gradient",
            random_state=seed,
        )

    first, again, other = run(0), run(0), run(1)
    assert first.x_iters == again.x_iters
    assert first.generator.n_phases_ > 1  # restarts happened
    assert first.x_iters != other.x_iters
    assert abs(first.x["x"] - 0.37) < 1e-3


def test_max_restarts_ends_the_search():
    result = minimize(
        lambda x: (x - 0.37) ** 2,
        {"x": Real(0, 1)},
        n_calls=500,
        generator=GradientGenerator(max_restarts=1),
        random_state=0,
    )
    assert result.generator.n_phases_ == 2
    assert len(result.generator.local_optima_) == 2
    assert len(result.x_iters) < 500 and result.generator.exhausted


def test_failed_evaluations_count_as_the_worst_score():
    def f(x, y):
        return math.nan if x > 0.6 else quadratic(x, y)

    result = minimize(
        f,
        {"x": Real(0, 1), "y": Real(0, 1)},
        n_calls=60,
        generator="gradient",
        random_state=0,
    )
    assert np.isnan(result.func_vals).any()  # restarts drew points there
    assert result.fun < 1e-3


@pytest.mark.parametrize(
    "params, match",
    [
        ({"difference": "backward"}, "difference"),
        ({"fd_step": 0.0}, "fd_step"),
        ({"step_size": -1.0}, "step_size"),
        ({"step_shrink": 1.0}, "step_shrink"),
        ({"step_growth": 0.5}, "step_growth"),
        ({"n_initial_points": 0}, "n_initial_points"),
        ({"max_restarts": -1}, "max_restarts"),
        ({"max_expansions": -1}, "max_expansions"),
    ],
)
def test_invalid_parameters_are_rejected_at_start(params, match):
    gen = GradientGenerator(**params)  # __init__ only stores
    with pytest.raises(ValueError, match=match):
        gen.start({"x": Real(0, 1)})


def test_is_a_configuration_object():
    gen = GradientGenerator(fd_step=0.02)
    assert clone(gen).get_params()["fd_step"] == 0.02
    assert type(make_generator("gradient")) is GradientGenerator
    assert (
        GradientGenerator(difference="central")
        .start({"x": Real(0, 1), "n": Integer(1, 5)})
        .preferred_batch_size
        == 4
    )
    assert GradientGenerator().start({"x": Real(0, 1)}).preferred_batch_size == 1


def run_until(gen, func, n_calls, batch=1):
    """Ask and tell ``func`` (to maximize) for ``n_calls`` candidates."""
    seen = []
    while len(seen) < n_calls and not gen.exhausted:
        candidates = gen.ask(min(batch, n_calls - len(seen)))
        gen.tell(candidates, [func(**c) for c in candidates])
        seen += candidates
    return seen


@pytest.mark.parametrize(
    "difference, reaches", [("auto", True), ("central", True), ("forward", False)]
)
def test_auto_differences_turn_central_near_the_optimum(difference, reaches):
    # A forward difference with step h reads the slope about h/2 further on,
    # so forward steps stop short of the maximum; "auto" ends with central
    # ones, accurate to O(h**2).
    gen = GradientGenerator(difference=difference, fd_step=0.02, max_restarts=0)
    gen.start({"x": Real(0, 1)}, random_state=0)
    seen = run_until(gen, lambda x: -math.cosh(4 * (x - 0.337)), 60)
    assert gen.exhausted  # the one phase converged
    best = seen[int(np.argmax(gen.scores_))]["x"]
    assert (abs(best - 0.337) < 1e-4) is reaches
    assert reaches or abs(best - 0.337) > 1e-3


def test_auto_differences_add_the_other_side_on_a_plateau():
    # Flat above x = 0.5: the forward difference at the centre reads zero.
    def f(x, y):
        return -min(x, 0.5) - (y - 0.5) ** 2

    gen = GradientGenerator().start({"x": Real(0, 1), "y": Real(0, 1)})
    run_until(gen, f, 3, batch=2)  # the centre and the forward stencil
    assert gen.gradient_ is None
    extra = gen.ask(2)
    assert extra == [{"x": pytest.approx(0.49), "y": 0.5}]
    gen.tell(extra, [f(**c) for c in extra])
    gen.ask(1)  # reads the completed stencil
    # x: central over the edge of the plateau; y: still forward, (f(h) - f(0)) / h
    np.testing.assert_allclose(gen.gradient_, [-0.5, -0.01], atol=1e-9)


def test_line_search_expands_along_a_long_slope():
    # Climbing x from 0.5 to the bound with a first step of 0.01.
    def evaluations_to_the_bound(max_expansions):
        gen = GradientGenerator(step_size=0.01, max_expansions=max_expansions)
        gen.start({"x": Real(0, 1)})
        seen = run_until(gen, lambda x: x, 40, batch=3)
        return next(i for i, c in enumerate(seen, 1) if c["x"] == 1.0)

    # Without: a new gradient for each doubling of the step; with: the line
    # goes on to 0.54, 0.58, 0.66, 0.82, 1.
    assert evaluations_to_the_bound(0) == 14
    assert evaluations_to_the_bound(2) == 9


def test_reaches_an_optimum_on_a_bound_at_the_end_of_a_valley():
    # A narrow valley y = 0.4 + 0.5 x rising towards x = 0, as KernelRidge's
    # R2 along alpha and gamma.
    def f(x, y):
        return -100 * (y - 0.4 - 0.5 * x) ** 2 - x

    gen = GradientGenerator().start({"x": Real(0, 1), "y": Real(0, 1)})
    seen = run_until(gen, f, 50, batch=2)
    assert all(0 <= c["x"] <= 1 and 0 <= c["y"] <= 1 for c in seen)
    best = seen[int(np.argmax(gen.scores_))]
    assert best["x"] == 0.0 and abs(best["y"] - 0.4) < 1e-3


def test_converges_to_a_minimum_of_branin():
    # Branin's minima are 0.397887; near one of them the first quasi-Newton
    # step after the switch to central differences is shorter than tol,
    # and the search tries the gradient instead of stopping 0.3% short.
    def branin(x, y):
        b, c, t = 5.1 / (4 * math.pi**2), 5 / math.pi, 1 / (8 * math.pi)
        return (y - b * x**2 + c * x - 6) ** 2 + 10 * (1 - t) * math.cos(x) + 10

    result = minimize(
        branin,
        {"x": Real(-5, 10), "y": Real(0, 15)},
        n_calls=50,
        generator="gradient",
        random_state=0,
    )
    assert result.fun - 0.397887 < 1e-4
