// Side panels: the catalog (families by room, filtered to the working room), findings, the cabinet list (the text
// alternative of the 3D view) and the price.

import { T, fmt, h, mm, money } from "../text.js";

const CATEGORY_ORDER = ["base", "wall", "tall", "panel", "worktop"];
/** The catalog's room groups (backend/configurator/catalog.py ROOM_CATEGORIES), in the order shown. */
export const ROOM_ORDER = ["kitchen", "wardrobe", "living", "hall", "study", "bathroom", "bedroom"];
/** Which catalog groups belong to a plan room of each type (backend/design/model.py RoomType); a type
 * not named here (balcony, other…) shows every group. */
export const ROOM_GROUPS = {
  kitchen: ["kitchen"], bedroom: ["wardrobe", "bedroom"], closet: ["wardrobe"], living: ["living"],
  dining: ["living"], hall: ["hall", "wardrobe"], study: ["study", "living"], bathroom: ["bathroom"],
  toilet: ["bathroom"], laundry: ["bathroom"], storage: ["wardrobe", "hall"],
};

/** The room groups to show for a plan room type (null: all of them). */
export function groupsFor(roomType) {
  return (roomType && ROOM_GROUPS[roomType]) || null;
}

/** The catalog grouped by room (kitchen, wardrobe, living…), each group by how units stand; with a
 * room type only that room's groups, unless ``all`` (the "all rooms" switch). With canEdit each
 * family is a button (adds it) that can also be dragged onto a wall in the plan (the drag carries
 * its code as "application/x-roomwright-family"). */
export function renderCatalog(container, catalog, { canEdit, onAdd, roomType = null, all = false }) {
  container.replaceChildren();
  container.removeAttribute("aria-busy");
  const wanted = all ? null : groupsFor(roomType);
  container.dataset.rooms = wanted ? wanted.join(" ") : "all";
  const rank = (f) => CATEGORY_ORDER.indexOf(f.category);
  for (const room of ROOM_ORDER) {
    if (wanted && !wanted.includes(room)) continue;
    const families = catalog.families.filter((f) => (f.room || "kitchen") === room).sort((a, b) => rank(a) - rank(b));
    if (!families.length) continue;
    const list = h("ul", { class: "family-list" });
    for (const fam of families) {
      const size = `${mm(fam.width.min)}–${mm(fam.width.max)} mm`;
      const category = fam.category;
      list.append(h("li", {},
        canEdit
          ? h("button", { type: "button", class: "family", "data-family": fam.code, onclick: () => onAdd(fam), draggable: "true",
            ondragstart: (e) => { e.dataTransfer.setData("application/x-roomwright-family", fam.code); e.dataTransfer.effectAllowed = "copy"; } },
            h("span", { class: `swatch cat-${category}`, "aria-hidden": "true" }), fam.name, h("small", {}, size))
          : h("span", { class: "family" }, fam.name, h("small", {}, size))));
    }
    const details = h("details", { class: "catalog-room", "data-room": room, open: wanted || room === "kitchen" ? true : null },
      h("summary", {}, (T.rooms || {})[room] || room), list);
    container.append(details);
  }
}

export function renderFindings(list, countNode, findings, { onFocus, onFix, canEdit }) {
  list.replaceChildren();
  const errors = findings.filter((f) => f.severity === "error").length;
  if (countNode) countNode.textContent = findings.length ? `(${findings.length})` : "";
  if (!findings.length) {
    list.append(h("li", { class: "ok" }, T.no_findings));
    return errors;
  }
  for (const f of findings) {
    const label = f.severity === "error" ? T.error : T.warning;
    const walls = f.walls || [];
    const item = h("li", { class: `finding ${f.severity}`, "data-ids": f.object_ids.join(" "),
      "data-wall-ref": walls.length ? walls[0].wall_id : null },
      h("button", { type: "button", class: "link finding-target", onclick: () => onFocus(f) },
        h("span", { class: `badge ${f.severity}` }, label), " ", f.message),
      walls.length ? h("small", { class: "finding-walls" }, walls.map((w) => w.name).join("; ")) : null,
      h("small", { class: "muted source" }, f.source));
    if (f.fix) {
      item.append(h("small", { class: "fix" }, `${T.fix}: ${f.fix.description}`));
      if (canEdit && f.fix.command) {
        item.append(h("button", { type: "button", class: "compact secondary", onclick: () => onFix(f) }, T.apply_fix));
      }
    }
    list.append(item);
  }
  return errors;
}

export function renderCabinetRows(tbody, doc, familyOf, quote, { onSelect, selected, wallName = (id) => id }) {
  const prices = new Map(((quote && quote.cabinets) || []).map((c) => [c.cabinet_id, c.price_cents]));
  const currency = quote ? quote.currency : "CNY";
  tbody.replaceChildren();
  for (const cab of doc.cabinets) {
    const fam = familyOf(cab.family);
    const where = cab.placement.kind === "wall"
      ? fmt(T.on_wall_named, { wall: wallName(cab.placement.wall_id), at: mm(Math.round(cab.placement.offset_mm)) }) : T.free;
    const row = h("tr", { "data-id": cab.id, class: cab.id === selected ? "selected" : null },
      h("td", {}, h("button", { type: "button", class: "link", onclick: () => onSelect(cab.id),
        "aria-label": `${T.select} ${fam ? fam.name : T.cabinet}, ${mm(cab.width_mm)} mm` }, fam ? fam.name : T.cabinet)),
      h("td", { class: "size" }, `${mm(cab.width_mm)} × ${mm(cab.height_mm)} × ${mm(cab.depth_mm)}`),
      h("td", {}, where),
      h("td", {}, prices.has(cab.id) ? money(prices.get(cab.id), currency) : "–"));
    tbody.append(row);
  }
  const table = tbody.closest("table");
  if (table) table.hidden = doc.cabinets.length === 0;
  const empty = document.getElementById("cabinets-empty");
  if (empty) empty.hidden = doc.cabinets.length > 0;
  const count = document.getElementById("cabinet-count");
  if (count) {
    count.textContent = String(doc.cabinets.length);
    count.parentElement.hidden = doc.cabinets.length === 0;
  }
}

/** The live quote: the same price the order charges (one pricing rule), with the sheet policy. */
export function renderQuote(totalNode, noteNode, quote) {
  if (!quote) return;
  totalNode.textContent = money(quote.total_cents, quote.currency);
  noteNode.textContent = T.quote_note;
}

export function cabinetLabel(cab, fam) {
  return `${fam ? fam.name : T.cabinet}, ${mm(cab.width_mm)} × ${mm(cab.height_mm)} × ${mm(cab.depth_mm)} mm`;
}

export { fmt };

/** Front finishes browsed by design style, each with a button that swaps every front in the design. */
export function renderStyleBrowser(select, list, catalog, { canEdit, onUseFront }) {
  const fronts = catalog.materials.filter((m) => m.kind === "front");
  const styles = [...new Set(fronts.flatMap((m) => m.styles || []))].sort();
  if (select.options.length <= 1) {
    for (const style of styles) select.append(h("option", { value: style }, (T.styles || {})[style] || style));
  }
  const show = () => {
    list.replaceChildren();
    for (const m of fronts.filter((f) => !select.value || (f.styles || []).includes(select.value))) {
      list.append(h("li", { class: "front", "data-material": m.code },
        h("span", { class: "swatch", style: `background:${m.colour}`, "aria-hidden": "true" }),
        h("span", { class: "front-name" }, m.name),
        canEdit ? h("button", { type: "button", class: "compact secondary", onclick: () => onUseFront(m) },
          T.use_on_all_fronts) : null));
    }
  };
  select.onchange = show;
  show();
}
