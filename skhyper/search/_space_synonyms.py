"""scikit-learn's names of the search space, read back as the space however
it was given.

A script written for ``GridSearchCV(estimator, grid)`` reads the grid back
as ``search.param_grid`` or ``search.get_params()["param_grid"]``; swapped
for ``BayesSearchCV(estimator, grid)``, the grid is the positional
``search_spaces``. :class:`SpaceSynonym` makes ``param_grid`` and
``param_distributions`` read as ``search_spaces`` when they were not given
themselves. What was given stays what ``clone`` copies and ``repr`` shows:
both run under :func:`given_space_parameters`, where the synonyms read as
given, and so does the search when it decides what the user asked for.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

__all__ = ["SpaceSynonym", "given_space_parameters", "given_under"]

_AS_GIVEN: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "skhyper_space_parameters_as_given", default=False
)


class SpaceSynonym:
    """A data descriptor for ``param_grid`` or ``param_distributions``.

    Left at its default (``None``) by ``__init__``, which sets it before
    ``search_spaces``, or set to the very space ``search_spaces`` holds
    (``set_params(**get_params())``), it reads as ``search_spaces``
    (outside :func:`given_space_parameters`). Any other value, ``None`` set
    by ``set_params`` included, reads as set, as scikit-learn's
    ``get_params``/``set_params`` contract asks.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.stored = f"_{name}_given"
        self.follows = f"_{name}_reads_search_spaces"

    def __get__(self, search: Any, owner: type | None = None) -> Any:
        if search is None:
            return self
        state = vars(search)
        if state.get(self.follows, False) and not _AS_GIVEN.get():
            return state.get("search_spaces")
        return given_under(search, self.name)

    def __set__(self, search: Any, value: Any) -> None:
        state = vars(search)
        if value is None:
            follows = "search_spaces" not in state  # __init__'s default
        else:
            follows = value is state.get("search_spaces")
        state[self.stored] = None if follows else value
        state[self.follows] = follows


def given_under(search: Any, name: str) -> Any:
    """The value ``search`` was given under ``name`` (``None`` if none).

    Parameters
    ----------
    search : object
        A search with :class:`SpaceSynonym` attributes, or any object.
    name : str
        ``"search_spaces"``, ``"param_grid"`` or ``"param_distributions"``.

    Returns
    -------
    object
        The value as given, never the synonym's reading of another name.
    """
    state = vars(search)
    if f"_{name}_given" in state:
        return state[f"_{name}_given"]
    # A plain attribute: search_spaces, a class without the descriptor, or
    # a search pickled before the synonyms were descriptors.
    return state.get(name)


@contextlib.contextmanager
def given_space_parameters() -> Iterator[None]:
    """Within this block the synonyms read as given (for ``clone``, ``repr``
    and the search's own decisions)."""
    token = _AS_GIVEN.set(True)
    try:
        yield
    finally:
        _AS_GIVEN.reset(token)
