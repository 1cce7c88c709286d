//! Template origins: for a finding in built HTML, the template lines that
//! produced it.
//!
//! `[sources] paths` names where a site's templates and code live. Each
//! finding's text as built (the script URL, the pixel endpoint, the snippet
//! call) is searched for in those files, with every template expression
//! (see [`crate::scan::template`]) standing in for any text of up to
//! [`MAX_WILDCARD`] bytes on one line: `…/gtag/js?id={{ site.ga_id }}`
//! produced `…/gtag/js?id=G-ABC123`. The finding's key (its host, or the
//! whole snippet) must be written literally in the template, which keeps a
//! bare `{{ content }}` from matching everything. Every match is an origin;
//! when none matches, the finding says so.
//!
//! It stays one file past 500 lines (about 90 of them tests) because
//! loading a template into its skeleton of expressions and matching
//! findings against that skeleton share one representation (`Loaded`).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::SourceGlobs;
use crate::finding::Finding;
use crate::origin::{Origin, Via};
use crate::rules::Rule;

/// The most text one template expression may stand for.
pub const MAX_WILDCARD: usize = 256;
/// Source files larger than this are not templates; they are skipped with
/// a note.
const MAX_SOURCE: u64 = 8 * 1024 * 1024;
/// The shortest key searched for.
const MIN_KEY: usize = 3;
/// Stands for a template expression in a skeleton.
const WILD: u8 = 0;
/// Extensions searched besides the scanned kinds: Markdown pages carry
/// inline HTML in Jekyll, Hugo and Eleventy.
const EXTRA_EXTENSIONS: &[&str] = &["md", "markdown", "mdx"];

/// The files under `[sources] paths`.
pub struct SourceFiles {
    /// Each file, in path order.
    files: Vec<SourceFile>,
    /// Canonical paths, to tell whether a scanned file is a template.
    canonical: HashSet<PathBuf>,
    /// The globs as written, for notes.
    patterns: Vec<String>,
}

struct SourceFile {
    /// As shown in origins: relative to the current directory when the
    /// config's directory is.
    display: String,
    path: PathBuf,
}

/// A source file read for searching.
struct Loaded {
    display: String,
    /// The original bytes.
    text: Vec<u8>,
    /// ASCII-lowercased text with each expression replaced by one [`WILD`].
    skeleton: Vec<u8>,
    /// For each skeleton byte, its offset in `text`.
    offsets: Vec<usize>,
}

impl SourceFiles {
    /// Finds the files `globs` match under their base directory (skipping
    /// `.git` and `node_modules`), keeping HTML, template, code and
    /// Markdown files. Problems are returned as notes: origins are a help,
    /// not part of the gate.
    pub fn discover(globs: &SourceGlobs) -> (SourceFiles, Vec<String>) {
        let mut notes = Vec::new();
        let mut files = Vec::new();
        let root = if globs.base.as_os_str().is_empty() {
            Path::new(".")
        } else {
            &globs.base
        };
        let walker = WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !(e.file_type().is_dir()
                        && matches!(e.file_name().to_str(), Some(".git" | "node_modules")))
            });
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    notes.push(format!("[sources]: {e}"));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(root) else {
                continue;
            };
            if !globs.set.is_match(rel) || !searchable(rel) {
                continue;
            }
            if entry.metadata().is_ok_and(|m| m.len() > MAX_SOURCE) {
                notes.push(format!(
                    "[sources]: {} is over {} MiB and is not searched for origins",
                    entry.path().display(),
                    MAX_SOURCE >> 20
                ));
                continue;
            }
            let path = if globs.base.as_os_str().is_empty() {
                rel.to_path_buf()
            } else {
                entry.path().to_path_buf()
            };
            files.push(SourceFile {
                display: path.display().to_string(),
                path,
            });
        }
        if files.is_empty() {
            notes.push(format!(
                "[sources] paths ({}) match no template, HTML, code or Markdown file under {}",
                globs.patterns.join(", "),
                root.display()
            ));
        }
        let canonical = files
            .iter()
            .filter_map(|f| std::fs::canonicalize(&f.path).ok())
            .collect();
        (
            SourceFiles {
                files,
                canonical,
                patterns: globs.patterns.clone(),
            },
            notes,
        )
    }

    /// Whether the file at `path` is one of the sources (a template to scan
    /// with its syntax opaque).
    pub fn contains(&self, path: &Path) -> bool {
        !self.canonical.is_empty()
            && std::fs::canonicalize(path).is_ok_and(|p| self.canonical.contains(&p))
    }

    /// Sets the origins of `findings` that have none (no source map gave
    /// one) and are not in a source file themselves. Returns notes for
    /// source files that could not be read.
    pub fn trace(&self, findings: &mut [&mut Finding]) -> Vec<String> {
        let shown: HashSet<&str> = self.files.iter().map(|s| s.display.as_str()).collect();
        // Each finding's needle, computed once; `None`: not searched for.
        let wanted: Vec<Option<Needle>> = findings
            .iter()
            .map(|f| {
                let searched = f.origins.is_empty()
                    && !matches!(
                        f.rule,
                        Rule::SuppressionWithoutReason | Rule::UnusedSuppression
                    )
                    && !shown.contains(f.file.trim_start_matches("./"));
                // Too little text to search for (a key of one or two
                // characters would match everywhere).
                searched
                    .then(|| Needle::of(f))
                    .filter(|n| n.key.len() >= MIN_KEY)
            })
            .collect();
        let mut needles: Vec<&Needle> = wanted.iter().flatten().collect();
        if needles.is_empty() {
            return Vec::new();
        }
        needles.sort_unstable();
        needles.dedup();
        let mut notes = Vec::new();
        let loaded: Vec<Loaded> = self
            .files
            .par_iter()
            .map(|f| std::fs::read(&f.path).map(|t| Loaded::new(f.display.clone(), t)))
            .collect::<Vec<_>>()
            .into_iter()
            .zip(&self.files)
            .filter_map(|(r, f)| {
                r.map_err(|e| {
                    notes.push(format!(
                        "[sources]: cannot read {}: {e}; it is not searched for origins",
                        f.display
                    ));
                })
                .ok()
            })
            .collect();
        // Each key is looked up once per file; each needle is then tried
        // only where its key is (a site has few keys and many needles: one
        // host, a different ID on every page).
        let mut keys: Vec<&str> = needles.iter().map(|n| n.key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        let hits: HashMap<&str, Vec<(usize, usize)>> = keys
            .par_iter()
            .map(|k| (*k, key_hits(&loaded, k)))
            .collect();
        let found: HashMap<&Needle, Vec<Origin>> = needles
            .par_iter()
            .map(|n| {
                let origins = match Folded::new(n) {
                    Some(folded) => hits[n.key.as_str()]
                        .iter()
                        .filter_map(|&(file, at)| loaded[file].match_at(at, &folded))
                        .fold(Vec::<Origin>::new(), |mut acc, o| {
                            if acc.last() != Some(&o) {
                                acc.push(o);
                            }
                            acc
                        }),
                    None => Vec::new(),
                };
                (*n, origins)
            })
            .collect();
        for (f, n) in findings.iter_mut().zip(&wanted) {
            let Some(n) = n else { continue };
            match found.get(n) {
                Some(o) if !o.is_empty() => f.origins = o.clone(),
                _ => {
                    f.origin_note = Some(format!(
                        "no file under [sources] paths ({}) contains `{}`",
                        self.patterns.join(", "),
                        shorten(&n.text)
                    ));
                }
            }
        }
        notes
    }
}

/// Where `key` (lowercased) occurs in each file's skeleton: (file, offset).
fn key_hits(files: &[Loaded], key: &str) -> Vec<(usize, usize)> {
    let key = fold(key.as_bytes());
    let finder = memchr::memmem::Finder::new(&key);
    files
        .iter()
        .enumerate()
        .flat_map(|(i, f)| finder.find_iter(&f.skeleton).map(move |at| (i, at)))
        .collect()
}

/// Character references that HTML output and its templates write
/// differently (Hugo's html/template writes `&` in a URL as `&amp;`), as the
/// byte they stand for.
const ENTITIES: &[(&[u8], u8)] = &[
    (b"&amp;", b'&'),
    (b"&#38;", b'&'),
    (b"&quot;", b'"'),
    (b"&#34;", b'"'),
    (b"&#39;", b'\''),
    (b"&#x27;", b'\''),
    (b"&apos;", b'\''),
    (b"&lt;", b'<'),
    (b"&gt;", b'>'),
    (b"&#47;", b'/'),
    (b"&#x2f;", b'/'),
    (b"&sol;", b'/'),
    (b"&#x3d;", b'='),
    (b"&#61;", b'='),
];

/// The character reference at `text[i]`, if one of [`ENTITIES`]: the byte
/// it stands for and its length.
fn entity_at(text: &[u8], i: usize) -> Option<(u8, usize)> {
    if text[i] != b'&' {
        return None;
    }
    ENTITIES.iter().find_map(|(e, b)| {
        text.get(i..i + e.len())
            .filter(|w| w.eq_ignore_ascii_case(e))
            .map(|_| (*b, e.len()))
    })
}

/// `text` as compared: character references decoded, ASCII lowercased.
fn fold(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let (b, len) = entity_at(text, i).unwrap_or((text[i], 1));
        out.push(b.to_ascii_lowercase());
        i += len;
    }
    out
}

/// Whether a source file is worth searching, by extension.
fn searchable(rel: &Path) -> bool {
    crate::input::read::kind_for_extension(rel).is_some()
        || rel
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTRA_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// What a finding is searched for by.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Needle {
    /// The finding's text as built.
    text: String,
    /// The part that must be written literally in the template: the host
    /// of a URL, else the whole text.
    key: String,
}

impl Needle {
    fn of(f: &Finding) -> Needle {
        let text = f.matched_text().trim().to_string();
        let host = f
            .url
            .as_deref()
            .map(|u| u.split('/').next().unwrap_or(u).to_ascii_lowercase())
            .filter(|h| !h.is_empty() && text.to_ascii_lowercase().contains(h.as_str()));
        let key = host.unwrap_or_else(|| text.clone());
        Needle { text, key }
    }
}

/// A needle as compared (see [`fold`]), split around its key: the text
/// before the key reversed (matched backwards), the key, the text after.
struct Folded {
    before_rev: Vec<u8>,
    key_len: usize,
    after: Vec<u8>,
}

impl Folded {
    /// `None` when the folded key does not occur in the folded text.
    fn new(n: &Needle) -> Option<Folded> {
        let text = fold(n.text.as_bytes());
        let key = fold(n.key.as_bytes());
        let k = memchr::memmem::find(&text, &key)?;
        Some(Folded {
            before_rev: text[..k].iter().rev().copied().collect(),
            key_len: key.len(),
            after: text[k + key.len()..].to_vec(),
        })
    }
}

/// At most 80 characters of `s`, for a note.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(80) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

impl Loaded {
    fn new(display: String, text: Vec<u8>) -> Loaded {
        let exprs = crate::scan::template::expressions(&text);
        let mut skeleton = Vec::with_capacity(text.len());
        let mut offsets = Vec::with_capacity(text.len());
        let mut next = exprs.iter().peekable();
        let mut i = 0;
        while i < text.len() {
            if let Some(r) = next.next_if(|r| r.start == i) {
                skeleton.push(WILD);
                offsets.push(i);
                i = r.end;
                continue;
            }
            // A NUL in the text must not act as a wildcard.
            let (b, len) = entity_at(&text, i).unwrap_or((text[i], 1));
            skeleton.push(match b {
                WILD => 1,
                b => b.to_ascii_lowercase(),
            });
            offsets.push(i);
            i += len;
        }
        Loaded {
            display,
            text,
            skeleton,
            offsets,
        }
    }

    /// The origin of `needle` if it matches with its key at skeleton
    /// offset `at`.
    fn match_at(&self, at: usize, needle: &Folded) -> Option<Origin> {
        glob_prefix(&self.skeleton[at + needle.key_len..], &needle.after)?;
        // Backwards: at most one skeleton byte per needle byte, plus one
        // per wildcard between them.
        let lo = at.saturating_sub(2 * needle.before_rev.len() + 2);
        let window: Vec<u8> = self.skeleton[lo..at].iter().rev().copied().collect();
        let back = glob_prefix(&window, &needle.before_rev)?;
        Some(self.origin_at(self.offsets[at - back]))
    }

    /// The origin for byte `start` of the file.
    fn origin_at(&self, start: usize) -> Origin {
        let line_start = memchr::memrchr(b'\n', &self.text[..start]).map_or(0, |p| p + 1);
        let line = memchr::memchr_iter(b'\n', &self.text[..start]).count() as u64 + 1;
        let column = String::from_utf8_lossy(&self.text[line_start..start])
            .chars()
            .count() as u64
            + 1;
        let line_end =
            memchr::memchr(b'\n', &self.text[start..]).map_or(self.text.len(), |p| start + p);
        let text = String::from_utf8_lossy(&self.text[line_start..line_end])
            .trim_end_matches('\r')
            .to_string();
        Origin {
            file: self.display.clone(),
            line,
            column,
            text: Some(text),
            via: Via::Template,
        }
    }
}

/// Matches all of `text` against the start of `pattern`, where each
/// [`WILD`] in the pattern matches up to [`MAX_WILDCARD`] bytes of text on
/// one line. Returns how many pattern bytes the match used.
fn glob_prefix(pattern: &[u8], text: &[u8]) -> Option<usize> {
    let (mut p, mut t) = (0, 0);
    // The last wildcard: pattern index after it, where its text began, and
    // how far it reaches now.
    let mut star: Option<(usize, usize, usize)> = None;
    while t < text.len() {
        if pattern.get(p) == Some(&WILD) {
            star = Some((p + 1, t, t));
            p += 1;
        } else if pattern.get(p) == Some(&text[t]) {
            p += 1;
            t += 1;
        } else {
            let (after, began, reach) = star?;
            if text[reach] == b'\n' || reach + 1 - began > MAX_WILDCARD {
                return None;
            }
            star = Some((after, began, reach + 1));
            p = after;
            t = reach + 1;
        }
    }
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(template: &str, needle: &str, key: &str) -> Vec<(u64, u64)> {
        let files = [Loaded::new("t".into(), template.as_bytes().to_vec())];
        let folded = Folded::new(&Needle {
            text: needle.into(),
            key: key.into(),
        })
        .unwrap();
        key_hits(&files, key)
            .into_iter()
            .filter_map(|(_, at)| files[0].match_at(at, &folded))
            .map(|o| (o.line, o.column))
            .collect()
    }

    #[test]
    fn expressions_stand_in_for_ids() {
        let t = "<head>\n  <script async src=\"https://www.googletagmanager.com/gtag/js?id={{ site.ga_id }}\"></script>\n";
        let built = "https://www.googletagmanager.com/gtag/js?id=G-ABC123";
        assert_eq!(find(t, built, "www.googletagmanager.com"), vec![(2, 22)]);
        // The literal parts must agree.
        let other = "https://www.googletagmanager.com/gtm.js?id=GTM-1";
        assert!(find(t, other, "www.googletagmanager.com").is_empty());
        // A host that is itself an expression is not the origin.
        let t2 = "<script src=\"https://{{ cdn }}/gtag/js?id={{ id }}\">";
        assert!(find(t2, built, "www.googletagmanager.com").is_empty());
    }

    #[test]
    fn snippets_and_several_expressions() {
        let t = "<script>\n  fbq('init', '{{ pixel }}');\n  fbq('track', '<%= ev %>');\n</script>";
        assert_eq!(find(t, "fbq('init', '1234')", "fbq('init'"), vec![(2, 3)]);
        assert_eq!(
            find(t, "fbq('track', 'PageView')", "fbq('track'"),
            vec![(3, 3)]
        );
        // A needle starting inside an expression begins at the expression.
        let t3 = "x = {{ proto }}//connect.facebook.net/en_US/fbevents.js";
        assert_eq!(
            find(
                t3,
                "https://connect.facebook.net/en_US/fbevents.js",
                "connect.facebook.net"
            ),
            vec![(1, 5)]
        );
    }

    #[test]
    fn character_references_match_what_they_stand_for() {
        // Hugo writes `&` as `&amp;` in the built attribute.
        let t = "<img src=\"https://www.facebook.com/tr?id={{ .ID }}&ev=PageView\">";
        let built = "https://www.facebook.com/tr?id=1&amp;ev=PageView";
        assert_eq!(find(t, built, "www.facebook.com"), vec![(1, 11)]);
        // And the other way round.
        let t = "<img src=\"https://bat.bing.com/action/0?ti={{ id }}&amp;Ver=2\">";
        assert_eq!(
            find(
                t,
                "https://bat.bing.com/action/0?ti=5&Ver=2",
                "bat.bing.com"
            ),
            vec![(1, 11)]
        );
        assert_eq!(fold(b"A&AMP;b&#x2F;&unknown;"), b"a&b/&unknown;");
    }

    #[test]
    fn wildcards_stay_on_one_line_and_bounded() {
        let t = "src=\"https://bat.bing.com/action/{{ x }}\"";
        assert!(
            find(
                t,
                "https://bat.bing.com/action/0?ti=1\nmore",
                "bat.bing.com"
            )
            .is_empty()
        );
        let long = format!(
            "https://bat.bing.com/action/{}",
            "a".repeat(MAX_WILDCARD + 1)
        );
        assert!(find(t, &long, "bat.bing.com").is_empty());
        assert_eq!(glob_prefix(b"a\0c", b"abbbc"), Some(3));
        assert_eq!(glob_prefix(b"abc", b"ab"), Some(2));
        assert_eq!(glob_prefix(b"ab", b"abc"), None);
    }
}
