"""A search runs unchanged on a dask.distributed cluster."""

import importlib.util
import os
from pathlib import Path

import numpy as np
import pytest
from joblib import parallel_backend
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import Ridge

from skhyper import HalvingBayesSearchCV, HyperSearchCV, Real

from .test_dropin import assert_same_results

distributed = pytest.importorskip("distributed")

RECIPE = Path(__file__).parents[2] / "doc" / "examples" / "run_on_a_dask_cluster.py"


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded worker processes, shared by the tests here."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster


@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_results_as_n_jobs_1(diabetes, cluster):
    X, y = diabetes
    space = {"alpha": Real(1e-3, 1e3, log=True), "fit_intercept": [True, False]}
    kwargs = dict(generator="sobol", n_iter=6, batch_size=3, cv=3, random_state=0)
    reference = HyperSearchCV(Ridge(), space, n_jobs=1, **kwargs).fit(X, y)
    with distributed.Client(cluster) as client:
        with parallel_backend("dask"):
            search = HyperSearchCV(Ridge(), space, n_jobs=-1, **kwargs).fit(X, y)
        workers = client.run(lambda: 1)
    assert len(workers) == 2
    assert_same_results(reference.cv_results_, search.cv_results_)
    assert np.isfinite(search.best_score_)


def load_recipe():
    """doc/examples/run_on_a_dask_cluster.py, the documented recipe."""
    spec = importlib.util.spec_from_file_location("run_on_a_dask_cluster", RECIPE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_the_documented_cluster_recipe_runs_its_fits_on_the_workers(cluster):
    recipe = load_recipe()
    with distributed.Client(cluster) as observer:
        with distributed.get_task_stream(observer) as stream:
            search = recipe.tune_on_cluster(cluster.scheduler_address, n_iter=6)
        worker_pids = observer.run(os.getpid)
    # The fits ran on both worker processes, which are not this one.
    assert {task["worker"] for task in stream.data} == set(worker_pids)
    assert os.getpid() not in worker_pids.values()
    # Dask sized the GP's batches to the cluster (2 threads, 5 folds: 2
    # candidates), which a local run with 2 workers reproduces exactly.
    assert search.n_iter_ == 3
    reference = recipe.make_search(n_iter=6).set_params(n_jobs=2)
    reference.fit(*load_breast_cancer(return_X_y=True))
    assert_same_results(reference.cv_results_, search.cv_results_)
    assert search.best_score_ > 0.9


@pytest.mark.slow
def test_halving_on_a_dask_cluster_gives_the_same_results_as_n_jobs_1(
    diabetes, cluster
):
    X, y = diabetes
    space = {"alpha": Real(1e-3, 1e3, log=True), "fit_intercept": [True, False]}
    kwargs = dict(n_candidates=6, min_resources=40, cv=3, random_state=0)
    reference = HalvingBayesSearchCV(Ridge(), space, n_jobs=1, **kwargs).fit(X, y)
    with distributed.Client(cluster):
        with parallel_backend("dask"):
            search = HalvingBayesSearchCV(Ridge(), space, n_jobs=-1, **kwargs)
            search.fit(X, y)
    assert_same_results(reference.cv_results_, search.cv_results_)
    assert search.n_resources_ == reference.n_resources_ == [40, 120]
