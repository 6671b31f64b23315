"""The ``OptunaSearchCV`` arguments skhyper has no honest equivalent for.

Each raises at ``fit`` with a message that says what Optuna would do and
which skhyper search does the job.
"""

from __future__ import annotations

from typing import Any

__all__ = ["check_callbacks", "check_catch", "check_pruning", "check_study"]

#: What to use instead of a study with a given sampler.
SAMPLER_HINTS = {
    "RandomSampler": (
        "for its RandomSampler, skhyper.RandomSearchCV(estimator, "
        "param_distributions, n_iter=n_trials, random_state=seed) samples at random"
    ),
    "QMCSampler": (
        "for its QMCSampler, skhyper.HyperSearchCV(estimator, param_distributions, "
        "generator='sobol', n_iter=n_trials) spreads scrambled Sobol points"
    ),
    "GridSampler": (
        "for its GridSampler, skhyper.HyperSearchCV(estimator, "
        "param_distributions, generator='grid') evaluates the whole grid"
    ),
    "BruteForceSampler": (
        "for its BruteForceSampler, skhyper.HyperSearchCV(estimator, "
        "param_distributions, generator='grid') evaluates every candidate"
    ),
    "GPSampler": (
        "its GPSampler is what this face already does without study= "
        "(a Gaussian process, skhyper.GPGenerator)"
    ),
    "TPESampler": (
        "skhyper has no TPE sampler; without study= this face runs its "
        "Gaussian process (skhyper.GPGenerator), as Optuna's GPSampler would"
    ),
}


def check_study(study: Any) -> None:
    """Refuse a user-supplied Optuna study, naming the skhyper way."""
    if study is None:
        return
    sampler = type(getattr(study, "sampler", None)).__name__
    hint = SAMPLER_HINTS.get(
        sampler,
        "skhyper.HyperSearchCV(estimator, param_distributions, generator=...) "
        "takes 'random', 'sobol', 'grid', 'gp' or a configured generator",
    )
    raise ValueError(
        "study= hands the search to an Optuna study (its sampler, pruner and "
        "storage), which skhyper.optuna.OptunaSearchCV does not run: it searches "
        "with skhyper's Gaussian process, seeded by random_state, and records the "
        "trials in study_ after fit. Drop study=; "
        f"{hint}. To keep the trials of a long search across runs (what a "
        "study's storage does), use skhyper.BayesSearchCV(..., "
        "checkpoint='search.ckpt')."
    )


def check_pruning(enable_pruning: bool, estimator: Any) -> None:
    """Refuse ``enable_pruning=True``, naming successive halving."""
    if not enable_pruning:
        return
    names: dict[str, Any] = getattr(estimator, "get_params", dict)()
    iterations = sorted(n for n in names if n.split("__")[-1] == "max_iter")
    if iterations:
        resource = (
            f"resource={iterations[0]!r} grows that iteration count from rung to "
            "rung (resource='n_samples' grows the training data instead)"
        )
    else:
        resource = (
            "resource='n_samples' grows the training data from rung to rung (or "
            "resource='<an integer parameter such as n_estimators>')"
        )
    raise ValueError(
        "enable_pruning=True stops unpromising trials between partial_fit "
        "epochs (up to max_iter), which skhyper does not do: its searches call "
        "fit. skhyper stops unpromising candidates early by successive halving "
        "instead: skhyper.HalvingBayesSearchCV(estimator, param_distributions, "
        f"{resource}); see the user guide's multi-fidelity page. Or pass "
        "enable_pruning=False (the default) to evaluate every candidate fully."
    )


def check_catch(catch: Any, error_score: Any) -> tuple[type[BaseException], ...]:
    """``catch`` as a tuple of exception types; refused with
    ``error_score="raise"``, where skhyper cannot catch only some types."""
    if isinstance(catch, type) and issubclass(catch, BaseException):
        types: tuple = (catch,)
    else:
        try:
            types = tuple(catch)
        except TypeError:
            types = (catch,)
    bad = [t for t in types if not (isinstance(t, type) and issubclass(t, Exception))]
    if bad:
        raise TypeError(
            "catch must be an exception class or an iterable of exception "
            f"classes, as in Optuna, got {catch!r}."
        )
    if types and isinstance(error_score, str) and error_score == "raise":
        names = ", ".join(t.__name__ for t in types)
        raise ValueError(
            f"catch=({names}) with error_score='raise' asks to go on after fits "
            "that raise these exceptions only, which skhyper cannot do: a "
            "skhyper search goes on after every failed fit when error_score is "
            "a number. Use error_score=np.nan (the default; a failed candidate "
            "is then a FAIL trial with a NaN score, and scikit-learn's "
            "FitFailedWarning shows its error) and drop catch, or keep "
            "error_score='raise' without catch."
        )
    return types


def check_callbacks(callbacks: Any) -> list:
    """Optuna-style callbacks as a list, each taking ``(study, trial)``."""
    if callbacks is None:
        return []
    listed = list(callbacks)
    for callback in listed:
        kind = type(callback).__name__
        if kind in ("NoImprovement", "TargetScore"):
            raise TypeError(
                f"{kind} is a skhyper stopping callback, which takes a "
                "SearchState; OptunaSearchCV's callbacks take Optuna's "
                "(study, trial). Pass it to skhyper.BayesSearchCV(..., "
                "callbacks=[...]) instead."
            )
        if not callable(callback):
            raise TypeError(
                "callbacks must be a list of callables taking (study, trial), "
                f"as in Optuna, got {callback!r}."
            )
    return listed
