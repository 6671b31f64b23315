"""The successive-halving schedule attributes scikit-learn's halving
searches fit, compared between two fitted searches."""

from __future__ import annotations

from typing import Any

#: Fitted attributes that describe the schedule; with the same data, space
#: and keywords they must match scikit-learn's.
SCHEDULE_ATTRIBUTES = (
    "n_resources_",
    "n_candidates_",
    "n_iterations_",
    "n_possible_iterations_",
    "n_required_iterations_",
    "min_resources_",
    "max_resources_",
    "n_remaining_candidates_",
)


def assert_same_schedule(ours: Any, theirs: Any, *extra: str) -> None:
    """``ours`` and ``theirs`` have equal schedule attributes (and ``extra``)."""
    for name in (*SCHEDULE_ATTRIBUTES, *extra):
        assert getattr(ours, name) == getattr(theirs, name), name
