"""MLflowLogger against a real local MLflow file store."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV

from skhyper import HyperSearchCV, Real
from skhyper.tracking import MLflowLogger

mlflow = pytest.importorskip("mlflow")


@pytest.fixture
def store(tmp_path, monkeypatch):
    # MLflow 3 keeps the file store behind an opt-in.
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    uri = (tmp_path / "mlruns").as_uri()
    return uri, mlflow.MlflowClient(tracking_uri=uri)


def runs_of(client, experiment_name):
    experiment = client.get_experiment_by_name(experiment_name)
    runs = client.search_runs([experiment.experiment_id], max_results=1000)
    parents = [r for r in runs if "mlflow.parentRunId" not in r.data.tags]
    children = [r for r in runs if "mlflow.parentRunId" in r.data.tags]
    return parents, children


def test_every_candidate_is_a_child_of_one_parent(iris, store):
    uri, client = store
    X, y = iris
    logger = MLflowLogger("iris", tracking_uri=uri)
    search = HyperSearchCV(
        LogisticRegression(max_iter=300),
        {"C": Real(1e-2, 1e2, log=True)},
        n_iter=5,
        batch_size=2,
        cv=3,
        return_train_score=True,
        callbacks=[logger],
        random_state=0,
    ).fit(X, y)
    (parent,), children = runs_of(client, "iris")
    assert parent.info.run_id == logger.parent_run_id_
    assert parent.info.status == "FINISHED"
    assert len(children) == 5
    assert {c.data.tags["mlflow.parentRunId"] for c in children} == {parent.info.run_id}
    by_index = {int(c.data.tags["candidate"]): c for c in children}
    results = search.cv_results_
    for i in range(5):
        child = by_index[i]
        assert float(child.data.params["C"]) == pytest.approx(results["params"][i]["C"])
        for key in ("mean_test_score", "mean_train_score", "mean_fit_time"):
            assert child.data.metrics[key] == pytest.approx(results[key][i])
        assert child.data.metrics["iteration"] == results["iteration"][i]
    # Batches of 2, 2, 1: the iterations 0, 1, 2 were logged as they came.
    assert sorted(c.data.metrics["iteration"] for c in children) == [0, 0, 1, 1, 2]
    assert parent.data.metrics["best_score"] == pytest.approx(search.best_score_)
    assert float(parent.data.params["best_C"]) == pytest.approx(
        search.best_params_["C"]
    )
    model = mlflow.sklearn.load_model(f"{parent.info.artifact_uri}/best_estimator")
    np.testing.assert_array_equal(model.predict(X), search.predict(X))


def test_a_failed_search_closes_the_parent_as_failed(iris, store):
    uri, client = store
    X, y = iris
    logger = MLflowLogger("fails", tracking_uri=uri)
    search = HyperSearchCV(
        LogisticRegression(),
        {"C": [-1.0, -2.0]},
        generator="grid",
        batch_size=1,
        callbacks=[logger],
    )
    with pytest.raises(ValueError, match="fits failed"):
        search.fit(X, y)
    (parent,), children = runs_of(client, "fails")
    assert parent.info.status == "FAILED"
    assert len(children) == 2


def test_log_search_after_a_scikit_learn_search_and_reuse(iris, store):
    uri, client = store
    X, y = iris
    search = GridSearchCV(LogisticRegression(max_iter=300), {"C": [0.1, 1.0, 10.0]})
    search.fit(X, y)
    logger = MLflowLogger("grid", tracking_uri=uri, log_model=False)
    first = logger.log_search(search)
    second = logger.log_search(search)  # a second log makes a new parent
    assert first != second
    parents, children = runs_of(client, "grid")
    assert len(parents) == 2 and len(children) == 6
    assert all(p.info.status == "FINISHED" for p in parents)
    assert not client.list_artifacts(first)


def test_the_user_s_active_run_is_the_parent_and_stays_open(iris, store):
    uri, _ = store
    X, y = iris
    mlflow.set_tracking_uri(uri)
    try:
        mlflow.set_experiment("active")
        with mlflow.start_run() as run:
            logger = MLflowLogger(log_model=False)
            HyperSearchCV(
                LogisticRegression(max_iter=300),
                {"C": [0.1, 1.0]},
                generator="grid",
                callbacks=logger,
            ).fit(X, y)
            assert logger.parent_run_id_ == run.info.run_id
            assert mlflow.active_run().info.run_id == run.info.run_id
    finally:
        mlflow.set_tracking_uri(None)


def test_a_clear_import_error_without_mlflow(iris, monkeypatch):
    search = GridSearchCV(LogisticRegression(max_iter=300), {"C": [1.0]}).fit(*iris)
    monkeypatch.setitem(__import__("sys").modules, "mlflow", None)
    with pytest.raises(ImportError, match=r"skhyper\[mlflow\]"):
        MLflowLogger().log_search(search)
