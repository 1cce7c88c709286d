//! Where built code came from: a JavaScript file's source map
//! (`//# sourceMappingURL=` to a file or a `data:` URL, or a sibling
//! `.map`) turns a finding's built position into the original file, line
//! and column that a developer edits. A broken or missing map degrades to
//! the built location with a note, never an error.

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use super::{Origin, Via};
use sourcemap::DecodedMap;

/// A loaded source map and the directory its sources are relative to.
pub struct Map {
    map: DecodedMap,
    dir: PathBuf,
}

/// The `sourceMappingURL` of a file whose last bytes are `tail`.
fn mapping_url(tail: &[u8]) -> Option<String> {
    let at = memchr::memmem::rfind(tail, b"sourceMappingURL=")?;
    let rest = &tail[at + "sourceMappingURL=".len()..];
    let end = rest
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'*')
        .unwrap_or(rest.len());
    let url = String::from_utf8_lossy(&rest[..end]).into_owned();
    (!url.is_empty()).then_some(url)
}

/// A source map that is named but cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum MapError {
    /// A `data:` URL map that does not decode.
    #[error("the inline source map of {js} is unreadable: {source}")]
    Inline {
        /// The built file.
        js: String,
        /// Why.
        source: sourcemap::Error,
    },
    /// A map file that cannot be opened.
    #[error("source map {map} of {js} cannot be read: {source}")]
    Missing {
        /// The map's path.
        map: String,
        /// The built file.
        js: String,
        /// Why.
        source: std::io::Error,
    },
    /// A map file that does not parse.
    #[error("source map {map} is unreadable: {source}")]
    Unreadable {
        /// The map's path.
        map: String,
        /// Why.
        source: sourcemap::Error,
    },
}

/// Finds and loads the source map of the JavaScript file at `js`, whose
/// last bytes are `tail`. `Ok(None)`: the file has no map. `Err`: a map is
/// named but cannot be used (the note to show).
pub fn load(js: &Path, tail: &[u8]) -> Result<Option<Map>, MapError> {
    let dir = js.parent().unwrap_or(Path::new("")).to_path_buf();
    let (map, dir) = match mapping_url(tail) {
        Some(url) if url.starts_with("data:") => {
            let map = sourcemap::decode_data_url(&url).map_err(|source| MapError::Inline {
                js: js.display().to_string(),
                source,
            })?;
            (map, dir)
        }
        Some(url) => {
            let rel = url.split(['?', '#']).next().unwrap_or(&url);
            let path = dir.join(rel);
            let file = std::fs::File::open(&path).map_err(|source| MapError::Missing {
                map: path.display().to_string(),
                js: js.display().to_string(),
                source,
            })?;
            let map = DecodedMap::from_reader(file).map_err(|source| MapError::Unreadable {
                map: path.display().to_string(),
                source,
            })?;
            let map_dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
            (map, map_dir)
        }
        None => {
            let mut sibling = js.as_os_str().to_os_string();
            sibling.push(".map");
            let path = PathBuf::from(sibling);
            let Ok(file) = std::fs::File::open(&path) else {
                return Ok(None);
            };
            let map = DecodedMap::from_reader(file).map_err(|source| MapError::Unreadable {
                map: path.display().to_string(),
                source,
            })?;
            (map, dir)
        }
    };
    Ok(Some(Map { map, dir }))
}

/// `a/b/../c` → `a/c`, keeping leading `..`.
fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Bytes at the end of a file searched for its `sourceMappingURL`.
const TAIL: u64 = 4096;

/// Sets the origins of the findings in built JavaScript files from their
/// source maps. `findings` are sorted by file; `code` maps each JavaScript
/// file, as shown, to its path on disk. Returns a note for each map that is
/// named but cannot be used (its findings keep their built locations).
pub fn trace(findings: &mut [crate::finding::Finding], code: &HashMap<&str, &Path>) -> Vec<String> {
    let groups: Vec<_> = findings
        .chunk_by_mut(|a, b| a.file == b.file)
        .filter_map(|group| Some((*code.get(group[0].file.as_str())?, group)))
        .collect();
    if groups.is_empty() {
        return Vec::new();
    }
    let project = Project::current();
    groups
        .into_par_iter()
        .filter_map(|(path, group)| {
            let tail = read_tail(path).ok()?;
            match load(path, &tail) {
                Ok(Some(map)) => {
                    for f in group {
                        match map.origin(f.start.line, f.start.column) {
                            Some(o) if !o.file.contains("://") && !project.contains(&o.file) => {
                                f.origin_note = Some(format!(
                                    "the source map names {}, outside the project; \
                                     the finding keeps its built location",
                                    o.file
                                ));
                                f.origins = Vec::new();
                            }
                            o => f.origins = o.into_iter().collect(),
                        }
                    }
                    None
                }
                Ok(None) => None,
                Err(note) => Some(format!("{note}; findings keep their built locations")),
            }
        })
        .collect()
}

/// Where a map's `sources` may point: the current directory and the git
/// work tree holding it. A map naming `/etc/passwd` or `../../x` beyond
/// them gets a note, never an origin (reporters would annotate that path).
struct Project {
    /// The current directory, symbolic links resolved.
    cwd: PathBuf,
    roots: Vec<PathBuf>,
}

impl Project {
    fn current() -> Project {
        let cwd = std::env::current_dir().unwrap_or_default();
        let cwd = std::fs::canonicalize(&cwd).unwrap_or(cwd);
        let repo = cwd
            .ancestors()
            .find(|d| d.join(".git").exists())
            .map(Path::to_path_buf);
        let roots = std::iter::once(cwd.clone()).chain(repo).collect();
        Project { cwd, roots }
    }

    /// Whether `file` (relative to the current directory, or absolute)
    /// lies inside the project, by its text and, if it exists, after
    /// following symbolic links.
    fn contains(&self, file: &str) -> bool {
        let path = normalise(&self.cwd.join(file));
        let inside = |p: &Path| self.roots.iter().any(|r| p.starts_with(r));
        inside(&path) && std::fs::canonicalize(&path).map_or(true, |real| inside(&real))
    }
}

/// The last [`TAIL`] bytes of the file at `path`.
fn read_tail(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut f = std::fs::File::open(path)?;
    let len = f.metadata()?.len();
    f.seek(SeekFrom::Start(len.saturating_sub(TAIL)))?;
    let mut tail = Vec::new();
    f.read_to_end(&mut tail)?;
    Ok(tail)
}

impl Map {
    /// The original position of 1-based `line`/`column` in the built file.
    pub fn origin(&self, line: u64, column: u64) -> Option<Origin> {
        let (l, c) = (
            u32::try_from(line.checked_sub(1)?).ok()?,
            u32::try_from(column.checked_sub(1)?).ok()?,
        );
        let token = self.map.lookup_token(l, c)?;
        if token.get_dst_line() != l {
            return None;
        }
        let source = token.get_source()?;
        // Within one token the original text runs on as the built text does.
        let delta = c - token.get_dst_col();
        let src_line = u64::from(token.get_src_line()) + 1;
        let src_col = u64::from(token.get_src_col() + delta) + 1;
        let file = if source.contains("://") {
            source.to_string()
        } else {
            normalise(&self.dir.join(source)).display().to_string()
        };
        let text = match &self.map {
            DecodedMap::Regular(sm) => sm
                .get_source_contents(token.get_src_id())
                .and_then(|t| t.lines().nth(token.get_src_line() as usize))
                .map(str::to_string),
            _ => None,
        };
        Some(Origin {
            file,
            line: src_line,
            column: src_col,
            text,
            via: Via::SourceMap,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_mapping_url() {
        assert_eq!(
            mapping_url(b"x\n//# sourceMappingURL=app.js.map\n").as_deref(),
            Some("app.js.map")
        );
        assert_eq!(
            mapping_url(b"x /*# sourceMappingURL=a.map */").as_deref(),
            Some("a.map")
        );
        assert_eq!(mapping_url(b"no map"), None);
        assert_eq!(
            normalise(Path::new("dist/../src/a.ts")),
            PathBuf::from("src/a.ts")
        );
        assert_eq!(
            normalise(Path::new("../src/./a.ts")),
            PathBuf::from("../src/a.ts")
        );
    }
}
