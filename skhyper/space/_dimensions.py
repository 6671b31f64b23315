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
    "SampledDistribution",
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


def _public_vars(obj: Any) -> dict[str, Any]:
    """The constructor arguments an object stores (not its private caches)."""
    return {k: v for k, v in vars(obj).items() if not k.startswith("_")}


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

    def all_values(self) -> list:
        """Every distinct value of a finite dimension, in order."""
        raise TypeError(f"{self!r} takes infinitely many values.")

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

    def __getstate__(self) -> dict:
        # Private attributes are caches, rebuilt on first use after unpickling.
        return _public_vars(self)

    def _fields(self) -> tuple:
        return tuple(_public_vars(self).items())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in _public_vars(self).items())
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

    def all_values(self) -> list:
        """Every integer of the range, in order."""
        return list(range(int(self.low), int(self.high) + 1))

    def contains(self, value: Any) -> bool:
        return (
            isinstance(value, numbers.Integral)
            and not isinstance(value, bool)
            and self.low <= int(value) <= self.high
        )


class _ChoiceTable:
    """What :class:`Categorical` computes once from its choices: plain values,
    their order on the unit interval and a lookup of each value's position."""

    #: Set by :meth:`Categorical.snap_unit` on first use.
    _cached_snap: np.ndarray

    def __init__(self, choices: Any) -> None:
        self.source = choices
        self.length = len(choices)
        self.values = [to_python_scalar(c) for c in choices]
        self.ordered = bool(self.values) and all(_is_number(v) for v in self.values)
        if self.ordered:
            self.unit_order = sorted(range(self.length), key=self.values.__getitem__)
        else:
            self.unit_order = list(range(self.length))
        self.rank = np.empty(self.length, dtype=int)
        self.rank[self.unit_order] = np.arange(self.length)
        # First position of each (type, value); of each number by value alone.
        self.by_type: dict[tuple, int] | None = {}
        self.by_number: dict[float, int] = {}
        try:
            for i, v in enumerate(self.values):
                self.by_type.setdefault((type(v), v), i)
                if _is_number(v):
                    self.by_number.setdefault(v, i)
        except TypeError:  # unhashable choices: linear scans
            self.by_type = None
        self.distinct = (
            sorted(self.by_type.values()) if self.by_type is not None else None
        )

    def index(self, value: Any) -> int:
        values = self.values
        if self.by_type is not None:
            try:
                found = self.by_type.get((type(value), value))
            except TypeError:
                found = None
            if found is not None:
                return found
            if _is_number(value) and value in self.by_number:
                return self.by_number[value]
            for i, choice in enumerate(values):  # equal objects of other types
                if choice is value:
                    return i
            raise ValueError(f"{value!r} is not one of {values!r}")
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


class Categorical(Dimension):
    """A dimension taking one of a list of values.

    When every choice is a number the dimension is ordered: models see the
    choices sorted by value. Otherwise the choices are unordered. Choices are
    distinct by type and value, as candidates of ``GridSearchCV`` are:
    ``[1, 1.0, True]`` holds three choices (for a random forest's
    ``max_features``, ``1`` and ``1.0`` mean one feature and all features).

    Parameters
    ----------
    choices : sequence
        The values, in the order grid search enumerates them. Any objects are
        allowed (strings, ``None``, tuples, estimators, ...).

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
            # scikit-learn's wording (ParameterGrid), then skhyper's.
            raise ValueError(
                f"Parameter grid for parameter {name!r} need to be a non-empty "
                f"sequence, got: {self.choices!r}. (Parameter {name!r}: the list "
                "of choices is empty.)"
            )

    @property
    def _table(self) -> _ChoiceTable:
        # Built once per list of choices; rebuilt if ``choices`` is replaced.
        table = self.__dict__.get("_cached_table")
        if (
            table is None
            or table.source is not self.choices
            or table.length != len(self.choices)
        ):
            table = _ChoiceTable(self.choices)
            self.__dict__["_cached_table"] = table
        return table

    @property
    def _values(self) -> list:
        return self._table.values

    @property
    def is_ordered(self) -> bool:  # type: ignore[override]
        return self._table.ordered

    @property
    def _unit_order(self) -> list[int]:
        """Indices of the choices in the order of the unit interval."""
        return self._table.unit_order

    @property
    def size(self) -> float:
        """Number of distinct choices (a repeated value is one candidate)."""
        return len(self.distinct_indices)

    @property
    def distinct_indices(self) -> list[int]:
        """Positions of the first occurrence of each distinct choice, in order
        (what :meth:`index` returns for each of them)."""
        table = self._table
        if table.distinct is None:
            table.distinct = sorted({table.index(v) for v in table.values})
        return table.distinct

    def index(self, value: Any) -> int:
        """Position of ``value`` in ``choices``; ``ValueError`` if absent.

        The first choice of the same type and value; failing that, the first
        number equal to a number (``2.0`` finds ``2``).
        """
        return self._table.index(value)

    def from_unit(self, u: np.ndarray) -> list:
        u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
        k = len(self.choices)
        cells = np.minimum((u * k).astype(int), k - 1)
        table = self._table
        order, values = table.unit_order, table.values
        return [values[order[c]] for c in cells]

    def to_unit(self, values: list) -> np.ndarray:
        table = self._table
        k = len(self.choices)
        positions = np.fromiter(
            (table.index(v) for v in values), dtype=int, count=len(values)
        )
        return (table.rank[positions] + 0.5) / k

    def snap_unit(self, u: np.ndarray) -> np.ndarray:
        # Vectorized to_unit(from_unit(u)): a cell maps to the cell of the
        # first choice equal to its value (the same unless choices repeat).
        table = self._table
        k = len(self.choices)
        cells = np.minimum((np.clip(u, 0.0, 1.0) * k).astype(int), k - 1)
        if "_cached_snap" not in table.__dict__:
            table._cached_snap = self.to_unit(self.from_unit((np.arange(k) + 0.5) / k))
        return table._cached_snap[cells]

    def key(self, value: Any) -> Any:
        return self.index(value)

    def grid(self, n_points: int) -> list:
        return list(self._values)

    def all_values(self) -> list:
        """Every distinct choice, in order."""
        values = self._values
        return [values[i] for i in self.distinct_indices]

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

        return isinstance(self.dist, rv_discrete) or isinstance(
            getattr(self.dist, "dist", None), rv_discrete
        )

    @property
    def _listed_values(self) -> np.ndarray | None:
        """The values of a distribution given by its list of values
        (``rv_discrete(values=(xk, pk))``), those of positive probability."""
        dist = (
            self.dist if hasattr(self.dist, "xk") else getattr(self.dist, "dist", None)
        )
        xk = getattr(dist, "xk", None)
        if xk is None or not self.is_discrete:
            return None
        xk = np.asarray(xk)
        pk = np.asarray(getattr(dist, "pk", np.ones(len(xk))))
        return np.sort(xk[pk > 0])

    @property
    def is_finite(self) -> bool:  # type: ignore[override]
        return self.is_discrete and math.isfinite(self.size)

    @property
    def size(self) -> float:
        if not self.is_discrete:
            return math.inf
        listed = self._listed_values
        if listed is not None:
            return len(listed)
        low, high = self.dist.support()
        return float(high - low + 1) if math.isfinite(high - low) else math.inf

    def _as_value(self, x: float) -> Any:
        if not self.is_discrete:
            return float(x)
        listed = self._listed_values
        if listed is None:
            return int(x)
        position = min(int(np.searchsorted(listed, x)), len(listed) - 1)
        return to_python_scalar(listed[position])

    def from_unit(self, u: np.ndarray) -> list:
        u = np.clip(np.asarray(u, dtype=float), _U_EPS, 1.0 - _U_EPS)
        values = np.atleast_1d(self.dist.ppf(u))
        if self.is_discrete and self._listed_values is None:
            return [int(v) for v in values]
        return [self._as_value(v) for v in values]

    def to_unit(self, values: list) -> np.ndarray:
        x = np.asarray(values, dtype=float)
        if self.is_discrete:
            # The centre of the value's step of the CDF.
            return np.clip(self.dist.cdf(x) - 0.5 * self.dist.pmf(x), 0.0, 1.0)
        return np.clip(self.dist.cdf(x), 0.0, 1.0)

    def key(self, value: Any) -> Any:
        if not self.is_discrete:
            return float(value)
        return int(value) if self._listed_values is None else float(value)

    def grid(self, n_points: int) -> list:
        values = self.from_unit((np.arange(n_points) + 0.5) / n_points)
        return list(dict.fromkeys(values))

    def all_values(self) -> list:
        """Every value of a finite discrete distribution, in order."""
        listed = self._listed_values
        if listed is not None:
            return [to_python_scalar(v) for v in listed]
        low, high = self.dist.support()
        support = np.arange(int(low), int(high) + 1)
        return [int(v) for v in support[self.dist.pmf(support) > 0]]

    def contains(self, value: Any) -> bool:
        if not _is_number(value):
            return False
        listed = self._listed_values
        if listed is not None:
            return bool(np.isin(value, listed))
        low, high = self.dist.support()
        return bool(low <= value <= high)

    def _fields(self) -> tuple:
        return (
            repr(self.dist),
            getattr(self.dist, "args", None),
            repr(getattr(self.dist, "kwds", None)),
        )


class SampledDistribution(Dimension):
    """A dimension given only by a sampler: an object whose ``rvs`` draws
    values, as ``RandomizedSearchCV`` accepts.

    Without a quantile function, the unit interval maps to the empirical
    quantiles of ``n_draws`` draws made once with a fixed seed (interpolated
    between neighbours unless every draw is an integer), so random search
    draws from (a fine discretization of) the same distribution and models
    work in its quantiles. Prefer a scipy.stats distribution, whose quantile
    function is exact.

    Parameters
    ----------
    sampler : object with ``rvs(size=..., random_state=...)``
    n_draws : int, default=4096
    """

    is_ordered = True

    def __init__(self, sampler: Any, n_draws: int = 4096) -> None:
        self.sampler = sampler
        self.n_draws = n_draws

    def validate(self, name: str) -> None:
        try:
            draws = self._draws
        except Exception as exc:
            raise TypeError(
                f"Parameter {name!r}: {self.sampler!r} has rvs but drawing "
                f"{self.n_draws} values with rvs(size=..., random_state=...) "
                f"failed ({type(exc).__name__}: {exc}); give a scipy.stats "
                "distribution, Real, Integer or a list."
            ) from exc
        if draws.dtype.kind not in "iuf" or not np.isfinite(draws).all():
            raise TypeError(
                f"Parameter {name!r}: {self.sampler!r} draws values that are not "
                "finite numbers; give a list of choices instead."
            )

    @property
    def _draws(self) -> np.ndarray:
        cached = self.__dict__.get("_cached_draws")
        if cached is None:
            draws = self.sampler.rvs(
                size=self.n_draws, random_state=np.random.RandomState(0)
            )
            cached = np.sort(np.asarray(draws).reshape(-1))
            self.__dict__["_cached_draws"] = cached
        return cached

    @property
    def _integral(self) -> bool:
        return self._draws.dtype.kind in "iu"

    def from_unit(self, u: np.ndarray) -> list:
        draws = self._draws
        u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
        position = u * (len(draws) - 1)
        if self._integral:
            return [int(v) for v in draws[np.rint(position).astype(int)]]
        return [float(v) for v in np.interp(position, np.arange(len(draws)), draws)]

    def to_unit(self, values: list) -> np.ndarray:
        draws = self._draws
        x = np.asarray(values, dtype=float)
        position = np.interp(x, draws, np.arange(len(draws)))
        return np.clip(position / (len(draws) - 1), 0.0, 1.0)

    def key(self, value: Any) -> Any:
        return int(value) if self._integral else float(value)

    @property
    def is_finite(self) -> bool:  # type: ignore[override]
        return False

    def grid(self, n_points: int) -> list:
        values = self.from_unit((np.arange(n_points) + 0.5) / n_points)
        return list(dict.fromkeys(values))

    def contains(self, value: Any) -> bool:
        draws = self._draws
        return _is_number(value) and bool(draws[0] <= value <= draws[-1])


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

    def all_values(self) -> list:
        return [to_python_scalar(self.value)]

    @property
    def size(self) -> float:
        return 1

    def contains(self, value: Any) -> bool:
        return value is self.value or Categorical([self.value]).contains(value)
