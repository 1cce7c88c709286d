//! Project configuration: `tracklint.toml`, merged with command-line flags
//! into one validated [`Settings`] that the rest of the program uses.
//!
//! ```toml
//! [site]
//! root = "_site"                          # what `tracklint check` scans with no PATH
//! first_party = ["clinic.example", "*.clinic.example"]
//! include = ["**/*.html"]                 # replaces the default extension list
//! exclude = ["vendor/**"]
//!
//! [sensitive]
//! paths = ["**/portal/**", "**/login/**"] # findings here are raised one level
//!
//! [rules]
//! third-party-embed = "off"               # error | warning | info | off
//!
//! [extend]
//! use_default = true                      # keep the built-in vendors
//! rulesets = ["rules/inhouse.toml"]       # relative to this file
//! disabled_vendors = ["plausible"]
//!
//! [[allow]]
//! vendor = "google-tag-manager"
//! paths = ["careers/**"]
//! reason = "Careers site is run by HR's vendor under its own BAA"
//! expires = "2027-06-30"
//! ```
//!
//! The file is `--config FILE`, else the first `tracklint.toml` or
//! `.tracklint.toml` found in the current directory or its ancestors, up to
//! the repository root. Every error points at the offending line; an unknown
//! key says which key was probably meant.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::error::{TomlError, UsageError};
use crate::rules::{Rule, Severity};
use crate::suggest::closest;

/// Why the configuration cannot be used: a located problem in the config
/// file, or a bad flag or path.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConfigError {
    /// A problem in the config file (or a ruleset it names), located.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Toml(#[from] TomlError),
    /// A bad flag, glob or path.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Usage(#[from] UsageError),
}

/// File names looked for when `--config` is not given.
pub const CONFIG_NAMES: &[&str] = &["tracklint.toml", ".tracklint.toml"];

/// A set of host patterns: `host` matches exactly, `*.domain` matches the
/// domain and every subdomain.
#[derive(Clone, Debug, Default)]
pub struct HostSet {
    exact: HashSet<String>,
    wild: Vec<String>,
}

impl HostSet {
    /// Adds a pattern, or says why it is not one.
    pub fn add(&mut self, pattern: &str) -> Result<(), String> {
        let p = pattern.trim().trim_end_matches('.').to_ascii_lowercase();
        let (wild, host) = match p.strip_prefix("*.") {
            Some(h) => (true, h.to_string()),
            None => (false, p.clone()),
        };
        let ok = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
            && !host.split('.').any(str::is_empty);
        if !ok {
            return Err(format!(
                "`{pattern}` is not a host name or `*.domain` pattern (no scheme, path or port)"
            ));
        }
        if wild {
            self.wild.push(host);
        } else {
            self.exact.insert(host);
        }
        Ok(())
    }

    /// Whether `host` (lowercase) is in the set.
    pub fn contains(&self, host: &str) -> bool {
        self.exact.contains(host)
            || self.wild.iter().any(|w| {
                host == w
                    || (host.len() > w.len()
                        && host.ends_with(w.as_str())
                        && host.as_bytes()[host.len() - w.len() - 1] == b'.')
            })
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    site: SiteTable,
    #[serde(default)]
    sensitive: SensitiveTable,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    extend: ExtendTable,
    #[serde(default)]
    allow: Vec<Spanned<AllowTable>>,
    #[serde(default)]
    sources: SensitiveTable,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteTable {
    #[serde(default)]
    root: Option<Spanned<String>>,
    #[serde(default)]
    first_party: Vec<Spanned<String>>,
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
}

/// `[sensitive]` and `[sources]`: a list of path globs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SensitiveTable {
    #[serde(default)]
    paths: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtendTable {
    #[serde(default = "yes")]
    use_default: bool,
    #[serde(default)]
    rulesets: Vec<Spanned<String>>,
    #[serde(default)]
    disabled_vendors: Vec<Spanned<String>>,
}

impl Default for ExtendTable {
    fn default() -> Self {
        ExtendTable {
            use_default: true,
            rulesets: Vec::new(),
            disabled_vendors: Vec::new(),
        }
    }
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AllowTable {
    #[serde(default)]
    vendor: Option<Spanned<String>>,
    #[serde(default)]
    rule: Option<Spanned<String>>,
    #[serde(default)]
    paths: Vec<Spanned<String>>,
    #[serde(default)]
    reason: Option<Spanned<String>>,
    #[serde(default)]
    expires: Option<Spanned<String>>,
}

/// A rule's configured level: a severity, or `off`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleLevel {
    /// Not reported.
    Off,
    /// Reported at this severity (before raising).
    On(Severity),
}

/// An `[[allow]]` entry: findings it matches are not reported.
#[derive(Debug)]
pub struct Allow {
    /// Vendor slug it applies to, if limited to one.
    pub vendor: Option<Spanned<String>>,
    /// Rule it applies to, if limited to one.
    pub rule: Option<Rule>,
    /// Files it applies to (`None`: every file).
    pub paths: Option<Matcher>,
    /// Why it is allowed (mandatory).
    pub reason: String,
    /// The last day it applies, as written (`YYYY-MM-DD`).
    pub expires: Option<String>,
    /// Whether `expires` is before today: the allowance no longer applies.
    pub expired: bool,
    /// `file:line` where it is written.
    pub origin: String,
}

/// The config file's name and text, for errors found after loading.
#[derive(Clone, Debug, Default)]
pub struct ConfigSource {
    /// The path as shown.
    pub name: String,
    /// The whole text.
    pub text: String,
}

impl ConfigSource {
    /// An error pointing at `span` in the config file.
    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> TomlError {
        TomlError::new(&self.name, &self.text, message, Some(span))
    }

    fn line_of(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())]
            .matches('\n')
            .count()
            + 1
    }
}

/// Options as given on the command line, before validation.
#[derive(Clone, Debug, Default)]
pub struct RawOptions {
    /// Paths to scan.
    pub paths: Vec<PathBuf>,
    /// `--config`.
    pub config: Option<PathBuf>,
    /// `--include`.
    pub include: Vec<String>,
    /// `--exclude`.
    pub exclude: Vec<String>,
    /// `--first-party`.
    pub first_party: Vec<String>,
    /// `--follow`.
    pub follow: bool,
    /// `--sources` (replaces `[sources] paths`; relative to the current
    /// directory).
    pub sources: Vec<String>,
}

/// Everything a run needs, validated once.
pub struct Settings {
    /// Paths to scan.
    pub paths: Vec<PathBuf>,
    /// Files to scan when walking; `None` means the default extensions.
    pub include: Option<Matcher>,
    /// Files and directories to skip.
    pub exclude: Matcher,
    /// First-party hosts.
    pub first_party: HostSet,
    /// Patient-facing pages whose findings are raised one level.
    pub sensitive: Matcher,
    /// Per-rule levels from `[rules]`.
    pub levels: BTreeMap<Rule, RuleLevel>,
    /// Whether the built-in vendors are loaded.
    pub use_default: bool,
    /// User ruleset files.
    pub rulesets: Vec<PathBuf>,
    /// Vendor slugs to drop, checked against the ruleset once it is loaded.
    pub disabled_vendors: Vec<Spanned<String>>,
    /// `[[allow]]` entries.
    pub allows: Vec<Allow>,
    /// Follow symbolic links while walking (loops are errors).
    pub follow: bool,
    /// The config file used, if any.
    pub config_path: Option<PathBuf>,
    /// Its text, for errors found after loading.
    pub config_source: ConfigSource,
    /// `[sources] paths`: where the templates and code that produce the
    /// built site live, for template origins.
    pub sources: Option<SourceGlobs>,
}

/// `[sources] paths`: globs relative to the config file's directory.
#[derive(Debug)]
pub struct SourceGlobs {
    /// The directory the globs are relative to (the config's).
    pub base: PathBuf,
    /// The globs as written, for messages.
    pub patterns: Vec<String>,
    /// The compiled globs, matched against paths relative to `base`.
    pub set: GlobSet,
}

impl Settings {
    /// The level of `rule`: as configured, else the rule's default.
    pub fn level(&self, rule: Rule) -> RuleLevel {
        self.levels
            .get(&rule)
            .copied()
            .unwrap_or(RuleLevel::On(rule.severity()))
    }

    /// Checks the vendor slugs the config names against the loaded vendors.
    pub fn check_vendor_ids(&self, all_ids: &[&str]) -> Result<(), TomlError> {
        let named = self
            .disabled_vendors
            .iter()
            .chain(self.allows.iter().filter_map(|a| a.vendor.as_ref()));
        for id in named {
            if !all_ids.contains(&id.get_ref().as_str()) {
                let mut err = self
                    .config_source
                    .error(id.span(), format!("unknown vendor `{}`", id.get_ref()));
                if let Some(near) = closest(id.get_ref(), all_ids.iter().copied()) {
                    err = err.with_help(format!(
                        "did you mean `{near}`? `tracklint rules` lists every vendor"
                    ));
                } else {
                    err = err.with_help("`tracklint rules` lists every vendor");
                }
                return Err(err);
            }
        }
        Ok(())
    }
}

/// Where a glob was written in the config file: (file name, text, span).
type GlobOrigin = (String, String, std::ops::Range<usize>);

/// Globs matched gitignore-style: a pattern without `/` matches a file or
/// directory name anywhere; one with `/` matches the path from the scan root.
#[derive(Debug)]
pub struct Matcher {
    names: GlobSet,
    paths: GlobSet,
    empty: bool,
}

impl Matcher {
    fn new(globs: &[(String, Option<GlobOrigin>)]) -> Result<Matcher, ConfigError> {
        let mut names = GlobSetBuilder::new();
        let mut paths = GlobSetBuilder::new();
        for (g, origin) in globs {
            let pattern = g.trim_start_matches("./");
            let glob = build_glob(pattern).map_err(|e| -> ConfigError {
                match origin {
                    Some((name, text, span)) => TomlError::new(
                        name,
                        text,
                        format!("invalid glob `{g}`: {}", e.kind()),
                        Some(span.clone()),
                    )
                    .into(),
                    None => UsageError::new(format!("invalid glob `{g}`: {}", e.kind())).into(),
                }
            })?;
            if pattern.contains('/') {
                paths.add(glob);
            } else {
                names.add(glob);
            }
        }
        let build = |b: GlobSetBuilder| {
            b.build()
                .map_err(|e| ConfigError::from(UsageError::new(e.to_string())))
        };
        Ok(Matcher {
            names: build(names)?,
            paths: build(paths)?,
            empty: globs.is_empty(),
        })
    }

    /// Whether `rel` (the path from the scan root) matches.
    pub fn is_match(&self, rel: &Path) -> bool {
        if self.empty {
            return false;
        }
        rel.file_name().is_some_and(|n| self.names.is_match(n)) || self.paths.is_match(rel)
    }
}

/// Finds the config file, loads it and merges it with the flags.
pub fn resolve(opts: RawOptions) -> Result<Settings, ConfigError> {
    let config_path = match &opts.config {
        Some(p) => {
            if !p.is_file() {
                return Err(
                    UsageError::new(format!("config file {} not found", p.display())).into(),
                );
            }
            Some(p.clone())
        }
        None => discover(
            &std::env::current_dir()
                .map_err(|e| ConfigError::from(UsageError::new(e.to_string())))?,
        ),
    };
    let text = match &config_path {
        Some(p) => Some(
            std::fs::read_to_string(p)
                .map_err(|e| UsageError::new(format!("cannot read {}: {e}", p.display())))?,
        ),
        None => None,
    };
    resolve_text(opts, config_path, text)
}

/// [`resolve`] with the config file's text already read (`None`: no file).
pub fn resolve_text(
    opts: RawOptions,
    config_path: Option<PathBuf>,
    text: Option<String>,
) -> Result<Settings, ConfigError> {
    let (file, src) = match text {
        Some(text) => {
            let src = ConfigSource {
                name: config_path
                    .as_deref()
                    .map_or_else(|| "tracklint.toml".into(), |p| p.display().to_string()),
                text,
            };
            let file: ConfigFile = toml::from_str(&src.text)
                .map_err(|e| TomlError::from_toml(&src.name, &src.text, &e))?;
            (file, src)
        }
        None => (ConfigFile::default(), ConfigSource::default()),
    };
    let base = config_path
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let origin = |s: &Spanned<String>| Some((src.name.clone(), src.text.clone(), s.span()));

    let mut first_party = HostSet::default();
    for p in &file.site.first_party {
        first_party
            .add(p.get_ref())
            .map_err(|m| src.error(p.span(), m))?;
    }
    for p in &opts.first_party {
        first_party
            .add(p)
            .map_err(|m| UsageError::new(format!("--first-party: {m}")))?;
    }
    let globs = |from_file: &[Spanned<String>], from_flags: &[String]| {
        from_file
            .iter()
            .map(|s| (s.get_ref().clone(), origin(s)))
            .chain(from_flags.iter().map(|s| (s.clone(), None)))
            .collect::<Vec<_>>()
    };
    let include = globs(&file.site.include, &opts.include);
    let include = if include.is_empty() {
        None
    } else {
        Some(Matcher::new(&include)?)
    };
    let exclude = Matcher::new(&globs(&file.site.exclude, &opts.exclude))?;
    let sensitive = Matcher::new(&globs(&file.sensitive.paths, &[]))?;
    let sources = if opts.sources.is_empty() {
        source_globs(&file.sources.paths, &base, &src)?
    } else {
        flag_source_globs(&opts.sources)?
    };

    let mut levels = BTreeMap::new();
    for (key, value) in &file.rules {
        let rule = Rule::from_id(key.get_ref()).ok_or_else(|| {
            let err = src.error(
                key.span(),
                format!("unknown rule `{}` in [rules]", key.get_ref()),
            );
            match closest(key.get_ref(), Rule::ALL.iter().map(|r| r.id())) {
                Some(near) => err.with_help(format!("did you mean `{near}`?")),
                None => err.with_help(format!(
                    "rules are {}",
                    Rule::ALL.map(|r| r.id()).join(", ")
                )),
            }
        })?;
        let level = match value.get_ref().as_str() {
            "off" => RuleLevel::Off,
            "info" => RuleLevel::On(Severity::Info),
            "warning" => RuleLevel::On(Severity::Warning),
            "error" => RuleLevel::On(Severity::Error),
            other => {
                return Err(src
                    .error(
                        value.span(),
                        format!("unknown level `{other}` for `{}`", rule.id()),
                    )
                    .with_help("use \"error\", \"warning\", \"info\" or \"off\"")
                    .into());
            }
        };
        levels.insert(rule, level);
    }

    let today = today();
    let mut allows = Vec::new();
    for entry in &file.allow {
        let a = entry.get_ref();
        let here = entry.span();
        if a.vendor.is_none() && a.rule.is_none() {
            return Err(src
                .error(here, "[[allow]] entry names neither `vendor` nor `rule`")
                .with_help("add `vendor = \"<slug>\"` and/or `rule = \"<rule-id>\"`")
                .into());
        }
        let reason = match &a.reason {
            Some(r) if !r.get_ref().trim().is_empty() => r.get_ref().trim().to_string(),
            Some(r) => return Err(src.error(r.span(), "[[allow]] `reason` is empty").into()),
            None => {
                return Err(src
                    .error(here, "[[allow]] entry has no `reason`")
                    .with_help("say why the finding is acceptable, e.g. `reason = \"vendor signed a BAA on 2026-03-01\"`")
                    .into());
            }
        };
        let rule = match &a.rule {
            Some(r) => Some(Rule::from_id(r.get_ref()).ok_or_else(|| {
                let err = src.error(r.span(), format!("unknown rule `{}`", r.get_ref()));
                match closest(r.get_ref(), Rule::ALL.iter().map(|r| r.id())) {
                    Some(near) => err.with_help(format!("did you mean `{near}`?")),
                    None => err,
                }
            })?),
            None => None,
        };
        let expired = match &a.expires {
            Some(e) => {
                let date = parse_date(e.get_ref()).ok_or_else(|| {
                    src.error(
                        e.span(),
                        format!("`expires = \"{}\"` is not a YYYY-MM-DD date", e.get_ref()),
                    )
                })?;
                date < today
            }
            None => false,
        };
        let paths = if a.paths.is_empty() {
            None
        } else {
            Some(Matcher::new(&globs(&a.paths, &[]))?)
        };
        allows.push(Allow {
            vendor: a.vendor.clone(),
            rule,
            paths,
            reason,
            expires: a.expires.as_ref().map(|e| e.get_ref().clone()),
            expired,
            origin: format!("{}:{}", src.name, src.line_of(here.start)),
        });
    }

    let rulesets = file
        .extend
        .rulesets
        .iter()
        .map(|p| base.join(p.get_ref()))
        .collect();
    let paths = if !opts.paths.is_empty() {
        opts.paths
    } else if let Some(root) = &file.site.root {
        vec![base.join(root.get_ref())]
    } else {
        vec![PathBuf::from(".")]
    };
    Ok(Settings {
        paths,
        include,
        exclude,
        first_party,
        sensitive,
        levels,
        use_default: file.extend.use_default,
        rulesets,
        disabled_vendors: file.extend.disabled_vendors,
        allows,
        follow: opts.follow,
        config_path,
        config_source: src,
        sources,
    })
}

/// Compiles `--sources` globs, relative to the current directory.
fn flag_source_globs(globs: &[String]) -> Result<Option<SourceGlobs>, ConfigError> {
    let compiled = compile_sources(PathBuf::new(), globs.to_vec(), |i, problem| {
        let g = &globs[i];
        match problem {
            GlobProblem::Leaves => UsageError {
                message: format!("--sources `{g}` is not below the current directory"),
                help: Some(
                    "run tracklint from the project root, e.g. --sources '_includes/**'".into(),
                ),
            },
            GlobProblem::Invalid(e) => {
                UsageError::new(format!("--sources: invalid glob `{g}`: {e}"))
            }
        }
        .into()
    })?;
    Ok(Some(compiled))
}

/// Compiles `[sources] paths`; `None` when there are none.
fn source_globs(
    paths: &[Spanned<String>],
    base: &Path,
    src: &ConfigSource,
) -> Result<Option<SourceGlobs>, ConfigError> {
    if paths.is_empty() {
        return Ok(None);
    }
    let patterns = paths.iter().map(|p| p.get_ref().clone()).collect();
    let compiled = compile_sources(base.to_path_buf(), patterns, |i, problem| {
        let p = &paths[i];
        match problem {
            GlobProblem::Leaves => src
                .error(
                    p.span(),
                    format!("[sources] path `{}` leaves the project", p.get_ref()),
                )
                .with_help(
                    "paths are globs relative to the config file's directory, e.g. \"_includes/**\"",
                ),
            GlobProblem::Invalid(e) => {
                src.error(p.span(), format!("invalid glob `{}`: {e}", p.get_ref()))
            }
        }
        .into()
    })?;
    Ok(Some(compiled))
}

/// One config or flag glob: `*` stays within a path segment, `\\` escapes,
/// a trailing `/` is dropped.
fn build_glob(pattern: &str) -> Result<globset::Glob, globset::Error> {
    GlobBuilder::new(pattern.trim_end_matches('/'))
        .literal_separator(true)
        .backslash_escape(true)
        .build()
}

/// Why a `[sources]` glob was refused.
enum GlobProblem {
    /// Absolute, or climbing out of its base with `..`.
    Leaves,
    /// Not a glob.
    Invalid(globset::ErrorKind),
}

/// Compiles `[sources]` globs relative to `base`; `refuse` turns the index
/// of a refused glob and why into the error to report.
fn compile_sources(
    base: PathBuf,
    patterns: Vec<String>,
    refuse: impl Fn(usize, GlobProblem) -> ConfigError,
) -> Result<SourceGlobs, ConfigError> {
    let mut set = GlobSetBuilder::new();
    for (i, g) in patterns.iter().enumerate() {
        let pattern = g.trim_start_matches("./");
        if Path::new(pattern).is_absolute() || pattern.split('/').any(|c| c == "..") {
            return Err(refuse(i, GlobProblem::Leaves));
        }
        let glob =
            build_glob(pattern).map_err(|e| refuse(i, GlobProblem::Invalid(e.kind().clone())))?;
        set.add(glob);
    }
    let set = set
        .build()
        .map_err(|e| ConfigError::from(UsageError::new(e.to_string())))?;
    Ok(SourceGlobs {
        base,
        patterns,
        set,
    })
}

/// A `YYYY-MM-DD` date as (year, month, day), validated.
fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let mut it = s.trim().splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    ((1..=12).contains(&m) && d >= 1 && d <= days[(m - 1) as usize]).then_some((y, m, d))
}

/// Today's date (UTC) as (year, month, day).
fn today() -> (i32, u32, u32) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_from_days((secs / 86_400) as i64)
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
    (y, m, d)
}

/// The nearest config file in `dir` or its ancestors, stopping at the
/// repository root (a directory holding `.git`). The path is relative to
/// `dir` (`tracklint.toml`, `../tracklint.toml`), as users want to see it.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    for (up, d) in dir.ancestors().enumerate() {
        for name in CONFIG_NAMES {
            if d.join(name).is_file() {
                return Some(
                    std::iter::repeat_n("..", up)
                        .collect::<PathBuf>()
                        .join(name),
                );
            }
        }
        if d.join(".git").exists() {
            break;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_set_wildcards_cover_the_apex() {
        let mut s = HostSet::default();
        s.add("*.Clinic.example").unwrap();
        s.add("cdn.partner.example").unwrap();
        assert!(s.contains("clinic.example"));
        assert!(s.contains("www.clinic.example"));
        assert!(!s.contains("evilclinic.example"));
        assert!(s.contains("cdn.partner.example"));
        assert!(!s.contains("x.cdn.partner.example"));
        assert!(s.add("https://x.example/").is_err());
    }

    #[test]
    fn dates_and_suggestions() {
        assert_eq!(parse_date("2027-02-29"), None);
        assert_eq!(parse_date("2028-02-29"), Some((2028, 2, 29)));
        assert_eq!(parse_date("soon"), None);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_786), (2026, 11, 29));
        assert_eq!(
            closest("firts_party", ["first_party", "include"].into_iter()),
            Some("first_party")
        );
        assert_eq!(closest("zzz", ["first_party"].into_iter()), None);
    }

    #[test]
    fn globs_without_slash_match_names_anywhere() {
        let m = Matcher::new(&[("*.min.js".into(), None), ("blog/**".into(), None)]).unwrap();
        assert!(m.is_match(Path::new("a/b/app.min.js")));
        assert!(m.is_match(Path::new("blog/2024/post.html")));
        assert!(!m.is_match(Path::new("news/blog.html")));
    }
}
