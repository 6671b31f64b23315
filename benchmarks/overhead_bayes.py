"""Optimizer overhead of Bayesian searches: skhyper's GP vs Optuna and skopt.

Part 1: 100 sequential evaluations (5-fold CV each) of a zero-cost estimator
(benchmarks/_zero_cost.py), so every second spent is the search's own:

- skhyper ``BayesSearchCV`` and ``HyperSearchCV(generator="gp", batch_size=1)``
  (skipped, with a line saying so, until they exist);
- skhyper ``HyperSearchCV(generator="sobol", batch_size=1)``: the same loop
  with a model-free generator, the floor any skhyper generator pays;
- Optuna ``GPSampler`` and ``TPESampler`` in a plain study whose objective runs
  ``cross_val_score`` of the zero-cost estimator;
- Optuna's ``OptunaSearchCV`` (optuna-integration) with a ``GPSampler`` study;
- scikit-optimize ``BayesSearchCV`` (its default GP).

The searches alternate within each repeat (the order rotates) and the script
prints median times and ratios. A search that fails is shown with its error.

Part 2: time to the next suggestion with 200 observations in 6-D (Hartmann-6
values at random points, told up front): ask and tell timed separately over
a few steps, skhyper gp vs Optuna TPE (and Optuna GP, skopt's Optimizer).

Run (in the benchmark env, see benchmarks/README.md):
    python benchmarks/overhead_bayes.py [--n-iter 100] [--repeats 3]
    python benchmarks/overhead_bayes.py --n-iter 20 --repeats 1 --steps 3  # smoke
"""

from __future__ import annotations

import argparse
import statistics
import time
import traceback
import warnings

import numpy as np
from sklearn.model_selection import KFold, cross_val_score

try:
    from benchmarks._methods import method_versions
    from benchmarks._zero_cost import ZeroCostRegressor, zero_cost_data
    from benchmarks.functions import FUNCTIONS
except ImportError:  # run as a script from benchmarks/
    from _methods import method_versions
    from _zero_cost import ZeroCostRegressor, zero_cost_data
    from functions import FUNCTIONS


class NotAvailable(Exception):
    pass


def _skhyper_has_gp() -> bool:
    from skhyper.generators import GENERATORS

    return "gp" in GENERATORS


# -- part 1: whole searches -----------------------------------------------------
def _skhyper_space():
    from skhyper import Integer, Real

    return {"a": Real(1e-3, 1e3, log=True), "b": Integer(0, 9), "c": ["x", "y"]}


def _optuna_space():
    from optuna.distributions import (
        CategoricalDistribution,
        FloatDistribution,
        IntDistribution,
    )

    return {
        "a": FloatDistribution(1e-3, 1e3, log=True),
        "b": IntDistribution(0, 9),
        "c": CategoricalDistribution(["x", "y"]),
    }


def search_skhyper_bayes(X, y, cv, n_iter, seed):
    import skhyper

    if not hasattr(skhyper, "BayesSearchCV"):
        raise NotAvailable("skhyper.BayesSearchCV does not exist yet")
    search = skhyper.BayesSearchCV(
        ZeroCostRegressor(), _skhyper_space(), n_iter=n_iter, cv=cv, random_state=seed
    )
    search.fit(X, y)
    return len(search.cv_results_["params"])


def _search_skhyper_loop(generator, X, y, cv, n_iter, seed):
    from skhyper import HyperSearchCV

    search = HyperSearchCV(
        ZeroCostRegressor(),
        _skhyper_space(),
        generator=generator,
        n_iter=n_iter,
        batch_size=1,
        cv=cv,
        random_state=seed,
    )
    search.fit(X, y)
    return len(search.cv_results_["params"])


def search_skhyper_gp(X, y, cv, n_iter, seed):
    if not _skhyper_has_gp():
        raise NotAvailable('skhyper has no generator "gp" yet')
    return _search_skhyper_loop("gp", X, y, cv, n_iter, seed)


def search_skhyper_sobol(X, y, cv, n_iter, seed):
    return _search_skhyper_loop("sobol", X, y, cv, n_iter, seed)


def _optuna_study(sampler_name, seed, direction):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    if sampler_name == "gp":
        sampler = optuna.samplers.GPSampler(seed=seed)
    else:
        sampler = optuna.samplers.TPESampler(seed=seed)
    return optuna.create_study(direction=direction, sampler=sampler)


def _search_optuna_study(sampler_name, X, y, cv, n_iter, seed):
    study = _optuna_study(sampler_name, seed, "maximize")

    def objective(trial):
        params = {
            "a": trial.suggest_float("a", 1e-3, 1e3, log=True),
            "b": trial.suggest_int("b", 0, 9),
            "c": trial.suggest_categorical("c", ["x", "y"]),
        }
        return cross_val_score(ZeroCostRegressor(**params), X, y, cv=cv).mean()

    study.optimize(objective, n_trials=n_iter)
    return len(study.trials)


def search_optuna_gp(X, y, cv, n_iter, seed):
    return _search_optuna_study("gp", X, y, cv, n_iter, seed)


def search_optuna_tpe(X, y, cv, n_iter, seed):
    return _search_optuna_study("tpe", X, y, cv, n_iter, seed)


def search_optuna_searchcv_gp(X, y, cv, n_iter, seed):
    try:
        from optuna_integration import OptunaSearchCV
    except ImportError as exc:
        raise NotAvailable(f"optuna_integration not importable: {exc}") from None
    search = OptunaSearchCV(
        ZeroCostRegressor(),
        _optuna_space(),
        n_trials=n_iter,
        cv=cv,
        random_state=seed,
        study=_optuna_study("gp", seed, "maximize"),
    )
    search.fit(X, y)
    return len(search.trials_)


def search_skopt_bayes(X, y, cv, n_iter, seed):
    try:
        from skopt import BayesSearchCV
        from skopt.space import Categorical, Integer, Real
    except ImportError as exc:
        raise NotAvailable(f"scikit-optimize not importable: {exc}") from None
    search = BayesSearchCV(
        ZeroCostRegressor(),
        {
            "a": Real(1e-3, 1e3, prior="log-uniform"),
            "b": Integer(0, 9),
            "c": Categorical(["x", "y"]),
        },
        n_iter=n_iter,
        cv=cv,
        random_state=seed,
    )
    search.fit(X, y)
    return len(search.cv_results_["params"])


SEARCHES = {
    "skhyper BayesSearchCV": search_skhyper_bayes,
    'skhyper HyperSearchCV(generator="gp", batch_size=1)': search_skhyper_gp,
    'skhyper HyperSearchCV(generator="sobol", batch_size=1) [floor]': (
        search_skhyper_sobol
    ),
    "Optuna study, GPSampler": search_optuna_gp,
    "Optuna study, TPESampler": search_optuna_tpe,
    "Optuna OptunaSearchCV, GPSampler": search_optuna_searchcv_gp,
    "scikit-optimize BayesSearchCV": search_skopt_bayes,
}


def _describe(exc: BaseException) -> str:
    last = traceback.extract_tb(exc.__traceback__)[-1]
    return f"{type(exc).__name__}: {exc} (at {last.filename}:{last.lineno})"


def part_searches(args) -> None:
    X, y = zero_cost_data()
    cv = KFold(args.folds)
    names = [n for n in SEARCHES if args.only is None or any(o in n for o in args.only)]
    times: dict[str, list[float]] = {name: [] for name in names}
    cpu_times: dict[str, list[float]] = {name: [] for name in names}
    skipped: dict[str, str] = {}
    for repeat in range(args.repeats):
        shift = repeat % len(names)
        for name in names[shift:] + names[:shift]:
            if name in skipped:
                continue
            start, cpu_start = time.perf_counter(), time.process_time()
            try:
                with warnings.catch_warnings():
                    # OptunaSearchCV warns (FutureWarning, ExperimentalWarning)
                    # once per trial; the numbers, not the noise, matter here.
                    warnings.simplefilter("ignore")
                    n_done = SEARCHES[name](X, y, cv, args.n_iter, repeat)
            except NotAvailable as exc:
                skipped[name] = f"skipped: {exc}"
                continue
            except Exception as exc:
                skipped[name] = f"ERROR: {_describe(exc)}"
                continue
            times[name].append(time.perf_counter() - start)
            cpu_times[name].append(time.process_time() - cpu_start)
            if n_done != args.n_iter:
                skipped[name] = f"ran {n_done} candidates, not {args.n_iter}"

    print(
        f"## 1. {args.n_iter} sequential evaluations x {args.folds} folds of a "
        f"zero-cost estimator, n_jobs=1, {args.repeats} alternated repeats"
    )
    print()
    print(
        "| search | median s | min s | max s | ms per evaluation "
        "| median CPU s (process) |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for name in names:
        values = times[name]
        if not values:
            continue
        median = statistics.median(values)
        print(
            f"| {name} | {median:.2f} | {min(values):.2f} | {max(values):.2f} "
            f"| {1000 * median / args.n_iter:.1f} "
            f"| {statistics.median(cpu_times[name]):.2f} |"
        )
    for name, reason in skipped.items():
        print(f"\n{name}: {reason}")
    medians = {n: statistics.median(v) for n, v in times.items() if v}
    if "skhyper BayesSearchCV" in medians:
        reference = "skhyper BayesSearchCV"
    elif 'skhyper HyperSearchCV(generator="gp", batch_size=1)' in medians:
        reference = 'skhyper HyperSearchCV(generator="gp", batch_size=1)'
    else:
        reference = "Optuna study, GPSampler"
        print(f"\n(no skhyper GP search ran: ratios are to {reference!r})")
    if reference in medians:
        print()
        for name, median in medians.items():
            if name != reference:
                ratio = median / medians[reference]
                print(f"ratio {name} / {reference} (medians): {ratio:.2f}")
    _print_optimizer_time(times, cpu_times, reference)


def _print_optimizer_time(times, cpu_times, reference) -> None:
    """Optimizer time: a search's time minus the floor (the same 5-fold
    evaluations driven by a model-free generator), wall and CPU."""
    floor = next((n for n in times if n.endswith("[floor]") and times[n]), None)
    if floor is None or not times.get(reference):
        return
    print(f"\noptimizer time = search - {floor} (medians)")
    for label, table in (("wall", times), ("CPU", cpu_times)):
        base = statistics.median(table[floor])
        own = statistics.median(table[reference]) - base
        print(f"- {label}: {reference} {own:.2f} s")
        for name, values in table.items():
            if values and name not in (reference, floor):
                other = statistics.median(values) - base
                print(f"  - {name} {other:.2f} s: {other / own:.1f}x")


# -- part 2: one suggestion with many observations --------------------------------
def _history(n_obs, dim, seed):
    func = FUNCTIONS["hartmann6"]
    assert func.dim == dim
    rng = np.random.default_rng(seed)
    X = rng.uniform(size=(n_obs + 50, dim))
    points = [{f"x{i}": float(v) for i, v in enumerate(row)} for row in X]
    return points, [func(row) for row in X], func


def _steps_skhyper(generator, n_obs, steps, seed):
    from skhyper import Real
    from skhyper.generators import GENERATORS, make_generator

    if generator not in GENERATORS:
        raise NotAvailable(f'skhyper has no generator "{generator}" yet')
    points, values, func = _history(n_obs, 6, seed)
    space = {f"x{i}": Real(0.0, 1.0) for i in range(6)}
    gen = make_generator(generator).start(space, random_state=seed)
    gen.tell(points[:n_obs], [-v for v in values[:n_obs]])
    asks, tells = [], []
    for _ in range(steps):
        t0 = time.perf_counter()
        (candidate,) = gen.ask(1)
        t1 = time.perf_counter()
        value = func([candidate[f"x{i}"] for i in range(6)])
        t2 = time.perf_counter()
        gen.tell([candidate], [-value])
        t3 = time.perf_counter()
        asks.append(t1 - t0)
        tells.append(t3 - t2)
    return asks, tells


def _steps_optuna(sampler_name, n_obs, steps, seed):
    import optuna
    from optuna.distributions import FloatDistribution

    points, values, func = _history(n_obs, 6, seed)
    distributions = {f"x{i}": FloatDistribution(0.0, 1.0) for i in range(6)}
    study = _optuna_study(sampler_name, seed, "minimize")
    study.add_trials(
        [
            optuna.trial.create_trial(params=p, distributions=distributions, value=v)
            for p, v in zip(points[:n_obs], values[:n_obs], strict=True)
        ]
    )
    asks, tells = [], []
    for _ in range(steps):
        t0 = time.perf_counter()
        trial = study.ask(distributions)
        t1 = time.perf_counter()
        value = func([trial.params[f"x{i}"] for i in range(6)])
        t2 = time.perf_counter()
        study.tell(trial, value)
        t3 = time.perf_counter()
        asks.append(t1 - t0)
        tells.append(t3 - t2)
    return asks, tells


def _steps_skopt(n_obs, steps, seed):
    import skopt

    points, values, func = _history(n_obs, 6, seed)
    opt = skopt.Optimizer([(0.0, 1.0)] * 6, base_estimator="GP", random_state=seed)
    opt.tell([list(p.values()) for p in points[:n_obs]], values[:n_obs])
    asks, tells = [], []
    for _ in range(steps):
        t0 = time.perf_counter()
        x = opt.ask()
        t1 = time.perf_counter()
        value = func(x)
        t2 = time.perf_counter()
        opt.tell(x, value)  # refits the GP and optimizes the acquisition
        t3 = time.perf_counter()
        asks.append(t1 - t0)
        tells.append(t3 - t2)
    return asks, tells


STEPPERS = {
    "skhyper gp": lambda n, s, seed: _steps_skhyper("gp", n, s, seed),
    "Optuna TPESampler": lambda n, s, seed: _steps_optuna("tpe", n, s, seed),
    "Optuna GPSampler": lambda n, s, seed: _steps_optuna("gp", n, s, seed),
    "scikit-optimize Optimizer (GP)": _steps_skopt,
}


def part_steps(args) -> None:
    rows, skipped = {}, {}
    for name, stepper in STEPPERS.items():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                rows[name] = stepper(args.n_obs, args.steps, 0)
        except NotAvailable as exc:
            skipped[name] = f"skipped: {exc}"
        except Exception as exc:
            skipped[name] = f"ERROR: {_describe(exc)}"
    print()
    print(
        f"## 2. Next suggestion with {args.n_obs} observations in 6-D "
        f"(median of {args.steps} ask/tell steps)"
    )
    print()
    print("| optimizer | ask ms | tell ms | ask + tell ms |")
    print("| --- | --- | --- | --- |")
    totals = {}
    for name, (asks, tells) in rows.items():
        total = [a + t for a, t in zip(asks, tells, strict=True)]
        totals[name] = statistics.median(total)
        print(
            f"| {name} | {1000 * statistics.median(asks):.1f} "
            f"| {1000 * statistics.median(tells):.1f} "
            f"| {1000 * totals[name]:.1f} |"
        )
    for name, reason in skipped.items():
        print(f"\n{name}: {reason}")
    reference = "skhyper gp" if "skhyper gp" in totals else "Optuna TPESampler"
    if reference != "skhyper gp":
        print(f"\n(skhyper gp did not run: ratios are to {reference!r})")
    if reference in totals:
        print()
        for name, total in totals.items():
            if name != reference:
                ratio = total / totals[reference]
                print(f"ratio {name} / {reference} (ask + tell medians): {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]),
    )
    parser.add_argument("--n-iter", type=int, default=100, help="evaluations")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--only",
        nargs="+",
        default=None,
        help="run only the part-1 searches whose name contains one of these",
    )
    parser.add_argument("--n-obs", type=int, default=200, help="part 2 history")
    parser.add_argument("--steps", type=int, default=5, help="part 2 timed steps")
    parser.add_argument(
        "--part", choices=["1", "2", "both"], default="both", help="what to run"
    )
    args = parser.parse_args()

    print("# Overhead of Bayesian optimization searches")
    print(f"# {method_versions()}")
    print()
    if args.part in ("1", "both"):
        part_searches(args)
    if args.part in ("2", "both"):
        part_steps(args)


if __name__ == "__main__":
    main()
