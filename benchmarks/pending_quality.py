"""Quality with pending candidates, simulated: sequential, batches, asynchronous.

The generator alone, driven through ask/tell on the function suite of
:mod:`suite_functions` (no scikit-learn, no sleeping), so that many functions
and seeds fit in minutes. Three ways to spend ``--n-evals`` evaluations:

- ``sequential``: ask one, tell it;
- ``batch``: ask ``--workers``, tell them all (the batch mode);
- ``async``: ``--workers`` simulated workers; each evaluation takes a
  lognormal time (median 1, sigma ``--sigma``, in virtual time, drawn from
  the seed); whenever one finishes, the generator is told its value and
  asked one candidate for the freed worker, the others being pending (the
  asynchronous mode, at the level of candidates: a real search schedules
  folds, which keeps a few more candidates pending).

Regret = noise-free value of the point whose observed value was best, minus
the optimum. Prints the median regret per function and mode, and each
parallel mode's ratio to sequential over the same seeds; ``*`` marks the
functions where sequential beats random search by 10x or more (the ones
issue 12's batch target counts).

Run: python benchmarks/pending_quality.py [--seeds 3] [--n-evals 50]
     [--workers 8] [--modes sequential batch async] [--problems ...]
     [--method gp[:key=value,...]] [--out rows.jsonl]
"""

from __future__ import annotations

import argparse
import heapq
import json
import statistics
import time

import numpy as np

try:
    from benchmarks._methods import _parse_options, skhyper_space
    from benchmarks.suite_functions import SUITE
except ImportError:  # run as a script from benchmarks/
    from _methods import _parse_options, skhyper_space
    from suite_functions import SUITE

import skhyper
from skhyper.generators import make_generator


def make_space(f):
    return skhyper_space(f.dims)


def run_one(f, mode, seed, args):
    name, _, options = args.method.partition(":")
    gen = make_generator(name).set_params(**_parse_options(options))
    gen.start(make_space(f), random_state=seed)
    observe = f.objective(np.random.default_rng(seed + 1000))
    durations = np.random.default_rng(seed + 2000)
    seen: list[tuple[float, dict]] = []  # (observed, params)

    def evaluate(params):
        value = observe(params)
        seen.append((value, params))
        return -value

    if mode == "sequential":
        while len(seen) < args.n_evals:
            (params,) = gen.ask(1)
            gen.tell([params], [evaluate(params)])
    elif mode == "batch":
        while len(seen) < args.n_evals:
            batch = gen.ask(min(args.workers, args.n_evals - len(seen)))
            gen.tell(batch, [evaluate(p) for p in batch])
    else:
        running: list[tuple[float, int, dict]] = []
        asked = 0

        def start(now):
            nonlocal asked
            (params,) = gen.ask(1)
            finish = now + float(durations.lognormal(0.0, args.sigma))
            heapq.heappush(running, (finish, asked, params))
            asked += 1

        for _ in range(min(args.workers, args.n_evals)):
            start(0.0)
        while running:
            now, _, params = heapq.heappop(running)
            gen.tell([params], [evaluate(params)])
            if asked < args.n_evals:
                start(now)
    best = min(seen, key=lambda s: s[0])[1]
    return f.true_value(best) - f.optimum


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--n-evals", type=int, default=50)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--sigma", type=float, default=1.0)
    parser.add_argument("--modes", nargs="+", default=["sequential", "batch", "async"])
    parser.add_argument("--problems", nargs="+", default=list(SUITE))
    parser.add_argument("--method", default="gp")
    parser.add_argument("--label", default=None, help="name of this variant")
    parser.add_argument("--out", default=None, help="append rows to this JSONL")
    parser.add_argument("--report", nargs="*", default=None, help="JSONL files")
    args = parser.parse_args()
    if args.report is not None:
        report(args.report)
        return
    label = args.label or args.method
    rows = []
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        for name in args.problems:
            for mode in args.modes:
                start = time.process_time()
                regret = run_one(SUITE[name], mode, seed, args)
                row = {
                    "problem": name,
                    "mode": mode,
                    "workers": args.workers,
                    "n_evals": args.n_evals,
                    "seed": seed,
                    "label": label,
                    "regret": regret,
                    "cpu_s": time.process_time() - start,
                    "skhyper": skhyper.__file__,
                }
                rows.append(row)
                print(json.dumps(row), flush=True)
                if args.out:
                    with open(args.out, "a") as out:
                        out.write(json.dumps(row) + "\n")
    report_rows(rows)


def report(paths):
    rows = []
    for path in paths:
        with open(path) as f:
            rows += [json.loads(line) for line in f if line.strip()]
    report_rows(rows)


def report_rows(rows):
    """Median regret per (problem, label/mode) and ratios to sequential."""
    by: dict[tuple, dict[int, float]] = {}
    for r in rows:
        key = (r["problem"], r["n_evals"], r["workers"], r["label"], r["mode"])
        by.setdefault(key, {})[r["seed"]] = r["regret"]
    settings = sorted({(k[1], k[2]) for k in by})
    for n_evals, workers in settings:
        columns = sorted(
            {(k[3], k[4]) for k in by if k[1:3] == (n_evals, workers)},
            key=lambda c: (c[1] != "sequential", c),
        )
        seq_label = next((c for c in columns if c[1] == "sequential"), None)
        print(f"\n{n_evals} evaluations, {workers} workers: median regret (ratio)\n")
        header = " | ".join(f"{label} {mode}" for label, mode in columns)
        print(f"| problem | {header} |")
        print("| --- |" + " ---: |" * len(columns))
        problems = sorted({k[0] for k in by if k[1:3] == (n_evals, workers)})
        for problem in problems:
            seq = {}
            if seq_label is not None:
                seq = by.get((problem, n_evals, workers, *seq_label), {})
            cells = []
            for label, mode in columns:
                runs = by.get((problem, n_evals, workers, label, mode), {})
                if not runs:
                    cells.append("-")
                    continue
                med = statistics.median(runs.values())
                common = sorted(set(runs) & set(seq))
                if mode != "sequential" and common:
                    base = statistics.median(seq[s] for s in common)
                    mine = statistics.median(runs[s] for s in common)
                    ratio = mine / base if base > 0 else (1.0 if mine == 0 else np.inf)
                    cells.append(f"{med:.3g} ({ratio:.2f})")
                else:
                    cells.append(f"{med:.3g}")
            print(f"| {problem} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
