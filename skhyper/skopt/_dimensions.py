"""scikit-optimize's dimension classes and spellings, as skhyper dimensions.

``Real``, ``Integer`` and ``Categorical`` here take scikit-optimize's
arguments and *are* skhyper dimensions (subclasses), so they work in every
skhyper search. :func:`to_core_subspace` turns one scikit-optimize
sub-space (tuples as ranges, lists as choices) into a dict the core parser
reads with no ambiguity.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np

from skhyper import space as core

__all__ = ["Categorical", "Integer", "Real", "to_core_subspace"]

PRIORS = ("uniform", "log-uniform")


class _SkoptRange:
    """What scikit-optimize's ``Real`` and ``Integer`` add to skhyper's:
    the prior as a string, and arguments kept for code that reads them."""

    #: numpy's abstract type every allowed ``dtype`` belongs to.
    dtype_kind: type

    def _skopt_arguments(
        self,
        low: Any,
        high: Any,
        prior: Any,
        base: Any,
        transform: Any,
        name: Any,
        dtype: Any,
    ) -> bool:
        """Check the arguments as scikit-optimize does, keep them, and say
        whether the prior is log-uniform."""
        kind = type(self).__name__
        if prior not in PRIORS:
            raise ValueError(
                f"{kind}(prior={prior!r}): the prior must be 'uniform' or "
                "'log-uniform' (skhyper: log=False or log=True)."
            )
        if high <= low:
            raise ValueError(
                f"the lower bound {low} has to be less than the upper bound {high}"
            )
        if not np.issubdtype(np.dtype(dtype), self.dtype_kind):
            raise TypeError(
                f"{kind}(dtype={dtype!r}): dtype must be a "
                f"{self.dtype_kind.__name__} type; use "
                f"{'Integer' if kind == 'Real' else 'Real'} for the other kind."
            )
        self.prior = prior
        self.base = base
        self.transform = transform
        self.name = name
        self.dtype = dtype
        return prior == "log-uniform"

    @property
    def bounds(self) -> tuple:
        """``(low, high)``, as in scikit-optimize."""
        return (self.low, self.high)  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        low, high = self.bounds
        return (
            f"{type(self).__name__}(low={low!r}, high={high!r}, prior={self.prior!r})"
        )


class Real(_SkoptRange, core.Real):
    """scikit-optimize's ``Real``: a real range with a uniform or log-uniform prior.

    Parameters
    ----------
    low, high : float
        Inclusive bounds.
    prior : {"uniform", "log-uniform"}, default="uniform"
        ``"log-uniform"`` is ``skhyper.Real(low, high, log=True)``.
    base : int, default=10
        Base of the logarithm. A log-uniform distribution is the same for
        every base, so it changes nothing.
    transform : str or None, default=None
        scikit-optimize's internal encoding (``"normalize"``, ``"identity"``);
        skhyper's models always work in the unit cube, so it is accepted and
        changes nothing.
    name : str or None, default=None
        Kept for scikit-optimize code that reads it; the search space's key
        names the parameter.
    dtype : float type, default=float
        Values are handed to estimators as Python ``float``.
    """

    dtype_kind = np.floating

    def __init__(
        self,
        low: float,
        high: float,
        prior: str = "uniform",
        base: int = 10,
        transform: str | None = None,
        name: str | None = None,
        dtype: Any = float,
    ) -> None:
        log = self._skopt_arguments(low, high, prior, base, transform, name, dtype)
        core.Real.__init__(self, float(low), float(high), log=log)


class Integer(_SkoptRange, core.Integer):
    """scikit-optimize's ``Integer``: an integer range with a uniform or
    log-uniform prior.

    Parameters
    ----------
    low, high : int
        Inclusive bounds.
    prior : {"uniform", "log-uniform"}, default="uniform"
        ``"log-uniform"`` is ``skhyper.Integer(low, high, log=True)``.
    base : int, default=10
        As for :class:`Real`: changes nothing.
    transform : str or None, default=None
        As for :class:`Real`: accepted, changes nothing.
    name : str or None, default=None
        Kept for code that reads it.
    dtype : integer type, default=numpy.int64
        Values are handed to estimators as Python ``int``.
    """

    dtype_kind = np.integer

    def __init__(
        self,
        low: int,
        high: int,
        prior: str = "uniform",
        base: int = 10,
        transform: str | None = None,
        name: str | None = None,
        dtype: Any = np.int64,
    ) -> None:
        log = self._skopt_arguments(low, high, prior, base, transform, name, dtype)
        core.Integer.__init__(self, int(low), int(high), log=log)


class Categorical(core.Categorical):
    """scikit-optimize's ``Categorical``: one of a list of values.

    Parameters
    ----------
    categories : sequence
        The choices (any objects, estimators included).
    prior : list of float or None, default=None
        skhyper draws every choice with the same probability, so only
        ``None`` or equal weights are accepted; other weights raise a
        ``ValueError``.
    transform : str or None, default=None
        scikit-optimize's encoding (``"onehot"``, ``"label"``, ...); skhyper
        orders numeric choices and one-hot encodes the others itself, so it
        is accepted and changes nothing.
    name : str or None, default=None
        Kept for code that reads it.
    """

    def __init__(
        self,
        categories: Any,
        prior: Any = None,
        transform: str | None = None,
        name: str | None = None,
    ) -> None:
        categories = list(categories)
        if prior is not None:
            weights = np.asarray(prior, dtype=float)
            if weights.shape != (len(categories),) or not np.allclose(
                weights, weights.mean()
            ):
                raise ValueError(
                    f"Categorical(prior={prior!r}): skhyper draws every choice "
                    "with the same probability and has no prior over "
                    "categories. Drop prior; to try favoured choices first, "
                    "use skhyper.BayesSearchCV(..., initial_points=[...])."
                )
        super().__init__(categories)
        self.prior = prior
        self.transform = transform
        self.name = name

    @property
    def categories(self) -> tuple:
        """The choices as a tuple, as in scikit-optimize."""
        return tuple(self.choices)

    def __repr__(self) -> str:
        return f"Categorical(categories={self.categories!r}, prior={self.prior!r})"


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _range_from_sequence(value: tuple | list) -> core.Dimension | None:
    """The range scikit-optimize 0.10 reads in ``(low, high[, prior[, base]])``,
    or None when it reads choices."""
    if not 2 <= len(value) <= 4:
        return None
    low, high, *rest = value
    if not (_is_number(low) and _is_number(high)):
        return None
    if len(rest) == 1 and rest[0] not in PRIORS:
        return None
    if len(rest) == 2 and not (
        rest[0] == "log-uniform" and isinstance(rest[1], numbers.Integral)
    ):
        return None
    both_int = isinstance(low, numbers.Integral) and isinstance(high, numbers.Integral)
    cls = Integer if both_int else Real
    return cls(low, high, *rest)


def _from_skopt_object(value: Any) -> core.Dimension | None:
    """A dimension of scikit-optimize itself (``skopt.space.Real`` ...),
    read by its attributes so that skopt need not be imported."""
    module = getattr(type(value), "__module__", "") or ""
    if not module.startswith("skopt."):
        return None
    kind = type(value).__name__
    if kind in ("Real", "Integer"):
        cls = Real if kind == "Real" else Integer
        return cls(value.low, value.high, prior=value.prior, name=value.name)
    if kind == "Categorical":
        return Categorical(value.categories, prior=value.prior, name=value.name)
    return None


def to_core_dimension(name: str, value: Any, warned: set[str]) -> Any:
    """One scikit-optimize dimension spelling as something skhyper's parser
    reads with the same meaning.

    Tuples follow scikit-optimize: ``(low, high)``, ``(low, high, prior)``
    and ``(low, high, "log-uniform", base)`` of numbers are ranges (Integer
    when both bounds are integers), other tuples are choices. Lists are
    choices, as in scikit-learn and as scikit-optimize announces; a list
    that scikit-optimize 0.10 would still read as a range gets a warning.
    """
    if isinstance(value, core.Dimension):
        return value
    converted = _from_skopt_object(value)
    if converted is not None:
        return converted
    if isinstance(value, tuple):
        as_range = _range_from_sequence(value)
        return as_range if as_range is not None else Categorical(value)
    if isinstance(value, list) and _range_from_sequence(value) is not None:
        if name not in warned:
            warned.add(name)
            warnings.warn(
                f"Parameter {name!r}: the list {value!r} is taken as a list of "
                "choices (as scikit-learn does, and as scikit-optimize "
                "announces), where scikit-optimize 0.10 reads it as a range. "
                f"For a range write the tuple {tuple(value)!r} or "
                "Integer(low, high) / Real(low, high).",
                UserWarning,
                stacklevel=4,
            )
    return value


def to_core_subspace(subspace: Any, position: int, warned: set[str]) -> dict:
    """A scikit-optimize sub-space dict with every value converted."""
    if not isinstance(subspace, Mapping):
        raise TypeError(
            "A search space should be provided as a dict or a tuple (dict, int), "
            f"got {subspace!r} at search_spaces[{position}]."
        )
    if not subspace:
        raise ValueError(f"search_spaces[{position}] is an empty dict.")
    return {
        name: to_core_dimension(name, value, warned) for name, value in subspace.items()
    }
