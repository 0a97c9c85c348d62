#!/usr/bin/env python3
"""Invariant check: every JSON Dossier emits on a corpus is valid UTF-8 and
validates against its schema in schemas/.

Ingests the given folders into a fresh data folder, then runs every command
that prints JSON (the ingest report, export records, documents, show,
show --structure, entities, entity, recommendations, actions, followup,
duplicates, stats, plugins, check, graph neighbors, searches in English,
French and Spanish) and the dossierd endpoints that have no CLI twin
(/v1/documents/{id}, /v1/documents/{id}/pages/{n}), and checks each output:
strict UTF-8 decoding, JSON parsing, and the schema (tests/schema/validate.js,
node-ajv). The JSON-LD graph export has no schema: it is checked for UTF-8 and
JSON only. Prints a line per schema and exits 1 when anything fails.

Usage: bench/json_check.py [--build DIR] [--ingest-option OPT]... FOLDER_OR_FILE...
(bench/json_check.sh runs it on ../shared/corpus and the real set.)
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUERIES = ["evaluation", "recommendations", "\"management response\"", "entrepreneuriat", "évaluation",
           "evaluacion", "recomendación", "gender OR genre OR género", "water*", "org:UNICEF", "year:2020..2024"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--ingest-option", action="append", default=[], help="passed to dossier ingest (e.g. --no-ocr)")
    parser.add_argument("inputs", nargs="+")
    args = parser.parse_args()
    dossier = os.path.join(args.build, "bin", "dossier")
    dossierd = os.path.join(args.build, "bin", "dossierd")
    work = tempfile.mkdtemp(prefix="dossier-json-check-")
    data = os.path.join(work, "data")
    outputs = defaultdict(list)  # schema -> files
    unschematised = []           # files checked for UTF-8 and JSON only
    counter = [0]

    def save(schema, payload):
        counter[0] += 1
        path = os.path.join(work, f"{counter[0]:05d}.json")
        with open(path, "wb") as f:
            f.write(payload)
        (outputs[schema] if schema else unschematised).append(path)
        return payload

    def run(schema, *argv, ok=(0,)):
        r = subprocess.run([dossier, "--data", data, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode not in ok:
            sys.exit(f"dossier {' '.join(argv)}: exit {r.returncode}: {r.stderr.decode(errors='replace')[-500:]}")
        return save(schema, r.stdout)

    start = time.time()
    report = os.path.join(work, "ingest-report.json")
    r = subprocess.run([dossier, "--data", data, "ingest", "-q", "--report", report, *args.ingest_option, *args.inputs],
                       stderr=subprocess.PIPE)
    if r.returncode not in (0, 1):
        sys.exit(f"ingest failed (exit {r.returncode}): {r.stderr.decode(errors='replace')[-500:]}")
    with open(report, "rb") as f:
        save("ingest-report.schema.json", f.read())
    print(f"ingested in {time.time() - start:.0f} s")

    export = subprocess.run([dossier, "--data", data, "export", "--format", "jsonl"], stdout=subprocess.PIPE, check=True)
    for line in export.stdout.splitlines():
        if line.strip():
            save("export-record.schema.json", line)
    run(None, "export", "--format", "jsonld")
    documents = json.loads(run("documents.schema.json", "documents", "--json", "--limit", "1000"))
    for doc in documents["documents"]:
        run("document.schema.json", "show", "--json", "--text", doc["id"])
        run("structure.schema.json", "show", "--structure", "--json", doc["id"], ok=(0, 1))
        run("neighbors.schema.json", "graph", "neighbors", "--json", "D:" + doc["id"])
    entities = json.loads(run("entities.schema.json", "entities", "--json", "--limit", "1000"))
    for entity in entities["entities"][:40]:
        run("entity.schema.json", "entity", "--json", entity["id"])
    run("recommendations.schema.json", "recommendations", "--json")
    run("actions.schema.json", "actions", "--json")
    run("followup.schema.json", "followup", "--json")
    run("duplicates.schema.json", "duplicates", "--json")
    run("stats.schema.json", "stats", "--json")
    run("plugins.schema.json", "plugins", "--json")
    run("check.schema.json", "check", "--json", ok=(0, 3))
    for query in QUERIES:
        run("search-response.schema.json", "search", "--json", "--limit", "20", query)

    # The endpoints without a CLI twin, from a dossierd on a free port.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([dossierd, "--data", data, "--listen", f"127.0.0.1:{port}", "-q"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/ready", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        for doc in documents["documents"]:
            save("document-detail.schema.json", urllib.request.urlopen(f"{base}/v1/documents/{doc['id']}").read())
            for n in range(1, min(doc["page_count"], 3) + 1):
                save("page.schema.json", urllib.request.urlopen(f"{base}/v1/documents/{doc['id']}/pages/{n}").read())
    finally:
        server.terminate()
        server.wait()

    failed = 0
    for path in unschematised + [p for files in outputs.values() for p in files]:
        with open(path, "rb") as f:
            payload = f.read()
        try:
            json.loads(payload.decode("utf-8", errors="strict"))
        except (UnicodeDecodeError, ValueError) as e:
            print(f"NOT UTF-8 JSON: {path}: {e}")
            failed += 1
    validator = os.path.join(ROOT, "tests", "schema", "validate.js")
    for schema, files in sorted(outputs.items()):
        bad = 0
        for i in range(0, len(files), 200):
            r = subprocess.run(["node", validator, os.path.join(ROOT, "schemas"), schema, *files[i:i + 200]],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            bad += sum(1 for line in r.stdout.splitlines() + r.stderr.splitlines() if line.startswith("INVALID"))
            if r.returncode not in (0, 1):
                print(r.stderr[-500:])
                bad += 1
        print(f"{schema:30s} {len(files):5d} outputs, {bad} invalid")
        failed += bad
    print(f"{'(JSON only) graph JSON-LD':30s} {len(unschematised):5d} outputs")
    print(f"checked {sum(len(f) for f in outputs.values()) + len(unschematised)} outputs: "
          f"{'all valid UTF-8 JSON matching their schemas' if failed == 0 else str(failed) + ' FAILED'}")
    if failed == 0:
        shutil.rmtree(work)
    else:
        print(f"outputs kept in {work}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
