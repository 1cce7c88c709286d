# Set-up shared by the benchmark scripts; source it from the repository
# root with the work directory and the tools needed, each as COMMAND=PACKAGE
# (`/usr/bin/time=time` for GNU time):
#
#   . benches/setup.sh "$work" rg=ripgrep hyperfine=hyperfine /usr/bin/time=time
#
# Installs missing tools with apt-get when run as root, builds the release
# binary, and generates the 10,000-page site once per work directory. Sets
# `repo`, `bin` and `site`.
work=$1
shift
mkdir -p "$work"
missing=()
for tool in "$@"; do
  command -v "${tool%%=*}" >/dev/null 2>&1 || missing+=("${tool#*=}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "install ${missing[*]} first" >&2; exit 2
  fi
fi
cargo build --release --locked -q
repo=$PWD
bin=$repo/target/release/tracklint
site=$work/site
[ -d "$site" ] || python3 benches/gen_site.py "$site"
