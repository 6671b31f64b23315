"""Time per proposal (refit + acquisition maximisation); not a test.

Run with ``python tests/_gp/bench_proposal.py`` from the repository root.
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


def bench(n: int, d: int = 6, steps: int = 10, seed: int = 0) -> tuple[float, float]:
    """Median seconds for (fit, propose) over ``steps`` sequential proposals."""
    rng = np.random.default_rng(seed)
    X = rng.random((n, d))
    y = objective(X)
    gp = GaussianProcess().fit(X, y, rng)
    fits, props = [], []
    for _ in range(steps):
        t0 = time.perf_counter()
        gp.fit(X, y, rng)
        t1 = time.perf_counter()
        x = propose_batch(gp, 1, "log_ei", rng=rng)
        t2 = time.perf_counter()
        fits.append(t1 - t0)
        props.append(t2 - t1)
        X, y = np.vstack([X, x]), np.append(y, objective(x))
    return float(np.median(fits)), float(np.median(props))


if __name__ == "__main__":
    for n in (50, 100, 200):
        fit, prop = bench(n)
        print(
            f"n={n:4d} d=6  fit {fit * 1e3:6.1f} ms  propose {prop * 1e3:6.1f} ms  total {(fit + prop) * 1e3:6.1f} ms"
        )
