"""Whether a person can do an exercise with what they own (R-RX-6, R-PLAN-3)."""

from __future__ import annotations

from hingecoach.coach import OwnedEquipment
from hingecoach.coach.loads import choose_load_mode
from hingecoach.knowledge import Equipment, Exercise

__all__ = ["fits_equipment", "owns"]


def owns(need: Equipment, equipment: OwnedEquipment) -> bool:
    """Whether the person has this piece of kit. A wall, rack or chair to hold and a floor
    to lie on are taken as given."""
    return {
        Equipment.WALL: equipment.wall,
        Equipment.DOWEL: equipment.dowel,
        Equipment.BAND_ANCHOR: bool(equipment.bands),
        Equipment.BLOCKS: equipment.blocks,
        Equipment.BENCH: equipment.bench,
        Equipment.CABLE_STATION: bool(equipment.cable_stack_kg),
        Equipment.MIRROR: equipment.mirror,
    }.get(need, True)


def fits_equipment(exercise: Exercise, equipment: OwnedEquipment) -> bool:
    """The person owns what ``exercise`` needs and can load it in one of its ways."""
    if choose_load_mode(exercise, equipment) is None:
        return False
    return all(owns(need, equipment) for need in exercise.equipment)
