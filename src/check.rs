//! `tracklint check`: find the inputs (a walk, or the git index), scan them
//! in parallel, apply suppressions, policy and the baseline, and collect a
//! report in deterministic order.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use std::collections::HashSet;

use crate::config::Settings;
use crate::error::UsageError;
use crate::finding::Finding;
use crate::input::{git, read, walk};
use crate::origin::template::SourceFiles;
use crate::policy::baseline::{self, Baseline, Entry};
use crate::policy::suppress::Suppressed;
use crate::policy::{self, Allowed};
use crate::rules::Severity;
use crate::scan::{FileScan, ScanContext, ScanError};
use crate::vendors::Ruleset;

/// A file or path that could not be scanned: the run fails with exit 2.
#[derive(Clone, Debug)]
pub struct FileError {
    /// The path as walked.
    pub file: String,
    /// Why it could not be scanned.
    pub message: String,
}

/// Which findings fail the run (`--fail-on`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Error findings (default).
    #[default]
    Error,
    /// Warning or error findings.
    Warning,
    /// Nothing: report only (unscannable files still exit 2).
    Never,
}

/// Everything a run found, in deterministic order.
#[derive(Default)]
pub struct Report {
    /// Findings sorted by file, line, column, rule.
    pub findings: Vec<Finding>,
    /// Findings accepted by `[[allow]]` entries, in the same order.
    pub allowed: Vec<Allowed>,
    /// Findings accepted by inline suppressions, in the same order.
    pub suppressed: Vec<Suppressed>,
    /// Findings present in the baseline (not failing the run).
    pub baselined: Vec<Finding>,
    /// Baseline entries that no longer occur.
    pub fixed: Vec<Entry>,
    /// Files that could not be scanned, sorted by path.
    pub errors: Vec<FileError>,
    /// The files scanned, as shown, in order (empty for merged reports).
    pub files: Vec<String>,
    /// How many files were scanned.
    pub files_scanned: usize,
    /// Binary files skipped (found by content, not named as HTML or code).
    pub binary_skipped: usize,
    /// Symbolic links met while walking and not followed.
    pub links_skipped: Vec<String>,
    /// Notes from scanning (unusable source maps), in file order.
    pub notes: Vec<String>,
    /// Scanned files matching `[sensitive]` paths, as shown, sorted.
    /// Reports highlight them.
    pub sensitive: Vec<String>,
    /// Whether a baseline was applied (findings are then the new ones).
    pub baseline: bool,
    /// Wall time of the scan.
    pub elapsed: Duration,
}

impl Report {
    /// Puts every list in the report's deterministic order: findings by
    /// file, line, column, rule; fixed entries by file, rule, fingerprint;
    /// errors by path.
    pub fn sort(&mut self) {
        self.findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.baselined
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.allowed
            .sort_by(|a, b| a.finding.sort_key().cmp(&b.finding.sort_key()));
        self.suppressed
            .sort_by(|a, b| a.finding.sort_key().cmp(&b.finding.sort_key()));
        self.fixed.sort_by(|a, b| {
            (&a.file, &a.rule, &a.fingerprint).cmp(&(&b.file, &b.rule, &b.fingerprint))
        });
        self.errors.sort_by(|a, b| a.file.cmp(&b.file));
    }

    /// Findings at `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// The process exit code: 2 if anything could not be scanned, else 1 if
    /// a finding at the `fail_on` level or above remains, else 0.
    pub fn exit_code(&self, fail_on: FailOn) -> u8 {
        let failing = match fail_on {
            FailOn::Error => self.count(Severity::Error) > 0,
            FailOn::Warning => self.count(Severity::Error) + self.count(Severity::Warning) > 0,
            FailOn::Never => false,
        };
        if !self.errors.is_empty() {
            2
        } else if failing {
            1
        } else {
            0
        }
    }
}

/// Where the content to scan comes from.
enum Input {
    /// A file on disk.
    File(walk::WalkedFile),
    /// Staged content from the git index.
    Blob { display: String, bytes: Vec<u8> },
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
    pub progress: Option<std::sync::Arc<dyn Progress>>,
}

/// `--shard K/N`: the K-th of N deterministic shares of the files, chosen
/// by a hash of each file's path, so every machine of a CI matrix picks the
/// same files and together they scan each file exactly once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Which share, from 1.
    pub index: u32,
    /// How many shares.
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}` is not K/N (for example 2/4)"))?;
        let index: u32 = k
            .trim()
            .parse()
            .map_err(|_| format!("`{k}` is not a number"))?;
        let count: u32 = n
            .trim()
            .parse()
            .map_err(|_| format!("`{n}` is not a number"))?;
        if count == 0 || index == 0 || index > count {
            return Err(format!("shard {index}/{count}: K must be between 1 and N"));
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether the file shown as `path` belongs to this shard.
    pub fn contains(&self, path: &str) -> bool {
        let normalized = path.replace('\\', "/");
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in normalized.trim_start_matches("./").as_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h % u64::from(self.count) == u64::from(self.index - 1)
    }
}

/// Runs a check with validated settings and a loaded ruleset.
pub fn run(
    settings: &Settings,
    ruleset: &Ruleset,
    opts: &RunOptions,
) -> Result<Report, UsageError> {
    let started = Instant::now();
    let baseline = opts.baseline.as_deref().map(Baseline::load).transpose()?;
    let mut report = Report {
        baseline: baseline.is_some(),
        ..Report::default()
    };
    let inputs = if opts.staged {
        staged_inputs(settings)?
    } else {
        let walked = walk::walk(settings);
        report.links_skipped = walked.links_skipped;
        report.errors = walked
            .errors
            .into_iter()
            .map(|e| FileError {
                file: e.path,
                message: e.message,
            })
            .collect();
        // A gate that looked at nothing must not pass: an empty or mistyped
        // build directory is a configuration error, not a clean site.
        if walked.files.is_empty() && report.errors.is_empty() {
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
        walked
            .files
            .into_iter()
            .filter(|f| opts.shard.is_none_or(|s| s.contains(&f.display)))
            .map(Input::File)
            .collect()
    };
    let inputs: Vec<Input> = match opts.shard {
        Some(s) if opts.staged => inputs
            .into_iter()
            .filter(|i| matches!(i, Input::Blob { display, .. } if s.contains(display)))
            .collect(),
        _ => inputs,
    };
    let progress = opts.progress.as_deref();
    if let Some(p) = progress {
        p.start(inputs.len() as u64);
    }

    let sources = settings.sources.as_ref().map(|globs| {
        let (files, mut notes) = SourceFiles::discover(globs);
        report.notes.append(&mut notes);
        files
    });
    let ctx = ScanContext {
        ruleset,
        first_party: &settings.first_party,
        inline_ignores: opts.inline_ignores,
        sources: sources.as_ref(),
    };
    type Scanned = (
        String,
        Result<Option<policy::Applied>, ScanError>,
        Vec<Suppressed>,
        Vec<String>,
    );
    let results: Vec<Scanned> = inputs
        .par_iter()
        .map(|input| {
            let (display, rel, scanned) = match input {
                Input::File(f) => (
                    &f.display,
                    f.rel.clone(),
                    ctx.scan_file(&f.path, &f.display),
                ),
                Input::Blob { display, bytes } => (
                    display,
                    PathBuf::from(display),
                    ctx.scan_blob(bytes, display, None),
                ),
            };
            if let Some(p) = progress {
                p.tick();
            }
            match scanned {
                Ok(FileScan {
                    skipped_binary: true,
                    ..
                }) => (display.clone(), Ok(None), Vec::new(), Vec::new()),
                Ok(FileScan {
                    findings,
                    suppressed,
                    notes,
                    ..
                }) => (
                    display.clone(),
                    Ok(Some(policy::apply(settings, ruleset, &rel, findings))),
                    suppressed,
                    notes,
                ),
                Err(e) => (display.clone(), Err(e), Vec::new(), Vec::new()),
            }
        })
        .collect();

    if let Some(p) = progress {
        p.finish();
    }
    for (display, result, mut suppressed, mut notes) in results {
        report.notes.append(&mut notes);
        match result {
            Ok(None) => report.binary_skipped += 1,
            Ok(Some(mut applied)) => {
                report.files.push(display);
                report.files_scanned += 1;
                report.findings.append(&mut applied.findings);
                report.allowed.append(&mut applied.allowed);
                report.suppressed.append(&mut suppressed);
            }
            Err(e) => report.errors.push(FileError {
                file: display,
                message: e.to_string(),
            }),
        }
    }
    report.sensitive = sensitive_files(settings, &inputs, &report.files);
    report.sort();
    let mut present: Vec<&mut Finding> = report
        .findings
        .iter_mut()
        .chain(report.suppressed.iter_mut().map(|s| &mut s.finding))
        .chain(report.allowed.iter_mut().map(|a| &mut a.finding))
        .collect();
    baseline::fingerprint(&mut present, ruleset);
    if let Some(b) = baseline {
        let all: HashSet<String> = present.iter().map(|f| f.fingerprint.clone()).collect();
        let (new, old, mut fixed) = b.split(std::mem::take(&mut report.findings), &all);
        // Another shard scans the other files: their entries are not fixed.
        if let Some(s) = opts.shard {
            fixed.retain(|e| s.contains(&e.file));
        }
        report.findings = new;
        report.baselined = old;
        report.fixed = fixed;
        report.sort();
    }
    if let Some(sources) = &sources {
        let mut all: Vec<&mut Finding> = report
            .findings
            .iter_mut()
            .chain(report.baselined.iter_mut())
            .chain(report.suppressed.iter_mut().map(|s| &mut s.finding))
            .chain(report.allowed.iter_mut().map(|a| &mut a.finding))
            .collect();
        let mut notes = sources.trace(&mut all);
        report.notes.append(&mut notes);
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// The staged files that a walk would scan, read from the index.
fn staged_inputs(settings: &Settings) -> Result<Vec<Input>, UsageError> {
    let top = git::toplevel()?;
    let cwd = std::env::current_dir().map_err(|e| UsageError::new(e.to_string()))?;
    // Paths given with --staged limit the staged files considered.
    let limits: Vec<PathBuf> = settings
        .paths
        .iter()
        .filter(|p| p.as_os_str() != ".")
        .map(|p| cwd.join(p))
        .collect();
    let wanted: Vec<git::StagedFile> = git::staged_files(&top)?
        .into_iter()
        .filter(|f| {
            let rel = std::path::Path::new(&f.path);
            let abs = top.join(rel);
            let included = match &settings.include {
                Some(inc) => inc.is_match(rel),
                None => read::kind_for_extension(rel).is_some(),
            };
            included
                && !settings.exclude.is_match(rel)
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

/// The scanned files among `inputs` that `[sensitive]` matches, as shown,
/// sorted.
fn sensitive_files(settings: &Settings, inputs: &[Input], scanned: &[String]) -> Vec<String> {
    let scanned: HashSet<&str> = scanned.iter().map(String::as_str).collect();
    let mut out: Vec<String> = inputs
        .iter()
        .map(|input| match input {
            Input::File(f) => (&f.display, f.rel.as_path()),
            Input::Blob { display, .. } => (display, std::path::Path::new(display.as_str())),
        })
        .filter(|(display, rel)| {
            scanned.contains(display.as_str()) && settings.sensitive.is_match(rel)
        })
        .map(|(display, _)| display.clone())
        .collect();
    out.sort();
    out
}
