"""Words of a PDF page from PDFium's character boxes, grouped the way pdfplumber groups them.

pdfplumber builds every character through pdfminer's Python content-stream interpreter, which
costs ~95 % of a statement parse (~6-17 pages/s here); PDFium (pypdfium2, installed with
pdfplumber) reads the same characters in C at ~300 pages/s. This module turns PDFium's
characters into the word dicts pdfplumber's ``extract_words(use_text_flow=True,
return_chars=True)`` returns, so everything above (``document_text.layout``) reads either:

* characters in PDFium's text order (the content stream's, as ``use_text_flow`` keeps), the
  separators PDFium generates (``FPDFText_IsGenerated``: spaces and line breaks it inferred) left
  out, so only the PDF's own glyphs count, as in pdfminer;
* each character's box is PDFium's *loose* box (``FPDFText_GetLooseCharBox``): the advance
  width across, one font size high from the font's descent, like pdfminer's ``LTChar`` box
  (the tight box would make ``a`` lower than ``A`` and break baselines); top-left origin:
  ``top = mediabox height - y1``, as pdfplumber;
* words split where pdfplumber splits them (``x_tolerance`` / ``y_tolerance`` 3, a space
  character, a change of upright-ness; see ``WordExtractor.char_begins_new_word``), ligatures
  expanded in the word's text, characters normalised to NFC one by one.

The raw binding (``pypdfium2.raw``, pypdfium2's public ctypes API) is used for the per-character
calls: the helper methods allocate a ctypes struct per call, which would cost more than PDFium.
"""

from __future__ import annotations

import ctypes
import math
import unicodedata
from typing import Any, Literal

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

Words = list[dict[str, Any]]
UnicodeNorm = Literal["NFC", "NFKC", "NFD", "NFKD"]

# pdfplumber's defaults (pdfplumber.utils.text.DEFAULT_X_TOLERANCE / DEFAULT_Y_TOLERANCE).
X_TOLERANCE = 3.0
Y_TOLERANCE = 3.0
# pdfplumber.utils.text.LIGATURES: expanded in a word's text, kept as one char in its chars.
_LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}


def _char_text(code: int, unicode_norm: UnicodeNorm | None) -> str:
    """One character's text, normalised as pdfplumber normalises each char (``unicode_norm``)."""
    text = chr(code)
    return text if code < 128 or unicode_norm is None else unicodedata.normalize(unicode_norm, text)


def _word(chars: list[dict[str, Any]]) -> dict[str, Any]:
    # Each char starts at or right of the previous one's x0 (else it starts a new word).
    return {
        "text": "".join(_LIGATURES.get(char["text"], char["text"]) for char in chars),
        "x0": chars[0]["x0"],
        "x1": max(char["x1"] for char in chars) if len(chars) > 1 else chars[0]["x1"],
        "top": min(char["top"] for char in chars) if len(chars) > 1 else chars[0]["top"],
        "bottom": max(char["bottom"] for char in chars) if len(chars) > 1 else chars[0]["bottom"],
        "upright": chars[0]["upright"],
        "chars": chars,
    }


class NotLikePdfplumber(Exception):
    """PDFium's characters of this page cannot be grouped exactly as pdfplumber would group them."""


def page_words(page: pdfium.PdfPage, height: float, unicode_norm: UnicodeNorm | None = None) -> Words:
    """The words of ``page`` as ``extract_words(use_text_flow=True, return_chars=True)`` gives them.

    Each word has ``text``, ``x0``, ``x1``, ``top``, ``bottom``, ``upright`` and ``chars`` (each
    with ``text``, ``x0``, ``x1``, ``top``, ``bottom``, ``size``, ``upright``). ``height`` is the
    page's height as pdfplumber measures it (its MediaBox, inherited from the page tree if need
    be): pdfplumber's ``top`` is ``height - y1`` in PDF user space.

    Raises:
        NotLikePdfplumber: the page holds a glyph PDFium cannot place or name, or a space PDFium
            inferred between two glyphs that would otherwise join one word (a real space glyph
            pdfplumber splits at, or a mere gap it does not: PDFium cannot tell which).
    """
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        count = pdfium_c.FPDFText_CountChars(raw)
        box, matrix = pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX()
        box_ref, matrix_ref = ctypes.byref(box), ctypes.byref(matrix)
        is_generated, unicode_of = pdfium_c.FPDFText_IsGenerated, pdfium_c.FPDFText_GetUnicode
        loose_box, matrix_of = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetMatrix
        font_size = pdfium_c.FPDFText_GetFontSize
        words: Words = []
        word: list[dict[str, Any]] = []
        previous: dict[str, Any] = {}
        generated_space = False
        for index in range(count):
            code = unicode_of(raw, index)
            if is_generated(raw, index) == 1:  # a space or line break PDFium inferred
                generated_space = generated_space or code == 32
                continue
            if code == 0 or not loose_box(raw, index, box_ref) or not matrix_of(raw, index, matrix_ref):
                raise NotLikePdfplumber("a glyph without text or box")
            text = _char_text(code, unicode_norm)
            if text.isspace():  # a real space glyph ends the word (keep_blank_chars=False)
                if word:
                    words.append(_word(word))
                    word = []
                generated_space = False
                continue
            upright = matrix.a * matrix.d > 0 and matrix.b * matrix.c <= 0  # as pdfminer's LTChar
            char_bottom = height - box.bottom
            if upright:  # pdfminer's box: one font size high (scaled by the matrix) from the descent
                size = font_size(raw, index) * math.hypot(matrix.c, matrix.d)
                top = char_bottom - size
            else:  # turned text: the loose box is turned with it, as pdfminer's is
                top = height - box.top
                size = char_bottom - top
            char = {
                "text": text,
                "x0": box.left,
                "x1": box.right,
                "top": top,
                "bottom": char_bottom,
                "size": size,
                "upright": upright,
            }
            if word and (
                upright != previous["upright"]
                or box.left < previous["x0"]
                or box.left > previous["x1"] + X_TOLERANCE
                or abs(top - previous["top"]) > Y_TOLERANCE
            ):
                words.append(_word(word))
                word = []
            elif word and generated_space:
                raise NotLikePdfplumber("a space PDFium inferred inside a word")
            generated_space = False
            word.append(char)
            previous = char
        if word:
            words.append(_word(word))
        return words
    finally:
        textpage.close()
