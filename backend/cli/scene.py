"""``roomwright scene DESIGN.json -o scene.glb``: the 3D scene of a design as binary glTF."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from pydantic import ValidationError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("scene", help="write the 3D scene of a design document as a .glb file")
    parser.add_argument("design", type=Path, help="design document (JSON, see docs/design-format.md)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="where to write the .glb")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from backend.configurator.catalog import load_catalog
    from backend.configurator.scene import build_scene_glb
    from backend.design.model import Design
    from backend.errors import DomainError

    try:
        design = Design.model_validate(json.loads(args.design.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        print(f"error: {args.design}: {exc}")
        return 2
    start = time.perf_counter()
    try:
        glb = build_scene_glb(design, load_catalog())
    except DomainError as exc:
        print(f"error: {exc}")
        return 2
    args.output.write_bytes(glb)
    print(f"wrote {args.output} ({len(glb) / 1024:.0f} KB, {len(design.cabinets)} cabinets) in "
          f"{(time.perf_counter() - start) * 1000:.0f} ms")
    return 0
