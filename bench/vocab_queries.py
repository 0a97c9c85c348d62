#!/usr/bin/env python3
"""Distinct search requests drawn from an archive's own vocabulary (for
bench/server.sh's distinct-query run).

  vocab_queries.py BASE_URL COUNT OUT [SAMPLE_DOCUMENTS]

Reads the text of the first three pages of SAMPLE_DOCUMENTS (default 300)
documents spread over the archive, through dossierd's API (GET
/v1/documents, /v1/documents/{id}/pages/{n}); counts the words (letters
only, 3 to 20 of them, lowercased); and writes COUNT distinct requests
/v1/search?q=... to OUT, one per line: three in five a single word, two in
five two words, each word drawn with a probability that follows its
frequency (as people search for the words an archive uses), with a fixed
seed. Such queries are almost never repeated, so a response cache cannot
answer them: every request is computed.
"""
import collections
import json
import random
import re
import sys
import urllib.parse
import urllib.request


def get(base, path):
    with urllib.request.urlopen(base + path) as r:
        return json.load(r)


def main():
    base, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    sample = int(sys.argv[4]) if len(sys.argv) > 4 else 300
    total = get(base, "/v1/documents?limit=1")["total"]
    if total == 0:
        sys.exit("vocab_queries.py: the archive is empty")
    step = max(1, total // sample)
    words = collections.Counter()
    for offset in range(0, total, step):
        for doc in get(base, f"/v1/documents?limit=1&offset={offset}")["documents"]:
            for page in range(1, 4):
                try:
                    text = get(base, f"/v1/documents/{doc['id']}/pages/{page}")["text"]
                except urllib.error.HTTPError:
                    break  # fewer pages
                words.update(w.lower() for w in re.findall(r"[^\W\d_]{3,20}", text))
    vocabulary = [w for w, n in words.items() if n >= 2]
    weights = [words[w] for w in vocabulary]
    if len(vocabulary) < 50:
        sys.exit(f"vocab_queries.py: only {len(vocabulary)} words seen twice; too few for distinct queries")
    rng = random.Random(1)
    queries = set()
    attempts = 0
    while len(queries) < count and attempts < 20 * count:
        attempts += 1
        n = 1 if rng.random() < 0.6 else 2
        queries.add(" ".join(rng.choices(vocabulary, weights, k=n)))
    with open(out, "w", encoding="utf-8") as f:
        for q in sorted(queries, key=lambda _: rng.random()):
            f.write("/v1/search?q=" + urllib.parse.quote(q) + "\n")
    print(f"{len(queries)} distinct queries over {len(vocabulary)} words (seen at least twice in the sample)")


if __name__ == "__main__":
    main()
