"""Synthetic test functions for optimizer quality, with their known optima.

Constants are those of the original papers as listed in the Virtual Library of
Simulation Experiments (Surjanovic and Bingham, www.sfu.ca/~ssurjano):

- Branin (Branin, 1972; Dixon and Szego, 1978), x1 in [-5, 10], x2 in [0, 15],
  three global minima of 0.397887.
- Hartmann-3 and Hartmann-6 (Hartmann, 1973; Dixon and Szego, 1978), on the
  unit cube, minima -3.86278 and -3.32237.
- Rosenbrock in 4-D (Rosenbrock, 1960), on [-5, 10]^4 (the domain of the
  Surjanovic-Bingham page), minimum 0 at (1, 1, 1, 1).

Run: python benchmarks/functions.py   (self check: f(argmin) == optimum)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

__all__ = ["FUNCTIONS", "TestFunction"]


def branin(x: np.ndarray) -> float:
    x1, x2 = float(x[0]), float(x[1])
    a, r, s = 1.0, 6.0, 10.0
    b = 5.1 / (4 * math.pi**2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return a * (x2 - b * x1**2 + c * x1 - r) ** 2 + s * (1 - t) * math.cos(x1) + s


_H3_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])
_H3_A = np.array(
    [
        [3.0, 10.0, 30.0],
        [0.1, 10.0, 35.0],
        [3.0, 10.0, 30.0],
        [0.1, 10.0, 35.0],
    ]
)
_H3_P = 1e-4 * np.array(
    [
        [3689, 1170, 2673],
        [4699, 4387, 7470],
        [1091, 8732, 5547],
        [381, 5743, 8828],
    ]
)

_H6_ALPHA = _H3_ALPHA
_H6_A = np.array(
    [
        [10.0, 3.0, 17.0, 3.5, 1.7, 8.0],
        [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
        [3.0, 3.5, 1.7, 10.0, 17.0, 8.0],
        [17.0, 8.0, 0.05, 10.0, 0.1, 14.0],
    ]
)
_H6_P = 1e-4 * np.array(
    [
        [1312, 1696, 5569, 124, 8283, 5886],
        [2329, 4135, 8307, 3736, 1004, 9991],
        [2348, 1451, 3522, 2883, 3047, 6650],
        [4047, 8828, 8732, 5743, 1091, 381],
    ]
)


def _hartmann(x: np.ndarray, alpha, A, P) -> float:
    x = np.asarray(x, dtype=float)
    inner = np.sum(A * (x[None, :] - P) ** 2, axis=1)
    return float(-np.sum(alpha * np.exp(-inner)))


def hartmann3(x: np.ndarray) -> float:
    return _hartmann(x, _H3_ALPHA, _H3_A, _H3_P)


def hartmann6(x: np.ndarray) -> float:
    return _hartmann(x, _H6_ALPHA, _H6_A, _H6_P)


def rosenbrock(x: np.ndarray) -> float:
    x = np.asarray(x, dtype=float)
    return float(np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (x[:-1] - 1.0) ** 2))


@dataclass(frozen=True)
class TestFunction:
    """A function to minimize over a box, with its known minimum."""

    name: str
    func: Callable[[np.ndarray], float]
    bounds: tuple[tuple[float, float], ...]
    optimum: float
    argmins: tuple[tuple[float, ...], ...]

    @property
    def dim(self) -> int:
        return len(self.bounds)

    def __call__(self, x) -> float:
        return self.func(np.asarray(x, dtype=float))


FUNCTIONS: dict[str, TestFunction] = {
    f.name: f
    for f in [
        TestFunction(
            "branin",
            branin,
            ((-5.0, 10.0), (0.0, 15.0)),
            0.397887,
            ((-math.pi, 12.275), (math.pi, 2.275), (9.42478, 2.475)),
        ),
        TestFunction(
            "hartmann3",
            hartmann3,
            ((0.0, 1.0),) * 3,
            -3.86278,
            ((0.114614, 0.555649, 0.852547),),
        ),
        TestFunction(
            "hartmann6",
            hartmann6,
            ((0.0, 1.0),) * 6,
            -3.32237,
            ((0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573),),
        ),
        TestFunction(
            "rosenbrock4",
            rosenbrock,
            ((-5.0, 10.0),) * 4,
            0.0,
            ((1.0, 1.0, 1.0, 1.0),),
        ),
    ]
}


def _self_check() -> None:
    rng = np.random.default_rng(0)
    for f in FUNCTIONS.values():
        for argmin in f.argmins:
            value = f(argmin)
            # Published argmins and optima are rounded to about 6 digits.
            assert abs(value - f.optimum) < 1e-5, (f.name, argmin, value)
        low = np.array([b[0] for b in f.bounds])
        high = np.array([b[1] for b in f.bounds])
        samples = [f(x) for x in rng.uniform(low, high, size=(10_000, f.dim))]
        assert min(samples) >= f.optimum - 1e-5, (f.name, min(samples))
        print(
            f"ok {f.name:12s} d={f.dim} f(argmin)={f(f.argmins[0]):.6f} "
            f"optimum={f.optimum} (min of 10000 random points {min(samples):.4f})"
        )


if __name__ == "__main__":
    _self_check()
