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
//! `.tracklint.toml` found in the current directory or, inside a git
//! repository, its ancestors up to the repository root; outside one, only
//! the current directory. Every error points at the offending line; an unknown
//! key says which key was probably meant.
//!
//! It stays one file past 500 lines: `resolve_text` validates every table
//! of the file in one pass so each error can point at its line; the tables,
//! globs, hosts and dates are split out.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use globset::GlobSet;
use toml::Spanned;

use crate::error::{TomlError, UsageError};
use crate::rules::{Rule, Severity};
use crate::suggest::closest;

mod date;
mod glob;
mod hosts;
mod schema;

use date::{parse_date, today};
pub use glob::{GlobOrigin, Matcher};
use glob::{flag_source_globs, source_globs};
pub use hosts::HostSet;
use schema::ConfigFile;

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
    /// `--strict`.
    pub strict: bool,
    /// `--sources` (replaces `[sources] paths`; relative to the current
    /// directory).
    pub sources: Vec<String>,
}

/// Everything a run needs, validated once.
pub struct Settings {
    /// Paths to scan.
    pub paths: Vec<PathBuf>,
    /// Whether `paths` were named on the command line (not `[site] root`
    /// or the default `.`): with `--staged` only named paths limit the
    /// staged files, since the root only says where a walk starts.
    pub paths_named: bool,
    /// `[site] root`, relative to the current directory, if the config
    /// sets one: staged files under it also match the config's globs by
    /// their path from it.
    pub root: Option<PathBuf>,
    /// Files to scan when walking; `None` means the default extensions.
    pub include: Option<Matcher>,
    /// Files and directories to skip.
    pub exclude: Matcher,
    /// First-party hosts.
    pub first_party: HostSet,
    /// Patient-facing pages whose findings are raised one level.
    pub sensitive: Matcher,
    /// Pages whose forms ask for health information are sensitive too
    /// (`[sensitive] infer`, default true).
    pub infer_sensitive: bool,
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
    /// A symbolic link not followed is an error (`--strict`).
    pub strict: bool,
    /// The config file used, if any.
    pub config_path: Option<PathBuf>,
    /// Its text, for errors found after loading.
    pub config_source: ConfigSource,
    /// `[sources] paths`: where the templates and code that produce the
    /// built site live, for template origins.
    pub sources: Option<SourceGlobs>,
    /// Digest of the config in effect: the file's text and the flags that
    /// change findings (not the paths). Shards to merge must agree on it.
    pub digest: String,
}

/// FNV-1a over `parts`, each followed by a 0 byte, as 16 hex digits:
/// stable across platforms and releases (a digest, not a security
/// boundary).
pub fn digest<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for &b in p.as_bytes().iter().chain(std::iter::once(&0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
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

/// The directories a ruleset may be read from: the config file's directory
/// and the root of the git work tree holding it.
fn project_roots(base: &Path) -> Vec<PathBuf> {
    let dir = if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    };
    let Ok(dir) = std::fs::canonicalize(dir) else {
        return Vec::new();
    };
    let repo = dir
        .ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf);
    std::iter::once(dir).chain(repo).collect()
}

/// `path` if it resolves (symbolic links followed) inside one of `roots`:
/// a ruleset outside the project is refused before it is read, so that no
/// error ever shows another file's content (`/proc/self/environ`).
fn inside_project(path: &Path, roots: &[PathBuf]) -> Result<PathBuf, String> {
    let real = std::fs::canonicalize(path)
        .map_err(|e| format!("cannot read ruleset {}: {e}", path.display()))?;
    if roots.iter().any(|r| real.starts_with(r)) {
        Ok(path.to_path_buf())
    } else {
        Err(format!(
            "ruleset {} is outside the project (the config file's directory or its repository); \
             copy it into the project",
            path.display()
        ))
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
    let digest = {
        let mut parts: Vec<&str> = vec![text.as_deref().unwrap_or("")];
        for (flag, values) in [
            ("--include", &opts.include),
            ("--exclude", &opts.exclude),
            ("--first-party", &opts.first_party),
            ("--sources", &opts.sources),
        ] {
            parts.push(flag);
            parts.extend(values.iter().map(String::as_str));
        }
        parts.push(if opts.follow { "--follow" } else { "" });
        self::digest(parts)
    };
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
            .map_err(|m| src.error(p.span(), m.to_string()))?;
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
                    Rule::ALL.map(super::rules::Rule::id).join(", ")
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

    let roots = project_roots(&base);
    let rulesets = file
        .extend
        .rulesets
        .iter()
        .map(|p| {
            inside_project(&base.join(p.get_ref()), &roots).map_err(|m| src.error(p.span(), m))
        })
        .collect::<Result<_, _>>()?;
    let root = file.site.root.as_ref().map(|r| base.join(r.get_ref()));
    let paths_named = !opts.paths.is_empty();
    let paths = if paths_named {
        opts.paths
    } else if let Some(root) = &root {
        vec![root.clone()]
    } else {
        vec![PathBuf::from(".")]
    };
    Ok(Settings {
        paths,
        paths_named,
        root,
        include,
        exclude,
        first_party,
        sensitive,
        infer_sensitive: file.sensitive.infer,
        levels,
        use_default: file.extend.use_default,
        rulesets,
        disabled_vendors: file.extend.disabled_vendors,
        allows,
        follow: opts.follow,
        strict: opts.strict,
        config_path,
        config_source: src,
        sources,
        digest,
    })
}

/// The nearest config file in `dir` or, inside a git repository, its
/// ancestors up to the repository root (a directory holding `.git`).
/// Outside a repository only `dir` itself is looked in: a config file in
/// some parent directory is not this project's. The path is relative to
/// `dir` (`tracklint.toml`, `../tracklint.toml`), as users want to see it.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    let in_repo = dir.ancestors().any(|d| d.join(".git").exists());
    let searched = if in_repo { usize::MAX } else { 1 };
    for (up, d) in dir.ancestors().take(searched).enumerate() {
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
