"""The broad GP-quality suite (issue 12): every method side by side.

Two kinds of problems:

- ``functions``: the 17 test functions of :mod:`suite_functions` (2 to 20
  dimensions; noisy, integer, mixed categorical, optima at the bounds,
  narrow valleys). Regret = noise-free value of the point whose observed
  value was best, minus the known optimum.
- ``sklearn``: Bayesmark-style tasks of :mod:`bayesmark` (scikit-learn
  models on bundled datasets, Bayesmark's search spaces, 5-fold CV loss).
  Loss = best observed CV loss.

``run`` appends one JSON line per (problem, method, seed) run to ``--out`` and
skips runs already there, so an interrupted run resumes and new methods can
be added later; seeds are the outer loop, so a run stopped early still has
every problem and method for the seeds it finished. The order of the methods
rotates from run to run so that machine noise hits them alike.

``report`` reads one or more such files and prints, at each budget of
``--at`` (prefixes of the same runs: the first 50 evaluations of a
100-evaluation run), the per-problem median regret (or loss) of every method,
the ratio of skhyper-gp's median to the best method's, the mean rank of every
method over (problem, seed) pairs, and for the sklearn tasks the Bayesmark
normalized score (0 = median best of random search, 100 = best of any run),
overall and per problem.
Two runs of one method (two versions of skhyper) go side by side as
``new.jsonl old.jsonl=previous``: the second file's methods are shown as
``skhyper-gp (previous)``; the same run in two unlabelled files is an error.

Run (in the benchmark env; OMP_NUM_THREADS=1 and nice, see RESULTS.md):
    python benchmarks/suite.py run --kind functions --seeds 5 --n-evals 100 \\
        --out suite_functions.jsonl
    python benchmarks/suite.py run --kind sklearn --seeds 5 --n-evals 100 \\
        --out suite_sklearn.jsonl
    python benchmarks/suite.py report suite_functions.jsonl suite_sklearn.jsonl
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import time
from collections import defaultdict

import numpy as np

try:
    from benchmarks import bayesmark
    from benchmarks._methods import method_versions, run_method
    from benchmarks.suite_functions import HIGH_DIM, SUITE
except ImportError:  # run as a script from benchmarks/
    import bayesmark
    from _methods import method_versions, run_method
    from suite_functions import HIGH_DIM, SUITE

METHODS = [
    "skhyper-gp",
    "optuna-gp",
    "optuna-tpe",
    "hebo",
    "smac",
    "skopt-gp",
    "random",
]

# Ten quick Bayesmark-style tasks: every model family of Bayesmark but the
# slow ones (MLP, AdaBoost), classification and regression, integer, log,
# logit and boolean dimensions.
SKLEARN_PROBLEMS = [
    "DT-breast",
    "DT-digits",
    "DT-diabetes",
    "RF-wine",
    "RF-diabetes",
    "SVM-diabetes",
    "lasso-diabetes",
    "linear-diabetes",
    "lasso-breast",
    "linear-wine",
]


# -- run ----------------------------------------------------------------------
def _done(path: str) -> set[tuple]:
    if not os.path.exists(path):
        return set()
    keys = set()
    with open(path) as fh:
        for line in fh:
            r = json.loads(line)
            keys.add((r["problem"], r["method"], r["seed"], r["batch_size"]))
    return keys


def _problem(kind: str, name: str):
    """(dims, objective factory(seed), true value or None, optimum or None)."""
    if kind == "functions":
        f = SUITE[name] if name in SUITE else HIGH_DIM[name]
        return (
            list(f.dims),
            lambda seed: f.objective(np.random.default_rng(10_000 + seed)),
            f.true_value,
            f.optimum,
        )
    problem = bayesmark.make_problem(name)
    return problem.dims, lambda seed: problem.objective, None, None


def run(args) -> None:
    names = args.problems or (
        list(SUITE) if args.kind == "functions" else SKLEARN_PROBLEMS
    )
    done = _done(args.out)
    problems = {name: _problem(args.kind, name) for name in names}
    run_index = 0
    for seed in range(args.seeds):
        for name in names:
            dims, make_objective, true_value, optimum = problems[name]
            shift = run_index % len(args.methods)
            run_index += 1
            for method in args.methods[shift:] + args.methods[:shift]:
                if (name, method, seed, args.batch_size) in done:
                    continue
                objective = make_objective(seed)
                evaluated: list[dict] = []

                def recorded(params, objective=objective, evaluated=evaluated):
                    evaluated.append(params)
                    return objective(params)

                started = time.perf_counter()
                result = run_method(
                    method,
                    dims,
                    recorded,
                    budget=args.n_evals,
                    batch_size=args.batch_size,
                    seed=seed,
                )
                if result.status == "not available":
                    print(f"{method}: not available ({result.error})", flush=True)
                    continue
                record = {
                    "kind": args.kind,
                    "problem": name,
                    "method": method,
                    "seed": seed,
                    "batch_size": args.batch_size,
                    "n_evals": len(result.values),
                    "status": result.status,
                    "error": result.error,
                    "values": result.values,
                    "optimizer_s": result.optimizer_s,
                    "optimizer_cpu_s": result.optimizer_cpu_s,
                    "wall_s": time.perf_counter() - started,
                    "optimum": optimum,
                }
                if true_value is not None:
                    record["true_values"] = [true_value(p) for p in evaluated]
                with open(args.out, "a") as fh:
                    fh.write(json.dumps(record) + "\n")
                print(
                    f"{name} {method} seed={seed} {result.status} "
                    f"n={len(result.values)} best={result.best:.5g} "
                    f"opt={result.optimizer_s:.1f}s {result.error}",
                    flush=True,
                )


# -- report -------------------------------------------------------------------
def _load(paths: list[str]) -> list[dict]:
    """Records of every file; ``FILE=LABEL`` appends `` (LABEL)`` to the
    method names of that file (two runs of one method side by side).

    A run (kind, problem, method, seed, batch size) found in two files is
    an error: which one a table would show is arbitrary.
    """
    records = []
    origin: dict[tuple, str] = {}
    for spec in paths:
        path, _, label = spec.partition("=")
        with open(path) as fh:
            for line in fh:
                record = json.loads(line)
                if label:
                    record["method"] = f"{record['method']} ({label})"
                key = (
                    record["kind"],
                    record["problem"],
                    record["method"],
                    record["seed"],
                    record["batch_size"],
                )
                if key in origin and origin[key] != path:
                    raise SystemExit(
                        f"{record['method']} on {record['problem']}, seed "
                        f"{record['seed']}, is in both {origin[key]} and {path}; "
                        "name one of them FILE=LABEL to tell them apart."
                    )
                origin[key] = path
                records.append(record)
    return records


def score_at(record: dict, budget: int) -> float:
    """Regret (functions) or best loss (sklearn) after ``budget`` evaluations."""
    values = np.asarray(record["values"][:budget], dtype=float)
    if values.size < budget or not np.isfinite(values).any():
        return math.nan
    best = int(np.nanargmin(values))
    if record.get("true_values") is not None:
        return float(record["true_values"][best] - record["optimum"])
    return float(values[best])


def _ranks(values: list[float]) -> list[float]:
    """Average ranks (1 = best, lowest value); NaN ranks last."""
    keyed = [(math.inf if math.isnan(v) else v) for v in values]
    order = sorted(range(len(keyed)), key=lambda i: keyed[i])
    ranks = [0.0] * len(keyed)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and keyed[order[j + 1]] == keyed[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def _fmt(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.3g}"


def report_kind(
    records: list[dict],
    kind: str,
    budget: int,
    batch: int,
    only: list[str] | None = None,
) -> None:
    rows = [
        r
        for r in records
        if r["kind"] == kind
        and r["batch_size"] == batch
        and r["status"] == "ok"
        and (not only or r["method"] in only)
    ]
    if not rows:
        return
    problems = list(dict.fromkeys(r["problem"] for r in rows))
    methods = [m for m in METHODS if any(r["method"] == m for r in rows)]
    methods += sorted({r["method"] for r in rows} - set(methods))
    table: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    for r in rows:
        table[(r["problem"], r["method"])][r["seed"]] = score_at(r, budget)
    # Only (problem, seed) pairs every method finished take part.
    pairs = [
        (p, s)
        for p in problems
        for s in sorted({r["seed"] for r in rows if r["problem"] == p})
        if all(s in table[(p, m)] for m in methods)
    ]
    seeds = sorted({s for _, s in pairs})
    what = "median regret" if kind == "functions" else "median best CV loss"
    mode = "sequential" if batch == 1 else f"batches of {batch}"
    print(
        f"\n### {kind}: {what} after {budget} evaluations ({mode}); "
        f"{len(pairs)} (problem, seed) runs per method, seeds {seeds}\n"
    )
    last = "gp / best" if kind == "functions" else "gp - best"
    print("| problem | " + " | ".join(methods) + f" | {last} |")
    print("| --- |" + " --- |" * (len(methods) + 1))
    ratios = []
    for p in problems:
        ps = [s for q, s in pairs if q == p]
        if not ps:
            continue
        med = {m: statistics.median(table[(p, m)][s] for s in ps) for m in methods}
        best = min(med.values())
        cells = [
            f"**{_fmt(med[m])}**" if med[m] == best else _fmt(med[m]) for m in methods
        ]
        ratio = math.nan
        if "skhyper-gp" in med:
            gp = med["skhyper-gp"]
            if kind == "functions":
                # Regrets below 1e-6 of the problem's scale count as solved.
                floor = 1e-6
                ratio = max(gp, floor) / max(best, floor)
            else:
                ratio = gp - best
        ratios.append(ratio)
        print(f"| {p} | " + " | ".join(cells) + f" | {_fmt(ratio)} |")
    rank_sum = defaultdict(list)
    for p, s in pairs:
        vals = [table[(p, m)][s] for m in methods]
        for m, rank in zip(methods, _ranks(vals), strict=True):
            rank_sum[m].append(rank)
    print(
        "| **mean rank** | "
        + " | ".join(f"**{np.mean(rank_sum[m]):.2f}**" for m in methods)
        + " | |"
    )
    if kind == "functions" and ratios and "skhyper-gp" in methods:
        worst = max(ratios)
        print(
            f"\nskhyper-gp within 1.5x of the best median on "
            f"{sum(r <= 1.5 for r in ratios)}/{len(ratios)} functions "
            f"(worst ratio {worst:.3g})."
        )
    if kind == "sklearn" and "random" in methods:
        flat = [
            {
                "problem": p,
                "method": m,
                "seed": s,
                "best": table[(p, m)][s],
                "status": "ok",
            }
            for p, s in pairs
            for m in methods
        ]
        scores = bayesmark.normalized_scores(flat)
        print(
            "\nNormalized score (Bayesmark: 0 = median best of random search, "
            "100 = best of any run, clipped at -100), mean over problems and "
            "seeds (problems where random search ties the best are left out):\n"
        )
        print("| " + " | ".join(methods) + " |")
        print("|" + " --- |" * len(methods))
        cells = []
        for m in methods:
            vals = [v for (p, mm, s), v in scores.items() if mm == m and v == v]
            cells.append(f"{np.mean(vals):.1f}" if vals else "-")
        print("| " + " | ".join(cells) + " |")
        print("\nThe same score per problem (mean over seeds; tie: left out above):\n")
        print("| problem | " + " | ".join(methods) + " |")
        print("|" + " --- |" * (len(methods) + 1))
        for p in sorted({p for p, _ in pairs}):
            cells = []
            for m in methods:
                vals = [v for (pp, mm, s), v in scores.items() if (pp, mm) == (p, m)]
                finite = [v for v in vals if v == v]
                cells.append(f"{np.mean(finite):.1f}" if finite else "tie")
            print(f"| {p} | " + " | ".join(cells) + " |")
    times = {}
    for m in methods:
        cpu = [
            1000 * r["optimizer_cpu_s"] / max(r["n_evals"], 1)
            for r in rows
            if r["method"] == m and "optimizer_cpu_s" in r
        ]
        times[m] = statistics.median(cpu) if cpu else math.nan
    if budget == max(len(r["values"]) for r in rows):
        print(
            "\nMedian optimizer CPU time per suggestion over the whole run, ms "
            "(runs that recorded it):\n"
        )
        print("| " + " | ".join(methods) + " |")
        print("|" + " --- |" * len(methods))
        print("| " + " | ".join(f"{times[m]:.3g}" for m in methods) + " |")


def report_batches(records: list[dict], budget: int) -> None:
    """Batched runs against sequential skhyper-gp at the same budget."""
    rows = [r for r in records if r["kind"] == "functions" and r["status"] == "ok"]
    seq = defaultdict(dict)
    batched = defaultdict(lambda: defaultdict(dict))
    for r in rows:
        value = score_at(r, budget)
        if r["batch_size"] == 1 and r["method"] in ("skhyper-gp", "random"):
            seq[(r["problem"], r["method"])][r["seed"]] = value
        elif r["batch_size"] > 1:
            batched[(r["method"], r["batch_size"])][r["problem"]][r["seed"]] = value
    if not batched:
        return
    variants = sorted(batched)
    problems = list(dict.fromkeys(r["problem"] for r in rows))
    print(
        f"\n### Batches against sequential skhyper-gp, {budget} evaluations: "
        "median regret of the batched run / median regret of the sequential "
        "run over the same seeds (* marks functions where sequential beats "
        "random by 10x or more; regrets below 1e-6 count as 1e-6)\n"
    )
    names = [f"{m} x{b}" for m, b in variants]
    print("| problem | sequential | random / sequential | " + " | ".join(names) + " |")
    print("| --- | --- | --- |" + " --- |" * len(names))
    worst = defaultdict(float)
    for p in problems:
        gp, rnd = seq.get((p, "skhyper-gp"), {}), seq.get((p, "random"), {})
        if not gp:
            continue
        g = statistics.median(gp.values())
        r = statistics.median(rnd.values()) if rnd else math.nan
        strong = max(r, 1e-6) / max(g, 1e-6) >= 10
        cells = []
        for v in variants:
            seeds = [s for s in batched[v].get(p, {}) if s in gp]
            if not seeds:
                cells.append("-")
                continue
            b = statistics.median(batched[v][p][s] for s in seeds)
            g_same = statistics.median(gp[s] for s in seeds)
            ratio = max(b, 1e-6) / max(g_same, 1e-6)
            if strong:
                worst[v] = max(worst[v], ratio)
            cells.append(f"{ratio:.3g} ({len(seeds)})")
        mark = "*" if strong else ""
        print(
            f"| {p}{mark} | {_fmt(g)} | {_fmt(max(r, 1e-6) / max(g, 1e-6))} | "
            + " | ".join(cells)
            + " |"
        )
    print(
        "| **worst ratio on * functions** | | | "
        + " | ".join(f"**{worst[v]:.3g}**" for v in variants)
        + " |"
    )


def report(args) -> None:
    records = _load(args.files)
    print(f"# GP-quality suite; {method_versions()}")
    failed = [r for r in records if r["status"] != "ok"]
    for r in failed:
        print(f"# {r['problem']} {r['method']} seed {r['seed']}: {r['error']}")
    for kind in ("functions", "sklearn"):
        for batch in sorted({r["batch_size"] for r in records}):
            for budget in args.at:
                report_kind(records, kind, budget, batch, args.methods)
    for budget in args.batch_at:
        report_batches(records, budget)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]),
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run")
    p_run.add_argument("--kind", choices=["functions", "sklearn"], required=True)
    p_run.add_argument("--problems", nargs="+")
    p_run.add_argument("--seeds", type=int, default=5)
    p_run.add_argument("--n-evals", type=int, default=100)
    p_run.add_argument("--batch-size", type=int, default=1)
    p_run.add_argument("--methods", nargs="+", default=METHODS)
    p_run.add_argument("--out", required=True)
    p_rep = sub.add_parser("report")
    p_rep.add_argument(
        "files", nargs="+", help="JSONL files; FILE=LABEL labels that file's methods"
    )
    p_rep.add_argument("--at", nargs="*", type=int, default=[50, 100])
    p_rep.add_argument("--batch-at", nargs="*", type=int, default=[])
    p_rep.add_argument(
        "--methods", nargs="+", help="compare only these (default: all found)"
    )
    args = parser.parse_args()
    run(args) if args.command == "run" else report(args)


if __name__ == "__main__":
    main()
