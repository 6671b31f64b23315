"""``python -m skhyper``: a demo search on a bundled dataset.

In a terminal with rich installed (``pip install rich``, the ``progress``
extra) the
search draws its progress bar on stderr; anywhere else (a pipe, a log file,
CI, or no rich) it prints a line at each new best score instead, so the demo
always shows how the search goes. It ends with the cross-validated accuracy
of the untuned pipeline beside the tuned one. Every line fits 80 columns.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
import time
from typing import Any

from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skhyper import BayesSearchCV, HyperSearchCV, RandomSearchCV, Real, SearchState
from skhyper.generators import GENERATORS
from skhyper.search._progress import INSTALL_HINT, auto_progress_console

#: What the demo prints is wrapped to this many columns.
WIDTH = 80


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m skhyper",
        description="Tune an SVC pipeline on the breast-cancer dataset.",
    )
    parser.add_argument("--generator", default="gp", choices=sorted(GENERATORS))
    parser.add_argument("--n-iter", type=int, default=24)
    parser.add_argument("--n-jobs", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--verbose",
        type=int,
        default=0,
        help="the search's verbose (without a progress bar, the demo prints a "
        "line at each new best score)",
    )
    args = parser.parse_args(argv)
    shows_bar = auto_progress_console() is not None

    X, y = load_breast_cancer(return_X_y=True)
    pipe = make_pipeline(StandardScaler(), SVC())
    space = {
        "svc__C": Real(1e-2, 1e3, log=True),
        "svc__gamma": Real(1e-5, 1e0, log=True),
        "svc__kernel": ["rbf", "sigmoid"],
    }
    cv = StratifiedKFold(5, shuffle=True, random_state=args.seed)
    search = make_search(
        args.generator,
        pipe,
        space,
        n_iter=args.n_iter,
        cv=cv,
        n_jobs=args.n_jobs,
        random_state=args.seed,
        verbose=args.verbose,
        callbacks=None if shows_bar or args.verbose else [NewBestPrinter()],
    )
    say(
        f"skhyper demo: {type(search).__name__} tunes C, gamma and kernel of "
        f"an SVC (after a StandardScaler) on the breast-cancer data "
        f"({X.shape[0]} samples, {X.shape[1]} features): {args.n_iter} "
        "candidates, each scored by 5-fold cross-validated accuracy."
    )
    if not shows_bar and sys.stderr.isatty():
        say(f"({INSTALL_HINT} for a progress bar)")
    default_score = cross_val_score(pipe, X, y, cv=cv, n_jobs=args.n_jobs).mean()
    start = time.perf_counter()
    search.fit(X, y)
    elapsed = time.perf_counter() - start
    defaults = pipe.get_params()
    print()
    say(f"Searched in {elapsed:.1f} s ({search.stop_reason_}).")
    tuned = search.best_params_
    print(f"{'':9}CV accuracy  parameters")
    print(f"{'default':9}{default_score:<11.4f}  {_params(defaults, space)}")
    print(f"{'tuned':9}{search.best_score_:<11.4f}  {_params(tuned, space)}")


class NewBestPrinter:
    """A search callback printing a line when the best score improves, and
    at the end: the demo's progress where no bar can be drawn."""

    def __init__(self) -> None:
        self.best = float("-inf")

    def __call__(self, state: SearchState) -> None:
        improved = state.best_score > self.best
        self.best = state.best_score
        if improved or state.n_evaluated >= state.n_iter:
            print(
                f"{state.n_evaluated:>5}/{state.n_iter} candidates  best CV "
                f"accuracy {state.best_score:.4f}  {state.elapsed:5.1f} s",
                flush=True,
            )


def make_search(generator: str, estimator: Any, space: dict, **params: Any) -> Any:
    """The class a user would type for ``generator``."""
    if generator == "gp":
        return BayesSearchCV(estimator, space, **params)
    if generator == "random":
        return RandomSearchCV(estimator, space, **params)
    return HyperSearchCV(estimator, space, generator=generator, **params)


def say(text: str) -> None:
    """Print ``text`` wrapped to :data:`WIDTH` columns (before the bar draws,
    also when stdout is a pipe)."""
    print(textwrap.fill(text, WIDTH), flush=True)


def _params(params: dict, space: dict) -> str:
    """The searched parameters, numbers to 3 significant digits."""
    return " ".join(f"{name}={_short(params[name])}" for name in space)


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return repr(value)


if __name__ == "__main__":
    main()
