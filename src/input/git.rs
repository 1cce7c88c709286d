//! The git side of the pre-commit gate: which files are staged, and their
//! staged content read from the index (honouring `GIT_INDEX_FILE`), so an
//! unstaged fix cannot let a staged tracker through and an unstaged tracker
//! cannot block a clean commit. Only `git` itself is run; the tree is never
//! walked.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

crate::layer_error!(
    /// Git could not be run or answered unexpectedly (`--staged`, SARIF paths).
    GitError,
    "tracklint::git"
);

/// A staged file: its path from the repository root and its blob.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StagedFile {
    /// Path from the repository root, `/`-separated.
    pub path: String,
    /// The staged blob's object id.
    pub blob: String,
}

fn git(args: &[&str], dir: Option<&Path>) -> Result<Vec<u8>, GitError> {
    let mut cmd = Command::new("git");
    if let Some(d) = dir {
        cmd.arg("-C").arg(d);
    }
    let out = cmd
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| GitError::new(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(GitError::new(format!(
            "git {} failed: {}",
            args.join(" "),
            err.trim()
        )));
    }
    Ok(out.stdout)
}

/// The repository's top-level directory; an error outside a repository.
pub fn toplevel() -> Result<PathBuf, GitError> {
    let out = git(&["rev-parse", "--show-toplevel"], None).map_err(|_| GitError {
        message: "--staged needs a git repository, and this is not inside one".into(),
        help: Some("run it from your repository, or scan paths without --staged".into()),
    })?;
    Ok(PathBuf::from(String::from_utf8_lossy(&out).trim()))
}

/// Every staged file whose content lands in the commit: added, copied,
/// modified, renamed, type-changed (a symbolic link replaced by a file)
/// and any other status git reports, all but deletions. What is staged as
/// a symbolic link or a submodule is skipped: its content is a path or a
/// commit, not a page. An unmerged path is an error: its content is not
/// decided yet.
pub fn staged_files(top: &Path) -> Result<Vec<StagedFile>, GitError> {
    let out = git(
        &[
            "diff",
            "--cached",
            "--raw",
            "-z",
            "--no-abbrev",
            // Lowercase excludes: everything but deletions.
            "--diff-filter=d",
            "--no-ext-diff",
        ],
        Some(top),
    )?;
    let mut files = Vec::new();
    let mut fields = out.split(|&b| b == 0).filter(|f| !f.is_empty());
    while let Some(meta) = fields.next() {
        // ":100644 100644 <old> <new> M" then the path (two for R and C).
        let meta = String::from_utf8_lossy(meta);
        let parts: Vec<&str> = meta.trim_start_matches(':').split(' ').collect();
        if parts.len() < 5 {
            break;
        }
        let (mode, blob, status) = (parts[1], parts[3], parts[4]);
        let mut path = fields
            .next()
            .map(|p| String::from_utf8_lossy(p).into_owned());
        if status.starts_with('R') || status.starts_with('C') {
            path = fields
                .next()
                .map(|p| String::from_utf8_lossy(p).into_owned());
        }
        let Some(path) = path else { break };
        if status.starts_with('U') {
            return Err(GitError {
                message: format!("{path} is unmerged, so its staged content is not decided"),
                help: Some("resolve the conflict and `git add` the file, then check again".into()),
            });
        }
        // Regular files only (not 120000 symlinks or 160000 submodules).
        if mode.starts_with("100") {
            files.push(StagedFile {
                path,
                blob: blob.to_string(),
            });
        }
    }
    Ok(files)
}

/// Reads the blobs' content with one `git cat-file --batch`.
pub fn read_blobs(top: &Path, blobs: &[&str]) -> Result<Vec<Vec<u8>>, GitError> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(top)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| GitError::new(format!("cannot run git cat-file: {e}")))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let request: String = blobs.iter().map(|b| format!("{b}\n")).collect();
    // Write from a thread so a large answer cannot deadlock the pipe.
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let mut reader = BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut out = Vec::with_capacity(blobs.len());
    let broken = |what: &str| GitError::new(format!("git cat-file --batch: {what}"));
    for blob in blobs {
        let mut header = String::new();
        reader
            .read_line(&mut header)
            .map_err(|e| broken(&e.to_string()))?;
        let mut parts = header.split_whitespace();
        let (id, kind, size) = (parts.next(), parts.next(), parts.next());
        if id != Some(blob) || kind != Some("blob") {
            return Err(broken(&format!(
                "unexpected answer `{}` for {blob}",
                header.trim()
            )));
        }
        let size: usize = size
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| broken("bad size"))?;
        let mut content = vec![0; size + 1];
        reader
            .read_exact(&mut content)
            .map_err(|e| broken(&e.to_string()))?;
        content.pop(); // the newline after each object
        out.push(content);
    }
    drop(reader);
    let _ = writer.join();
    let _ = child.wait();
    Ok(out)
}
