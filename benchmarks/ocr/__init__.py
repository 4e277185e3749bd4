"""Which OCR engine reads floor plans better: RapidOCR or Tesseract (issue #15 item 3, docs/ocr.md)."""
