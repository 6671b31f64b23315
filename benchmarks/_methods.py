"""One harness for every optimizer the quality benchmarks compare.

A problem is a list of :class:`Dim` and an objective that takes a parameter
dict and returns a value to MINIMIZE. :func:`run_method` runs one optimizer
on it for a budget of evaluations (in batches of ``batch_size``; 1 means
sequential) and returns a :class:`RunResult` with every value and the time
the optimizer spent outside the objective.

Method names:

- ``skhyper-<generator>[:key=value,...]``:
  ``skhyper.generators.make_generator(<generator>)`` with those parameters set
  (for ablations, e.g. ``skhyper-gp:n_local=0``), driven through ask/tell
  (it maximizes, so it is told ``-f``). A generator that does not exist yet
  is reported as not available.
- ``optuna-gp``, ``optuna-tpe``: ``GPSampler`` / ``TPESampler`` with their
  defaults, in ``optuna.create_study(direction="minimize")``; sequential runs
  use ``study.optimize``, batched runs ``study.ask``/``study.tell``.
- ``skopt-gp``: scikit-optimize ``gp_minimize`` (sequential) or its
  ``Optimizer`` with the same GP estimator and defaults, asked for
  ``n_points`` at once (batched).
- ``hebo``: HEBO 0.3.6 (``hebo.optimizers.hebo.HEBO``, the NeurIPS 2020
  black-box challenge winner) with its defaults; ``suggest(n_suggestions=)``
  per batch. Log dimensions are its ``pow``/``pow_int`` types.
- ``smac``: SMAC 2.4 ``HyperparameterOptimizationFacade`` (random forest,
  log-EI, Sobol initial design) with ``deterministic=True``, driven by
  ``ask``/``tell``.
- ``random``: plain random search with numpy (uniform, or log-uniform when
  the dimension is log-scaled), independent of skhyper's own code.
"""

from __future__ import annotations

import ast
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "DEFAULT_METHODS",
    "Dim",
    "NotAvailable",
    "RunResult",
    "method_versions",
    "run_method",
]

DEFAULT_METHODS = [
    "skhyper-gp",
    "skhyper-sobol",
    "skhyper-random",
    "optuna-gp",
    "optuna-tpe",
    "skopt-gp",
    "random",
]


@dataclass(frozen=True)
class Dim:
    """One dimension of a search space, as every method is told it."""

    name: str
    kind: str  # "real", "int" or "cat"
    low: float = 0.0
    high: float = 1.0
    log: bool = False
    choices: tuple = ()


@dataclass
class RunResult:
    method: str
    status: str = "ok"  # "ok", "not available" or "error"
    error: str = ""
    values: list[float] = field(default_factory=list)
    best_params: dict[str, Any] | None = None
    optimizer_s: float = 0.0  # wall time outside the objective
    objective_s: float = 0.0
    optimizer_cpu_s: float = 0.0  # CPU time of this process outside the objective

    @property
    def best(self) -> float:
        finite = [v for v in self.values if np.isfinite(v)]
        return min(finite) if finite else float("nan")

    @property
    def per_suggestion_s(self) -> float:
        return self.optimizer_s / len(self.values) if self.values else float("nan")

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "status": self.status,
            "error": self.error,
            "best": self.best,
            "n_evals": len(self.values),
            "optimizer_s": self.optimizer_s,
            "objective_s": self.objective_s,
            "per_suggestion_s": self.per_suggestion_s,
            "optimizer_cpu_s": self.optimizer_cpu_s,
            "best_params": self.best_params,
            "values": self.values,
        }


class NotAvailable(Exception):
    """The method cannot run in this environment (not written or not installed)."""


class _Recorder:
    """Wraps the objective: records values, the best params and its own time."""

    def __init__(self, objective: Callable[[dict], float]):
        self.objective = objective
        self.values: list[float] = []
        self.best_params: dict | None = None
        self.seconds = 0.0
        self.cpu_seconds = 0.0

    def __call__(self, params: dict) -> float:
        params = {k: _python_scalar(v) for k, v in params.items()}
        start, cpu_start = time.perf_counter(), time.process_time()
        value = float(self.objective(params))
        self.seconds += time.perf_counter() - start
        self.cpu_seconds += time.process_time() - cpu_start
        if not self.values or value < min(self.values):
            self.best_params = params
        self.values.append(value)
        return value


def _python_scalar(value):
    return value.item() if isinstance(value, np.generic) else value


# -- the methods --------------------------------------------------------------
def _run_skhyper(generator, dims, rec, budget, batch_size, seed):
    from skhyper.generators import GENERATORS, make_generator

    if generator.partition(":")[0] not in GENERATORS:
        raise NotAvailable(
            f"skhyper has no generator {generator!r} yet (has {sorted(GENERATORS)})"
        )
    space = skhyper_space(dims)
    name, _, options = generator.partition(":")
    gen = make_generator(name).set_params(**_parse_options(options))
    gen.start(space, random_state=seed)
    while len(rec.values) < budget:
        batch = gen.ask(min(batch_size, budget - len(rec.values)))
        if not batch:
            break
        gen.tell(batch, [-rec(p) for p in batch])


def skhyper_space(dims) -> dict[str, Any]:
    """The suite's dimensions as a skhyper search space."""
    from skhyper import Integer, Real

    space: dict[str, Any] = {}
    for d in dims:
        if d.kind == "real":
            space[d.name] = Real(d.low, d.high, log=d.log)
        elif d.kind == "int":
            space[d.name] = Integer(int(d.low), int(d.high), log=d.log)
        else:
            space[d.name] = list(d.choices)
    return space


def _parse_options(options: str) -> dict[str, Any]:
    """``"n_local=0,xi=0.01"`` (after ``skhyper-gp:``) as generator parameters."""
    pairs = [item.split("=", 1) for item in options.split(",") if item]
    return {key.strip(): ast.literal_eval(value.strip()) for key, value in pairs}


def _optuna_distributions(dims):
    from optuna.distributions import (
        CategoricalDistribution,
        FloatDistribution,
        IntDistribution,
    )

    out = {}
    for d in dims:
        if d.kind == "real":
            out[d.name] = FloatDistribution(d.low, d.high, log=d.log)
        elif d.kind == "int":
            out[d.name] = IntDistribution(int(d.low), int(d.high), log=d.log)
        else:
            out[d.name] = CategoricalDistribution(list(d.choices))
    return out


def _run_optuna(sampler_name, dims, rec, budget, batch_size, seed):
    try:
        import optuna
    except ImportError as exc:
        raise NotAvailable(f"optuna not installed ({exc})") from None
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    if sampler_name == "gp":
        sampler = optuna.samplers.GPSampler(seed=seed)
    else:
        sampler = optuna.samplers.TPESampler(seed=seed)
    study = optuna.create_study(direction="minimize", sampler=sampler)
    distributions = _optuna_distributions(dims)
    if batch_size == 1:

        def objective(trial):
            params = {}
            for d in dims:
                if d.kind == "real":
                    params[d.name] = trial.suggest_float(
                        d.name, d.low, d.high, log=d.log
                    )
                elif d.kind == "int":
                    params[d.name] = trial.suggest_int(
                        d.name, int(d.low), int(d.high), log=d.log
                    )
                else:
                    params[d.name] = trial.suggest_categorical(d.name, list(d.choices))
            return rec(params)

        study.optimize(objective, n_trials=budget)
        return
    while len(rec.values) < budget:
        n = min(batch_size, budget - len(rec.values))
        trials = [study.ask(distributions) for _ in range(n)]
        for trial in trials:
            study.tell(trial, rec(trial.params))


def _skopt_space(dims):
    from skopt.space import Categorical, Integer, Real

    out = []
    for d in dims:
        prior = "log-uniform" if d.log else "uniform"
        if d.kind == "real":
            out.append(Real(d.low, d.high, prior=prior, name=d.name))
        elif d.kind == "int":
            out.append(Integer(int(d.low), int(d.high), prior=prior, name=d.name))
        else:
            out.append(Categorical(list(d.choices), name=d.name))
    return out


def _run_skopt(dims, rec, budget, batch_size, seed):
    try:
        import skopt
        from skopt.utils import cook_estimator
    except ImportError as exc:
        raise NotAvailable(f"scikit-optimize not importable ({exc})") from None
    space = _skopt_space(dims)
    names = [d.name for d in dims]

    def func(x):
        return rec(dict(zip(names, x, strict=True)))

    if batch_size == 1:
        skopt.gp_minimize(func, space, n_calls=budget, random_state=seed)
        return
    # gp_minimize's estimator and acquisition, asked for a batch (constant liar).
    estimator = cook_estimator(
        "GP", space=skopt.space.Space(space), random_state=seed, noise="gaussian"
    )
    opt = skopt.Optimizer(
        space,
        base_estimator=estimator,
        acq_func="gp_hedge",
        acq_optimizer="lbfgs",
        random_state=seed,
    )
    while len(rec.values) < budget:
        n = min(batch_size, budget - len(rec.values))
        xs = opt.ask(n_points=n)
        opt.tell(xs, [func(x) for x in xs])


def _run_hebo(dims, rec, budget, batch_size, seed):
    try:
        import torch
        from hebo.design_space.design_space import DesignSpace
        from hebo.optimizers.hebo import HEBO
    except ImportError as exc:
        raise NotAvailable(f"HEBO not importable ({exc})") from None
    spec = []
    for d in dims:
        if d.kind == "cat":
            # HEBO's categories are strings; map back by position.
            labels = [str(i) for i in range(len(d.choices))]
            spec.append({"name": d.name, "type": "cat", "categories": labels})
        elif d.kind == "int":
            kind = "pow_int" if d.log else "int"
            spec.append({"name": d.name, "type": kind, "lb": d.low, "ub": d.high})
        else:
            kind = "pow" if d.log else "num"
            spec.append({"name": d.name, "type": kind, "lb": d.low, "ub": d.high})
    # HEBO draws from numpy's and torch's global generators.
    np.random.seed(seed)  # noqa: NPY002
    torch.manual_seed(seed)
    opt = HEBO(DesignSpace().parse(spec), scramble_seed=seed)

    def to_params(row):
        params = {}
        for d in dims:
            value = row[d.name]
            if d.kind == "cat":
                params[d.name] = d.choices[int(value)]
            elif d.kind == "int":
                params[d.name] = round(float(value))
            else:
                params[d.name] = float(value)
        return params

    while len(rec.values) < budget:
        n = min(batch_size, budget - len(rec.values))
        suggestions = opt.suggest(n_suggestions=n)
        y = [rec(to_params(row)) for _, row in suggestions.iterrows()]
        opt.observe(suggestions, np.asarray(y, dtype=float).reshape(-1, 1))


def _run_smac(dims, rec, budget, batch_size, seed):
    try:
        import tempfile

        from ConfigSpace import Categorical, ConfigurationSpace, Float, Integer
        from smac import HyperparameterOptimizationFacade, Scenario
        from smac.runhistory.dataclasses import TrialValue
    except ImportError as exc:
        raise NotAvailable(f"SMAC not importable ({exc})") from None
    space = ConfigurationSpace(seed=seed)
    for d in dims:
        if d.kind == "cat":
            space.add(Categorical(d.name, [str(i) for i in range(len(d.choices))]))
        elif d.kind == "int":
            space.add(Integer(d.name, (int(d.low), int(d.high)), log=d.log))
        else:
            space.add(Float(d.name, (float(d.low), float(d.high)), log=d.log))

    def never_called(config, seed: int = 0) -> float:
        raise RuntimeError("driven by ask/tell")

    with tempfile.TemporaryDirectory() as out:
        scenario = Scenario(
            space,
            deterministic=True,
            n_trials=budget,
            seed=seed,
            output_directory=out,
        )
        smac = HyperparameterOptimizationFacade(
            scenario, never_called, overwrite=True, logging_level=40
        )
        while len(rec.values) < budget:
            n = min(batch_size, budget - len(rec.values))
            infos = [smac.ask() for _ in range(n)]
            for info in infos:
                params = {}
                for d in dims:
                    value = info.config[d.name]
                    if d.kind == "cat":
                        value = d.choices[int(value)]
                    params[d.name] = value
                smac.tell(info, TrialValue(cost=rec(params)))


def _run_random(dims, rec, budget, batch_size, seed):
    rng = np.random.default_rng(seed)
    for _ in range(budget):
        params = {}
        for d in dims:
            if d.kind == "cat":
                params[d.name] = d.choices[rng.integers(len(d.choices))]
            elif d.log:
                u = rng.uniform(np.log(d.low), np.log(d.high + (d.kind == "int")))
                params[d.name] = float(np.exp(u))
            else:
                params[d.name] = rng.uniform(d.low, d.high + (d.kind == "int"))
            if d.kind == "int":
                params[d.name] = int(min(np.floor(params[d.name]), d.high))
        rec(params)


def run_method(
    method: str,
    dims: list[Dim],
    objective: Callable[[dict], float],
    *,
    budget: int,
    batch_size: int = 1,
    seed: int = 0,
) -> RunResult:
    """Minimize ``objective`` over ``dims`` with ``method``; never raises."""
    rec = _Recorder(objective)
    result = RunResult(method)
    start, cpu_start = time.perf_counter(), time.process_time()
    try:
        with warnings.catch_warnings():
            # Peers warn about e.g. experimental features or repeated points;
            # the tables report what they do, not what they print.
            warnings.simplefilter("ignore")
            if method.startswith("skhyper-"):
                _run_skhyper(
                    method.removeprefix("skhyper-"), dims, rec, budget, batch_size, seed
                )
            elif method in ("optuna-gp", "optuna-tpe"):
                _run_optuna(
                    method.removeprefix("optuna-"), dims, rec, budget, batch_size, seed
                )
            elif method == "skopt-gp":
                _run_skopt(dims, rec, budget, batch_size, seed)
            elif method == "hebo":
                _run_hebo(dims, rec, budget, batch_size, seed)
            elif method == "smac":
                _run_smac(dims, rec, budget, batch_size, seed)
            elif method == "random":
                _run_random(dims, rec, budget, batch_size, seed)
            else:
                raise NotAvailable(f"unknown method {method!r}")
    except NotAvailable as exc:
        result.status, result.error = "not available", str(exc)
    except Exception as exc:
        result.status = "error"
        last = traceback.extract_tb(exc.__traceback__)[-1]
        result.error = f"{type(exc).__name__}: {exc} (at {last.filename}:{last.lineno})"
    elapsed = time.perf_counter() - start
    result.optimizer_cpu_s = time.process_time() - cpu_start - rec.cpu_seconds
    result.values = rec.values
    result.best_params = rec.best_params
    result.objective_s = rec.seconds
    result.optimizer_s = elapsed - rec.seconds
    return result


def method_versions() -> str:
    """One line naming the versions of everything compared."""
    import importlib
    import platform

    parts = [f"python {platform.python_version()}"]
    for label, module in [
        ("scikit-learn", "sklearn"),
        ("numpy", "numpy"),
        ("scipy", "scipy"),
        ("skhyper", "skhyper"),
        ("optuna", "optuna"),
        ("scikit-optimize", "skopt"),
        ("torch", "torch"),
        ("hebo", "hebo"),
        ("smac", "smac"),
    ]:
        try:
            version = importlib.import_module(module).__version__
        except Exception:
            version = "missing"
        parts.append(f"{label} {version}")
    return ", ".join(parts)
