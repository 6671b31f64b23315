"""Tuning a booster with and without early stopping in every fold, equal n_iter.

Per seed, one synthetic classification task (``make_classification``,
4,000 samples, 25% held out) and two ``BayesSearchCV`` runs of ``--n-iter``
candidates, 3-fold CV, alternated:

- ``no early stopping``: the number of iterations is a searched dimension
  (``max_iter``/``n_estimators`` in [20, 500], log);
- ``EarlyStopping``: ``EarlyStopping(estimator(500 iterations), patience=10)``
  holds out 10% of each training fold and stops there; the iterations are
  not searched.

Both search the learning rate, the number of leaves and the minimum leaf
size. Reports the search's wall time, the refitted model's held-out
accuracy and the iterations used.

    OMP_NUM_THREADS=1 nice python benchmarks/early_stopping.py            # HGB, 3 seeds
    python benchmarks/early_stopping.py --models hgb lightgbm --seeds 1 --n-iter 8
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import sklearn
from sklearn.datasets import make_classification
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, train_test_split

import skhyper
from skhyper import BayesSearchCV, Integer, Real
from skhyper.early_stopping import EarlyStopping

MAX_ITERATIONS = 500


def _models(name, seed):
    """(estimator without early stopping, its space, the iterations parameter)."""
    if name == "hgb":
        est = HistGradientBoostingClassifier(early_stopping=False, random_state=seed)
        space = {
            "learning_rate": Real(0.01, 0.5, log=True),
            "max_leaf_nodes": Integer(4, 64, log=True),
            "min_samples_leaf": Integer(5, 100, log=True),
        }
        return est, space, "max_iter"
    import lightgbm

    est = lightgbm.LGBMClassifier(random_state=seed, n_jobs=1, verbose=-1)
    space = {
        "learning_rate": Real(0.01, 0.5, log=True),
        "num_leaves": Integer(4, 64, log=True),
        "min_child_samples": Integer(5, 100, log=True),
    }
    return est, space, "n_estimators"


def _iterations(model):
    for name in ("n_iterations_", "n_iter_"):
        if hasattr(model, name):
            return int(getattr(model, name))
    return int(model.n_estimators_)


def run(model_name, seed, n_iter):
    X, y = make_classification(
        n_samples=4000,
        n_features=20,
        n_informative=10,
        flip_y=0.05,
        random_state=seed,
    )
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=seed
    )
    cv = StratifiedKFold(3, shuffle=True, random_state=seed)
    out = {}
    for variant in ("no early stopping", "EarlyStopping"):
        est, space, iterations = _models(model_name, seed)
        if variant == "EarlyStopping":
            est = EarlyStopping(
                est.set_params(**{iterations: MAX_ITERATIONS}), patience=10
            )
            space = {f"estimator__{k}": v for k, v in space.items()}
        else:
            space = {**space, iterations: Integer(20, MAX_ITERATIONS, log=True)}
        search = BayesSearchCV(
            est, space, n_iter=n_iter, cv=cv, random_state=seed, progress_bar=False
        )
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            search.fit(X_train, y_train)
        wall = time.perf_counter() - start
        out[variant] = {
            "wall_s": wall,
            "test": search.score(X_test, y_test),
            "cv": search.best_score_,
            "iterations": _iterations(search.best_estimator_),
            "mean_fit_s": float(np.mean(search.cv_results_["mean_fit_time"])),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--n-iter", type=int, default=15)
    parser.add_argument("--models", nargs="*", default=["hgb"])
    args = parser.parse_args()
    results = {}
    for model in args.models:
        results[model] = []
        for seed in range(args.seeds):
            results[model].append(run(model, seed, args.n_iter))
            print(f"# {model} seed {seed}: {results[model][-1]}", flush=True)
    versions = [f"scikit-learn {sklearn.__version__}", f"skhyper {skhyper.__version__}"]
    if "lightgbm" in args.models:
        import lightgbm

        versions.append(f"lightgbm {lightgbm.__version__}")
    print(
        f"\n{', '.join(versions)}; BayesSearchCV n_iter={args.n_iter}, 3-fold CV, "
        f"{args.seeds} seeds; make_classification(4000, 20 features), 25% held "
        "out.\n"
    )
    print(
        "| model | variant | median search wall s | wall ratio | median held-out "
        "accuracy | mean held-out diff | median iterations of the refitted model |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for model, runs in results.items():
        base = [r["no early stopping"] for r in runs]
        for variant in ("no early stopping", "EarlyStopping"):
            rows = [r[variant] for r in runs]
            ratio = np.median(
                [x["wall_s"] / b["wall_s"] for x, b in zip(rows, base, strict=True)]
            )
            diff = np.mean(
                [x["test"] - b["test"] for x, b in zip(rows, base, strict=True)]
            )
            print(
                f"| {model} | {variant} | {np.median([x['wall_s'] for x in rows]):.1f} "
                f"| {ratio:.2f} | {np.median([x['test'] for x in rows]):.4f} "
                f"| {diff:+.4f} | {np.median([x['iterations'] for x in rows]):.0f} |"
            )


if __name__ == "__main__":
    main()
