// The auto-fill dialog: pick walls (in order), get up to five alternatives with their
// differences and prices, apply one as a single undoable command.

import { api, ApiError } from "../api.js";
import { T, fmt, h, mm, money } from "../text.js";
import { wallLength } from "../geometry.js";

export class AutofillDialog {
  constructor({ designId, getDoc, getRevision, getWall, onChoose }) {
    this.dialog = document.getElementById("autofill-dialog");
    if (!this.dialog) return;
    this.designId = designId;
    this.getDoc = getDoc;
    this.getRevision = getRevision;
    this.onChoose = onChoose;
    this.order = [];
    this.getWall = getWall || (() => null);
    document.getElementById("autofill-open").addEventListener("click", () => this.open(this.getWall()));
    document.getElementById("autofill-cancel").addEventListener("click", () => this.dialog.close());
    document.getElementById("autofill-run").addEventListener("click", () => this.run());
  }

  open(preselect = null) {
    const doc = this.getDoc();
    const box = document.getElementById("autofill-walls");
    box.replaceChildren();
    this.order = preselect ? [preselect] : [];
    const kitchen = doc.plan.rooms.find((r) => r.type === "kitchen");
    for (const wall of doc.plan.walls) {
      const id = `af-${wall.id}`;
      const input = h("input", { type: "checkbox", id, value: wall.id, checked: this.order.includes(wall.id) ? true : null,
        onchange: (e) => {
          if (e.target.checked) this.order.push(wall.id);
          else this.order = this.order.filter((w) => w !== wall.id);
        } });
      box.append(h("label", { for: id, class: "wall-choice" }, input, fmt(T.wall_len, { id: wall.id, len: mm(Math.round(wallLength(wall))) })));
    }
    if (kitchen) box.dataset.kitchen = kitchen.id;
    document.getElementById("autofill-results").replaceChildren();
    document.getElementById("autofill-walls-error").textContent = "";
    this.dialog.showModal();
  }

  async run() {
    const error = document.getElementById("autofill-walls-error");
    error.textContent = "";
    if (!this.order.length) { error.textContent = T.choose_wall; return; }
    const progress = document.getElementById("autofill-progress");
    const results = document.getElementById("autofill-results");
    results.replaceChildren();
    progress.hidden = false;
    try {
      const replace = document.getElementById("autofill-replace").checked;
      const answer = await api.post(`/api/designs/${this.designId}/autofill`, { wall_ids: this.order, replace });
      this.render(answer);
    } catch (err) {
      error.textContent = err instanceof ApiError ? (err.fieldMessage("wall_ids") || err.message) : String(err);
    } finally {
      progress.hidden = true;
    }
  }

  render(answer) {
    const results = document.getElementById("autofill-results");
    if (!answer.alternatives.length) {
      results.append(h("li", { class: "empty" }, T.no_alternatives));
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
