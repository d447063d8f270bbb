"""R-PLAN-3: the push a hinge pairs with is the catalogue's ``superset_push``, not its id."""

from __future__ import annotations

import pytest

from hingecoach.knowledge import Catalogue
from hingecoach.plan import push_for


@pytest.mark.parametrize(
    ("hinge", "push"),
    [
        ("kettlebell-swing", "bench-press"),
        ("banded-pull-through", "bench-press"),
        ("cable-pull-through", "bench-press"),
        ("single-leg-rdl", "overhead-press"),
        ("supported-single-leg-rdl", "overhead-press"),
        ("romanian-deadlift", "push-up"),
        ("kettlebell-deadlift", "push-up"),
    ],
)
def test_r_plan_3_built_in_pairs(catalogue: Catalogue, hinge: str, push: str) -> None:
    assert push_for(catalogue.exercises[hinge]) == push


def test_r_plan_3_the_pair_follows_the_attribute_not_the_id(catalogue: Catalogue) -> None:
    swing = catalogue.exercises["kettlebell-swing"]
    assert push_for(swing.model_copy(update={"superset_push": None})) == "push-up"
    rdl = catalogue.exercises["romanian-deadlift"]
    own = rdl.model_copy(update={"id": "b-stance-rdl", "superset_push": "overhead-press"})
    assert push_for(own) == "overhead-press"
    single = catalogue.exercises["single-leg-rdl"].model_copy(update={"superset_push": None})
    assert push_for(single) == "push-up"
