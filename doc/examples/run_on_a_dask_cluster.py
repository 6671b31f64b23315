"""
Search on a dask.distributed cluster
====================================

A search's cross-validation fits go through joblib, so joblib's ``"dask"``
backend sends them to the workers of a `dask.distributed
<https://distributed.dask.org>`_ cluster: connect a ``Client`` to the
scheduler, then fit inside ``joblib.parallel_backend("dask")`` with
``n_jobs=-1``. The candidate generator runs in the client process; only the
fits are shipped.

- Install ``skhyper`` and the same scikit-learn on every worker, and
  ``distributed`` (skhyper's ``dask`` extra) beside them.
- With ``n_jobs=-1`` under the dask backend, an adaptive generator (``"gp"``)
  sizes its batches to the number of worker threads; set ``batch_size`` to
  get the same candidates whatever the cluster.
- Give a shuffling cv splitter a fixed ``random_state``: every batch must see
  the same folds.

Run it against a running scheduler with
``python run_on_a_dask_cluster.py tcp://scheduler-host:8786``. The test suite
runs this file's ``tune_on_cluster`` on a ``LocalCluster`` of worker
processes and checks that the fits ran on the workers and that the results
equal those of a local run.

This example is not run when the documentation is built (it needs a
cluster).
"""

import sys

from joblib import parallel_backend
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skhyper import BayesSearchCV, Real


def make_search(n_iter=16):
    """The search to run: nothing in it is specific to the cluster."""
    return BayesSearchCV(
        make_pipeline(StandardScaler(), SVC()),
        {
            "svc__C": Real(1e-2, 1e3, log=True),
            "svc__gamma": Real(1e-5, 1e0, log=True),
        },
        n_iter=n_iter,
        cv=StratifiedKFold(5, shuffle=True, random_state=0),
        n_jobs=-1,
        random_state=0,
    )


def tune_on_cluster(scheduler_address, n_iter=16):
    """Fit the search with every cross-validation fit on the cluster."""
    from dask.distributed import Client

    X, y = load_breast_cancer(return_X_y=True)
    search = make_search(n_iter)
    with Client(scheduler_address), parallel_backend("dask"):
        search.fit(X, y)
    return search


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python run_on_a_dask_cluster.py SCHEDULER_ADDRESS")
    search = tune_on_cluster(sys.argv[1])
    print(f"best CV accuracy {search.best_score_:.4f} with {search.best_params_}")
