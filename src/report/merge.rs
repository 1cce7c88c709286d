//! `tracklint merge`: combine the JSON reports of sharded runs
//! (`check --shard K/N --format json`) into one report, as if one run had
//! scanned every file. Shards split by file and fingerprints are per file,
//! so findings, audit lists and fingerprints come out identical.

use crate::report::json::Doc;
use crate::report::model::Report;
use crate::vendors::Ruleset;

pub use crate::report::json::MergeError;

/// Reads and combines the reports at `paths`. They must be the shards of
/// one run: written by this version of tracklint, with the same config and
/// the same full file list, and each of shards 1..N exactly once (an
/// unsharded report counts as 1/1). Anything else is an error naming the
/// file, never a partial merge.
pub fn merge(paths: &[std::path::PathBuf], ruleset: &Ruleset) -> Result<Report, MergeError> {
    let mut docs = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path)
            .map_err(|e| MergeError::new(format!("cannot read {}: {e}", path.display())))?;
        let doc: Doc = serde_json::from_str(&text).map_err(|e| {
            MergeError::new(format!(
                "{} is not a tracklint JSON report: {e}",
                path.display()
            ))
        })?;
        if doc.version != 1 {
            return Err(MergeError::new(format!(
                "{}: unsupported report version {}",
                path.display(),
                doc.version
            )));
        }
        docs.push((path, doc));
    }
    check_shards(&docs)?;
    let mut report = Report::default();
    if let Some((_, first)) = docs.first() {
        report.config = first.config.clone();
        report.config_digest = first.config_digest.clone().unwrap_or_default();
        report.files_digest = first.files_digest.clone().unwrap_or_default();
    }
    for (path, doc) in docs {
        doc.add_to(&mut report, ruleset, path)?;
    }
    report.sort();
    report.sensitive.sort();
    report.sensitive.dedup();
    report.sensitive_reasons.sort_by(|a, b| a.file.cmp(&b.file));
    report.sensitive_reasons.dedup();
    // Every shard walks every path, so each names every link.
    report.links_skipped.sort();
    report.links_skipped.dedup();
    // The same path reported by several shards (a walk error) once.
    report
        .errors
        .dedup_by(|a, b| a.file == b.file && a.message == b.message);
    Ok(report)
}

/// Checks that `docs` are the shards of one run, each exactly once.
fn check_shards(docs: &[(&std::path::PathBuf, Doc)]) -> Result<(), MergeError> {
    let Some((first_path, first)) = docs.first() else {
        return Err(MergeError::new("no reports to merge"));
    };
    let this = env!("CARGO_PKG_VERSION");
    let count = first.shard.map_or(1, |s| s.count);
    let mut seen: Vec<Option<&std::path::PathBuf>> = vec![None; count as usize];
    for (path, doc) in docs {
        let at = path.display();
        let (Some(version), Some(config), Some(files)) =
            (&doc.tool_version, &doc.config_digest, &doc.files_digest)
        else {
            return Err(MergeError {
                message: format!(
                    "{at} does not say which tracklint, config and files it covers (written by an older tracklint?)"
                ),
                help: Some(format!("re-run every shard with tracklint {this}")),
            });
        };
        if version != this {
            return Err(MergeError {
                message: format!("{at} was written by tracklint {version}, not {this}"),
                help: Some(format!("re-run every shard with tracklint {this}")),
            });
        }
        if Some(config) != first.config_digest.as_ref() {
            return Err(MergeError::new(format!(
                "{at} was checked with a different config than {}",
                first_path.display()
            )));
        }
        if Some(files) != first.files_digest.as_ref() {
            return Err(MergeError::new(format!(
                "{at} was checked over a different list of files than {}",
                first_path.display()
            )));
        }
        let (index, n) = doc.shard.map_or((1, 1), |s| (s.index, s.count));
        if n != count {
            return Err(MergeError::new(format!(
                "{at} is shard {index}/{n}, but {} is one of {count}",
                first_path.display()
            )));
        }
        let Some(slot) = index.checked_sub(1).and_then(|i| seen.get_mut(i as usize)) else {
            return Err(MergeError::new(format!(
                "{at}: shard {index}/{n} is out of range"
            )));
        };
        if let Some(other) = slot {
            return Err(MergeError::new(format!(
                "{at} and {} are both shard {index}/{n}",
                other.display()
            )));
        }
        *slot = Some(path);
    }
    let missing: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_none())
        .map(|(i, _)| format!("{}/{count}", i + 1))
        .collect();
    if !missing.is_empty() {
        return Err(MergeError {
            message: format!(
                "shard {} missing: the merged report would not cover every file",
                missing.join(", ")
            ),
            help: Some("pass the JSON report of every shard".into()),
        });
    }
    Ok(())
}
