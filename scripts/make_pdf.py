#!/usr/bin/env python3
"""Write a small, valid PDF with a real text layer from a UTF-8 text file.

Only the Python standard library is used (no reportlab, no external tools).
The result is meant for test fixtures and for the shipped sample archive.

Usage:
    make_pdf.py INPUT.txt OUTPUT.pdf [--title T] [--author A]
                [--date YYYY-MM-DD] [--lang xx] [--aligned-tables]
                [--encrypt-user-password PW [--encrypt-owner-password PW]]
                [--scan PAGE.pgm ... [--scan-dpi N]]

Layout rules:
  * INPUT is UTF-8 text. Pages are separated by form feeds (\\f). A newline
    directly after a form feed is dropped, so a "\\f" on a line of its own
    acts as a page separator. A trailing form feed does not create an empty
    last page.
  * Lines longer than about 90 characters (or wider than the text area) are
    word-wrapped, keeping the line's indentation. A page holding more than
    50 lines continues on a new PDF page.
  * Tab characters separate table cells. A tab is drawn as a wide gap
    (three spaces) on the same text line; columns are deliberately not
    aligned, because text extractors such as pdftotext read aligned columns
    column by column instead of row by row. With --aligned-tables,
    consecutive tab-separated lines are instead drawn as a real table:
    aligned columns, each cell word-wrapped inside its column (as report
    writers lay out responsibility matrices and key-action tables).
  * A4 paper, Helvetica (standard 14 font, not embedded) at 11 pt with
    /WinAnsiEncoding. Characters WinAnsi cannot encode become "?".

Scanned pages (--scan, repeatable):
  * Each binary PGM (P5, 8-bit grey) becomes one more page after the text
    pages: an image-only page, as a scanner makes, with no text layer. The
    page is sized so the image has --scan-dpi (default 300) on it. With an
    empty INPUT the PDF holds only the scanned pages.

Document information:
  * /Title, /Author, /Producer and /CreationDate (D:YYYYMMDD000000Z when
    --date is given) in the Info dictionary; text strings are written as
    UTF-16BE with BOM, as hex strings.
  * --lang sets /Lang in the document catalog.

Encryption (--encrypt-user-password):
  Standard security handler, V=2, R=3, 128-bit RC4 (PDF 1.7, 7.6.3):
  Algorithm 2 (file key), Algorithm 3 (/O), Algorithm 5 (/U) and per-object
  keys (Algorithm 1) for every string and stream. If no owner password is
  given, one is derived from the user password.

Output is deterministic: the same input and options give the same bytes.
"""

import argparse
import datetime
import hashlib
import sys
import unicodedata
import zlib

# --------------------------------------------------------------------------
# Page geometry (points)

PAGE_WIDTH = 595.276    # A4: 210 mm
PAGE_HEIGHT = 841.890   # A4: 297 mm
MARGIN = 56.693         # 20 mm on every side
FONT_SIZE = 11
LEADING = 14
LINES_PER_PAGE = 50
MAX_LINE_CHARS = 90
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
FIRST_BASELINE = PAGE_HEIGHT - MARGIN - FONT_SIZE

PRODUCER = "dossier make_pdf.py"

# --------------------------------------------------------------------------
# Helvetica metrics (Adobe AFM, 1/1000 em) for printable ASCII. Other
# characters are measured by their base letter, or as 556 (digit width).

_ASCII_WIDTHS = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333,  # sp ! " # $ % & ' ( ) * + , -
    278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278,  # . / 0-9 : ;
    584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278,  # < = > ? @ A B C D E F G H I
    500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944,  # J K L M N O P Q R S T U V W
    667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556,  # X Y Z [ \ ] ^ _ ` a b c d e
    278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500,  # f g h i j k l m n o p q r s
    278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,                 # t u v w x y z { | } ~
]
_EXTRA_WIDTHS = {
    "\t": 278,
    "\u2013": 556, "\u2014": 1000, "\u2018": 222, "\u2019": 222,
    "\u201c": 333, "\u201d": 333, "\u201a": 222, "\u201e": 333,
    "\u2022": 350, "\u2026": 1000, "\u00ab": 556, "\u00bb": 556,
    "\u00a0": 278, "\u00b7": 278, "\u00ba": 365, "\u00aa": 370,
    "\u00bf": 611, "\u00a1": 333, "\u20ac": 556, "\u00c6": 1000,
    "\u00e6": 889, "\u0152": 1000, "\u0153": 944, "\u00df": 611,
}


def char_width(ch):
    code = ord(ch)
    if 32 <= code < 127:
        return _ASCII_WIDTHS[code - 32]
    if ch in _EXTRA_WIDTHS:
        return _EXTRA_WIDTHS[ch]
    base = unicodedata.normalize("NFD", ch)[:1]
    if base and 32 <= ord(base) < 127:
        return _ASCII_WIDTHS[ord(base) - 32]
    return 556


def text_width(text):
    """Width of `text` in points at FONT_SIZE."""
    return sum(char_width(c) for c in text) * FONT_SIZE / 1000.0


# --------------------------------------------------------------------------
# Text encoding

def sanitize(text):
    """Return `text` with every character WinAnsi cannot encode replaced by
    '?' (tabs and other control characters included)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 32 or ord(ch) == 127:
            out.append("?")
            continue
        try:
            ch.encode("cp1252")
        except UnicodeEncodeError:
            out.append("?")
        else:
            out.append(ch)
    return "".join(out)


def winansi(text):
    """Encode already sanitized text as WinAnsiEncoding bytes. Python's
    cp1252 codec agrees with WinAnsiEncoding for every character it maps."""
    return text.encode("cp1252")


def pdf_literal(data):
    """A PDF literal string for `data` (bytes)."""
    out = bytearray(b"(")
    for b in data:
        if b in (0x28, 0x29, 0x5C):          # ( ) \
            out += b"\\" + bytes([b])
        elif b == 0x0D:
            out += b"\\r"
        elif b == 0x0A:
            out += b"\\n"
        else:
            out.append(b)
    out += b")"
    return bytes(out)


def utf16_text(text):
    """A PDF text string's bytes: UTF-16BE with a byte order mark."""
    return b"\xfe\xff" + text.encode("utf-16-be")


# --------------------------------------------------------------------------
# Layout

def wrap_words(text, width, max_chars=None, first_width=None):
    """Greedy word wrap of `text` (no leading whitespace) so that every line
    is at most `width` points wide (`first_width` for the first line) and
    `max_chars` characters long. Words that do not fit on a line of their
    own are broken. A tab is a break point that renders as a wide gap
    (three spaces); it never starts or ends a line."""
    def fits(s, n):
        if max_chars is not None and len(s) > max_chars:
            return False
        return text_width(s.replace("\t", " ")) <= limit(n)

    def limit(n):
        return first_width if (n == 0 and first_width is not None) else width

    words = text.replace("\t", " \t ").split(" ")
    lines = []
    current = ""
    for word in words:
        if word == "\t" and not current:
            continue                      # no gap at the start of a line
        while True:
            candidate = word if not current else current + " " + word
            if fits(candidate, len(lines)):
                current = candidate
                break
            if word == "\t":
                lines.append(current)     # break at the gap
                current = ""
                break
            if current:
                # Rather than splitting a table cell, move the whole cell
                # to the next line when the line is already half full.
                gap = current.rfind(" \t ")
                if gap > 0 and text_width(current[:gap]) >= limit(len(lines)) / 2:
                    lines.append(current[:gap])
                    current = current[gap + 3:]
                    continue
                lines.append(current)
                current = ""
                continue
            while word and not fits(word, len(lines)):
                cut = 1
                while cut < len(word) and fits(word[:cut + 1], len(lines)):
                    cut += 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
            break
    lines.append(current)
    out = []
    for line in lines:
        while line.endswith(" \t"):
            line = line[:-2]
        out.append(line.replace("\t", " "))
    return out


# --styled: a line that starts with one of these marks is set in that type.
STYLED = False
STYLE_MARKS = {"[h1] ": ("F2", 16), "[h2] ": ("F2", 13), "[b] ": ("F2", FONT_SIZE)}


def layout_line(line):
    if STYLED:
        for mark, style in STYLE_MARKS.items():
            if line.startswith(mark):
                return [[(x, text, style) for x, text in runs]
                        for runs in layout_plain_line(line[len(mark):])]
    return layout_plain_line(line)


def layout_plain_line(line):
    """Physical lines for one input line: a list of lines, each a list of
    (x, text) runs.

    Leading spaces become an indentation that wrapped lines keep. Tab
    characters separate table cells; they are rendered as a wide gap on
    the same text line (not as aligned columns, which text extractors tend
    to read column by column), and the continuation lines of a wrapped row
    are indented past its first cell."""
    line = line.rstrip()
    if "\t" in line:
        line = "\t".join(sanitize(cell.strip()) for cell in line.split("\t"))
    else:
        line = sanitize(line)
    stripped = line.lstrip(" ")
    if not stripped.strip("\t"):
        return [[]]
    indent = line[:len(line) - len(stripped)]
    indent_width = text_width(indent)
    if indent_width > TEXT_WIDTH / 2:
        indent, indent_width = "", 0.0
    hang = 0.0
    if "\t" in stripped:
        first_cell = stripped.split("\t", 1)[0]
        hang = text_width(first_cell + "   ")
        if hang > TEXT_WIDTH / 4:
            hang = 0.0
    wrapped = wrap_words(stripped, TEXT_WIDTH - indent_width - hang,
                         MAX_LINE_CHARS - len(indent),
                         first_width=TEXT_WIDTH - indent_width)
    return [[(MARGIN + indent_width + (hang if n else 0.0), part)]
            for n, part in enumerate(wrapped)]


# --aligned-tables: consecutive lines with tabs are drawn as a table.
ALIGNED_TABLES = False
TABLE_COLUMN_GAP = 14.0  # points between columns
# A physical "line" that only moves the next line down by this fraction of
# the leading (the space between table rows).
ROW_GAP = ("gap", 0.07)


def layout_table(rows):
    """Physical lines for a block of tab-separated rows drawn as a table, as
    report writers lay out a responsibility matrix: each column at its own x,
    each cell word-wrapped within its column and top-aligned, every row as
    tall as its tallest cell. Columns narrower than an equal share keep
    their natural width; the others share what is left."""
    cells = [[sanitize(c.strip()) for c in row.split("\t")] for row in rows]
    ncols = max(len(r) for r in cells)
    natural = [max((text_width(r[c]) for r in cells if c < len(r)), default=0.0)
               for c in range(ncols)]
    widths = [0.0] * ncols
    remaining = TEXT_WIDTH - TABLE_COLUMN_GAP * (ncols - 1)
    open_cols = list(range(ncols))
    while open_cols:
        share = remaining / len(open_cols)
        fitting = [c for c in open_cols if natural[c] <= share]
        if not fitting:
            for c in open_cols:
                widths[c] = share
            break
        for c in fitting:
            widths[c] = natural[c]
            remaining -= natural[c]
        open_cols = [c for c in open_cols if c not in fitting]
    xs, x = [], MARGIN
    for w in widths:
        xs.append(x)
        x += w + TABLE_COLUMN_GAP
    out = []
    for n, row in enumerate(cells):
        if n:
            out.append(ROW_GAP)  # cell padding: rows stand apart more than a cell's lines
        wrapped = [wrap_words(cell, widths[c]) if cell else [] for c, cell in enumerate(row)]
        for k in range(max((len(w) for w in wrapped), default=0)):
            out.append([(xs[c], w[k]) for c, w in enumerate(wrapped) if k < len(w) and w[k]])
    return out


def layout_page(text):
    """Physical lines for one logical (form-feed separated) page."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    out = []
    k = 0
    while k < len(lines):
        if ALIGNED_TABLES and "\t" in lines[k]:
            block = []
            while k < len(lines) and "\t" in lines[k]:
                block.append(lines[k])
                k += 1
            out.extend(layout_table(block))
            continue
        out.extend(layout_line(lines[k]))
        k += 1
    return out


def paginate(lines):
    """Split physical lines into pages of at most LINES_PER_PAGE lines.
    Blank lines at the top of a continuation page are dropped."""
    pages = [[]]
    for line in lines:
        if len(pages[-1]) >= LINES_PER_PAGE:
            pages.append([])
        if not pages[-1] and len(pages) > 1 and not line:
            continue
        pages[-1].append(line)
    return pages


def split_pages(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    parts = text.split("\f")
    for k in range(1, len(parts)):
        if parts[k].startswith("\n"):
            parts[k] = parts[k][1:]
    while len(parts) > 1 and parts[-1].strip() == "":
        parts.pop()
    pages = []
    for part in parts:
        pages.extend(paginate(layout_page(part)))
    return pages


def fmt_num(v):
    s = "%.3f" % v
    s = s.rstrip("0").rstrip(".")
    return s if s not in ("", "-0") else "0"


def content_stream(lines):
    out = [b"BT", b"/F1 %d Tf" % FONT_SIZE]
    current = ("F1", FONT_SIZE)
    y = FIRST_BASELINE
    for runs in lines:
        if isinstance(runs, tuple):  # ROW_GAP
            y -= LEADING * runs[1]
            continue
        for run in runs:
            x, text = run[0], run[1]
            style = run[2] if len(run) > 2 else ("F1", FONT_SIZE)
            if style != current:
                out.append(b"/%s %d Tf" % (style[0].encode("ascii"), style[1]))
                current = style
            out.append(("1 0 0 1 %s %s Tm " % (fmt_num(x), fmt_num(y)))
                       .encode("ascii") + pdf_literal(winansi(text)) + b" Tj")
        y -= LEADING
    out.append(b"ET")
    return b"\n".join(out) + b"\n"


# --------------------------------------------------------------------------
# Encryption: Standard security handler, V=2, R=3, 128-bit RC4

PASSWORD_PAD = bytes([
    0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56,
    0xFF, 0xFA, 0x01, 0x08, 0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80,
    0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
])
KEY_LENGTH = 16                       # bytes (128 bits)
PERMISSIONS = -4                      # every permission granted (R=3)


def rc4(key, data):
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 0xFF
        s[i], s[j] = s[j], s[i]
    out = bytearray(len(data))
    i = j = 0
    for n, b in enumerate(data):
        i = (i + 1) & 0xFF
        j = (j + s[i]) & 0xFF
        s[i], s[j] = s[j], s[i]
        out[n] = b ^ s[(s[i] + s[j]) & 0xFF]
    return bytes(out)


def md5(data):
    return hashlib.md5(data).digest()


def pad_password(pw):
    """Password bytes padded/truncated to 32 bytes (Algorithm 2, step a).
    Passwords are encoded as Latin-1 (PDFDocEncoding for these chars)."""
    try:
        raw = pw.encode("latin-1")
    except UnicodeEncodeError:
        raw = pw.encode("utf-8")
    return (raw + PASSWORD_PAD)[:32]


def compute_o(owner_pw, user_pw):
    """Algorithm 3: the /O entry (R=3)."""
    digest = md5(pad_password(owner_pw))
    for _ in range(50):
        digest = md5(digest[:KEY_LENGTH])
    key = digest[:KEY_LENGTH]
    data = rc4(key, pad_password(user_pw))
    for i in range(1, 20):
        data = rc4(bytes(b ^ i for b in key), data)
    return data


def compute_file_key(user_pw, o_entry, permissions, id0):
    """Algorithm 2: the file encryption key (R=3, metadata encrypted)."""
    digest = md5(pad_password(user_pw) + o_entry
                 + (permissions & 0xFFFFFFFF).to_bytes(4, "little") + id0)
    for _ in range(50):
        digest = md5(digest[:KEY_LENGTH])
    return digest[:KEY_LENGTH]


def compute_u(file_key, id0):
    """Algorithm 5: the /U entry (R=3)."""
    data = rc4(file_key, md5(PASSWORD_PAD + id0))
    for i in range(1, 20):
        data = rc4(bytes(b ^ i for b in file_key), data)
    return data + bytes(16)          # 16 arbitrary bytes of padding


class Encryptor:
    def __init__(self, user_pw, owner_pw, id0):
        self.o = compute_o(owner_pw, user_pw)
        self.key = compute_file_key(user_pw, self.o, PERMISSIONS, id0)
        self.u = compute_u(self.key, id0)

    def object_key(self, num, gen):
        """Algorithm 1: the RC4 key for object `num` `gen`."""
        data = (self.key + num.to_bytes(3, "little")
                + gen.to_bytes(2, "little"))
        return md5(data)[:min(KEY_LENGTH + 5, 16)]

    def encrypt(self, num, data):
        return rc4(self.object_key(num, 0), data)


# --------------------------------------------------------------------------
# PDF writer

class PdfWriter:
    def __init__(self, encryptor=None):
        self.objects = {}
        self.encryptor = encryptor

    def string(self, num, data, literal_ok=False):
        """A string value (bytes) inside object `num`, encrypted if needed.
        Written as a hex string, or as a literal string when `literal_ok`,
        the file is not encrypted and `data` is printable ASCII."""
        if self.encryptor is not None:
            data = self.encryptor.encrypt(num, data)
        elif literal_ok and all(32 <= b < 127 for b in data):
            return pdf_literal(data)
        return b"<" + data.hex().upper().encode("ascii") + b">"

    def add(self, num, body):
        self.objects[num] = body

    def add_stream(self, num, data, extra=b""):
        data = zlib.compress(data, 9)
        if self.encryptor is not None:
            data = self.encryptor.encrypt(num, data)
        self.objects[num] = (
            b"<< /Length %d /Filter /FlateDecode%s >>\nstream\n" % (len(data), extra)
            + data + b"\nendstream")

    def serialize(self, trailer):
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        size = max(self.objects) + 1
        offsets = {}
        for num in range(1, size):
            offsets[num] = len(out)
            out += b"%d 0 obj\n" % num + self.objects[num] + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n" % size
        out += b"0000000000 65535 f \n"
        for num in range(1, size):
            out += b"%010d 00000 n \n" % offsets[num]
        out += b"trailer\n<< /Size %d " % size + trailer + b" >>\n"
        out += b"startxref\n%d\n%%%%EOF\n" % xref
        return bytes(out)


def read_pgm(path):
    """(width, height, pixels) of a binary 8-bit PGM (P5)."""
    with open(path, "rb") as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P5" or int(fields[3]) != 255:
        raise ValueError("%s: not an 8-bit binary PGM (P5)" % path)
    width, height = int(fields[1]), int(fields[2])
    pixels = data[pos + 1:pos + 1 + width * height]
    if len(pixels) != width * height:
        raise ValueError("%s: PGM data is truncated" % path)
    return width, height, pixels


def build_pdf(pages, title=None, author=None, date=None, lang=None,
              user_pw=None, owner_pw=None, scans=(), scan_dpi=300,
              streams=None):
    """`streams`, when given, are ready content streams (one per page) that
    replace `pages` (make_layout_pdf.py draws its own)."""
    if streams is None:
        streams = [content_stream(p) for p in pages]
    if not streams and not scans:
        streams = [content_stream([])]

    # A deterministic file identifier derived from everything that goes in.
    h = hashlib.md5()
    for part in (title, author, date, lang, user_pw):
        h.update(repr(part).encode("utf-8") + b"\0")
    for s in streams:
        h.update(s)
    for width, height, pixels in scans:
        h.update(b"%d %d " % (width, height) + pixels)
    file_id = h.digest()

    enc = None
    if user_pw is not None:
        if owner_pw is None:
            owner_pw = "owner:" + hashlib.sha256(
                user_pw.encode("utf-8")).hexdigest()[:24]
        enc = Encryptor(user_pw, owner_pw, file_id)
    w = PdfWriter(enc)

    CATALOG, PAGES, FONT, INFO = 1, 2, 3, 4
    first = 5
    if enc is not None:
        ENCRYPT = 5
        first = 6
        # The encryption dictionary itself is never encrypted.
        w.add(ENCRYPT, (
            b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P %d\n"
            b"   /O <%s>\n   /U <%s> >>"
            % (PERMISSIONS, enc.o.hex().upper().encode("ascii"),
               enc.u.hex().upper().encode("ascii"))))

    catalog = b"<< /Type /Catalog /Pages 2 0 R"
    if lang:
        catalog += b" /Lang " + w.string(CATALOG, lang.encode("ascii"),
                                         literal_ok=True)
    if title:
        catalog += b" /ViewerPreferences << /DisplayDocTitle true >>"
    w.add(CATALOG, catalog + b" >>")

    kids = []
    # Helvetica-Bold, for --styled lines, after every page's objects.
    bold_font = first + 2 * len(streams) + 3 * len(scans)
    for k, stream in enumerate(streams):
        page_num = first + 2 * k
        content_num = page_num + 1
        kids.append(page_num)
        w.add(page_num, (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s]\n"
            b"   /Resources << /Font << /F1 3 0 R%s >> >> /Contents %d 0 R >>"
            % (fmt_num(PAGE_WIDTH).encode(), fmt_num(PAGE_HEIGHT).encode(),
               b" /F2 %d 0 R" % bold_font if STYLED else b"", content_num)))
        w.add_stream(content_num, stream)
    next_num = first + 2 * len(streams)
    for width, height, pixels in scans:
        page_num, content_num, image_num = next_num, next_num + 1, next_num + 2
        next_num += 3
        kids.append(page_num)
        page_w, page_h = width * 72.0 / scan_dpi, height * 72.0 / scan_dpi
        w.add(page_num, (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s]\n"
            b"   /Resources << /XObject << /Im1 %d 0 R >> >> /Contents %d 0 R >>"
            % (fmt_num(page_w).encode(), fmt_num(page_h).encode(), image_num,
               content_num)))
        w.add_stream(content_num, b"q %s 0 0 %s 0 0 cm /Im1 Do Q\n" % (
            fmt_num(page_w).encode(), fmt_num(page_h).encode()))
        w.add_stream(image_num, pixels, (
            b" /Type /XObject /Subtype /Image /Width %d /Height %d"
            b" /ColorSpace /DeviceGray /BitsPerComponent 8" % (width, height)))
    w.add(PAGES, b"<< /Type /Pages /Count %d /Kids [%s] >>" % (
        len(kids), b" ".join(b"%d 0 R" % n for n in kids)))
    w.add(FONT, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica"
                b" /Encoding /WinAnsiEncoding >>")
    if STYLED:
        w.add(bold_font, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold"
                         b" /Encoding /WinAnsiEncoding >>")

    info = [b"<<"]
    if title:
        info.append(b" /Title " + w.string(INFO, utf16_text(title)))
    if author:
        info.append(b" /Author " + w.string(INFO, utf16_text(author)))
    info.append(b" /Producer " + w.string(INFO, utf16_text(PRODUCER)))
    if date:
        stamp = "D:%s000000Z" % date.strftime("%Y%m%d")
        info.append(b" /CreationDate " + w.string(INFO, stamp.encode("ascii"),
                                                  literal_ok=True))
    info.append(b" >>")
    w.add(INFO, b"".join(info))

    hex_id = file_id.hex().upper().encode("ascii")
    trailer = b"/Root 1 0 R /Info 4 0 R /ID [<%s> <%s>]" % (hex_id, hex_id)
    if enc is not None:
        trailer += b" /Encrypt 5 0 R"
    return w.serialize(trailer)


def parse_date(value):
    try:
        return datetime.datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise argparse.ArgumentTypeError(
            "invalid date %r (expected YYYY-MM-DD)" % value)


def parse_lang(value):
    if not value or not all(c.isascii() and (c.isalnum() or c == "-")
                            for c in value):
        raise argparse.ArgumentTypeError("invalid language tag %r" % value)
    return value


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Write a small PDF (A4, Helvetica 11pt, WinAnsi text "
                    "layer) from a UTF-8 text file; form feeds separate "
                    "pages.")
    ap.add_argument("input", metavar="INPUT.txt", help="UTF-8 text file")
    ap.add_argument("output", metavar="OUTPUT.pdf", help="PDF file to write")
    ap.add_argument("--title", help="document title (Info /Title)")
    ap.add_argument("--author", help="document author (Info /Author)")
    ap.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD",
                    help="creation date (Info /CreationDate)")
    ap.add_argument("--lang", type=parse_lang, metavar="xx",
                    help="document language, e.g. en or es (Catalog /Lang)")
    ap.add_argument("--encrypt-user-password", metavar="PW",
                    help="encrypt (RC4 128-bit, R=3) with this user password")
    ap.add_argument("--encrypt-owner-password", metavar="PW",
                    help="owner password (default: derived from the user "
                         "password)")
    ap.add_argument("--aligned-tables", action="store_true",
                    help="draw consecutive tab-separated lines as a table with aligned, "
                         "word-wrapped columns (default: a wide gap on one text line)")
    ap.add_argument("--styled", action="store_true",
                    help="lines starting with [h1] , [h2] or [b]  are set in Helvetica-Bold "
                         "at 16, 13 or 11 pt (the mark is not printed)")
    ap.add_argument("--scan", action="append", default=[], metavar="PAGE.pgm",
                    help="append an image-only page from an 8-bit PGM "
                         "(repeatable)")
    ap.add_argument("--scan-dpi", type=float, default=300.0, metavar="N",
                    help="resolution of the --scan images on the page")
    args = ap.parse_args(argv)

    global ALIGNED_TABLES, STYLED
    ALIGNED_TABLES = args.aligned_tables
    STYLED = args.styled
    if args.encrypt_owner_password is not None and \
            args.encrypt_user_password is None:
        ap.error("--encrypt-owner-password needs --encrypt-user-password")

    try:
        with open(args.input, "r", encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        print("make_pdf.py: cannot read %s: %s" % (args.input, e),
              file=sys.stderr)
        return 1

    try:
        scans = [read_pgm(path) for path in args.scan]
    except (OSError, ValueError) as e:
        print("make_pdf.py: %s" % e, file=sys.stderr)
        return 1
    pages = split_pages(text) if text.strip() or not scans else []
    pdf = build_pdf(pages, title=args.title, author=args.author,
                    date=args.date, lang=args.lang,
                    user_pw=args.encrypt_user_password,
                    owner_pw=args.encrypt_owner_password,
                    scans=scans, scan_dpi=args.scan_dpi)
    try:
        with open(args.output, "wb") as f:
            f.write(pdf)
    except OSError as e:
        print("make_pdf.py: cannot write %s: %s" % (args.output, e),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
