#!/usr/bin/env python3
"""Figures for bench/items.sh (item search). Subcommands:

  relevance DOSSIER DATA TSV [--verbose]
      Each judged query of TSV through `dossier recommendations QUERY --json
      --limit 5`; prints each query's top 5 beside the judgement (+ relevant,
      - not) and P@5 = judged recommendations found in the top 5 / min(5, judged).
  similar DOSSIER DATA [MAX_RECOMMENDATIONS]
      For each recommendation with recurs links, `dossier recommendations
      --similar ID --json --limit 3`: are its top min(3, links) recurs-linked
      ones? (A recommendation with more than 3 links has only 3 of them there.)
  latency URL QUERIES N
      N item queries (GET /v1/recommendations?q=…&limit=10, the q of each
      request of the file in turn, as gen_corpus.py writes them), one client, one at a time over one kept-alive
      connection; prints p50, p90, p99 and the mean in ms.
"""
import http.client
import json
import statistics
import subprocess
import sys
import time
import urllib.parse


def run_json(args):
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def relevance(dossier, data, tsv, verbose):
    scores = []
    for line in open(tsv, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        qid, query, judged = line.rstrip("\n").split("\t")
        fragments = [f.strip().lower() for f in judged.split(" | ")]
        result = run_json([dossier, "--data", data, "recommendations", *query.split(), "--json", "--limit", "5"])
        top = result["recommendations"][:5]
        relevant = 0
        lines = []
        for r in top:
            text = r["text"].lower()
            hit = any(f in text for f in fragments)
            relevant += hit
            source = r.get("source", "").rsplit("/", 1)[-1][:34]
            lines.append(f"    {'+' if hit else '-'} {r['rank']}. {source} #{r['number']}: {r['text'][:90]!r}")
        # Judged recommendations found in the top 5 (one stated in two documents counts once).
        found_fragments = sum(any(f in r["text"].lower() for r in top) for f in fragments)
        p5 = min(found_fragments, 5) / min(5, len(fragments))
        scores.append(p5)
        print(f"{qid:4} P@5 {p5:.2f}  {query!r}  ({len(fragments)} judged relevant, {result['total']} matched)")
        for fragment in fragments:
            found = any(fragment in r["text"].lower() for r in top)
            print(f"    judged: {'found ' if found else 'MISSED'} {fragment!r}")
        if verbose or p5 < 1:
            print("\n".join(lines))
    print(f"mean P@5 over {len(scores)} queries: {statistics.mean(scores):.3f} (target >= 0.8)")


def similar(dossier, data, max_recommendations):
    recurring = run_json([dossier, "--data", data, "recommendations", "--recurring", "--json"])
    recs = recurring["recommendations"]
    checked = good = links_total = links_top3 = 0
    for rec in recs[:max_recommendations]:
        linked = {link["id"] for link in rec["recurs"]}
        result = run_json([dossier, "--data", data, "recommendations", "--similar", rec["id"], "--json", "--limit", "3"])
        ids = [r["id"] for r in result["recommendations"]]
        want = min(3, len(linked))
        ok = sum(i in linked for i in ids[:want]) == want
        checked += 1
        good += ok
        links_total += len(linked)
        links_top3 += sum(i in linked for i in ids)
        if len(recs) <= 20 or not ok:
            print(f"  {rec['id']}: {len(linked)} recurs link(s); top 3 of --similar: "
                  + ", ".join(f"{i}{' (linked)' if i in linked else ''}" for i in ids))
    print(f"recommendations whose top min(3, links) of --similar are their recurs links: {good} of {checked}"
          f"{'' if checked == len(recs) else f' (the first {checked} of {len(recs)})'} (target: all); "
          f"links in the top 3: {links_top3} of {links_total}")


def latency(url, queries_file, n):
    parsed = urllib.parse.urlparse(url)
    # gen_corpus.py writes search requests ("/v1/search?q=...&year_from=..."): their q.
    queries = []
    for line in open(queries_file, encoding="utf-8"):
        line = line.strip()
        if line.startswith("/"):
            line = urllib.parse.parse_qs(urllib.parse.urlparse(line).query).get("q", [""])[0]
        if line:
            queries.append(line)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    times = []
    for i in range(n):
        q = queries[i % len(queries)]
        path = "/v1/recommendations?limit=10&q=" + urllib.parse.quote(q)
        start = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        times.append((time.perf_counter() - start) * 1000)
        if response.status != 200:
            sys.exit(f"{path}: HTTP {response.status}: {body[:200]!r}")
    times.sort()
    pick = lambda p: times[min(len(times) - 1, int(round(p / 100 * len(times))) - 1)]
    print(f"item queries: {n}, one client: p50 {pick(50):.2f} ms, p90 {pick(90):.2f} ms, p99 {pick(99):.2f} ms, "
          f"mean {statistics.mean(times):.2f} ms (target p99 < 10 ms)")


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "relevance":
        relevance(sys.argv[2], sys.argv[3], sys.argv[4], "--verbose" in sys.argv)
    elif command == "similar":
        similar(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 10**9)
    elif command == "latency":
        latency(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(__doc__)
