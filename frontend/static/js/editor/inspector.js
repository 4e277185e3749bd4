// The selected cabinet's form: sizes, options, front and handle, with live validation (the catalog's
// ranges at once, then the server's findings and price for the changed, unsaved design).

import { T, fmt, h, mm, money } from "../text.js";

const SIZE_FIELDS = [["width_mm", "width", "cab-width"], ["height_mm", "height", "cab-height"], ["depth_mm", "depth", "cab-depth"]];

export class Inspector {
  constructor({ catalog, canEdit, familyOf, room, toleranceMm, onPreview, onApply, onDuplicate, onDelete, onFix }) {
    this.catalog = catalog;
    this.toleranceMm = toleranceMm; // the server's length tolerance: a unit may end this far past its wall
    this.canEdit = canEdit;
    this.familyOf = familyOf;
    this.room = room; // (cab, widthMm) → mm of wall left after the cabinet (negative: runs past the end)
    this.onPreview = onPreview;
    this.onApply = onApply;
    this.onFix = onFix;
    this.form = document.getElementById("cabinet-form");
    this.empty = document.getElementById("inspector-empty");
    this.cab = null;
    this.timer = null;
    this.previewSeq = 0;
    this.form.addEventListener("input", () => this._changed());
    this.form.addEventListener("change", () => this._changed());
    this.form.addEventListener("submit", (e) => { e.preventDefault(); this.apply(); });
    const dup = document.getElementById("cab-duplicate");
    if (dup) dup.addEventListener("click", () => this.cab && onDuplicate(this.cab));
    const del = document.getElementById("cab-delete");
    if (del) del.addEventListener("click", () => this.cab && onDelete(this.cab));
    this._fillSelect(document.getElementById("cab-front"), catalog.materials.filter((m) => m.kind === "front"));
    this._fillSelect(document.getElementById("cab-handle"), catalog.handles);
    if (!canEdit) for (const input of this.form.querySelectorAll("input, select")) input.disabled = true;
  }

  _fillSelect(select, entries) {
    select.replaceChildren(h("option", { value: "" }, T.default));
    for (const entry of entries) select.append(h("option", { value: entry.code }, entry.name));
  }

  show(cab) {
    const same = this.cab && cab && this.cab.id === cab.id;
    this.cab = cab;
    this.form.hidden = !cab;
    this.empty.hidden = !!cab;
    if (!cab) return;
    const fam = this.familyOf(cab.family);
    document.getElementById("cabinet-family").textContent = fam ? fam.name : T.cabinet;
    // the unit is named by what it is and its size; its id (for the plan, the 3D view, tests) stays out of the text
    const size = document.getElementById("cabinet-id");
    size.dataset.id = cab.id;
    size.textContent = `${mm(cab.width_mm)} × ${mm(cab.height_mm)} × ${mm(cab.depth_mm)} mm`;
    for (const [field, key, id] of SIZE_FIELDS) {
      const input = document.getElementById(id);
      const range = fam ? fam[key] : null;
      input.value = String(cab[field]);
      if (range) {
        input.min = range.min; input.max = range.max; input.step = range.step;
        document.getElementById(`${id}-hint`).textContent = range.step === 1
          ? fmt(T.range, { min: mm(range.min), max: mm(range.max) })
          : fmt(T.range_step, { min: mm(range.min), max: mm(range.max), step: mm(range.step) });
      }
    }
    this._renderOptions(cab, fam);
    const fronts = fam ? fam.has_fronts : true;
    document.getElementById("front-field").hidden = !fronts;
    document.getElementById("handle-field").hidden = !fronts;
    document.getElementById("cab-front").value = cab.front_material || "";
    document.getElementById("cab-handle").value = cab.handle || "";
    if (!same) this.clearErrors();
    this.setPreview(null);
  }

  _renderOptions(cab, fam) {
    const box = document.getElementById("cab-options");
    box.querySelectorAll(".field").forEach((n) => n.remove());
    const options = fam ? fam.options : {};
    box.hidden = Object.keys(options).length === 0;
    const names = T.options || {};
    for (const [name, spec] of Object.entries(options)) {
      const id = `cab-opt-${name}`;
      const value = name in cab.options ? cab.options[name] : spec.default;
      let input;
      if (spec.type === "choice") {
        input = h("select", { id, name: `options.${name}`, "data-option": name, "data-type": spec.type },
          spec.choices.map((c) => h("option", { value: c, selected: c === value ? true : null }, names[c] || c)));
      } else if (spec.type === "bool") {
        input = h("input", { id, type: "checkbox", name: `options.${name}`, "data-option": name, "data-type": spec.type, checked: value ? true : null });
      } else if (spec.type === "int") {
        input = h("input", { id, type: "number", step: 1, min: spec.min, max: spec.max, value, name: `options.${name}`,
          "data-option": name, "data-type": spec.type, inputmode: "numeric" });
      } else if (name === "material") {
        // a worktop's material is chosen by its name (the catalog code is the option's value only)
        const worktops = this.catalog.materials.filter((m) => m.kind === "countertop");
        input = h("select", { id, name: `options.${name}`, "data-option": name, "data-type": spec.type },
          worktops.map((m) => h("option", { value: m.code, selected: m.code === value ? true : null }, m.name)));
      } else {
        input = h("input", { id, type: "text", value, name: `options.${name}`, "data-option": name, "data-type": spec.type });
      }
      if (!this.canEdit) input.disabled = true;
      input.setAttribute("aria-describedby", `${id}-error`);
      box.append(h("div", { class: "field" }, h("label", { for: id }, names[name] || name.replaceAll("_", " ")), input,
        h("small", { class: "field-error", id: `${id}-error`, role: "alert" })));
    }
  }

  /** The form's values as cabinet fields, and the local errors keyed by field name. */
  values() {
    const cab = this.cab;
    const fam = this.familyOf(cab.family);
    const out = { options: { ...cab.options } };
    const errors = {};
    for (const [field, key, id] of SIZE_FIELDS) {
      const raw = document.getElementById(id).value.trim();
      const value = Number(raw);
      out[field] = value;
      const range = fam ? fam[key] : null;
      if (raw === "" || !Number.isFinite(value)) { errors[field] = fmt(T.out_of_range, { min: range?.min, max: range?.max }); continue; }
      if (!range) continue;
      if (value < range.min || value > range.max) errors[field] = fmt(T.out_of_range, { min: mm(range.min), max: mm(range.max) });
      else if (range.step === 1 && !Number.isInteger(value)) errors[field] = T.whole_mm;
      else if (Math.abs((value - range.min) / range.step - Math.round((value - range.min) / range.step)) > 1e-6) {
        errors[field] = fmt(T.not_step, { step: mm(range.step), min: mm(range.min) });
      }
    }
    if (!errors.width_mm) {
      const left = this.room(cab, out.width_mm);
      if (left !== null && left < -this.toleranceMm) errors.width_mm = fmt(T.past_wall, { mm: mm(Math.ceil(-left)) });
    }
    for (const input of this.form.querySelectorAll("[data-option]")) {
      const name = input.dataset.option;
      const spec = fam.options[name];
      let value;
      if (spec.type === "bool") value = input.checked;
      else if (spec.type === "int") {
        value = Number(input.value);
        if (input.value.trim() === "" || !Number.isInteger(value) || (spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
          errors[`options.${name}`] = fmt(T.out_of_range, { min: spec.min, max: spec.max });
        }
      } else value = input.value;
      if (value === spec.default && !(name in cab.options)) continue;
      out.options[name] = value;
    }
    out.front_material = document.getElementById("cab-front").value || null;
    out.handle = document.getElementById("cab-handle").value || null;
    return { values: out, errors };
  }

  changes() {
    const { values, errors } = this.values();
    const cab = this.cab;
    const sizes = {};
    for (const [field] of SIZE_FIELDS) if (values[field] !== cab[field]) sizes[field] = values[field];
    const change = {};
    if (JSON.stringify(values.options) !== JSON.stringify(cab.options)) change.options = values.options;
    if ((values.front_material || null) !== (cab.front_material || null)) change.front_material = values.front_material;
    if ((values.handle || null) !== (cab.handle || null)) change.handle = values.handle;
    return { sizes, change, errors, values };
  }

  clearErrors() {
    for (const node of this.form.querySelectorAll(".field-error")) node.textContent = "";
    for (const node of this.form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  }

  /** Show errors next to their fields: { "width_mm": "message", "options.shelves": "…" }. */
  showErrors(errors) {
    this.clearErrors();
    let first = null;
    for (const [field, message] of Object.entries(errors)) {
      const input = this.form.querySelector(`[name="${CSS.escape(field)}"]`);
      if (!input) continue;
      input.setAttribute("aria-invalid", "true");
      const slot = document.getElementById(`${input.id}-error`);
      if (slot) slot.textContent = message;
      first = first || input;
    }
    return first;
  }

  _changed() {
    if (!this.cab) return;
    const { errors, values, sizes, change } = this.changes();
    this.showErrors(errors);
    clearTimeout(this.timer);
    if (Object.keys(errors).length || (!Object.keys(sizes).length && !Object.keys(change).length)) {
      if (!Object.keys(errors).length) this.setPreview(null);
      return;
    }
    const seq = ++this.previewSeq;
    document.getElementById("cab-price").textContent = T.checking;
    this.timer = setTimeout(async () => {
      const result = await this.onPreview(this.cab, values);
      if (seq === this.previewSeq && result) this.setPreview(result);
    }, 300);
  }

  /** Live findings and price for the unsaved change (or the stored state when result is null). */
  setPreview(result) {
    this.preview = result;
    this.previewSeq += result ? 0 : 1;
    this.renderStored();
  }

  renderStored(findings = this.storedFindings, quote = this.storedQuote) {
    this.storedFindings = findings;
    this.storedQuote = quote;
    if (!this.cab) return;
    const source = this.preview || { findings: findings || [], quote };
    const id = this.cab.id;
    const line = source.quote && (source.quote.cabinets || []).find((c) => c.cabinet_id === id);
    document.getElementById("cab-price").textContent = line && line.price_cents !== null
      ? money(line.price_cents, source.quote.currency) : "–";
    const list = document.getElementById("cab-findings");
    list.replaceChildren();
    for (const f of (source.findings || []).filter((x) => x.object_ids.includes(id))) {
      // a stored finding's fix can be applied here (a preview's fix is for a design not saved yet)
      const fixable = f.fix && f.fix.command && this.canEdit && this.onFix && !this.preview;
      list.append(h("li", { class: `finding ${f.severity}` }, h("span", { class: `badge ${f.severity}` },
        f.severity === "error" ? T.error : T.warning), " ", f.message,
        f.fix ? h("small", { class: "fix" }, ` ${f.fix.description}`) : null,
        fixable ? h("button", { type: "button", class: "compact secondary", onclick: () => this.onFix(f) }, T.apply_fix) : null));
    }
  }

  apply() {
    if (!this.cab || !this.canEdit) return;
    const { sizes, change, errors } = this.changes();
    const first = this.showErrors(errors);
    if (first) { first.focus(); return; }
    const commands = [];
    if (Object.keys(sizes).length) commands.push({ kind: "resize_cabinet", cabinet_id: this.cab.id, ...sizes });
    if (Object.keys(change).length) commands.push({ kind: "change_cabinet", cabinet_id: this.cab.id, changes: change });
    if (!commands.length) return;
    this.onApply(commands.length === 1 ? commands[0] : { kind: "batch", commands });
  }
}
