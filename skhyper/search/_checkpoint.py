"""Checkpoint and resume: record each finished batch, replay them on resume."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import sklearn

from skhyper.generators import BaseGenerator
from skhyper.search._checkpoint_file import CheckpointFile
from skhyper.search._fingerprint import check_fingerprints, search_fingerprints
from skhyper.search._loop import objective_key
from skhyper.search._state import SearchState
from skhyper.space import Categorical, Fixed, SearchSpace, to_python_scalar
from skhyper.utils._sklearn_compat import EvaluatedSoFar, FailureLog, user_verbosity

__all__ = ["Checkpoint"]

FORMAT_VERSION = 1


@dataclass
class RecordedBatch:
    """One finished batch as a checkpoint holds it."""

    candidates: list[dict[str, Any]]
    out: list[dict]
    more_results: dict[str, list]


class Checkpoint:
    """The checkpoint of one ``fit``: replays what it holds, records new batches.

    Opening checks that the file was recorded by the same search (fingerprints
    of the space, estimator, data, folds and scoring) and locks it; use it as
    a context manager so it is closed and unlocked.

    Parameters
    ----------
    path : str or path-like
    search : BaseHyperSearchCV
        The search, inside its ``fit``.
    space : SearchSpace
        Its parsed search space.
    """

    def __init__(self, path: str | os.PathLike, search: Any, space: SearchSpace):
        self.path = os.fspath(path)
        self.space = space
        self._file = CheckpointFile(path)
        try:
            fingerprints = search_fingerprints(search, space)
            contents = self._file.contents
            if contents.batches:
                self._check_header(contents.header or {}, fingerprints)
            self._file.begin(
                {
                    "format": FORMAT_VERSION,
                    "sklearn_version": sklearn.__version__,
                    "search": type(search).__name__,
                    "fingerprints": fingerprints,
                }
            )
            self.batches = [self._decode(b) for b in self._file.contents.batches]
        except BaseException:
            self.close()
            raise
        self._evaluated: EvaluatedSoFar | None = None
        self._n_new = 0

    def __enter__(self) -> Checkpoint:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def close(self) -> None:
        self._file.close()

    @property
    def n_recorded(self) -> int:
        """Candidates on disk: replayed plus recorded by this fit."""
        return sum(len(b.candidates) for b in self.batches) + self._n_new

    def _check_header(self, header: dict, fingerprints: dict) -> None:
        if header.get("format") != FORMAT_VERSION:
            raise ValueError(
                f"The checkpoint {self.path!r} has format {header.get('format')!r}; "
                f"this skhyper reads format {FORMAT_VERSION}."
            )
        check_fingerprints(header.get("fingerprints", {}), fingerprints, self.path)
        recorded = header.get("sklearn_version")
        if recorded != sklearn.__version__:
            warnings.warn(
                f"The checkpoint {self.path!r} was recorded with scikit-learn "
                f"{recorded}; this is {sklearn.__version__}. Its results are "
                "reused as they are.",
                UserWarning,
                stacklevel=4,
            )

    # -- candidates on disk: categorical choices by position ------------------
    def _encode(self, candidate: dict[str, Any]) -> tuple[int, list]:
        index = self.space.locate(candidate)
        dimensions = self.space[index].dimensions
        coded = []
        for name, value in candidate.items():
            dimension = dimensions[name]
            if isinstance(dimension, Categorical):
                value = dimension.index(value)
            elif isinstance(dimension, Fixed):
                value = None
            coded.append((name, value))
        return index, coded

    def _decode_candidate(self, index: int, coded: list) -> dict[str, Any]:
        # Objects among the choices (estimators, callables) come back as the
        # very objects of the current space, not as unpickled copies.
        subspace = self.space[index]
        candidate = {}
        for name, value in coded:
            dimension = subspace.dimensions[name]
            if isinstance(dimension, Categorical):
                value = to_python_scalar(dimension.choices[value])
            elif isinstance(dimension, Fixed):
                value = subspace.fixed[name]
            candidate[name] = value
        return candidate

    def _decode(self, payload: dict) -> RecordedBatch:
        return RecordedBatch(
            candidates=[self._decode_candidate(i, c) for i, c in payload["candidates"]],
            out=payload["out"],
            more_results=payload["more_results"],
        )

    # -- resume and record ----------------------------------------------------
    def resume(
        self,
        evaluate_candidates: Callable[..., Any],
        search: Any,
        generator: BaseGenerator,
        state: SearchState,
        failures: FailureLog,
        n_splits: int,
        restart_generator: Callable[[], None],
    ) -> None:
        """Put the recorded batches where a search keeps its results.

        scikit-learn's accumulated results (so ``cv_results_``, ``best_index_``
        and the refit see them), the failure log, the search state and the
        generator. The generator is asked again for each recorded batch: as
        long as it proposes the recorded candidates (same generator and seed)
        its state becomes that of the uninterrupted search. From the first
        difference on, it is started afresh and only told the recorded
        candidates. A checkpoint that already holds ``n_iter`` candidates is
        only told.
        """
        self._evaluated = EvaluatedSoFar(evaluate_candidates)
        if not self.batches:
            return
        for batch in self.batches:
            self._evaluated.extend(batch.candidates, batch.out, batch.more_results)
            failures.count(batch.out)
        results = self._evaluated.format(search, n_splits)
        state.objective = objective_key(results, search.refit)
        all_scores = np.asarray(results[state.objective], dtype=float)
        n_total = sum(len(b.candidates) for b in self.batches)
        asking = n_total < state.n_iter
        start = 0
        for i, batch in enumerate(self.batches):
            n = len(batch.candidates)
            scores = all_scores[start : start + n]
            if asking and not self._proposes(generator, batch.candidates):
                asking = False
                restart_generator()
                self._tell_all(generator, self.batches[:i], all_scores)
            generator.tell(batch.candidates, scores)
            state.record_batch(batch.candidates, scores.tolist())
            start += n
        if user_verbosity(search) > 0:
            print(
                f"[{type(search).__name__}] resumed {n_total} candidates in "
                f"{len(self.batches)} iterations from the checkpoint {self.path}",
                flush=True,
            )

    def _proposes(self, generator: BaseGenerator, candidates: list[dict]) -> bool:
        proposals = generator.ask(len(candidates))
        keys = [self.space.key(c) for c in candidates]
        return [self.space.key(p) for p in proposals] == keys

    @staticmethod
    def _tell_all(
        generator: BaseGenerator, batches: list[RecordedBatch], scores: np.ndarray
    ) -> None:
        start = 0
        for batch in batches:
            n = len(batch.candidates)
            generator.tell(batch.candidates, scores[start : start + n])
            start += n

    def record(self, n_candidates: int, n_splits: int) -> None:
        """Append the batch ``evaluate_candidates`` just finished."""
        if self._evaluated is None:
            raise RuntimeError("Checkpoint.resume() must come before record().")
        candidates, out, more_results = self._evaluated.last(n_candidates, n_splits)
        self._file.append(
            {
                "candidates": [self._encode(c) for c in candidates],
                "out": out,
                "more_results": more_results,
            }
        )
        self._n_new += len(candidates)

    def warn_interrupted(self) -> None:
        """Say what an interrupted search kept and how to resume it."""
        warnings.warn(
            "The search was interrupted (KeyboardInterrupt); the batch in flight "
            f"is lost. {self.n_recorded} candidates are recorded in the "
            f"checkpoint {self.path!r}: calling fit again with the same "
            "checkpoint, search space, estimator and data resumes from there. "
            "The best candidate so far is refitted now.",
            UserWarning,
            stacklevel=4,
        )
