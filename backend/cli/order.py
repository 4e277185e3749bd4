"""``roomwright order DESIGN.json -o OUTDIR``: write the factory order package of a design.

Reads a design document (``docs/design-format.md``), runs the manufacturability checks, nests
the boards, prices the order and writes the package (``docs/order-format.md``) into OUTDIR, then
prints a summary: parts, sheets per material and the total price.  Exit codes: 0 written,
1 the design cannot be ordered (check errors listed), 2 bad input.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from backend.errors import DomainError


def register(subparsers: Any) -> None:
    """Add the ``order`` sub-command."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "order", help="write the factory order package (cut list, nesting, DXF, labels…) of a design",
        description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("design", type=Path, help="design document (JSON)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="OUTDIR", help="folder to write into")
    p.add_argument("--number", default=None, help="order number, prefix of every part id "
                   "(default: R + 6 hex digits of the design's hash)")
    p.add_argument("--base-url", default="https://roomwright.local", help="base of the part pages on the labels")
    p.add_argument("--date", default=None, metavar="YYYY-MM-DD", help="order date (default: today, UTC)")
    p.add_argument("--revision", default="1", help="design revision the order freezes (default 1)")
    p.add_argument("--mode", default=None, choices=("itemized", "projected_area", "unfolded_area", "linear_metre"),
                   help="pricing mode (default: the catalog's)")
    p.add_argument("--catalog", type=Path, default=None, help="catalog folder (default: assets/models/catalog)")
    p.add_argument("--profile", default=None,
                   help="factory profile (assets/models/factory/profiles.json; default: its default)")
    p.add_argument("--line", default=None, choices=("saw", "router"),
                   help="production line, overriding the profile's mode")
    p.add_argument("--locale", default=None, choices=("en", "zh_Hans"),
                   help="language of the labels, cut list and assembly and nesting sheets (default: the profile's, "
                        "else English)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from backend.bom.factory import profile
    from backend.bom.package import OrderInfo, make_package
    from backend.configurator.catalog import load_catalog
    from backend.design.model import Design

    try:
        raw = Path(args.design).read_bytes()
    except OSError as exc:
        print(f"roomwright order: error: cannot read {args.design}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        design = Design.model_validate_json(raw)
        number = args.number or "R" + hashlib.sha256(raw).hexdigest()[:6].upper()
        when = date.fromisoformat(args.date) if args.date else datetime.now(UTC).date()
        revision: int | str = int(args.revision) if str(args.revision).isdigit() else args.revision
        order = OrderInfo(number=number, date=when, design_revision=revision, base_url=args.base_url,
                          pricing_mode=args.mode)
        factory = profile(args.profile, mode=args.line)
        package = make_package(design, load_catalog(args.catalog), order, args.output, factory=factory,
                               locale=args.locale or factory.locale)
    except DomainError as exc:
        print(f"roomwright order: cannot order this design: {exc}", file=sys.stderr)
        for finding in exc.extra.get("findings", []):
            print(f"  {finding['severity']}: {finding['part_id']}: {finding['message']}", file=sys.stderr)
        return 1
    except ValueError as exc:  # pydantic's ValidationError and a bad --date are ValueErrors
        print(f"roomwright order: error: {exc}", file=sys.stderr)
        return 2
    _summary(package, order.number)
    return 0


def _money(cents: int, currency: str) -> str:
    return f"{cents // 100:,}.{cents % 100:02d} {currency}"


def _summary(package: Any, number: str) -> None:
    plist, q = package.parts, package.quote
    print(f"Order {number}: {len(plist.parts)} parts ({len(plist.groups)} different), "
          f"{len(plist.builds)} cabinets, {sum(h.quantity for h in plist.hardware)} hardware items")
    router = package.router
    stock = sum(m.stock_sheets for m in router.materials)
    print(f"  production: {package.profile.name} ({package.profile.mode}); panel saw {package.nesting.sheet_count} "
          f"sheets, CNC router {stock} stock sheets + {router.sheet_count - stock} remnants")
    for m in package.nesting.materials:
        counts = m.board_counts()
        if len(counts) == 1 and counts[0][1] is None:  # one stock size
            boards = f"of {counts[0][0].length:g} × {counts[0][0].width:g} mm"
        else:  # several sizes, remnants: each sheet its own board
            boards = ": " + ", ".join(f"remnant {r} ({b.length:g} × {b.width:g} mm)" if r
                                      else f"{n} of {b.length:g} × {b.width:g} mm" for b, r, n in counts)
        print(f"  {m.material}: {m.sheet_count} sheets{'' if boards.startswith(':') else ' '}{boards} "
              f"(lower bound {m.lower_bound}, yield {m.yield_:.1%})")
    ops = sum(len(p.machining) for p in plist.parts)
    joints = sum(1 for p in plist.parts for o in p.machining if o.detail == "edge")
    print(f"  machining: {ops} operations, {joints} connector and dowel positions")
    for name, cents in q.subtotals.items():
        print(f"  {name}: {_money(cents, q.currency)}")
    if q.tax_cents:
        print(f"  {q.tax_name}: {_money(q.tax_cents, q.currency)}")
    print(f"Total ({q.mode}): {_money(q.total_cents, q.currency)}")
    for f in package.findings:
        print(f"  {f.severity}: {f.part_id}: {f.message}")
    print(f"{len(package.files)} files written; package: {package.zip_path}")
