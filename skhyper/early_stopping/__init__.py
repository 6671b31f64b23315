"""Estimators' own early stopping inside every fold of a search.

:class:`EarlyStopping` wraps LightGBM, XGBoost, CatBoost or scikit-learn's
HistGradientBoosting and hands it a validation set carved from the data it
is fitted on (the training fold, never the test fold);
:func:`iterations_used` is a scorer that reports the iterations kept in
``cv_results_``.
"""

from skhyper.early_stopping._estimator import EarlyStopping, iterations_used

__all__ = ["EarlyStopping", "iterations_used"]
