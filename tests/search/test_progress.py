"""What a running search reports: verbose lines, its progress bar, and
scikit-learn's own ProgressBar callback."""

import io
import math
import re
import sys
import threading

import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.svm import SVC

from skhyper import (
    BayesSearchCV,
    HyperSearchCV,
    NoImprovement,
    RandomSearchCV,
    Real,
    SearchState,
)
from skhyper.search._progress import (
    ProgressBarDisplay,
    auto_progress_console,
    progress_console,
)
from skhyper.utils._sklearn_compat import HAS_CALLBACKS
from tests._joblib_features import needs_unordered_results
from tests.conftest import FailingClassifier

from .test_dropin import assert_same_results
from .test_stopping import constant_search

BAR = "━"
ENV_KNOBS = ("TTY_INTERACTIVE", "TTY_COMPATIBLE", "FORCE_COLOR", "NO_COLOR")


def plain(text):
    """Text without terminal escape sequences."""
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


def lines_of(text):
    return [line for line in text.splitlines() if line.strip()]


ONE_HEADER = ["Fitting 3 folds for each of 3 candidates, totalling 9 fits"]
PER_BATCH = ["Fitting 3 folds for each of 1 candidates, totalling 3 fits"] * 3


@pytest.mark.parametrize(
    "verbose, fitting_lines, per_fit_lines, scores_shown",
    [
        (0, [], False, False),
        (1, ONE_HEADER, False, False),
        (2, PER_BATCH, True, False),
        (3, PER_BATCH, True, True),
    ],
)
def test_verbose_levels(
    iris, capsys, verbose, fitting_lines, per_fit_lines, scores_shown
):
    """At verbose=1 one "Fitting" line for the search, as GridSearchCV
    prints; from 2, scikit-learn's line heads each batch's per-fit lines."""
    X, y = iris
    search = constant_search(n_iter=3, verbose=verbose, progress_bar=False)
    search.fit(X, y)
    out = lines_of(capsys.readouterr().out)
    ours = [line for line in out if line.startswith("[HyperSearchCV]")]
    fitting = [line for line in out if line.startswith("Fitting ")]
    assert len(ours) == (4 if verbose else 0)
    assert fitting == fitting_lines
    assert any("END" in line for line in out) is per_fit_lines
    assert any("score=" in line for line in out) is scores_shown
    assert search.get_params()["verbose"] == verbose


@needs_unordered_results
@pytest.mark.parametrize("verbose", [1, 2])
def test_an_asynchronous_search_says_what_it_fits_once(iris, capsys, verbose):
    """Its fits run one by one, outside scikit-learn's batches: the search
    prints GridSearchCV's "Fitting" line itself, once."""
    X, y = iris
    BayesSearchCV(
        SVC(), {"C": [0.1, 1.0, 10.0, 100.0]}, n_iter=3, cv=3, verbose=verbose
    ).set_params(asynchronous=True, n_jobs=2, random_state=0).fit(X, y)
    fitting = [line for line in lines_of(capsys.readouterr().out) if "Fitting" in line]
    assert fitting == ["Fitting 3 folds for each of 3 candidates, totalling 9 fits"]


@pytest.mark.parametrize("verbose", [1, 2, 3, 10])
def test_verbose_shows_what_gridsearchcv_shows(iris, capsys, verbose):
    """scikit-learn's lines at the same level, plus skhyper's per iteration."""
    X, y = iris
    grid = {"C": [0.1, 1.0]}
    GridSearchCV(SVC(), grid, cv=3, verbose=verbose).fit(X, y)
    theirs = lines_of(capsys.readouterr().out)
    HyperSearchCV(
        SVC(), grid, generator="grid", cv=3, verbose=verbose, progress_bar=False
    ).fit(X, y)
    ours = lines_of(capsys.readouterr().out)
    skhyper_lines = [line for line in ours if line.startswith("[HyperSearchCV]")]
    assert len(skhyper_lines) == 2  # one iteration, then why it stopped

    def shape(line):  # fit times differ from run to run
        return re.sub(r"[0-9.]+s$", "", line)

    rest = [shape(line) for line in ours if line not in skhyper_lines]
    assert rest == [shape(line) for line in theirs]


@pytest.mark.parametrize(
    "make",
    [
        lambda grid, **kw: HyperSearchCV(
            SVC(), grid, generator="grid", batch_size=1, **kw
        ),
        lambda grid, **kw: RandomSearchCV(SVC(), grid, n_iter=4, batch_size=3, **kw),
        lambda grid, **kw: BayesSearchCV(SVC(), grid, n_iter=4, **kw),
    ],
    ids=["grid-batches-of-1", "random-batches-of-3", "bayes"],
)
def test_verbose_10_numbers_the_candidates_over_the_search_as_gridsearchcv(
    iris, capsys, make
):
    # From verbose=10 scikit-learn tags each fit "[CV fold/folds; k/N]", k
    # counting the N candidates of the search; a search evaluated in batches
    # must not restart the count at every batch ("1/1" every time).
    X, y = iris
    grid = {"C": [0.1, 1.0], "kernel": ["linear", "rbf"]}
    GridSearchCV(SVC(), grid, cv=3, verbose=10).fit(X, y)
    theirs = capsys.readouterr().out
    make(grid, cv=3, verbose=10, random_state=0, progress_bar=False).fit(X, y)
    ours = capsys.readouterr().out

    def tags(out):
        return sorted(re.findall(r"^\[CV [0-9/; ]+\] (?:START|END)", out, re.M))

    assert len(tags(theirs)) == 24
    assert tags(ours) == tags(theirs)


def test_verbose_is_restored_when_fit_raises(iris, capsys):
    X, y = iris
    search = HyperSearchCV(
        FailingClassifier(fail=True),
        {"quality": [0.0, 1.0]},
        generator="grid",
        cv=3,
        verbose=2,
        error_score="raise",
        progress_bar=False,
    )
    with pytest.raises(ArithmeticError):
        search.fit(X, y)
    assert search.verbose == 2
    assert clone(search).get_params()["verbose"] == 2


@pytest.mark.parametrize("progress_bar", ["yes", 1, None])
def test_bad_progress_bar_is_refused(iris, progress_bar):
    X, y = iris
    with pytest.raises(ValueError, match="progress_bar"):
        constant_search(n_iter=2, progress_bar=progress_bar).fit(X, y)


def fake_terminal(monkeypatch):
    """Make stderr look like an interactive terminal to rich and to isatty.

    Call it inside the test: pytest's capture replaces sys.stderr again
    between a fixture's setup and the test's call.
    """
    pytest.importorskip("rich")

    class FakeTerminal(io.StringIO):
        def isatty(self):
            return True

    for name in ENV_KNOBS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "120")
    stderr = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", stderr)
    return stderr


def test_auto_shows_the_bar_in_an_interactive_terminal(monkeypatch):
    fake_terminal(monkeypatch)
    assert auto_progress_console() is not None
    assert progress_console("auto", 0, constant_search()) is not None


@pytest.mark.parametrize(
    "env, verbose",
    [
        ({"TERM": "dumb"}, 0),
        ({"TTY_INTERACTIVE": "0"}, 0),
        ({}, 1),  # verbose lines instead of the bar
    ],
)
def test_auto_stays_quiet(monkeypatch, env, verbose):
    fake_terminal(monkeypatch)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert progress_console("auto", verbose, constant_search()) is None
    assert progress_console(False, verbose, constant_search()) is None


def test_auto_stays_quiet_when_stderr_is_not_a_terminal(monkeypatch):
    pytest.importorskip("rich")
    monkeypatch.setenv("FORCE_COLOR", "1")  # colour in CI logs is not a terminal
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert auto_progress_console() is None


def test_auto_stays_quiet_outside_the_main_thread(monkeypatch):
    fake_terminal(monkeypatch)
    seen = []
    worker = threading.Thread(
        target=lambda: seen.append(progress_console("auto", 0, constant_search()))
    )
    worker.start()
    worker.join()
    assert seen == [None]


def test_auto_stays_quiet_without_rich_and_true_names_the_extra(monkeypatch, iris):
    fake_terminal(monkeypatch)
    monkeypatch.setitem(sys.modules, "rich", None)
    monkeypatch.setitem(sys.modules, "rich.console", None)
    assert progress_console("auto", 0, constant_search()) is None
    X, y = iris
    with pytest.raises(
        ImportError, match=r"pip install rich \(skhyper's \"progress\" extra\)"
    ):
        constant_search(n_iter=2, progress_bar=True).fit(X, y)


def test_bar_draws_live_on_a_terminal_and_leaves_stdout_alone(
    monkeypatch, iris, capsys
):
    terminal = fake_terminal(monkeypatch)
    X, y = iris
    search = constant_search(n_iter=3).fit(X, y)  # progress_bar="auto"
    drawn = terminal.getvalue()
    assert "\x1b[" in drawn  # redrawn in place
    frames = [plain(frame).strip() for frame in drawn.split("\r")]
    assert frames[0].startswith("HyperSearchCV ")
    assert "0/3 best score - 0:00:00 ETA -:--:--" in frames[0]
    assert BAR in frames[-1]
    assert "3/3 best score 0.32 0:00:0" in frames[-1]
    assert frames[-1].endswith("done")
    assert capsys.readouterr().out == ""
    assert search.best_score_ == pytest.approx(0.32, abs=0.01)


def test_bar_closes_cleanly_when_fit_raises(monkeypatch, iris):
    terminal = fake_terminal(monkeypatch)
    stdout = sys.stdout
    X, y = iris
    search = HyperSearchCV(
        FailingClassifier(fail=True),
        {"quality": [0.0, 1.0]},
        generator="grid",
        cv=3,
        error_score="raise",
    )
    with pytest.raises(ArithmeticError):
        search.fit(X, y)
    assert sys.stderr is terminal
    assert sys.stdout is stdout
    drawn = terminal.getvalue()
    assert drawn.endswith("\x1b[?25h")  # the cursor is back
    last = plain(drawn.split("\r")[-1]).strip()
    assert last.endswith("stopped: the loop ended by an error")


def test_true_outside_a_terminal_prints_the_final_state_once(iris, capsys):
    pytest.importorskip("rich")
    X, y = iris
    search = constant_search(
        n_iter=8, progress_bar=True, callbacks=NoImprovement(n_batches=2)
    )
    search.fit(X, y)
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = lines_of(captured.err)
    assert line.startswith("HyperSearchCV ")
    assert "3/8 best score 0.32" in line
    assert "stopped: NoImprovement" in line
    assert "\x1b[" not in line


def test_verbose_lines_and_a_forced_bar_keep_to_their_streams(iris, capsys):
    pytest.importorskip("rich")
    X, y = iris
    constant_search(n_iter=2, verbose=1, progress_bar=True).fit(X, y)
    captured = capsys.readouterr()
    ours = [line for line in lines_of(captured.out) if "[HyperSearchCV]" in line]
    fitting = [line for line in lines_of(captured.out) if "Fitting" in line]
    assert len(ours) == 3 and len(fitting) == 1  # GridSearchCV's one at verbose=1
    assert len(lines_of(captured.err)) == 1
    assert "[HyperSearchCV]" not in captured.err


def state_after(batches, n_iter=10, seconds=4.0, objective="mean_test_score"):
    state = SearchState(n_iter=n_iter, objective=objective)
    state.start_time -= seconds
    for scores in batches:
        state.record_batch([{}] * len(scores), scores)
    return state


@pytest.mark.parametrize(
    "batches, objective, expected",
    [
        ([], "mean_test_score", "best score -"),
        ([[math.nan, math.nan]], "mean_test_score", "best score -"),
        ([[0.5, math.nan], [0.25]], "mean_test_score", "best score 0.5"),
        ([[0.9123456789]], "mean_test_accuracy", "best accuracy 0.912346"),
    ],
)
def test_best_so_far_text(batches, objective, expected):
    pytest.importorskip("rich")
    display = ProgressBarDisplay("S", _silent_console())
    state = state_after(batches, objective=objective)
    display.on_start(state)
    if batches:
        display.on_batch(state)
    assert display._progress.tasks[0].fields["best"] == expected
    display.on_end(state, "n_iter=10 candidates evaluated")


def test_eta_extrapolates_the_time_per_candidate():
    pytest.importorskip("rich")
    display = ProgressBarDisplay("S", _silent_console())
    state = state_after([], n_iter=10, seconds=4.0)
    display.on_start(state)
    assert format(display._eta) == " ETA -:--:--"
    state.record_batch([{}, {}], [0.1, 0.2])
    display.on_batch(state)
    # 2 candidates in 4 s: 8 more take about 16 s.
    assert format(display._eta) in {" ETA 0:00:15", " ETA 0:00:16"}
    assert format(display._elapsed) == "0:00:04"
    display.on_end(state, "stopped")
    assert format(display._eta) == ""


def _silent_console():
    from rich.console import Console

    return Console(file=io.StringIO(), width=120)


needs_sklearn_callbacks = pytest.mark.skipif(
    not HAS_CALLBACKS, reason="scikit-learn >= 1.9 has set_callbacks"
)


@needs_sklearn_callbacks
@pytest.mark.filterwarnings("ignore:The estimator .* does not support callbacks")
@pytest.mark.parametrize("n_jobs", [None, 2])
def test_sklearn_progress_bar_draws_one_bar_per_iteration(iris, capsys, n_jobs):
    pytest.importorskip("rich")
    from sklearn.callback import ProgressBar

    X, y = iris

    def search():
        return RandomSearchCV(
            LogisticRegression(max_iter=200),
            {"C": Real(1e-2, 1e2, log=True)},
            n_iter=3,
            batch_size=1,
            cv=3,
            n_jobs=n_jobs,
            random_state=0,
        )

    plain = search().fit(X, y)
    capsys.readouterr()
    with_bar = search().set_callbacks(ProgressBar()).fit(X, y)
    out = capsys.readouterr().out
    assert_same_results(plain.cv_results_, with_bar.cv_results_)
    tasks = [
        line.split(" - ", 1)[1].split("  ")[0].strip()
        for line in lines_of(out)
        if line.lstrip().startswith("RandomSearchCV - ")
    ]
    assert tasks[:3] == ["fit", "search #0", "iteration #0"]
    assert [t for t in tasks if t.startswith("iteration")] == [
        "iteration #0",
        "iteration #1",
        "iteration #2",
    ]
    assert sum(t.startswith("candidate-split-evaluation") for t in tasks) == 9


@needs_sklearn_callbacks
def test_sklearn_progress_bar_and_ours_are_never_both_drawn(monkeypatch):
    fake_terminal(monkeypatch)
    from sklearn.callback import ProgressBar

    search = constant_search().set_callbacks(ProgressBar())
    assert progress_console("auto", 0, search) is None
    with pytest.raises(ValueError, match="two live displays"):
        progress_console(True, 0, search)


class TaskRecorder:
    """A scikit-learn callback that records the tasks the search opens."""

    def __init__(self):
        self.tasks = []

    def setup(self, estimator, context):
        pass

    def teardown(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context, **kwargs):
        self.tasks.append((context.task_name, context.max_subtasks))

    def on_fit_task_end(self, estimator, context, **kwargs):
        return False


@needs_sklearn_callbacks
def test_sklearn_callbacks_see_the_planned_iterations_and_their_fits(iris):
    X, y = iris
    recorder = TaskRecorder()
    search = RandomSearchCV(
        LogisticRegression(max_iter=200),
        {"C": Real(1e-2, 1e2, log=True)},
        n_iter=5,
        batch_size=2,
        cv=3,
        random_state=0,
    )
    search.set_callbacks(recorder).fit(X, y)
    tasks = [t for t in recorder.tasks if t[0] in {"search", "iteration"}]
    assert tasks == [
        ("search", 3),
        ("iteration", 6),
        ("iteration", 6),
        ("iteration", 3),
    ]


def test_a_search_nested_in_another_draws_no_second_bar_over_it(monkeypatch, iris):
    terminal = fake_terminal(monkeypatch)
    X, y = iris
    inner = RandomSearchCV(
        LogisticRegression(max_iter=200),
        {"C": Real(1e-2, 1e2, log=True)},
        cv=2,
        random_state=0,
    )
    outer = HyperSearchCV(inner, {"n_iter": [1, 3]}, generator="grid", cv=2)
    outer.fit(X, y)
    frames = [
        plain(frame).strip() for frame in re.split(r"[\r\n]", terminal.getvalue())
    ]
    frames = [frame for frame in frames if frame]
    outer_done = frames.index(next(f for f in frames if "2/2" in f))
    assert frames[outer_done].startswith("HyperSearchCV ")
    assert frames[outer_done].endswith("done")
    # The inner searches of the outer's loop stay silent; the refit of the
    # best one draws its own bar once the outer's is finished.
    assert not any("RandomSearchCV" in f for f in frames[:outer_done])
    assert frames[-1].startswith("RandomSearchCV ")
    assert "best score" in frames[-1]
    assert frames[-1].endswith("done")


@pytest.mark.skipif(not HAS_CALLBACKS, reason="scikit-learn < 1.9 has no callbacks")
def test_without_callbacks_the_task_tree_sent_to_every_fit_does_not_grow(iris):
    """scikit-learn sends the callback context to each fit; an iterative search
    that opened a task per batch and fit sent a tree growing with every
    candidate (quadratic time with process workers)."""
    import pickle

    X, y = iris
    sizes = []
    holder = {}

    def measure(state):
        sizes.append(len(pickle.dumps(holder["search"]._callback_fit_ctx)))

    search = RandomSearchCV(
        LogisticRegression(max_iter=200),
        {"C": Real(1e-2, 1e2, log=True)},
        n_iter=12,
        batch_size=2,
        cv=3,
        random_state=0,
        callbacks=measure,
        progress_bar=False,
    )
    holder["search"] = search
    search.fit(X, y)
    assert len(sizes) == 6 and len(set(sizes)) == 1
