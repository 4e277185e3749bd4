"""Accessibility checks on rendered HTML: every form control has a label."""

from __future__ import annotations

from html.parser import HTMLParser


class _Controls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.label_for: set[str] = set()
        self.controls: list[dict[str, str | None]] = []
        self._label_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        data = dict(attrs)
        if tag == "label":
            self._label_depth += 1
            if data.get("for"):
                self.label_for.add(str(data["for"]))
        if tag in ("input", "select", "textarea") and data.get("type") not in ("hidden", "submit", "button"):
            self.controls.append({**data, "_wrapped": "yes" if self._label_depth else None})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._label_depth:
            self._label_depth -= 1


def unlabelled_controls(html: str) -> list[str]:
    """Controls a screen reader cannot name: no <label for>, no wrapping <label>, no aria-label(ledby)."""
    parser = _Controls()
    parser.feed(html)
    missing = []
    for control in parser.controls:
        if control["_wrapped"] or control.get("aria-label") or control.get("aria-labelledby") \
                or control.get("title") or (control.get("id") and control["id"] in parser.label_for):
            continue
        missing.append(str(control.get("name") or control.get("id") or control))
    return missing
