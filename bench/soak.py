#!/usr/bin/env python3
"""Soak test of dossierd: mixed API load while an ingest adds and removes
documents, with a SIGTERM and restart of dossierd halfway.

    bench/soak.py [--duration SECONDS] [--clients N] [--build DIR] [--server-args "OPTIONS"] SOURCE...

SOURCE: files and folders ingested first (default: samples/*.pdf). Then, for
--duration seconds (default 600):
  - N client threads (default 4) send a random mix of GET requests on
    keep-alive connections: searches, document lists and lookups, pages,
    structures, entities, recommendations, actions, follow-up, graph
    neighbours, stats, health;
  - one thread runs `dossier export` (jsonl) every 5 s against the same data
    folder (the export is a CLI command, not an endpoint);
  - one ingest thread, every 5 s, either writes new generated reports (text
    files made of the sources' words) and ingests the folder, or deletes some
    and runs `dossier ingest --prune`, so documents come and go;
  - at half time dossierd gets SIGTERM; it must exit 0, and is started again
    on the same port. The restart window runs from the SIGTERM until the new
    process answers /health, plus 1 s.
Every 10 s dossierd's RSS is sampled from /proc.

Reports: requests sent, answers by status class, 5xx (must be 0), failed
requests (no answer) outside the restart window (must be 0) and inside it,
export and ingest runs and their failures, and the RSS curve. Exits 1 when a
must-be-0 figure is not 0 (or an export, ingest or the SIGTERM exit failed).
Only the Python standard library is used.
"""
import argparse
import http.client
import json
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Server:
    """dossierd as a child process on a fixed or free port."""

    def __init__(self, binary, data, log_path, extra_args=()):
        self.binary, self.data, self.log_path = binary, data, log_path
        self.extra_args = list(extra_args)
        self.proc = None
        self.port = 0

    def start(self):
        log = open(self.log_path, "a")
        listen = "127.0.0.1:%d" % self.port
        self.proc = subprocess.Popen([self.binary, "--data", self.data, "--listen", listen, "--quiet"] + self.extra_args,
                                     stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.time() + 30
        pattern = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")
        while time.time() < deadline:
            with open(self.log_path) as f:
                found = pattern.findall(f.read())
            if found and (self.port == 0 or int(found[-1]) == self.port) and self.healthy():
                self.port = int(found[-1])
                return
            if self.proc.poll() is not None:
                raise SystemExit("soak: dossierd exited at start (see %s)" % self.log_path)
            time.sleep(0.05)
        raise SystemExit("soak: dossierd did not start within 30 s")

    def healthy(self):
        try:
            for found in re.findall(r"listening on http://127\.0\.0\.1:(\d+)", open(self.log_path).read())[-1:]:
                c = http.client.HTTPConnection("127.0.0.1", int(found), timeout=2)
                c.request("GET", "/health")
                ok = c.getresponse().status == 200
                c.close()
                return ok
        except (OSError, http.client.HTTPException):
            return False
        return False

    def rss_kib(self):
        try:
            with open("/proc/%d/status" % self.proc.pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return None


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.by_class = {}
        self.server_errors = []       # (time, path, status, body)
        self.failed_outside = []      # (time, path, error)
        self.failed_inside = 0
        self.by_kind = {}
        self.client_errors = {}       # (kind, status) -> count, for 4xx

    def answer(self, kind, path, status, body):
        with self.lock:
            self.requests += 1
            self.by_kind[kind] = self.by_kind.get(kind, 0) + 1
            cls = "%dxx" % (status // 100)
            self.by_class[cls] = self.by_class.get(cls, 0) + 1
            if 400 <= status < 500:
                self.client_errors[(kind, status)] = self.client_errors.get((kind, status), 0) + 1
            if status >= 500:
                self.server_errors.append((time.time(), path, status, body[:300]))

    def failure(self, path, error, in_window):
        with self.lock:
            self.requests += 1
            if in_window:
                self.failed_inside += 1
            else:
                self.failed_outside.append((time.time(), path, error))


class RestartWindow:
    def __init__(self):
        self.lock = threading.Lock()
        self.start = None
        self.end = None

    def covers(self, t0, t1):
        """True when a request that ran from t0 to t1 overlaps the window (open-ended while restarting)."""
        with self.lock:
            if self.start is None:
                return False
            end = self.end if self.end is not None else float("inf")
            return t1 >= self.start and t0 <= end


def pick_request(rng, ids, words, nodes):
    kind = rng.choices(["search", "documents", "document", "page", "structure", "entities", "entity",
                        "recommendations", "actions", "followup", "neighbors", "stats", "health"],
                       weights=[30, 5, 15, 10, 5, 5, 5, 8, 8, 3, 3, 2, 1])[0]
    doc = rng.choice(ids) if ids else "0000000000000000"
    if kind == "search":
        q = " ".join(rng.sample(words, k=rng.randint(1, 2)))
        return kind, "/v1/search?" + urllib.parse.urlencode({"q": q, "limit": rng.choice([5, 10, 20])})
    if kind == "documents":
        return kind, "/v1/documents?limit=50&offset=%d" % rng.choice([0, 10])
    if kind == "document":
        return kind, "/v1/documents/" + doc
    if kind == "page":
        return kind, "/v1/documents/%s/pages/1" % doc
    if kind == "structure":
        return kind, "/v1/documents/%s/structure" % doc
    if kind == "entities":
        return kind, "/v1/entities?limit=50"
    if kind == "entity":
        return kind, "/v1/entities/" + urllib.parse.quote(rng.choice(nodes) if nodes else "UNICEF", safe="")
    if kind == "recommendations":
        return kind, "/v1/recommendations?limit=50&overdue_as_of=2024-01-01"
    if kind == "actions":
        return kind, "/v1/actions?limit=50"
    if kind == "followup":
        return kind, "/v1/followup?as_of=2024-06-30"
    if kind == "neighbors":
        return kind, "/v1/graph/neighbors/" + urllib.parse.quote(rng.choice(nodes) if nodes else "O:x", safe="")
    if kind == "stats":
        return kind, "/v1/stats"
    return kind, "/health"


def client_loop(server, stats, window, stop, seed, catalog):
    rng = random.Random(seed)
    conn = None
    while not stop.is_set():
        ids, words, nodes = catalog.get()
        kind, path = pick_request(rng, ids, words, nodes)
        t0 = time.time()
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            conn.request("GET", path)
            res = conn.getresponse()
            body = res.read()
            stats.answer(kind, path, res.status, body.decode("utf-8", "replace"))
            if res.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException) as e:
            t1 = time.time()
            if conn is not None:
                conn.close()
            conn = None
            # A kept-alive connection the server closed between requests (its idle
            # timeout) is not a failed request: the client retries once at once.
            if isinstance(e, (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)) \
                    and not window.covers(t0, t1):
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
                    conn.request("GET", path)
                    res = conn.getresponse()
                    body = res.read()
                    stats.answer(kind, path, res.status, body.decode("utf-8", "replace"))
                    continue
                except (OSError, http.client.HTTPException) as e2:
                    e = e2
                    conn.close()
                    conn = None
                    t1 = time.time()
            stats.failure(path, "%s: %s" % (type(e).__name__, e), window.covers(t0, t1))
            time.sleep(0.05)


class Catalog:
    """Document ids and entity names to ask for, refreshed from the server."""

    def __init__(self, words):
        self.lock = threading.Lock()
        self.ids, self.nodes, self.words = [], [], words

    def get(self):
        with self.lock:
            return list(self.ids), self.words, list(self.nodes)

    def refresh(self, port):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request("GET", "/v1/documents?limit=1000")
            docs = json.loads(c.getresponse().read())
            c.request("GET", "/v1/entities?limit=200")
            ents = json.loads(c.getresponse().read())
            c.close()
            ids = [d["id"] for d in docs.get("documents", [])]
            nodes = [e.get("id") or e.get("name") for e in ents.get("entities", [])]
            with self.lock:
                if ids:
                    self.ids = ids
                self.nodes = [n for n in nodes if n] or self.nodes
        except (OSError, ValueError, http.client.HTTPException, AttributeError):
            pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--duration", type=float, default=600, help="seconds of load (default 600)")
    ap.add_argument("--clients", type=int, default=4, help="client threads (default 4)")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"), help="build folder (default build/)")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--server-args", default="",
                    help="more dossierd options, one string (e.g. \"--cache-mb 0\" to tell the cache from a leak)")
    ap.add_argument("sources", nargs="*")
    args = ap.parse_args()
    sources = args.sources or [os.path.join(ROOT, "samples", f) for f in sorted(os.listdir(os.path.join(ROOT, "samples")))
                               if f.endswith(".pdf")]
    dossier = os.path.join(args.build, "bin", "dossier")
    dossierd = os.path.join(args.build, "bin", "dossierd")
    for b in (dossier, dossierd):
        if not os.access(b, os.X_OK):
            sys.exit("soak: no %s (build first)" % b)

    work = tempfile.mkdtemp(prefix="dossier-soak-")
    data, inbox = os.path.join(work, "data"), os.path.join(work, "inbox")
    os.makedirs(inbox)
    base = os.path.join(inbox, "base")
    os.makedirs(base)
    for s in sources:
        dest = os.path.join(base, os.path.basename(s.rstrip("/")))
        (shutil.copytree if os.path.isdir(s) else shutil.copy)(s, dest)
    t = time.time()
    first = subprocess.run([dossier, "--data", data, "ingest", "-q", inbox], capture_output=True, text=True)
    print("soak: first ingest of %s: exit %d in %.1f s" % (", ".join(sources), first.returncode, time.time() - t))
    # Words for searches and generated reports: from the stored pages (the export's text is not needed).
    words = set()
    for d, _, fs in os.walk(base):
        for f in fs:
            if f.endswith((".txt", ".md")):
                words.update(w.lower() for w in re.findall(r"[A-Za-z]{5,12}", open(os.path.join(d, f), errors="replace").read()))
    if len(words) < 50:
        words.update("evaluation programme recommendation management response office water sanitation "
                     "decentralization monitoring district report review coordination migration health "
                     "education budget action follow-up finding conclusion committee ministry regional "
                     "country strategy capacity training partners government donors survey results "
                     "indicators planning delivery services community gender protection funding".split())
    words = sorted(words)

    log_path = os.path.join(work, "dossierd.log")
    server = Server(dossierd, data, log_path, shlex.split(args.server_args))
    server.start()
    print("soak: dossierd on port %d; %d client(s); %.0f s; work folder %s" % (server.port, args.clients, args.duration, work))
    catalog = Catalog(words)
    catalog.refresh(server.port)

    stats, window, stop = Stats(), RestartWindow(), threading.Event()
    rss = []
    side = {"exports": 0, "export_failures": [], "ingests": 0, "ingest_failures": [], "added": 0, "removed": 0}
    start = time.time()

    def exporter():
        while not stop.wait(5):
            r = subprocess.run([dossier, "--data", data, "export", "--format", "jsonl"], capture_output=True)
            side["exports"] += 1
            if r.returncode != 0:
                side["export_failures"].append(r.stderr.decode("utf-8", "replace")[:300])

    def ingester():
        rng = random.Random(args.seed + 1)
        n = 0
        gen = os.path.join(inbox, "generated")
        os.makedirs(gen, exist_ok=True)
        while not stop.wait(5):
            present = sorted(os.listdir(gen))
            if len(present) < 5 or rng.random() < 0.6:
                for _ in range(rng.randint(1, 3)):
                    n += 1
                    body = "Evaluation report %d\n\n" % n + " ".join(rng.choice(words) for _ in range(400)) + \
                           "\n\nRecommendation 1: The regional office should review the %s by 31 December 2025.\n" % rng.choice(words)
                    with open(os.path.join(gen, "report-%05d.txt" % n), "w") as f:
                        f.write(body)
                    side["added"] += 1
                cmd = [dossier, "--data", data, "ingest", "-q", inbox]
            else:
                for name in rng.sample(present, k=rng.randint(1, min(3, len(present)))):
                    os.remove(os.path.join(gen, name))
                    side["removed"] += 1
                cmd = [dossier, "--data", data, "ingest", "-q", "--prune", inbox]
            r = subprocess.run(cmd, capture_output=True, text=True)
            side["ingests"] += 1
            if r.returncode != 0:
                side["ingest_failures"].append(r.stderr[:300])
            catalog.refresh(server.port)

    threads = [threading.Thread(target=client_loop, args=(server, stats, window, stop, args.seed + 10 + i, catalog))
               for i in range(args.clients)]
    threads += [threading.Thread(target=exporter), threading.Thread(target=ingester)]
    for th in threads:
        th.start()

    restart = {"exit": None, "stop_s": None, "window_s": None}
    restarted = False
    next_sample = start
    while time.time() - start < args.duration:
        now = time.time()
        if now >= next_sample:
            rss.append((round(now - start), server.rss_kib()))
            next_sample += 10
        if not restarted and now - start >= args.duration / 2:
            restarted = True
            with window.lock:
                window.start = time.time()
            server.proc.send_signal(signal.SIGTERM)
            try:
                restart["exit"] = server.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.proc.kill()
                restart["exit"] = "did not stop within 30 s"
            restart["stop_s"] = round(time.time() - window.start, 3)
            server.start()
            with window.lock:
                window.end = time.time() + 1.0
            restart["window_s"] = round(window.end - window.start, 3)
            rss.append((round(time.time() - start), server.rss_kib()))
        time.sleep(0.1)
    rss.append((round(time.time() - start), server.rss_kib()))
    stop.set()
    for th in threads:
        th.join()
    server.proc.send_signal(signal.SIGTERM)
    final_exit = server.proc.wait(timeout=30)
    errors_logged = [l for l in open(log_path, errors="replace") if "error" in l.lower()]

    elapsed = time.time() - start
    print("soak: %.0f s; %d requests (%.0f/s): %s" % (elapsed, stats.requests, stats.requests / elapsed,
                                                     ", ".join("%s %d" % kv for kv in sorted(stats.by_class.items()))))
    print("soak: by kind: " + ", ".join("%s %d" % kv for kv in sorted(stats.by_kind.items())))
    if stats.client_errors:
        print("soak: 4xx by kind: " + ", ".join("%s %d: %d" % (k, st, n) for (k, st), n in sorted(stats.client_errors.items())))
    print("soak: 5xx answers: %d" % len(stats.server_errors))
    for e in stats.server_errors[:5]:
        print("  %.1f s %s %d %s" % (e[0] - start, e[1], e[2], e[3]))
    print("soak: failed requests outside the restart window: %d; inside it: %d" % (len(stats.failed_outside), stats.failed_inside))
    for e in stats.failed_outside[:5]:
        print("  %.1f s %s %s" % (e[0] - start, e[1], e[2]))
    print("soak: restart: SIGTERM exit %s after %s s; window (SIGTERM to answering again + 1 s) %s s" %
          (restart["exit"], restart["stop_s"], restart["window_s"]))
    print("soak: ingest runs %d (%d failed), %d reports added, %d removed; exports %d (%d failed)" %
          (side["ingests"], len(side["ingest_failures"]), side["added"], side["removed"], side["exports"],
           len(side["export_failures"])))
    for f in (side["ingest_failures"] + side["export_failures"])[:3]:
        print("  " + f.strip().replace("\n", " | "))
    print("soak: dossierd error lines in its log: %d" % len(errors_logged))
    for l in errors_logged[:3]:
        print("  " + l.strip())
    print("soak: RSS of dossierd (MiB), every 10 s:")
    print("  " + " ".join("%ds:%.1f" % (t, (k or 0) / 1024) for t, k in rss))
    valid = [k for _, k in rss if k]
    if valid:
        print("soak: RSS start %.1f MiB, end %.1f MiB, max %.1f MiB" % (valid[0] / 1024, valid[-1] / 1024, max(valid) / 1024))
    print("soak: final SIGTERM exit %s" % final_exit)
    ok = (not stats.server_errors and not stats.failed_outside and restart["exit"] == 0 and final_exit == 0
          and not side["ingest_failures"] and not side["export_failures"])
    shutil.rmtree(work, ignore_errors=True)
    print("soak: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
