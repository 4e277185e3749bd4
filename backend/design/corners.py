"""The outer corner where two walls meet end to end, pure.

A wall is a centreline with a thickness, drawn as boxes from its start to its end. Two walls that
meet at a corner share an end point on their centrelines, so their boxes cover everything but the
outer quarter of the corner: seen from outside, the house had a notch of half a wall by half a wall
at every corner. :func:`corner_fills` gives that quarter as one more solid of one of the two walls (the
first by id), a rectangle in plan millimetres, which the 3D scene draws as part of that wall and the
floor-plan benchmark counts as wall.

Only corners near a right angle get one (within ``MAX_SKEW_DEG`` of it): a straight continuation
has no gap, and at other angles the gap is a kite a rectangle would not fit. Where three or more
ends meet (a T or a cross of ends) the other walls fill the corners.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from backend.design.model import Wall

JOINT_MM = 1.0
"""End points closer than this are one joint."""
MAX_SKEW_DEG = 10.0
"""How far from a right angle a corner may be and still be filled."""

Point = tuple[float, float]
Fill = tuple[Point, Point, Point, Point]
"""The corners of the rectangle, plan mm (x right, y down), in order around it."""


def corner_fills(walls: Sequence[Wall]) -> dict[str, list[Fill]]:
    """For each wall id that fills a corner, the rectangles that close its corners (plan mm)."""
    ends: defaultdict[tuple[int, int], list[tuple[Wall, bool]]] = defaultdict(list)
    for wall in walls:
        if wall.length_mm <= 0:
            continue
        for at_end, p in ((False, wall.start), (True, wall.end)):
            ends[(round(p.x / JOINT_MM), round(p.y / JOINT_MM))].append((wall, at_end))
    limit = math.sin(math.radians(MAX_SKEW_DEG))
    out: defaultdict[str, list[Fill]] = defaultdict(list)
    for joint in ends.values():
        if len(joint) != 2 or joint[0][0].id == joint[1][0].id:
            continue
        (first, first_end), (other, other_end) = sorted(joint, key=lambda j: j[0].id)
        u = first.direction
        v = other.direction if not other_end else (-other.direction[0], -other.direction[1])  # away from the joint
        if abs(u[0] * v[0] + u[1] * v[1]) > limit:
            continue  # not near a right angle
        # the gap lies on the side of the first wall away from the other one, past the joint
        joint_point = first.end if first_end else first.start
        px, py = joint_point.x, joint_point.y
        out_x, out_y = -v[0] * first.thickness_mm / 2, -v[1] * first.thickness_mm / 2  # to the first's outer face
        sign = 1.0 if first_end else -1.0
        past_x, past_y = sign * u[0] * other.thickness_mm / 2, sign * u[1] * other.thickness_mm / 2  # to the other's
        out[first.id].append(((px, py), (px + out_x, py + out_y), (px + out_x + past_x, py + out_y + past_y),
                              (px + past_x, py + past_y)))
    return dict(out)
