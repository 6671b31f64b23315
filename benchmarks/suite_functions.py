"""The broad suite of test functions (issue 12): 17 problems of 2 to 20 dimensions,
and six of 30 dimensions for long searches (HIGH_DIM).

Besides the four of :mod:`functions` (Branin, Hartmann-3/6, Rosenbrock-4),
standard functions from the Virtual Library of Simulation Experiments
(Surjanovic and Bingham, www.sfu.ca/~ssurjano), with their published domains
and optima, chosen to cover what a tuned default can overfit to miss:

- many local optima: Six-hump camel (2-D), Ackley-5, Michalewicz-5, Schwefel-4,
  Levy-20, Styblinski-Tang-8;
- narrow curved valleys: Rosenbrock-4, Dixon-Price-10;
- a huge output range (scores spanning 6 orders of magnitude): Goldstein-Price;
- optima at or near the bounds: Schwefel-4 (420.97 of 500), Ellipsoid-6 on
  ``[0, 1]^6`` with its minimum at the corner 0 (the axis-parallel
  hyper-ellipsoid ``sum_i i x_i**2`` with the domain cut at its minimum);
- noisy observations: Branin and Hartmann-6 with Gaussian noise (standard
  deviations 1.0 and 0.1); regret is the noise-free value of the point whose
  *observed* value was best, minus the optimum;
- integer-valued: Levy on the integer grid ``{-10..10}^6`` (minimum 0 at 1);
- mixed: Hartmann-3 in three reals, an integer and two categoricals that
  scale and shift it (minimum -3.86278 at c1="a", c2="b", k=3).

Run: python benchmarks/suite_functions.py   (self check: f(argmin) == optimum)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

try:
    from benchmarks._methods import Dim
    from benchmarks.functions import FUNCTIONS, hartmann3, hartmann6
except ImportError:  # run as a script from benchmarks/
    from _methods import Dim
    from functions import FUNCTIONS, hartmann3, hartmann6

__all__ = ["HIGH_DIM", "SUITE", "SuiteFunction"]


def six_hump_camel(x) -> float:
    x1, x2 = x
    return (4 - 2.1 * x1**2 + x1**4 / 3) * x1**2 + x1 * x2 + (-4 + 4 * x2**2) * x2**2


def goldstein_price(x) -> float:
    x1, x2 = x
    a = 1 + (x1 + x2 + 1) ** 2 * (
        19 - 14 * x1 + 3 * x1**2 - 14 * x2 + 6 * x1 * x2 + 3 * x2**2
    )
    b = 30 + (2 * x1 - 3 * x2) ** 2 * (
        18 - 32 * x1 + 12 * x1**2 + 48 * x2 - 36 * x1 * x2 + 27 * x2**2
    )
    return a * b


def ackley(x) -> float:
    x = np.asarray(x, dtype=float)
    d = x.size
    return float(
        -20 * math.exp(-0.2 * math.sqrt(np.sum(x * x) / d))
        - math.exp(np.sum(np.cos(2 * math.pi * x)) / d)
        + 20
        + math.e
    )


def michalewicz(x) -> float:
    x = np.asarray(x, dtype=float)
    i = np.arange(1, x.size + 1)
    return float(-np.sum(np.sin(x) * np.sin(i * x * x / math.pi) ** 20))


def schwefel(x) -> float:
    x = np.asarray(x, dtype=float)
    return float(418.9829 * x.size - np.sum(x * np.sin(np.sqrt(np.abs(x)))))


def styblinski_tang(x) -> float:
    x = np.asarray(x, dtype=float)
    return float(0.5 * np.sum(x**4 - 16 * x**2 + 5 * x))


def dixon_price(x) -> float:
    x = np.asarray(x, dtype=float)
    i = np.arange(2, x.size + 1)
    return float((x[0] - 1) ** 2 + np.sum(i * (2 * x[1:] ** 2 - x[:-1]) ** 2))


def levy(x) -> float:
    x = np.asarray(x, dtype=float)
    w = 1 + (x - 1) / 4
    return float(
        math.sin(math.pi * w[0]) ** 2
        + np.sum((w[:-1] - 1) ** 2 * (1 + 10 * np.sin(math.pi * w[:-1] + 1) ** 2))
        + (w[-1] - 1) ** 2 * (1 + math.sin(2 * math.pi * w[-1]) ** 2)
    )


def ellipsoid(x) -> float:
    x = np.asarray(x, dtype=float)
    return float(np.sum(np.arange(1, x.size + 1) * x * x))


_MIXED_SCALE = {"a": 1.0, "b": 0.8, "c": 0.5, "d": 0.2}
_MIXED_SHIFT = {"a": 0.3, "b": 0.0, "c": 0.5}


def mixed_hartmann3(x) -> float:
    """Hartmann-3 in x[:3]; x[3] an integer in 0..10; x[4], x[5] categoricals."""
    k, c1, c2 = x[3], x[4], x[5]
    value = hartmann3(np.asarray(x[:3], dtype=float)) * _MIXED_SCALE[c1]
    return float(value + _MIXED_SHIFT[c2] + 0.02 * (int(k) - 3) ** 2)


# Where Hartmann-6's coordinates sit among the 30 of "hartmann6-in30".
_HARTMANN6_AXES = (0, 5, 11, 17, 23, 29)


def hartmann6_in30(x) -> float:
    """Hartmann-6 read off six of 30 coordinates: 24 parameters that do not
    matter, as in many hyperparameter searches."""
    return hartmann6(np.asarray(x, dtype=float)[list(_HARTMANN6_AXES)])


@dataclass(frozen=True)
class SuiteFunction:
    """A function to minimize over a mixed space, with its known minimum.

    ``func`` takes the list of values in the order of ``dims``; ``noise`` is
    the standard deviation of the Gaussian noise added to what an optimizer
    observes (0 for a deterministic function).
    """

    name: str
    func: Callable[[list], float]
    dims: tuple[Dim, ...]
    optimum: float
    argmin: tuple
    noise: float = 0.0

    @property
    def dim(self) -> int:
        return len(self.dims)

    def __call__(self, values) -> float:
        return float(self.func(list(values)))

    def objective(self, rng: np.random.Generator) -> Callable[[dict], float]:
        """The observed objective of one run: a parameter dict to a value."""
        names = [d.name for d in self.dims]

        def observed(params: dict) -> float:
            value = self([params[n] for n in names])
            if self.noise:
                value += self.noise * float(rng.standard_normal())
            return value

        return observed

    def true_value(self, params: dict) -> float:
        return self([params[d.name] for d in self.dims])


def _box(low: float, high: float, d: int) -> tuple[Dim, ...]:
    return tuple(Dim(f"x{i}", "real", low, high) for i in range(d))


def _from_classic(name: str, new_name: str | None = None, noise: float = 0.0):
    f = FUNCTIONS[name]
    dims = tuple(
        Dim(f"x{i}", "real", low, high) for i, (low, high) in enumerate(f.bounds)
    )
    return SuiteFunction(
        new_name or name, f.func, dims, f.optimum, f.argmins[0], noise=noise
    )


_ST_ARGMIN = -2.903534

SUITE: dict[str, SuiteFunction] = {
    f.name: f
    for f in [
        _from_classic("branin"),
        SuiteFunction(
            "camel",
            six_hump_camel,
            (Dim("x0", "real", -3.0, 3.0), Dim("x1", "real", -2.0, 2.0)),
            -1.031628453,
            (0.0898, -0.7126),
        ),
        SuiteFunction(
            "goldstein", goldstein_price, _box(-2.0, 2.0, 2), 3.0, (0.0, -1.0)
        ),
        _from_classic("hartmann3"),
        _from_classic("rosenbrock4"),
        SuiteFunction(
            "schwefel4",
            schwefel,
            _box(-500.0, 500.0, 4),
            schwefel([420.9687] * 4),
            (420.9687,) * 4,
        ),
        SuiteFunction("ackley5", ackley, _box(-32.768, 32.768, 5), 0.0, (0.0,) * 5),
        SuiteFunction(
            "michalewicz5",
            michalewicz,
            _box(0.0, math.pi, 5),
            -4.687658,
            (2.202906, 1.570796, 1.284992, 1.923058, 1.720470),
        ),
        _from_classic("hartmann6"),
        SuiteFunction("ellipsoid6", ellipsoid, _box(0.0, 1.0, 6), 0.0, (0.0,) * 6),
        SuiteFunction(
            "styblinski8",
            styblinski_tang,
            _box(-5.0, 5.0, 8),
            styblinski_tang([_ST_ARGMIN] * 8),
            (_ST_ARGMIN,) * 8,
        ),
        SuiteFunction(
            "dixonprice10",
            dixon_price,
            _box(-10.0, 10.0, 10),
            0.0,
            tuple(2.0 ** (-(2.0**i - 2) / 2.0**i) for i in range(1, 11)),
        ),
        SuiteFunction("levy20", levy, _box(-10.0, 10.0, 20), 0.0, (1.0,) * 20),
        _from_classic("branin", "branin-noisy", noise=1.0),
        _from_classic("hartmann6", "hartmann6-noisy", noise=0.1),
        SuiteFunction(
            "levy-int6",
            levy,
            tuple(Dim(f"x{i}", "int", -10, 10) for i in range(6)),
            0.0,
            (1,) * 6,
        ),
        SuiteFunction(
            "mixed-hartmann3",
            mixed_hartmann3,
            (
                *_box(0.0, 1.0, 3),
                Dim("k", "int", 0, 10),
                Dim("c1", "cat", choices=("a", "b", "c", "d")),
                Dim("c2", "cat", choices=("a", "b", "c")),
            ),
            -3.86278,
            (0.114614, 0.555649, 0.852547, 3, "a", "b"),
        ),
    ]
}


# High-dimensional problems (issue 12: 30 dimensions, 200 evaluations); not
# part of the 17-function suite, whose ranks they would otherwise dominate.
HIGH_DIM: dict[str, SuiteFunction] = {
    f.name: f
    for f in [
        SuiteFunction("levy30", levy, _box(-10.0, 10.0, 30), 0.0, (1.0,) * 30),
        SuiteFunction(
            "styblinski30",
            styblinski_tang,
            _box(-5.0, 5.0, 30),
            styblinski_tang([_ST_ARGMIN] * 30),
            (_ST_ARGMIN,) * 30,
        ),
        SuiteFunction(
            "rosenbrock30",
            FUNCTIONS["rosenbrock4"].func,
            _box(-5.0, 10.0, 30),
            0.0,
            (1.0,) * 30,
        ),
        # Added in session 10 with the trust region: many local optima, a
        # low effective dimension, and an optimum in a corner.
        SuiteFunction("ackley30", ackley, _box(-32.768, 32.768, 30), 0.0, (0.0,) * 30),
        SuiteFunction(
            "hartmann6-in30",
            hartmann6_in30,
            _box(0.0, 1.0, 30),
            FUNCTIONS["hartmann6"].optimum,
            tuple(
                FUNCTIONS["hartmann6"].argmins[0][_HARTMANN6_AXES.index(i)]
                if i in _HARTMANN6_AXES
                else 0.5
                for i in range(30)
            ),
        ),
        SuiteFunction("ellipsoid30", ellipsoid, _box(0.0, 1.0, 30), 0.0, (0.0,) * 30),
    ]
}


def _sample(f: SuiteFunction, rng: np.random.Generator) -> list:
    out = []
    for d in f.dims:
        if d.kind == "cat":
            out.append(d.choices[rng.integers(len(d.choices))])
        elif d.kind == "int":
            out.append(int(rng.integers(int(d.low), int(d.high) + 1)))
        else:
            out.append(float(rng.uniform(d.low, d.high)))
    return out


def _self_check() -> None:
    rng = np.random.default_rng(0)
    for f in [*SUITE.values(), *HIGH_DIM.values()]:
        value = f(f.argmin)
        # Published argmins and optima are rounded to about 6 digits.
        tol = 1e-4 * max(1.0, abs(f.optimum))
        assert abs(value - f.optimum) < tol, (f.name, value)
        samples = [f(_sample(f, rng)) for _ in range(5_000)]
        assert min(samples) >= f.optimum - tol, (f.name, min(samples))
        print(
            f"ok {f.name:16s} d={f.dim:2d} f(argmin)={value:.6f} optimum="
            f"{f.optimum:.6f} noise={f.noise} (best of 5000 random "
            f"{min(samples):.4g})"
        )
    print(f"{len(SUITE)} functions")


if __name__ == "__main__":
    _self_check()
