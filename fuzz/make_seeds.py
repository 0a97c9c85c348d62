#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/corpus/<target>/ (run from anywhere).

Word pages use the format of fuzz/word_input.h; the frame seeds follow
core/src/ingest/worker_protocol.h."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


class Page:
    """Words laid out like a PDF text layer: ~6 pt a character, 14.3 pt tall."""

    def __init__(self, flags=0, repeat=0, char=6.0, height=14.3, space=2.7):
        self.head = bytes([flags, repeat])
        self.words = []
        self.char, self.height, self.space = char, height, space

    def put(self, x, y, text, special=0):
        for w in text.split():
            width = self.char * len(w.encode())
            self.word(w, x, y, x + width, y + self.height, special)
            x += width + self.space
        return x

    def word(self, text, x0, y0, x1, y1, special=0, raw=None):
        t = text.encode()[:32]
        vals = raw or (round(x0 * 2), round(y0 * 2), round((x1 - x0) * 8), round((y1 - y0) * 8))
        vals = [max(-32768, min(32767, v)) for v in vals]
        self.words.append(bytes([special, len(t)]) + t + struct.pack(">4h", *vals))

    def bytes(self):
        return self.head + b"".join(self.words)


def pages():
    prose = ("The evaluation found that the programme met most of its objectives but that "
             "monitoring was weak and reporting late in three of the five countries visited").split()
    # Two columns of prose under a full-width title.
    p = Page()
    p.put(72, 60, "Annual evaluation report 2024: findings and recommendations")
    for col, x in ((0, 72), (1, 320)):
        for line in range(14):
            words = prose[(line * 5 + col * 3) % 20:][:6]
            p.put(x, 100 + line * 16, " ".join(words))
    two_columns = p.bytes()
    # A key-action table between paragraphs.
    t = Page()
    t.put(72, 60, "Management response to the recommendations of the evaluation")
    t.put(72, 100, "Key action")
    t.put(330, 100, "Time frame")
    t.put(430, 100, "Unit")
    t.put(500, 100, "Status")
    rows = [("1.1 Convene a working group", "Q1 2026", "SDD", "Completed"),
            ("1.2 Publish the first draft of the guidance", "Q3 2026", "EO", "Ongoing"),
            ("2.1 Train the country offices on the new", "2027", "HR", "Not started")]
    y = 130
    for key, when, unit, status in rows:
        t.put(72, y, key)
        t.put(330, y, when)
        t.put(430, y, unit)
        t.put(500, y, status)
        t.put(72, y + 12.7, "tools and report back.")
        y += 40
    t.put(72, y + 20, "Signed: the Director of the Evaluation Office.")
    table = t.bytes()
    # The table as OCR boxes at 300 dpi (pixels), with a speck inside a word.
    o = Page(flags=1, char=17, height=33, space=14)
    o.put(240, 100, "Key action")
    o.put(1560, 100, "Time frame")
    o.put(1830, 100, "Unit")
    o.put(2120, 100, "Status")
    y = 160
    for key, when, unit, status in rows:
        o.put(240, y, key)
        o.put(1560, y, when)
        o.put(1830, y, unit)
        o.put(2120, y, status)
        y += 110
    o.word(".", 250, 102, 254, 106)
    ocr = o.bytes()
    # Hostile boxes: NaN, infinite, huge, negative, inverted, empty text.
    h = Page()
    h.put(72, 60, "A line of ordinary words to start with")
    h.word("nan", 0, 0, 0, 0, special=0b0001, raw=(0, 100, 40, 100))       # x0 = NaN
    h.word("inf", 0, 0, 0, 0, special=0b0100, raw=(100, 200, 1, 100))      # x1 = +inf
    h.word("huge", 0, 0, 0, 0, special=0b1000, raw=(100, 300, 40, 3))      # y1 = DBL_MAX
    h.word("neg", -500, -300, -450, -286)
    h.word("inverted", 300, 300, 250, 280)
    h.word("", 100, 400, 140, 414)
    h.put(72, 420, "and a last line of ordinary words")
    hostile = h.bytes()
    # The table page, eight times over (a long page of thousands of words).
    many = bytes([0, 7]) + table[2:]
    return {"two_columns": two_columns, "table": table, "ocr_table": ocr, "hostile": hostile, "many": many}


def main():
    for name, data in pages().items():
        write("page_layout_fuzzer", name, data)
        write("table_layout_fuzzer", name, data)
    dates = {
        "en": "The board met on 31 August 2001 and again on March 3, 2002; actions due by Q3 2024, "
              "in June, by the end of April, 2019-2021, 03/04/2021 and 2021-04-03.",
        "fr": "Le comité s'est réuni le 1er février 2023 et le 14 juillet 2023 ; d'ici juillet, "
              "au troisième trimestre 2024, 31/12/2022, de janvier à mars 2024.",
        "es": "La reunión del 5 de mayo de 2020 y del 12 de diciembre de 2021; hasta marzo, "
              "primer trimestre de 2022, 15/06/2023, entre 2018 y 2020.",
        "numeric": "12/31/2020 and 1/2/2021 and 2021.04.03 and 7.8.99 and 2001",
    }
    for i, (name, text) in enumerate(dates.items()):
        write("dates_fuzzer", name, bytes([i]) + text.encode())

    def frame(kind, payload):
        return kind.encode() + struct.pack(">I", len(payload)) + payload

    def string(s):
        s = s.encode() if isinstance(s, str) else s
        return struct.pack(">I", len(s)) + s

    image = struct.pack(">5I", 1, 4, 3, 1, 30000) + bytes(range(12))
    frames = (frame("R", b"") + frame("M", string("title") + string("Report")) + frame("Q", struct.pack(">I", 2))
              + frame("G", image) + frame("O", struct.pack(">I", 2))
              + frame("P", struct.pack(">IBI", 1, 2, 0xFFFFFFFF) + string("page one text"))
              + frame("W", string("a warning")) + frame("D", string("pdf") + struct.pack(">I", 0)))
    write("worker_frame_fuzzer", "worker_run", frames)
    write("worker_frame_fuzzer", "job", frame("J", string("/a.pdf") + string("application/pdf") + string("pdf")
                                              + string(b"%PDF-1.4")))
    write("worker_frame_fuzzer", "ocr_job", frame("I", struct.pack(">5I", 3, 2, 2, 3, 0) + bytes(12)))
    write("worker_frame_fuzzer", "error", frame("E", struct.pack(">I", 5) + string("bad file")))


if __name__ == "__main__":
    main()
