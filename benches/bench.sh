#!/usr/bin/env bash
# tracklint benchmark: one run measures tracklint against a plain `rg` over
# the same generated site, plus memory, scaling and pre-commit latency.
#
#   benches/bench.sh [WORKDIR]        (default: /tmp/tracklint-bench)
#
# Needs ripgrep, hyperfine and GNU time (installed with apt-get when
# missing and run as root). Sites are generated once per WORKDIR (seeded,
# reproducible) and reused. Results are printed and written to
# WORKDIR/results.md; copy them into BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/tracklint-bench}

. benches/setup.sh "$work" rg=ripgrep hyperfine=hyperfine /usr/bin/time=time
[ -f "$work/huge/huge.html" ] || python3 benches/gen_site.py "$work/huge" --pages 0 --bundles 0 --big-bundle-mb 0 --big-html-mb 500
[ -f "$work/bundle/assets/vendor.min.js" ] || python3 benches/gen_site.py "$work/bundle" --pages 0 --bundles 0 --big-bundle-mb 200
"$bin" rules --hosts > "$work/hosts.txt"
hosts=$(wc -l < "$work/hosts.txt")
bytes=$(du -sb "$site" | cut -f1)
files=$(find "$site" -type f | wc -l)
# 2x and 4x the site as hard-linked copies: twice and four times the bytes
# to read, no extra disk.
for k in 2 4; do
  if [ ! -d "$work/site${k}x" ]; then
    mkdir -p "$work/site${k}x"
    for i in $(seq 1 "$k"); do cp -al "$site" "$work/site${k}x/copy$i"; done
  fi
done
# Warm the page cache.
cat "$work"/site/*/*/index.html > /dev/null 2>&1 || true
rg -c -F -f "$work/hosts.txt" "$site" > /dev/null || true

out=$work/results.md
{
  echo "## $(date -u +%Y-%m-%d) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo
  echo "Site: $files files, $((bytes / 1000000)) MB; $hosts hosts in hosts.txt (\`tracklint rules --hosts\`)."
  echo
} > "$out"

echo "--- throughput"
hyperfine -N -w 1 -r 10 -i --export-json "$work/throughput.json" \
  "rg -c -F -f $work/hosts.txt $site" \
  "$bin check $site --format json" > "$work/hyperfine.txt" 2>&1 || true
cat "$work/hyperfine.txt"
python3 - "$work/throughput.json" "$bytes" >> "$out" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["results"]
size = int(sys.argv[2])
rg, tl = runs[0], runs[1]
print("| command | mean wall | ± | MB/s | user+sys CPU / wall |")
print("|---|---|---|---|---|")
for r, name in ((rg, "rg -c -F -f hosts.txt"), (tl, "tracklint check --format json")):
    print(f"| `{name}` | {r['mean']:.3f} s | {r['stddev']:.3f} | {size / r['mean'] / 1e6:.0f} | {(r['user'] + r['system']) / r['mean']:.2f} |")
print()
print(f"Ratio tracklint / rg: **{tl['mean'] / rg['mean']:.2f}×** (target ≤ 2×).")
print()
PY

rss() { # peak RSS in MiB and wall seconds of a command
  /usr/bin/time -f "%M %e" -o "$work/time.txt" "$@" > /dev/null 2>&1 || true
  # GNU time prefixes "Command exited with non-zero status 1" (findings).
  read -r kb secs < <(tail -n 1 "$work/time.txt")
  echo "$((kb / 1024)) $secs"
}
echo "--- memory"
{
  echo "| input | peak RSS | wall |"
  echo "|---|---|---|"
  read -r m s <<< "$(rss "$bin" check "$site" --format json)"
  echo "| site ($((bytes / 1000000)) MB) | $m MiB | $s s |"
  read -r m s <<< "$(rss "$bin" check "$work/huge/huge.html" --format json)"
  echo "| one 500 MB HTML file | $m MiB | $s s |"
  read -r m s <<< "$(rss "$bin" check "$work/bundle/assets/vendor.min.js" --format json)"
  echo "| one 200 MB single-line JS file | $m MiB | $s s |"
  echo
  echo "Target: ≤ 100 MiB each."
  echo
} | tee -a "$out"

echo "--- scaling"
hyperfine -N -w 1 -r 5 -i --export-json "$work/scaling.json" \
  "$bin check $site --format json" \
  "$bin check $work/site2x --format json" \
  "$bin check $work/site4x --format json" > /dev/null 2>&1 || true
python3 - "$work/scaling.json" >> "$out" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["results"]
base = runs[0]["mean"]
print("| size | mean wall | vs linear | CPU / wall |")
print("|---|---|---|---|")
for k, r in zip((1, 2, 4), runs):
    print(f"| {k}× | {r['mean']:.3f} s | {r['mean'] / (k * base):.2f} | {(r['user'] + r['system']) / r['mean']:.2f} |")
print()
print("Target: within 10% of linear (0.90–1.10), CPU ≥ 1.8× wall.")
print()
PY
tail -8 "$out"

echo "--- pre-commit latency"
hook=$work/hookrepo
if [ ! -d "$hook/.git" ]; then
  mkdir -p "$hook"
  cp -al "$site" "$hook/site"
  git -C "$hook" init -q
  git -C "$hook" add -A
  git -C "$hook" -c user.name=b -c user.email=b@example.invalid commit -q -m site
fi
git -C "$hook" reset -q --hard
for i in 0 1 2 3 4; do
  pages=("$hook"/site/section0$i/*/index.html)
  f=${pages[0]}
  cp --remove-destination "$f" "$f.tmp" && mv "$f.tmp" "$f"   # break the hard link
  echo "<p>edit $i</p>" >> "$f"
  git -C "$hook" add "$f"
done
(cd "$hook" && hyperfine -N -w 3 -r 30 -i --export-json "$work/hook.json" "$bin check --staged --format json" > /dev/null 2>&1) || true
python3 - "$work/hook.json" >> "$out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"`tracklint check --staged` with 5 staged pages in a repository holding the site: "
      f"**{r['mean'] * 1000:.0f} ms** ± {r['stddev'] * 1000:.0f} (min {r['min'] * 1000:.0f}, max {r['max'] * 1000:.0f}); target < 100 ms.")
print()
PY
tail -2 "$out"
git -C "$hook" reset -q --hard
echo "results: $out"
