"""Skip markers for tests that need a newer joblib than the one installed.

skhyper requires joblib >= 1.4 (setup.cfg); the asynchronous mode still
checks the version it runs on, with a clear error, so its tests skip rather
than fail where an older joblib was forced in.
"""

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
