"""Optimizer quality on synthetic functions: skhyper's generators vs its peers.

For each test function (Branin, Hartmann-3, Hartmann-6, Rosenbrock-4) and
seed, every method minimizes the function with the same budget of
evaluations; the methods are alternated (their order rotates from one run to
the next) so machine noise hits them alike. Prints the median simple regret
(best value found minus the known optimum) per function and method, and the
median optimizer time per suggestion (wall time outside the objective divided
by the number of evaluations). Raw per-seed results go to --out as JSON.

Methods (see benchmarks/_methods.py): skhyper-<generator> (skhyper-gp is
reported as not available until that generator exists), optuna-gp,
optuna-tpe, skopt-gp (gp_minimize) and plain random search.

Run (in the benchmark env, see benchmarks/README.md):
    python benchmarks/quality_synthetic.py [--seeds 5] [--n-evals 50]
    python benchmarks/quality_synthetic.py --seeds 2 --n-evals 20   # smoke test
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

try:
    from benchmarks._methods import (
        DEFAULT_METHODS,
        Dim,
        method_versions,
        run_method,
    )
    from benchmarks.functions import FUNCTIONS
except ImportError:  # run as a script from benchmarks/
    from _methods import DEFAULT_METHODS, Dim, method_versions, run_method
    from functions import FUNCTIONS


def _median(values):
    return statistics.median(values) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]),
    )
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0..N-1")
    parser.add_argument("--n-evals", type=int, default=50, help="evaluations a run")
    parser.add_argument(
        "--batch-size",
        type=int,
        default=1,
        help="candidates asked at once (1: sequential)",
    )
    parser.add_argument(
        "--functions", nargs="+", default=list(FUNCTIONS), choices=list(FUNCTIONS)
    )
    parser.add_argument("--methods", nargs="+", default=DEFAULT_METHODS)
    parser.add_argument(
        "--out", default="quality_synthetic.json", help="raw results (JSON)"
    )
    args = parser.parse_args()

    records = []
    unavailable: dict[str, str] = {}
    errors: dict[tuple[str, str], str] = {}
    run_index = 0
    started = time.perf_counter()
    for fname in args.functions:
        func = FUNCTIONS[fname]
        dims = [
            Dim(f"x{i}", "real", low, high) for i, (low, high) in enumerate(func.bounds)
        ]

        def objective(params, func=func, dims=dims):
            return func([params[d.name] for d in dims])

        for seed in range(args.seeds):
            shift = run_index % len(args.methods)
            run_index += 1
            for method in args.methods[shift:] + args.methods[:shift]:
                if method in unavailable:
                    continue
                result = run_method(
                    method,
                    dims,
                    objective,
                    budget=args.n_evals,
                    batch_size=args.batch_size,
                    seed=seed,
                )
                if result.status == "not available":
                    unavailable[method] = result.error
                    continue
                if result.status == "error":
                    errors.setdefault((fname, method), result.error)
                record = result.to_json()
                record.update(
                    function=fname,
                    seed=seed,
                    optimum=func.optimum,
                    regret=result.best - func.optimum,
                )
                records.append(record)
    wall = time.perf_counter() - started

    methods = [m for m in args.methods if m not in unavailable]
    mode = "sequential" if args.batch_size == 1 else f"batches of {args.batch_size}"
    print(
        f"# Quality on synthetic functions: {args.n_evals} evaluations ({mode}), "
        f"{args.seeds} seeds, medians; wall {wall:.0f} s"
    )
    print(f"# {method_versions()}")
    print()
    print("Median simple regret (best found - optimum; lower is better):")
    print()
    print("| function | " + " | ".join(methods) + " |")
    print("| --- |" + " --- |" * len(methods))
    for fname in args.functions:
        cells = []
        for method in methods:
            rows = [
                r for r in records if r["function"] == fname and r["method"] == method
            ]
            ok = [r["regret"] for r in rows if r["status"] == "ok"]
            cell = f"{_median(ok):.4g}" if ok else "error"
            if len(ok) < len(rows):
                cell += f" ({len(rows) - len(ok)} failed)"
            cells.append(cell)
        print(f"| {fname} | " + " | ".join(cells) + " |")
    print()
    print("Median optimizer time per suggestion, ms (outside the objective):")
    print()
    print("| function | " + " | ".join(methods) + " |")
    print("| --- |" + " --- |" * len(methods))
    for fname in args.functions:
        cells = []
        for method in methods:
            times = [
                r["per_suggestion_s"] * 1000
                for r in records
                if r["function"] == fname
                and r["method"] == method
                and r["status"] == "ok"
            ]
            cells.append(f"{_median(times):.3g}" if times else "-")
        print(f"| {fname} | " + " | ".join(cells) + " |")
    for method, reason in unavailable.items():
        print(f"\n{method}: not available ({reason})")
    for (fname, method), error in errors.items():
        print(f"\n{method} on {fname}: ERROR {error}")

    with open(args.out, "w") as fh:
        json.dump(
            {
                "args": vars(args),
                "versions": method_versions(),
                "unavailable": unavailable,
                "runs": records,
            },
            fh,
            indent=1,
        )
    print(f"\nraw results: {args.out}")


if __name__ == "__main__":
    main()
