"""Look benchmark: photoreal render time of docs/examples/kitchen.json, the editor's frame rate at the
rich and the fast setting in headless Chromium (software rendering: a relative figure), GLB size.

Run: ``.venv/bin/python -m benchmarks.look.run [--size 1280x720] [--samples N] [--frames 20] [--no-render]``
— prints a table, writes ``benchmarks/results/look.json`` and the render to
``artifacts/screenshots/render-kitchen.png`` (``make screenshots`` copies it into docs/).
Aims (issue 17, on the 2-core machine): a 1280×720 render in ≤ 2 min without visible noise; the noise figure
(benchmarks/look/noise.py: RMS grain in the darkest quarter, grey levels) tells how clean it is.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from backend.configurator.catalog import load_catalog
from backend.configurator.looks import load_looks
from backend.configurator.scene import GeometryCache, build_scene_glb
from backend.design.model import Design
from backend.render.cycles import (
    DEFAULT_SAMPLES,
    RenderRequest,
    blender_executable,
    denoiser_name,
    parse_size,
    render_design,
)
from benchmarks.look.noise import noise_figure

ROOT = Path(__file__).resolve().parents[2]
KITCHEN = ROOT / "docs" / "examples" / "kitchen.json"
RESULTS = ROOT / "benchmarks" / "results" / "look.json"
RENDER_PNG = ROOT / "artifacts" / "screenshots" / "render-kitchen.png"
AIMS = {"render_seconds": 120.0}


def glb_sizes(design: Design) -> dict[str, int]:
    catalog = load_catalog()
    looks = load_looks(catalog)
    files = {name for look in looks.looks.values() for name in look.textures.values()}
    return {
        "glb_referenced_textures_bytes": len(build_scene_glb(design, catalog, GeometryCache(), textures="uri")),
        "glb_embedded_textures_bytes": len(build_scene_glb(design, catalog, GeometryCache(), textures="embed")),
        "glb_without_textures_bytes": len(build_scene_glb(design, catalog, GeometryCache(), textures="none")),
        "texture_files": len(files),
        "texture_files_bytes": sum((looks.texture_dir / f).stat().st_size for f in files),
    }


def render_time(design: Design, size: str, samples: int) -> dict[str, Any]:
    if blender_executable() is None:
        return {"render": "skipped: Blender is not installed"}
    width, height = parse_size(size)
    start, cpu_start, own_start = time.perf_counter(), _cpu(resource.RUSAGE_CHILDREN), _cpu(resource.RUSAGE_SELF)
    png = render_design(design, load_catalog(), RenderRequest(width, height, samples, "room"))
    seconds, cpu = time.perf_counter() - start, _cpu(resource.RUSAGE_CHILDREN) - cpu_start
    own = _cpu(resource.RUSAGE_SELF) - own_start  # the scene's GLB and the denoise, in this process
    RENDER_PNG.parent.mkdir(parents=True, exist_ok=True)
    RENDER_PNG.write_bytes(png)
    with Image.open(io.BytesIO(png)) as img:
        noise = noise_figure(np.asarray(img.convert("RGB"))).as_dict()
    return {"render_size": f"{width}x{height}", "render_samples": samples, "render_seconds": round(seconds, 1),
            "render_cpu_seconds": round(cpu, 1), "render_app_cpu_seconds": round(own, 1),
            "render_seconds_on_idle_machine": round(cpu / (os.cpu_count() or 1) + own, 1), **noise,
            "render_png": str(RENDER_PNG.relative_to(ROOT)), "denoiser": denoiser_name()}


def _cpu(who: int) -> float:
    """CPU seconds (user + system) used so far by finished child processes (Blender) or by this process:
    on a machine that other work shares, CPU time estimates the wall time the render takes on its own
    (Blender's over the cores it runs on; this process's denoise as it is, mostly one core)."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def frame_rates(frames: int) -> dict[str, Any]:
    """Frames per second of the editor's 3D view of the demo kitchen at each quality (SwiftShader)."""
    from support.live import live_server  # tests/support: the same server the browser tests use

    chromium = os.environ.get("ROOMWRIGHT_CHROMIUM") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        return {"fps": "skipped: chromium is not installed"}
    from playwright.sync_api import sync_playwright

    flags = ["--headless=new", "--no-sandbox", "--use-gl=angle", "--use-angle=swiftshader",
             "--enable-unsafe-swiftshader"]
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp)
        env = {**os.environ, "ROOMWRIGHT_DATABASE_URL": f"sqlite:///{var / 'bench.db'}", "ROOMWRIGHT_VAR_DIR": str(var),
               "ROOMWRIGHT_SECRET_KEY": "bench-secret"}
        for args in (["db", "upgrade"], ["seed-demo"]):
            subprocess.run([sys.executable, "-m", "backend.cli", *args], env=env, check=True, capture_output=True,
                           cwd=ROOT)
        with live_server(env, var) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=flags, headless=True)
            page = browser.new_page(base_url=url, viewport={"width": 1280, "height": 800})
            page.goto("/login")
            page.get_by_label("Email").fill("homeowner@demo.roomwright")
            page.get_by_label("Password").fill("roomwright-demo")
            page.get_by_role("button", name="Log in").click()
            href = page.get_by_role("link", name="My first kitchen").get_attribute("href")
            for quality in ("fast", "rich"):
                page.goto(f"{href}?quality={quality}")
                page.wait_for_selector("#view-3d[data-loaded=true]", timeout=120_000)
                page.wait_for_timeout(500)
                fps = page.evaluate(f"""() => {{ const v = window.roomwrightEditor.view3d();
                    v.shading.measure(3, v.controls.target);
                    return v.shading.measure({frames}, v.controls.target); }}""")
                out[f"fps_{quality}"] = round(float(fps), 2)
            browser.close()
    out["fps_rich_over_fast"] = round(out["fps_rich"] / out["fps_fast"], 2) if out.get("fps_fast") else None
    out["canvas"] = "640×476 CSS px (editor at 1280×800), SwiftShader software WebGL"
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--samples", type=int, default=DEFAULT_SAMPLES)
    parser.add_argument("--frames", type=int, default=20)
    parser.add_argument("--no-render", action="store_true")
    parser.add_argument("--no-fps", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "tests"))
    design = Design.model_validate(json.loads(KITCHEN.read_text()))
    result: dict[str, Any] = {"machine": f"{platform.machine()}, {os.cpu_count()} cores",
                              "load_average_1m": round(os.getloadavg()[0], 2), **glb_sizes(design)}
    if not args.no_render:
        result |= render_time(design, args.size, args.samples)
    if not args.no_fps:
        result |= frame_rates(args.frames)
    result["aims"] = AIMS
    for key, value in result.items():
        print(f"{key:34} {value}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
