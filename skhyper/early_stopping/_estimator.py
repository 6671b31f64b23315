"""A meta-estimator giving an estimator's own early stopping a validation
set carved from the data it is fitted on."""

from __future__ import annotations

import inspect
import numbers
import warnings
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone, is_classifier
from sklearn.model_selection import train_test_split
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, indexable

from skhyper.utils._sklearn_compat import num_samples

__all__ = ["EarlyStopping", "iterations_used"]


def _library(estimator: Any) -> str:
    """``"lightgbm"``, ``"xgboost"``, ``"catboost"``, ``"sklearn"`` or ``""``."""
    module = type(estimator).__module__.split(".")[0]
    return module if module in ("lightgbm", "xgboost", "catboost", "sklearn") else ""


def _fit_parameters(estimator: Any) -> set[str]:
    try:
        return set(inspect.signature(estimator.fit).parameters)
    except (TypeError, ValueError):
        return set()


def _estimator_has(name: str):
    def check(self: EarlyStopping) -> bool:
        target = getattr(self, "estimator_", self.estimator)
        return hasattr(target, name)

    return check


class EarlyStopping(MetaEstimatorMixin, BaseEstimator):
    """Fit an estimator with early stopping on a validation set carved from
    its own training data.

    Inside a search or ``cross_val_score`` every fold fits a clone on that
    fold's training part only, so the validation set always comes from the
    training fold and never from the test fold. The estimator is fitted on
    the rest, and the held-out part is passed the way its library expects:

    - LightGBM (``LGBMClassifier``, ``LGBMRegressor``, ...): ``eval_set``,
      with a ``lightgbm.early_stopping(patience)`` callback;
    - XGBoost (``XGBClassifier``, ...): ``eval_set``, with
      ``early_stopping_rounds=patience`` set on the estimator;
    - CatBoost: ``eval_set`` and ``early_stopping_rounds=patience``;
    - scikit-learn's ``HistGradientBoosting*`` (scikit-learn >= 1.7):
      ``X_val``/``y_val``, with ``early_stopping=True`` and
      ``n_iter_no_change=patience`` set on the estimator;
    - any other estimator whose ``fit`` takes ``eval_set`` or
      ``X_val``/``y_val``.

    In a Pipeline, wrap the final step (``Pipeline([("scale", ...),
    ("model", EarlyStopping(LGBMClassifier()))])``) so the validation set is
    transformed like the training data. Tune the wrapped estimator's
    parameters as ``estimator__<name>``.

    Parameters
    ----------
    estimator : estimator object
        The estimator to fit; cloned at ``fit``.
    validation_fraction : float, default=0.1
        Share of the training data held out for early stopping, in ``(0, 1)``.
    patience : int or None, default=10
        Iterations without improvement on the validation set before the
        estimator stops, set in its library's own terms (see above). ``None``
        leaves the estimator's own early-stopping configuration alone and
        only passes the validation set.
    stratify : bool or "auto", default="auto"
        Keep class proportions in the validation set; ``"auto"`` does for
        classifiers (falling back to a plain split, with a warning, when a
        class is too rare to split).
    random_state : int, RandomState instance or None, default=0
        Seed of the split. A fixed int keeps every refit reproducible.

    Attributes
    ----------
    estimator_ : estimator
        The fitted estimator.
    n_iterations_ : int
        Boosting iterations the fitted estimator uses (its best iteration
        for LightGBM, XGBoost and CatBoost, ``n_iter_`` for scikit-learn's
        estimators).
    n_validation_samples_ : int
        Size of the validation set.
    classes_ : ndarray
        The classes, for a classifier.

    See Also
    --------
    iterations_used : A scorer putting ``n_iterations_`` into ``cv_results_``.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.ensemble import HistGradientBoostingClassifier
    >>> from sklearn.model_selection import cross_validate
    >>> from skhyper.early_stopping import EarlyStopping, iterations_used
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> booster = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.3)
    >>> cv = cross_validate(EarlyStopping(booster, patience=5), X, y, cv=3,
    ...                     scoring={"accuracy": "accuracy", "n_iter": iterations_used})
    >>> bool((cv["test_n_iter"] < 300).all())
    True
    """

    def __init__(
        self,
        estimator: Any,
        *,
        validation_fraction: float = 0.1,
        patience: int | None = 10,
        stratify: bool | str = "auto",
        random_state: Any = 0,
    ) -> None:
        self.estimator = estimator
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.stratify = stratify
        self.random_state = random_state

    def _check_params(self) -> None:
        fraction = self.validation_fraction
        if not isinstance(fraction, numbers.Real) or not 0 < fraction < 1:
            raise ValueError(
                f"validation_fraction must be in (0, 1), got {fraction!r}."
            )
        if self.patience is not None and (
            not isinstance(self.patience, numbers.Integral) or self.patience < 1
        ):
            raise ValueError(
                f"patience must be a positive integer or None, got {self.patience!r}."
            )
        if self.stratify not in ("auto", True, False):
            raise ValueError(
                f"stratify must be 'auto', True or False, got {self.stratify!r}."
            )

    def fit(self, X: Any, y: Any = None, **fit_params: Any) -> EarlyStopping:
        """Split off a validation set, then fit the estimator with it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        **fit_params : dict
            Passed to the estimator's ``fit``. Those with one value per
            sample (``sample_weight``, ...) are split like ``X``; the
            validation part of ``sample_weight`` becomes the validation
            set's weights.

        Returns
        -------
        self
        """
        self._check_params()
        if y is None:
            raise ValueError(
                "EarlyStopping requires y to be passed, but the target y is None: "
                "early stopping needs a target to validate on."
            )
        estimator = clone(self.estimator)
        library = _library(estimator)
        accepted = _fit_parameters(estimator)
        if "X_val" in accepted:
            style = "X_val"
        elif "eval_set" in accepted:
            style = "eval_set"
        else:
            raise TypeError(
                f"{type(estimator).__name__}.fit takes neither eval_set nor "
                "X_val/y_val, so EarlyStopping cannot give it a validation set. "
                + (
                    "HistGradientBoosting takes X_val from scikit-learn 1.7 on; "
                    "with older versions use its own validation_fraction."
                    if type(estimator).__name__.startswith("HistGradientBoosting")
                    else ""
                )
            )
        X, y = indexable(X, y)
        n_samples = num_samples(X)
        aligned = {
            k: v
            for k, v in fit_params.items()
            if hasattr(v, "__len__") and not isinstance(v, str) and len(v) == n_samples
        }
        other = {k: v for k, v in fit_params.items() if k not in aligned}
        parts = self._split(X, y, list(aligned.values()), estimator)
        X_fit, X_val, y_fit, y_val = parts[:4]
        fit_kwargs = dict(other)
        weights_val = None
        for name, train_part, val_part in zip(
            aligned, parts[4::2], parts[5::2], strict=True
        ):
            fit_kwargs[name] = train_part
            if name == "sample_weight":
                weights_val = val_part
        self._configure(
            estimator, library, style, fit_kwargs, X_val, y_val, weights_val
        )
        estimator.fit(X_fit, y_fit, **fit_kwargs)
        self.estimator_ = estimator
        self.n_validation_samples_ = len(y_val)
        self.n_iterations_ = _iterations(estimator, library)
        for name in ("classes_", "n_features_in_", "feature_names_in_"):
            if hasattr(estimator, name):
                setattr(self, name, getattr(estimator, name))
        return self

    def _split(self, X: Any, y: Any, arrays: list, estimator: Any) -> list:
        stratify = self.stratify
        if stratify == "auto":
            stratify = is_classifier(estimator)
        kwargs = {
            "test_size": self.validation_fraction,
            "random_state": self.random_state,
        }
        if stratify:
            try:
                return train_test_split(X, y, *arrays, stratify=y, **kwargs)
            except ValueError as exc:
                warnings.warn(
                    f"EarlyStopping could not stratify the validation split ({exc}); "
                    "it splits without stratification.",
                    UserWarning,
                    stacklevel=3,
                )
        return train_test_split(X, y, *arrays, **kwargs)

    def _configure(
        self,
        estimator: Any,
        library: str,
        style: str,
        fit_kwargs: dict,
        X_val: Any,
        y_val: Any,
        weights_val: Any,
    ) -> None:
        """Put the validation set and the patience into the estimator's terms."""
        if style == "X_val":
            fit_kwargs.update(X_val=X_val, y_val=y_val)
            if weights_val is not None:
                fit_kwargs["sample_weight_val"] = weights_val
            if (
                self.patience is not None
                and "n_iter_no_change" in estimator.get_params()
            ):
                estimator.set_params(
                    early_stopping=True, n_iter_no_change=self.patience
                )
            return
        fit_kwargs["eval_set"] = [(X_val, y_val)]
        if library == "lightgbm":
            import lightgbm

            if "eval_X" in _fit_parameters(estimator):  # LightGBM >= 4.7
                del fit_kwargs["eval_set"]
                fit_kwargs.update(eval_X=(X_val,), eval_y=(y_val,))

            if weights_val is not None:
                fit_kwargs["eval_sample_weight"] = [weights_val]
            if self.patience is not None:
                stop = lightgbm.early_stopping(self.patience, verbose=False)
                fit_kwargs["callbacks"] = [*(fit_kwargs.get("callbacks") or []), stop]
        elif library == "xgboost":
            if weights_val is not None:
                fit_kwargs["sample_weight_eval_set"] = [weights_val]
            if self.patience is not None:
                estimator.set_params(early_stopping_rounds=self.patience)
            fit_kwargs.setdefault("verbose", False)
        elif library == "catboost":
            fit_kwargs["eval_set"] = (X_val, y_val)
            if self.patience is not None:
                fit_kwargs["early_stopping_rounds"] = self.patience
            fit_kwargs.setdefault("verbose", False)

    @available_if(_estimator_has("predict"))
    def predict(self, X: Any) -> np.ndarray:
        """The fitted estimator's ``predict``."""
        check_is_fitted(self)
        return self.estimator_.predict(X)

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X: Any) -> np.ndarray:
        """The fitted estimator's ``predict_proba``."""
        check_is_fitted(self)
        return self.estimator_.predict_proba(X)

    @available_if(_estimator_has("predict_log_proba"))
    def predict_log_proba(self, X: Any) -> np.ndarray:
        """The fitted estimator's ``predict_log_proba``."""
        check_is_fitted(self)
        return self.estimator_.predict_log_proba(X)

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X: Any) -> np.ndarray:
        """The fitted estimator's ``decision_function``."""
        check_is_fitted(self)
        return self.estimator_.decision_function(X)

    @available_if(_estimator_has("score"))
    def score(self, X: Any, y: Any, **params: Any) -> float:
        """The fitted estimator's ``score``."""
        check_is_fitted(self)
        return self.estimator_.score(X, y, **params)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        inner = self.estimator.__sklearn_tags__()
        tags.estimator_type = inner.estimator_type
        tags.classifier_tags = inner.classifier_tags
        tags.regressor_tags = inner.regressor_tags
        tags.target_tags.required = True
        tags.input_tags = inner.input_tags
        return tags


def _iterations(estimator: Any, library: str) -> int:
    """The boosting iterations the fitted estimator predicts with."""
    if library == "lightgbm":
        best = getattr(estimator, "best_iteration_", 0) or 0
        return int(best) if best > 0 else int(estimator.n_iter_)
    if library == "xgboost":
        best = getattr(estimator, "best_iteration", None)
        if best is not None:
            return int(best) + 1
        return int(estimator.get_booster().num_boosted_rounds())
    if library == "catboost":
        best = estimator.get_best_iteration()
        return int(best) + 1 if best is not None else int(estimator.tree_count_)
    for name in ("n_iter_", "best_iteration_", "n_estimators_"):
        value = getattr(estimator, name, None)
        if isinstance(value, numbers.Integral):
            return int(value)
    return -1


def iterations_used(estimator: Any, X: Any = None, y: Any = None) -> float:
    """A scorer returning the boosting iterations a fitted model uses.

    Add it to a multi-metric ``scoring`` to see, in ``cv_results_`` (or
    ``cross_validate``'s output), how many iterations early stopping kept
    in every fold: ``scoring={"accuracy": "accuracy", "n_iter":
    iterations_used}`` with ``refit="accuracy"`` gives ``mean_test_n_iter``
    and ``split<k>_test_n_iter``. Works on :class:`EarlyStopping`, on a
    Pipeline ending in one, and on estimators with ``n_iter_`` or
    ``best_iteration_``; NaN otherwise.

    Parameters
    ----------
    estimator : fitted estimator
    X, y : ignored
        Present for the scorer signature.

    Returns
    -------
    float
    """
    del X, y
    while hasattr(estimator, "steps"):
        estimator = estimator.steps[-1][1]
    if isinstance(estimator, EarlyStopping):
        return float(estimator.n_iterations_)
    value = _iterations(estimator, _library(estimator))
    return float(value) if value >= 0 else float("nan")
