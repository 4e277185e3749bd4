// The auto-fill dialog: pick a room and its walls (in order), get up to five alternatives with
// their differences and prices, apply one as a single undoable command. Each run covers only the
// stretch of its wall that faces the room; when nothing fits, the server's reasons are shown.

import { api, ApiError } from "../api.js";
import { T, fmt, h, mm, money } from "../text.js";
import { signedArea, wallLength } from "../geometry.js";
import { drawThumbnail, linkList } from "../plan/thumbnail.js";

export class AutofillDialog {
  /** wallNames: {"" | room id: {wall id: "Kitchen, north wall, 3,553 mm"}} and stretches: {room id:
   * [{wall_id, side, start_mm, end_mm}]}, both from the server (backend/design/walls.py, autofill). */
  constructor({ designId, getDoc, getRevision, getWall, onChoose, wallNames = {}, stretches = {} }) {
    this.dialog = document.getElementById("autofill-dialog");
    if (!this.dialog) return;
    this.designId = designId;
    this.getDoc = getDoc;
    this.getRevision = getRevision;
    this.onChoose = onChoose;
    this.order = [];
    this.wallNames = wallNames;
    this.stretches = stretches;
    this.thumb = document.getElementById("autofill-plan");
    this.marks = null;
    this.getWall = getWall || (() => null);
    document.getElementById("autofill-open").addEventListener("click", () => this.open(this.getWall()));
    document.getElementById("autofill-cancel").addEventListener("click", () => this.dialog.close());
    document.getElementById("autofill-run").addEventListener("click", () => this.run());
    this.roomSelect = document.getElementById("autofill-room");
    // a room clicked on the plan is the one the dialog starts from
    this.lastRoom = null;
    document.addEventListener("pointerdown", (e) => {
      const id = e.target && e.target.dataset ? e.target.dataset.roomId : null;
      if (id) this.lastRoom = id;
    }, true);
    if (this.roomSelect) this.roomSelect.addEventListener("change", () => this.listWalls());
  }

  /** The room's name for people: its name, else its number and area. */
  roomLabel(room, index) {
    if (room.name) return room.name;
    return fmt(T.room_unnamed, { n: index + 1, area: mm(Math.round(Math.abs(signedArea(room.polygon)) / 1e5) / 10) });
  }

  /** The walls listed by room, side and length: with a room chosen, only those facing it (longest
   * stretch first, as the server found them), named from that room. */
  listWalls() {
    const doc = this.getDoc();
    const box = document.getElementById("autofill-walls");
    box.replaceChildren();
    const roomId = this.roomSelect ? this.roomSelect.value : "";
    const names = this.wallNames[roomId] || this.wallNames[""] || {};
    let shown = doc.plan.walls;
    if (roomId && this.stretches[roomId]) {
      const facing = this.stretches[roomId].map((s) => s.wall_id);
      shown = facing.map((id) => doc.plan.walls.find((w) => w.id === id)).filter(Boolean);
    }
    this.order = this.order.filter((id) => shown.some((w) => w.id === id));
    for (const [i, wall] of shown.entries()) {
      const id = `af-wall-${i}`;
      const input = h("input", { type: "checkbox", id, value: wall.id, checked: this.order.includes(wall.id) ? true : null,
        onchange: (e) => {
          if (e.target.checked) this.order.push(wall.id);
          else this.order = this.order.filter((w) => w !== wall.id);
        } });
      const label = names[wall.id] || fmt(T.wall_len, { n: i + 1, len: mm(Math.round(wallLength(wall))) });
      box.append(h("label", { for: id, class: "wall-choice", "data-wall-ref": wall.id }, input, label));
    }
    if (this.thumb) {
      drawThumbnail(this.thumb, doc.plan, { roomId: roomId || null });
      if (!this.marks) this.marks = linkList(box, this.thumb);
      this.marks();
    }
  }

  open(preselect = null) {
    const doc = this.getDoc();
    this.order = preselect ? [preselect] : [];
    if (this.roomSelect) {
      this.roomSelect.replaceChildren(h("option", { value: "" }, T.room_auto),
        ...doc.plan.rooms.map((r, i) => h("option", { value: r.id }, this.roomLabel(r, i))));
      const clicked = doc.plan.rooms.find((r) => r.id === this.lastRoom);
      const kitchen = doc.plan.rooms.find((r) => r.type === "kitchen");
      if (clicked) this.roomSelect.value = clicked.id;
      else if (kitchen && !preselect) this.roomSelect.value = kitchen.id;
    }
    this.listWalls();
    document.getElementById("autofill-results").replaceChildren();
    document.getElementById("autofill-walls-error").textContent = "";
    this.dialog.showModal();
  }

  async run() {
    const error = document.getElementById("autofill-walls-error");
    error.textContent = "";
    const roomId = this.roomSelect && this.roomSelect.value ? this.roomSelect.value : null;
    if (!this.order.length && !roomId) { error.textContent = T.choose_wall; return; }
    const progress = document.getElementById("autofill-progress");
    const results = document.getElementById("autofill-results");
    results.replaceChildren();
    progress.hidden = false;
    try {
      const replace = document.getElementById("autofill-replace").checked;
      const furnitureSelect = document.getElementById("autofill-furniture");
      const furniture = furnitureSelect && furnitureSelect.value ? furnitureSelect.value : null;
      const answer = await api.post(`/api/designs/${this.designId}/autofill`, { wall_ids: this.order, room_id: roomId, replace, furniture });
      this.render(answer);
    } catch (err) {
      error.textContent = err instanceof ApiError ? (err.fieldMessage("wall_ids") || err.fieldMessage("room_id") || err.message) : String(err);
    } finally {
      progress.hidden = true;
    }
  }

  render(answer) {
    const results = document.getElementById("autofill-results");
    if (!answer.alternatives.length) {
      const reasons = (answer.reasons || []).map((r) => r.text);
      results.append(h("li", { class: "empty" }, reasons.length ? reasons.join(" ") : T.no_alternatives));
      return;
    }
    for (const alt of answer.alternatives) {
      const widths = (alt.cabinets || []).filter((c) => c.elevation_mm < 900).map((c) => mm(c.width_mm)).join(" + ");
      results.append(h("li", { class: "alternative" },
        h("div", { class: "alt-head" }, h("strong", {}, `${alt.rank}. ${money(alt.price_cents, this.currency || "CNY")}`),
          " ", h("span", { class: "muted" }, alt.differences)),
        h("p", {}, fmt(T.alt_units, { units: alt.unit_count, fillers: alt.fillers, mm: mm(alt.filler_mm) })),
        widths ? h("p", { class: "muted note" }, widths) : null,
        (alt.notes || []).length ? h("ul", { class: "muted note" }, alt.notes.map((n) => h("li", {}, n))) : null,
        alt.findings_after && alt.findings_after.errors
          ? h("p", { class: "alt-errors", role: "note" }, fmt(T.alt_errors, { n: alt.findings_after.errors }),
            h("ul", {}, alt.findings_after.messages.map((m) => h("li", {}, m))))
          : null,
        h("button", { type: "button", onclick: () => { this.dialog.close(); this.onChoose(alt); } }, T.use_alt)));
    }
  }
}
