#!/usr/bin/env bash
# Bulk-ingest benchmark corpus: real PDFs nobody here wrote. Downloads the
# Debian documentation packages below (apt-get download, ~460 MB of .debs),
# unpacks them with dpkg-deb -x and copies every PDF out into DEST/all (flat,
# numbered names so that equal base names from different packages don't
# collide). DEST/timed gets every second PDF (sorted by original path) as
# hard links: that is the set bench/bulk.sh times.
# Usage: bench/corpus.sh [DEST]   (default: build/bench-corpus)
# Needs: apt-get with working package lists (run `apt-get update` first),
# dpkg-deb. Nothing is installed; the .debs stay in DEST/debs for reruns.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="${1:-$root/build/bench-corpus}"
packages=(texlive-latex-base-doc texlive-latex-recommended-doc texlive-science-doc
          texlive-pictures-doc r-doc-pdf)
mkdir -p "$dest/debs" "$dest/unpacked"
dest="$(cd "$dest" && pwd)"
cd "$dest/debs"
for p in "${packages[@]}"; do
  if ! ls "${p}"_*.deb >/dev/null 2>&1; then
    echo "corpus.sh: downloading $p" >&2
    apt-get download -q "$p"
  fi
done
for deb in "$dest"/debs/*.deb; do
  stamp="$dest/unpacked/.$(basename "$deb").done"
  [[ -e "$stamp" ]] && continue
  dpkg-deb -x "$deb" "$dest/unpacked"
  touch "$stamp"
done
rm -rf "$dest/all" "$dest/timed"
mkdir -p "$dest/all" "$dest/timed"
i=0
while IFS= read -r -d '' f; do
  i=$((i + 1))
  name="$(printf '%04d' "$i")-$(basename "$f")"
  cp "$f" "$dest/all/$name"
  if (( i % 2 == 1 )); then ln "$dest/all/$name" "$dest/timed/$name"; fi
done < <(find "$dest/unpacked" -type f -name '*.pdf' -print0 | sort -z)
echo "corpus.sh: $(ls "$dest/all" | wc -l) PDFs in $dest/all ($(du -sh "$dest/all" | cut -f1)), $(ls "$dest/timed" | wc -l) in $dest/timed ($(du -sh "$dest/timed" | cut -f1))"
