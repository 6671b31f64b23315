"""``python -m skhyper``: a demo search on a bundled dataset.

In a terminal with rich installed (``pip install "skhyper[progress]"``) the
search draws its progress bar on stderr; anywhere else (a pipe, a log file,
CI, or no rich) it prints one line per iteration instead, so the demo always
shows how the search goes.
"""

from __future__ import annotations

import argparse
import sys
import time

from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skhyper import HyperSearchCV, Real
from skhyper.generators import GENERATORS
from skhyper.search._progress import INSTALL_HINT, auto_progress_console


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
        default=None,
        help="the search's verbose (default: 0 when the progress bar shows, else 1)",
    )
    args = parser.parse_args(argv)
    shows_bar = auto_progress_console() is not None
    verbose = args.verbose if args.verbose is not None else int(not shows_bar)

    X, y = load_breast_cancer(return_X_y=True)
    pipe = make_pipeline(StandardScaler(), SVC())
    space = {
        "svc__C": Real(1e-2, 1e3, log=True),
        "svc__gamma": Real(1e-5, 1e0, log=True),
        "svc__kernel": ["rbf", "sigmoid"],
    }
    search = HyperSearchCV(
        pipe,
        space,
        generator=args.generator,
        n_iter=args.n_iter,
        cv=StratifiedKFold(5, shuffle=True, random_state=args.seed),
        n_jobs=args.n_jobs,
        random_state=args.seed,
        verbose=verbose,
    )
    print(
        f"Tuning {pipe} on breast cancer ({X.shape[0]} samples, "
        f"{X.shape[1]} features): {args.n_iter} candidates from the "
        f"{args.generator!r} generator, 5-fold CV accuracy.",
        flush=True,  # before the bar, also when stdout is a pipe
    )
    if not shows_bar and sys.stderr.isatty():
        print(f"({INSTALL_HINT} for a progress bar)")
    start = time.perf_counter()
    search.fit(X, y)
    elapsed = time.perf_counter() - start
    print(f"Done in {elapsed:.1f} s: {search.stop_reason_}.")
    print(f"Best CV accuracy: {search.best_score_:.4f}")
    print(f"Best parameters:  {search.best_params_}")


if __name__ == "__main__":
    main()
