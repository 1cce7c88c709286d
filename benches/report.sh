#!/usr/bin/env bash
# The audit report at scale: how long `tracklint report --html` takes on the
# generated 10,000-page site (against `check --format json` on the same
# tree), how big the page is, and how long headless Chromium takes to load
# it and run its script (`--dump-dom`), plain and with a search (`?q=`).
#
#   benches/report.sh [WORKDIR]        (default: /tmp/tracklint-bench)
#
# Reuses WORKDIR/site from benches/bench.sh (generates it if missing).
# Needs hyperfine, GNU time and chromium (installed with apt-get when
# missing and run as root). Results go to stdout and WORKDIR/report.md.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/tracklint-bench}

. benches/setup.sh "$work" hyperfine=hyperfine chromium=chromium /usr/bin/time=time
page=$work/report.html
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
browser=(chromium --headless --no-sandbox --disable-gpu --disable-background-networking
  --disable-component-update --disable-sync --no-first-run --no-default-browser-check
  --disable-extensions "--user-data-dir=$profile" --dump-dom)

echo "--- report generation (exit 1 expected: the site has trackers)"
hyperfine -N -w 1 -r 5 -i \
  "$bin check $site --format json" \
  "$bin report $site --html $page" | tee "$work/report-hyperfine.txt"
/usr/bin/time -f "%e s, %M KiB peak RSS" "$bin" report "$site" --html "$page" 2> "$work/report-time.txt" || true
cat "$work/report-time.txt"

echo "--- the page"
bytes=$(stat -c %s "$page")
cards=$(grep -c '<article ' "$page")
sections=$(grep -c '<details class="group"' "$page")
locations=$(grep -o '<li><code>' "$page" | wc -l)
echo "$bytes bytes; $cards finding cards; $sections sections; $locations listed locations"

echo "--- chromium --dump-dom (load, parse, run the script)"
"${browser[@]}" "file://$page" > "$work/report-dom.html" 2>/dev/null
grep -q '<body data-ready="1">' "$work/report-dom.html" || { echo "the report's script did not run" >&2; exit 1; }
hyperfine -N -w 1 -r 5 \
  "${browser[*]} file://$page" \
  "${browser[*]} file://$page?q=section04" | tee "$work/report-chromium.txt"
/usr/bin/time -f "%e s, %M KiB peak RSS (browser process)" "${browser[@]}" "file://$page" 2>&1 >/dev/null | tail -1

{
  echo "## $(date -u +%Y-%m-%d) on $(nproc) cores"
  echo
  echo "Report: $bytes bytes, $cards cards, $sections sections, $locations listed locations."
  echo
  echo '```'
  cat "$work/report-hyperfine.txt" "$work/report-time.txt" "$work/report-chromium.txt"
  echo '```'
} > "$work/report.md"
echo "results in $work/report.md"
