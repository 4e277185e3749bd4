"""In a real browser: the 3D view at the rich and the fast setting shows textured finishes (wood,
lacquer, quartz: texture detail on fronts and worktop, not flat colour), doors open on click, and
the Render button renders the current view into the gallery."""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageFilter
from playwright.sync_api import Page, expect

from backend.render.cycles import blender_executable
from support.browser import screenshot

pytestmark = pytest.mark.e2e


def _open(page: Page, quality: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill("homeowner@demo.roomwright")
    page.get_by_label("Password").fill("roomwright-demo")
    page.get_by_role("button", name="Log in").click()
    href = page.get_by_role("link", name="My first kitchen").get_attribute("href")
    page.goto(f"{href}?quality={quality}")
    expect(page.locator("body")).to_have_attribute("data-editor-ready", "true", timeout=60_000)
    expect(page.locator("#view-3d")).to_have_attribute("data-loaded", "true", timeout=60_000)
    expect(page.locator("html")).to_have_attribute("data-view-quality", quality)
    page.wait_for_function("() => window.roomwrightEditor.view3d().shading.fronts.size > 0")
    _settle_frames(page)


def _settle_frames(page: Page) -> None:
    page.evaluate("() => new Promise((ok) => { const v = window.roomwrightEditor.view3d(); v.requestRender();"
                  " requestAnimationFrame(() => requestAnimationFrame(ok)); })")
    page.wait_for_timeout(400)


def _canvas(page: Page) -> Image.Image:
    return Image.open(io.BytesIO(page.locator("#view3d-canvas").screenshot())).convert("L")


def _detail(image: Image.Image, box: tuple[int, int, int, int]) -> float:
    """Fine detail in a region: the spread of the image minus its 5 px blur (lighting gradients and
    flat colour leave almost nothing, texture leaves grain)."""
    region = image.crop(box)
    high = np.asarray(region, dtype=np.float64) - np.asarray(region.filter(ImageFilter.BoxBlur(2)), dtype=np.float64)
    return float(high.std())


def _regions(page: Page) -> dict[str, tuple[int, int, int, int]]:
    """Boxes (canvas px) around the fronts of a base cabinet and around the worktop."""
    found: dict[str, Any] = page.evaluate("""() => {
      const v = window.roomwrightEditor.view3d();
      const rect = v.canvas.getBoundingClientRect();
      const doc = window.roomwrightEditor.state.doc;
      const pick = (test) => doc.cabinets.filter(test).map((c) => v.screenPoint(c.id)).filter(Boolean)
        .map(([x, y]) => [x - rect.left, y - rect.top])
        .filter(([x, y]) => x > 30 && y > 30 && x < rect.width - 30 && y < rect.height - 30);
      return { base: pick((c) => c.family.startsWith('base')), top: pick((c) => c.family === 'countertop'),
               width: rect.width, height: rect.height };
    }""")
    assert found["base"] and found["top"], found
    return {f"{name}-{i}": (int(x - 22), int(y - 14), int(x + 22), int(y + 14))
            for name in ("base", "top") for i, (x, y) in enumerate(found[name][:3])}


def _strip_textures(page: Page) -> None:
    page.evaluate("""() => {
      const v = window.roomwrightEditor.view3d();
      v.root.traverse((o) => { if (o.material) { o.material.map = null; o.material.normalMap = null;
        o.material.roughnessMap = null; o.material.metalnessMap = null; o.material.needsUpdate = true; } });
      v.requestRender();
    }""")
    _settle_frames(page)


@pytest.mark.parametrize("quality", ["rich", "fast"])
def test_the_editor_shows_textured_finishes_at_both_settings(page: Page, quality: str) -> None:
    _open(page, quality)
    screenshot(page, f"editor-look-{quality}")
    image = _canvas(page)
    regions = _regions(page)
    textured = {name: _detail(image, box) for name, box in regions.items()}
    _strip_textures(page)
    flat_image = _canvas(page)
    flat = {name: _detail(flat_image, box) for name, box in regions.items()}
    for kind in ("base", "top"):  # the best-seen front and worktop show their texture
        gain = max(textured[n] / max(flat[n], 0.1) for n in regions if n.startswith(kind))
        assert gain > 1.25, (quality, kind, textured, flat)
    assert page.evaluate("() => window.roomwrightEditor.view3d().shading.quality") == quality


def test_quality_switch_and_fronts_that_open(page: Page) -> None:
    _open(page, "fast")
    page.locator("#quality-toggle").click(timeout=90_000)  # software WebGL under load: slow frames
    expect(page.locator("html")).to_have_attribute("data-view-quality", "rich", timeout=60_000)
    opened = page.evaluate("""() => {
      const v = window.roomwrightEditor.view3d();
      const [id, front] = [...v.shading.fronts.entries()].find(([, f]) => f.opens.kind === 'slide');
      const before = front.pivot.position.clone();
      v.shading.toggle(id);
      const done = () => v.shading.moving.size === 0
        ? ok({ id, moved: front.pivot.position.distanceTo(before), open: v.shading.isOpen(id) })
        : setTimeout(done, 100);
      let ok; return new Promise((resolve) => { ok = resolve; done(); });
    }""")
    assert opened["open"] and opened["moved"] > 200  # mm: the drawer slid out
    door = page.evaluate("""() => {
      const v = window.roomwrightEditor.view3d();
      const [id, front] = [...v.shading.fronts.entries()].find(([, f]) => f.opens.kind === 'hinge');
      v.shading.toggle(id);
      const done = () => v.shading.moving.size === 0
        ? ok(2 * Math.acos(Math.min(1, Math.abs(front.pivot.quaternion.w))) * 180 / Math.PI)
        : setTimeout(done, 100);
      let ok; return new Promise((resolve) => { ok = resolve; done(); });
    }""")
    assert door > 80
    screenshot(page, "editor-open-fronts")


@pytest.mark.skipif(blender_executable() is None, reason="Blender (Debian: blender) is not installed")
def test_render_button_renders_the_current_view(page: Page) -> None:
    _open(page, "fast")
    page.select_option("#render-camera", "current")
    page.select_option("#render-size", "640x360")
    page.evaluate("() => { const o = document.querySelector('#render-size option'); o.value = '160x90'; }")
    page.select_option("#render-size", "160x90")
    page.get_by_role("button", name="Render", exact=True).click()
    expect(page.locator("#render-progress")).to_be_visible()
    page.wait_for_function("() => document.getElementById('renders').dataset.lastRender", timeout=120_000)
    expect(page.locator("#render-gallery img").first).to_be_visible()
    url = page.evaluate("() => document.getElementById('renders').dataset.lastRender")
    page.reload()  # the gallery as the page draws it from the renders table
    first = page.locator("#render-gallery figure").first
    expect(first.locator("img")).to_have_attribute("src", url)
    expect(first).to_have_class("current")
    expect(first.locator("figcaption")).to_contain_text("A view from the editor")
    expect(first.locator("figcaption")).to_contain_text("160 × 90")
    first.scroll_into_view_if_needed()
    screenshot(page, "design-render-gallery")
