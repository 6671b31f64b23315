"""The GP generator's trust region: how it adapts, the box it gives, and
that proposals stay inside it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from skhyper import GPGenerator, Integer, Real
from skhyper.generators._trust_region import (
    INITIAL_LENGTH,
    MAX_LENGTH,
    MIN_LENGTH,
    TrustRegion,
)


def _told(region: TrustRegion, design: list[float], *batches: list[float]) -> None:
    """Tell the region the design's scores, then those of successive asks."""
    scores = list(design)
    region.update(np.asarray(scores))
    _more(region, scores, *batches)


def _more(region: TrustRegion, scores: list[float], *batches: list[float]) -> None:
    for batch in batches:
        scores += batch
        region.update(np.asarray(scores))


def test_a_design_without_scores_lets_the_first_result_succeed() -> None:
    region = TrustRegion(n_features=4)
    _told(region, [], [1.0])
    assert region._successes == 1 and region._failures == 0


def test_the_design_sets_the_incumbent_without_counting() -> None:
    region = TrustRegion(n_features=4)
    region.update(np.array([0.1, 0.5, 0.2]))
    assert region.length == INITIAL_LENGTH
    region.update(np.array([0.1, 0.5, 0.2, 0.50001]))  # below the 1e-3 margin
    assert region._failures == 1 and region._successes == 0


def test_three_improving_asks_in_a_row_double_the_side() -> None:
    region = TrustRegion(n_features=4)
    _told(region, [0.0], [1.0], [2.0], [3.0])
    assert region.length == pytest.approx(2 * INITIAL_LENGTH)
    _told(region := TrustRegion(4), [0.0], [1.0], [2.0], [-5.0], [3.0])
    assert region.length == INITIAL_LENGTH  # the run was broken


def test_the_side_never_exceeds_its_maximum() -> None:
    region = TrustRegion(n_features=4)
    _told(region, [0.0], *([[float(i)] for i in range(1, 40)]))
    assert region.length == MAX_LENGTH


@pytest.mark.parametrize("n_features", [2, 4, 30])
def test_max_4_d_results_without_improvement_halve_the_side(n_features: int) -> None:
    region = TrustRegion(n_features)
    tolerance = max(4, n_features)
    scores = [1.0]
    region.update(np.asarray(scores))
    _more(region, scores, *([[0.0]] * (tolerance - 1)))
    assert region.length == INITIAL_LENGTH
    _more(region, scores, [0.0])
    assert region.length == pytest.approx(INITIAL_LENGTH / 2)


def test_a_batch_counts_each_of_its_failed_results() -> None:
    region = TrustRegion(n_features=8)
    _told(region, [1.0], [0.0] * 8)
    assert region.length == pytest.approx(INITIAL_LENGTH / 2)


def test_below_its_floor_the_region_starts_again() -> None:
    region = TrustRegion(n_features=4)
    halvings = int(np.ceil(np.log2(INITIAL_LENGTH / MIN_LENGTH)))
    _told(region, [1.0], *([[0.0]] * (4 * halvings)))
    assert region.length == INITIAL_LENGTH
    assert region.n_restarts == 1


def test_the_box_follows_the_length_scales() -> None:
    region = TrustRegion(n_features=3)
    region.length = 0.2
    lower, upper = region.box(
        np.array([0.5, 0.5, 0.5]),
        np.array([0.1, 0.4, 1.0]),
        np.array([True, True, False]),
    )
    sides = upper - lower
    assert sides[1] == pytest.approx(4 * sides[0])
    # Geometric mean of the confined sides is the region's length.
    assert np.sqrt(sides[0] * sides[1]) == pytest.approx(0.2)
    assert (lower[2], upper[2]) == (0.0, 1.0)


@given(
    center=arrays(float, 5, elements=st.floats(0, 1)),
    scales=arrays(float, 5, elements=st.floats(1e-3, 1e3)),
    confined=arrays(bool, 5),
)
def test_the_box_lies_in_the_unit_cube_and_holds_its_centre(
    center: np.ndarray, scales: np.ndarray, confined: np.ndarray
) -> None:
    lower, upper = TrustRegion(5).box(center, scales, confined)
    assert np.all(0 <= lower) and np.all(upper <= 1)
    assert np.all(lower <= center) and np.all(center <= upper)
    assert np.all(lower[~confined] == 0) and np.all(upper[~confined] == 1)


def _told_generator(
    trust_region: bool, n_dims: int, n_told: int, acquisition: str = "log_ei"
) -> GPGenerator:
    space = {f"x{i}": Real(0.0, 1.0) for i in range(n_dims)}
    gen = GPGenerator(acquisition, trust_region=trust_region).start(
        space, random_state=0
    )
    for _ in range(n_told):
        (candidate,) = gen.ask(1)
        # Best near 0.3 on every axis.
        gen.tell([candidate], [-sum((v - 0.3) ** 2 for v in candidate.values())])
    return gen


def test_proposals_stay_inside_the_box() -> None:
    # UCB: no "nothing left to expect" rule, so the box always holds.
    gen = _told_generator(True, n_dims=3, n_told=30, acquisition="ucb")
    # Shrink the region so that the box is visibly smaller than the cube.
    gen._trust_regions[0].length = 0.05
    candidates = gen.ask(4)
    lower, upper = gen._boxes[0]
    assert np.all(upper - lower < 0.5)
    X = gen._encoders[0].encode(candidates)
    assert np.all(X >= lower - 1e-12) and np.all(X <= upper + 1e-12)


@pytest.mark.parametrize("trust_region", [True, False])
def test_the_region_is_used_exactly_when_asked(trust_region: bool) -> None:
    assert GPGenerator().trust_region is False
    gen = _told_generator(trust_region, n_dims=3, n_told=12, acquisition="ucb")
    assert (gen._trust_regions[0] is not None) is trust_region
    assert (0 in gen._boxes) is trust_region


def test_unordered_choices_alone_get_no_region() -> None:
    gen = GPGenerator(trust_region=True).start(
        {"kernel": ["rbf", "poly", "sigmoid"], "flag": [True, False]},
        random_state=0,
    )
    assert gen._trust_regions[0] is None


@pytest.mark.parametrize("bad", ["yes", "auto", 1.5, None])
def test_a_bad_trust_region_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="trust_region must be True or False"):
        GPGenerator(trust_region=bad).start({"x": Real(0.0, 1.0)}, random_state=0)


def _levy(x: list[int]) -> float:
    w = 1 + (np.asarray(x, dtype=float) - 1) / 4
    return float(
        np.sin(np.pi * w[0]) ** 2
        + np.sum((w[:-1] - 1) ** 2 * (1 + 10 * np.sin(np.pi * w[:-1] + 1) ** 2))
        + (w[-1] - 1) ** 2 * (1 + np.sin(2 * np.pi * w[-1]) ** 2)
    )


def test_a_shrunken_region_over_integers_keeps_proposing_new_candidates() -> None:
    """Integers snap a small box onto values already evaluated: the region
    keeps the neighbouring values inside, and when every value in it is
    taken the proposal comes from the whole space (Levy on {-10..10}^6 once
    ran dry after 60 candidates)."""
    names = [f"x{i}" for i in range(6)]
    gen = GPGenerator(trust_region=True).start(
        {name: Integer(-10, 10) for name in names}, random_state=0
    )
    seen = set()
    for _ in range(100):
        (candidate,) = gen.ask(1)
        key = tuple(candidate[name] for name in names)
        assert key not in seen
        seen.add(key)
        gen.tell([candidate], [-_levy(list(key))])


@pytest.mark.parametrize("trust_region", [True, False])
def test_a_halving_search_takes_a_gp_generator_with_any_trust_region(
    trust_region: bool,
) -> None:
    """HalvingBayesSearchCV turns a GPGenerator into its multi-fidelity model,
    which has no trust region (scores at several fidelities do not measure
    progress alike)."""
    from sklearn.datasets import make_classification
    from sklearn.tree import DecisionTreeClassifier

    from skhyper import HalvingBayesSearchCV

    X, y = make_classification(n_samples=120, random_state=0)
    search = HalvingBayesSearchCV(
        DecisionTreeClassifier(random_state=0),
        {"max_depth": Integer(1, 8), "min_samples_leaf": Integer(1, 10)},
        generator=GPGenerator(trust_region=trust_region),
        n_candidates=9,
        cv=2,
        random_state=0,
    ).fit(X, y)
    generator = search.generator_
    assert generator.trust_region is False
    assert all(region is None for region in generator._trust_regions)


def test_the_region_halving_sets_the_next_proposal_to_explore() -> None:
    region = TrustRegion(n_features=2)
    scores = [1.0]
    region.update(np.asarray(scores))
    _more(region, scores, *([[0.0]] * 3))
    assert not region.explore_next
    _more(region, scores, [0.0])
    assert region.explore_next and region.length == pytest.approx(INITIAL_LENGTH / 2)


def _branin(x1: float, x2: float) -> float:
    b, c, t = 5.1 / (4 * np.pi**2), 5 / np.pi, 1 / (8 * np.pi)
    return (x2 - b * x1**2 + c * x1 - 6) ** 2 + 10 * (1 - t) * np.cos(x1) + 10


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_a_short_search_does_not_stall_where_the_model_is_wrongly_sure(
    seed: int,
) -> None:
    """Seed 2 once sampled Branin's boundary point (10, 3.0) 25 times over
    (regret 1.5 after 30 evaluations): the model's long length scales made it
    sure nothing better lay in the box. Since each halving's next proposal
    goes where the model is least sure inside the box, it does not."""
    gen = GPGenerator(trust_region=True).start(
        {"x1": Real(-5, 10), "x2": Real(0, 15)}, random_state=seed
    )
    for _ in range(30):
        (candidate,) = gen.ask(1)
        gen.tell([candidate], [-_branin(candidate["x1"], candidate["x2"])])
    assert -max(gen.scores_) - 0.397887 < 0.05
