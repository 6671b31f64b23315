"""The resource schedule of successive halving, and the checks of its inputs.

The formulas are scikit-learn's (``HalvingRandomSearchCV``), so that the
same parameters give the same rungs: rung ``i`` evaluates
``n_candidates_i`` candidates (``n_candidates_0`` given, then
``ceil(n_candidates_{i-1} / factor)``) with ``min_resources * factor**i``
resources (capped at ``max_resources``).

With ``hyperband=True`` the brackets cycle through starting rungs as in
Hyperband (Li et al., 2018): bracket ``b`` starts at rung
``s = b mod n_iterations`` with ``ceil(n_candidates * n_iterations /
((n_iterations - s) * factor**s))`` candidates, so that every kind of bracket
costs about the same, and the last kind evaluates a few candidates at the
full resource only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral
from typing import Any

import numpy as np
from sklearn.base import is_classifier
from sklearn.utils import resample
from sklearn.utils.multiclass import check_classification_targets

from skhyper.search._space_synonyms import given_under
from skhyper.utils._sklearn_compat import num_samples
from skhyper.utils._warnings import small_space_message, warn_once

__all__ = [
    "HalvingSchedule",
    "SubsampledFolds",
    "check_resource",
    "plan_schedule",
    "scikit_learn_options",
]

#: scikit-learn's ``min_resources="smallest"`` with ``resource="n_samples"``:
#: this many samples per fold (times the number of classes for a classifier).
SAMPLES_PER_SPLIT = 2


@dataclass(frozen=True)
class HalvingSchedule:
    """Resources and candidate counts of every rung of one bracket."""

    min_resources: int
    max_resources: int
    factor: float
    n_candidates: int
    n_required_iterations: int
    n_possible_iterations: int
    n_iterations: int
    aggressive_elimination: bool
    hyperband: bool = False

    def n_resources(self, rung: int) -> int:
        """The resource given to every candidate of ``rung``."""
        power = rung
        if self.aggressive_elimination:
            power = max(
                0, rung - self.n_required_iterations + self.n_possible_iterations
            )
        return min(int(self.factor**power * self.min_resources), self.max_resources)

    def fidelity(self, rung: int) -> float:
        """``rung``'s resource on a log scale: 0 the smallest, 1 the largest."""
        low = math.log(self.n_resources(0))
        high = math.log(self.n_resources(self.n_iterations - 1))
        if high <= low:
            return 1.0
        return (math.log(self.n_resources(rung)) - low) / (high - low)

    def start_rung(self, bracket: int) -> int:
        """The rung whose candidates ``bracket`` asks from the generator."""
        return bracket % self.n_iterations if self.hyperband else 0

    def n_first(self, bracket: int) -> int:
        """Candidates of ``bracket``'s first rung."""
        start = self.start_rung(bracket)
        if start == 0:
            return self.n_candidates
        share = self.n_iterations / ((self.n_iterations - start) * self.factor**start)
        return max(1, math.ceil(self.n_candidates * share))

    def n_planned(self, rung: int, bracket: int = 0) -> int:
        """Candidates ``rung`` of ``bracket`` evaluates when nothing is cut
        short (0 below the bracket's first rung)."""
        start = self.start_rung(bracket)
        if rung < start:
            return 0
        n = self.n_first(bracket)
        for _ in range(rung - start):
            n = n_promoted(n, self.factor)
        return n

    def n_per_bracket(self, bracket: int = 0) -> int:
        """Evaluations of one full ``bracket``."""
        return sum(self.n_planned(r, bracket) for r in range(self.n_iterations))

    def n_evaluations(self, n_brackets: int) -> int:
        """Evaluations of ``n_brackets`` full brackets."""
        n_kinds = self.n_iterations if self.hyperband else 1
        cycles, rest = divmod(n_brackets, n_kinds)
        per_cycle = sum(self.n_per_bracket(b) for b in range(n_kinds))
        return cycles * per_cycle + sum(self.n_per_bracket(b) for b in range(rest))


def n_promoted(n_evaluated: int, factor: float) -> int:
    """How many of a rung's candidates go on to the next one."""
    return math.ceil(n_evaluated / factor)


def check_resource(search: Any, searched: set[str]) -> Any:
    """Validate ``search.resource``; returns the estimator's current value of
    the resource parameter (None for ``"n_samples"``)."""
    resource = search.resource
    if resource == "n_samples":
        return None
    get_params = getattr(search.estimator, "get_params", None)
    params = get_params(deep=True) if get_params is not None else {}
    if resource not in params:
        # scikit-learn's wording first, then what to use instead.
        raise ValueError(
            f"Cannot use resource={resource} which is not supported by estimator "
            f"{type(search.estimator).__name__}: it has no such parameter. Use "
            "'n_samples' or an integer parameter of the estimator (for a "
            "Pipeline step, '<step>__<parameter>'), such as "
            f"{_integer_params(params)}."
        )
    if resource in searched:
        raise ValueError(
            f"Cannot use parameter {resource} as the resource since it is part "
            "of the searched parameters."
        )
    # Every candidate is fitted with the resource set to an integer; the
    # estimator's own value matters only to max_resources="auto" (and may be
    # anything else, as in scikit-learn: IsolationForest's max_samples="auto").
    return params[resource]


def _is_positive_integer(value: Any) -> bool:
    is_integer = isinstance(value, Integral) and not isinstance(value, bool)
    return is_integer and int(value) >= 1


def _integer_params(params: dict) -> list[str]:
    names = [
        name
        for name, value in params.items()
        if isinstance(value, Integral)
        and not isinstance(value, bool)
        and int(value) > 0
    ]
    return names[:6] or ["n_estimators", "max_iter"]


def scikit_learn_options(search: Any, space_size: float) -> tuple[Any, Any]:
    """``min_resources`` and ``n_candidates`` as scikit-learn's halving
    search that the script was written for would read them.

    A finite space given as ``param_grid=`` is ``HalvingGridSearchCV``'s:
    every candidate of the grid starts (``n_candidates="exhaust"``), and
    ``min_resources="auto"`` is its default ``"exhaust"``. Otherwise
    ``"auto"`` is ``HalvingRandomSearchCV``'s default ``"smallest"``.
    """
    grid = given_under(search, "param_grid") is not None
    grid = grid and math.isfinite(space_size)
    min_option = search.min_resources
    if min_option == "auto":
        min_option = "exhaust" if grid else "smallest"
    candidates_option = search.n_candidates
    if grid and candidates_option == "exhaust":
        candidates_option = int(space_size)
    return min_option, candidates_option


def plan_schedule(
    search: Any,
    X: Any,
    y: Any,
    n_splits: int,
    splits: list[tuple[np.ndarray, np.ndarray]],
    resource_default: Any,
    space_size: float,
) -> HalvingSchedule:
    """The schedule for ``search``'s parameters on this data, or a ValueError
    saying which input is wrong."""
    n_samples = num_samples(X)
    if is_classifier(search.estimator) and y is not None:
        # Counting classes needs class labels: say so as scikit-learn does.
        check_classification_targets(y)
    min_option, candidates_option = scikit_learn_options(search, space_size)
    if candidates_option == "exhaust" and min_option == "exhaust":
        raise ValueError(
            "n_candidates and min_resources cannot be both set to 'exhaust'."
        )
    if search.max_resources == "auto":
        if search.resource == "n_samples":
            max_resources = n_samples
        elif not _is_positive_integer(resource_default):
            # scikit-learn's wording first: it always raises here.
            raise ValueError(
                "resource can only be 'n_samples' when max_resources='auto', or "
                "a parameter whose value in the estimator is a positive integer "
                f"(max_resources='auto' takes it), but {search.resource} is "
                f"{resource_default!r}; set max_resources to the largest "
                f"{search.resource} to try."
            )
        else:
            max_resources = int(resource_default)
    else:
        max_resources = int(search.max_resources)
    if search.resource == "n_samples" and max_resources > n_samples:
        raise ValueError(
            f"max_resources={max_resources} is more than the {n_samples} samples of X."
        )
    if min_option in ("smallest", "exhaust"):
        if search.resource == "n_samples":
            min_resources = n_splits * SAMPLES_PER_SPLIT
            if is_classifier(search.estimator):
                min_resources *= len(np.unique(np.asarray(y)))
        else:
            min_resources = 1
    else:
        min_resources = int(min_option)
    if min_resources > max_resources:
        raise ValueError(
            f"min_resources_={min_resources} is greater than "
            f"max_resources_={max_resources}."
        )
    if min_resources == 0:  # no class in y: scikit-learn's check and wording
        raise ValueError(
            f"min_resources_={min_resources}: you might have passed an empty dataset X."
        )
    if candidates_option == "exhaust":
        n_candidates = max_resources // min_resources
    else:
        n_candidates = int(candidates_option)
    if math.isfinite(space_size) and n_candidates > space_size:
        # As scikit-learn's HalvingRandomSearchCV warns for a space of lists
        # (a distribution, say randint(1, 3), it samples with repeats), in
        # its words: n_iter is the first rung's n_candidates.
        n = int(space_size)
        warn_once(small_space_message(n, n_candidates), UserWarning, stacklevel=2)
        n_candidates = n
    n_candidates = max(n_candidates, 1)
    factor = search.factor
    n_required = 1 + math.floor(math.log(n_candidates, factor))
    if min_option == "exhaust":
        min_resources = max(min_resources, max_resources // factor ** (n_required - 1))
        min_resources = int(min_resources)
    n_possible = 1 + math.floor(math.log(max_resources // min_resources, factor))
    n_iterations = (
        n_required if search.aggressive_elimination else min(n_possible, n_required)
    )
    if search.resource == "n_samples":
        check_samples_per_fold(search, y, splits, min_resources, n_samples)
    return HalvingSchedule(
        min_resources=min_resources,
        max_resources=max_resources,
        factor=factor,
        n_candidates=n_candidates,
        n_required_iterations=n_required,
        n_possible_iterations=n_possible,
        n_iterations=n_iterations,
        aggressive_elimination=bool(search.aggressive_elimination),
        hyperband=bool(search.hyperband),
    )


def check_samples_per_fold(
    search: Any,
    y: Any,
    splits: list[tuple[np.ndarray, np.ndarray]],
    min_resources: int,
    n_samples: int,
) -> None:
    """Refuse a lowest rung whose subsampled folds leave no sample to fit or
    score on, and warn of one with fewer training samples than classes (or 2).

    scikit-learn's halving searches fail on an empty subsample (with an error
    from ``resample``) but fit and score any other, so a rung of one training
    sample per fold only warns here: the fits that cannot learn from it fail
    as they would in scikit-learn, under ``error_score``.
    """
    need_train = 2
    if is_classifier(search.estimator) and y is not None:
        need_train = max(need_train, len(np.unique(np.asarray(y))))
    fraction = min_resources / n_samples
    n_train = min(int(fraction * len(train)) for train, _ in splits)
    n_test = min(int(fraction * len(test)) for _, test in splits)
    if n_train >= need_train and n_test >= 1:
        return
    smallest_train = min(len(train) for train, _ in splits)
    smallest_test = min(len(test) for _, test in splits)
    enough = max(
        math.ceil(need_train * n_samples / smallest_train),
        math.ceil(n_samples / smallest_test),
    )
    message = (
        f"With min_resources={min_resources} samples, the lowest rung fits on "
        f"{n_train} training and scores on {n_test} test samples per fold, too "
        f"few for {len(splits)} folds (each fit needs at least {need_train} "
        f"training samples{' (one per class)' if need_train > 2 else ''} and 1 "
        f"test sample). Set min_resources to at least {enough}, or use fewer "
        "folds."
    )
    if n_train == 0 or n_test == 0:
        raise ValueError(message)
    warn_once(message, UserWarning, stacklevel=3)


class SubsampledFolds:
    """The folds of ``base_cv``, each cut to ``fraction`` of its samples.

    The same seed gives the same subsets at every call (and the subsets
    scikit-learn's halving searches draw with that seed). Without a seed
    (``None``), the first call draws them from NumPy's global generator, as
    scikit-learn's do, and later calls give the same.
    """

    def __init__(
        self, base_cv: Any, fraction: float, random_state: int | None, n_splits: int
    ) -> None:
        self.base_cv = base_cv
        self.fraction = fraction
        self.random_state = random_state
        self.n_splits = n_splits
        self._drawn: list[tuple[Any, Any]] | None = None

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        return self.n_splits

    def split(self, X: Any, y: Any = None, **params: Any):
        if self.random_state is not None:
            yield from self._subsets(X, y, **params)
            return
        # Without a seed, the subsets are drawn from NumPy's global
        # generator at the first call, then kept.
        if self._drawn is None:
            self._drawn = list(self._subsets(X, y, **params))
        yield from self._drawn

    def _subsets(self, X: Any, y: Any = None, **params: Any):
        for train, test in self.base_cv.split(X, y, **params):
            yield (
                resample(
                    train,
                    replace=False,
                    random_state=self.random_state,
                    n_samples=int(self.fraction * len(train)),
                ),
                resample(
                    test,
                    replace=False,
                    random_state=self.random_state,
                    n_samples=int(self.fraction * len(test)),
                ),
            )
