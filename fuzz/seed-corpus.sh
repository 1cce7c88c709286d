#!/usr/bin/env bash
# Seeds the cargo-fuzz corpora from the repository's own fixtures:
#
#   fuzz/seed-corpus.sh [TARGET...]     (default: html js ruleset suppress)
#
#   html      HTML pages and HTML-like templates under testdata/
#             (fuzz regressions included)
#   js        JavaScript and TypeScript files under testdata/
#   ruleset   rulesets/*.toml and the TOML files under testdata/
#             (tracklint.toml configs, vendor cases)
#   suppress  everything html and js get: where inline suppressions live
#
# Each seed is copied to fuzz/corpus/<target>/<sha1 of its content>, the
# names libFuzzer gives corpus entries, so re-running adds nothing twice
# and never touches the inputs a fuzzing run has added. The corpora are
# not committed (.gitignore); inputs that found a bug are kept in
# testdata/fuzz-regressions/ instead.
set -euo pipefail
cd "$(dirname "$0")/.."

html_ext=(html htm xhtml shtml liquid njk nunjucks hbs handlebars mustache erb
  ejs twig jinja jinja2 j2 php vue svelte astro gohtml tmpl gotmpl)
js_ext=(js mjs cjs jsx ts mts cts tsx)

# Files under testdata/ whose extension is one of the arguments, sorted.
fixtures() {
  local args=() ext
  for ext in "$@"; do
    args+=(-o -name "*.$ext")
  done
  find testdata -name node_modules -prune -o -type f \( "${args[@]:1}" \) -print | LC_ALL=C sort
}

seeds() {
  case $1 in
    html) fixtures "${html_ext[@]}" ;;
    js) fixtures "${js_ext[@]}" ;;
    ruleset) { printf '%s\n' rulesets/*.toml; fixtures toml; } ;;
    suppress) fixtures "${html_ext[@]}" "${js_ext[@]}" ;;
    *)
      echo "unknown target: $1 (html, js, ruleset or suppress)" >&2
      return 2
      ;;
  esac
}

targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(html js ruleset suppress)

for target in "${targets[@]}"; do
  list=$(seeds "$target")
  dir=fuzz/corpus/$target
  mkdir -p "$dir"
  added=0 total=0
  while IFS= read -r file; do
    [ -n "$file" ] || continue
    total=$((total + 1))
    sum=$(sha1sum < "$file")
    sum=${sum%% *}
    if [ ! -e "$dir/$sum" ]; then
      cp "$file" "$dir/$sum"
      added=$((added + 1))
    fi
  done <<< "$list"
  echo "$target: $total seed files, $added new in $dir ($(find "$dir" -type f | wc -l) inputs)"
done
