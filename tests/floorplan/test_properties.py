"""Property tests: plans drawn from known walls come back; outputs are always valid; junk never crashes."""

from __future__ import annotations

import contextlib
import io

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from backend.errors import DomainError
from backend.floorplan import vectorize
from benchmarks.floorplan import run, synth

FAST = settings(
    max_examples=6, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@FAST
@given(seed=st.integers(0, 10_000), style=st.sampled_from(synth.STYLES))
def test_drawn_plan_comes_back(seed: int, style: synth.Style) -> None:
    sample = synth.render(synth.make_plan(seed), style, 15.0, seed)
    sample.encoded = synth.encode(sample.image)
    result = vectorize(sample.encoded, scale_line=run.scale_line_for(sample))
    score = run.score_synthetic(sample, result)
    assert score["wall_iou"] >= 0.55
    assert score["room_f1"] >= 0.5
    assert run.scale_error(sample, result) < 0.02


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31), size=st.integers(24, 160), density=st.floats(0.0, 1.0))
def test_any_image_gives_valid_polygons(seed: int, size: int, density: float) -> None:
    rng = np.random.default_rng(seed)
    img = np.where(rng.random((size, size + 7)) < density * 0.5, 0, 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="PNG")
    result = vectorize(buf.getvalue())
    for room in result.plan.rooms:
        assert room.shape().is_valid
    for wall in result.plan.walls:
        assert wall.length_mm >= 10


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=2048), prefix=st.sampled_from([b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"RIFF"]))
def test_junk_bytes_raise_typed_errors(data: bytes, prefix: bytes) -> None:
    with contextlib.suppress(DomainError):
        vectorize(prefix + data)
