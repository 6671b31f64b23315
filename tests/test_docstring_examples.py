"""The examples in the docstrings are the first code users paste: each runs
here as a doctest, with the test suite's fixtures (one BLAS thread)."""

from __future__ import annotations

import doctest
import importlib
import io
import pkgutil
import sys

import pytest

import skhyper


def docstring_examples() -> list[doctest.DocTest]:
    finder = doctest.DocTestFinder()
    found = []
    for info in pkgutil.walk_packages(skhyper.__path__, "skhyper."):
        module = importlib.import_module(info.name)
        # Objects defined in the module only: no example runs twice.
        found += [test for test in finder.find(module) if test.examples]
    return sorted(found, key=lambda test: test.name)


EXAMPLES = docstring_examples()


def test_the_public_api_has_examples():
    names = {test.name.rsplit(".", 1)[-1] for test in EXAMPLES}
    assert {"HyperSearchCV", "BayesSearchCV", "RandomSearchCV", "minimize"} <= names
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda test: test.name)
def test_docstring_example(example):
    if any("matplotlib" in e.source for e in example.examples):
        pytest.importorskip("matplotlib")
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    report = io.StringIO()
    try:
        result = runner.run(example, out=report.write, clear_globs=True)
    finally:
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")
    assert result.failed == 0, report.getvalue()
