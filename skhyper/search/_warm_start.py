"""Promotions that continue the fits of the rung before (warm starts).

With a resource such as ``n_estimators`` or ``max_iter``, a candidate
promoted from a rung of 27 trees to one of 81 is fitted again from nothing
on the same folds. scikit-learn's ensembles can instead continue a fitted
model (``warm_start=True``): a forest adds 54 trees, a boosting model 54
iterations. :class:`WarmStarts` keeps each fold's fitted model of the last
rung a candidate reached, hands it to the candidate's fit at the next rung
and drops the models of candidates that were not promoted.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
from sklearn.ensemble import (
    BaseEnsemble,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)

from skhyper.utils._sklearn_compat import warm_started_fits

__all__ = ["WarmStarts", "warm_start_parameter"]

#: Estimators whose warm start adds to a fitted model until it holds the
#: resource's new value (trees, iterations), so that a warm-started fit is
#: the cold fit of that value continued, not more training on top of it.
ADDITIVE_WARM_START = (
    BaseEnsemble,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)


def warm_start_parameter(estimator: Any, resource: str) -> str:
    """The ``warm_start`` parameter that goes with ``resource``
    (``"clf__warm_start"`` for ``"clf__n_estimators"``), or a ValueError
    saying why the estimator cannot continue its fits."""
    if resource == "n_samples":
        raise ValueError(
            "warm_start_promotions=True continues each promoted candidate's "
            "fitted model with more of an estimator parameter (resource="
            "'n_estimators', 'max_iter', ...); with resource='n_samples' every "
            "rung fits other samples, so there is nothing to continue."
        )
    prefix, _, _ = resource.rpartition("__")
    parameter = f"{prefix}__warm_start" if prefix else "warm_start"
    params = estimator.get_params(deep=True)
    owner = params.get(prefix, estimator) if prefix else estimator
    if parameter not in params:
        raise ValueError(
            f"warm_start_promotions=True needs {type(owner).__name__} to have a "
            f"warm_start parameter ({parameter!r}) to continue its fits of "
            f"{resource}; it has none."
        )
    if not isinstance(owner, ADDITIVE_WARM_START):
        raise ValueError(
            "warm_start_promotions=True supports scikit-learn's ensembles "
            "(forests, bagging, gradient boosting, HistGradientBoosting), whose "
            f"warm start grows a fitted model to the new {resource}. "
            f"{type(owner).__name__}'s warm start may mean something else (more "
            "iterations on top of those done), so its promotions are fitted "
            "from the start."
        )
    return parameter


def _checksum(indices: Any) -> int:
    return zlib.crc32(np.ascontiguousarray(indices, dtype=np.int64).tobytes())


class WarmStarts:
    """The fitted fold models of the candidates of the last rung.

    Parameters
    ----------
    parameter : str
        The estimator's ``warm_start`` parameter (``warm_start_parameter``).
    last_rung : int
        Index of the last rung; its models are not kept (nothing follows).
    """

    def __init__(self, parameter: str, last_rung: int) -> None:
        self.parameter = parameter
        self.last_rung = last_rung
        #: (bracket, candidate key, fold) -> (checksum of the training rows,
        #: fitted estimator)
        self._models: dict[tuple[int, Hashable, int], tuple[int, Any]] = {}
        #: How many fits started from a kept model.
        self.n_continued = 0

    def __len__(self) -> int:
        return len(self._models)

    def fitting(
        self,
        evaluate_candidates: Any,
        keys: Sequence[Hashable],
        bracket: int,
        rung: int,
    ) -> contextlib.AbstractContextManager:
        """Within it, ``evaluate_candidates`` on the candidates of ``keys``
        continues their kept models of ``bracket`` (on the same training
        rows) and, below the last rung, keeps the new ones."""

        def previous(candidate: int, fold: int, train: Any) -> Any:
            kept = self._models.pop((bracket, keys[candidate], fold), None)
            if kept is None or kept[0] != _checksum(train):
                return None
            self.n_continued += 1
            return kept[1].set_params(**{self.parameter: True})

        def keep(candidate: int, fold: int, train: Any, estimator: Any) -> None:
            self._models[(bracket, keys[candidate], fold)] = (
                _checksum(train),
                estimator,
            )

        return warm_started_fits(
            evaluate_candidates, previous, keep if rung < self.last_rung else None
        )

    def keep_only(self, bracket: int, keys: set[Hashable]) -> None:
        """Drop every model but those of ``keys`` in ``bracket`` (the
        candidates just promoted)."""
        self._models = {
            where: kept
            for where, kept in self._models.items()
            if where[0] == bracket and where[1] in keys
        }

    def clear(self) -> None:
        self._models.clear()
