"""Fingerprints of what a search's results depend on.

A checkpoint records them; resuming compares them, so results of another
search space, estimator, data, folds or scoring are never mixed in. Each
fingerprint is a digest (compared) and a short description (shown when the
digests differ).
"""

from __future__ import annotations

import hashlib
import re
import types
from collections.abc import Mapping
from typing import Any

import joblib
import numpy as np

from skhyper.space import Dimension, SearchSpace
from skhyper.utils._sklearn_compat import cv_splits, fit_inputs

__all__ = ["WHAT", "check_fingerprints", "search_fingerprints"]

#: What each fingerprint covers, as error messages name it.
WHAT = {
    "space": "search space",
    "estimator": "estimator",
    "data": "data (X, y and the fit parameters)",
    "cv": "cross-validation folds",
    "scoring": "scoring (scoring, error_score and return_train_score)",
}

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_DESCRIPTION_CHARS = 300


def canonical(value: Any) -> Any:
    """A structure of strings and tuples equal for equal configurations in
    any process (no memory addresses, no pickled random state)."""
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes)):
        return repr(value)
    if isinstance(value, np.generic):
        return repr(value.item())
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(canonical(v) for v in value))
    if isinstance(value, Mapping):
        items = sorted(
            ((canonical(k), canonical(v)) for k, v in value.items()), key=repr
        )
        return ("mapping", tuple(items))
    if isinstance(value, SearchSpace):
        return ("SearchSpace", tuple(canonical(s.dimensions) for s in value))
    if isinstance(value, Dimension):
        return (type(value).__name__, canonical(vars(value)))
    if isinstance(value, type):
        return ("type", _qualname(value))
    if hasattr(value, "get_params"):
        return (_qualname(type(value)), canonical(value.get_params(deep=False)))
    if all(hasattr(value, a) for a in ("dist", "args", "kwds", "ppf")):
        # A frozen scipy.stats distribution; its random_state is not used.
        name = getattr(value.dist, "name", _qualname(type(value.dist)))
        return ("distribution", name, canonical(value.args), canonical(value.kwds))
    if isinstance(value, types.FunctionType):
        return ("function", value.__module__, value.__qualname__, _code(value.__code__))
    try:
        return ("joblib", joblib.hash(value))
    except Exception:
        return ("repr", _ADDRESS.sub("", repr(value)))


def _qualname(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _code(code: types.CodeType) -> tuple:
    consts = tuple(
        _code(c) if isinstance(c, types.CodeType) else canonical(c)
        for c in code.co_consts
    )
    return (code.co_code.hex(), code.co_names, consts)


def digest(value: Any) -> str:
    """A hex digest of ``canonical(value)``."""
    return hashlib.sha256(repr(canonical(value)).encode()).hexdigest()


def _describe(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > _DESCRIPTION_CHARS:
        return text[: _DESCRIPTION_CHARS - 3] + "..."
    return text


def _shape(a: Any) -> str:
    if a is None:
        return "None"
    shape = getattr(a, "shape", None)
    if shape is None:
        shape = (len(a),) if hasattr(a, "__len__") else "?"
    return f"{type(a).__name__} of shape {tuple(shape)}"


def search_fingerprints(search: Any, space: SearchSpace) -> dict[str, dict[str, str]]:
    """Fingerprints of a running search (inside its ``fit``).

    Returns
    -------
    dict
        For each key of :data:`WHAT`, ``{"digest": ..., "description": ...}``.
    """
    X, y, params = fit_inputs()
    splits = cv_splits(search)
    evaluation = {
        "scoring": search.scoring,
        "error_score": search.error_score,
        "return_train_score": search.return_train_score,
    }
    return {
        "space": {"digest": digest(space), "description": _describe(repr(space))},
        "estimator": {
            "digest": digest(search.estimator),
            "description": _describe(repr(search.estimator)),
        },
        "data": {
            "digest": digest((X, y, params)),
            "description": _describe(
                f"X: {_shape(X)}, y: {_shape(y)}, fit parameters: "
                f"{sorted(params) or 'none'}"
            ),
        },
        "cv": {
            "digest": digest([(np.asarray(tr), np.asarray(te)) for tr, te in splits]),
            "description": _describe(f"{len(splits)} folds from cv={search.cv!r}"),
        },
        "scoring": {
            "digest": digest(evaluation),
            "description": _describe(
                ", ".join(f"{k}={v!r}" for k, v in evaluation.items())
            ),
        },
    }


def check_fingerprints(
    recorded: Mapping[str, Mapping[str, str]],
    current: Mapping[str, Mapping[str, str]],
    path: str,
) -> None:
    """Raise ``ValueError`` naming every fingerprint that differs."""
    differences = []
    for name, now in current.items():
        then = recorded.get(name)
        if then is None or then.get("digest") != now["digest"]:
            was = "not recorded" if then is None else then.get("description")
            differences.append(
                f"- {WHAT.get(name, name)}: recorded {was}; now {now['description']}"
            )
    if differences:
        raise ValueError(
            f"The checkpoint {path!r} was recorded by a different search, so its "
            "results are not reused. What differs:\n"
            + "\n".join(differences)
            + "\nResume with the same search space, estimator, data, folds and "
            "scoring, or pass a new checkpoint path (or delete the file) to "
            "start afresh."
        )
