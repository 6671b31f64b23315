"""scikit-optimize's ``optimizer_kwargs`` mapped onto skhyper generators.

What has an honest equivalent is mapped; the rest raises a ``ValueError``
that names the skhyper way to get what the user wanted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from skhyper.generators import BaseGenerator, GPGenerator, RandomGenerator

__all__ = ["generator_from_optimizer_kwargs"]

#: scikit-optimize acquisition -> skhyper acquisition. skhyper maximizes the
#: score, so scikit-optimize's lower confidence bound of the loss is the
#: upper confidence bound of the score. Log EI and log PI have the same
#: maximizers as EI and PI and are numerically stable. "gp_hedge" (a
#: portfolio of EI, PI and LCB) has no portfolio here: it runs skhyper's
#: default, log EI.
ACQUISITIONS = {"EI": "log_ei", "PI": "log_pi", "LCB": "ucb", "gp_hedge": "log_ei"}

GENERAL_WAY = (
    "skhyper's own searches expose every generator setting: "
    "skhyper.HyperSearchCV(estimator, search_spaces, generator=GPGenerator(...))"
)


def _refuse(key: str, value: Any, why: str) -> ValueError:
    return ValueError(f"optimizer_kwargs[{key!r}]={value!r}: {why}")


def _surrogate(value: Any) -> str:
    """'gp' or 'dummy' from scikit-optimize's ``base_estimator``."""
    if isinstance(value, str):
        if value.upper() == "GP":
            return "gp"
        if value.upper() == "DUMMY":
            return "dummy"
        if value.upper() in ("RF", "ET", "GBRT"):
            raise _refuse(
                "base_estimator",
                value,
                "skhyper has no tree-based surrogate. Its Gaussian process "
                "models integer and categorical dimensions directly (the usual "
                "reason to pick RF or ET): drop base_estimator. For a search "
                "without a model use base_estimator='dummy' or "
                "skhyper.RandomSearchCV / HyperSearchCV(generator='sobol').",
            )
    raise _refuse(
        "base_estimator",
        value,
        "skhyper's Gaussian process is not a scikit-learn regressor and takes no "
        "kernel or regressor object. Use 'GP' (the default) or 'dummy'; tune the "
        "GP through " + GENERAL_WAY + ", e.g. GPGenerator(length_scale_prior=0.3).",
    )


def generator_from_optimizer_kwargs(
    optimizer_kwargs: Mapping[str, Any] | None,
) -> tuple[BaseGenerator, Any]:
    """An unstarted generator equivalent to scikit-optimize's ``Optimizer(**kwargs)``,
    and the ``random_state`` found in the kwargs (None if absent).

    Raises
    ------
    ValueError
        For a setting with no honest equivalent, naming the skhyper way.
    """
    kwargs = dict(optimizer_kwargs or {})
    gp: dict[str, Any] = {}
    surrogate = "gp"
    random_state = kwargs.pop("random_state", None)
    for key, value in kwargs.items():
        if key == "base_estimator":
            surrogate = _surrogate(value)
        elif key in ("n_initial_points", "n_random_starts"):
            if value is not None:
                gp["n_initial_points"] = int(value)
        elif key == "initial_point_generator":
            if value not in ("random", "sobol"):
                raise _refuse(
                    key,
                    value,
                    "skhyper's first points are always a scrambled Sobol "
                    "sequence (a space-filling design); drop "
                    "initial_point_generator, or pass the points you want "
                    "evaluated first to skhyper.BayesSearchCV(initial_points=...).",
                )
        elif key == "acq_func":
            if value not in ACQUISITIONS:
                raise _refuse(
                    key,
                    value,
                    "skhyper's acquisitions are 'EI', 'PI', 'LCB' and 'gp_hedge' "
                    "here (log EI, log PI, UCB, log EI); there is no per-second "
                    "acquisition. To save fit time, bound the search with "
                    "skhyper.BayesSearchCV(max_time=...).",
                )
            gp["acquisition"] = ACQUISITIONS[value]
        elif key == "acq_func_kwargs":
            for name, setting in dict(value or {}).items():
                if name == "kappa":
                    gp["kappa"] = float(setting)
                elif name == "xi":
                    raise _refuse(
                        "acq_func_kwargs",
                        value,
                        "scikit-optimize's xi is a margin in score units; "
                        "skhyper's GPGenerator(xi=...) is a margin in standard "
                        "deviations of the scores, so there is no conversion. "
                        "Use " + GENERAL_WAY + ".",
                    )
                else:
                    raise _refuse(
                        "acq_func_kwargs", value, f"unknown setting {name!r}."
                    )
        elif key == "acq_optimizer":
            if value not in ("auto", "lbfgs", "sampling"):
                raise _refuse(key, value, "use 'auto', 'lbfgs' or 'sampling'.")
            if value == "sampling":
                gp["n_polish"] = 0
        elif key == "acq_optimizer_kwargs":
            for name, setting in dict(value or {}).items():
                if name == "n_points":
                    gp["n_pool"] = int(setting)
                elif name == "n_restarts_optimizer":
                    gp["n_polish"] = int(setting)
                elif name != "n_jobs":  # the acquisition is vectorized
                    raise _refuse(
                        "acq_optimizer_kwargs", value, f"unknown setting {name!r}."
                    )
        elif key in ("n_jobs", "model_queue_size"):
            continue  # no effect on which candidates are proposed
        elif key == "avoid_duplicates":
            if not value:
                raise _refuse(
                    key,
                    value,
                    "skhyper never proposes a candidate twice; there is no way "
                    "to allow repeats.",
                )
        elif key == "space_constraint":
            if value is not None:
                raise _refuse(
                    key,
                    value,
                    "skhyper has no constraint on a space. Split the space into "
                    "sub-spaces (a list of dicts), or let invalid combinations "
                    "fail (error_score=np.nan: a failed fit is recorded as the "
                    "worst score and the search goes on).",
                )
        elif key == "dimensions":
            raise _refuse(
                key, value, "BayesSearchCV builds the dimensions from search_spaces."
            )
        else:
            raise _refuse(key, value, "not a scikit-optimize Optimizer argument.")
    if surrogate == "dummy":
        unused = set(gp) - {"n_initial_points"}
        if unused:
            raise ValueError(
                f"optimizer_kwargs: {sorted(unused)} configure the Gaussian process, "
                "which base_estimator='dummy' (random search) does not use."
            )
        return RandomGenerator(), random_state
    return GPGenerator(**gp), random_state
