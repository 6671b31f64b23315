"""skhyper.skopt.plots: scikit-optimize's plot calls on the face's results."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import OptimizeResult
from sklearn.svm import SVC

from skhyper import Real as SkhyperReal
from skhyper import minimize
from skhyper.skopt import BayesSearchCV, Categorical, Integer, Real

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from skhyper.skopt.plots import (  # noqa: E402
    plot_convergence,
    plot_evaluations,
    plot_histogram,
    plot_objective,
)

SPACE = {
    "C": Real(1e-3, 1e3, prior="log-uniform"),
    "gamma": Real(1e-4, 1, prior="log-uniform"),
    "kernel": Categorical(["rbf", "poly"]),
    "degree": Integer(1, 4),
}
N_ITER = 10


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def result(iris):
    search = BayesSearchCV(SVC(), SPACE, n_iter=N_ITER, cv=3, random_state=0)
    return search.fit(*iris).optimizer_results_[0]


def test_convergence_takes_results_and_labelled_tuples(result):
    ax = plot_convergence(("first", result), ("second", result), true_minimum=-1.0)
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert "first" in legend and "second" in legend
    assert any(np.allclose(line.get_ydata(), -1.0) for line in ax.get_lines())
    assert plot_convergence(result, yscale="symlog").get_yscale() == "symlog"


def test_objective_draws_each_parameter_and_pair(result):
    axes = plot_objective(result, n_points=8, n_samples=16)
    assert len(axes) == 4 + 6
    assert [ax.get_xlabel() for ax in axes[:4]] == ["C", "degree", "gamma", "kernel"]


def test_objective_takes_plot_dims_by_name_or_index_and_dimension_labels(result):
    axes = plot_objective(
        result, plot_dims=[0, "gamma"], dimensions=["cost", "width"], n_points=8
    )
    assert len(axes) == 3
    assert [axes[0].get_xlabel(), axes[1].get_xlabel()] == ["cost", "width"]
    with pytest.raises(ValueError, match="2 labels for 3"):
        plot_objective(
            result, plot_dims=["C", "gamma", "degree"], dimensions=["a", "b"]
        )


def test_objective_refuses_a_sample_source_it_cannot_honour(result):
    with pytest.raises(ValueError, match='sample_source="random"'):
        plot_objective(result, sample_source="result")


def test_evaluations_draw_one_panel_per_parameter(result):
    axes = plot_evaluations(result, bins=10, plot_dims=["C", "kernel"])
    assert [ax.get_xlabel() for ax in np.ravel(axes)] == ["C", "kernel"]


@pytest.mark.parametrize("identifier", ["kernel", 3, "C", 0])
def test_histogram_counts_every_evaluation(result, identifier):
    ax = plot_histogram(result, identifier, bins=5)
    heights = [patch.get_height() for patch in ax.patches]
    assert sum(heights) == N_ITER
    assert ax.get_xlabel() in SPACE


@pytest.mark.parametrize("identifier", ["nope", 4, -5])
def test_histogram_refuses_an_unknown_dimension(result, identifier):
    with pytest.raises(ValueError, match="dimension_identifier"):
        plot_histogram(result, identifier)


def test_a_result_of_scikit_optimize_itself_is_sent_to_skopt_plots():
    foreign = OptimizeResult(x=[1.0], fun=0.0, x_iters=[[1.0]], func_vals=[0.0])
    with pytest.raises(TypeError, match="use skopt.plots"):
        plot_convergence(foreign)


def test_a_minimize_result_plots_too():
    result = minimize(
        lambda x: (x - 1) ** 2, {"x": SkhyperReal(-3, 3)}, n_calls=8, random_state=0
    )
    assert len(plot_objective(result, n_points=8)) == 1
    assert sum(p.get_height() for p in plot_histogram(result, "x").patches) == 8
