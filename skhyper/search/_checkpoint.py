"""The checkpoint of one ``fit``: what it recorded, and recording more.

A checkpoint knows the search space, the fingerprints of what the results
depend on and the file; it knows nothing of the search loop. The loop records
finished candidates with :meth:`Checkpoint.record`; ``_replay`` puts the
recorded ones back into a resumed search.

What is stored is plain data (see :mod:`skhyper.search._checkpoint_file`):

- a candidate is the index of its sub-space and, for each parameter, the
  position of its choice for a categorical dimension, nothing for a fixed
  value, and the number itself for a numeric dimension. Objects among the
  choices (estimators, callables) are never stored: they come back as the
  very objects of the current search space, which the fingerprints check is
  the recorded one;
- scikit-learn's raw result of each fit (scores, times, the error text) and
  the extra ``cv_results_`` columns, as numbers, strings and None.

Decoding validates every record against the space (indices in range, numbers
within their dimension), so a crafted file cannot pass off values the search
would not propose.
"""

from __future__ import annotations

import numbers
import os
import warnings
from dataclasses import dataclass
from typing import Any

import sklearn

from skhyper.search._checkpoint_file import CheckpointFile, to_plain_data
from skhyper.search._fingerprint import check_fingerprints, search_fingerprints
from skhyper.space import Categorical, Fixed, SearchSpace, to_python_scalar

__all__ = ["Checkpoint", "RecordedBatch"]

FORMAT_VERSION = 2


@dataclass
class RecordedBatch:
    """Candidates recorded together, with their results.

    Attributes
    ----------
    candidates : list of dict
        The candidates, as the search space gives them.
    out : list of dict
        scikit-learn's raw result of every fit, ``n_splits`` per candidate in
        candidate order (what ``_fit_and_score`` returns).
    more_results : dict of list
        Extra ``cv_results_`` columns (such as ``iteration``), one value per
        candidate.
    """

    candidates: list[dict[str, Any]]
    out: list[dict]
    more_results: dict[str, list]


class Checkpoint:
    """The checkpoint of one ``fit``.

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

    Attributes
    ----------
    batches : list of RecordedBatch
        What the file held when opened, in recording order.
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
                self.batches = [
                    self._decode(payload, number)
                    for number, payload in enumerate(contents.batches, start=1)
                ]
            else:
                self.batches = []
            self._file.begin(
                {
                    "format": FORMAT_VERSION,
                    "sklearn_version": sklearn.__version__,
                    "search": type(search).__name__,
                    "fingerprints": fingerprints,
                }
            )
        except BaseException:
            self.close()
            raise
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

    def record(
        self, candidates: list[dict], out: list[dict], more_results: dict[str, list]
    ) -> None:
        """Append finished candidates; they are on disk when this returns.

        Parameters
        ----------
        candidates : list of dict
            One or more candidates of the search space.
        out : list of dict
            scikit-learn's raw fit results of these candidates, ``n_splits``
            per candidate in candidate order.
        more_results : dict of list
            Extra ``cv_results_`` columns, one value per candidate.
        """
        if not candidates:
            return
        self._file.append(
            {
                "candidates": [self._encode(c) for c in candidates],
                "out": list(out),
                "more_results": {k: list(v) for k, v in more_results.items()},
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

    def _check_header(self, header: Any, fingerprints: dict) -> None:
        if not isinstance(header, dict) or header.get("format") != FORMAT_VERSION:
            found = header.get("format") if isinstance(header, dict) else None
            raise ValueError(
                f"The checkpoint {self.path!r} has format {found!r}; this skhyper "
                f"reads format {FORMAT_VERSION}. It is left as it is."
            )
        recorded = header.get("fingerprints")
        if not isinstance(recorded, dict) or not all(
            isinstance(v, dict) for v in recorded.values()
        ):
            raise self._malformed("its header", "fingerprints are not a mapping")
        check_fingerprints(recorded, fingerprints, self.path)
        version = header.get("sklearn_version")
        if version != sklearn.__version__:
            warnings.warn(
                f"The checkpoint {self.path!r} was recorded with scikit-learn "
                f"{version}; this is {sklearn.__version__}. Its results are "
                "reused as they are.",
                UserWarning,
                stacklevel=4,
            )

    # -- candidates as plain data ---------------------------------------------
    def _encode(self, candidate: dict[str, Any]) -> list:
        index = self.space.locate(candidate)
        dimensions = self.space[index].dimensions
        coded = []
        for name, value in candidate.items():
            dimension = dimensions[name]
            if isinstance(dimension, Categorical):
                value = dimension.index(value)
            elif isinstance(dimension, Fixed):
                value = None
            else:
                value = to_plain_data(to_python_scalar(value), f"parameter {name!r}")
            coded.append([name, value])
        return [index, coded]

    def _decode_candidate(self, coded: Any) -> dict[str, Any]:
        if not (isinstance(coded, list) and len(coded) == 2):
            raise TypeError("a candidate is not [subspace, parameters]")
        index, pairs = coded
        if not _is_int(index) or not 0 <= index < len(self.space):
            raise TypeError(f"sub-space index {index!r} is out of range")
        subspace = self.space[index]
        if not isinstance(pairs, list) or not all(
            isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) for p in pairs
        ):
            raise TypeError("parameters are not [name, value] pairs")
        names = [name for name, _ in pairs]
        if sorted(names) != sorted(subspace.dimensions):
            raise TypeError(f"parameters {names} are not those of the space")
        candidate = {}
        for name, value in pairs:
            dimension = subspace.dimensions[name]
            if isinstance(dimension, Categorical):
                if not _is_int(value) or not 0 <= value < len(dimension.choices):
                    raise TypeError(f"{name!r}: choice {value!r} is out of range")
                # The very object of the current space, not a copy.
                value = to_python_scalar(dimension.choices[value])
            elif isinstance(dimension, Fixed):
                value = subspace.fixed[name]
            elif not (
                isinstance(value, numbers.Real)
                and not isinstance(value, bool)
                and dimension.contains(value)
            ):
                raise TypeError(f"{name!r}: {value!r} is not in {dimension!r}")
            candidate[name] = value
        return candidate

    def _decode(self, payload: dict, number: int) -> RecordedBatch:
        where = f"record {number}"
        try:
            candidates = [self._decode_candidate(c) for c in payload["candidates"]]
            out, more_results = payload["out"], payload["more_results"]
            n_splits = len(out) // max(len(candidates), 1)
            if not candidates or len(out) != n_splits * len(candidates):
                raise TypeError("the number of fit results does not match")
            for result in out:
                _check_fit_result(result)
            if not isinstance(more_results, dict) or any(
                not isinstance(v, list) or len(v) != len(candidates)
                for v in more_results.values()
            ):
                raise TypeError("more_results are not one value per candidate")
        except (KeyError, TypeError) as exc:
            raise self._malformed(where, str(exc)) from None
        return RecordedBatch(candidates, out, more_results)

    def _malformed(self, where: str, what: str) -> ValueError:
        return ValueError(
            f"The checkpoint {self.path!r} holds a record that this search space "
            f"cannot have produced: {where}: {what}. It was not written by this "
            "search (or was edited). It is left as it is and not used; pass a "
            "new checkpoint path to start afresh."
        )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_score(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_score(v) for k, v in value.items())
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_fit_result(result: Any) -> None:
    """A fit result as scikit-learn's ``_fit_and_score`` returns it."""
    if not isinstance(result, dict):
        raise TypeError("a fit result is not a mapping")
    if not (result.get("fit_error") is None or isinstance(result["fit_error"], str)):
        raise TypeError("fit_error is not a string or null")
    for key in ("test_scores", "train_scores"):
        if key in result and not _is_score(result[key]):
            raise TypeError(f"{key} is not a number or a mapping of numbers")
    if "test_scores" not in result:
        raise TypeError("a fit result has no test_scores")
    for key in ("fit_time", "score_time", "n_test_samples"):
        if key in result and not _is_score(result[key]):
            raise TypeError(f"{key} is not a number")
