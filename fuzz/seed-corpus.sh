#!/usr/bin/env bash
# Seeds the cargo-fuzz corpora from the repository's own fixtures:
#
#   fuzz/seed-corpus.sh [TARGET...]     (default: all six)
#
#   html      HTML pages and HTML-like templates under testdata/
#             (fuzz regressions included)
#   js        JavaScript and TypeScript files under testdata/
#   ruleset   rulesets/*.toml and the TOML files under testdata/
#             (tracklint.toml configs, vendor cases)
#   suppress  everything html and js get: where inline suppressions live
#   css       the contents of every <style> block and style attribute of the
#             HTML fixtures under testdata/, and any .css file there
#   url       URL attribute values (src, href, srcset, style, …) of the
#             HTML fixtures under testdata/, and a handcrafted list below;
#             each once with each base the target's first byte picks
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

# Attribute values that hide a URL, for the url target (one a line).
url_values() {
  cat <<'VALUES'
https://www.facebook.com/tr?id=1&amp;ev=PageView
https:&#x2F;&#x2F;www.facebook.com&sol;tr?id=1
connect&#46facebook&period;net/en_US/fbevents.js
//connect.facebook.net/en_US/fbevents.js
////static.hotjar.com/c/hotjar-1.js
https:\\static.hotjar.com\c\hotjar-1.js
ht&Tab;tps&colon;//www.google-analytics.com/analytics.js
 https://www.googletagmanager.com/gtm.js?id=GTM-X 
https://static.hot%6Aar.com/c/hotjar-1.js
HTTPS://WWW.FACEBOOK.COM./tr
https://www.facebook.com/./x/../tr
tr?id=1
/js/app.js
data:text/html,<script src=https://static.hotjar.com/c/hotjar-1.js></script>
javascript:fbq('init','1')
&#0;&#x80;&#xD800;&#99999999999;&amp&ampx&lt
background:url(&quot;https://www\2e facebook\2e com/tr&quot;)
background-image:image-set('https://www.facebook.com/tr?id=1' 1x)
u\72l(https://www.facebook.com/tr)
http://0x7f.1/
https://[::1]:8080/x
https://{host}/x.js
VALUES
}

# Writes each NUL-terminated block on stdin to a file in $1 and prints its
# path.
split_blocks() {
  local n=0 block
  while IFS= read -r -d '' block; do
    n=$((n + 1))
    printf '%s' "$block" > "$1/$n"
    echo "$1/$n"
  done
}

seeds() {
  case $1 in
    html) fixtures "${html_ext[@]}" ;;
    js) fixtures "${js_ext[@]}" ;;
    ruleset) { printf '%s\n' rulesets/*.toml; fixtures toml; } ;;
    suppress) fixtures "${html_ext[@]}" "${js_ext[@]}" ;;
    css)
      fixtures css
      fixtures html htm svg | tr '\n' '\0' | xargs -0 perl -0777 -ne '
        print "$1\0" while /<style\b[^>]*>(.*?)<\/style\s*>/gis;
        print "$1$2\0" while /\sstyle\s*=\s*(?:"([^"]*)"|\x27([^\x27]*)\x27)/gis;
      ' | split_blocks "$work"
      ;;
    url)
      {
        url_values | tr '\n' '\0'
        fixtures html htm svg | tr '\n' '\0' | xargs -0 perl -0777 -ne '
          print "$1$2\0" while /\s(?:src|href|xlink:href|srcset|imagesrcset|style|action|formaction|data|poster|background|ping|content|data-src)\s*=\s*(?:"([^"]*)"|\x27([^\x27]*)\x27)/gis;
        '
      } | sort -zu | while IFS= read -r -d '' value; do
        # The first byte picks the base: 0 the page, 1 a tracker's host.
        printf '0%s\0' "$value"
        printf '1%s\0' "$value"
      done | split_blocks "$work"
      ;;
    *)
      echo "unknown target: $1 (html, js, ruleset, suppress, css or url)" >&2
      return 2
      ;;
  esac
}

targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(html js ruleset suppress css url)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for target in "${targets[@]}"; do
  rm -rf "${work:?}"/*
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
