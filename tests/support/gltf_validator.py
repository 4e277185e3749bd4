"""The Khronos glTF validator (npm ``gltf-validator`` in frontend/node_modules), run through node."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

MODULE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "gltf-validator"

# Image URIs are resolved against resource_dir (the folder the viewers serve as /static/).
_SCRIPT = """
const v = require(process.argv[1]); const fs = require('fs'); const path = require('path');
const dir = process.argv[3];
const load = (uri) => new Promise((ok, fail) => {
  try { ok(new Uint8Array(fs.readFileSync(path.join(dir, decodeURIComponent(uri))))); } catch (e) { fail(String(e)); }
});
v.validateBytes(new Uint8Array(fs.readFileSync(process.argv[2])), {externalResourceFunction: load, maxIssues: 50})
  .then((r) => console.log(JSON.stringify(r.issues)));
"""


def validate_glb(glb: bytes, tmp_path: Path, resource_dir: Path | None = None) -> dict[str, Any]:
    """The validator's ``issues`` report (numErrors, numWarnings, numInfos, messages); skips the test
    when node or the validator is not installed."""
    node = shutil.which("node")
    if node is None or not MODULE.is_dir():
        pytest.skip("node or frontend/node_modules/gltf-validator is not installed")
    path = tmp_path / "scene.glb"
    path.write_bytes(glb)
    out = subprocess.run([node, "-e", _SCRIPT, str(MODULE), str(path), str(resource_dir or tmp_path)],
                         capture_output=True, text=True, timeout=60, check=True)
    issues: dict[str, Any] = json.loads(out.stdout)
    return issues
