#!/bin/bash
# Prints the command each pod of an indexed Job manifest
# (k8s-ingest-job.yaml) would run: its `command` and `args` with
# $(JOB_COMPLETION_INDEX) replaced by 0 .. completions-1, as Kubernetes does.
# Needs python3 (no YAML library: the manifest keeps command and args on
# one line each, as JSON arrays).
set -euo pipefail
manifest="${1:?usage: k8s-dry-run.sh MANIFEST}"
python3 - "$manifest" <<'PY'
import json, re, shlex, sys
text = open(sys.argv[1]).read()
def field(name):
    m = re.search(r'^\s*' + name + r':\s*(.+)$', text, re.M)
    if not m: sys.exit(f"{sys.argv[1]}: no {name}:")
    return m.group(1).strip()
if field('completionMode') != 'Indexed': sys.exit(f"{sys.argv[1]}: completionMode is not Indexed")
completions = int(field('completions'))
argv = json.loads(field('command')) + json.loads(field('args'))
for k in range(completions):
    print(' '.join(shlex.quote(a.replace('$(JOB_COMPLETION_INDEX)', str(k))) for a in argv))
PY
