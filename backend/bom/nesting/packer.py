"""Three-stage strip packing of one material in a normalised frame.

The frame: ``a`` runs along the strips (the stage-1 cuts), ``b`` across them.  Every size is
*kerf-inflated*: a part of real size (w, h) occupies (w + kerf, h + kerf) and the usable board
(L, W) becomes (L + kerf, W + kerf), so packing the inflated rectangles edge to edge leaves at
least one kerf between any two real parts.

A sheet is a list of strips (stage 1, stacked along ``b``); a strip is a row of stacks (stage 2,
side by side along ``a``); a stack is a column of parts (stage 3, piled along ``b``) whose
narrower parts get one final trimming cut.  With ``max_stack`` = 1 this is the 2-stage
pattern (each part trimmed to the strip height).

Filling one sheet (``fill_sheet``): a rule (part ordering × orientation preference × stack
filling × stack opening) opens each strip with the first part that fits, as high as that part;
a strip's stacks start with the next fitting part and pile parts no wider than it.  At every
step the alternatives "this strip takes all the height left" and "this stack takes all the
width left" are evaluated too, and the variant packing the most area wins.

Search (``solve``): sheets are built one at a time, each the best of all rules' fills ("best
sheet first"); the whole construction is repeated with priorities raised for the parts that
ended on poorly used sheets (sequential value correction).  The best solution then goes through
``improve``, a local search that empties the least-used sheet: it moves parts into free slots of
other sheets, or repacks it with one or two other sheets when that leaves less area on the
emptiest one.  All work is counted in part scans (``Budget``), never in seconds, and the only
random numbers come from a fixed-seed generator: the same input gives the same output.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

EPS = 1e-7


@dataclass(slots=True)
class Item:
    idx: int
    a: float  # inflated extent along the strips, unturned
    b: float  # inflated extent across the strips, unturned
    free: bool  # may be turned by 90°
    area: float  # real area, the value of placing it


@dataclass(slots=True)
class Stack:
    width: float
    used: float
    items: list[tuple[Item, bool]] = field(default_factory=list)  # (item, turned)


@dataclass(slots=True)
class Strip:
    height: float
    stacks: list[Stack] = field(default_factory=list)


Plan = list[Strip]


@dataclass(frozen=True, slots=True)
class Rule:
    order: str  # key name in ORDERS
    tall: bool  # openers stand on their long side (only for free parts)
    best_width: bool  # stacks take the widest fitting part instead of the first one
    max_stack: int  # parts per stack (1 = two-stage pattern)
    fit_open: bool = False  # a strip's next stack starts with the widest part that fits


def _dims(it: Item, tall: bool) -> tuple[float, float]:
    if not it.free:
        return it.a, it.b
    lo, hi = sorted((it.a, it.b))
    return (lo, hi) if tall else (hi, lo)


ORDERS: dict[str, Callable[[Item, bool], tuple[float, ...]]] = {
    "height": lambda it, t: (_dims(it, t)[1], _dims(it, t)[0]),
    "area": lambda it, t: (it.a * it.b, _dims(it, t)[1]),
    "width": lambda it, t: (_dims(it, t)[0], _dims(it, t)[1]),
    "maxside": lambda it, t: (max(it.a, it.b), min(it.a, it.b)),
    "perimeter": lambda it, t: (it.a + it.b, _dims(it, t)[1]),
}


def _orient(it: Item, max_a: float, max_b: float, tall: bool) -> tuple[float, float, bool] | None:
    """Fitting orientation (a, b, turned): the tallest (``tall``) or flattest that fits."""
    best: tuple[float, float, bool] | None = None
    if it.a <= max_a + EPS and it.b <= max_b + EPS:
        best = (it.a, it.b, False)
    if it.free and it.b <= max_a + EPS and it.a <= max_b + EPS and (
        best is None or (it.a > it.b if tall else it.a < it.b)
    ):
        best = (it.b, it.a, True)
    return best


def _orient_stack(it: Item, width: float, room: float) -> tuple[float, float, bool] | None:
    """Orientation for a part added to a stack: the one wasting least width."""
    best: tuple[float, float, bool] | None = None
    if it.a <= width + EPS and it.b <= room + EPS:
        best = (it.a, it.b, False)
    if it.free and it.b <= width + EPS and it.a <= room + EPS and (best is None or it.b > it.a):
        best = (it.b, it.a, True)
    return best


def _fill_stack(st: Stack, height: float, pool: Sequence[Item], used: set[int], rule: Rule) -> None:
    while len(st.items) < rule.max_stack:
        room = height - st.used
        pick: tuple[Item, tuple[float, float, bool]] | None = None
        for it in pool:
            if it.idx in used:
                continue
            o = _orient_stack(it, st.width, room)
            if o is None:
                continue
            if not rule.best_width:
                pick = (it, o)
                break
            if pick is None or o[0] > pick[1][0] + EPS:
                pick = (it, o)
        if pick is None:
            return
        it, (_, b, turned) = pick
        used.add(it.idx)
        st.items.append((it, turned))
        st.used += b


def _fill_strip(
    first: tuple[Item, tuple[float, float, bool]],
    pool: Sequence[Item],
    used: set[int],
    length: float,
    rule: Rule,
    height: float | None = None,
) -> Strip:
    it, (a, b, turned) = first
    strip = Strip(height=b if height is None else height)
    room = length
    area = 0.0
    wide: tuple[float, Stack, set[int]] | None = None  # best "last stack takes all the width"
    while True:
        if room > a + EPS:
            wide_used = used | {it.idx}
            st = Stack(width=room, used=b, items=[(it, turned)])
            _fill_stack(st, strip.height, pool, wide_used, rule)
            st.width = max((x.b if t else x.a) for x, t in st.items)
            wide_area = area + sum(x.area for x, _ in st.items)
            if wide is None or wide_area > wide[0] + EPS:
                wide = (wide_area, st, wide_used)
                wide_at = len(strip.stacks)
        used.add(it.idx)
        st = Stack(width=a, used=b, items=[(it, turned)])
        _fill_stack(st, strip.height, pool, used, rule)
        strip.stacks.append(st)
        area += sum(x.area for x, _ in st.items)
        room -= a
        nxt = None
        for cand in pool:
            if cand.idx not in used:
                o = _orient(cand, room, strip.height, True)
                if o is not None and (nxt is None or o[0] > nxt[1][0] + EPS):
                    nxt = (cand, o)
                    if not rule.fit_open:
                        break
        if nxt is None:
            break
        it, (a, b, turned) = nxt
    if wide is not None and wide[0] > area + EPS:
        strip.stacks = [*strip.stacks[:wide_at], wide[1]]
        used.clear()
        used.update(wide[2])
    return strip


@dataclass(slots=True)
class Budget:
    """Deterministic work counter (≈ part scans); the search stops when ``spent`` passes
    ``limit``, so the result never depends on the machine's speed or load."""

    limit: float
    spent: float = 0.0

    @property
    def exhausted(self) -> bool:
        return self.spent >= self.limit


def fill_sheet(
    pool: Sequence[Item], length: float, width: float, rule: Rule, budget: Budget | None = None
) -> tuple[Plan, set[int]]:
    """Fill one board from ``pool`` (in priority order) with the strips of one rule.

    Strips are as high as their first part; at every step the alternative of one last strip
    taking all the remaining height (its stacks pile higher) is evaluated too, and the
    variant packing the most area wins."""
    used: set[int] = set()
    plan: Plan = []
    room = width
    area = 0.0
    best: tuple[float, Plan, set[int]] | None = None
    while True:
        first = None
        for it in pool:
            if it.idx not in used:
                o = _orient(it, length, room, rule.tall)
                if o is not None:
                    first = (it, o)
                    break
        if first is None:
            break
        if first[1][1] < room - EPS:
            tall_used = set(used)
            tall = _fill_strip(first, pool, tall_used, length, rule, room)
            tall_area = area + _strip_area(tall)
            if best is None or tall_area > best[0] + EPS:
                best = (tall_area, [*plan, tall], tall_used)
        strip = _fill_strip(first, pool, used, length, rule)
        plan.append(strip)
        area += _strip_area(strip)
        room -= strip.height
    if budget is not None:
        budget.spent += len(pool) * (1 + 2 * len(used))
    if best is not None and best[0] > area + EPS:
        return best[1], best[2]
    return plan, used


def _strip_area(strip: Strip) -> float:
    return sum(it.area for st in strip.stacks for it, _ in st.items)


def rules_for(rotate: bool, stages: int) -> list[Rule]:
    max_stack = 1 if stages == 2 else 10**9
    talls = (True, False) if rotate else (True,)
    return [
        Rule(order, tall, best, max_stack, fit)
        for order in ORDERS
        for tall in talls
        for best in (False, True)
        for fit in (False, True)
    ]


def _sorted_pool(items: Sequence[Item], weights: Sequence[float], rule: Rule) -> list[Item]:
    key = ORDERS[rule.order]

    def k(it: Item) -> tuple[float, ...]:
        w = weights[it.idx]
        return (*(w * v for v in key(it, rule.tall)), -it.idx)

    return sorted(items, key=k, reverse=True)


def construct(
    items: Sequence[Item], length: float, width: float, rules: Sequence[Rule], weights: Sequence[float],
    budget: Budget | None = None,
) -> list[Plan]:
    """Best-sheet-first construction: each sheet is the best of all rules' fills."""
    pools = {r: _sorted_pool(items, weights, r) for r in rules}
    left = len(items)
    done: set[int] = set()
    plans: list[Plan] = []
    while left:
        best: tuple[float, Plan, set[int]] | None = None
        for r in rules:
            pool = [it for it in pools[r] if it.idx not in done]
            plan, used = fill_sheet(pool, length, width, r, budget)
            value = _value(pool, used, weights)
            if best is None or value > best[0] + EPS:
                best = (value, plan, used)
        assert best is not None and best[2], "a part does not fit the board"
        plans.append(best[1])
        done |= best[2]
        left -= len(best[2])
    return plans


def best_fill(
    items: Sequence[Item], length: float, width: float, rules: Sequence[Rule], weights: Sequence[float],
    budget: Budget | None = None,
) -> tuple[Plan, set[int]]:
    """One board filled from ``items``: the best of all rules' fills (most weighted area); the plan
    is empty when no item fits."""
    best: tuple[float, Plan, set[int]] = (0.0, [], set())
    for r in rules:
        pool = _sorted_pool(items, weights, r)
        plan, used = fill_sheet(pool, length, width, r, budget)
        value = _value(pool, used, weights)
        if value > best[0] + EPS:
            best = (value, plan, used)
    return best[1], best[2]


def _value(pool: Sequence[Item], used: set[int], weights: Sequence[float]) -> float:
    return sum(weights[it.idx] * it.area for it in pool if it.idx in used)


def plan_area(plan: Plan) -> float:
    return sum(it.area for strip in plan for st in strip.stacks for it, _ in st.items)


def _score(plans: list[Plan]) -> tuple[int, float]:
    """Fewer sheets first, then the emptiest sheet as empty as possible."""
    return (len(plans), min((plan_area(p) for p in plans), default=0.0))


def solve(
    items: Sequence[Item], length: float, width: float, rules: Sequence[Rule], budget: Budget,
    board_area: float, max_rounds: int = 40,
) -> list[Plan]:
    """Value-corrected repetitions of :func:`construct` (at most ``max_rounds``, within 40 % of
    the budget), then :func:`improve` on the best; stops early at the area bound."""
    weights = [1.0] * (max((it.idx for it in items), default=-1) + 1)
    bound = math.ceil(sum(it.a * it.b for it in items) / (length * width) - 1e-9)
    best: list[Plan] | None = None
    for _ in range(max_rounds):
        plans = construct(items, length, width, rules, weights, budget)
        if best is None or _score(plans) < _score(best):
            best = plans
        if len(best) <= bound or budget.spent >= 0.4 * budget.limit:
            break
        for plan in plans:
            fill = max(plan_area(plan) / board_area, 1e-3)
            for strip in plan:
                for st in strip.stacks:
                    for it, _ in st.items:
                        weights[it.idx] = 0.5 * weights[it.idx] + 0.5 / fill
    assert best is not None
    return improve(best, length, width, rules, bound, budget)


def plan_items(plan: Plan) -> list[Item]:
    return [it for strip in plan for st in strip.stacks for it, _ in st.items]


def _height(strip: Strip) -> float:
    return max(st.used for st in strip.stacks)


def _insert(plan: Plan, it: Item, length: float, width: float) -> bool:
    """Put ``it`` into a free slot of ``plan`` without moving anything: on top of a stack,
    as a new stack at a strip's end, or as a new strip; strips may grow into the sheet's
    spare height.  Best fit (smallest slot).  Returns whether it went in."""
    heights = [_height(strip) for strip in plan]
    slack = width - sum(heights)
    orients = [(it.a, it.b, False)] + ([(it.b, it.a, True)] if it.free else [])
    best: tuple[float, int, int, float, float, bool] | None = None  # slot area, strip, stack, a, b, turned
    for si, strip in enumerate(plan):
        free_a = length - sum(st.width for st in strip.stacks)
        for ki, st in enumerate(strip.stacks):
            room = heights[si] + slack - st.used
            for a, b, t in orients:
                if a <= st.width + EPS and b <= room + EPS:
                    slot = st.width * room
                    if best is None or slot < best[0] - EPS:
                        best = (slot, si, ki, a, b, t)
        for a, b, t in orients:
            if a <= free_a + EPS and b <= heights[si] + slack + EPS:
                slot = free_a * (heights[si] + slack)
                if best is None or slot < best[0] - EPS:
                    best = (slot, si, -1, a, b, t)
    for a, b, t in orients:
        if a <= length + EPS and b <= slack + EPS:
            slot = length * slack
            if best is None or slot < best[0] - EPS:
                best = (slot, -1, -1, a, b, t)
    if best is None:
        return False
    _, si, ki, a, b, t = best
    if si < 0:
        plan.append(Strip(b, [Stack(a, b, [(it, t)])]))
    elif ki < 0:
        plan[si].stacks.append(Stack(a, b, [(it, t)]))
    else:
        st = plan[si].stacks[ki]
        st.items.append((it, t))
        st.used += b
    return True


def _copy(plan: Plan) -> Plan:
    return [Strip(s.height, [Stack(st.width, st.used, list(st.items)) for st in s.stacks]) for s in plan]


def _drain(plans: list[Plan], weak: int, length: float, width: float) -> list[Plan] | None:
    """Move parts of the weak sheet into free slots of the others, biggest first; returns the
    new solution if the weak sheet lost area (and is dropped when empty), else None."""
    left = sorted(plan_items(plans[weak]), key=lambda it: (-it.area, it.idx))
    others = {i: _copy(p) for i, p in enumerate(plans) if i != weak}
    order = sorted(others, key=lambda i: (-plan_area(others[i]), i))
    moved: set[int] = set()
    for it in left:
        for i in order:
            if _insert(others[i], it, length, width):
                moved.add(it.idx)
                break
    if not moved:
        return None
    out = [others[i] for i in sorted(others)]
    rest = _without(plans[weak], moved)
    return [*out, rest] if rest else out


def _without(plan: Plan, gone: set[int]) -> Plan:
    """The plan with some parts taken out (stacks only get shorter: still a valid layout)."""
    out: Plan = []
    for strip in plan:
        stacks = []
        for st in strip.stacks:
            kept = [(it, t) for it, t in st.items if it.idx not in gone]
            if kept:
                stacks.append(Stack(st.width, sum((it.a if t else it.b) for it, t in kept), kept))
        if stacks:
            out.append(Strip(strip.height, stacks))
    return out


def improve(
    plans: list[Plan], length: float, width: float, rules: Sequence[Rule], bound: int, budget: Budget,
    window: int = 8, max_stale: int = 30,
) -> list[Plan]:
    """Local search that empties the least-used sheet.

    Repack the weak sheet together with one or two other sheets (taken from the ``window``
    least-used ones); accept when the parts then need fewer sheets, or when the emptiest of the
    new sheets holds less area than the weak sheet did (waste moves to one sheet, which then
    empties more easily).  Every accepted move strictly lowers the weak sheet's area, so the
    search ends; the budget bounds its work.  When no move is found, the group repacks are
    retried with priorities perturbed by a fixed-seed generator (``max_stale`` times).
    """
    plans = list(plans)
    size = max((it.idx for p in plans for it in plan_items(p)), default=-1) + 1
    unit = [1.0] * size
    rng = random.Random(7919)  # fixed seed: the same input always takes the same path
    stale = 0
    while not budget.exhausted and len(plans) > max(bound, 1):
        areas = [plan_area(p) for p in plans]
        weak = min(range(len(plans)), key=lambda i: (areas[i], i))
        drained = _drain(plans, weak, length, width)
        budget.spent += 50 * size
        if drained is not None:
            plans = drained
            continue
        others = sorted((i for i in range(len(plans)) if i != weak), key=lambda i: (areas[i], i))[:window]
        groups: list[tuple[int, ...]] = [(i,) for i in others]
        groups += [(i, j) for n, i in enumerate(others) for j in others[n + 1:]]
        moved = None
        for group in groups:
            if budget.exhausted:
                return plans
            # first pass: plain area weights; later passes: randomly perturbed priorities
            weights = unit if stale == 0 else [math.exp(rng.gauss(0.0, 0.3)) for _ in range(size)]
            pool = plan_items(plans[weak]) + [it for i in group for it in plan_items(plans[i])]
            sol = construct(pool, length, width, rules, weights, budget)
            if len(sol) > len(group) + 1:
                continue
            if len(sol) == len(group) + 1 and min(plan_area(p) for p in sol) >= areas[weak] - EPS:
                continue
            moved = (group, sol)
            break
        if moved is None:
            stale += 1
            if stale > max_stale:
                break
            continue
        stale = 0
        drop = {weak, *moved[0]}
        plans = [p for i, p in enumerate(plans) if i not in drop] + moved[1]
    return plans
