#!/usr/bin/env bash
# Installs the Debian 12 packages Dossier needs to build and run; with --test,
# also what its test suite needs; with --bench, also the search engines
# bench/search_quality.sh compares Dossier with (bench tooling only: nothing
# links them). Run as root. Every package is justified in README.md.
set -euo pipefail

build_and_run=(
  build-essential cmake pkg-config
  libpoppler-cpp-dev      # pdf plugin: metadata, checks, rendering scanned pages
  libxapian-dev           # full-text index
  librocksdb-dev          # document store and graph
  nlohmann-json3-dev      # JSON output, manifests, document records
  libcli11-dev            # command-line parsing
  libmagic-dev            # file type detection by content
  libicu-dev              # Unicode normalisation, charset conversion
  libexttextcat-dev       # language detection (models in libexttextcat-data)
  libssl-dev              # SHA-256 content hashes (libcrypto)
  libre2-dev              # entities extractor: date patterns
  libpoppler-private-dev  # pdf plugin: Poppler's core API, page text and word boxes in one layout pass, where scanned images are
  libtesseract-dev        # ocr plugin: Tesseract's C++ API
  libleptonica-dev        # ocr plugin: page clean-up (rescale, orientation, deskew, background)
  libarchive-dev          # ingest: .zip, .tar, .tar.gz members read in place
  tesseract-ocr-eng tesseract-ocr-spa tesseract-ocr-fra  # OCR language models (default eng+spa)
  libcpp-httplib-dev      # dossierd: HTTP/1.1 server (thread pool, timeouts, size limits); Debian's packaged cpp-httplib
)
tests=(
  libgtest-dev libgmock-dev  # GoogleTest under ctest
  python3                    # scripts/make_pdf.py makes the test PDFs
  node-ajv                   # checks JSON output against schemas/
  clang libclang-rt-14-dev   # the fuzz stage (scripts/fuzz.sh --ci): clang 14, its libFuzzer and sanitizer runtimes
  chromium                   # the web page's browser test (tests/ui/ui_test.js), headless
  xapian-tools               # RemoteIndexTest: xapian-tcpsrv serves the shard indexes dossierd --remote-index searches
  parallel                   # ClusterRecipesTest: the GNU parallel recipe of docs/SCALING.md, as a dry run
)

bench=(
  recollcmd                  # bench/search_quality.sh: Recoll's recollindex and recollq, the peer it measures against
  xapian-omega xapian-tools  # bench/search_quality.sh: Omega's omindex, and quest to query what it indexed
  poppler-utils python3      # pdftotext, which both peers run on PDFs; recoll's filters and the bench's scorer
)

packages=("${build_and_run[@]}")
for option in "$@"; do
  case "$option" in
    --test) packages+=("${tests[@]}") ;;
    --bench) packages+=("${bench[@]}") ;;
    *) echo "install-deps.sh: unknown option $option (use --test, --bench)" >&2; exit 2 ;;
  esac
done

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps.sh: run as root (apt-get install needs it)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
echo "install-deps.sh: installed ${#packages[@]} packages"
for option in "$@"; do
  if [[ $option == --test ]]; then
    # Test tooling from npm, at the versions pinned in tests/ui/package-lock.json
    # (puppeteer-core: drives chromium over the DevTools protocol; downloads no browser).
    # Debian's npm unless a Node.js with its own npm is installed (NodeSource's
    # nodejs package holds npm, and conflicts with Debian's).
    if ! command -v npm >/dev/null; then apt-get install -y -qq --no-install-recommends npm >/dev/null; fi
    npm ci --prefix "$(dirname "$0")/../tests/ui" --no-audit --no-fund --loglevel=error
    echo "install-deps.sh: installed the browser test's npm tooling in tests/ui/node_modules"
  fi
done
