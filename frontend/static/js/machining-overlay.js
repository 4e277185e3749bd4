// The factory's 3D view shows an order's machining: every hole as a small cylinder in its part, coloured by
// purpose, under a "Show machining" switch. The holes come from /api/factory/orders/{id}/holes (cabinet id →
// holes in the cabinet's frame, mm); the scene's cabinet nodes are in that frame, so each cylinder is a child
// of its cabinet's node. Listens for the viewer's "scene-loaded" event.
import * as THREE from "three";

import { request } from "./api.js";

export const PURPOSE_COLOURS = {
  cam: 0xd62728, dowel: 0x8c564b, confirmat: 0x9467bd, hinge_cup: 0x1f77b4, hinge_plate: 0x17becf,
  shelf_pin: 0x2ca02c, slide: 0xff7f0e, handle: 0x7f7f7f, leg: 0xbcbd22, hanger: 0xe377c2,
};

/** Position and rotation (Euler, radians) of a Y-axis cylinder lying along cabinet axis 0/1/2. */
export function cylinderPose(hole) {
  const rotation = [[0, 0, Math.PI / 2], [0, 0, 0], [Math.PI / 2, 0, 0]][hole.axis];
  if (!rotation) throw new Error(`axis must be 0, 1 or 2, got ${hole.axis}`);
  return { position: hole.centre.slice(0, 3), rotation };
}

/** The cylinders of one cabinet's holes as a THREE.Group (hidden until shown). */
export function holeGroup(holes) {
  const group = new THREE.Group();
  group.name = "machining";
  for (const hole of holes) {
    const radius = Math.max(hole.radius, 1.5); // tiny holes stay visible
    const mesh = new THREE.Mesh(
      new THREE.CylinderGeometry(radius, radius, Math.max(hole.length, 1), 12),
      new THREE.MeshStandardMaterial({ color: PURPOSE_COLOURS[hole.purpose] ?? 0x333333 }),
    );
    const pose = cylinderPose(hole);
    mesh.position.set(...pose.position);
    mesh.rotation.set(...pose.rotation);
    mesh.userData = { part: hole.part, purpose: hole.purpose };
    group.add(mesh);
  }
  return group;
}

function attach(root, byCabinet, toggle) {
  const groups = [];
  for (const [cabinetId, holes] of Object.entries(byCabinet)) {
    const node = root.getObjectByName(cabinetId);
    if (!node) continue;
    const group = holeGroup(holes);
    group.visible = toggle.checked;
    node.add(group);
    groups.push(group);
  }
  toggle.addEventListener("change", () => groups.forEach((g) => { g.visible = toggle.checked; }));
  toggle.disabled = false;
  toggle.closest("label")?.setAttribute("data-holes", String(groups.reduce((n, g) => n + g.children.length, 0)));
}

if (typeof document !== "undefined") {
  const canvas = document.getElementById("shared-viewer");
  const toggle = document.getElementById("show-machining");
  if (canvas && toggle && canvas.dataset.holes) {
    // the holes are fetched when first shown (most visits never ask for them, and a fetch left running
    // would be cut off when the page moves on)
    canvas.addEventListener("scene-loaded", (event) => {
      const root = event.detail.root;
      let asked = false;
      toggle.disabled = false;
      toggle.addEventListener("change", async () => {
        if (asked || !toggle.checked) return;
        asked = true;
        try {
          attach(root, await request("GET", canvas.dataset.holes), toggle);
        } catch (err) {
          asked = false;
          toggle.closest("label")?.setAttribute("title", err.message);
        }
      });
    });
  }
}
