"""Skip markers for tests that need a newer joblib than skhyper requires."""

from __future__ import annotations

import pytest

from skhyper.search._async import _joblib_version

#: The asynchronous mode needs ``Parallel(return_as="generator_unordered")``
#: (joblib >= 1.4); with an older joblib, ``asynchronous=True`` raises a clear
#: error (tested) and ``"auto"`` keeps batches.
needs_unordered_results = pytest.mark.skipif(
    _joblib_version() < (1, 4),
    reason="the asynchronous mode needs joblib >= 1.4",
)
