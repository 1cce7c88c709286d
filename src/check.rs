//! The pipeline, in one direction. Inputs (a walk, or the git index) are
//! scanned in parallel; each file's findings are located, then suppressed,
//! then judged by the policy. The run's findings are then sorted once,
//! fingerprinted, compared with the baseline and traced to their origins;
//! each stage only sets a finding's status, fingerprint or origins.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::config::Settings;
use crate::finding::{Finding, SensitiveReason};
use crate::input::git::{self, GitError};
use crate::input::shard::Shard;
use crate::input::{read, walk};
use crate::origin::template::SourceFiles;
use crate::policy::baseline::{self, Baseline, BaselineError};
use crate::policy::{self, comments, suppress};
use crate::report::model::{FileError, Report};
use crate::scan::{FileScan, ScanContext};
use crate::vendors::Ruleset;

/// Why a run could not produce a report.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CheckError {
    /// The staged files could not be read from git.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Git(#[from] GitError),
    /// The baseline cannot be used.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Baseline(#[from] BaselineError),
    /// The current directory is unusable (`--staged` resolves paths from it).
    #[error("cannot read the current directory: {0}")]
    #[diagnostic(code(tracklint::check))]
    CurrentDir(std::io::Error),
}

/// Where the content to scan comes from.
enum Input {
    /// A file on disk.
    File(walk::WalkedFile),
    /// Staged content from the git index.
    Blob { display: String, bytes: Vec<u8> },
}

impl Input {
    /// The path as shown.
    fn display(&self) -> &str {
        match self {
            Input::File(f) => &f.display,
            Input::Blob { display, .. } => display,
        }
    }

    /// The path from the scan root, which config globs match.
    fn rel(&self) -> &Path {
        match self {
            Input::File(f) => &f.rel,
            Input::Blob { display, .. } => Path::new(display),
        }
    }
}

/// Told of a run's progress, file by file.
pub trait Progress: Send + Sync {
    /// The run scans `files` files.
    fn start(&self, files: u64);
    /// One file done.
    fn tick(&self);
    /// The scan is over.
    fn finish(&self);
}

/// How a run chooses its inputs and treats its findings.
#[derive(Clone, Default)]
pub struct RunOptions {
    /// Scan the staged content of the git index instead of walking.
    pub staged: bool,
    /// Honour inline `tracklint-ignore` comments.
    pub inline_ignores: bool,
    /// Findings in this baseline do not fail the run.
    pub baseline: Option<PathBuf>,
    /// Scan only this deterministic share of the files.
    pub shard: Option<Shard>,
    /// Told of each file scanned (the CLI's progress bar).
    pub progress: Option<Arc<dyn Progress>>,
}

/// What became of one input.
enum Outcome {
    /// Scanned: its findings after suppression and policy, and why it is
    /// sensitive if its forms ask for health information.
    Scanned {
        findings: Vec<Finding>,
        code: bool,
        form: Option<SensitiveReason>,
    },
    /// Binary content, not named as HTML or code: skipped.
    Binary,
    /// It could not be scanned.
    Failed(String),
}

/// Runs a check with validated settings and a loaded ruleset.
pub fn run(
    settings: &Settings,
    ruleset: &Ruleset,
    opts: &RunOptions,
) -> Result<Report, CheckError> {
    let started = Instant::now();
    let baseline = opts.baseline.as_deref().map(Baseline::load).transpose()?;
    let mut report = Report {
        baseline: baseline.is_some(),
        config: settings
            .config_path
            .as_ref()
            .map(|p| p.display().to_string()),
        shard: opts.shard,
        config_digest: crate::config::digest([
            settings.digest.as_str(),
            if opts.inline_ignores {
                ""
            } else {
                "--no-inline-ignores"
            },
        ]),
        ..Report::default()
    };
    let inputs = inputs(settings, opts, &mut report)?;
    let sources = settings.sources.as_ref().map(|globs| {
        let (files, mut notes) = SourceFiles::discover(globs);
        report.notes.append(&mut notes);
        files
    });
    let is_source = |path: &Path| sources.as_ref().is_some_and(|s| s.contains(path));
    let ctx = ScanContext {
        ruleset,
        first_party: &settings.first_party,
        inline_ignores: opts.inline_ignores,
        sources: sources.is_some().then_some(&is_source as _),
        infer_sensitive: settings.infer_sensitive,
    };

    // Per file, in parallel: scan and locate, suppress, policy.
    let progress = opts.progress.as_deref();
    if let Some(p) = progress {
        p.start(inputs.len() as u64);
    }
    let outcomes: Vec<Outcome> = inputs
        .par_iter()
        .map(|input| {
            let scanned = match input {
                Input::File(f) => ctx.scan_file(&f.path, &f.display),
                Input::Blob { display, bytes } => ctx.scan_blob(bytes, display, None),
            };
            if let Some(p) = progress {
                p.tick();
            }
            match scanned {
                Ok(FileScan {
                    skipped_binary: true,
                    ..
                }) => Outcome::Binary,
                Ok(FileScan {
                    findings,
                    directives,
                    code,
                    form,
                    ..
                }) => {
                    // Only markers in real comments are directives.
                    let directives = if directives.is_empty() {
                        directives
                    } else {
                        // Read again as a stream, up to the last directive.
                        let (raw, path): (Box<dyn std::io::Read>, &Path) = match input {
                            Input::File(f) => match std::fs::File::open(&f.path) {
                                Ok(file) => (Box::new(file), f.path.as_path()),
                                Err(e) => return Outcome::Failed(e.to_string()),
                            },
                            Input::Blob { bytes, display, .. } => {
                                (Box::new(&bytes[..]), Path::new(display))
                            }
                        };
                        comments::keep_real(directives, raw, path, None, is_source(path))
                    };
                    let mut findings = suppress::apply(findings, directives, ruleset);
                    policy::apply(settings, ruleset, input.rel(), form.as_ref(), &mut findings);
                    Outcome::Scanned {
                        findings,
                        code,
                        form,
                    }
                }
                Err(e) => Outcome::Failed(e.to_string()),
            }
        })
        .collect();
    if let Some(p) = progress {
        p.finish();
    }

    let mut code: HashMap<&str, &Path> = HashMap::new();
    for (input, outcome) in inputs.iter().zip(outcomes) {
        match outcome {
            Outcome::Binary => report.binary_skipped += 1,
            Outcome::Scanned {
                mut findings,
                code: is_code,
                form,
            } => {
                report.sensitive_reasons.extend(form);
                report.files.push(input.display().to_string());
                report.files_scanned += 1;
                report.findings.append(&mut findings);
                if let (Input::File(f), true) = (input, is_code) {
                    code.insert(&f.display, &f.path);
                }
            }
            Outcome::Failed(message) => report.errors.push(FileError {
                file: input.display().to_string(),
                message,
            }),
        }
    }
    report.sensitive = sensitive_files(settings, &inputs, &report.files);
    report
        .sensitive
        .extend(report.sensitive_reasons.iter().map(|r| r.file.clone()));
    report.sensitive.sort();
    report.sensitive.dedup();
    report.sensitive_reasons.sort_by(|a, b| a.file.cmp(&b.file));

    // The whole run: sort once, fingerprint, baseline, origins.
    report.sort();
    baseline::fingerprint(&mut report.findings, ruleset);
    if let Some(b) = baseline {
        let present: HashSet<&str> = report
            .findings
            .iter()
            .map(|f| f.fingerprint.as_str())
            .collect();
        let mut fixed = b.fixed(&present);
        // Another shard scans the other files: their entries are not fixed.
        if let Some(s) = opts.shard {
            fixed.retain(|e| s.contains(&e.file));
        }
        report.fixed = fixed;
        b.mark(&mut report.findings);
    }
    let mut notes = crate::origin::sourcemap::trace(&mut report.findings, &code);
    report.notes.append(&mut notes);
    if let Some(sources) = &sources {
        let mut all: Vec<&mut Finding> = report.findings.iter_mut().collect();
        let mut notes = sources.trace(&mut all);
        report.notes.append(&mut notes);
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Scans bytes in memory as `kind` and applies their inline suppressions:
/// the reported findings (for tests, fuzzing and examples; no policy).
pub fn scan_bytes(
    ctx: &ScanContext<'_>,
    bytes: &[u8],
    display: &str,
    kind: read::FileKind,
) -> Result<Vec<Finding>, crate::scan::ScanError> {
    let scan = ctx.scan_blob(bytes, display, Some(kind))?;
    let source = ctx.sources.is_some_and(|s| s(Path::new(display)));
    let directives = comments::keep_real(
        scan.directives,
        bytes,
        Path::new(display),
        Some(kind),
        source,
    );
    let mut findings = suppress::apply(scan.findings, directives, ctx.ruleset);
    findings.retain(|f| f.status == crate::finding::Status::Reported);
    Ok(findings)
}

/// The inputs of a run: the staged files, or a walk of the paths (whose
/// errors and skipped links go into `report`), limited to the shard.
fn inputs(
    settings: &Settings,
    opts: &RunOptions,
    report: &mut Report,
) -> Result<Vec<Input>, CheckError> {
    let inputs = if opts.staged {
        staged_inputs(settings)?
    } else {
        let walked = walk::walk(settings);
        report.errors = walked
            .errors
            .into_iter()
            .map(|e| FileError {
                file: e.path,
                message: e.message,
            })
            .collect();
        if settings.strict {
            report
                .errors
                .extend(walked.links_skipped.iter().map(|link| {
                    FileError {
                        file: link.clone(),
                        message: "a symbolic link, not followed (--strict): its target is not \
                              scanned; pass --follow or name the target"
                            .into(),
                    }
                }));
        }
        report.links_skipped = walked.links_skipped;
        for file in &walked.excluded {
            report.notes.push(format!(
                "{file} is excluded by the config's or --exclude's globs: not scanned"
            ));
        }
        // A gate that looked at nothing must not pass: an empty or mistyped
        // build directory is a configuration error, not a clean site. When
        // every path named is a file the user excluded on purpose, there is
        // nothing to do: the notes say so.
        let all_excluded = walked.excluded.len() == settings.paths.len();
        if walked.files.is_empty() && report.errors.is_empty() && !all_excluded {
            let paths: Vec<String> = settings
                .paths
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            report.errors.push(FileError {
                file: paths.join(", "),
                message: "no HTML, template or JavaScript files found: nothing was checked".into(),
            });
        }
        walked.files.into_iter().map(Input::File).collect()
    };
    // Every shard of a run sees the same full list: merge checks it.
    let mut all: Vec<&str> = inputs.iter().map(Input::display).collect();
    all.sort_unstable();
    report.files_digest = crate::config::digest(all);
    Ok(match opts.shard {
        Some(s) => inputs
            .into_iter()
            .filter(|i| s.contains(i.display()))
            .collect(),
        None => inputs,
    })
}

/// The staged files to scan, read from the index: every staged HTML,
/// template or JavaScript file (or what `include` names) that `exclude`
/// does not, wherever it is in the repository. `[site] root` only says
/// where a walk starts; a commit can bring a tracker in anywhere. Paths
/// named with `--staged` limit the files considered.
fn staged_inputs(settings: &Settings) -> Result<Vec<Input>, CheckError> {
    let top = git::toplevel()?;
    let cwd = std::env::current_dir().map_err(CheckError::CurrentDir)?;
    // git answers with the real path; compare like with like.
    let cwd = cwd.canonicalize().unwrap_or(cwd);
    let limits: Vec<PathBuf> = if settings.paths_named {
        settings
            .paths
            .iter()
            .filter(|p| p.as_os_str() != ".")
            .map(|p| lexical(&cwd.join(p)))
            .collect()
    } else {
        Vec::new()
    };
    let root = settings.root.as_ref().map(|r| lexical(&cwd.join(r)));
    let wanted: Vec<git::StagedFile> = git::staged_files(&top)?
        .into_iter()
        .filter(|f| {
            let rel = Path::new(&f.path);
            let abs = top.join(rel);
            // The config's globs match the path from the repository root,
            // and for a file under `[site] root` its path from there too.
            let from_root = root.as_ref().and_then(|r| abs.strip_prefix(r).ok());
            let forms: Vec<&Path> = std::iter::once(rel).chain(from_root).collect();
            let included = match &settings.include {
                Some(inc) => forms.iter().any(|p| inc.is_match(p)),
                None => read::kind_for_extension(rel).is_some(),
            };
            included
                // As in a walk, an excluded directory excludes what is in it.
                && !forms
                    .iter()
                    .any(|p| p.ancestors().any(|a| settings.exclude.is_match(a)))
                && (limits.is_empty() || limits.iter().any(|l| abs.starts_with(l)))
        })
        .collect();
    let blobs: Vec<&str> = wanted.iter().map(|f| f.blob.as_str()).collect();
    let contents = git::read_blobs(&top, &blobs)?;
    Ok(wanted
        .into_iter()
        .zip(contents)
        .map(|(f, bytes)| Input::Blob {
            display: f.path,
            bytes,
        })
        .collect())
}

/// `p` with `.` and `..` resolved without asking the file system (the
/// root of a build need not exist yet).
fn lexical(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// The scanned files among `inputs` that `[sensitive] paths` matches, as
/// shown, sorted.
fn sensitive_files(settings: &Settings, inputs: &[Input], scanned: &[String]) -> Vec<String> {
    let scanned: HashSet<&str> = scanned.iter().map(String::as_str).collect();
    let mut out: Vec<String> = inputs
        .iter()
        .filter(|i| scanned.contains(i.display()) && settings.sensitive.is_match(i.rel()))
        .map(|i| i.display().to_string())
        .collect();
    out.sort();
    out
}
