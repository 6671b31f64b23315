"""Stand-ins with the shape of Optuna's objects, so that the tests run
without Optuna (not a test dependency): its three distributions as
``optuna.distributions`` has them (recognised by skhyper by their class
names and ``to_internal_repr``), a study with a sampler, and the
``MaxTrialsCallback`` of ``optuna.study``, written from their documented
behaviour."""

from __future__ import annotations

from types import SimpleNamespace


class BaseDistribution:
    def to_internal_repr(self, value):
        return value

    def __eq__(self, other):
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self):
        return hash((type(self).__name__, *sorted(map(repr, vars(self).items()))))

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({args})"


class FloatDistribution(BaseDistribution):
    def __init__(self, low, high, log=False, step=None):
        self.low, self.high, self.log, self.step = low, high, log, step


class IntDistribution(BaseDistribution):
    def __init__(self, low, high, log=False, step=1):
        self.low, self.high, self.log, self.step = low, high, log, step


class CategoricalDistribution(BaseDistribution):
    def __init__(self, choices):
        self.choices = tuple(choices)


class TPESampler:
    def __init__(self, seed=None):
        self.seed = seed


class RandomSampler(TPESampler):
    pass


class QMCSampler(TPESampler):
    pass


class GPSampler(TPESampler):
    pass


class Study:
    def __init__(self, sampler=None, direction="maximize"):
        self.sampler = TPESampler() if sampler is None else sampler
        self.direction = direction


def create_study(direction="minimize", sampler=None):
    return Study(sampler, direction)


class MaxTrialsCallback:
    """Stops the study once ``n_trials`` trials in ``states`` exist."""

    def __init__(self, n_trials, states=(1,)):  # 1: TrialState.COMPLETE
        self._n_trials = n_trials
        self._states = states

    def __call__(self, study, trial):
        trials = study.get_trials(deepcopy=False, states=self._states)
        if len(trials) >= self._n_trials:
            study.stop()


#: ``import optuna`` for scripts that spell ``optuna.distributions.X``.
optuna = SimpleNamespace(
    distributions=SimpleNamespace(
        FloatDistribution=FloatDistribution,
        IntDistribution=IntDistribution,
        CategoricalDistribution=CategoricalDistribution,
    ),
    samplers=SimpleNamespace(
        TPESampler=TPESampler,
        RandomSampler=RandomSampler,
        QMCSampler=QMCSampler,
        GPSampler=GPSampler,
    ),
    study=SimpleNamespace(MaxTrialsCallback=MaxTrialsCallback),
    create_study=create_study,
)
