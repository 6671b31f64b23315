"""Optimize any black-box function with a generator, without scikit-learn."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from skhyper.generators import BaseGenerator, make_generator
from skhyper.space import SearchSpace

__all__ = ["OptimizeResult", "minimize"]


@dataclass
class OptimizeResult:
    """What :func:`minimize` found.

    Parameters
    ----------
    x : dict
        The best parameters.
    fun : float
        ``func(**x)``, the lowest value seen.
    x_iters : list of dict
        Every evaluated point, in order.
    func_vals : ndarray
        Their values (NaN where ``func`` returned NaN).
    generator : BaseGenerator
        The generator after the run (it maximized ``-func``).
    """

    x: dict[str, Any]
    fun: float
    x_iters: list[dict[str, Any]] = field(repr=False)
    func_vals: np.ndarray = field(repr=False)
    generator: BaseGenerator = field(repr=False)


def minimize(
    func: Callable[..., float],
    space: dict | list | SearchSpace,
    *,
    n_calls: int = 50,
    generator: str | BaseGenerator = "gp",
    batch_size: int = 1,
    initial_points: list[dict[str, Any]] | None = None,
    random_state: Any = None,
    callback: Callable[[OptimizeResult], Any] | None = None,
) -> OptimizeResult:
    """Minimize ``func(**params)`` over a search space.

    Parameters
    ----------
    func : callable
        Called as ``func(**params)`` with one candidate; returns a number
        (or, as for ``scipy.optimize.minimize``, an array holding one). NaN
        marks a failed evaluation.
    space : dict or list of dicts
        As ``search_spaces`` of :class:`~skhyper.HyperSearchCV`.
    n_calls : int, default=50
        Number of evaluations.
    generator : str or generator instance, default="gp"
        ``"gp"``, ``"gradient"``, ``"sobol"``, ``"random"``, ``"grid"`` or
        an instance.
    batch_size : int, default=1
        Candidates asked at once (evaluated one after the other here).
    initial_points : list of dict, optional
        Points evaluated first.
    random_state : int, RandomState instance or None, default=None
        Seed of the generator; an int gives the same points at every call.
    callback : callable, optional
        Called with the result so far after each batch; returning ``True``
        stops the run.

    Returns
    -------
    OptimizeResult
        The best point ``x`` and value ``fun``, every point and value in
        order (``x_iters``, ``func_vals``) and the generator after the run.

    Raises
    ------
    Exception
        Whatever ``func`` raises (also ``KeyboardInterrupt``) ends the run
        and propagates, carrying what finished before it as its
        ``optimize_result`` attribute (an :class:`OptimizeResult`, or None if
        no evaluation finished); the generator in it was told every batch
        that finished whole.

    Examples
    --------
    >>> from skhyper import Real, minimize
    >>> result = minimize(lambda x: (x - 2) ** 2, {"x": Real(-5, 5)}, n_calls=15,
    ...                   random_state=0)
    >>> abs(result.x["x"] - 2) < 0.1
    True
    """
    for name, value in (("n_calls", n_calls), ("batch_size", batch_size)):
        if not isinstance(value, numbers.Integral) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    gen = make_generator(generator).start(
        space, random_state=random_state, initial_points=initial_points
    )
    points: list[dict[str, Any]] = []
    values: list[float] = []
    result = None
    while len(points) < n_calls:
        batch = gen.ask(min(batch_size, n_calls - len(points)))
        if not batch:
            break
        batch_values: list[float] = []
        try:
            for candidate in batch:
                batch_values.append(objective_value(func(**candidate), candidate))
        except BaseException as exc:
            _attach_results_so_far(exc, points + batch, values + batch_values, gen)
            raise
        gen.tell(batch, [-v for v in batch_values])
        points += batch
        values += batch_values
        result = _result(points, values, gen)
        if callback is not None and callback(result) is True:
            break
    if result is None:
        raise ValueError("The search space yielded no candidate.")
    return result


def objective_value(value: Any, candidate: dict[str, Any]) -> float:
    """What ``func`` returned, as a float.

    Like ``scipy.optimize.minimize``, anything with exactly one number is
    accepted: a Python or numpy number, or an array of size one such as
    ``np.array([v])``.
    """
    if isinstance(value, numbers.Real):
        return float(value)
    array = None
    if value is not None:  # asarray would make it NaN
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            pass
    if array is None or array.size != 1:
        what = f"an array of shape {array.shape}" if array is not None else repr(value)
        raise ValueError(
            "The objective function must return a single number (or an array "
            f"holding one, as scipy.optimize.minimize accepts); at {candidate} "
            f"it returned {what:.200}."
        )
    return float(array.reshape(()))


def _attach_results_so_far(
    exc: BaseException,
    points: list[dict[str, Any]],
    values: list[float],
    gen: BaseGenerator,
) -> None:
    """Keep what finished on the exception that ends the run:
    ``exc.optimize_result`` (None if nothing finished)."""
    n = len(values)  # the point being evaluated has no value
    result = _result(points[:n], values, gen) if n else None
    exc.optimize_result = result  # type: ignore[attr-defined]
    if hasattr(exc, "add_note"):  # Python >= 3.11
        exc.add_note(
            f"skhyper.minimize: {n} evaluation(s) finished before this error; "
            "they are in the exception's optimize_result attribute "
            "(an OptimizeResult)."
        )


def _result(
    points: list[dict[str, Any]], values: list[float], gen: BaseGenerator
) -> OptimizeResult:
    vals = np.asarray(values, dtype=float)
    finite = ~np.isnan(vals)
    best = int(np.argmin(np.where(finite, vals, np.inf))) if finite.any() else 0
    return OptimizeResult(
        x=dict(points[best]),
        fun=float(vals[best]) if finite.any() else math.nan,
        x_iters=list(points),
        func_vals=vals,
        generator=gen,
    )
