"""
Inspect a Bayesian search
=========================

After a search, three plots tell what it did and what it learnt:

- :func:`~skhyper.plots.plot_evaluations`: where it sampled each parameter,
  coloured by the order of evaluation, against the score obtained;
- :func:`~skhyper.plots.plot_partial_dependence`: how the score depends on
  one parameter or a pair, on average over the others, according to the
  search's Gaussian-process model, with the evaluated points;
- :func:`~skhyper.plots.plot_importance`: the share of the model's variance
  each parameter explains alone.
"""

from sklearn.datasets import load_breast_cancer
from sklearn.decomposition import PCA
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skhyper import BayesSearchCV, Integer, Real
from skhyper.plots import (
    parameter_importance,
    plot_evaluations,
    plot_importance,
    plot_partial_dependence,
)

X, y = load_breast_cancer(return_X_y=True)
pipe = make_pipeline(StandardScaler(), PCA(), SVC())
search = BayesSearchCV(
    pipe,
    {
        "pca__n_components": Integer(1, 20),
        "svc__C": Real(1e-2, 1e3, log=True),
        "svc__gamma": Real(1e-5, 1e0, log=True),
        "svc__class_weight": [None, "balanced"],
    },
    n_iter=30,
    cv=StratifiedKFold(3, shuffle=True, random_state=0),
    random_state=0,
).fit(X, y)
print(f"best accuracy {search.best_score_:.4f} with")
for name, value in search.best_params_.items():
    print(
        f"  {name} = {value:.3g}" if isinstance(value, float) else f"  {name} = {value}"
    )

# %%
# Evaluations
# -----------
# The first evaluations (dark) are Sobol points spread over the space; the
# model then alternates between regions it expects to be good and regions it
# knows little about, and the last evaluations (yellow) cluster where the
# accuracy is best.
axes = plot_evaluations(search)

# %%
# Partial dependence
# ------------------
# One parameter at a time, then ``C`` and ``gamma`` together: the filled
# contours are the model's mean accuracy averaged over the other parameters,
# the dots the evaluated settings and the star the best one. Read the model
# where the dots are dense; elsewhere it mostly reflects its prior.
axes = plot_partial_dependence(search)

# %%
ax = plot_partial_dependence(search, ("svc__C", "svc__gamma"))

# %%
# Parameter importance
# --------------------
# The first-order share of the model's variance explained by each parameter
# alone (see :func:`~skhyper.plots.parameter_importance`); the title gives
# the total, the rest being interactions.
ax = plot_importance(search)
for name, share in parameter_importance(search).items():
    print(f"{name:>20}: {share:.1%}")
