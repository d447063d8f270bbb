"""Where a clip split over processes is cut (issue 17): the first part, posed by the
calling process, is the longer by what each later part poses before its own frames."""

from __future__ import annotations

import itertools

import pytest

from hingecoach.capture.split import part_bounds


def test_two_parts_the_first_longer_by_the_head_start() -> None:
    bounds = part_bounds(0.0, 60.0, 2, 1.5)
    assert bounds[0] == 0.0 and bounds[-1] == 60.0
    first, second = bounds[1] - bounds[0], bounds[2] - bounds[1]
    assert first - second == pytest.approx(1.5)
    assert first + second == pytest.approx(60.0)


def test_later_parts_are_of_one_length_from_a_stretch_start() -> None:
    bounds = part_bounds(10.0, 40.0, 3, 1.5)
    lengths = [b - a for a, b in itertools.pairwise(bounds)]
    assert bounds[0] == 10.0 and bounds[-1] == 40.0
    assert lengths[1] == pytest.approx(lengths[2])
    assert lengths[0] == pytest.approx(lengths[1] + 1.5)
    assert all(a < b for a, b in itertools.pairwise(bounds))


def test_a_range_shorter_than_the_head_start_is_cut_evenly() -> None:
    assert part_bounds(0.0, 1.0, 2, 1.5) == pytest.approx([0.0, 0.5, 1.0])


def test_one_part_is_the_whole_range() -> None:
    assert part_bounds(2.0, 9.0, 1, 1.5) == [2.0, 9.0]
