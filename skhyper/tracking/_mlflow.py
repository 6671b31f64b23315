"""Log a search to MLflow: one parent run, one child run per candidate."""

from __future__ import annotations

import importlib.util
import math
import numbers
import os
import tempfile
import time
from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["MLflowLogger"]

#: cv_results_ columns logged as metrics of each candidate's run.
_METRIC_PREFIXES = ("mean_", "std_", "rank_")
#: MLflow refuses longer parameter values.
_MAX_PARAM_LENGTH = 6000


def _import_mlflow() -> Any:
    try:
        import mlflow
    except ImportError as exc:
        raise ImportError(
            "MLflowLogger needs MLflow, which is not installed: "
            'pip install "skhyper[mlflow]" (or mlflow itself).'
        ) from exc
    return mlflow


class MLflowLogger:
    """Log every candidate of a search, and its best model, to MLflow.

    Pass it to a skhyper search as a callback: after each batch, each new
    candidate becomes a child run (its parameters; its mean, standard
    deviation and rank of every test and train score; its mean fit and
    score times; the iteration that proposed it) of one parent run. When
    ``fit`` ends, the parent run gets the best parameters and score, the
    refit time and, with ``log_model=True``, the refitted
    ``best_estimator_`` as an MLflow scikit-learn model under
    ``best_estimator``; then it is closed (as FAILED if ``fit`` raised).

    If an MLflow run is active when the search starts (the user's own
    ``with mlflow.start_run():``), it is the parent and stays open.

    A search fitted without the callback (scikit-learn's ``GridSearchCV``
    included) can be logged afterwards with :meth:`log_search`.

    Parameters
    ----------
    experiment_name : str or None, default=None
        The MLflow experiment, created if missing; ``None`` uses the
        active experiment (``MLFLOW_EXPERIMENT_NAME`` or the default one).
    run_name : str or None, default=None
        Name of the parent run; ``None`` uses the search's class name.
    tracking_uri : str or None, default=None
        Where MLflow stores runs; ``None`` uses MLflow's own setting.
    log_model : bool, default=True
        Log the refitted best estimator to the parent run.

    Attributes
    ----------
    parent_run_id_ : str
        The parent run, once something was logged.
    child_run_ids_ : list of str
        One child run per logged candidate, in ``cv_results_`` order.

    Examples
    --------
    >>> logger = MLflowLogger(experiment_name="svc")      # doctest: +SKIP
    >>> BayesSearchCV(SVC(), space, callbacks=[logger]).fit(X, y)  # doctest: +SKIP
    >>> logger.parent_run_id_                              # doctest: +SKIP
    """

    def __init__(
        self,
        experiment_name: str | None = None,
        *,
        run_name: str | None = None,
        tracking_uri: str | None = None,
        log_model: bool = True,
    ) -> None:
        self.experiment_name = experiment_name
        self.run_name = run_name
        self.tracking_uri = tracking_uri
        self.log_model = log_model

    # -- the callback protocol ---------------------------------------------
    def __call__(self, state: Any) -> None:
        """Log the candidates of the batch that just finished; never stops
        the search."""
        if state.results is not None:
            self._log_candidates(state.results, run_name=None)
        return None

    def on_search_end(self, search: Any, error: BaseException | None) -> None:
        """Log the best model and close the parent run (skhyper calls this
        when ``fit`` ends)."""
        if error is not None:
            self._end_parent("FAILED")
            return
        self.log_search(search)

    # -- logging -------------------------------------------------------------
    def log_search(self, search: Any) -> str:
        """Log a fitted search: candidates not yet logged, then the best.

        Works on any fitted search with ``cv_results_`` (skhyper's or
        scikit-learn's). Closes the parent run unless it was the user's
        active run.

        Parameters
        ----------
        search : fitted search

        Returns
        -------
        str
            The parent run's id.
        """
        self._log_candidates(search.cv_results_, run_name=type(search).__name__)
        client = self._client()
        parent = self.parent_run_id_
        params = {"search": type(search).__name__}
        estimator = getattr(search, "estimator", None)
        if estimator is not None:
            params["estimator"] = type(estimator).__name__
        generator = getattr(search, "generator_", None)
        if generator is not None:
            params["generator"] = type(generator).__name__
        metrics: dict[str, float] = {"n_candidates": len(search.cv_results_["params"])}
        if hasattr(search, "best_index_"):
            metrics["best_index"] = int(search.best_index_)
            best = search.cv_results_["params"][search.best_index_]
            params.update({f"best_{k}": v for k, v in best.items()})
        for name in ("best_score_", "refit_time_"):
            value = getattr(search, name, None)
            if isinstance(value, numbers.Real):
                metrics[name.rstrip("_")] = float(value)
        self._log_batch(client, parent, params, metrics, {})
        if self.log_model and hasattr(search, "best_estimator_"):
            self._log_estimator(client, parent, search.best_estimator_)
        self._end_parent("FINISHED")
        return parent

    def _client(self) -> Any:
        mlflow = _import_mlflow()
        return mlflow.MlflowClient(tracking_uri=self.tracking_uri)

    def _start_parent(self, run_name: str | None) -> None:
        if getattr(self, "_open", False):
            return
        mlflow = _import_mlflow()
        client = self._client()
        active = mlflow.active_run()
        if active is not None and self.tracking_uri in (
            None,
            mlflow.get_tracking_uri(),
        ):
            self.parent_run_id_ = active.info.run_id
            self._owns_parent = False
        else:
            experiment_id = self._experiment_id(client)
            run = client.create_run(
                experiment_id, run_name=self.run_name or run_name or "search"
            )
            self.parent_run_id_ = run.info.run_id
            self._owns_parent = True
        self._open = True
        self.child_run_ids_: list[str] = []
        self._experiment = client.get_run(self.parent_run_id_).info.experiment_id

    def _experiment_id(self, client: Any) -> str:
        name = self.experiment_name or os.environ.get("MLFLOW_EXPERIMENT_NAME")
        if name is None:
            # MLflow's own default: MLFLOW_EXPERIMENT_ID, else "Default" (id 0).
            return os.environ.get("MLFLOW_EXPERIMENT_ID", "0")
        experiment = client.get_experiment_by_name(name)
        if experiment is not None:
            return experiment.experiment_id
        return client.create_experiment(name)

    def _log_candidates(self, results: Mapping[str, Any], run_name: str | None) -> None:
        self._start_parent(run_name)
        client = self._client()
        for index in range(len(self.child_run_ids_), len(results["params"])):
            params = dict(results["params"][index])
            metrics = {}
            for key, column in results.items():
                if key.startswith(_METRIC_PREFIXES) or key == "iteration":
                    value = np.ma.filled(np.ma.asarray(column), np.nan)[index]
                    if isinstance(value, (numbers.Real, np.number)):
                        metrics[key] = float(value)
            run = client.create_run(
                self._experiment,
                run_name=f"candidate {index}",
                tags={"mlflow.parentRunId": self.parent_run_id_},
            )
            self._log_batch(
                client, run.info.run_id, params, metrics, {"candidate": str(index)}
            )
            client.set_terminated(run.info.run_id)
            self.child_run_ids_.append(run.info.run_id)

    @staticmethod
    def _log_batch(
        client: Any,
        run_id: str,
        params: Mapping[str, Any],
        metrics: Mapping[str, float],
        tags: Mapping[str, str],
    ) -> None:
        from mlflow.entities import Metric, Param, RunTag

        millis = int(1000 * time.time())
        client.log_batch(
            run_id,
            metrics=[
                # MLflow stores NaN; it refuses infinities on some stores.
                Metric(
                    k, v if math.isfinite(v) or math.isnan(v) else math.nan, millis, 0
                )
                for k, v in metrics.items()
            ],
            params=[Param(k, str(v)[:_MAX_PARAM_LENGTH]) for k, v in params.items()],
            tags=[RunTag(k, v) for k, v in tags.items()],
        )

    @staticmethod
    def _log_estimator(client: Any, run_id: str, estimator: Any) -> None:
        import mlflow.sklearn

        kwargs: dict[str, Any] = {"pip_requirements": _requirements(estimator)}
        if importlib.util.find_spec("skops") is None:
            # MLflow 3 saves with skops by default; without it, cloudpickle.
            kwargs["serialization_format"] = (
                mlflow.sklearn.SERIALIZATION_FORMAT_CLOUDPICKLE
            )
        with tempfile.TemporaryDirectory() as folder:
            path = f"{folder}/best_estimator"
            mlflow.sklearn.save_model(estimator, path, **kwargs)
            client.log_artifacts(run_id, path, "best_estimator")

    def _end_parent(self, status: str) -> None:
        if not getattr(self, "_open", False):
            return
        self._open = False
        if self._owns_parent:
            self._client().set_terminated(self.parent_run_id_, status=status)


def _requirements(estimator: Any) -> list[str]:
    """Pinned requirements of a model: scikit-learn and the top-level
    packages of its classes (stated, so MLflow does not spend seconds
    inferring them in a subprocess)."""
    from importlib.metadata import PackageNotFoundError, packages_distributions
    from importlib.metadata import version as version_of

    import sklearn

    modules = {"sklearn"}
    todo = [estimator]
    while todo:
        current = todo.pop()
        modules.add(type(current).__module__.split(".")[0])
        if hasattr(current, "get_params"):
            todo.extend(
                v
                for v in current.get_params(deep=False).values()
                if hasattr(v, "get_params")
            )
            todo.extend(step for _, step in getattr(current, "steps", []))
    distributions = packages_distributions()
    pins = {f"scikit-learn=={sklearn.__version__}"}
    for module in modules - {"sklearn", "builtins", "__main__"}:
        for name in distributions.get(module, []):
            try:
                pins.add(f"{name}=={version_of(name)}")
            except PackageNotFoundError:
                continue
    return sorted(pins)
