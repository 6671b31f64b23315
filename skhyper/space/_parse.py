"""Turn what users write for sklearn's searches into a :class:`SearchSpace`."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from skhyper.space._dimensions import (
    Categorical,
    Dimension,
    Distribution,
    Fixed,
    Integer,
    Real,
    SampledDistribution,
)
from skhyper.space._space import SearchSpace, SubSpace
from skhyper.utils._warnings import warn_once

__all__ = ["parse_search_space", "to_dimension"]

#: The prior names scikit-optimize writes at the end of a range tuple.
RANGE_PRIORS = {"uniform": False, "log-uniform": True}


def parse_search_space(
    spec: Mapping[str, Any] | list[Mapping[str, Any]] | SearchSpace,
    valid_names: Iterable[str] | None = None,
    accepts: Callable[[str, Any], bool] | None = None,
) -> SearchSpace:
    """Parse and validate a search-space specification.

    Parameters
    ----------
    spec : dict or list of dicts
        Each dict maps parameter names to one of:

        - any sequence of values (list, tuple, ``range``, 1-d array,
          ``pandas.Series``): a categorical dimension, as in a
          ``GridSearchCV`` param grid. A tuple of two numbers is taken as two
          choices, as scikit-learn does, with a warning naming
          :class:`Integer` and :class:`Real`; a tuple ending in a prior name,
          ``(low, high, "log-uniform")`` or ``(low, high, "uniform")``, is a
          range;
        - a ``scipy.stats`` distribution (frozen or not), as in
          ``RandomizedSearchCV``;
        - a :class:`Real`, :class:`Integer` or :class:`Categorical`, or
          Optuna's ``FloatDistribution``, ``IntDistribution`` or
          ``CategoricalDistribution`` (recognised without importing Optuna);
        - any other single value, passed unchanged and never searched.

        A list of dicts gives alternative sub-spaces.
    valid_names : iterable of str, optional
        The parameter names the estimator lists (``get_params(deep=True)``).
        A name ``a__b`` is also accepted when the same sub-space sets ``a``.
    accepts : callable, optional
        ``accepts(name, value)`` tells whether the estimator's ``set_params``
        takes a name that ``valid_names`` lacks (estimators that accept more
        than they list).

    Returns
    -------
    SearchSpace

    Raises
    ------
    TypeError, ValueError
        For an invalid specification, naming the parameter at fault.
    """
    if isinstance(spec, SearchSpace):
        return spec
    if isinstance(spec, Mapping):
        specs = [spec]
    elif isinstance(spec, list):
        specs = spec
    else:
        raise TypeError(
            "search_spaces must be a dict or a list of dicts, got "
            f"{type(spec).__name__}: {spec!r}."
        )
    if not specs:
        raise ValueError("search_spaces is an empty list.")
    names = None if valid_names is None else set(valid_names)
    subspaces = []
    for position, sub in enumerate(specs):
        if not isinstance(sub, Mapping):
            raise TypeError(
                f"search_spaces[{position}] must be a dict, got "
                f"{type(sub).__name__}: {sub!r}."
            )
        dimensions = {}
        for name, value in sub.items():
            if not isinstance(name, str):
                raise TypeError(f"Parameter names must be strings, got {name!r}.")
            dimensions[name] = to_dimension(name, value)
        if names is not None:
            _check_names(dimensions, names, accepts)
        subspaces.append(SubSpace(dimensions))
    return SearchSpace(subspaces)


class UnsupportedDistributionError(TypeError, ValueError):
    """An Optuna distribution of a kind skhyper does not search.

    A ``TypeError`` (the wrong kind of object) that is also a
    ``ValueError``, what optuna-integration's ``OptunaSearchCV`` raises when
    it fails on such a distribution (its own tests expect one), so code
    written for either catches it.
    """


def to_dimension(name: str, value: Any) -> Dimension:
    """Convert one user value to a validated :class:`Dimension`."""
    if isinstance(value, Dimension):
        dimension = value
    elif _is_optuna_distribution(value):
        dimension = _from_optuna(name, value)
    elif _is_other_optuna_distribution(value):
        raise UnsupportedDistributionError(
            f"Parameter {name!r}: {value!r} is an Optuna distribution of a kind "
            f"skhyper does not search ({type(value).__name__}); use one of "
            f"{', '.join(_OPTUNA_KINDS)}, or a skhyper Real, Integer or "
            "Categorical."
        )
    elif isinstance(value, tuple) and _is_range_tuple(value):
        dimension = _range_from_tuple(name, value)
    elif isinstance(value, np.ndarray) and value.ndim != 1:
        raise ValueError(
            f"Parameter {name!r}: only 1-d arrays of choices are accepted, got "
            f"shape {value.shape}."
        )
    elif _is_sequence_of_choices(value):
        if isinstance(value, tuple):
            _warn_about_number_pair(name, value)
        dimension = Categorical(list(value))
    elif hasattr(value, "rvs"):
        if hasattr(value, "ppf") and hasattr(value, "cdf"):
            dimension = Distribution(value)
        else:
            dimension = SampledDistribution(value)
    elif isinstance(value, (Mapping, set, frozenset)):
        raise TypeError(
            f"Parameter {name!r}: a {type(value).__name__} is not a search "
            "dimension. Use a list of choices, a scipy.stats distribution, "
            "Real, Integer or Categorical."
        )
    else:
        dimension = Fixed(value)
    dimension.validate(name)
    if isinstance(dimension, Categorical) and len(dimension.choices) == 1:
        return Fixed(dimension.choices[0])
    return dimension


def _is_sequence_of_choices(value: Any) -> bool:
    """Whatever ``GridSearchCV`` or ``RandomizedSearchCV`` takes as choices:
    sequences (list, tuple, range, ...), 1-d arrays and pandas objects."""
    if isinstance(value, (str, bytes)):
        return False
    if isinstance(value, (Sequence, np.ndarray)):
        return True
    # pandas.Series and Index: 1-d, sized and array-like, not Sequences.
    return (
        getattr(value, "ndim", None) == 1
        and hasattr(value, "__len__")
        and hasattr(value, "__array__")
        and not hasattr(value, "rvs")
    )


def _is_range_tuple(value: tuple) -> bool:
    """``(low, high, "log-uniform")``: scikit-optimize's spelling of a range,
    which cannot mean a set of choices."""
    return (
        len(value) == 3
        and isinstance(value[2], str)
        and value[2] in RANGE_PRIORS
        and all(_is_plain_number(v) for v in value[:2])
    )


def _range_from_tuple(name: str, value: tuple) -> Dimension:
    low, high, prior = value
    log = RANGE_PRIORS[prior]
    both_integers = all(isinstance(v, numbers.Integral) for v in (low, high))
    return Integer(low, high, log=log) if both_integers else Real(low, high, log=log)


def _is_plain_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _warn_about_number_pair(name: str, value: tuple) -> None:
    if len(value) != 2 or not all(_is_plain_number(v) for v in value):
        return
    kind = "Integer" if all(isinstance(v, numbers.Integral) for v in value) else "Real"
    warn_once(
        f"Parameter {name!r}: the tuple {value!r} is taken as the two choices "
        f"{value[0]!r} and {value[1]!r}, as GridSearchCV does. For the range "
        f"between them write {kind}({value[0]!r}, {value[1]!r}) (or Integer / "
        "Real with log=True), or (low, high, 'log-uniform'); write a list to "
        "keep the two choices without this warning.",
        UserWarning,
        stacklevel=3,
    )


# -- Optuna's distributions, recognised by their shape --------------------------
_OPTUNA_KINDS = ("FloatDistribution", "IntDistribution", "CategoricalDistribution")


def _is_optuna_distribution(value: Any) -> bool:
    names = {cls.__name__ for cls in type(value).__mro__}
    return bool(names & set(_OPTUNA_KINDS)) and hasattr(value, "to_internal_repr")


def _is_other_optuna_distribution(value: Any) -> bool:
    """An Optuna distribution that is none of the three kinds above (a
    user's own subclass of ``BaseDistribution``), which must not be taken
    for a fixed value."""
    names = {cls.__name__ for cls in type(value).__mro__}
    return "BaseDistribution" in names and hasattr(value, "to_internal_repr")


def _from_optuna(name: str, value: Any) -> Dimension:
    names = {cls.__name__ for cls in type(value).__mro__}
    if "CategoricalDistribution" in names:
        return Categorical(list(value.choices))
    low, high = value.low, value.high
    step, log = getattr(value, "step", None), bool(getattr(value, "log", False))
    if low == high:
        return Fixed(low)
    if "IntDistribution" in names:
        step = 1 if step is None else int(step)
        if step == 1:
            return Integer(int(low), int(high), log=log)
        return Categorical(list(range(int(low), int(high) + 1, step)))
    if step is None:
        return Real(float(low), float(high), log=log)
    n_steps = math.floor((high - low) / step + 1e-9)
    return Categorical([float(low + k * step) for k in range(n_steps + 1)])


def _check_names(
    dimensions: dict[str, Dimension],
    valid: set[str],
    accepts: Callable[[str, Any], bool] | None,
) -> None:
    for name, dimension in dimensions.items():
        if name in valid:
            continue
        parts = name.split("__")
        prefixes = ("__".join(parts[:i]) for i in range(1, len(parts)))
        if any(prefix in dimensions for prefix in prefixes):
            continue
        if accepts is not None and accepts(name, _some_value(dimension)):
            continue
        close = sorted(v for v in valid if v.split("__")[-1] == parts[-1])
        hint = f" Did you mean one of {close}?" if close else ""
        raise ValueError(
            f"Invalid parameter {name!r} in the search space: the estimator has "
            f"no such parameter.{hint} Valid parameters are: {sorted(valid)}."
        )


def _some_value(dimension: Dimension) -> Any:
    return dimension.from_unit(np.full(1, 0.5))[0]
