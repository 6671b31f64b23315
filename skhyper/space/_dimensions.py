"""One-dimensional search dimensions and their maps to and from the unit interval.

Every dimension maps a unit coordinate ``u`` in ``[0, 1]`` to a value through
the inverse CDF of its prior (``from_unit``) and back (``to_unit``), so that
sampling ``u`` uniformly samples the prior exactly and models can work in
``u``.  Dimensions are small value objects: they store their arguments and
are validated by :meth:`Dimension.validate` when a search starts, so that the
error can name the parameter.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

__all__ = [
    "Categorical",
    "Dimension",
    "Distribution",
    "Fixed",
    "Integer",
    "Real",
    "to_python_scalar",
]

# Unbounded priors (e.g. a normal distribution) map u = 0 or 1 to infinity.
_U_EPS = 1e-12


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def to_python_scalar(value: Any) -> Any:
    """Return numpy scalars as the equivalent Python scalar."""
    if isinstance(value, np.generic):
        return value.item()
    return value


class Dimension:
    """Base class of the search dimensions.

    Subclasses define the unit-cube maps. ``n_unit`` is the number of unit
    coordinates the dimension uses (0 for a fixed value).
    """

    n_unit: int = 1
    #: True when the dimension takes finitely many values.
    is_finite: bool = False
    #: True when the values have a meaningful order (numbers).
    is_ordered: bool = True

    def validate(self, name: str) -> None:
        """Raise ``ValueError`` or ``TypeError`` naming ``name`` if invalid."""

    def from_unit(self, u: np.ndarray) -> list:
        """Map unit coordinates of shape (n,) to a list of n values."""
        raise NotImplementedError

    def to_unit(self, values: list) -> np.ndarray:
        """Map values back to unit coordinates (the centre of their cell)."""
        raise NotImplementedError

    def snap_unit(self, u: np.ndarray) -> np.ndarray:
        """Move unit coordinates to those of the values they map to,
        ``to_unit(from_unit(u))``."""
        return self.to_unit(self.from_unit(u))

    def key(self, value: Any) -> Any:
        """A hashable identity of ``value`` used to detect duplicate candidates."""
        return value

    def grid(self, n_points: int) -> list:
        """Values enumerated by grid search, in order."""
        raise NotImplementedError

    @property
    def size(self) -> float:
        """Number of distinct values (``math.inf`` for continuous dimensions)."""
        return math.inf

    def contains(self, value: Any) -> bool:
        """Whether ``value`` is a valid value of this dimension."""
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash((type(self).__name__, repr(self._fields())))

    def _fields(self) -> tuple:
        return tuple(vars(self).items())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"


class _Bounded(Dimension):
    """Shared validation and log maps of :class:`Real` and :class:`Integer`."""

    def __init__(self, low: float, high: float, log: bool = False) -> None:
        self.low = low
        self.high = high
        self.log = log

    def validate(self, name: str) -> None:
        kind = type(self).__name__
        for bound in ("low", "high"):
            value = getattr(self, bound)
            if not _is_number(value) or not math.isfinite(value):
                raise TypeError(
                    f"Parameter {name!r}: {kind} needs finite numbers for low and "
                    f"high, got {bound}={value!r}."
                )
        if not self.low < self.high:
            raise ValueError(
                f"Parameter {name!r}: {kind}(low={self.low!r}, high={self.high!r}) "
                "needs low < high; use a one-element list for a fixed value."
            )
        if not isinstance(self.log, (bool, np.bool_)):
            raise TypeError(f"Parameter {name!r}: {kind} log must be a bool.")
        if self.log and self.low <= 0:
            raise ValueError(
                f"Parameter {name!r}: {kind}(low={self.low!r}, ..., log=True) "
                "needs low > 0."
            )

    def contains(self, value: Any) -> bool:
        return _is_number(value) and self.low <= value <= self.high


class Real(_Bounded):
    """A real-valued dimension on the closed interval ``[low, high]``.

    Parameters
    ----------
    low, high : float
        Inclusive bounds, ``low < high``.
    log : bool, default=False
        Sample uniformly in ``log(value)``; needs ``low > 0``.

    Examples
    --------
    >>> from skhyper import Real
    >>> Real(1e-4, 1e2, log=True)
    Real(low=0.0001, high=100.0, log=True)
    """

    def from_unit(self, u: np.ndarray) -> list:
        u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
        if self.log:
            lo, hi = math.log(self.low), math.log(self.high)
            values = np.exp(lo + u * (hi - lo))
        else:
            values = self.low + u * (self.high - self.low)
        values = np.where(u >= 1.0, self.high, np.clip(values, self.low, self.high))
        values = np.where(u <= 0.0, self.low, values)
        return [float(v) for v in values]

    def to_unit(self, values: list) -> np.ndarray:
        x = np.asarray(values, dtype=float)
        if self.log:
            lo, hi = math.log(self.low), math.log(self.high)
            u = (np.log(x) - lo) / (hi - lo)
        else:
            u = (x - self.low) / (self.high - self.low)
        return np.clip(u, 0.0, 1.0)

    def key(self, value: Any) -> Any:
        return float(value)

    def grid(self, n_points: int) -> list:
        return self.from_unit(np.linspace(0.0, 1.0, n_points))


class Integer(_Bounded):
    """An integer dimension on ``low, low + 1, ..., high`` (inclusive).

    Parameters
    ----------
    low, high : int
        Inclusive bounds, ``low < high``.
    log : bool, default=False
        Give each integer ``k`` a prior mass proportional to
        ``log((k + 1) / k)`` (a discretized log-uniform); needs ``low > 0``.

    Examples
    --------
    >>> from skhyper import Integer
    >>> Integer(1, 64, log=True)
    Integer(low=1, high=64, log=True)
    """

    is_finite = True

    def validate(self, name: str) -> None:
        for bound in ("low", "high"):
            value = getattr(self, bound)
            if not isinstance(value, numbers.Integral) or isinstance(value, bool):
                raise TypeError(
                    f"Parameter {name!r}: Integer needs integer bounds, got "
                    f"{bound}={value!r}; use Real for a real-valued range."
                )
        super().validate(name)

    def _edges(self) -> tuple[float, float]:
        # Integer k owns the cell [k, k + 1) of the (log) real line.
        if self.log:
            return math.log(self.low), math.log(self.high + 1)
        return float(self.low), float(self.high + 1)

    def from_unit(self, u: np.ndarray) -> list:
        u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
        lo, hi = self._edges()
        x = lo + u * (hi - lo)
        if self.log:
            x = np.exp(x)
        values = np.clip(np.floor(x), self.low, self.high)
        return [int(v) for v in values]

    def to_unit(self, values: list) -> np.ndarray:
        k = np.asarray(values, dtype=float)
        lo, hi = self._edges()
        if self.log:
            centre = 0.5 * (np.log(k) + np.log(k + 1))
        else:
            centre = k + 0.5
        return np.clip((centre - lo) / (hi - lo), 0.0, 1.0)

    def key(self, value: Any) -> Any:
        return int(value)

    def grid(self, n_points: int) -> list:
        if self.size <= n_points:
            return list(range(int(self.low), int(self.high) + 1))
        values = self.from_unit(np.linspace(0.0, 1.0, n_points))
        return list(dict.fromkeys(values))

    @property
    def size(self) -> float:
        return int(self.high) - int(self.low) + 1

    def contains(self, value: Any) -> bool:
        return (
            isinstance(value, numbers.Integral)
            and not isinstance(value, bool)
            and self.low <= int(value) <= self.high
        )


class Categorical(Dimension):
    """A dimension taking one of a list of values.

    When every choice is a number the dimension is ordered: models see the
    choices sorted by value. Otherwise the choices are unordered.

    Parameters
    ----------
    choices : list
        The values, in the order grid search enumerates them. Any objects are
        allowed (strings, ``None``, estimators, ...).

    Examples
    --------
    >>> from skhyper import Categorical
    >>> Categorical(["linear", "rbf"])
    Categorical(choices=['linear', 'rbf'])
    """

    is_finite = True

    def __init__(self, choices: list) -> None:
        self.choices = choices

    def validate(self, name: str) -> None:
        if isinstance(self.choices, (str, bytes)) or not hasattr(
            self.choices, "__len__"
        ):
            raise TypeError(
                f"Parameter {name!r}: Categorical needs a list of choices, got "
                f"{self.choices!r}."
            )
        if len(self.choices) == 0:
            raise ValueError(f"Parameter {name!r}: the list of choices is empty.")

    @property
    def _values(self) -> list:
        return [to_python_scalar(c) for c in self.choices]

    @property
    def is_ordered(self) -> bool:  # type: ignore[override]
        return all(_is_number(c) for c in self._values)

    @property
    def _unit_order(self) -> list[int]:
        """Indices of the choices in the order of the unit interval."""
        values = self._values
        if self.is_ordered:
            return sorted(range(len(values)), key=lambda i: values[i])
        return list(range(len(values)))

    @property
    def size(self) -> float:
        """Number of distinct choices (a repeated value is one candidate)."""
        return len(self.distinct_indices)

    @property
    def distinct_indices(self) -> list[int]:
        """Positions of the first occurrence of each distinct choice, in order
        (what :meth:`index` returns for each of them)."""
        values = self._values
        try:
            first: dict[tuple, int] = {}
            for i, v in enumerate(values):
                first.setdefault(("number", v) if _is_number(v) else (type(v), v), i)
            return sorted(first.values())
        except TypeError:  # unhashable choices
            return sorted({self.index(v) for v in values})

    def index(self, value: Any) -> int:
        """Position of ``value`` in ``choices``; ``ValueError`` if absent."""
        values = self._values
        for i, choice in enumerate(values):
            if choice is value:
                return i
        for i, choice in enumerate(values):
            try:
                if type(choice) is type(value) and bool(choice == value):
                    return i
            except (TypeError, ValueError):
                continue
        for i, choice in enumerate(values):
            if _is_number(choice) and _is_number(value) and choice == value:
                return i
        raise ValueError(f"{value!r} is not one of {values!r}")

    def from_unit(self, u: np.ndarray) -> list:
        u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
        k = len(self.choices)
        cells = np.minimum((u * k).astype(int), k - 1)
        order, values = self._unit_order, self._values
        return [values[order[c]] for c in cells]

    def to_unit(self, values: list) -> np.ndarray:
        rank = {i: r for r, i in enumerate(self._unit_order)}
        k = len(self.choices)
        return np.array([(rank[self.index(v)] + 0.5) / k for v in values])

    def snap_unit(self, u: np.ndarray) -> np.ndarray:
        # Vectorized to_unit(from_unit(u)): a cell maps to the cell of the
        # first choice equal to its value (the same unless choices repeat).
        k = len(self.choices)
        cells = np.minimum((np.clip(u, 0.0, 1.0) * k).astype(int), k - 1)
        return self.to_unit(self.from_unit((np.arange(k) + 0.5) / k))[cells]

    def key(self, value: Any) -> Any:
        return self.index(value)

    def grid(self, n_points: int) -> list:
        return self._values

    def contains(self, value: Any) -> bool:
        try:
            self.index(value)
        except ValueError:
            return False
        return True


class Distribution(Dimension):
    """A dimension whose prior is a frozen ``scipy.stats`` distribution.

    The unit coordinate ``u`` maps to ``dist.ppf(u)``, so random search
    samples the distribution exactly. Discrete distributions give integers.
    Grid search takes ``n_points`` quantiles at the cell centres.

    Parameters
    ----------
    dist : scipy.stats frozen distribution
        Anything with ``ppf`` and ``cdf`` methods, such as
        ``scipy.stats.loguniform(1e-3, 1e3)``.
    """

    is_ordered = True

    def __init__(self, dist: Any) -> None:
        self.dist = dist

    def validate(self, name: str) -> None:
        if not (hasattr(self.dist, "ppf") and hasattr(self.dist, "cdf")):
            raise TypeError(
                f"Parameter {name!r}: a distribution needs ppf and cdf methods "
                f"(a frozen scipy.stats distribution), got {self.dist!r}."
            )

    @property
    def is_discrete(self) -> bool:
        from scipy.stats import rv_discrete

        return isinstance(getattr(self.dist, "dist", None), rv_discrete)

    @property
    def is_finite(self) -> bool:  # type: ignore[override]
        return self.is_discrete and math.isfinite(self.size)

    @property
    def size(self) -> float:
        if not self.is_discrete:
            return math.inf
        low, high = self.dist.support()
        return float(high - low + 1) if math.isfinite(high - low) else math.inf

    def from_unit(self, u: np.ndarray) -> list:
        u = np.clip(np.asarray(u, dtype=float), _U_EPS, 1.0 - _U_EPS)
        values = np.atleast_1d(self.dist.ppf(u))
        if self.is_discrete:
            return [int(v) for v in values]
        return [float(v) for v in values]

    def to_unit(self, values: list) -> np.ndarray:
        x = np.asarray(values, dtype=float)
        if self.is_discrete:
            return np.clip(0.5 * (self.dist.cdf(x - 1) + self.dist.cdf(x)), 0, 1)
        return np.clip(self.dist.cdf(x), 0.0, 1.0)

    def key(self, value: Any) -> Any:
        return int(value) if self.is_discrete else float(value)

    def grid(self, n_points: int) -> list:
        values = self.from_unit((np.arange(n_points) + 0.5) / n_points)
        return list(dict.fromkeys(values))

    def contains(self, value: Any) -> bool:
        if not _is_number(value):
            return False
        low, high = self.dist.support()
        return bool(low <= value <= high)

    def _fields(self) -> tuple:
        return (
            repr(self.dist),
            getattr(self.dist, "args", None),
            repr(getattr(self.dist, "kwds", None)),
        )


class Fixed(Dimension):
    """A single value that is passed to every candidate and never searched."""

    n_unit = 0
    is_finite = True
    is_ordered = False

    def __init__(self, value: Any) -> None:
        self.value = value

    def from_unit(self, u: np.ndarray) -> list:
        return [to_python_scalar(self.value)] * len(np.atleast_1d(u))

    def to_unit(self, values: list) -> np.ndarray:
        return np.full(len(values), 0.5)

    def key(self, value: Any) -> Any:
        return 0

    def grid(self, n_points: int) -> list:
        return [to_python_scalar(self.value)]

    @property
    def size(self) -> float:
        return 1

    def contains(self, value: Any) -> bool:
        return value is self.value or Categorical([self.value]).contains(value)
