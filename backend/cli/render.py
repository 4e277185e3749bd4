"""``roomwright render DESIGN.json -o render.png``: a photoreal still of a design (Blender Cycles)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from pydantic import ValidationError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("render", help="render a photoreal still of a design with Blender's Cycles")
    parser.add_argument("design", type=Path, help="design document (JSON, see docs/design-format.md)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="where to write the .png")
    parser.add_argument("--camera", default="room",
                        help="a named view (room, door, or a wall id with cabinets; --list-cameras shows them) "
                             "or a JSON camera {\"position\": [x, y, z], \"target\": [x, y, z], \"fov_deg\": 60} "
                             "in the scene's frame (metres, y up)")
    parser.add_argument("--size", default="1280x720", help="WIDTHxHEIGHT in pixels (default 1280x720)")
    parser.add_argument("--samples", type=int, default=None,
                        help="path-tracing samples per pixel (default 8 with pyoidn's OpenImageDenoise, else 24)")
    parser.add_argument("--no-denoise", action="store_true", help="keep the raw path-traced grain")
    parser.add_argument("--list-cameras", action="store_true", help="print the design's named views and exit")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from backend.configurator.catalog import load_catalog
    from backend.design.model import Design
    from backend.errors import DomainError
    from backend.render.cameras import Camera, named_cameras
    from backend.render.cycles import DEFAULT_SAMPLES, RenderRequest, parse_size, render_design

    try:
        design = Design.model_validate(json.loads(args.design.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        print(f"error: {args.design}: {exc}", file=sys.stderr)
        return 2
    catalog = load_catalog()
    if args.list_cameras:
        for name, cam in named_cameras(design, catalog).items():
            print(f"{name}: {json.dumps(cam.as_dict())}")
        return 0
    start = time.perf_counter()
    last = [-1]

    def progress(percent: int, message: str) -> None:
        if percent // 10 != last[0]:
            last[0] = percent // 10
            print(f"{percent:3d}% {message}", file=sys.stderr, flush=True)

    try:
        camera: str | Camera = Camera.parse(json.loads(args.camera)) if args.camera.lstrip().startswith("{") \
            else args.camera
        width, height = parse_size(args.size)
        request = RenderRequest(width, height, args.samples or DEFAULT_SAMPLES, camera, not args.no_denoise)
        png = render_design(design, catalog, request, progress)
    except (DomainError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    args.output.write_bytes(png)
    print(f"wrote {args.output} ({width}×{height}, {request.samples} samples, {len(png) / 1024:.0f} KB) in "
          f"{time.perf_counter() - start:.1f} s")
    return 0
