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
  ``top = mediabox height - y1``, as pdfplumber. A loose box is the advance box united with
  the glyph's ink, so where the ink passes the advance (an italic f) its edges are moved back
  to the advance box's (:class:`_InkOverhangs`): else a word gap after such a glyph reads
  short by the overhang, and PDFium would join words pdfplumber splits;
* words split where pdfplumber splits them (``x_tolerance`` / ``y_tolerance`` 3, a space
  character, a change of upright-ness; see ``WordExtractor.char_begins_new_word``), ligatures
  expanded in the word's text, characters normalised to NFC one by one, and a hyphen ending a
  line, which PDFium gives as U+0002, read as the hyphen pdfminer reads;
* a page where that cannot be done surely raises :class:`NotLikePdfplumber` (pdfplumber reads
  it): a gap near the tolerance, a gap after a glyph whose ink may pass its advance by an amount
  PDFium does not give, or a space PDFium inferred (``FPDFText_IsGenerated``) inside
  a would-be word, unless a text object drawn between the two glyphs shows that a space glyph
  stood there (PDFium drops text objects that draw only a space).

Besides its words, a page tells whether it draws any space glyph at all (as pdfplumber's chars
would show one): a layer that never draws one (OCR layers, some generators) separates words only
by distance, and ``document_text.layout`` splits its words at narrower gaps.

The raw binding (``pypdfium2.raw``, pypdfium2's public ctypes API) is used for the per-character
calls: the helper methods allocate a ctypes struct per call, which would cost more than PDFium.
Those calls are most of what a page costs (~0.4-0.6 µs each), so a character gets only the ones
that can tell something (see :func:`page_words`).
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
# Points either side of a tolerance where PDFium's box and pdfminer's may disagree (see _begins_word).
_UNSURE = 1.0
# A text object drawn again within this many of its heights, at most this many points, of an
# earlier one is fake bold (as ``pdf_words._OVERPRINT``), not a space PDFium left out.
_OVERPRINT, _OVERPRINT_MAX = 0.15, 2.0
# pdfplumber.utils.text.LIGATURES: expanded in a word's text, kept as one char in its chars.
_LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}


# PDFium gives a character past U+FFFF (an emoji, 𝔸) as its two UTF-16 halves, at two character
# indexes with the same box: each alone is a lone surrogate, which no UTF-8 store can encode.
_HIGH_SURROGATES, _LOW_SURROGATES = range(0xD800, 0xDC00), range(0xDC00, 0xE000)


def _astral(high: int, low: int) -> int:
    """The code point of a UTF-16 surrogate pair."""
    return 0x10000 + ((high - _HIGH_SURROGATES.start) << 10) + (low - _LOW_SURROGATES.start)


# PDFium gives a hyphen that ends a line of text ("SWIGGY@ICICI-" over the narration's next
# line, HDFC) as U+0002, its mark for a word broken at the line's end; the glyph is the hyphen
# pdfminer reads (a soft hyphen, U+00AD, would be marked too: no statement we read prints one).
_LINE_END_HYPHEN = 0x02


def _word(chars: list[dict[str, Any]]) -> dict[str, Any]:
    """The word of ``chars``: their texts (ligatures expanded) and the box around them.

    Each char starts at or right of the previous one's x0 (else it starts a new word), so the
    first one's x0 is the word's. One pass, no generators: this runs for every word of a page.
    """
    first = chars[0]
    x1, top, bottom = first["x1"], first["top"], first["bottom"]
    texts = []
    for char in chars:
        text = char["text"]
        texts.append(_LIGATURES.get(text, text))
        if char["x1"] > x1:
            x1 = char["x1"]
        if char["top"] < top:
            top = char["top"]
        if char["bottom"] > bottom:
            bottom = char["bottom"]
    return {
        "text": "".join(texts),
        "x0": first["x0"],
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "upright": first["upright"],
        "chars": chars,
    }


def _begins_word(char: dict[str, Any], previous: dict[str, Any]) -> bool:
    """pdfplumber's ``char_begins_new_word`` (left to right), where PDFium's boxes settle it.

    PDFium's advance widths and descents differ from pdfminer's by up to ~1-2.5 points for some
    fonts (widths from the font program, not the PDF's /Widths), so a gap or a rise within
    :data:`_UNSURE` of the 3-point tolerance could go either way: such a page is pdfplumber's.
    """
    if char["upright"] != previous["upright"] or char["x0"] < previous["x0"]:
        return True
    gap, rise = char["x0"] - previous["x1"], abs(char["top"] - previous["top"])
    if gap > X_TOLERANCE + _UNSURE or rise > Y_TOLERANCE + _UNSURE:
        return True
    if gap <= X_TOLERANCE - _UNSURE and rise <= Y_TOLERANCE - _UNSURE:
        return False
    raise NotLikePdfplumber("a gap or rise too close to pdfplumber's tolerance")


Bounds = tuple[float, float, float, float]  # left, bottom, right, top


def _bounds(handle: Any) -> Bounds:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    pdfium_c.FPDFPageObj_GetBounds(
        handle, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top)
    )
    return left.value, bottom.value, right.value, top.value


def _cell(bounds: Bounds) -> tuple[int, int]:
    return int(bounds[0] // _OVERPRINT_MAX), int(bounds[1] // _OVERPRINT_MAX)


def _drawn_again(bounds: Bounds, drawn: dict[tuple[int, int], list[Bounds]]) -> bool:
    """Whether ``bounds`` repeat those of a text object in ``drawn`` (by grid cell of their
    lower-left corner) within a fake bold stroke: every edge within ``_OVERPRINT`` heights."""
    reach = min((bounds[3] - bounds[1]) * _OVERPRINT, _OVERPRINT_MAX)
    column, row = _cell(bounds)
    return any(
        all(abs(a - b) <= reach for a, b in zip(bounds, other, strict=True))
        for near_column in (column - 1, column, column + 1)
        for near_row in (row - 1, row, row + 1)
        for other in drawn.get((near_column, near_row), ())
    )


def _objects_draw_space(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> bool:
    """Whether one of the page's top-level text objects draws only a space (asked when the text
    page shows no space glyph).

    PDFium's text page leaves out such an object, and one that repeats an earlier one over it
    (fake bold): the text page holds no text of either. A left-out object that does not lie over
    an earlier text object is a space.
    """
    drawn: dict[tuple[int, int], list[Bounds]] = {}
    for index in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        handle = pdfium_c.FPDFPage_GetObject(page.raw, index)
        if pdfium_c.FPDFPageObj_GetType(handle) != pdfium_c.FPDF_PAGEOBJ_TEXT:
            continue
        bounds = _bounds(handle)
        if pdfium_c.FPDFTextObj_GetText(handle, textpage.raw, None, 0) > 2:  # bytes, with the NUL
            drawn.setdefault(_cell(bounds), []).append(bounds)
        elif not _drawn_again(bounds, drawn):
            return True
    return False


class NotLikePdfplumber(Exception):
    """PDFium's characters of this page cannot be grouped exactly as pdfplumber would group them."""


def _address(handle: Any) -> int | None:
    return ctypes.cast(handle, ctypes.c_void_p).value


class _PageObjects:
    """The page's top-level objects in drawing order, to see what lies between two glyphs."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        count = pdfium_c.FPDFPage_CountObjects(page.raw)
        handles = [pdfium_c.FPDFPage_GetObject(page.raw, index) for index in range(count)]
        self.index = {_address(handle): position for position, handle in enumerate(handles)}
        text = pdfium_c.FPDF_PAGEOBJ_TEXT
        self.is_text = [pdfium_c.FPDFPageObj_GetType(handle) == text for handle in handles]

    def glyph_between(self, before: Any, after: Any) -> bool:
        """Whether a text object is drawn between the objects of two glyphs PDFium put a space between.

        PDFium leaves out a text object that draws only a space and infers a space in its place;
        between two objects drawn one after the other it infers a space from the gap alone
        (pdfplumber splits only at the first). Glyphs of one object, of a form, or drawn out of
        order: no telling.
        """
        first, second = self.index.get(_address(before)), self.index.get(_address(after))
        if first is None or second is None or second <= first:
            raise NotLikePdfplumber("a space PDFium inferred inside a word")
        return any(self.is_text[first + 1 : second])


def _retyped(function: Any, restype: Any, argtypes: tuple[Any, ...] | None = None) -> Any:
    """A second foreign function for the same PDFium entry point as ``function``, returning
    ``restype`` (and taking ``argtypes``, else the binding's own).

    pypdfium2's binding returns a fresh ctypes pointer object per call, which compares by
    identity, not by address; turning each into an address costs more than the call, so the
    lookups that compare text objects or fonts return plain ints (``ctypes.c_void_p``), and
    the font calls take them. Built from the entry point's address with the binding's own
    function type (public ctypes API), so the binding itself is left as it is.
    """
    retyped = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
    retyped.argtypes, retyped.restype = argtypes or function.argtypes, restype
    return retyped


_TEXT_OBJECT_ADDRESS = _retyped(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p)
# The font of a text object, both as the addresses _TEXT_OBJECT_ADDRESS gives.
_FONT_ADDRESS = _retyped(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p, (ctypes.c_void_p,))
# Points by which a glyph's ink must stop short of its loose box's right edge for that edge to
# be the advance box's (float rounding).
_INK = 0.001
# Points within which an advance edge computed from FPDFFont_GetGlyphWidth must fall on a read one.
_EXACT = 0.01
# Glyphs of a font whose advance FPDFFont_GetGlyphWidth must give before it is trusted for the
# font, looked for this many glyphs either side of the one that needs it.
_FONT_CHECKS, _FONT_CHECK_REACH = 3, 40
_GLYPH_WIDTH = _retyped(  # the font as the address _FONT_ADDRESS gives
    pdfium_c.FPDFFont_GetGlyphWidth,
    ctypes.c_int,
    (ctypes.c_void_p, ctypes.c_uint, ctypes.c_float, ctypes.POINTER(ctypes.c_float)),
)
# Codes PDFium's page text may give for a character in place of its own (the U+FFFE it stores
# for a glyph without text or a line-end hyphen, or nothing): those are read one by one.
_CODES_TO_READ_ALONE = frozenset({0, _LINE_END_HYPHEN, 0xFFFE})
# The only characters PDFium generates (``FPDFText_IsGenerated``): spaces and line breaks.
_GENERATED_CODES = frozenset({0x20, 0x0A, 0x0D})


def _page_codes(raw: Any, count: int) -> list[int] | None:
    """Every character's UTF-16 code from one ``FPDFText_GetText`` call, or None where the page
    text does not hold exactly one code per character (a glyph PDFium keeps out of the text).

    One call for the page instead of one ``FPDFText_GetUnicode`` per character: at ~0.4 µs a
    call, that is a tenth of what a character costs here.
    """
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(raw, 0, count, buffer)  # the codes and a NUL
    return buffer[:count] if written == count + 1 else None


class _InkOverhangs:
    """How far each glyph shape's ink passes its advance box, read once per shape on a page.

    A loose box (``FPDFText_GetLooseCharBox``) is the glyph's advance box, pdfminer's box,
    united with its ink (``FPDFText_GetCharBox``): an italic f's ink passes its origin on the
    left by ~0.15 em, so its loose box starts that much left of the advance box, and a word gap
    after it reads that much shorter. The advance box's left edge is the glyph's origin
    (``FPDFText_GetCharOrigin``); its right edge, where the ink reaches the loose box's, is the
    origin plus the advance, ``FPDFFont_GetGlyphWidth`` times the matrix's ``a``, trusted for a
    font once it gave the right edge of :data:`_FONT_CHECKS` of the font's glyphs whose ink
    stops short of it (it finds a glyph by its Unicode value, which a font's map may not lead
    back from). A shape is a glyph of one font at one size and matrix: its overhangs are the
    same wherever it is drawn.
    """

    def __init__(self, raw: Any, count: int) -> None:
        self.raw, self.count = raw, count
        # shape -> (left overhang, right overhang or None where unknown)
        self.shapes: dict[tuple[Any, ...], dict[int, tuple[float, float | None]]] = {}
        self.fonts: dict[Any, bool] = {}  # whether GetGlyphWidth gives a font's advances
        self.loose = pdfium_c.FS_RECTF()
        self.edges = [ctypes.c_double() for _ in range(4)]  # left, right, bottom, top
        self.edge_refs = [ctypes.byref(edge) for edge in self.edges]
        self.origin = [ctypes.c_double(), ctypes.c_double()]
        self.origin_refs = [ctypes.byref(value) for value in self.origin]
        self.width = ctypes.c_float()
        self.width_ref = ctypes.byref(self.width)

    def of_run(self, run: tuple[Any, ...]) -> dict[int, tuple[float, float | None]]:
        """The overhangs known of the glyphs of ``run`` (its font, size, matrix ``a`` and ``d``),
        by code: looked up per glyph, read by :meth:`read` where missing."""
        return self.shapes.setdefault(run, {})

    def read(self, run: tuple[Any, ...], code: int, index: int, loose: Any) -> tuple[float, float | None]:
        """(how far the ink passes the origin on the left, how far past the advance it reaches on
        the right, None where that cannot be told) of glyph ``index``, ``code`` of ``run``, whose
        loose box is ``loose``; remembered for the run's other glyphs of that code."""
        left, right, ink_right = self._edges(index, loose)
        overhang: float | None = 0.0
        if ink_right:
            overhang = None
            if self._font_gives_advances(run, index):
                advance_right = self._advance_right(run, index, left)
                if advance_right is not None and -_INK <= right - advance_right <= right - left:
                    overhang = max(0.0, right - advance_right)
        known = self.shapes[run][code] = (max(0.0, left - loose.left), overhang)
        return known

    def _edges(self, index: int, loose: Any) -> tuple[float, float, bool]:
        """Glyph ``index``'s origin x, loose right edge, and whether its ink reaches that edge."""
        if not pdfium_c.FPDFText_GetCharBox(self.raw, index, *self.edge_refs) or not (
            pdfium_c.FPDFText_GetCharOrigin(self.raw, index, *self.origin_refs)
        ):
            raise NotLikePdfplumber("a glyph without text or box")
        return self.origin[0].value, loose.right, self.edges[1].value >= loose.right - _INK

    def _advance_right(self, run: tuple[Any, ...], index: int, left: float) -> float | None:
        font, size, a = run[0], run[1], run[2]
        if not _GLYPH_WIDTH(font, pdfium_c.FPDFText_GetUnicode(self.raw, index), size, self.width_ref):
            return None
        return left + float(self.width.value) * float(a)

    def _font_gives_advances(self, run: tuple[Any, ...], index: int) -> bool:
        """Whether ``FPDFFont_GetGlyphWidth`` gives the advance of the run's font's glyphs, judged
        on glyphs of the same font and size near ``index`` whose ink stops short of their right
        edge (whose loose right edge is their advance's)."""
        if run in self.fonts:
            return self.fonts[run]
        agreed, gives = 0, True
        around = range(max(0, index - _FONT_CHECK_REACH), min(self.count, index + _FONT_CHECK_REACH))
        for near in sorted(around, key=lambda other: abs(other - index)):
            if pdfium_c.FPDFText_IsGenerated(self.raw, near) == 1:
                continue
            near_object = _TEXT_OBJECT_ADDRESS(self.raw, near)
            if near_object is None or _FONT_ADDRESS(near_object) != run[0]:
                continue
            if not pdfium_c.FPDFText_GetLooseCharBox(self.raw, near, ctypes.byref(self.loose)):
                continue
            left, right, ink_right = self._edges(near, self.loose)
            if ink_right:
                continue
            advance_right = self._advance_right(run, near, left)
            if advance_right is None or abs(advance_right - right) > _EXACT:
                gives = False
                break
            agreed += 1
            if agreed == _FONT_CHECKS:
                break
        self.fonts[run] = gives = gives and agreed == _FONT_CHECKS
        return gives


def page_words(
    page: pdfium.PdfPage, height: float, unicode_norm: UnicodeNorm | None = None
) -> tuple[Words, bool]:
    """The words of ``page`` as ``extract_words(use_text_flow=True, return_chars=True)`` gives them,
    and whether the page draws any space glyph (one of pdfplumber's chars would be a space).

    Each word has ``text``, ``x0``, ``x1``, ``top``, ``bottom``, ``upright`` and ``chars`` (each
    with ``text``, ``x0``, ``x1``, ``top``, ``bottom``, ``size``, ``upright``). ``height`` is the
    page's height as pdfplumber measures it (its MediaBox, inherited from the page tree if need
    be): pdfplumber's ``top`` is ``height - y1`` in PDF user space.

    The per-character calls are what a page costs, so each is made only where it can tell
    something: the codes come from the page text at once, ``FPDFText_IsGenerated`` is asked
    only of spaces and line breaks (the only characters PDFium generates), and the matrix and
    font size, which are the text object's, once per run of characters of one text object.

    Raises:
        NotLikePdfplumber: the page holds a glyph PDFium cannot place or name; a gap or rise
            between two glyphs within 1 point of pdfplumber's tolerance (:func:`_begins_word`);
            or a space PDFium inferred between two glyphs that would otherwise join one word
            where the page's objects do not tell whether a space glyph was drawn there
            (:meth:`_PageObjects.glyph_between`).
    """
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        count = pdfium_c.FPDFText_CountChars(raw)
        box, matrix = pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX()
        box_ref, matrix_ref = ctypes.byref(box), ctypes.byref(matrix)
        is_generated, unicode_of = pdfium_c.FPDFText_IsGenerated, pdfium_c.FPDFText_GetUnicode
        loose_box, matrix_of = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetMatrix
        font_size, text_object_of = pdfium_c.FPDFText_GetFontSize, pdfium_c.FPDFText_GetTextObject
        object_address_of = _TEXT_OBJECT_ADDRESS
        codes = _page_codes(raw, count) if count else []
        objects: _PageObjects | None = None
        overhangs = _InkOverhangs(raw, count)
        words: Words = []
        word: list[dict[str, Any]] = []
        previous: dict[str, Any] = {}
        previous_index = 0
        generated_space = draws_spaces = False
        second_half = -1
        # The text object of the run of characters being read, and what its matrix and font
        # give each of them.
        run_object: int | None = None
        upright, scale, size_of_font = True, 1.0, 0.0
        run_shape: tuple[Any, ...] | None = None  # the run's font, size and matrix, if not turned
        run_overhangs: dict[int, tuple[float, float | None]] | None = None
        previous_ink_right = False
        for index in range(count):
            if index == second_half:
                continue
            code = unicode_of(raw, index) if codes is None else codes[index]
            if code in _CODES_TO_READ_ALONE and codes is not None:
                code = unicode_of(raw, index)
            if code in _GENERATED_CODES and is_generated(raw, index) == 1:  # inferred by PDFium
                generated_space = generated_space or code == 32
                run_object = None  # a run of one object's characters ends at a generated one
                continue
            if _HIGH_SURROGATES.start <= code < _HIGH_SURROGATES.stop and index + 1 < count:
                low = unicode_of(raw, index + 1)
                if _LOW_SURROGATES.start <= low < _LOW_SURROGATES.stop:
                    code, second_half = _astral(code, low), index + 1
            if code == 0 or _HIGH_SURROGATES.start <= code < _LOW_SURROGATES.stop:
                raise NotLikePdfplumber("a glyph without text, or half of a character's")
            if not loose_box(raw, index, box_ref):
                raise NotLikePdfplumber("a glyph without text or box")
            text_object = object_address_of(raw, index)
            if text_object is None or text_object != run_object:
                # The matrix and the font size are the text object's, with the matrix of the
                # form drawing it: the same for each character of one run. PDFium parses a
                # form's content once per drawing, so a form drawn twice gives two objects.
                if not matrix_of(raw, index, matrix_ref):
                    raise NotLikePdfplumber("a glyph without text or box")
                upright = matrix.a * matrix.d > 0 and matrix.b * matrix.c <= 0  # as pdfminer's LTChar
                scale, size_of_font = math.hypot(matrix.c, matrix.d), font_size(raw, index)
                run_object = text_object
                run_shape, run_overhangs = None, None
                if matrix.a > 0 and matrix.d > 0 and matrix.b == 0 and matrix.c == 0:
                    font = _FONT_ADDRESS(text_object) if text_object is not None else None
                    if font is not None:
                        run_shape = (font, size_of_font, matrix.a, matrix.d)
                        run_overhangs = overhangs.of_run(run_shape)
            text = "-" if code == _LINE_END_HYPHEN else chr(code)
            if code >= 128 and unicode_norm is not None:  # as pdfplumber normalises each char
                text = unicodedata.normalize(unicode_norm, text)
            if text.isspace():  # a real space glyph ends the word (keep_blank_chars=False)
                if word:
                    words.append(_word(word))
                    word = []
                generated_space, draws_spaces = False, True
                continue
            char_bottom = height - box.bottom
            if upright:  # pdfminer's box: one font size high (scaled by the matrix) from the descent
                size = size_of_font * scale
                top = char_bottom - size
            else:  # turned text: the loose box is turned with it, as pdfminer's is
                top = height - box.top
                size = char_bottom - top
            x0, x1, ink_right = box.left, box.right, True
            if run_overhangs is not None:
                known = run_overhangs.get(code)
                if known is None:
                    known = overhangs.read(run_shape, code, index, box)  # type: ignore[arg-type]
                x0 += known[0]  # the advance box's edges: pdfminer's x0 and x1
                if known[1] is not None:
                    x1, ink_right = x1 - known[1], False
            char = {
                "text": text,
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": char_bottom,
                "size": size,
                "upright": upright,
            }
            if word and _begins_word(char, previous):
                words.append(_word(word))
                word = []
            elif (
                word
                and previous_ink_right
                and char["x0"] - previous["x1"] > _INK
                and char["x0"] - previous["x0"] > X_TOLERANCE - _UNSURE
            ):
                # Apart at all, after a glyph whose ink reaches its loose box's right edge: the
                # gap between the advance boxes is longer by how far that ink passes its advance,
                # unknown but at most the glyph's whole box (its advance is not negative).
                raise NotLikePdfplumber("a gap after a glyph's ink, which may pass its advance")
            elif word and generated_space:
                if objects is None:
                    objects = _PageObjects(page)
                if objects.glyph_between(text_object_of(raw, previous_index), text_object_of(raw, index)):
                    words.append(_word(word))
                    word = []
            generated_space = False
            word.append(char)
            previous, previous_index, previous_ink_right = char, index, ink_right
        if word:
            words.append(_word(word))
        return words, draws_spaces or _objects_draw_space(page, textpage)
    finally:
        textpage.close()
