"""scikit-optimize's documented BayesSearchCV examples, run side by side with
scikit-optimize itself and with ``skhyper.skopt`` (imports changed only).

Examples (scikit-optimize 0.10's gallery ``sklearn-gridsearchcv-replacement``
and the ``BayesSearchCV`` docstring), each at its documented ``n_iter``:

- ``minimal``: SVC on digits, tuples as ranges and a list of kernels,
  ``n_iter=32``, ``cv=3``;
- ``advanced``: a Pipeline over two model classes, a list of
  ``(space, n_iter)`` pairs (SVC 20, LinearSVC 16), ``cv=3``;
- ``docstring``: SVC on iris with ``Real``/``Integer``/``Categorical``,
  ``n_iter=32``, default cv (5 folds).

Each example is written once; the library only supplies ``BayesSearchCV``,
``Real``, ``Integer`` and ``Categorical``. Every seed runs both libraries
with ``random_state=seed`` (the order alternates per seed), and reports the
best CV score (``best_score_``), the held-out score of the refitted model and
the wall time. Run in the benchmark env (benchmarks/setup_env.sh):

    nice env OMP_NUM_THREADS=1 python benchmarks/skopt_examples.py --seeds 5
    python benchmarks/skopt_examples.py --seeds 1 --scale 0.25   # smoke test
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import time
import warnings

import numpy as np
import sklearn
from sklearn.datasets import load_digits, load_iris
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.svm import SVC, LinearSVC

LIBRARIES = {
    "scikit-optimize": ("skopt", "skopt.space"),
    "skhyper.skopt": ("skhyper.skopt", "skhyper.skopt"),
}


def load_library(name: str) -> dict:
    search_module, space_module = (importlib.import_module(m) for m in LIBRARIES[name])
    return {
        "BayesSearchCV": search_module.BayesSearchCV,
        "Real": space_module.Real,
        "Integer": space_module.Integer,
        "Categorical": space_module.Categorical,
    }


def scaled(n_iter: int, scale: float) -> int:
    return max(2, round(n_iter * scale))


def minimal(lib: dict, seed: int, scale: float):
    X, y = load_digits(n_class=10, return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, train_size=0.75, test_size=0.25, random_state=0
    )
    opt = lib["BayesSearchCV"](
        SVC(),
        {
            "C": (1e-6, 1e6, "log-uniform"),
            "gamma": (1e-6, 1e1, "log-uniform"),
            "degree": (1, 8),
            "kernel": ["linear", "poly", "rbf"],
        },
        n_iter=scaled(32, scale),
        cv=3,
        random_state=seed,
    )
    opt.fit(X_train, y_train)
    return opt, opt.score(X_test, y_test)


def advanced(lib: dict, seed: int, scale: float):
    X, y = load_digits(n_class=10, return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    pipe = Pipeline([("model", SVC())])
    linsvc_search = {
        "model": [LinearSVC(max_iter=1000)],
        "model__C": (1e-6, 1e6, "log-uniform"),
    }
    svc_search = {
        "model": lib["Categorical"]([SVC()]),
        "model__C": lib["Real"](1e-6, 1e6, prior="log-uniform"),
        "model__gamma": lib["Real"](1e-6, 1e1, prior="log-uniform"),
        "model__degree": lib["Integer"](1, 8),
        "model__kernel": lib["Categorical"](["linear", "poly", "rbf"]),
    }
    opt = lib["BayesSearchCV"](
        pipe,
        [(svc_search, scaled(20, scale)), (linsvc_search, scaled(16, scale))],
        cv=3,
        random_state=seed,
    )
    opt.fit(X_train, y_train)
    return opt, opt.score(X_test, y_test)


def docstring(lib: dict, seed: int, scale: float):
    X, y = load_iris(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, train_size=0.75, random_state=0
    )
    opt = lib["BayesSearchCV"](
        SVC(),
        {
            "C": lib["Real"](1e-6, 1e6, prior="log-uniform"),
            "gamma": lib["Real"](1e-6, 1e1, prior="log-uniform"),
            "degree": lib["Integer"](1, 8),
            "kernel": lib["Categorical"](["linear", "poly", "rbf"]),
        },
        n_iter=scaled(32, scale),
        random_state=seed,
    )
    opt.fit(X_train, y_train)
    return opt, opt.score(X_test, y_test)


EXAMPLES = {"minimal": minimal, "advanced": advanced, "docstring": docstring}


def run_one(example: str, library: str, seed: int, scale: float) -> dict:
    lib = load_library(library)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # LinearSVC convergence, skopt's notes
        start = time.perf_counter()
        opt, held_out = EXAMPLES[example](lib, seed, scale)
        wall = time.perf_counter() - start
    return {
        "example": example,
        "library": library,
        "seed": seed,
        "n_candidates": len(opt.cv_results_["params"]),
        "best_cv": float(opt.best_score_),
        "held_out": float(held_out),
        "wall_s": wall,
    }


def summarize(rows: list[dict], examples: list[str]) -> list[str]:
    lines = [
        f"{'example':10s} {'library':16s} {'n':>3s} {'best CV med':>11s} "
        f"{'(min..max)':>15s} {'held-out med':>12s} {'(min..max)':>15s} "
        f"{'wall s med':>10s}",
    ]
    for example in examples:
        for library in LIBRARIES:
            got = [
                r for r in rows if r["example"] == example and r["library"] == library
            ]
            if not got:
                continue
            cv = [r["best_cv"] for r in got]
            test = [r["held_out"] for r in got]
            wall = [r["wall_s"] for r in got]
            lines.append(
                f"{example:10s} {library:16s} {got[0]['n_candidates']:3d} "
                f"{statistics.median(cv):11.4f} {f'{min(cv):.4f}..{max(cv):.4f}':>15s} "
                f"{statistics.median(test):12.4f} "
                f"{f'{min(test):.4f}..{max(test):.4f}':>15s} "
                f"{statistics.median(wall):10.1f}"
            )
        pairs = {}
        for r in rows:
            if r["example"] == example:
                pairs.setdefault(r["seed"], {})[r["library"]] = r
        both = [p for p in pairs.values() if len(p) == 2]
        if both:
            ours, theirs = "skhyper.skopt", "scikit-optimize"
            cv_wins = sum(p[ours]["best_cv"] >= p[theirs]["best_cv"] for p in both)
            test_wins = sum(p[ours]["held_out"] >= p[theirs]["held_out"] for p in both)
            ratio = statistics.median(
                p[theirs]["wall_s"] / p[ours]["wall_s"] for p in both
            )
            lines.append(
                f"{'':10s} per seed, skhyper.skopt >= scikit-optimize: best CV "
                f"{cv_wins}/{len(both)}, held-out {test_wins}/{len(both)}; "
                f"wall time ratio (skopt / skhyper) median {ratio:.1f}x"
            )
            for key in ("best_cv", "held_out"):
                ours_v = np.array([p[ours][key] for p in both])
                theirs_v = np.array([p[theirs][key] for p in both])
                low, high = paired_interval(ours_v - theirs_v)
                lines.append(
                    f"{'':10s} {key} mean: skhyper.skopt {ours_v.mean():.4f}, "
                    f"scikit-optimize {theirs_v.mean():.4f}; paired difference "
                    f"{(ours_v - theirs_v).mean():+.4f} (95% bootstrap "
                    f"interval {low:+.4f}..{high:+.4f})"
                )
    return lines


def paired_interval(diff: np.ndarray, n_boot: int = 10_000) -> tuple[float, float]:
    """95% percentile-bootstrap interval of the mean of paired differences."""
    rng = np.random.default_rng(0)
    means = rng.choice(diff, size=(n_boot, diff.size)).mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--examples", nargs="+", default=list(EXAMPLES))
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiply every n_iter (smoke tests)"
    )
    parser.add_argument("--json", default="skopt_examples.json")
    parser.add_argument(
        "--report", metavar="JSON", help="summarize a saved run instead of running"
    )
    args = parser.parse_args()
    if args.report:
        with open(args.report) as f:
            saved = json.load(f)
        examples = list(dict.fromkeys(r["example"] for r in saved["rows"]))
        print("# " + ", ".join(f"{k} {v}" for k, v in saved["versions"].items()))
        print("\n".join(summarize(saved["rows"], examples)))
        return

    versions = {"scikit-learn": sklearn.__version__, "numpy": np.__version__}
    for name, module in (("scikit-optimize", "skopt"), ("skhyper", "skhyper")):
        versions[name] = importlib.import_module(module).__version__
    start = time.perf_counter()
    rows = []
    for example in args.examples:
        for seed in range(args.seeds):
            order = list(LIBRARIES) if seed % 2 == 0 else list(LIBRARIES)[::-1]
            for library in order:
                row = run_one(example, library, seed, args.scale)
                rows.append(row)
                print(json.dumps(row), flush=True)
    header = (
        f"# scikit-optimize's documented BayesSearchCV examples, {args.seeds} seeds, "
        f"n_iter x {args.scale:g}; wall {time.perf_counter() - start:.0f} s\n# "
        + ", ".join(f"{k} {v}" for k, v in versions.items())
    )
    print(header)
    print("\n".join(summarize(rows, args.examples)))
    with open(args.json, "w") as f:
        json.dump({"versions": versions, "rows": rows}, f, indent=1)


if __name__ == "__main__":
    main()
