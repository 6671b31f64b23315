"""Cost of one GP ask as the history grows (issue 12).

A generator is told ``n`` observations up front (Hartmann-6 values at random
points, or Levy values in 30-D), then asked one candidate at a time, each
told before the next ask. The first ask fits the kernel hyperparameters
(``refit`` column); the following ones reuse them and only extend the
posterior, as in a running search, where the hyperparameters are refitted
when the history grew by ``refit_fraction`` (10%) since the last fit, so the
amortized cost per ask is about ``steady + refit / (0.1 n)``.

Times are CPU seconds of this process (``time.process_time``), which a
machine shared with other jobs inflates far less than wall time; run with
``OMP_NUM_THREADS=1`` so that they are also wall seconds on a quiet machine.
Optuna's GPSampler is timed the same way (it refits at every ask) where
``--optuna`` is given and Optuna is installed.

Run (benchmark env): OMP_NUM_THREADS=1 python benchmarks/overhead_history.py --optuna
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

try:
    from benchmarks.functions import FUNCTIONS
    from benchmarks.suite_functions import levy
except ImportError:  # run as a script from benchmarks/
    from functions import FUNCTIONS
    from suite_functions import levy

CASES = [(6, 100), (6, 300), (6, 1000), (30, 200)]


def _func(d: int):
    return FUNCTIONS["hartmann6"].func if d == 6 else (lambda x: levy(20 * x - 10))


def _history(d: int, n: int, seed: int):
    rng = np.random.default_rng(seed)
    X = rng.uniform(size=(n, d))
    f = _func(d)
    return [{f"x{i}": float(v) for i, v in enumerate(r)} for r in X], [f(r) for r in X]


def time_skhyper(d: int, n: int, steps: int, seed: int) -> tuple[float, float]:
    from skhyper import Real
    from skhyper.generators import make_generator

    f = _func(d)
    points, values = _history(d, n, seed)
    space = {f"x{i}": Real(0.0, 1.0) for i in range(d)}
    gen = make_generator("gp").start(space, random_state=seed)
    gen.tell(points, [-v for v in values])
    asks = []
    for _ in range(steps + 1):
        t0 = time.process_time()
        (c,) = gen.ask(1)
        asks.append(time.process_time() - t0)
        gen.tell([c], [-f(np.array([c[f"x{i}"] for i in range(d)]))])
    return asks[0], statistics.median(asks[1:])


def time_optuna(d: int, n: int, steps: int, seed: int) -> float:
    import optuna
    from optuna.distributions import FloatDistribution

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    f = _func(d)
    points, values = _history(d, n, seed)
    dists = {f"x{i}": FloatDistribution(0.0, 1.0) for i in range(d)}
    study = optuna.create_study(sampler=optuna.samplers.GPSampler(seed=seed))
    study.add_trials(
        [
            optuna.trial.create_trial(params=p, distributions=dists, value=v)
            for p, v in zip(points, values, strict=True)
        ]
    )
    asks = []
    for _ in range(steps):
        t0 = time.process_time()
        trial = study.ask(dists)
        asks.append(time.process_time() - t0)
        study.tell(trial, f(np.array([trial.params[f"x{i}"] for i in range(d)])))
    return statistics.median(asks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--optuna", action="store_true")
    args = parser.parse_args()
    print(
        "| dims | observations | skhyper refit ask ms | skhyper ask ms (median)", end=""
    )
    print(" | Optuna GPSampler ask ms |" if args.optuna else " |")
    print("| --- | --- | --- | --- |" + (" --- |" if args.optuna else ""))
    for d, n in CASES:
        first, steady = time_skhyper(d, n, args.steps, seed=0)
        row = f"| {d} | {n} | {1000 * first:.0f} | {1000 * steady:.1f} |"
        if args.optuna and n <= 300:
            row += f" {1000 * time_optuna(d, n, args.steps, seed=0):.0f} |"
        elif args.optuna:
            row += " not run |"
        print(row, flush=True)


if __name__ == "__main__":
    main()
