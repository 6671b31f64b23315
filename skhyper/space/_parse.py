"""Turn what users write for sklearn's searches into a :class:`SearchSpace`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from skhyper.space._dimensions import Categorical, Dimension, Distribution, Fixed
from skhyper.space._space import SearchSpace, SubSpace

__all__ = ["parse_search_space"]


def parse_search_space(
    spec: Mapping[str, Any] | list[Mapping[str, Any]] | SearchSpace,
    valid_names: Iterable[str] | None = None,
) -> SearchSpace:
    """Parse and validate a search-space specification.

    Parameters
    ----------
    spec : dict or list of dicts
        Each dict maps parameter names to one of:

        - a list (or range, or 1-d array) of values: a categorical dimension,
          as in a ``GridSearchCV`` param grid;
        - a frozen ``scipy.stats`` distribution, as in ``RandomizedSearchCV``;
        - a :class:`Real`, :class:`Integer` or :class:`Categorical`;
        - any other single value, passed unchanged and never searched.

        A list of dicts gives alternative sub-spaces. Tuples are rejected as
        ambiguous.
    valid_names : iterable of str, optional
        The parameter names the estimator accepts (``get_params(deep=True)``).
        A name ``a__b`` is also accepted when the same sub-space sets ``a``.

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
            _check_names(dimensions, names)
        subspaces.append(SubSpace(dimensions))
    return SearchSpace(subspaces)


def to_dimension(name: str, value: Any) -> Dimension:
    """Convert one user value to a validated :class:`Dimension`."""
    if isinstance(value, Dimension):
        dimension = value
    elif isinstance(value, tuple):
        raise TypeError(
            f"Parameter {name!r}: a tuple {value!r} is ambiguous. Write "
            "Real(low, high) or Integer(low, high) for a range, or a list "
            "[a, b, ...] for choices."
        )
    elif isinstance(value, (list, range)) or (
        isinstance(value, np.ndarray) and value.ndim == 1
    ):
        dimension = Categorical(list(value))
    elif isinstance(value, np.ndarray):
        raise TypeError(
            f"Parameter {name!r}: only 1-d arrays of choices are accepted, got "
            f"shape {value.shape}."
        )
    elif hasattr(value, "rvs"):
        dimension = Distribution(value)
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


def _check_names(dimensions: dict[str, Dimension], valid: set[str]) -> None:
    for name in dimensions:
        if name in valid:
            continue
        parts = name.split("__")
        prefixes = ("__".join(parts[:i]) for i in range(1, len(parts)))
        if any(prefix in dimensions for prefix in prefixes):
            continue
        close = sorted(v for v in valid if v.split("__")[-1] == parts[-1])
        hint = f" Did you mean one of {close}?" if close else ""
        raise ValueError(
            f"Invalid parameter {name!r} in the search space: the estimator has "
            f"no such parameter.{hint} Valid parameters are: {sorted(valid)}."
        )
