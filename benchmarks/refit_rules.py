"""Refit rules against refit=True: the model each picks and its held-out score.

One grid search per seed (a different train/test split each), its
``cv_results_`` read by three rules side by side:

- ``refit=True``: the best mean CV score;
- ``OneStandardError("n_estimators")``: the fewest trees within one standard
  error of the best;
- ``FastestWithinTolerance(0.01)``: the smallest mean fit time within one
  point of accuracy of the best.

Each pick is refitted on the training part and scored on the held-out part.
The held-out noise is the binomial standard error of an accuracy on that
many samples.

    OMP_NUM_THREADS=1 nice python benchmarks/refit_rules.py          # 5 seeds
    python benchmarks/refit_rules.py --seeds 1
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import sklearn
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, train_test_split

import skhyper
from skhyper import HyperSearchCV
from skhyper.selection import FastestWithinTolerance, OneStandardError

GRID = {"n_estimators": [10, 30, 100, 300], "max_depth": [2, 4, 8, None]}
RULES = {
    "refit=True": None,
    "OneStandardError(n_estimators)": OneStandardError("n_estimators"),
    "FastestWithinTolerance(0.01)": FastestWithinTolerance(0.01),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    X, y = load_breast_cancer(return_X_y=True)
    rows = {name: [] for name in RULES}
    for seed in range(args.seeds):
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.3, stratify=y, random_state=seed
        )
        estimator = RandomForestClassifier(random_state=seed, n_jobs=1)
        search = HyperSearchCV(
            estimator,
            GRID,
            generator="grid",
            cv=StratifiedKFold(5, shuffle=True, random_state=seed),
            refit=False,
        ).fit(X_train, y_train)
        results = search.cv_results_
        best = int(np.argmin(results["rank_test_score"]))
        for name, rule in RULES.items():
            index = best if rule is None else rule(results)
            params = results["params"][index]
            model = clone(estimator).set_params(**params)
            start = time.perf_counter()
            model.fit(X_train, y_train)
            fit_s = time.perf_counter() - start
            start = time.perf_counter()
            test = model.score(X_test, y_test)
            predict_s = time.perf_counter() - start
            rows[name].append(
                {
                    "params": params,
                    "cv": results["mean_test_score"][index],
                    "test": test,
                    "fit_s": fit_s,
                    "predict_s": predict_s,
                    "n_test": len(y_test),
                }
            )
        print(f"# seed {seed} done", flush=True)
    report(rows, args)


def report(rows, args) -> None:
    print(
        f"\nscikit-learn {sklearn.__version__}, skhyper {skhyper.__version__}; "
        f"RandomForestClassifier on breast_cancer (30% held out, stratified), grid "
        f"{GRID}, 5-fold CV; {args.seeds} seeds (split, forest and folds).\n"
    )
    print("| seed | rule | picked | CV accuracy | held-out accuracy | refit s |")
    print("| --- | --- | --- | --- | --- | --- |")
    for seed in range(args.seeds):
        for name in RULES:
            r = rows[name][seed]
            picked = ", ".join(f"{k}={v}" for k, v in sorted(r["params"].items()))
            print(
                f"| {seed} | {name} | {picked} | {r['cv']:.4f} | {r['test']:.4f} "
                f"| {r['fit_s']:.3f} |"
            )
    base = rows["refit=True"]
    print(
        "\n| rule | median refit s | ratio to refit=True | median predict ms "
        "| median held-out | mean held-out diff to refit=True | held-out SE |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name in RULES:
        r = rows[name]
        fit = np.median([x["fit_s"] for x in r])
        ratio = np.median(
            [x["fit_s"] / b["fit_s"] for x, b in zip(r, base, strict=True)]
        )
        pred = np.median([x["predict_s"] for x in r]) * 1000
        test = np.median([x["test"] for x in r])
        diff = np.mean([x["test"] - b["test"] for x, b in zip(r, base, strict=True)])
        p = np.mean([b["test"] for b in base])
        se = np.sqrt(p * (1 - p) / r[0]["n_test"])
        print(
            f"| {name} | {fit:.3f} | {ratio:.2f} | {pred:.1f} | {test:.4f} "
            f"| {diff:+.4f} | {se:.4f} |"
        )


if __name__ == "__main__":
    main()
