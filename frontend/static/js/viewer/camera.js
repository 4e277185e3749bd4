// Camera framing for the 3D views: frame the furniture and the room it stands in, not the whole
// apartment from outside.
import * as THREE from "three";

/** The cabinets' box (world), or an empty box. */
export function cabinetsBox(root) {
  const box = new THREE.Box3();
  root.updateMatrixWorld(true);
  root.traverse((obj) => {
    if (obj.userData && obj.userData.kind === "cabinet") box.expandByObject(obj);
  });
  return box;
}

/** The floor node of the room that holds the most of `box` (its centre), or null. */
export function roomAround(root, box) {
  if (box.isEmpty()) return null;
  const centre = box.getCenter(new THREE.Vector3());
  let best = null;
  let bestArea = Infinity;
  root.traverse((obj) => {
    if (!obj.userData || obj.userData.kind !== "room" || !obj.isMesh) return;
    const floor = new THREE.Box3().setFromObject(obj);
    const inside = centre.x >= floor.min.x - 0.3 && centre.x <= floor.max.x + 0.3
      && centre.z >= floor.min.z - 0.3 && centre.z <= floor.max.z + 0.3;
    const area = (floor.max.x - floor.min.x) * (floor.max.z - floor.min.z);
    if (inside && area < bestArea) { best = obj; bestArea = area; }
  });
  return best;
}

/**
 * What to look at: the cabinets and the room they stand in (the whole plan when there are no
 * cabinets). Returns { box, focus } in world coordinates; box is empty when there is nothing.
 */
export function framingBox(root) {
  const cabinets = cabinetsBox(root);
  if (cabinets.isEmpty()) {
    const all = new THREE.Box3().setFromObject(root);
    return { box: all, focus: all.isEmpty() ? new THREE.Vector3() : all.getCenter(new THREE.Vector3()) };
  }
  const room = roomAround(root, cabinets);
  const box = cabinets.clone();
  if (room) {
    const floor = new THREE.Box3().setFromObject(room);
    box.expandByPoint(new THREE.Vector3(floor.min.x, 0, floor.min.z));
    box.expandByPoint(new THREE.Vector3(floor.max.x, 0, floor.max.z));
  }
  return { box, focus: cabinets.getCenter(new THREE.Vector3()), room };
}

/**
 * Aim an orbit camera (camera + controls) so the box fills the view, looking from the open side of
 * the room (from its centre towards the cabinets, lifted to look over the near walls).
 */
export function frameBox(camera, controls, { box, focus, room }) {
  if (box.isEmpty()) return false;
  const radius = Math.max(box.getSize(new THREE.Vector3()).length() / 2, 1);
  const halfFov = (camera.fov * Math.PI) / 360;
  const distance = (radius / Math.sin(halfFov)) / Math.min(1, camera.aspect) * 0.85;
  const target = focus.clone();
  target.y = Math.min(Math.max(focus.y, 0.7), 1.2);
  const dir = new THREE.Vector3(0.35, 0, 0.6);
  if (room) {
    const roomCentre = new THREE.Box3().setFromObject(room).getCenter(new THREE.Vector3());
    const away = new THREE.Vector3(roomCentre.x - focus.x, 0, roomCentre.z - focus.z);
    if (away.length() > 0.2) dir.copy(away.normalize());
  }
  dir.y = 1.1;
  dir.normalize();
  controls.target.copy(target);
  camera.position.copy(target).addScaledVector(dir, distance);
  controls.update();
  return true;
}
