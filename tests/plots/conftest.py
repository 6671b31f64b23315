"""Fitted searches and results shared by the plot tests, drawn with Agg."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV

from skhyper import BayesSearchCV, HyperSearchCV, Integer, Real, minimize

try:
    import matplotlib
except ImportError:  # the tests here skip themselves (importorskip)
    matplotlib = None
else:
    matplotlib.use("Agg")

SPACE = {
    "C": Real(1e-3, 1e2, log=True),
    "fit_intercept": [True, False],
    "solver": ["lbfgs", "newton-cg", "newton-cholesky"],
}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    if matplotlib is not None:
        import matplotlib.pyplot as plt

        plt.close("all")


@pytest.fixture(scope="module")
def gp_search(iris):
    return BayesSearchCV(
        LogisticRegression(max_iter=200), SPACE, n_iter=12, cv=3, random_state=0
    ).fit(*iris)


@pytest.fixture(scope="module")
def sobol_search(iris):
    return HyperSearchCV(
        LogisticRegression(max_iter=200),
        SPACE,
        generator="sobol",
        n_iter=12,
        cv=3,
        random_state=0,
    ).fit(*iris)


@pytest.fixture(scope="module")
def grid_search(iris):
    return GridSearchCV(
        LogisticRegression(max_iter=200),
        {"C": [0.01, 0.1, 1.0, 10.0], "fit_intercept": [True, False]},
        cv=3,
    ).fit(*iris)


def quadratic(x, y, n):
    """x matters most, n a little, y not at all."""
    return (x - 1.0) ** 2 + 0.3 * n + 0.0 * y


QUADRATIC_SPACE = {"x": Real(-4, 4), "y": Real(0, 1), "n": Integer(0, 4)}


@pytest.fixture(scope="module")
def quadratic_result():
    return minimize(quadratic, QUADRATIC_SPACE, n_calls=25, random_state=0)


def saved_png(figure, path):
    """Save ``figure`` to ``path`` and return the image read back."""
    from matplotlib import image

    figure.savefig(path)
    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    pixels = image.imread(path)
    width, height = figure.get_size_inches() * figure.dpi
    assert pixels.shape[:2] == (round(height), round(width))
    # Something was drawn: not a blank canvas.
    assert np.ptp(pixels[..., :3]) > 0.5
    return pixels
