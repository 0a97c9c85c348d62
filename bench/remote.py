#!/usr/bin/env python3
"""Times the same search requests on two dossierd, one request to each in
turn (so both meet the same load on a shared machine), and checks that they
answer the same total and the same set of hits, and how many hits both list
have another best page (a remote index counts a hit's own language's stems
only: docs/LIMITS.md).

Usage: remote.py LOCAL_URL REMOTE_URL QUERIES_FILE N
QUERIES_FILE: one request path a line ("/v1/search?q=...", as gen_corpus.py writes).
"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse


def main(local_url, remote_url, queries_file, n):
    paths = []
    for line in open(queries_file, encoding="utf-8"):
        line = line.strip()
        if line.startswith("/v1/search"):  # percent-encoded again: the file holds them as typed
            parsed = urllib.parse.urlparse(line)
            paths.append(parsed.path + "?" + urllib.parse.urlencode(urllib.parse.parse_qsl(parsed.query)))
    if not paths:
        sys.exit(f"{queries_file}: no /v1/search requests")
    conns = {}
    for name, url in (("local", local_url), ("remote", remote_url)):
        parsed = urllib.parse.urlparse(url)
        conns[name] = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
    times = {"local": [], "remote": []}
    differing = []
    pages_same = pages_other = 0
    for i in range(n):
        path = paths[i % len(paths)]
        answers = {}
        for name in ("local", "remote") if i % 2 == 0 else ("remote", "local"):
            start = time.perf_counter()
            conns[name].request("GET", path)
            response = conns[name].getresponse()
            body = response.read()
            times[name].append((time.perf_counter() - start) * 1000)
            if response.status != 200:
                sys.exit(f"{name} {path}: HTTP {response.status}: {body[:300]!r}")
            answers[name] = json.loads(body)
        # Ties at the page's end may be other documents of the same weight:
        # the totals and the weights in rank order must agree.
        a, b = answers["local"], answers["remote"]
        local_pages = {h["id"]: h["page"] for h in a["hits"]}
        for h in b["hits"]:
            if h["id"] in local_pages:
                if local_pages[h["id"]] == h["page"]:
                    pages_same += 1
                else:
                    pages_other += 1
        if (a["total"], [h["percent"] for h in a["hits"]]) != (b["total"], [h["percent"] for h in b["hits"]]):
            differing.append(path)
    pick = lambda ts, p: sorted(ts)[min(len(ts) - 1, max(0, int(round(p / 100 * len(ts))) - 1))]
    for name in ("local", "remote"):
        ts = times[name]
        print(f"{name:6}: {n} searches, p50 {pick(ts, 50):.2f} ms, p90 {pick(ts, 90):.2f} ms, "
              f"p99 {pick(ts, 99):.2f} ms, mean {statistics.mean(ts):.2f} ms")
    ratio = pick(times["remote"], 50) / pick(times["local"], 50)
    print(f"remote p50 / local p50: {ratio:.2f} (target <= 2)")
    wildcard = sum(1 for p in differing if "%2A" in p or "*" in p)
    print(f"answers with another total or other weights: {len(differing)} of {n}"
          f" ({wildcard} of them wildcard queries, whose expansion each shard weighs on its own)")
    for path in differing[:5]:
        print(f"  e.g. {path}")
    print(f"hits both list: {pages_same + pages_other}, with another best page: {pages_other}")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
