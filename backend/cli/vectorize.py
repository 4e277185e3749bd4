"""``roomwright vectorize PHOTO -o plan.json``: trace a floor plan photo or scan into a plan in mm."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from backend.errors import DomainError


def register(subparsers: Any) -> None:
    """Add the ``vectorize`` sub-command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "vectorize", help="trace a floor plan photo or scan into walls, openings and rooms (mm)"
    )
    parser.add_argument("photo", type=Path, help="JPEG, PNG, WebP or HEIC photo or scan of a floor plan")
    parser.add_argument("-o", "--output", type=Path, required=True, help="where to write the result JSON")
    parser.add_argument(
        "--scale-line",
        nargs=5,
        type=float,
        metavar=("X1", "Y1", "X2", "Y2", "MM"),
        help="two photo points (pixels) a known distance apart, and that distance in mm",
    )
    parser.add_argument("--debug", type=Path, metavar="OVERLAY.png", help="also write the plan drawn over the photo")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Handler: returns 0 on success, 1 when the image is refused, 2 when a file cannot be read."""
    from backend.floorplan import ScaleLine, vectorize
    from backend.floorplan.debug import save_overlay

    try:
        data = Path(args.photo).read_bytes()
    except OSError as exc:
        print(f"cannot read {args.photo}: {exc.strerror}", file=sys.stderr)
        return 2
    line = None
    if args.scale_line is not None:
        x1, y1, x2, y2, mm = args.scale_line
        try:
            line = ScaleLine(x1=x1, y1=y1, x2=x2, y2=y2, length_mm=mm)
        except ValueError as exc:
            print(f"bad --scale-line: {exc}", file=sys.stderr)
            return 1
    try:
        result = vectorize(data, scale_line=line)
    except DomainError as exc:
        print(f"{args.photo}: {exc}", file=sys.stderr)
        return 1
    Path(args.output).write_text(result.model_dump_json(indent=2), encoding="utf-8")
    if args.debug is not None:
        save_overlay(str(args.debug), data, result)
    scale = result.plan.source.scale if result.plan.source else None
    print(
        f"{len(result.plan.walls)} walls, {len(result.plan.rooms)} rooms, "
        f"scale {scale.method if scale else '?'} ({scale.confidence if scale else 0:.2f}) → {args.output}"
    )
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0
