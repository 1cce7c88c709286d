//! Path globs in the config and on the command line: gitignore-style
//! matching, and `[sources]` globs relative to the config file.

use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::{ConfigError, SourceGlobs};
use toml::Spanned;

use super::ConfigSource;
use crate::error::{TomlError, UsageError};

/// Where a glob was written in the config file: (file name, text, span).
pub type GlobOrigin = (String, String, std::ops::Range<usize>);

/// Globs matched gitignore-style: a pattern without `/` matches a file or
/// directory name anywhere; one with `/` matches the path from the scan root.
#[derive(Debug)]
pub struct Matcher {
    names: GlobSet,
    paths: GlobSet,
    empty: bool,
}

impl Matcher {
    pub(super) fn new(globs: &[(String, Option<GlobOrigin>)]) -> Result<Matcher, ConfigError> {
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

/// Compiles `--sources` globs, relative to the current directory.
pub(super) fn flag_source_globs(globs: &[String]) -> Result<Option<SourceGlobs>, ConfigError> {
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
pub(super) fn source_globs(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_without_slash_match_names_anywhere() {
        let m = Matcher::new(&[("*.min.js".into(), None), ("blog/**".into(), None)]).unwrap();
        assert!(m.is_match(Path::new("a/b/app.min.js")));
        assert!(m.is_match(Path::new("blog/2024/post.html")));
        assert!(!m.is_match(Path::new("news/blog.html")));
    }
}
