"""
Switch by changing the import
=============================

Code written for scikit-learn's ``GridSearchCV`` and ``RandomizedSearchCV``
runs on skhyper when only the import and the class name change: the grid
goes in under the same keyword (``param_grid=`` or
``param_distributions=``), tuples and other sequences are choices, and
everything read from the fitted search afterwards is scikit-learn's. Optuna
users keep their distribution objects: skhyper recognises
``FloatDistribution``, ``IntDistribution`` and ``CategoricalDistribution``
without importing Optuna itself.

Each search below is first written as its user wrote it, then with skhyper;
the last cell compares how fast each found its best score.
"""

import warnings

import matplotlib.pyplot as plt
from optuna.distributions import (
    CategoricalDistribution,
    FloatDistribution,
    IntDistribution,
)
from scipy.stats import loguniform
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skhyper import BayesSearchCV, HyperSearchCV, RandomSearchCV
from skhyper.plots import plot_convergence

X, y = load_breast_cancer(return_X_y=True)
pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))

# %%
# A grid search
# -------------
# The grid, as a GridSearchCV user writes it: a keyword argument, a tuple of
# choices, a list of numbers.
param_grid = {
    "logisticregression__C": [0.01, 0.1, 1, 10, 100],
    "logisticregression__class_weight": (None, "balanced"),
}
grid = GridSearchCV(pipe, param_grid=param_grid, cv=5).fit(X, y)

# %%
# Only the class changes. ``generator="grid"`` evaluates the same 10
# candidates in the same order, with the same ``cv_results_`` (plus an
# ``iteration`` column); ``BayesSearchCV`` chooses 6 of them with a
# Gaussian process that reads ``C``'s values as ordered.
same = HyperSearchCV(pipe, param_grid=param_grid, cv=5, generator="grid").fit(X, y)
bayes = BayesSearchCV(pipe, param_grid=param_grid, cv=5, n_iter=6, random_state=0)
bayes.fit(X, y)
for name, search in [
    ("GridSearchCV", grid),
    ("HyperSearchCV (grid)", same),
    ("BayesSearchCV (6/10)", bayes),
]:
    best = {k.split("__")[-1]: v for k, v in search.best_params_.items()}
    print(f"{name:21} {search.best_score_:.4f}  {best}")

# %%
# A randomized search
# -------------------
distributions = {
    "logisticregression__C": loguniform(1e-3, 1e3),
    "logisticregression__class_weight": [None, "balanced"],
}
randomized = RandomizedSearchCV(
    pipe, param_distributions=distributions, n_iter=12, cv=5, random_state=0
).fit(X, y)
ours = RandomSearchCV(
    pipe, param_distributions=distributions, n_iter=12, cv=5, random_state=0
).fit(X, y)
print(f"RandomizedSearchCV  {randomized.best_score_:.4f}")
print(f"RandomSearchCV      {ours.best_score_:.4f}")

# %%
# Optuna's distributions
# ----------------------
# The space of an ``OptunaSearchCV`` goes into any skhyper search as it is.
optuna_space = {
    "logisticregression__C": FloatDistribution(1e-3, 1e3, log=True),
    "logisticregression__max_iter": IntDistribution(1000, 3000, step=1000),
    "logisticregression__class_weight": CategoricalDistribution([None, "balanced"]),
}
from_optuna = BayesSearchCV(pipe, optuna_space, n_iter=12, cv=5, random_state=0)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # convergence warnings of small max_iter
    from_optuna.fit(X, y)
print(f"BayesSearchCV on Optuna's space  {from_optuna.best_score_:.4f}")
for name, value in from_optuna.best_params_.items():
    shown = f"{value:.4g}" if isinstance(value, float) else value
    print(f"  {name.split('__')[-1]} = {shown}")

# %%
# The best score so far against the number of candidates evaluated, for the
# searches over a continuous ``C``:
ax = plot_convergence(
    randomized,
    ours,
    from_optuna,
    labels=["RandomizedSearchCV", "RandomSearchCV", "BayesSearchCV (Optuna space)"],
)
ax.set_title("Same scripts, other searches")
plt.show()
