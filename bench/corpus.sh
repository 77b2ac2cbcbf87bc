#!/usr/bin/env bash
# Prepares the synthetic trilingual corpus of ../shared/bench for karvan, with the portal's theme,
# UI strings, services and agencies, and site.toml (menus removed: they link portal pages the
# corpus does not have). Prints the corpus folder.
#
#   bench/corpus.sh [PAGES_PER_LANGUAGE]      (default 1000)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
pages="${1:-1000}"
work="${KARVAN_BENCH_DIR:-/tmp/karvan-bench}/$pages"
shared="${KARVAN_BENCH_GEN:-$repo/../shared/bench}"
site="$work/karvan"

if [ ! -d "$site/content" ]; then
  rm -rf "$work"
  python3 "$shared/gen_corpus.py" --pages "$pages" --out "$work" --layouts karvan,hugo --services 0 >/dev/null
fi
# The theme, strings and services are the portal's, refreshed on every run.
rm -rf "$site/themes" "$site/i18n" "$site/content/services" "$site/content/agencies"
cp -r "$repo/themes" "$site/"
if [ -d "$repo/i18n" ]; then cp -r "$repo/i18n" "$site/"; fi
python3 - "$repo/site.toml" "$site/site.toml" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
text = re.sub(r"^(menu|footer) = \[\n.*?^\]\n", "", text, flags=re.S | re.M)
text = re.sub(r"^(menu|footer) = \[.*\]\n", "", text, flags=re.M)
open(sys.argv[2], "w", encoding="utf-8").write(text)
PY
python3 "$shared/add_services.py" --portal "$repo" --corpus "$site" --count 60 >/dev/null
echo "$site"
