//! Project configuration: `tracklint.toml`, merged with command-line flags
//! into one validated [`Settings`] that the rest of the program uses.
//!
//! ```toml
//! [site]
//! first_party = ["clinic.example", "*.clinic.example"]
//! include = ["**/*.html"]   # replaces the default extension list
//! exclude = ["vendor/**"]
//!
//! [extend]
//! rulesets = ["rules/inhouse.toml"]   # relative to this file
//! ```
//!
//! The file is `--config FILE`, else the first `tracklint.toml` or
//! `.tracklint.toml` found in the current directory or its ancestors, up to
//! the repository root. Unknown keys are errors pointing at the key.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::error::{TomlError, UsageError};

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
    extend: ExtendTable,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteTable {
    #[serde(default)]
    first_party: Vec<Spanned<String>>,
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtendTable {
    #[serde(default)]
    rulesets: Vec<Spanned<String>>,
}

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Diagnostics with source excerpts, for people.
    Human,
    /// One JSON document on stdout, for tools.
    Json,
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
    /// User ruleset files.
    pub rulesets: Vec<PathBuf>,
    /// The config file used, if any.
    pub config_path: Option<PathBuf>,
}

/// Where a glob was written in the config file: (file name, text, span).
type GlobOrigin = (String, String, std::ops::Range<usize>);

/// Globs matched gitignore-style: a pattern without `/` matches a file or
/// directory name anywhere; one with `/` matches the path from the scan root.
pub struct Matcher {
    names: GlobSet,
    paths: GlobSet,
    empty: bool,
}

impl Matcher {
    fn new(globs: &[(String, Option<GlobOrigin>)]) -> Result<Matcher, miette::Report> {
        let mut names = GlobSetBuilder::new();
        let mut paths = GlobSetBuilder::new();
        for (g, origin) in globs {
            let pattern = g.trim_start_matches("./");
            let glob = GlobBuilder::new(pattern.trim_end_matches('/'))
                .literal_separator(true)
                .backslash_escape(true)
                .build()
                .map_err(|e| -> miette::Report {
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
        let build = |b: GlobSetBuilder| b.build().map_err(|e| miette::miette!("{e}"));
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
pub fn resolve(opts: RawOptions) -> Result<Settings, miette::Report> {
    let config_path = match &opts.config {
        Some(p) => {
            if !p.is_file() {
                return Err(
                    UsageError::new(format!("config file {} not found", p.display())).into(),
                );
            }
            Some(p.clone())
        }
        None => discover(&std::env::current_dir().map_err(|e| miette::miette!("{e}"))?),
    };
    let (file, text, name) = match &config_path {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| UsageError::new(format!("cannot read {}: {e}", p.display())))?;
            let name = p.display().to_string();
            let file: ConfigFile =
                toml::from_str(&text).map_err(|e| TomlError::from_toml(&name, &text, &e))?;
            (file, text, name)
        }
        None => (ConfigFile::default(), String::new(), String::new()),
    };
    let base = config_path
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let origin = |s: &Spanned<String>| Some((name.clone(), text.clone(), s.span()));

    let mut first_party = HostSet::default();
    for p in &file.site.first_party {
        first_party
            .add(p.get_ref())
            .map_err(|m| TomlError::new(&name, &text, m, Some(p.span())))?;
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
    let rulesets = file
        .extend
        .rulesets
        .iter()
        .map(|p| base.join(p.get_ref()))
        .collect();
    let paths = if opts.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        opts.paths
    };
    Ok(Settings {
        paths,
        include,
        exclude,
        first_party,
        rulesets,
        config_path,
    })
}

/// The nearest config file in `dir` or its ancestors, stopping at the
/// repository root (a directory holding `.git`).
pub fn discover(dir: &Path) -> Option<PathBuf> {
    for d in dir.ancestors() {
        for name in CONFIG_NAMES {
            let p = d.join(name);
            if p.is_file() {
                return Some(p);
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
    fn globs_without_slash_match_names_anywhere() {
        let m = Matcher::new(&[("*.min.js".into(), None), ("blog/**".into(), None)]).unwrap();
        assert!(m.is_match(Path::new("a/b/app.min.js")));
        assert!(m.is_match(Path::new("blog/2024/post.html")));
        assert!(!m.is_match(Path::new("news/blog.html")));
    }
}
