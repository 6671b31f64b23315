"""checkpoint=: record every batch, resume without refitting, refuse a mismatch."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.model_selection import KFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from skhyper import (
    BayesSearchCV,
    GridGenerator,
    HyperSearchCV,
    Integer,
    RandomSearchCV,
    Real,
)
from skhyper.search._checkpoint_file import read_checkpoint
from skhyper.utils._sklearn_compat import EvaluatedSoFar
from tests.search._logged import LoggedRegressor

SPACE = {"a": Real(0.0, 1.0), "b": Integer(1, 5), "kind": ["x", "y"]}
FAILING_SPACE = {"a": Real(0.0, 1.0), "kind": ["x", "y", "fail"]}


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(30, 2)), rng.normal(size=30)


@pytest.fixture(autouse=True)
def fresh_log():
    LoggedRegressor.log = []
    LoggedRegressor.interrupt_at = None
    yield
    LoggedRegressor.interrupt_at = None


def own_score(estimator, X, y):
    return estimator.score(X, y)


def make_search(generator="random", space=SPACE, **params):
    params = {"n_iter": 8, "batch_size": 2, "cv": 3, "random_state": 0, **params}
    return HyperSearchCV(LoggedRegressor(), space, generator=generator, **params)


def cv_fits(log, n_samples):
    """The logged fits on cross-validation folds (not the refit)."""
    return [entry[:3] for entry in log if entry[3] < n_samples]


def assert_same_results(resumed, uninterrupted):
    assert resumed.keys() == uninterrupted.keys()
    for key, value in uninterrupted.items():
        if key.endswith("_time"):
            continue
        if key == "params":
            assert resumed[key] == value
        else:
            np.testing.assert_array_equal(np.asarray(resumed[key]), np.asarray(value))


# -- resume = the uninterrupted search, without refitting ---------------------
@pytest.mark.parametrize("generator", ["random", "sobol", "grid", "gp"])
def test_resumed_search_equals_uninterrupted_and_refits_nothing(
    tmp_path, data, generator
):
    X, y = data
    path = tmp_path / "search.ckpt"
    make_search(generator, n_iter=4, checkpoint=path).fit(X, y)
    first = cv_fits(LoggedRegressor.log, len(X))
    LoggedRegressor.log = []

    resumed = make_search(generator, checkpoint=path).fit(X, y)
    second = cv_fits(LoggedRegressor.log, len(X))
    uninterrupted = make_search(generator).fit(X, y)

    assert_same_results(resumed.cv_results_, uninterrupted.cv_results_)
    assert resumed.best_params_ == uninterrupted.best_params_
    assert resumed.n_iter_ == uninterrupted.n_iter_ == 4
    # Each candidate was fitted (on 3 folds) in exactly one of the two runs.
    assert len(first) == 4 * 3 and len(second) == 4 * 3
    assert not {tuple(f) for f in first} & {tuple(f) for f in second}
    assert len(read_checkpoint(path).batches) == 4


def test_bayes_search_resumes_identically(tmp_path, data):
    X, y = data
    params = {"n_iter": 10, "batch_size": 2, "cv": 3, "random_state": 1}
    BayesSearchCV(
        LoggedRegressor(), SPACE, checkpoint=tmp_path / "c", **params
    ).set_params(n_iter=6).fit(X, y)
    resumed = BayesSearchCV(
        LoggedRegressor(), SPACE, checkpoint=tmp_path / "c", **params
    ).fit(X, y)
    uninterrupted = BayesSearchCV(LoggedRegressor(), SPACE, **params).fit(X, y)
    assert_same_results(resumed.cv_results_, uninterrupted.cv_results_)
    assert len(resumed.generator_.candidates_) == 10


def test_finished_checkpoint_is_replayed_without_any_fit(tmp_path, data, capsys):
    X, y = data
    path = tmp_path / "done.ckpt"
    done = make_search(checkpoint=path, refit=False).fit(X, y)
    LoggedRegressor.log = []
    capsys.readouterr()
    again = make_search(checkpoint=path, refit=False, verbose=1).fit(X, y)
    assert "resumed 8 candidates in 4 iterations" in capsys.readouterr().out
    assert LoggedRegressor.log == []
    assert_same_results(again.cv_results_, done.cv_results_)
    assert again.best_params_ == done.best_params_
    assert len(again.generator_.candidates_) == 8
    # Lowering n_iter keeps every recorded candidate.
    fewer = make_search(checkpoint=path, n_iter=3, refit=False).fit(X, y)
    assert len(fewer.cv_results_["params"]) == 8 and LoggedRegressor.log == []


def test_random_state_none_resumes_without_duplicates(tmp_path, data):
    X, y = data
    path = tmp_path / "unseeded.ckpt"
    space = {"a": [0.1, 0.2, 0.3, 0.4], "kind": ["x", "y"]}
    first = make_search(space=space, n_iter=4, random_state=None, checkpoint=path)
    first.fit(X, y)
    resumed = make_search(space=space, random_state=None, checkpoint=path).fit(X, y)
    params = resumed.cv_results_["params"]
    # The whole grid is now evaluated, so cv_results_ follow the grid's order;
    # the iterations of the recorded candidates come first.
    iterations = dict(
        zip(map(str, params), resumed.cv_results_["iteration"], strict=True)
    )
    recorded = [iterations[str(p)] for p in first.cv_results_["params"]]
    assert max(recorded) < min(v for k, v in iterations.items() if v not in recorded)
    assert len({tuple(sorted(p.items())) for p in params}) == 8


@pytest.mark.parametrize(
    "changed",
    [
        {"generator": "sobol"},
        {"random_state": 7},
        {"batch_size": 3},
        {"initial_points": [{"a": 0.3, "b": 3, "kind": "y"}]},
    ],
    ids=["generator", "random_state", "batch_size", "initial_points"],
)
def test_allowed_changes_resume_without_refitting(tmp_path, data, changed):
    X, y = data
    path = tmp_path / "c.ckpt"
    make_search(n_iter=4, checkpoint=path).fit(X, y)
    recorded = cv_fits(LoggedRegressor.log, len(X))
    LoggedRegressor.log = []
    resumed = make_search(checkpoint=path, **changed).fit(X, y)
    params = resumed.cv_results_["params"]
    assert len(params) == 8
    assert len({tuple(sorted(p.items())) for p in params}) == 8
    refitted = {tuple(f) for f in cv_fits(LoggedRegressor.log, len(X))}
    assert not refitted & {tuple(f) for f in recorded}


# -- what must round-trip ------------------------------------------------------
@pytest.mark.parametrize(
    "options",
    [
        {"return_train_score": True},
        {"refit": False},
        {"scoring": {"own": own_score, "r2": "r2"}, "refit": "own"},
        {"scoring": {"own": own_score, "r2": "r2"}, "refit": False},
        {"scoring": own_score},
        {"space": FAILING_SPACE},
        {"space": FAILING_SPACE, "error_score": -1.0},
    ],
    ids=[
        "train_scores",
        "no_refit",
        "multimetric",
        "multimetric_no_refit",
        "callable_scoring",
        "failed_fits_nan",
        "failed_fits_numeric",
    ],
)
def test_results_round_trip(tmp_path, data, options):
    X, y = data
    path = tmp_path / "c.ckpt"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        make_search(n_iter=4, checkpoint=path, **options).fit(X, y)
        resumed = make_search(checkpoint=path, **options).fit(X, y)
        uninterrupted = make_search(**options).fit(X, y)
    assert_same_results(resumed.cv_results_, uninterrupted.cv_results_)
    for name in ("best_index_", "best_score_", "best_params_", "multimetric_"):
        assert getattr(resumed, name, None) == getattr(uninterrupted, name, None)
    if options.get("space") is FAILING_SPACE:
        assert (
            np.isnan(resumed.cv_results_["mean_test_score"]).any()
            or (resumed.cv_results_["mean_test_score"] == -1.0).any()
        )


def test_estimator_choices_come_back_as_the_space_objects(tmp_path, data):
    X, y = data
    scalers = [StandardScaler(), MinMaxScaler()]
    space = {"scale": scalers, "model__a": Real(0.0, 1.0)}
    pipe = Pipeline([("scale", "passthrough"), ("model", LoggedRegressor())])
    params = {"batch_size": 2, "cv": 3, "random_state": 0}
    path = tmp_path / "pipe.ckpt"
    RandomSearchCV(pipe, space, n_iter=4, checkpoint=path, **params).fit(X, y)
    resumed = RandomSearchCV(pipe, space, n_iter=6, checkpoint=path, **params).fit(X, y)
    assert all(
        any(p["scale"] is s for s in scalers) for p in resumed.cv_results_["params"]
    )
    assert len(resumed.cv_results_["params"]) == 6


def test_all_failed_checkpoint_still_raises(tmp_path, data):
    X, y = data
    space = {"a": Real(0.0, 1.0), "kind": ["fail"]}
    path = tmp_path / "failed.ckpt"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ValueError, match="All the 12 fits failed"):
            make_search(space=space, n_iter=4, checkpoint=path).fit(X, y)
        with pytest.raises(ValueError, match="All the 12 fits failed"):
            make_search(space=space, n_iter=4, checkpoint=path).fit(X, y)


# -- refusing another search's checkpoint ------------------------------------
CHANGES = {
    "space": ({"search_spaces": {**SPACE, "b": Integer(1, 6)}}, "search space"),
    "estimator": ({"estimator": LoggedRegressor(b=2)}, "estimator"),
    "X": ("X", "data"),
    "y": ("y", "data"),
    "fit_params": ("sample_weight", "data"),
    "cv": ({"cv": KFold(3, shuffle=True, random_state=0)}, "cross-validation folds"),
    "scoring": ({"scoring": "r2"}, "scoring"),
    "train_score": ({"return_train_score": True}, "scoring"),
    "error_score": ({"error_score": 0.0}, "scoring"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_different_search_is_refused(tmp_path, data, change):
    X, y = data
    path = tmp_path / "c.ckpt"
    make_search(n_iter=4, checkpoint=path).fit(X, y)
    size = path.stat().st_size
    changed, what = CHANGES[change]
    search, fit_params = make_search(checkpoint=path), {}
    if changed == "X":
        X = X + 1.0
    elif changed == "y":
        y = y[::-1].copy()
    elif changed == "sample_weight":
        fit_params = {"sample_weight": np.ones(len(y))}
    else:
        search.set_params(**changed)
    LoggedRegressor.log = []
    with pytest.raises(ValueError, match="recorded by a different search") as info:
        search.fit(X, y, **fit_params)
    assert what in str(info.value) and str(path) in str(info.value)
    assert LoggedRegressor.log == [] and path.stat().st_size == size


def test_a_file_that_is_not_a_checkpoint_is_left_alone(tmp_path, data):
    X, y = data
    path = tmp_path / "notes.txt"
    path.write_text("my notes")
    with pytest.raises(ValueError, match="is not a skhyper checkpoint"):
        make_search(checkpoint=path).fit(X, y)
    assert path.read_text() == "my notes"


# -- torn and corrupted tails --------------------------------------------------
@pytest.mark.parametrize("damage", ["truncate", "flip_byte", "append_garbage"])
def test_a_damaged_last_record_is_dropped_and_redone(tmp_path, data, damage):
    X, y = data
    path = tmp_path / "c.ckpt"
    make_search(n_iter=6, checkpoint=path).fit(X, y)
    blob = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(blob[:-10])
    elif damage == "flip_byte":
        path.write_bytes(blob[:-10] + bytes([blob[-10] ^ 0xFF]) + blob[-9:])
    else:
        path.write_bytes(blob + b"\x00\x00\x00\x00\x00\x00\x01\x00garbage")
    n_kept = 3 if damage == "append_garbage" else 2
    LoggedRegressor.log = []
    with pytest.warns(RuntimeWarning, match="do not form a complete record"):
        resumed = make_search(checkpoint=path).fit(X, y)
    assert len(cv_fits(LoggedRegressor.log, len(X))) == (8 - 2 * n_kept) * 3
    assert_same_results(resumed.cv_results_, make_search().fit(X, y).cv_results_)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(read_checkpoint(path).batches) == 4


# -- KeyboardInterrupt -----------------------------------------------------------
def test_keyboard_interrupt_keeps_what_finished_and_resumes(tmp_path, data):
    X, y = data
    path = tmp_path / "c.ckpt"
    LoggedRegressor.interrupt_at = 2 * 2 * 3 + 4  # inside the third batch
    with pytest.warns(UserWarning, match="4 candidates are recorded"):
        stopped = make_search(checkpoint=path).fit(X, y)
    assert stopped.stop_reason_ == "interrupted by KeyboardInterrupt"
    assert len(stopped.cv_results_["params"]) == 4
    assert stopped.best_params_ in stopped.cv_results_["params"]
    assert hasattr(stopped, "best_estimator_")
    LoggedRegressor.interrupt_at = None
    LoggedRegressor.log = []
    resumed = make_search(checkpoint=path).fit(X, y)
    assert len(cv_fits(LoggedRegressor.log, len(X))) == 4 * 3
    assert_same_results(resumed.cv_results_, make_search().fit(X, y).cv_results_)


@pytest.mark.parametrize("checkpoint", [False, True])
def test_keyboard_interrupt_propagates_when_nothing_is_kept(tmp_path, data, checkpoint):
    X, y = data
    LoggedRegressor.interrupt_at = 2
    search = make_search(checkpoint=tmp_path / "c" if checkpoint else None)
    with pytest.raises(KeyboardInterrupt):
        search.fit(X, y)
    if not checkpoint:
        LoggedRegressor.interrupt_at = 2 * 2 * 3 + 4
        LoggedRegressor.log = []
        with pytest.raises(KeyboardInterrupt):
            make_search().fit(X, y)


# -- defaults --------------------------------------------------------------------
def test_checkpoint_splits_a_one_batch_search_into_about_20(tmp_path, data):
    X, y = data
    search = RandomSearchCV(
        LoggedRegressor(), SPACE, n_iter=40, cv=3, random_state=0,
        checkpoint=tmp_path / "c",
    ).fit(X, y)  # fmt: skip
    assert search.n_iter_ == 20
    assert len(read_checkpoint(tmp_path / "c").batches) == 20
    plain = RandomSearchCV(LoggedRegressor(), SPACE, n_iter=40, cv=3, random_state=0)
    assert plain.fit(X, y).cv_results_["params"] == search.cv_results_["params"]


def test_grid_checkpoint_covers_the_whole_grid(tmp_path, data):
    X, y = data
    space = {"a": [0.1, 0.2, 0.3], "b": [1, 2, 3, 4]}
    gen = GridGenerator()
    kw = {"generator": gen, "n_iter": None, "batch_size": 5, "cv": 3}
    path = tmp_path / "grid.ckpt"
    HyperSearchCV(LoggedRegressor(), space, checkpoint=path, **kw).fit(X, y)
    LoggedRegressor.log = []
    again = HyperSearchCV(LoggedRegressor(), space, checkpoint=path, **kw).fit(X, y)
    assert cv_fits(LoggedRegressor.log, len(X)) == []
    assert len(again.cv_results_["params"]) == 12


# -- the private scikit-learn names a checkpoint relies on ---------------------
def test_sklearn_keeps_the_accumulators_a_checkpoint_extends(data):
    """BaseSearchCV.fit must still close over all_candidate_params, all_out,
    all_more_results and results (see EvaluatedSoFar)."""
    X, y = data
    seen = {}

    class Probe(RandomSearchCV):
        def _run_search(self, evaluate_candidates, **kwargs):
            evaluated = EvaluatedSoFar(evaluate_candidates)
            evaluate_candidates([{"a": 0.1}, {"a": 0.2}])
            seen["last"] = evaluated.last(1, 3)
            seen["formatted"] = evaluated.format(self, 3)

    Probe(LoggedRegressor(), {"a": Real(0.0, 1.0)}, cv=3).fit(X, y)
    candidates, out, _ = seen["last"]
    assert candidates == [{"a": 0.2}] and len(out) == 3
    assert {"test_scores", "fit_error", "fit_time"} <= set(out[0])
    assert len(seen["formatted"]["params"]) == 2


def test_a_changed_evaluate_candidates_is_reported_clearly():
    def evaluate_candidates(candidate_params):
        return {}

    with pytest.raises(RuntimeError, match="checkpoint= needs scikit-learn's"):
        EvaluatedSoFar(evaluate_candidates)


def test_a_checkpoint_without_batches_is_replaced(tmp_path, data):
    X, y = data
    path = tmp_path / "c.ckpt"
    unseeded = KFold(3, shuffle=True)
    with pytest.raises(ValueError, match="several fits"):
        make_search(checkpoint=path, batch_size=8, cv=unseeded).fit(X, y)
    assert read_checkpoint(path).batches == []
    search = make_search(checkpoint=path, n_iter=4).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert len(read_checkpoint(path).batches) == 2


def test_resume_with_two_workers(tmp_path, data):
    X, y = data
    path = tmp_path / "c.ckpt"
    make_search(n_iter=4, checkpoint=path, n_jobs=2).fit(X, y)
    resumed = make_search(checkpoint=path, n_jobs=2).fit(X, y)
    assert_same_results(resumed.cv_results_, make_search().fit(X, y).cv_results_)


# -- hostile files: refused, named, never overwritten --------------------------
def test_a_damaged_header_is_refused_and_the_file_kept(tmp_path, data):
    X, y = data
    path = tmp_path / "c.ckpt"
    make_search(n_iter=4, checkpoint=path).fit(X, y)
    blob = bytearray(path.read_bytes())
    header_start = blob.index(b"\n") + 1
    blob[header_start + 20] ^= 0x01
    path.write_bytes(bytes(blob))
    LoggedRegressor.log = []
    with pytest.raises(ValueError, match="is damaged: its header") as info:
        make_search(checkpoint=path).fit(X, y)
    assert str(path) in str(info.value)
    assert path.read_bytes() == bytes(blob) and LoggedRegressor.log == []


def test_os_devnull_is_refused_clearly(data):
    import os

    X, y = data
    with pytest.raises(ValueError, match="character device") as info:
        make_search(checkpoint=os.devnull).fit(X, y)
    assert repr(os.devnull) in str(info.value)


def rewrite_record(path, number, change):
    """Replace record ``number`` (0 = header) by ``change(payload)`` with a
    valid checksum: what someone crafting a file could do."""
    import json
    import zlib

    magic, *lines = path.read_bytes().split(b"\n")[:-1]
    payload = json.loads(lines[number].split(b" ", 1)[1])
    text = json.dumps(change(payload)).encode()
    lines[number] = b"%08x " % zlib.crc32(text) + text
    path.write_bytes(b"\n".join([magic, *lines]) + b"\n")


def set_first_value(value):
    def change(payload):
        payload["candidates"][0][1][0][1] = value
        return payload

    return change


@pytest.mark.parametrize(
    "change",
    [
        set_first_value(5.0),  # a: Real(0, 1)
        set_first_value("__import__('os')"),
        lambda p: {**p, "candidates": [[7, p["candidates"][0][1]]]},
        lambda p: {**p, "out": p["out"][:-1]},
        lambda p: {**p, "out": [{"test_scores": "x"}] * len(p["out"])},
    ],
    ids=["out_of_bounds", "string", "subspace", "missing_fit", "bad_score"],
)
def test_a_crafted_record_is_refused(tmp_path, data, change):
    X, y = data
    path = tmp_path / "c.ckpt"
    make_search(n_iter=4, checkpoint=path).fit(X, y)
    rewrite_record(path, 1, change)
    blob = path.read_bytes()
    with pytest.raises(ValueError, match="cannot have produced: record 1") as info:
        make_search(checkpoint=path).fit(X, y)
    assert str(path) in str(info.value) and path.read_bytes() == blob


def test_a_checkpoint_holds_plain_json_and_categorical_choices_by_position(
    tmp_path, data
):
    import json

    X, y = data
    path = tmp_path / "c.ckpt"
    search = make_search(n_iter=2, checkpoint=path).fit(X, y)
    magic, _header, batch = path.read_bytes().splitlines()
    assert magic.startswith(b"skhyper checkpoint, format 2")
    record = json.loads(batch.split(b" ", 1)[1])
    first = search.cv_results_["params"][0]
    kind = ["x", "y"].index(first["kind"])
    assert record["candidates"][0] == [
        0,
        [["a", first["a"]], ["b", first["b"]], ["kind", kind]],
    ]
    assert record["more_results"] == {"iteration": [0, 0]}
    assert len(record["out"]) == 2 * 3


@pytest.mark.parametrize("checkpoint", ["", " ", "."])
def test_a_checkpoint_that_names_no_file_is_refused(tmp_path, data, checkpoint):
    X, y = data
    with pytest.raises(ValueError, match="checkpoint"):
        make_search(checkpoint=checkpoint).fit(X, y)
    with pytest.raises(ValueError, match="is a directory; name a file in it"):
        make_search(checkpoint=tmp_path).fit(X, y)
