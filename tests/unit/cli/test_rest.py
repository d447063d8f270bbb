"""The CLI rest timer counts against the clock, not against its own ticks."""

from __future__ import annotations

from hingecoach.cli.rest import count_down, rest_label


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_the_label_rounds_up_and_stops_at_zero() -> None:
    assert [rest_label(x) for x in (120, 65, 59.2, 0.1, -3)] == [
        "2:00",
        "1:05",
        "1:00",
        "0:01",
        "0:00",
    ]


def test_a_stalled_terminal_does_not_stretch_the_rest() -> None:
    clock = FakeClock()
    shown: list[str] = []

    def slow_sleep(seconds: float) -> None:  # the machine slept 30 s in one tick
        clock.sleep(30 if not shown[1:] else seconds)

    assert count_down(90, shown.append, clock=clock, sleep=slow_sleep) is True
    assert shown[0] == "1:30" and shown[1] == "1:00", "the clock's time, not one tick less"
    assert shown[-1] == "0:00" and clock.now <= 1000 + 90 + 0.25


def test_ctrl_c_skips_the_rest() -> None:
    clock = FakeClock()
    shown: list[str] = []

    def interrupted(_: float) -> None:
        raise KeyboardInterrupt

    assert count_down(60, shown.append, clock=clock, sleep=interrupted) is False
    assert shown == ["1:00", "skipped"]
