"""The text a reportlab PDF shows, page by page, in any of its fonts (for the tests).

No PDF text extractor is in the lock, so this reads reportlab's own structure: every font object
carries its resource ``/Name`` (``/F1``, ``/F2+0``); a built-in Type 1 font (Helvetica) shows
WinAnsi bytes, an embedded TrueType subset (WenQuanYi Zen Hei) shows one byte per glyph of the
subset, which the font's ``/ToUnicode`` CMap maps back to Unicode.  The page streams are Flate (and
ASCII85 when reportlab is asked for it) compressed; text is shown with ``(…) Tj`` after ``/Fx size Tf``.
"""

from __future__ import annotations

import base64
import re
import zlib

_OBJ = re.compile(rb"(\d+) 0 obj\s*(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
_TOKENS = re.compile(rb"/([^\s/\[\]()<>]+)\s+[\d.]+\s+Tf|\(((?:\\.|[^\\)])*)\)\s*Tj", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _inflate(raw: bytes) -> bytes:
    data = raw.strip()
    for decode in (lambda d: zlib.decompress(base64.a85decode(d.removesuffix(b"~>"))), zlib.decompress):
        try:
            return decode(data)
        except (ValueError, zlib.error):
            continue
    return data


def _unescape(raw: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(raw):
        if raw[i:i + 1] == b"\\" and i + 1 < len(raw):
            octal = re.match(rb"[0-7]{1,3}", raw[i + 1:i + 4])
            if octal:
                out.append(int(octal.group(0), 8) & 0xFF)
                i += 1 + len(octal.group(0))
                continue
            nxt = raw[i + 1:i + 2]
            out += _ESCAPES.get(nxt, nxt)
            i += 2
            continue
        out += raw[i:i + 1]
        i += 1
    return bytes(out)


def _cmap(text: bytes) -> dict[int, str]:
    """A ToUnicode CMap's ``bfchar`` and ``bfrange`` entries: code → text."""
    found: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for code, uni in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            found[int(code, 16)] = bytes.fromhex(uni.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, uni in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            start = int(uni, 16)
            for n, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                found[code] = chr(start + n)
    return found


def page_texts(pdf: bytes) -> list[str]:
    """Every page's shown strings, one per line, decoded through the font each was shown in."""
    objects = {int(num): body for num, body in _OBJ.findall(pdf)}
    fonts: dict[str, dict[int, str] | None] = {}
    for body in objects.values():
        if b"/Type /Font" not in body or b"/Name" not in body:
            continue
        name = re.search(rb"/Name /([^\s/>]+)", body)
        ref = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if name is None:
            continue
        stream = _STREAM.search(objects.get(int(ref.group(1)), b"")) if ref else None
        fonts[name.group(1).decode()] = _cmap(_inflate(stream.group(1))) if stream else None
    pages = []
    for body in objects.values():
        if not re.search(rb"/Type\s*/Page(?![a-zA-Z])", body):
            continue
        contents = re.search(rb"/Contents (\d+) 0 R", body)
        stream = _STREAM.search(objects.get(int(contents.group(1)), b"")) if contents else None
        if stream is None:
            continue
        lines, font = [], None
        for found in _TOKENS.finditer(_inflate(stream.group(1))):
            if found.group(1) is not None:
                font = found.group(1).decode()
                continue
            raw = _unescape(found.group(2))
            cmap = fonts.get(font or "")
            lines.append("".join(cmap.get(b, "\ufffd") for b in raw) if cmap else raw.decode("cp1252", "replace"))
        pages.append("\n".join(lines))
    return pages


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))
