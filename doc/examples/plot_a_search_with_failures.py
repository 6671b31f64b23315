"""
The plots of a search with failed candidates
============================================

A real search meets candidates that fail and candidates that score very
poorly. This one tunes a PCA and an SVC on the 30 features of the
breast-cancer data, letting ``n_components`` go up to 40 by mistake: PCA
refuses more components than features, so those candidates fail on every
fold, and the search records ``error_score`` (NaN) for them and goes on.
Very small ``C`` gives a poor model, whose score would otherwise flatten
every other point against the top of the axes.

Each plot shows these cases:

- :func:`~skhyper.plots.plot_convergence` keeps its y-axis on the useful
  range: failed candidates are red crosses on the bottom edge, very poor
  scores grey triangles there, both in the legend;
- :func:`~skhyper.plots.plot_evaluations` draws failed candidates as red
  crosses at the worst score seen;
- :func:`~skhyper.plots.plot_partial_dependence` draws the model's average
  over the other parameters and, higher up, the model through the best
  candidate, which is where the evaluated points cluster.
"""

import warnings

from sklearn.datasets import load_breast_cancer
from sklearn.decomposition import PCA
from sklearn.exceptions import FitFailedWarning
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skhyper import BayesSearchCV, Integer, Real
from skhyper.plots import plot_convergence, plot_evaluations, plot_partial_dependence

X, y = load_breast_cancer(return_X_y=True)
pipe = make_pipeline(StandardScaler(), PCA(), SVC())
search = BayesSearchCV(
    pipe,
    {
        "pca__n_components": Integer(1, 40),  # only 1 to 30 can fit
        "svc__C": Real(1e-4, 1e3, log=True),
        "svc__kernel": ["rbf", "linear", "sigmoid"],
    },
    n_iter=24,
    cv=StratifiedKFold(3, shuffle=True, random_state=0),
    random_state=0,
)
with warnings.catch_warnings():
    # The failures are the point here: silence what scikit-learn and the
    # model say about them (a search without this shows each once).
    warnings.simplefilter("ignore", FitFailedWarning)
    warnings.simplefilter("ignore", UserWarning)
    warnings.simplefilter("ignore", RuntimeWarning)
    search.fit(X, y)
results = search.cv_results_
scores = results["mean_test_score"]
n_components = [p["pca__n_components"] for p in results["params"]]
failed = [n for n, s in zip(n_components, scores, strict=True) if s != s]
print(f"{len(failed)} of {len(scores)} candidates failed, n_components {failed}")
print(f"worst finite accuracy {min(s for s in scores if s == s):.3f}")
print(f"best accuracy {search.best_score_:.4f} with")
for name, value in search.best_params_.items():
    print(
        f"  {name} = {value:.3g}" if isinstance(value, float) else f"  {name} = {value}"
    )

# %%
# Convergence
# -----------
ax = plot_convergence(search)

# %%
# Evaluations
# -----------
axes = plot_evaluations(search)

# %%
# Partial dependence
# ------------------
# The lower curve (or points, for a list) averages the model over the other
# parameters, failed and poor regions included, so it sits below most
# evaluated points; the upper one holds the other parameters at the best
# candidate's values.
axes = plot_partial_dependence(search)
