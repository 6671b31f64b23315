"""Optuna's trial and study records, written from a skhyper search's results.

Optuna users read a fitted ``OptunaSearchCV`` through its study: ``trials_``,
``best_trial_``, ``study_.best_trial.value``, ``trials_dataframe()``. The
classes here hold the same information, taken from ``cv_results_`` and from
the clock of the search, without Optuna: one :class:`FrozenTrial` per
candidate, and a :class:`SearchStudy` that lists them.
"""

from __future__ import annotations

import datetime
import enum
import importlib
import math
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = [
    "DATAFRAME_ATTRS",
    "FrozenTrial",
    "SearchStudy",
    "StudyDirection",
    "TrialState",
    "in_given_order",
    "make_trial",
]

#: Where Optuna keeps a trial's cross-validation scores for its terminator.
CV_SCORES_KEY = "terminator:cv_scores"

#: The columns ``trials_dataframe()`` gives by default, in Optuna's order.
DATAFRAME_ATTRS = (
    "number",
    "value",
    "datetime_start",
    "datetime_complete",
    "duration",
    "params",
    "user_attrs",
    "system_attrs",
    "state",
)


class TrialState(enum.IntEnum):
    """The state of a trial, numbered as ``optuna.trial.TrialState``.

    The members compare equal to Optuna's own (both are integers), so
    ``states=(optuna.trial.TrialState.COMPLETE,)`` in a callback selects
    the trials of a skhyper search too. A skhyper search gives ``COMPLETE``
    (a finite or infinite mean score) and ``FAIL`` (a NaN mean score: a
    fit failed with ``error_score=np.nan``); the others never occur.
    """

    RUNNING = 0
    COMPLETE = 1
    PRUNED = 2
    FAIL = 3
    WAITING = 4

    def __str__(self) -> str:
        return f"{type(self).__name__}.{self.name}"

    def is_finished(self) -> bool:
        """Whether the trial has ended (neither running nor waiting)."""
        return self not in (TrialState.RUNNING, TrialState.WAITING)


class StudyDirection(enum.IntEnum):
    """The direction of a study, numbered as ``optuna.study.StudyDirection``.

    A skhyper search maximizes its score, as scikit-learn scores are
    greater-is-better: the study's direction is always ``MAXIMIZE``.
    """

    NOT_SET = 0
    MINIMIZE = 1
    MAXIMIZE = 2

    def __str__(self) -> str:
        return f"{type(self).__name__}.{self.name}"


@dataclass(eq=True)
class FrozenTrial:
    """One evaluated candidate, with the fields of Optuna's ``FrozenTrial``.

    Parameters
    ----------
    number : int
        The candidate's row in ``cv_results_`` (its place in the evaluation
        order, except in a whole grid of choices listed in grid order).
    state : TrialState
        ``COMPLETE``, or ``FAIL`` when the mean score is NaN.
    value : float or None
        The mean cross-validated score the search maximized (the refit
        metric under multi-metric scoring); None for a failed trial, as in
        Optuna.
    datetime_start, datetime_complete : datetime.datetime or None
        When the batch holding the candidate started and ended (local time,
        as Optuna gives them). With ``n_jobs=1`` a batch is one candidate.
    params : dict
        The candidate, as in ``cv_results_["params"]``.
    distributions : dict
        What the search space says for each parameter, as it was given
        (Optuna distribution objects stay what they are).
    user_attrs : dict
        The candidate's ``split<i>_test_<metric>``, ``mean_*`` and ``std_*``
        entries of ``cv_results_``, under the names Optuna's
        ``OptunaSearchCV`` stores them.
    system_attrs : dict
        The split test scores of the maximized metric under
        ``"terminator:cv_scores"``, where Optuna keeps them.
    intermediate_values : dict
        Always empty: skhyper reports no intermediate scores.
    trial_id : int
        Equal to ``number``.
    """

    number: int
    state: TrialState
    value: float | None
    datetime_start: datetime.datetime | None
    datetime_complete: datetime.datetime | None
    params: dict[str, Any]
    distributions: dict[str, Any]
    user_attrs: dict[str, Any]
    system_attrs: dict[str, Any] = field(default_factory=dict)
    intermediate_values: dict[int, float] = field(default_factory=dict)
    trial_id: int = -1

    def __post_init__(self) -> None:
        if self.trial_id < 0:
            self.trial_id = self.number

    @property
    def values(self) -> list[float] | None:
        """``[value]``, or None for a failed trial."""
        return None if self.value is None else [self.value]

    @property
    def duration(self) -> datetime.timedelta | None:
        """``datetime_complete - datetime_start``, or None if one is missing."""
        if self.datetime_start is None or self.datetime_complete is None:
            return None
        return self.datetime_complete - self.datetime_start

    @property
    def last_step(self) -> int | None:
        """The last step with an intermediate value: always None here."""
        return max(self.intermediate_values) if self.intermediate_values else None

    def copy(self) -> FrozenTrial:
        """A copy whose dicts can be changed without changing this trial
        (the values they hold, and the distribution objects, are shared)."""
        return replace(
            self,
            params=dict(self.params),
            distributions=dict(self.distributions),
            user_attrs=dict(self.user_attrs),
            system_attrs={
                k: list(v) if isinstance(v, list) else v
                for k, v in self.system_attrs.items()
            },
            intermediate_values=dict(self.intermediate_values),
        )

    @property
    def _trial_id(self) -> int:
        # Optuna's attribute name, accepted in trials_dataframe(attrs=...).
        return self.trial_id


def make_trial(
    results: Mapping[str, Any],
    row: int,
    objective: str,
    distributions: Mapping[str, Any],
    start: datetime.datetime | None,
    complete: datetime.datetime | None,
) -> FrozenTrial:
    """The :class:`FrozenTrial` of row ``row`` of ``cv_results_``.

    ``objective`` is the column the search maximized
    (``"mean_test_score"``, or ``"mean_test_<refit>"``).
    """
    score = float(results[objective][row])
    failed = math.isnan(score)
    user_attrs = {
        key: _plain(values[row])
        for key, values in results.items()
        if key.startswith(("split", "mean_", "std_"))
    }
    metric = objective.removeprefix("mean_test_")
    split_scores = [
        user_attrs[key]
        for key in user_attrs
        if key.startswith("split") and key.endswith(f"_test_{metric}")
    ]
    params = in_given_order(results["params"][row], distributions)
    return FrozenTrial(
        number=row,
        state=TrialState.FAIL if failed else TrialState.COMPLETE,
        value=None if failed else score,
        datetime_start=start,
        datetime_complete=complete,
        params=params,
        distributions={k: distributions[k] for k in params if k in distributions},
        user_attrs=user_attrs,
        system_attrs={CV_SCORES_KEY: split_scores} if len(split_scores) > 1 else {},
    )


def in_given_order(params: dict[str, Any], distributions: Any) -> dict[str, Any]:
    """``params`` with the keys of ``distributions`` first, in its order (the
    order Optuna's trials suggest them in; skhyper's candidates list them by
    name)."""
    spaces = [distributions] if isinstance(distributions, Mapping) else distributions
    names = [n for space in spaces if isinstance(space, Mapping) for n in space]
    order = [name for name in dict.fromkeys(names) if name in params]
    rest = [name for name in params if name not in order]
    return {name: params[name] for name in [*order, *rest]}


def _plain(value: Any) -> Any:
    """A float for numbers (numpy scalars included), the value otherwise."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


class SearchStudy:
    """The trials of a skhyper search, read as an Optuna ``Study``.

    What ``OptunaSearchCV.study_`` is, and what Optuna-style callbacks get
    as their first argument: ``trials``, ``best_trial``, ``best_value``,
    ``best_params``, ``direction``, ``user_attrs`` and ``set_user_attr``,
    ``get_trials``, ``trials_dataframe`` and ``stop`` (from a callback)
    behave as Optuna's. It is not an ``optuna.Study``: it runs nothing,
    has no storage or sampler, and functions that need a real study
    (``optuna.visualization``, ``study.optimize``) do not take it;
    ``search.cv_results_`` holds every number.

    Parameters
    ----------
    study_name : str, default="skhyper"
        The name callbacks such as loggers read.
    """

    def __init__(self, study_name: str = "skhyper") -> None:
        self.study_name = study_name
        self.user_attrs: dict[str, Any] = {}
        self.system_attrs: dict[str, Any] = {}
        self.metric_names: list[str] | None = None
        self._trials: list[FrozenTrial] = []
        self._running = False
        self._stop_requested = False

    def __repr__(self) -> str:
        return (
            f"SearchStudy(study_name={self.study_name!r}, n_trials={len(self._trials)})"
        )

    @property
    def direction(self) -> StudyDirection:
        """Always ``StudyDirection.MAXIMIZE``."""
        return StudyDirection.MAXIMIZE

    @property
    def directions(self) -> list[StudyDirection]:
        """``[direction]``: a skhyper search maximizes one score."""
        return [self.direction]

    @property
    def trials(self) -> list[FrozenTrial]:
        """Every trial, in order (copies, as Optuna gives them)."""
        return self.get_trials(deepcopy=True)

    def get_trials(
        self, deepcopy: bool = True, states: Container[TrialState] | None = None
    ) -> list[FrozenTrial]:
        """The trials, those in ``states`` only if given.

        Parameters
        ----------
        deepcopy : bool, default=True
            Copy each trial (its dicts), so that changing one leaves the
            study unchanged.
        states : container of TrialState, default=None
            Keep the trials in these states; ``optuna.trial.TrialState``
            members work as well.

        Returns
        -------
        list of FrozenTrial
        """
        trials = [t for t in self._trials if states is None or t.state in states]
        return [t.copy() for t in trials] if deepcopy else trials

    @property
    def best_trial(self) -> FrozenTrial:
        """The complete trial with the greatest value (the first of ties).

        Raises ``ValueError`` while no trial is complete, as Optuna does.
        """
        complete = [t for t in self._trials if t.state == TrialState.COMPLETE]
        if not complete:
            raise ValueError("No trials are completed yet.")
        best = max(complete, key=lambda t: float(t.value))  # type: ignore[arg-type]
        return best.copy()

    @property
    def best_value(self) -> float:
        """The value of :attr:`best_trial`."""
        value = self.best_trial.value
        assert value is not None  # a complete trial has one
        return value

    @property
    def best_params(self) -> dict[str, Any]:
        """The parameters of :attr:`best_trial`."""
        return self.best_trial.params

    @property
    def best_trials(self) -> list[FrozenTrial]:
        """``[best_trial]``: with one objective, the Pareto front is the best."""
        return [self.best_trial]

    def set_user_attr(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key`` in :attr:`user_attrs`."""
        self.user_attrs[key] = value

    def stop(self) -> None:
        """From a callback: start no new candidate (those evaluated are kept,
        the best is refitted as usual)."""
        if not self._running:
            raise RuntimeError(
                "stop() is meant to be called from a callback, while the search runs."
            )
        self._stop_requested = True

    def trials_dataframe(
        self, attrs: Iterable[str] = DATAFRAME_ATTRS, multi_index: bool = False
    ) -> Any:
        """The trials as a ``pandas.DataFrame``, one row each, as Optuna gives it.

        Columns are named as in Optuna: ``number``, ``value``,
        ``datetime_start``, ``datetime_complete``, ``duration``,
        ``params_<name>``, ``user_attrs_<name>``, ``system_attrs_<name>`` and
        ``state`` (the state's name). Needs pandas.

        Parameters
        ----------
        attrs : iterable of str, default=DATAFRAME_ATTRS
            The :class:`FrozenTrial` fields to show; dict fields give a
            column per key (sorted), ``values`` one per objective.
        multi_index : bool, default=False
            ``True`` gives two-level column names such as
            ``("params", "C")`` instead of ``params_C``.

        Returns
        -------
        pandas.DataFrame
        """
        return trials_dataframe(self._trials, tuple(attrs), multi_index)

    def _set_trials(self, trials: list[FrozenTrial]) -> None:
        self._trials = trials

    def _append(self, trial: FrozenTrial) -> None:
        self._trials.append(trial)


def trials_dataframe(
    trials: list[FrozenTrial], attrs: tuple[str, ...], multi_index: bool
) -> Any:
    """Optuna's table of ``trials``, with Optuna's column names."""
    try:
        pd: Any = importlib.import_module("pandas")
    except ImportError as exc:
        raise ImportError(
            "trials_dataframe() needs pandas (pip install pandas). Without it, "
            "search.cv_results_ holds the same numbers, one list per column."
        ) from exc
    if not trials:
        return pd.DataFrame()
    records: list[dict[tuple[str, Any], Any]] = []
    columns: dict[str, set[tuple[str, Any]]] = {attr: set() for attr in attrs}
    for trial in trials:
        record: dict[tuple[str, Any], Any] = {}
        for attr in attrs:
            name = attr.removeprefix("_")
            for column, value in _cells(trial, attr, name):
                record[column] = value
                columns[attr].add(column)
        records.append(record)
    ordered = [c for attr in attrs for c in sorted(columns[attr], key=_column_order)]
    if multi_index:
        return pd.DataFrame(records, columns=pd.MultiIndex.from_tuples(ordered))
    table = pd.DataFrame(records, columns=pd.MultiIndex.from_tuples(ordered))
    table.columns = ["_".join(str(p) for p in column if p != "") for column in ordered]
    return table


def _cells(
    trial: FrozenTrial, attr: str, name: str
) -> list[tuple[tuple[str, Any], Any]]:
    """The (column, value) pairs one field of one trial gives."""
    value = getattr(trial, attr)
    if isinstance(value, TrialState):
        return [((name, ""), value.name)]
    if isinstance(value, dict):
        return [((name, key), item) for key, item in value.items()]
    if attr == "values":
        return [((name, i), v) for i, v in enumerate(value or [None])]
    if isinstance(value, list):
        return [((name, i), v) for i, v in enumerate(value)]
    return [((name, ""), value)]


def _column_order(column: tuple[str, Any]) -> tuple[int, int, str]:
    # The keys of one field are all strings (dicts) or all indices (lists):
    # sorted by value, as Optuna sorts them.
    key = column[1]
    return (0, key, "") if isinstance(key, int) else (1, 0, str(key))


#: The signature Optuna's callbacks have: (study, frozen_trial) -> None.
OptunaCallback = Callable[[SearchStudy, FrozenTrial], Any]
