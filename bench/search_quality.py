#!/usr/bin/env python3
"""Scores search tools against bench/search_queries.tsv (called by bench/search_quality.sh).

Each tool is run on every query and asked for its top 5 documents; a document is named by its
path under the corpus copy (pdf/X.pdf, text/X.txt, real/X.pdf), as in the judged file.

  P@5 of a query   = (relevant documents among the top 5) / min(5, number of relevant documents)
  P@5 of a tool    = the mean of P@5 over the queries
  best page right  = the top result is a relevant document AND the page the tool gives for it is
                     one of the judged best pages of that document (0 when the top result is not
                     relevant, or when the tool gives no page for it)
  best-page acc.   = (queries whose best page is right) / (number of queries); not reported for a
                     tool that never gives a page

Usage: search_quality.py QUERIES.tsv FILES_DIR TOOL=ARGS... [--verbose]
  dossier=DOSSIER_BIN,DATA_DIR   recoll=CONF_DIR   omega=DB_DIR
"""
import json
import os
import re
import subprocess
import sys

TOP = 5


def load_queries(path):
    queries = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        qid, lang, text, relevant, need = line.split("\t")
        judged = {}
        for item in relevant.split(";"):
            doc, pages = item.rsplit(":", 1)
            judged[doc] = {int(p) for p in pages.split(",")}
        queries.append({"id": qid, "lang": lang, "query": text, "judged": judged, "need": need})
    return queries


def relative(path, files_dir):
    """pdf/X.pdf from an absolute path (or file:// URL, or omega's url=/pdf/X.pdf) of the copy."""
    path = re.sub(r"^file://", "", path)
    prefix = files_dir.rstrip("/") + "/"
    if path.startswith(prefix):
        return path[len(prefix):]
    return path.lstrip("/")


# Each runner returns the top results as [(document, page or None)], best first.

def run_dossier(spec, query, lang, files_dir):
    binary, data = spec.split(",", 1)
    out = subprocess.run([binary, "--data", data, "search", "--json", "--limit", str(TOP), "--", query],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"dossier search {query!r}: {out.stderr.strip()}")
    hits = json.loads(out.stdout)["hits"]
    results = []
    for hit in hits:
        # A hit stands for every path with the same bytes; the copies here are all distinct.
        paths = [relative(p, files_dir) for p in hit["source_paths"]]
        results.append((sorted(paths)[0], hit["page"]))
    return results


RECOLL_LANG = {"en": "english", "fr": "french", "es": "spanish"}


def run_recoll(conf, query, lang, files_dir):
    # The query language (implicit AND, "phrases"), stem expansion in the query's own language
    # (Recoll takes one stemming language per query; it is given the right one), one snippet per
    # hit with its page (-A -p 1): Recoll's choice of the best place in the document.
    out = subprocess.run(["recollq", "-c", conf, "-n", str(TOP), "-s", RECOLL_LANG[lang], "-A", "-p", "1", query],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"recollq {query!r}: {out.stderr.strip()}")
    results = []
    current = None
    for line in out.stdout.splitlines():
        m = re.match(r"^\S+\t\[(file://[^\]]*)\]\t", line)
        if m:
            current = [relative(m.group(1), files_dir), None]
            results.append(current)
            continue
        m = re.match(r"^(\d+) : ", line)
        if m and current is not None and current[1] is None:
            # Page 0: the text has no page break (a one-page PDF, a plain-text file): page 1.
            current[1] = max(1, int(m.group(1)))
    return [tuple(r) for r in results[:TOP]]


def run_omega(db, query, lang, files_dir):
    # quest as shipped: Xapian's QueryParser with its default operator (OR), BM25, and the
    # stemmer omindex indexed with (english, its default; one per database).
    out = subprocess.run(["quest", "-d", db, "-m", str(TOP), query], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"quest {query!r}: {out.stderr.strip()}")
    results = []
    for line in out.stdout.splitlines():
        if line.startswith("url="):
            results.append((relative(line[4:], files_dir), None))  # quest gives no page
    return results[:TOP]


RUNNERS = {"dossier": run_dossier, "recoll": run_recoll, "omega": run_omega}
NAMES = {"dossier": "Dossier", "recoll": "Recoll (recollq)", "omega": "Omega (omindex + quest)"}


def main():
    args = [a for a in sys.argv[1:] if a != "--verbose"]
    verbose = "--verbose" in sys.argv[1:]
    queries_file, files_dir = args[0], os.path.abspath(args[1])
    tools = [a.split("=", 1) for a in args[2:]]
    queries = load_queries(queries_file)

    print(f"{len(queries)} judged queries ({queries_file}), top {TOP} per tool")
    print(f"P@5 = mean over queries of (relevant in top {TOP}) / min({TOP}, relevant documents)")
    print("best page = top result relevant and its page among the judged best pages (share of queries)")
    print()
    table = {}
    summary = []
    for name, spec in tools:
        p5_sum, page_right, pages_given = 0.0, 0, 0
        rows = []
        for q in queries:
            results = RUNNERS[name](spec, q["query"], q["lang"], files_dir)
            judged = q["judged"]
            found = len({doc for doc, _ in results if doc in judged})
            p5 = found / min(TOP, len(judged))
            p5_sum += p5
            top_doc, top_page = results[0] if results else (None, None)
            if top_page is not None:
                pages_given += 1
            right = top_doc in judged and top_page in judged[top_doc]
            page_right += right
            rows.append((q, p5, results, right))
        table[name] = rows
        p5_mean = p5_sum / len(queries)
        page_acc = page_right / len(queries) if pages_given else None
        summary.append((name, p5_mean, page_acc, page_right))

    print(f"{'tool':26} {'P@5':>6} {'best page':>10}")
    for name, p5_mean, page_acc, page_right in summary:
        page = f"{page_acc:.3f} ({page_right}/{len(queries)})" if page_acc is not None else "n/a (no page)"
        print(f"{NAMES[name]:26} {p5_mean:6.3f} {page:>10}")

    if verbose:
        print()
        for i, q in enumerate(queries):
            print(f"{q['id']} [{q['lang']}] {q['query']}  ({len(q['judged'])} relevant)")
            for name, _ in tools:
                _, p5, results, right = table[name][i]
                shown = []
                for doc, page in results:
                    mark = "+" if doc in q["judged"] else "-"
                    short = doc.split("/", 1)[-1][:28]
                    shown.append(f"{mark}{short}" + (f"@{page}" if page is not None else ""))
                page_note = "page ok" if right else "page --"
                print(f"   {name:8} P@5 {p5:.2f} {page_note}  " + " ".join(shown))
            top = ", ".join(f"{d.split('/', 1)[-1][:28]}:{','.join(map(str, sorted(p)))}" for d, p in q["judged"].items())
            print(f"   judged   {top}")
    # Per-query differences between Dossier and each peer: where Dossier is worse.
    if "dossier" in table:
        worse = []
        for name, _ in tools:
            if name == "dossier":
                continue
            for i, q in enumerate(queries):
                d, p = table["dossier"][i], table[name][i]
                if d[1] < p[1] - 1e-9:
                    worse.append(f"{q['id']}: P@5 {d[1]:.2f} < {NAMES[name]} {p[1]:.2f}")
                if p[3] and not d[3]:
                    worse.append(f"{q['id']}: best page wrong, right in {NAMES[name]}")
        print()
        if worse:
            print("Dossier worse than a peer on:")
            for w in worse:
                print("  " + w)
        else:
            print("Dossier is at least as good as each peer on every query (P@5 and best page).")


if __name__ == "__main__":
    main()
