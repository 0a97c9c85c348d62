#!/usr/bin/env python3
"""Writes the broken and hostile files bench/bulk.sh mixes into the corpus.

    bench/make_broken.py [--no-bombs] DEST GOOD.pdf [GOOD.pdf ...]

Twenty files, four of each kind, all named *.pdf (sixteen with --no-bombs,
for runs that must not wait on the per-file timeout, e.g. bench/kill9.sh):
  truncated-N.pdf   the first 40 % of a real PDF from the corpus
  encrypted-N.pdf   a PDF with a user password (scripts/make_pdf.py)
  empty-N.pdf       zero bytes
  garbage-N.pdf     random bytes
  bomb-N.pdf        a valid one-page PDF whose page content inflates to
                    about 1.5 GB of text operators from ~1.5 MB on disk: the
                    parser runs (or allocates) far past any sane time; only
                    the per-file timeout or memory limit ends it
Nothing here is copied from anywhere: the files are made on the spot.
"""
import os
import random
import subprocess
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def bomb_stream(inflated_bytes=1_500_000_000):
    op = b"BT /F1 9 Tf 72 720 Td (overflowing content stream) Tj ET\n"
    compressor = zlib.compressobj(6)
    chunk = op * (1 << 16)
    parts = []
    written = 0
    while written < inflated_bytes:
        parts.append(compressor.compress(chunk))
        written += len(chunk)
    parts.append(compressor.flush())
    return b"".join(parts)


def bomb_pdf(path, stream, n):
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%%PDF-1.4\n%% bomb %d\n" % n)
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    with open(path, "wb") as f:
        f.write(out)


def main():
    args = sys.argv[1:]
    bombs = "--no-bombs" not in args
    args = [a for a in args if a != "--no-bombs"]
    if len(args) < 2:
        sys.exit(__doc__)
    dest, good = args[0], args[1:]
    os.makedirs(dest, exist_ok=True)
    rng = random.Random(20261125)
    stream = bomb_stream() if bombs else None
    for i in range(4):
        with open(good[i % len(good)], "rb") as f:
            data = f.read()
        with open(os.path.join(dest, "truncated-%d.pdf" % i), "wb") as f:
            f.write(data[: len(data) * 2 // 5])
        text = os.path.join(dest, ".encrypted-%d.txt" % i)
        with open(text, "w") as f:
            f.write("A confidential evaluation report, number %d.\n" % i)
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "make_pdf.py"), text,
                        os.path.join(dest, "encrypted-%d.pdf" % i), "--encrypt-user-password", "secret%d" % i],
                       check=True)
        os.remove(text)
        open(os.path.join(dest, "empty-%d.pdf" % i), "wb").close()
        with open(os.path.join(dest, "garbage-%d.pdf" % i), "wb") as f:
            f.write(bytes(rng.getrandbits(8) for _ in range(20000 + 5000 * i)))
        if bombs:
            bomb_pdf(os.path.join(dest, "bomb-%d.pdf" % i), stream, i)
    print("make_broken.py: %d broken files in %s" % (20 if bombs else 16, dest))


if __name__ == "__main__":
    main()
