#!/usr/bin/env bash
# Edit latency on the synthetic corpus: a page's body, a page's title, a UI string, each through
# the incremental engine as `serve` runs it, and a no-change `karvan build` (benches/edits.rs).
#
#   bench/edits.sh [PAGES_PER_LANGUAGE]      (default 1000; 5000 is the large case)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
site="$("$repo/bench/corpus.sh" "${1:-1000}")"
cd "$repo" && cargo bench --bench edits -- "$site"
