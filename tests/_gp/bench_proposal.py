"""Time per proposal (refit + acquisition maximisation); not a test.

Run with ``OMP_NUM_THREADS=1 python tests/_gp/bench_proposal.py`` from the
repository root. Wall time and process CPU time are both reported: on a
loaded machine the CPU time of a single-threaded run is the steadier figure.
Multi-threaded BLAS on small matrices is slower, and much slower when other
processes compete for the cores.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from skhyper._gp import GaussianProcess, propose_batch


def objective(X: np.ndarray) -> np.ndarray:
    """A smooth 6-D test score (negated Hartmann-like bumps)."""
    centers = np.array([[0.2, 0.8, 0.5, 0.3, 0.6, 0.1], [0.7, 0.2, 0.4, 0.9, 0.3, 0.6]])
    d2 = ((X[:, None, :] - centers[None]) ** 2).sum(-1)
    return np.exp(-4 * d2[:, 0]) + 0.6 * np.exp(-6 * d2[:, 1])


def bench(
    n: int, d: int = 6, steps: int = 10, seed: int = 0
) -> tuple[float, float, float]:
    """Median seconds (fit wall, propose wall, fit + propose CPU) per step."""
    rng = np.random.default_rng(seed)
    X = rng.random((n, d))
    y = objective(X)
    gp = GaussianProcess().fit(X, y, rng)
    fits, props, cpus = [], [], []
    for _ in range(steps):
        c0 = time.process_time()
        t0 = time.perf_counter()
        gp.fit(X, y, rng)
        t1 = time.perf_counter()
        x = propose_batch(gp, 1, "log_ei", rng=rng)
        t2 = time.perf_counter()
        cpus.append(time.process_time() - c0)
        fits.append(t1 - t0)
        props.append(t2 - t1)
        X, y = np.vstack([X, x]), np.append(y, objective(x))
    return float(np.median(fits)), float(np.median(props)), float(np.median(cpus))


if __name__ == "__main__":
    for n in (50, 100, 200):
        fit, prop, cpu = bench(n)
        print(
            f"n={n:4d} d=6  fit {fit * 1e3:6.1f} ms  propose {prop * 1e3:6.1f} ms"
            f"  total {(fit + prop) * 1e3:6.1f} ms  cpu {cpu * 1e3:6.1f} ms"
        )
