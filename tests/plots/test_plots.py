"""Each plot renders to PNG with Agg and shows what it claims to show."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from skhyper import HyperSearchCV, Real, minimize
from skhyper.plots import (
    parameter_importance,
    plot_convergence,
    plot_evaluations,
    plot_importance,
    plot_partial_dependence,
)

from ..conftest import FailingClassifier
from .conftest import QUADRATIC_SPACE, quadratic, saved_png

matplotlib = pytest.importorskip("matplotlib")
plt = pytest.importorskip("matplotlib.pyplot")
from matplotlib.collections import QuadMesh  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402


def n_points(collection):
    return len(collection.get_offsets())


# -- convergence -------------------------------------------------------------
def test_convergence_compares_searches_on_one_axes(gp_search, sobol_search, tmp_path):
    ax = plot_convergence(gp_search, sobol_search)
    saved_png(ax.figure, tmp_path / "convergence.png")
    assert [line.get_label() for line in ax.lines] == [
        "BayesSearchCV",
        "HyperSearchCV (sobol)",
    ]
    assert [t.get_text() for t in ax.get_legend().get_texts()][:3] == [
        "BayesSearchCV",
        "HyperSearchCV (sobol)",
        "each evaluation",
    ]
    for line, search in zip(ax.lines, (gp_search, sobol_search), strict=True):
        scores = search.cv_results_["mean_test_score"]
        np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 13))
        np.testing.assert_allclose(line.get_ydata(), np.maximum.accumulate(scores))
        assert line.get_ydata()[-1] == pytest.approx(search.best_score_)
    assert [n_points(c) for c in ax.collections][:2] == [12, 12]
    assert ax.get_xlabel() == "number of evaluations"
    assert ax.get_ylabel() == "best CV score so far"


def test_convergence_of_minimize_shows_the_lowest_value(quadratic_result, tmp_path):
    fig, ax = plt.subplots()
    returned = plot_convergence(
        quadratic_result, labels=["gp"], ax=ax, show_points=False
    )
    saved_png(fig, tmp_path / "convergence_minimize.png")
    assert returned is ax
    (line,) = ax.lines
    np.testing.assert_allclose(
        line.get_ydata(), np.minimum.accumulate(quadratic_result.func_vals)
    )
    assert line.get_label() == "gp"
    assert len(ax.collections) == 0
    assert ax.get_ylabel() == "lowest function value so far"


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.FitFailedWarning")
def test_convergence_skips_failures_and_refuses_mixed_directions(
    iris, quadratic_result
):
    search = HyperSearchCV(
        FailingClassifier(),
        [{"fail": [True]}, {"quality": Real(0, 1)}],
        generator="sobol",
        n_iter=6,
        cv=2,
        random_state=0,
    )
    with pytest.warns(UserWarning):
        search.fit(*iris)
    ax = plot_convergence(search)
    scores = search.cv_results_["mean_test_score"]
    assert np.isnan(scores).sum() == 1
    assert n_points(ax.collections[0]) == 5
    ydata = ax.lines[0].get_ydata()
    np.testing.assert_allclose(ydata[-1], np.nanmax(scores))
    # Before the first finite score there is no "best so far".
    assert np.isnan(ydata[: np.argmax(~np.isnan(scores))]).all()
    with pytest.raises(ValueError, match="Cannot compare"):
        plot_convergence(search, quadratic_result)
    with pytest.raises(ValueError, match="2 labels for 1"):
        plot_convergence(search, labels=["a", "b"])
    with pytest.raises(TypeError, match="cv_results_"):
        plot_convergence(LogisticRegression())


# -- evaluations -------------------------------------------------------------
def test_evaluations_one_panel_per_parameter_coloured_by_order(gp_search, tmp_path):
    axes = plot_evaluations(gp_search)
    saved_png(axes[0].figure, tmp_path / "evaluations.png")
    assert [a.get_xlabel() for a in axes] == ["C", "fit_intercept", "solver"]
    assert {a.get_ylabel() for a in axes} == {"CV score"}
    params = gp_search.cv_results_["params"]
    scores = gp_search.cv_results_["mean_test_score"]
    for axis in axes:
        (points,) = axis.collections
        assert n_points(points) == 12
        np.testing.assert_array_equal(points.get_array(), np.arange(12))
        np.testing.assert_allclose(points.get_offsets()[:, 1], scores)
    assert axes[0].get_xscale() == "log"
    np.testing.assert_allclose(
        axes[0].collections[0].get_offsets()[:, 0], [p["C"] for p in params]
    )
    labels = [t.get_text() for t in axes[2].get_xticklabels()]
    assert labels == ["lbfgs", "newton-cg", "newton-cholesky"]
    # Choices sit within 0.15 of their tick.
    x = axes[2].collections[0].get_offsets()[:, 0]
    expected = [labels.index(p["solver"]) for p in params]
    assert np.abs(x - expected).max() <= 0.15
    colorbar_axes = [a for a in axes[0].figure.axes if a not in list(axes)]
    assert [a.get_ylabel() for a in colorbar_axes] == ["evaluation"]


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.FitFailedWarning")
def test_evaluations_mark_failures_and_take_given_axes(iris, tmp_path):
    search = HyperSearchCV(
        FailingClassifier(),
        {"fail": [True, False], "quality": Real(0, 1)},
        generator="sobol",
        n_iter=8,
        cv=2,
        random_state=0,
    )
    with pytest.warns(UserWarning):
        search.fit(*iris)
    n_failed = int(np.isnan(search.cv_results_["mean_test_score"]).sum())
    assert 0 < n_failed < 8
    fig, ax = plt.subplots()
    (axis,) = plot_evaluations(search, ["quality"], ax=ax)
    saved_png(fig, tmp_path / "evaluations_failed.png")
    assert axis is ax
    finite, failed = ax.collections
    assert (n_points(finite), n_points(failed)) == (8 - n_failed, n_failed)
    worst = np.nanmin(search.cv_results_["mean_test_score"])
    np.testing.assert_allclose(failed.get_offsets()[:, 1], worst)
    with pytest.raises(ValueError, match="not a searched parameter"):
        plot_evaluations(search, ["alpha"])
    with pytest.raises(ValueError, match="Expected 2 axes"):
        plot_evaluations(search, ax=[ax])


# -- partial dependence ------------------------------------------------------
def test_partial_dependence_1d_finds_the_minimum(quadratic_result, tmp_path):
    axes = plot_partial_dependence(quadratic_result, n_points=41)
    saved_png(axes[0].figure, tmp_path / "partial_dependence_1d.png")
    assert [a.get_xlabel() for a in axes] == ["n", "x", "y"]
    assert axes[1].get_ylabel() == "function value"
    line = axes[1].lines[0]
    x, pd = line.get_xdata(), line.get_ydata()
    assert (x[0], x[-1], len(x)) == (-4.0, 4.0, 41)
    # (x - 1)^2 plus the average of the rest: lowest near x = 1, at least 9
    # higher for x <= -2 and 4 for x >= 3 (the model sees few points there).
    assert abs(x[np.argmin(pd)] - 1.0) <= 0.4
    assert pd[x <= -2].min() - pd.min() > 8
    assert pd[x >= 3].min() - pd.min() > 2
    # n (integers 0..4) takes each of its values and raises the value; y,
    # which has no effect, hardly moves it.
    n_line, y_line = axes[0].lines[0], axes[2].lines[0]
    np.testing.assert_array_equal(n_line.get_xdata(), [0, 1, 2, 3, 4])
    assert (np.diff(n_line.get_ydata()) > 0).all()
    assert np.ptp(y_line.get_ydata()) < 0.2 * np.ptp(n_line.get_ydata())
    # Every evaluation is a dot at its value.
    for axis in axes:
        assert n_points(axis.collections[0]) == 25
    np.testing.assert_allclose(
        axes[1].collections[0].get_offsets()[:, 1], quadratic_result.func_vals
    )


def test_partial_dependence_2d_with_points_and_best(gp_search, tmp_path):
    ax = plot_partial_dependence(gp_search, ("C", "solver"), n_points=10)
    saved_png(ax.figure, tmp_path / "partial_dependence_2d.png")
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("C", "solver")
    mesh, points, best = ax.collections
    assert isinstance(mesh, QuadMesh)
    assert mesh.get_array().shape == (3, 10)
    assert n_points(points) == 12
    best_params = gp_search.best_params_
    np.testing.assert_allclose(best.get_offsets()[0, 0], best_params["C"])
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "lbfgs",
        "newton-cg",
        "newton-cholesky",
    ]
    colorbar_axes = [a for a in ax.figure.axes if a is not ax]
    assert colorbar_axes[0].get_ylabel() == "partial dependence of CV score"


def test_partial_dependence_2d_numeric_pair_is_a_contour(quadratic_result, tmp_path):
    fig, axes = plt.subplots(1, 2)
    returned = plot_partial_dependence(
        quadratic_result, ["x", ("x", "y")], ax=axes, n_points=12
    )
    saved_png(fig, tmp_path / "partial_dependence_mixed.png")
    assert list(returned) == list(axes)
    contour = next(c for c in axes[1].collections if isinstance(c, ContourSet))
    assert len(contour.levels) > 3
    # Along y nothing changes (y has no effect); along x the parabola shows.
    assert axes[1].get_ylabel() == "y"


def test_partial_dependence_without_a_gp_fits_one(sobol_search, grid_search):
    ax = plot_partial_dependence(sobol_search, "C", n_points=8)
    assert len(ax.lines[0].get_xdata()) == 8
    assert sobol_search.generator_.__class__.__name__ == "SobolGenerator"
    axes = plot_partial_dependence(grid_search)
    assert [a.get_xlabel() for a in axes] == ["C", "fit_intercept"]
    # A list of numbers is drawn at its choices' positions.
    assert [t.get_text() for t in axes[0].get_xticklabels()] == [
        "0.01",
        "0.1",
        "1.0",
        "10.0",
    ]
    assert n_points(axes[0].collections[0]) == 8


def test_partial_dependence_picks_and_checks_the_sub_space(tmp_path):
    space = [{"a": Real(0, 1)}, {"b": Real(0, 1), "c": Real(0, 1)}]

    def func(a=None, b=None, c=None):
        return 1.0 + (a or 0.0) if a is not None else (b - 0.5) ** 2 + c

    result = minimize(func, space, n_calls=14, generator="sobol", random_state=0)
    assert "b" in result.x
    axes = plot_partial_dependence(result)
    assert [a.get_xlabel() for a in axes] == ["b", "c"]
    ax = plot_partial_dependence(result, "a", subspace=0)
    assert n_points(ax.collections[0]) == sum("a" in p for p in result.x_iters)
    with pytest.raises(ValueError, match="not a searched parameter of sub-space 1"):
        plot_partial_dependence(result, "a")
    with pytest.raises(ValueError, match="needs two parameters"):
        plot_partial_dependence(result, ("b", "b"))
    with pytest.raises(ValueError, match="name or a pair"):
        plot_partial_dependence(result, [("a", "b", "c")])
    with pytest.raises(ValueError, match="index one of the 2"):
        plot_partial_dependence(result, subspace=2)


# -- importance --------------------------------------------------------------
def test_importance_ranks_the_parameters_that_matter(quadratic_result, tmp_path):
    shares = parameter_importance(quadratic_result)
    assert list(shares) == ["x", "n", "y"]
    # Additive function: main effects explain (nearly) everything.
    assert sum(shares.values()) == pytest.approx(1.0, abs=0.1)
    assert shares["x"] > 0.8
    assert shares["y"] < 0.02
    ax = plot_importance(quadratic_result)
    saved_png(ax.figure, tmp_path / "importance.png")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["y", "n", "x"]
    widths = [bar.get_width() for bar in ax.patches]
    np.testing.assert_allclose(widths, [shares[name] for name in labels])
    assert ax.get_xlabel() == "share of the surrogate's variance (main effect)"
    assert ax.get_title().startswith("minimize (gp): main effects explain")


def test_importance_of_a_search_and_given_axes(gp_search, tmp_path):
    fig, ax = plt.subplots()
    assert plot_importance(gp_search, ax=ax) is ax
    saved_png(fig, tmp_path / "importance_search.png")
    assert sorted(t.get_text() for t in ax.get_yticklabels()) == sorted(SPACE_NAMES)
    assert len(ax.patches) == 3


SPACE_NAMES = ["C", "fit_intercept", "solver"]


def test_surrogate_of_a_gp_search_is_its_own_generator(gp_search):
    generator = gp_search.generator_
    parameter_importance(gp_search, n_points=4, n_samples=8)
    # The search's generator fitted (and cached) the model that was used.
    assert set(generator._surrogates) == {0}


def test_missing_matplotlib_names_the_extra(monkeypatch, quadratic_result):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(
        ImportError, match=r"pip install matplotlib \(skhyper's \"plots\" extra\)"
    ):
        plot_convergence(quadratic_result)
    # The numbers need no matplotlib.
    shares = parameter_importance(quadratic_result, n_samples=32)
    assert max(shares, key=shares.get) == "x"


def test_the_quadratic_fixture_is_what_the_tests_assume(quadratic_result):
    assert set(quadratic_result.x) == set(QUADRATIC_SPACE)
    assert quadratic_result.fun == pytest.approx(quadratic(**quadratic_result.x))


# -- outliers, failures, legends, layout ----------------------------------------
@pytest.fixture(scope="module")
def search_with_outliers(iris):
    """A search with failed candidates (fail=True) and one very poor one
    (quality=-0.6), among good ones."""
    search = HyperSearchCV(
        FailingClassifier(),
        {"fail": [True, False], "quality": [-0.6, 0.6, 0.62, 0.64, 0.66, 0.68]},
        generator="grid",
        cv=2,
    )
    with pytest.warns(UserWarning):
        search.fit(*iris)
    return search


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.FitFailedWarning")
def test_convergence_keeps_outliers_and_failures_off_its_axis(
    search_with_outliers, tmp_path
):
    ax = plot_convergence(search_with_outliers)
    saved_png(ax.figure, tmp_path / "convergence_outliers.png")
    scores = search_with_outliers.cv_results_["mean_test_score"]
    finite = scores[np.isfinite(scores)]
    low, high = ax.get_ylim()
    poor = finite.min()  # the majority class minus 0.6
    assert low > poor  # it does not squash the rest
    assert low < np.sort(finite)[1] and high > finite.max()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [
        "HyperSearchCV (grid)",
        "each evaluation",
        "failed (6)",
        "below the axis (1)",
    ]
    points, failed, below = ax.collections
    assert n_points(points) == 6
    np.testing.assert_array_equal(
        failed.get_offsets()[:, 0], np.flatnonzero(np.isnan(scores)) + 1
    )
    # Drawn on the bottom edge (axes fraction 0), outside the clipping box.
    np.testing.assert_array_equal(failed.get_offsets()[:, 1], 0.0)
    np.testing.assert_array_equal(
        below.get_offsets()[:, 0], [np.flatnonzero(scores == poor)[0] + 1]
    )
    assert not below.get_clip_on()


def test_convergence_of_minimize_clips_high_outliers_at_the_top(tmp_path):
    values = iter([100.0, 3.0, 2.5, 2.0, 1.8, 1.7, 1.65, 1.6])
    result = minimize(lambda x: next(values), {"x": Real(0, 1)}, n_calls=8)
    ax = plot_convergence(result)
    saved_png(ax.figure, tmp_path / "convergence_minimize_outlier.png")
    low, high = ax.get_ylim()
    assert low < 1.6 and 3.0 < high < 100.0
    (above,) = ax.collections[1:]
    assert above.get_offsets().tolist() == [[1.0, 1.0]]
    assert "above the axis (1)" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_partial_dependence_1d_draws_the_slice_through_the_best(gp_search, tmp_path):
    axes = plot_partial_dependence(gp_search, n_points=12)
    saved_png(axes[0].figure, tmp_path / "partial_dependence_legend.png")
    c_axis, intercept_axis, solver_axis = axes
    average, through_best = c_axis.lines
    # The slice through the best candidate passes at the best's predicted
    # score, at or above the average over the other parameters there.
    best_c = gp_search.best_params_["C"]
    at_best = np.argmin(np.abs(np.log(through_best.get_xdata()) - np.log(best_c)))
    assert through_best.get_ydata()[at_best] >= average.get_ydata()[at_best]
    assert [t.get_text() for t in c_axis.get_legend().get_texts()] == [
        "model, averaged over the others",
        "model, the others at the best",
        "evaluations",
    ]
    assert intercept_axis.get_legend() is None  # one legend per figure
    # Choices of a list are points, never joined by a line.
    for line in solver_axis.lines:
        assert line.get_linestyle() == "None" and line.get_marker() != "None"
        assert len(line.get_xdata()) == 3
    assert c_axis.get_ylabel() == "CV score"


@pytest.mark.parametrize(
    "n, shape",
    [(1, (1, 1)), (2, (1, 2)), (3, (1, 3)), (4, (2, 2)), (5, (2, 3)), (7, (3, 3))],
)
def test_grids_of_panels_leave_few_empty_cells(n, shape):
    from skhyper.plots._axes import axes_for

    axes = axes_for(n, None)
    assert len(axes) == n
    figure = axes[0].figure
    assert len(figure.axes) == n  # the empty cells are removed
    gridspec = axes[0].get_subplotspec().get_gridspec()
    assert (gridspec.nrows, gridspec.ncols) == shape
