"""``roomwright textures``: generate the finishes' PBR textures into assets/textures (deterministic)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("textures", help="generate the PBR textures of every catalog finish")
    parser.add_argument("-o", "--output", type=Path, default=None, help="folder (default assets/textures)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from backend.configurator.catalog import load_catalog
    from backend.configurator.looks import TEXTURE_DIR, finish_entries
    from backend.configurator.textures import write_textures

    out = args.output or TEXTURE_DIR
    manifest = write_textures(finish_entries(load_catalog()), out)
    files = sorted({name for maps in manifest.values() for name in maps.values()})
    total = sum((out / name).stat().st_size for name in files)
    print(f"wrote {len(files)} textures for {len(manifest)} finishes to {out} ({total / 1024:.0f} KB)")
    return 0
