"""Procedural, tileable PBR textures for every finish (numpy + Pillow, deterministic).

Why by hand: the finishes are ours (catalog colours, oak décor, quartz, brushed steel), no package
ships licence-clean textures for them, and a few spectral-noise fields make convincing ones.

Every field is made by *spectral synthesis*: random phases on integer frequencies of a ``n × n``
grid, shaped by a power law, then an inverse FFT.  Integer frequencies make each field periodic, so
every texture tiles seamlessly.  Anisotropic spectra (frequencies along x weighted up) give streaks
along x: the grain of wood and brushed metal runs along the texture's u axis, which the scene maps
to the panel's grain (length) direction.

Maps per look (files in ``assets/textures``, names carry a content hash so browsers cache them for
good): ``base`` (sRGB colour, JPEG), ``normal`` (tangent-space, JPEG) where the surface has relief,
``mr`` (glTF metallic-roughness: G = roughness, B = metalness, JPEG) where roughness varies.  The
seed of each look is a hash of its name, so the same catalog always gives the same pixels.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image

from backend.configurator.looks import Look

Field = npt.NDArray[np.float64]
SIZE = 512
MR_SIZE = 256


def _rng(name: str, salt: str = "") -> np.random.Generator:
    return np.random.default_rng(int.from_bytes(hashlib.sha256(f"{name}/{salt}".encode()).digest()[:8], "little"))


def noise(rng: np.random.Generator, slope: float = 2.0, stretch: float = 1.0, low: float = 1.0,
          n: int = SIZE) -> Field:
    """A periodic noise field (n × n), zero mean, unit standard deviation.

    ``slope`` is the spectral power-law exponent (higher: smoother); ``stretch`` > 1 weighs x
    frequencies up, so features are ``stretch`` times longer along x than along y; frequencies below
    ``low`` cycles per tile are dropped.
    """
    f = np.fft.fftfreq(n) * n
    fx, fy = np.meshgrid(f * stretch, f)
    radius = np.hypot(fx, fy)
    amp = np.where(radius >= low, 1.0 / np.maximum(radius, 1e-9) ** slope, 0.0)
    phase = rng.uniform(0, 2 * np.pi, (n, n))
    field = np.real(np.fft.ifft2(amp * np.exp(1j * phase)))
    field -= field.mean()
    std = field.std()
    return field / std if std > 0 else field


def _hex(colour: str) -> npt.NDArray[np.float64]:
    return np.array([int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])


def _tint(colour: str, shade: Field, hue: Field | None = None) -> npt.NDArray[np.float64]:
    """An sRGB image (n, n, 3) in 0..1: the colour times ``1 + shade`` (and warmer where ``hue`` > 0)."""
    rgb = _hex(colour)[None, None, :] * (1 + shade[..., None])
    if hue is not None:
        rgb = rgb * (1 + hue[..., None] * np.array([0.04, 0.0, -0.06]))
    return np.clip(rgb, 0, 1)


def normal_map(height: Field, strength: float) -> npt.NDArray[np.float64]:
    """Tangent-space normals (n, n, 3) in 0..1 from a periodic height field (gradients wrap around).

    ``strength`` scales the slopes; y points up the image (glTF's +v is down the image, so the
    green channel is flipped as glTF's tangent frame expects).
    """
    dx = (np.roll(height, -1, axis=1) - np.roll(height, 1, axis=1)) / 2 * strength
    dy = (np.roll(height, -1, axis=0) - np.roll(height, 1, axis=0)) / 2 * strength
    n = np.stack([-dx, dy, np.ones_like(height)], axis=-1)
    n /= np.linalg.norm(n, axis=-1, keepdims=True)
    return n * 0.5 + 0.5


# -- patterns -------------------------------------------------------------------------------------
# each returns (shade, hue or None, height, roughness variation or None) as periodic fields


Maps = tuple[Field, Field | None, Field | None, Field | None]


def _wood(look: Look, rng: np.random.Generator) -> Maps:
    n = SIZE
    rings = look.params.get("rings", 8)
    contrast = look.params.get("contrast", 0.22)
    warp = noise(rng, slope=2.6, stretch=5.0)
    y = np.arange(n)[:, None] / n
    phase = y * rings + 0.35 * warp + 0.08 * noise(rng, slope=2.0, stretch=3.0)
    band = 0.5 + 0.5 * np.cos(2 * np.pi * phase)
    band = band ** 3  # thin dark latewood lines on lighter earlywood
    fibres = noise(rng, slope=1.1, stretch=30.0, low=4)
    pores = np.clip(noise(rng, slope=0.4, stretch=12.0, low=16) - 1.6, 0, None)
    shade = contrast * (0.5 - band) + 0.035 * fibres - 0.12 * pores * contrast * 4 + 0.04 * noise(rng, 2.4, 2.0)
    height = -band * 0.6 + 0.25 * fibres - 1.5 * pores
    return shade, band - 0.5, height, 0.08 * band + 0.05 * pores


def _melamine(look: Look, rng: np.random.Generator) -> Maps:
    speck = noise(rng, slope=0.6, low=8)
    return 0.012 * speck + 0.01 * noise(rng, 2.5), None, speck, None


def _lacquer(strength: float) -> Callable[[Look, np.random.Generator], Maps]:
    def make(look: Look, rng: np.random.Generator) -> Maps:
        peel = noise(rng, slope=2.2, low=6)
        mottle = noise(rng, slope=1.2, low=8)  # the spray's faint mottling, a few cm across
        return 0.008 * noise(rng, 2.6) + 0.004 * peel + 0.03 * strength * mottle, None, peel * strength, None
    return make


def _quartz(look: Look, rng: np.random.Generator) -> Maps:
    cloud = noise(rng, slope=2.4)
    fine = noise(rng, slope=0.3, low=20)
    dark = np.clip(fine - 2.2, 0, None) * 0.35 + np.clip(noise(rng, slope=0.9, low=8) - 1.9, 0, None) * 0.4
    grey = np.clip(noise(rng, slope=1.3, low=5) - 0.9, 0, None) * 0.12
    veins = np.exp(-np.abs(noise(rng, slope=2.8, stretch=1.6)) * 9) * 0.08
    shade = 0.02 * cloud - dark - grey - veins
    return shade, None, -dark * 0.3, dark * 0.6 - veins


def _compact(look: Look, rng: np.random.Generator) -> Maps:
    fine = noise(rng, slope=0.5, low=12)
    return 0.06 * fine + 0.04 * noise(rng, 2.2), None, fine * 0.5, 0.05 * fine


def _brushed(look: Look, rng: np.random.Generator) -> Maps:
    streaks = noise(rng, slope=0.9, stretch=80.0, low=2)
    return 0.05 * streaks, None, streaks * 0.4, 0.08 * streaks


def _matt_metal(look: Look, rng: np.random.Generator) -> Maps:
    grit = noise(rng, slope=0.5, low=12)
    return 0.05 * grit, None, grit * 0.3, 0.05 * grit


def _paint(look: Look, rng: np.random.Generator) -> Maps:
    roller = noise(rng, slope=1.6, low=4)
    return 0.012 * roller + 0.012 * noise(rng, 2.6), None, roller * 0.8, None


def _floor_wood(look: Look, rng: np.random.Generator) -> Maps:
    """Planks 200 mm wide in a 1200 mm tile (6 rows), each row's joint at its own place."""
    n, rows = SIZE, 6
    wood_look = Look(name=look.name, pattern="wood", colour=look.colour, roughness=look.roughness,
                     params={"rings": 30, "contrast": 0.25})
    shade, hue, height, rough = _wood(wood_look, rng)
    x = np.arange(n)[None, :] / n
    y = np.arange(n)[:, None] / n
    row = np.minimum((y * rows).astype(int), rows - 1)
    joints = rng.uniform(0, 1, rows)
    tone = rng.normal(0, 0.07, (rows, 2))
    along = (x - joints[row]) % 1.0
    second = (along > 0.5).astype(int)
    shade = shade + tone[row, second]
    to_row = np.abs(y * rows - np.round(y * rows)) * n / rows  # px to the nearest long seam
    to_joint = np.minimum(np.minimum(along, 1 - along), np.abs(along - 0.5)) * n  # px to a plank end
    seam = np.minimum(to_row, to_joint)
    groove = np.exp(-(seam / 1.2) ** 2)
    assert hue is not None and height is not None and rough is not None
    return shade - 0.3 * groove, hue, height - 3 * groove, rough + 0.2 * groove


def _floor_tile(look: Look, rng: np.random.Generator) -> Maps:
    """Tiles of 600 mm in a 1200 mm tile (2 × 2), 3 mm grout joints, each tile its own shade."""
    n, count = SIZE, 2
    cloud = noise(rng, slope=2.2)
    x = np.arange(n)[None, :] / n * count
    y = np.arange(n)[:, None] / n * count
    tone = rng.normal(0, 0.03, (count, count))
    tile_shade = tone[np.minimum(y.astype(int), count - 1), np.minimum(x.astype(int), count - 1)]
    dist = np.minimum(np.abs(x - np.round(x)), np.abs(y - np.round(y))) * 600  # mm to the nearest joint
    grout = (dist < 1.5).astype(np.float64)
    soft = np.exp(-(dist / 2.5) ** 2)
    shade = 0.03 * cloud + tile_shade - 0.3 * grout
    return shade, None, -soft * 2 + 0.1 * cloud, 0.5 * grout


def _none(look: Look, rng: np.random.Generator) -> Maps:
    return np.zeros((SIZE, SIZE)), None, None, None


PATTERN_MAKERS: dict[str, Callable[[Look, np.random.Generator], Maps]] = {
    "wood": _wood, "melamine": _melamine, "lacquer_matt": _lacquer(0.6), "lacquer_gloss": _lacquer(0.15),
    "quartz": _quartz, "compact": _compact, "brushed_metal": _brushed, "matt_metal": _matt_metal,
    "paint": _paint, "floor_wood": _floor_wood, "floor_tile": _floor_tile, "glass": _none, "plain": _none,
}
NORMAL_STRENGTH = {"wood": 1.2, "melamine": 0.6, "lacquer_matt": 0.5, "lacquer_gloss": 0.25, "quartz": 1.0,
                   "compact": 0.8, "brushed_metal": 0.8, "matt_metal": 0.6, "paint": 0.7, "floor_wood": 1.5,
                   "floor_tile": 1.5}
"""Slope scale of each pattern's normal map (0: no normal map)."""


def texture_images(look: Look) -> dict[str, npt.NDArray[np.uint8]]:
    """The look's maps as uint8 images: ``base`` (n, n, 3), ``normal`` (n, n, 3), ``mr`` (m, m, 3)."""
    if look.pattern in ("glass", "plain"):
        return {}
    shade, hue, height, rough = PATTERN_MAKERS[look.pattern](look, _rng(look.name, look.pattern))
    out = {"base": _u8(_tint(look.colour, shade, hue))}
    strength = NORMAL_STRENGTH.get(look.pattern, 0.0)
    if height is not None and strength > 0:
        out["normal"] = _u8(normal_map(height, strength))
    if rough is not None:
        small = rough.reshape(MR_SIZE, SIZE // MR_SIZE, MR_SIZE, SIZE // MR_SIZE).mean(axis=(1, 3))
        r = np.clip(look.roughness + small, 0.02, 1.0)
        mr = np.stack([np.zeros_like(r), r, np.full_like(r, look.metallic)], axis=-1)
        out["mr"] = _u8(mr)
    return out


def _u8(image: npt.NDArray[np.float64]) -> npt.NDArray[np.uint8]:
    return np.asarray(np.clip(np.round(image * 255), 0, 255), dtype=np.uint8)


def encode(image: npt.NDArray[np.uint8], kind: str) -> bytes:
    """JPEG bytes (colour at quality 85, data maps at 90 without chroma subsampling)."""
    buffer = io.BytesIO()
    options = {"quality": 85} if kind == "base" else {"quality": 90, "subsampling": 0}
    Image.fromarray(image).save(buffer, format="JPEG", **options)
    return buffer.getvalue()


def write_textures(looks: dict[str, Look], out_dir: Path) -> dict[str, dict[str, str]]:
    """Generate every look's maps into ``out_dir`` (content-hashed names) and write ``manifest.json``
    (look key → map → file name). Files no longer listed are removed. Returns the manifest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, dict[str, str]] = {}
    cache: dict[tuple[str, str, str], dict[str, str]] = {}
    for key, look in sorted(looks.items()):
        same = (look.pattern, look.colour, json.dumps([look.roughness, look.metallic, look.params], sort_keys=True))
        if same in cache:  # identical finishes (two thicknesses of one board) share their files
            manifest[key] = cache[same]
            continue
        files = {}
        for kind, image in texture_images(look).items():
            data = encode(image, kind)
            name = f"{look.name}-{kind}.{hashlib.sha256(data).hexdigest()[:10]}.jpg"
            (out_dir / name).write_bytes(data)
            files[kind] = name
        manifest[key] = cache[same] = files
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    keep = {name for files in manifest.values() for name in files.values()} | {"manifest.json"}
    for path in out_dir.iterdir():
        if path.name not in keep and path.suffix == ".jpg":
            path.unlink()
    return manifest
