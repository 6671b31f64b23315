"""
Compare generators at equal budget
==================================

The same search of an SVC pipeline on the breast-cancer data, with the
candidates proposed by four generators: a grid, independent random draws,
scrambled Sobol points, and Bayesian optimization with a Gaussian process.
:func:`~skhyper.plots.plot_convergence` draws the best cross-validated
accuracy found after each evaluation, one line per search, and each
evaluation as a faint dot.
"""

from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skhyper import GridGenerator, HyperSearchCV, Real
from skhyper.plots import plot_convergence

X, y = load_breast_cancer(return_X_y=True)
pipe = make_pipeline(StandardScaler(), SVC())
space = {
    "svc__C": Real(1e-2, 1e3, log=True),
    "svc__gamma": Real(1e-5, 1e0, log=True),
}
cv = StratifiedKFold(3, shuffle=True, random_state=0)

# %%
# Run the searches
# ----------------
# ``generator`` is the only difference. The grid takes 5 values per
# parameter (25 candidates, in ``ParameterGrid`` order); the others get the
# same 25 evaluations.
searches = {
    name: HyperSearchCV(
        pipe, space, generator=generator, n_iter=25, cv=cv, random_state=0
    ).fit(X, y)
    for name, generator in [
        ("grid", GridGenerator(n_points=5)),
        ("random", "random"),
        ("sobol", "sobol"),
        ("gp", "gp"),
    ]
}
for name, search in searches.items():
    print(f"{name:>6}: best accuracy {search.best_score_:.4f}")

# %%
# Convergence
# -----------
# The grid walks its rows in order, so it reaches the good region only when
# its row arrives; random and Sobol points find good settings early by
# chance; the Gaussian process, after its initial Sobol points, proposes
# candidates where it expects the accuracy to improve.
ax = plot_convergence(*searches.values(), labels=list(searches))
ax.set_ylim(0.9, 1.0)
