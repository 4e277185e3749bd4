"""The two denoisers side by side on the same path-traced renders of the example kitchen: the project's
albedo- and normal-guided à-trous filter (``backend/render/denoise.py``) and Intel's OpenImageDenoise
through ``pyoidn`` (CPU), each fed the same raw image and the same albedo and normal passes.

Run: ``.venv/bin/python -m benchmarks.look.denoisers [--size 320x180] [--samples 24 12 8 4]``
— for each sample count, Blender renders once (its CPU seconds are given), then each denoiser develops that
raw render; prints the residual noise (``benchmarks/look/noise.py``, dark quarter, grey levels) and the
denoiser's CPU seconds, writes ``benchmarks/results/look-denoisers.json`` and the PNGs to
``artifacts/denoisers/``.  On a loaded machine wall times are noisy: CPU seconds are the figure.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import time
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from backend.configurator.catalog import load_catalog
from backend.design.model import Design
from backend.render.cycles import RenderRequest, encode_png, render_raw
from backend.render.denoise import guided_denoise, oidn_available, oidn_denoise
from benchmarks.look.noise import noise_figure

ROOT = Path(__file__).resolve().parents[2]
KITCHEN = ROOT / "docs" / "examples" / "kitchen.json"
RESULTS = ROOT / "benchmarks" / "results" / "look-denoisers.json"
OUT = ROOT / "artifacts" / "denoisers"


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", default="320x180")
    parser.add_argument("--samples", type=int, nargs="+", default=[24, 12, 8, 4])
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    design = Design.model_validate(json.loads(KITCHEN.read_text()))
    catalog = load_catalog()
    denoisers: dict[str, Any] = {"guided": guided_denoise}
    if oidn_available():
        denoisers["oidn"] = oidn_denoise
    OUT.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    for samples in args.samples:
        cpu0, wall0 = _cpu(resource.RUSAGE_CHILDREN), time.perf_counter()
        raw = render_raw(design, catalog, RenderRequest(width, height, samples, "room"))
        row: dict[str, Any] = {"size": f"{width}x{height}", "samples": samples,
                               "blender_cpu_seconds": round(_cpu(resource.RUSAGE_CHILDREN) - cpu0, 1),
                               "blender_wall_seconds": round(time.perf_counter() - wall0, 1)}
        assert raw.guides is not None, "Blender wrote no albedo and normal passes"
        albedo, normal = raw.guides
        colour = raw.image[..., :3].astype(np.float32) / (65535.0 if raw.image.dtype == np.uint16 else 255.0)
        row["noise_dark_raw"] = round(noise_figure(colour[..., ::-1] * 255).dark, 2)
        for name, fn in denoisers.items():
            fn(colour[:16, :16], albedo[:16, :16, ::-1], normal[:16, :16, ::-1])  # load libraries / the network first
            cpu0, wall0 = _cpu(resource.RUSAGE_SELF), time.perf_counter()
            clean = fn(colour, albedo[..., ::-1], normal[..., ::-1])
            row[f"{name}_cpu_seconds"] = round(_cpu(resource.RUSAGE_SELF) - cpu0, 2)
            row[f"{name}_wall_seconds"] = round(time.perf_counter() - wall0, 2)
            png = encode_png(np.asarray(np.round(clean * 255.0), dtype=np.uint8))
            (OUT / f"kitchen-{width}x{height}-{samples}spp-{name}.png").write_bytes(png)
            with Image.open(io.BytesIO(png)) as img:
                row[f"noise_dark_{name}"] = round(noise_figure(np.asarray(img.convert("RGB"))).dark, 2)
        rows.append(row)
        print(json.dumps(row), flush=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"runs": rows, "oidn": oidn_available()}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
