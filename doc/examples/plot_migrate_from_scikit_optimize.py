"""
Run a scikit-optimize script on skhyper
=======================================

A search written for scikit-optimize's ``BayesSearchCV`` (here its
documented "advanced example": a pipeline over two model classes, each
searched with its own budget) runs on skhyper when only the imports change::

    # from skopt import BayesSearchCV
    # from skopt.space import Real, Categorical, Integer
    from skhyper.skopt import BayesSearchCV, Categorical, Integer, Real

Everything else is scikit-optimize's code: tuples as ranges, a list of
``(space, n_iter)`` pairs, ``fit(..., callback=...)``, ``total_iterations``
and ``optimizer_results_``. Smaller budgets and a slice of digits keep the
docs build fast.
"""

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.svm import SVC, LinearSVC

from skhyper.skopt import BayesSearchCV, Categorical, Integer, Real

X, y = load_digits(n_class=10, return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X[:900], y[:900], random_state=0)

# pipeline class is used as estimator to enable
# search over different model types
pipe = Pipeline([("model", SVC())])

linsvc_search = {
    "model": [LinearSVC(max_iter=1000)],
    "model__C": (1e-6, 1e6, "log-uniform"),
}
svc_search = {
    "model": Categorical([SVC()]),
    "model__C": Real(1e-6, 1e6, prior="log-uniform"),
    "model__gamma": Real(1e-6, 1e1, prior="log-uniform"),
    "model__degree": Integer(1, 8),
    "model__kernel": Categorical(["linear", "poly", "rbf"]),
}

opt = BayesSearchCV(
    pipe,
    [(svc_search, 12), (linsvc_search, 6)],  # (parameter space, # of evaluations)
    cv=3,
    random_state=0,
)
print("total iterations:", opt.total_iterations)


def on_step(optim_result):
    # scikit-optimize's callback: the result of the sub-space being searched
    # (a minimization: fun is minus the best score); True would stop it.
    print(
        f"{len(optim_result.x_iters):2d} candidates, best score {-optim_result.fun:.4f}"
    )


opt.fit(X_train, y_train, callback=on_step)

print(f"val. score: {opt.best_score_:.4f}")
print(f"test score: {opt.score(X_test, y_test):.4f}")

# %%
# One ``cv_results_`` for both sub-spaces
# ---------------------------------------
# Every candidate of both sub-spaces is a row of one scikit-learn
# ``cv_results_``; ``optimizer_results_`` holds one scikit-optimize style
# result per sub-space.
scores = opt.cv_results_["mean_test_score"]
kinds = [type(p["model"]).__name__ for p in opt.cv_results_["params"]]
fig, ax = plt.subplots(figsize=(6, 3.5))
for kind, colour in (("SVC", "C0"), ("LinearSVC", "C1")):
    rows = [i for i, k in enumerate(kinds) if k == kind]
    ax.plot(rows, scores[rows], "o", color=colour, label=kind)
ax.set_xlabel("candidate")
ax.set_ylabel("mean CV accuracy")
ax.legend()
fig.tight_layout()

for result, kind in zip(opt.optimizer_results_, ("SVC", "LinearSVC"), strict=True):
    print(f"{kind}: {len(result.x_iters)} candidates, best score {-result.fun:.4f}")
