//! Finding the files to scan.
//!
//! `.gitignore` is deliberately not honoured: build output (`_site/`,
//! `dist/`) is usually ignored by git and is exactly what must be scanned.
//! `.git` and `node_modules` directories are skipped; symbolic links are not
//! followed (they are listed in the reports; `--strict` makes each an
//! error). Files named on the command line are scanned whatever their
//! extension; one that `exclude` matches is skipped and listed (the
//! pre-commit framework names every staged file, excluded or not).

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::Settings;
use crate::input::read;

/// Directory names never descended into.
const SKIP_DIRS: &[&str] = &[".git", "node_modules"];

/// A file to scan.
#[derive(Clone, Debug)]
pub struct WalkedFile {
    /// Where it is.
    pub path: PathBuf,
    /// The path as shown in output.
    pub display: String,
    /// The path from the scan root (as given, for a file named explicitly),
    /// which config globs match.
    pub rel: PathBuf,
}

/// A path that could not be walked.
#[derive(Clone, Debug)]
pub struct WalkError {
    /// The path.
    pub path: String,
    /// Why.
    pub message: String,
}

/// The walk's result, in a stable order.
#[derive(Default)]
pub struct Walk {
    /// Files to scan, sorted by path within each argument.
    pub files: Vec<WalkedFile>,
    /// Paths that could not be read.
    pub errors: Vec<WalkError>,
    /// Symbolic links met while walking, which are not followed.
    pub links_skipped: Vec<String>,
    /// Files named explicitly that the config's or the flags' `exclude`
    /// matches: skipped, and said so.
    pub excluded: Vec<String>,
}

/// Walks every path in `settings`.
pub fn walk(settings: &Settings) -> Walk {
    let mut out = Walk::default();
    for root in &settings.paths {
        walk_root(root, settings, &mut out);
    }
    out
}

fn walk_root(root: &Path, settings: &Settings, out: &mut Walk) {
    let meta = match std::fs::metadata(root) {
        Ok(m) => m,
        Err(e) => {
            out.errors.push(WalkError {
                path: display(root),
                message: e.to_string(),
            });
            return;
        }
    };
    if !meta.is_file() && !meta.is_dir() {
        out.errors.push(WalkError {
            path: display(root),
            message: "not a regular file (a FIFO, socket or device): it cannot be scanned".into(),
        });
        return;
    }
    if meta.is_file() {
        if root.to_str().is_none() {
            out.errors.push(not_utf8(root));
            return;
        }
        if settings.exclude.is_match(root) {
            out.excluded.push(display(root));
        } else {
            out.files.push(WalkedFile {
                path: root.to_path_buf(),
                display: display(root),
                rel: root.strip_prefix("./").unwrap_or(root).to_path_buf(),
            });
        }
        return;
    }
    let walker = WalkDir::new(root)
        .follow_links(settings.follow)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            let rel = e.path().strip_prefix(root).unwrap_or(e.path());
            if settings.exclude.is_match(rel) {
                return false;
            }
            !(e.file_type().is_dir()
                && e.file_name()
                    .to_str()
                    .is_some_and(|n| SKIP_DIRS.contains(&n)))
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                out.errors.push(WalkError {
                    path: e.path().map_or_else(|| display(root), display),
                    message: e
                        .io_error()
                        .map_or_else(|| e.to_string(), std::string::ToString::to_string),
                });
                continue;
            }
        };
        if !settings.follow && entry.path_is_symlink() {
            out.links_skipped.push(display(entry.path()));
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        if !entry.file_type().is_file() {
            // A FIFO named like a page would block or hide content: say so.
            let special = !entry.file_type().is_dir() && !entry.file_type().is_symlink();
            if special && read::kind_for_extension(entry.path()).is_some() {
                out.errors.push(WalkError {
                    path: display(entry.path()),
                    message: "not a regular file (a FIFO, socket or device): it cannot be scanned"
                        .into(),
                });
            }
            continue;
        }
        let wanted = match &settings.include {
            Some(inc) => inc.is_match(rel),
            None => {
                read::kind_for_extension(entry.path()).is_some() || rsc_beside_page(entry.path())
            }
        };
        // Output formats need UTF-8 paths; a lossy name would point nowhere.
        if wanted && entry.path().to_str().is_none() {
            out.errors.push(not_utf8(entry.path()));
        } else if wanted {
            out.files.push(WalkedFile {
                path: entry.path().to_path_buf(),
                display: display(entry.path()),
                rel: rel.to_path_buf(),
            });
        }
    }
}

/// A Next.js static export's React Server Component payload beside its
/// page: `about.txt` next to `about.html` (`index.txt` next to
/// `index.html`), whose first bytes are an RSC row. The client router
/// fetches it and renders what it holds, scripts included.
fn rsc_beside_page(path: &Path) -> bool {
    use std::io::Read;
    if path.extension().and_then(|e| e.to_str()) != Some("txt")
        || !path.with_extension("html").is_file()
    {
        return false;
    }
    let mut head = Vec::with_capacity(16);
    // Unreadable: scanned, so that the error is reported.
    std::fs::File::open(path)
        .and_then(|f| f.take(16).read_to_end(&mut head))
        .map_or(true, |_| read::is_rsc_payload(&head))
}

fn not_utf8(p: &Path) -> WalkError {
    WalkError {
        path: display(p),
        message: "the path is not valid UTF-8, so findings in it could not be reported; rename it"
            .into(),
    }
}

/// A path as shown to users: as given, without a leading `./`.
fn display(p: &Path) -> String {
    let s = p.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_string()
}
