"""A search runs unchanged on a dask.distributed cluster."""

import numpy as np
import pytest
from joblib import parallel_backend
from sklearn.linear_model import Ridge

from skhyper import HyperSearchCV, Real

from .test_dropin import assert_same_results

distributed = pytest.importorskip("distributed")


@pytest.mark.slow
def test_dask_local_cluster_gives_the_same_results_as_n_jobs_1(diabetes):
    X, y = diabetes
    space = {"alpha": Real(1e-3, 1e3, log=True), "fit_intercept": [True, False]}
    kwargs = dict(generator="sobol", n_iter=6, batch_size=3, cv=3, random_state=0)
    reference = HyperSearchCV(Ridge(), space, n_jobs=1, **kwargs).fit(X, y)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        with parallel_backend("dask"):
            search = HyperSearchCV(Ridge(), space, n_jobs=-1, **kwargs).fit(X, y)
        workers = client.run(lambda: 1)
    assert len(workers) == 2
    assert_same_results(reference.cv_results_, search.cv_results_)
    assert np.isfinite(search.best_score_)
