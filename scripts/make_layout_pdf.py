#!/usr/bin/env python3
"""Write a PDF with a real text layer laid out in columns, from a JSON page
description, and the same text in reading order (the reference a page reader
should give back).

Usage:
    make_layout_pdf.py SPEC.json OUTPUT.pdf [--reference OUTPUT.txt]

SPEC is {"pages": [[block, ...], ...]} (with "title" and "date",
YYYY-MM-DD, for the document information); blocks stack from the top of the
page down, each the full width of the text area (A4, 20 mm margins):
  * {"heading": "TEXT"} - one line, 16 pt (a full-width title); with
    "size": N, in N pt (a cover's title, masthead or caption).
  * {"columns": N, "paragraphs": ["...", ...]} - prose set in N columns
    (N = 1, 2 or 3; 11 pt on 14 pt leading; gutter 18 pt), word-wrapped to
    the column width and flowed from the foot of one column to the top of
    the next; the columns are balanced (equal numbers of lines). Paragraphs
    are separated by half a line.
  * {"table": [["cell", ...], ...]} - a table across the full width: the
    columns at their own x, each cell word-wrapped in its column and
    top-aligned (as make_pdf.py --aligned-tables draws them); the first row
    is the header.

The reference holds the heading, then each column's paragraphs in order
(column 1 before column 2), one paragraph per line, and each table row as
one line with its cells joined by tabs. Only the Python standard library is
used; output is deterministic. Fixtures for tests/plugins/page_layout_test.cc
and bench/layout.sh come from tests/fixtures/layout/*.json.
"""

import argparse
import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_pdf  # noqa: E402  (same folder)

HEADING_SIZE = 16
BODY_SIZE = make_pdf.FONT_SIZE
LEADING = make_pdf.LEADING
GUTTER = 18.0
LEFT = make_pdf.MARGIN
WIDTH = make_pdf.TEXT_WIDTH
TOP = make_pdf.PAGE_HEIGHT - make_pdf.MARGIN


def draw(runs):
    """A content stream from (x, baseline y, size, text) runs."""
    out = [b"BT"]
    size = None
    for x, y, run_size, text in runs:
        if run_size != size:
            out.append(b"/F1 %d Tf" % run_size)
            size = run_size
        out.append(("1 0 0 1 %s %s Tm " % (make_pdf.fmt_num(x), make_pdf.fmt_num(y))).encode("ascii")
                   + make_pdf.pdf_literal(make_pdf.winansi(text)) + b" Tj")
    out.append(b"ET")
    return b"\n".join(out) + b"\n"


def scaled_width(text, size):
    return make_pdf.text_width(text) * size / BODY_SIZE


def lay_out_page(blocks, reference):
    runs = []
    y = TOP - BODY_SIZE
    for block in blocks:
        if "heading" in block:
            text = make_pdf.sanitize(block["heading"])
            size = int(block.get("size", HEADING_SIZE))
            y -= size - BODY_SIZE
            runs.append((LEFT, y, size, text))
            reference.append(text)
            # Sized headings are set solid on 1.2 times their size, as a cover's lines.
            y -= LEADING * 2 if "size" not in block else size * 0.2 + BODY_SIZE
        elif "columns" in block:
            n = int(block["columns"])
            if n not in (1, 2, 3):
                raise ValueError("columns must be 1, 2 or 3")
            width = (WIDTH - GUTTER * (n - 1)) / n
            lines = []  # text, or None for a paragraph gap
            for k, paragraph in enumerate(block["paragraphs"]):
                paragraph = make_pdf.sanitize(" ".join(paragraph.split()))
                reference.append(paragraph)
                if k:
                    lines.append(None)
                lines.extend(make_pdf.wrap_words(paragraph, width))
            per_column = -(-len(lines) // n)
            columns = [lines[c * per_column:(c + 1) * per_column] for c in range(n)]
            bottom = y
            for c, column in enumerate(columns):
                while column and column[0] is None:  # no gap at the top of a column
                    column = column[1:]
                cy = y
                for line in column:
                    if line is None:
                        cy -= LEADING / 2
                        continue
                    runs.append((LEFT + c * (width + GUTTER), cy, BODY_SIZE, line))
                    cy -= LEADING
                bottom = min(bottom, cy)
            y = bottom - LEADING
        elif "table" in block:
            rows = block["table"]
            for row in rows:
                reference.append("\t".join(make_pdf.sanitize(c.strip()) for c in row))
            for physical in make_pdf.layout_table(["\t".join(row) for row in rows]):
                if isinstance(physical, tuple):  # the gap between rows
                    y -= LEADING * physical[1] * 3
                    continue
                for x, text in physical:
                    runs.append((x, y, BODY_SIZE, text))
                y -= LEADING
            y -= LEADING
        else:
            raise ValueError("unknown block %r" % sorted(block))
        if y < make_pdf.MARGIN:
            raise ValueError("the blocks do not fit on one page")
    return draw(runs)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Write a PDF laid out in columns from a JSON page description.")
    ap.add_argument("spec", metavar="SPEC.json")
    ap.add_argument("output", metavar="OUTPUT.pdf")
    ap.add_argument("--reference", metavar="OUTPUT.txt", help="write the text in reading order here")
    args = ap.parse_args(argv)
    try:
        with open(args.spec, encoding="utf-8") as f:
            spec = json.load(f)
        reference = []
        streams = []
        for blocks in spec["pages"]:
            streams.append(lay_out_page(blocks, reference))
            reference.append("\f")
        date = datetime.date.fromisoformat(spec["date"]) if spec.get("date") else None
        pdf = make_pdf.build_pdf([], title=spec.get("title"), date=date, streams=streams)
        with open(args.output, "wb") as f:
            f.write(pdf)
        if args.reference:
            text = "\n".join(reference).replace("\n\f\n", "\n\f").rstrip("\f\n") + "\n"
            with open(args.reference, "w", encoding="utf-8") as f:
                f.write(text)
    except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError) as e:
        print("make_layout_pdf.py: %s: %s" % (args.spec, e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
