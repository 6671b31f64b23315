"""The ask/tell protocol shared by every candidate generator."""

from __future__ import annotations

import contextlib
import contextvars
import math
import numbers
import warnings
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar, TypeVar

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state

from skhyper.space import GridIndex, SearchSpace, parse_search_space, to_python_scalar

_Generator = TypeVar("_Generator", bound="BaseGenerator")

__all__ = ["BaseGenerator", "scores_reported_by_the_search"]

# How many times ask() calls _propose again when it returned only duplicates.
_MAX_PROPOSE_ROUNDS = 20
# Finite spaces up to this size are completed by enumeration when a
# generator stops finding new candidates.
_MAX_ENUMERATED = 10**6

_SEARCH_REPORTS_SCORES: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "skhyper_search_reports_scores", default=False
)


@contextlib.contextmanager
def scores_reported_by_the_search() -> Iterator[None]:
    """Within this context generators do not warn about the scores they are
    told (NaN, infinite): the search running them reports non-finite scores
    itself, in scikit-learn's words, once."""
    token = _SEARCH_REPORTS_SCORES.set(True)
    try:
        yield
    finally:
        _SEARCH_REPORTS_SCORES.reset(token)


class BaseGenerator(BaseEstimator):
    """Base class of candidate generators: ``start``, then ``ask`` and ``tell``.

    A generator is a configuration object: ``__init__`` stores parameters
    only, so ``clone``, ``get_params`` and ``set_params`` work. :meth:`start`
    creates the state, which lives in attributes ending in ``_``.

    Subclasses implement :meth:`_propose`, and may override :meth:`_start`,
    :meth:`_observe` and :meth:`_is_exhausted`.

    Attributes
    ----------
    space_ : SearchSpace
        The parsed search space.
    candidates_ : list of dict
        Every candidate told so far, in order.
    scores_ : ndarray of shape (n_told,)
        Their scores (NaN for a failed fit).
    n_asked_ : int
        Number of candidates handed out by :meth:`ask`.
    """

    #: Whether proposals depend on the told scores. Generators that do not
    #: can be asked for a whole search at once.
    uses_scores: ClassVar[bool] = False
    #: Whether ask() skips candidates that were already asked.
    deduplicate: ClassVar[bool] = True

    def start(
        self: _Generator,
        space: SearchSpace | dict | list,
        *,
        random_state: Any = None,
        initial_points: Sequence[dict[str, Any]] | None = None,
    ) -> _Generator:
        """Create a fresh state for a search over ``space``.

        Parameters
        ----------
        space : SearchSpace, dict or list of dicts
            The search space (parsed with :func:`~skhyper.space.parse_search_space`
            if needed).
        random_state : int, RandomState instance or None
            Seed of every random choice; the same seed gives the same sequence.
        initial_points : list of dict, optional
            Candidates handed out by :meth:`ask` before any proposal of the
            generator (a manual search). Each must lie in the space.

        Returns
        -------
        self
        """
        self.space_ = parse_search_space(space)
        self.random_state_ = check_random_state(random_state)
        self.candidates_: list[dict[str, Any]] = []
        self.scores_ = np.empty(0)
        self.n_asked_ = 0
        self._asked_keys: set[tuple] = set()
        self._warned: set[str] = set()
        self._queue: list[tuple[int, dict[str, Any]]] = []
        queued: dict[tuple, int] = {}
        for position, point in enumerate(initial_points or []):
            if not isinstance(point, dict):
                raise TypeError(f"initial_points must be dicts, got {point!r}.")
            point = {name: to_python_scalar(value) for name, value in point.items()}
            index = self.space_.locate(point)
            key = self.space_.key(point, index)
            if key in queued:
                warnings.warn(
                    f"initial_points[{position}] repeats initial_points"
                    f"[{queued[key]}] ({point!r}); it is evaluated once.",
                    UserWarning,
                    stacklevel=2,
                )
                continue
            queued[key] = position
            self._queue.append((index, point))
        self._initial_keys = set(queued)
        self._start()
        return self

    def ask(self, n: int = 1) -> list[dict[str, Any]]:
        """Return ``n`` new candidates (fewer only when the space is exhausted).

        Parameters
        ----------
        n : int, default=1

        Returns
        -------
        list of dict
            Parameter settings, with Python scalars as values.
        """
        self._check_started()
        if not isinstance(n, numbers.Integral) or n < 1:
            raise ValueError(f"ask(n) needs a positive integer n, got {n!r}.")
        out: list[dict[str, Any]] = []
        while self._queue and len(out) < n:
            index, point = self._queue.pop(0)
            self._asked_keys.add(self.space_.key(point, index))
            out.append(point)
        rounds = 0
        while len(out) < n and rounds < _MAX_PROPOSE_ROUNDS and not self.exhausted:
            proposals = self._propose(n - len(out))
            if not proposals:
                break
            # A generator that may repeat itself (a grid of repeated choices)
            # still skips what the initial points already evaluate.
            seen = self._asked_keys if self.deduplicate else self._initial_keys
            for index, candidate in proposals:
                if self.deduplicate or seen:
                    key = self.space_.key(candidate, index)
                    if key in seen:
                        continue
                    if self.deduplicate:
                        self._asked_keys.add(key)
                out.append(candidate)
            rounds += 1
        if len(out) < n and self.deduplicate and not self.exhausted:
            # A model that keeps proposing what it has seen must not end a
            # finite search early: the rest of the space, in random order.
            out += self._unasked_candidates(n - len(out))
        self.n_asked_ += len(out)
        return out

    def _unasked_candidates(self, n: int) -> list[dict[str, Any]]:
        """Up to ``n`` candidates of a finite space never asked, drawn at random."""
        if not self.space_.is_finite or self.space_.size > _MAX_ENUMERATED:
            return []
        index = GridIndex(self.space_, n_points=None)
        out = []
        for position in self.random_state_.permutation(len(index)):
            subspace, candidate = index[int(position)]
            key = self.space_.key(candidate, subspace)
            if key in self._asked_keys:
                continue
            self._asked_keys.add(key)
            out.append(candidate)
            if len(out) == n:
                break
        return out

    def tell(
        self,
        candidates: Sequence[dict[str, Any]],
        scores: Sequence[float] | np.ndarray,
    ) -> None:
        """Record the scores (greater is better) of evaluated candidates.

        NaN marks a failed evaluation; it is kept, and models impute it.
        Candidates need not come from :meth:`ask` (a warm start or a resumed
        search): a deduplicating generator never proposes a told candidate,
        and drops it from the queued ``initial_points``.

        Parameters
        ----------
        candidates : list of dict
        scores : array-like of shape (len(candidates),)
        """
        self._check_started()
        values = np.asarray(scores, dtype=float).reshape(-1)
        if len(candidates) != len(values):
            raise ValueError(
                f"tell() got {len(candidates)} candidates and {len(values)} scores."
            )
        if self.uses_scores and np.isinf(values).any():
            self._warn_once(
                f"{type(self).__name__} was told infinite scores; models clip "
                "them to the finite range seen."
            )
        if self.deduplicate:
            self._mark_known(candidates)
        self.candidates_.extend(dict(c) for c in candidates)
        self.scores_ = np.concatenate([self.scores_, values])
        self._observe(list(candidates), values)

    def _mark_known(self, candidates: Sequence[dict[str, Any]]) -> None:
        known = set()
        for candidate in candidates:
            try:
                known.add(self.space_.key(candidate))
            except ValueError:  # outside the space: never proposed anyway
                continue
        self._asked_keys |= known
        if self._queue and known:
            self._queue = [
                (index, point)
                for index, point in self._queue
                if self.space_.key(point, index) not in known
            ]

    @property
    def exhausted(self) -> bool:
        """True when no new candidate can be proposed."""
        self._check_started()
        if self._queue:
            return False
        if self.deduplicate and len(self._asked_keys) >= self.space_.size:
            return True
        return self._is_exhausted()

    @property
    def n_remaining(self) -> float:
        """Upper bound on how many more candidates :meth:`ask` can return."""
        self._check_started()
        remaining = self._n_remaining()
        if self.deduplicate:
            remaining = min(remaining, self.space_.size - len(self._asked_keys))
        return len(self._queue) + max(remaining, 0)

    def _warn_once(self, message: str) -> None:
        """A RuntimeWarning about told scores, given at most once between two
        :meth:`start` calls (a search tells every batch), and not at all
        inside a search, which reports non-finite scores itself."""
        if _SEARCH_REPORTS_SCORES.get():
            return
        if message not in self._warned:
            self._warned.add(message)
            warnings.warn(message, RuntimeWarning, stacklevel=3)

    # -- hooks for subclasses -------------------------------------------------
    def _start(self) -> None:
        """Create the subclass's state after ``space_`` and ``random_state_``."""

    def _propose(self, n: int) -> list[tuple[int, dict[str, Any]]]:
        """Return up to ``n`` (sub-space index, candidate) pairs."""
        raise NotImplementedError

    def _observe(self, candidates: list[dict[str, Any]], scores: np.ndarray) -> None:
        """React to told scores (adaptive generators)."""

    def _is_exhausted(self) -> bool:
        return False

    def _n_remaining(self) -> float:
        return math.inf

    def _check_started(self) -> None:
        if not hasattr(self, "space_"):
            raise RuntimeError(
                f"{type(self).__name__} has not been started: call "
                "start(space, random_state=...) before ask() and tell()."
            )
