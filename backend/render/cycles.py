"""Photoreal stills of a design: Blender's Cycles path tracer, run headless on the scene GLB.

``render_design`` writes the design's self-contained GLB (textures embedded) and a ``job.json``
(camera, size, samples, the ceiling, ceiling lights and the sun through a window of the main room),
runs ``blender -b --factory-startup -P blender/cycles_scene.py -- job.json`` and follows Cycles'
``Sample n/N`` lines for the progress.  A Blender whose Cycles has OpenImageDenoise denoises there (albedo
and normal passes, the accurate prefilter); Debian's Blender 3.4 is built without it
(``_cycles.with_openimagedenoise`` is False, the denoiser list empty: :func:`openimagedenoise_in_blender`),
so the script writes the albedo and normal passes (what OpenImageDenoise's ``RGB_ALBEDO_NORMAL`` input
uses) instead and the 16-bit result is denoised here with them as guides: by Intel's OpenImageDenoise
through the optional ``pyoidn`` package (the ``render`` extra, CPU) when it is installed and runs, else by
:mod:`backend.render.denoise`'s guided filter (the light divided by the albedo, smoothed by an edge-avoiding
à-trous filter, times the albedo again), then saved as PNG.  The windows of the camera's room carry
light portals and a soft daylight fill.

Blender is an optional system package: without it :class:`RenderUnavailable` says what is missing.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import math
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import shapely
from PIL import Image

from backend.configurator.catalog import Catalog
from backend.configurator.scene import build_scene_glb
from backend.design.model import Design, Window
from backend.errors import DomainError, InvalidInput, Unavailable
from backend.render.cameras import Camera, main_room, named_cameras
from backend.render.denoise import guided_denoise, oidn_available, oidn_denoise, oidn_installed

SCRIPT = Path(__file__).with_name("blender") / "cycles_scene.py"
MAX_PIXELS = 3840 * 2160
MAX_SAMPLES = 4096
GUIDED_SAMPLES = 24
"""With adaptive sampling, portals, fast GI and the guided denoise, enough for a clean still on a 2-core CPU."""
OIDN_SAMPLES = 8
"""Enough with OpenImageDenoise (pyoidn): its residual noise at 4 samples (1280×720, the example kitchen) is
already below the guided filter's at 24 (benchmarks/look/denoisers.py), 8 leaves a margin."""
DEFAULT_SAMPLES = OIDN_SAMPLES if oidn_installed() else GUIDED_SAMPLES
"""The samples a render gets unless asked: fewer when OpenImageDenoise denoises (a render ~3× faster)."""
SUN_ELEVATION_DEG = 32.0
SKY_STRENGTH = 0.8
"""The sky's brightness (Cycles' world strength): what lights the room's far side through the windows."""
WINDOW_FILL_W_PER_M2 = 30.0
"""A soft area light on each window's room side (daylight scattered by the sky and the street), in watts per m²
of window: the recesses then get light that is not only bounces, which is where the grain was."""
_SAMPLE = re.compile(r"Sample (\d+)/(\d+)")
log = logging.getLogger(__name__)

Progress = Callable[[int, str], None]


class RenderUnavailable(Unavailable):
    """The renderer (Blender) is not installed on this server."""

    code = "renderer-not-installed"
    title = "Renderer not installed"


@dataclass(frozen=True)
class RenderRequest:
    width: int = 1280
    height: int = 720
    samples: int = DEFAULT_SAMPLES
    camera: str | Camera = "room"
    denoise: bool = True

    def check(self) -> None:
        if not (16 <= self.width <= 3840 and 16 <= self.height <= 2160):
            raise InvalidInput("the size must be between 16×16 and 3840×2160 pixels", field="size")
        if not 1 <= self.samples <= MAX_SAMPLES:
            raise InvalidInput(f"samples must be between 1 and {MAX_SAMPLES}", field="samples")


def blender_executable(command: str = "blender") -> str | None:
    """The Blender program for ``command`` (a name on PATH or a path; ``off`` or empty: none)."""
    if command.strip().lower() in ("", "off", "none"):
        return None
    return shutil.which(command)


def availability(command: str = "blender") -> str | None:
    """None when renders can run, else a sentence saying what is missing."""
    if command.strip().lower() in ("", "off", "none"):
        return "Photoreal renders are switched off on this server."
    if blender_executable(command) is None:
        return ("Photoreal renders need Blender, which is not installed on this server "
                "(Debian: apt-get install blender).")
    return None


_OIDN_PROBE = ("import _cycles, bpy\n"
               "ok = bool(getattr(_cycles, 'with_openimagedenoise', False))\n"
               "try:\n"
               "    bpy.context.scene.cycles.denoiser = 'OPENIMAGEDENOISE'\n"
               "except TypeError:\n"
               "    ok = False\n"
               "print('ROOMWRIGHT-OIDN', ok)\n")


@functools.cache
def openimagedenoise_in_blender(command: str = "blender") -> bool | None:
    """Whether this server's Blender denoises with OpenImageDenoise itself (Cycles built with it and offering
    it), None without Blender.  Debian's Blender 3.4 answers False: renders are then denoised by
    :mod:`backend.render.denoise` with the albedo and normal passes.  Asks Blender once per process."""
    blender = blender_executable(command)
    if blender is None:
        return None
    try:
        out = subprocess.run([blender, "-b", "--factory-startup", "-noaudio", "--python-expr", _OIDN_PROBE],
                             capture_output=True, text=True, timeout=120).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    return "ROOMWRIGHT-OIDN True" in out


def denoiser_name(command: str = "blender") -> str:
    """Which denoiser renders on this server get, in words (for the look benchmark and the logs)."""
    if openimagedenoise_in_blender(command):
        return "OpenImageDenoise in Cycles (albedo and normal passes)"
    if oidn_available():
        return ("OpenImageDenoise through pyoidn (CPU, albedo and normal passes; this Blender has none of "
                "its own)")
    return ("albedo- and normal-guided à-trous (backend/render/denoise.py; this Blender has no "
            "OpenImageDenoise and pyoidn is not installed)")


def parse_size(text: str) -> tuple[int, int]:
    """``1920x1080`` → (1920, 1080)."""
    match = re.fullmatch(r"\s*(\d{1,5})\s*[x×]\s*(\d{1,5})\s*", text)
    if match is None:
        raise InvalidInput(f"size '{text}' is not WIDTHxHEIGHT, e.g. 1920x1080", field="size")
    return int(match[1]), int(match[2])


def resolve_camera(design: Design, catalog: Catalog, camera: str | Camera) -> Camera:
    if isinstance(camera, Camera):
        return camera
    cams = named_cameras(design, catalog)
    if camera not in cams:
        raise InvalidInput(f"no view '{camera}'; this design has: {', '.join(cams)}", field="camera")
    return cams[camera]


def scene_job(design: Design, catalog: Catalog) -> dict[str, object]:
    """Ceiling, ceiling lights and sun for the Blender script, in Blender's frame (m, Z up)."""
    rooms = design.plan.rooms
    height = design.settings.ceiling_height_mm / 1000
    job: dict[str, object] = {"sky": SKY_STRENGTH}
    shapes = [r.shape() for r in rooms]
    if shapes:
        x0, y0, x1, y1 = shapely.union_all(shapes).bounds
        job["ceiling"] = [x0 / 1000, -y1 / 1000, x1 / 1000, -y0 / 1000, height]
    lights = []
    for shape in shapes:
        c = shape.centroid
        bx0, by0, bx1, by1 = shape.bounds
        size = min(max(min(bx1 - bx0, by1 - by0) / 1000 * 0.35, 0.3), 1.2)
        lights.append([c.x / 1000, -c.y / 1000, height - 0.02, size, round(min(shape.area / 1e6 * 6, 120), 1)])
    job["lights"] = lights
    room, _ = main_room(design, catalog)
    job["windows"] = _windows(design, [room.shape()] if room else shapes)  # the camera's room (few lights: less grain)
    job["sun"] = {"direction": _sun_direction(design, room.shape() if room else None), "strength": 2.5}
    return job


def _windows(design: Design, rooms: list[shapely.Polygon]) -> list[dict[str, object]]:
    """Each window as a rectangle on the wall's room-side face, facing into the room (Blender's frame):
    the script puts a light portal there (Cycles then samples the sky through the window instead of
    finding it by chance, the main source of grain in a room lit by daylight) and a soft daylight fill."""
    out: list[dict[str, object]] = []
    for wall in design.plan.walls:
        ux, uy = wall.direction
        for op in wall.openings:
            if not isinstance(op, Window):
                continue
            mid = op.offset_mm + op.width_mm / 2
            wx, wy = wall.start.x + ux * mid, wall.start.y + uy * mid
            inward = None
            for nx, ny in ((-uy, ux), (uy, -ux)):
                probe = shapely.Point(wx + nx * (wall.thickness_mm / 2 + 50), wy + ny * (wall.thickness_mm / 2 + 50))
                if any(r.contains(probe) for r in rooms):
                    inward = (nx, ny)
                    break
            if inward is None:
                continue
            depth = wall.thickness_mm / 2 + 10
            out.append({"centre": [(wx + inward[0] * depth) / 1000, -(wy + inward[1] * depth) / 1000,
                                   (op.sill_mm + op.height_mm / 2) / 1000],
                        "facing": [inward[0], -inward[1], 0.0], "width": op.width_mm / 1000,
                        "height": op.height_mm / 1000,
                        "fill_watts": round(WINDOW_FILL_W_PER_M2 * op.width_mm * op.height_mm / 1e6, 1)})
    return out


def _sun_direction(design: Design, room: shapely.Polygon | None) -> list[float]:
    """Down into the main room through its first window (or from the south-west when it has none)."""
    horizontal = (0.6, 0.8)
    if room is not None:
        centre = room.centroid
        for wall in design.plan.walls:
            for op in wall.openings:
                if isinstance(op, Window):
                    ux, uy = wall.direction
                    mid = op.offset_mm + op.width_mm / 2
                    wx, wy = wall.start.x + ux * mid, wall.start.y + uy * mid
                    if room.buffer(wall.thickness_mm).contains(shapely.Point(wx, wy)):
                        dx, dy = centre.x - wx, centre.y - wy
                        norm = math.hypot(dx, dy) or 1.0
                        horizontal = (dx / norm, -dy / norm)
                        break
            else:
                continue
            break
    e = math.radians(SUN_ELEVATION_DEG)
    return [horizontal[0] * math.cos(e), horizontal[1] * math.cos(e), -math.sin(e)]


@dataclass(frozen=True)
class RawRender:
    """What Blender wrote: the path-traced image before the app's denoise (H×W×3 or ×4, BGR(A), 8- or 16-bit),
    the albedo and normal passes to guide it (RGB float, or None), and whether Blender's own
    OpenImageDenoise has already denoised it."""

    image: np.ndarray
    guides: tuple[np.ndarray, np.ndarray] | None
    denoised_in_blender: bool


def render_design(design: Design, catalog: Catalog, request: RenderRequest,
                  progress: Progress | None = None, timeout_s: float = 1800, command: str = "blender") -> bytes:
    """PNG bytes of the design seen from ``request.camera`` (a view name or a camera)."""
    raw = render_raw(design, catalog, request, progress, timeout_s, command)
    return develop(raw, request.denoise, progress)


def render_raw(design: Design, catalog: Catalog, request: RenderRequest, progress: Progress | None = None,
               timeout_s: float = 1800, command: str = "blender") -> RawRender:
    """Run Blender on the design's scene: the image as path-traced, with the denoiser's guide passes when
    ``request.denoise`` (:func:`develop` makes the PNG of it)."""
    request.check()
    blender = blender_executable(command)
    if blender is None:
        raise RenderUnavailable(availability(command) or "")
    report = progress or (lambda _p, _m: None)
    camera = resolve_camera(design, catalog, request.camera)
    report(2, "preparing the scene")
    with tempfile.TemporaryDirectory(prefix="roomwright-render-") as tmp:
        folder = Path(tmp)
        (folder / "scene.glb").write_bytes(build_scene_glb(design, catalog, textures="embed"))
        job = {**scene_job(design, catalog), "glb": str(folder / "scene.glb"), "output": str(folder / "out.png"),
               "width": request.width, "height": request.height, "samples": request.samples,
               "camera": camera.as_dict(), "threads": max(os.cpu_count() or 1, 1)}
        if request.denoise:
            (folder / "guides").mkdir()
            job["guides"] = str(folder / "guides")
        (folder / "job.json").write_text(json.dumps(job))
        _run_blender(blender, folder / "job.json", report, timeout_s)
        raw = cv2.imread(str(folder / "out.png"), cv2.IMREAD_UNCHANGED)
        guides = _load_guides(folder / "guides", raw.shape[:2] if raw is not None else (0, 0))
        denoised = (folder / "guides" / "denoised").exists()
    if raw is None:
        raise DomainError("the renderer wrote no image")
    return RawRender(raw, guides, denoised)


def develop(raw: RawRender, denoise_it: bool = True, progress: Progress | None = None) -> bytes:
    """The PNG of a raw render: denoised with its guide passes (Blender's OpenImageDenoise when that build
    has it and has done it, else :func:`denoise_with_guides`: pyoidn's or the guided filter), or as
    path-traced."""
    if not denoise_it or raw.denoised_in_blender:
        return encode_png(_to_8bit(raw.image))
    (progress or (lambda _p, _m: None))(95, "denoising")
    if raw.guides is None:  # a Blender that wrote no passes: the edge-preserving filter on the image alone
        return encode_png(denoise(raw.image))
    albedo, normal = raw.guides
    colour = raw.image[..., :3].astype(np.float32) / (65535.0 if raw.image.dtype == np.uint16 else 255.0)
    clean = denoise_with_guides(colour, albedo[..., ::-1], normal[..., ::-1])  # the passes are RGB, OpenCV's BGR
    return encode_png(np.asarray(np.round(clean * 255.0), dtype=np.uint8))


def denoise_with_guides(colour: np.ndarray, albedo: np.ndarray, normal: np.ndarray) -> np.ndarray:
    """Intel's OpenImageDenoise (the optional ``pyoidn`` package) when it is installed and runs, else the
    project's guided filter (:func:`backend.render.denoise.guided_denoise`); same inputs and output
    (display-referred H×W×3 0…1 image, linear albedo, normals, in the same channel order)."""
    if oidn_available():
        try:
            return oidn_denoise(colour, albedo, normal)
        except (RuntimeError, OSError, ValueError, TypeError) as error:
            log.warning("OpenImageDenoise failed (%s); denoising with the guided filter instead", error)
    return guided_denoise(colour, albedo, normal)


def _load_guides(folder: Path, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray] | None:
    """The albedo and normal passes the Blender script saved, or None when it saved none that fit."""
    try:
        albedo, normal = (np.load(folder / f"{name}.npy") for name in ("albedo", "normal"))
    except OSError:
        return None
    if albedo.shape[:2] != shape or normal.shape[:2] != shape:
        return None
    return albedo, normal


def _run_blender(blender: str, job: Path, report: Progress, timeout_s: float) -> None:
    cmd = [blender, "-b", "--factory-startup", "-noaudio", "-P", str(SCRIPT), "--", str(job)]
    env = {**os.environ, "BLENDER_USER_SCRIPTS": str(job.parent)}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                            cwd=job.parent)
    tail: list[str] = []
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            tail = [*tail[-30:], line.rstrip()]
            match = _SAMPLE.search(line)
            if match:
                done, total = int(match[1]), int(match[2])
                report(5 + int(88 * done / max(total, 1)), f"rendering: sample {done} of {total}")
            elif "Loading render kernels" in line or "Updating" in line:
                report(4, "loading the scene into the renderer")
        code = proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise DomainError("the render took too long and was stopped") from None
    if code != 0 or not any("ROOMWRIGHT-RENDER-DONE" in t for t in tail):
        raise DomainError("the renderer failed: " + " / ".join(t for t in tail[-4:] if t))


def _to_8bit(image: np.ndarray) -> np.ndarray:
    if image.dtype == np.uint16:
        return np.asarray(np.round(image / 257.0), dtype=np.uint8)
    return np.asarray(image, dtype=np.uint8)


def denoise(image: np.ndarray, strength: float = 7.0) -> np.ndarray:
    """Remove path-tracing grain from a BGR(A) render, keeping edges (OpenCV non-local means)."""
    bgr = _to_8bit(image)[..., :3]
    return cv2.fastNlMeansDenoisingColored(np.ascontiguousarray(bgr), None, strength, strength, 5, 15)


def encode_png(bgr: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(bgr[..., :3][..., ::-1])).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
