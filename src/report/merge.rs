//! `tracklint merge`: combine the JSON reports of sharded runs
//! (`check --shard K/N --format json`) into one report, as if one run had
//! scanned every file. Shards split by file and fingerprints are per file,
//! so findings, audit lists and fingerprints come out identical.

use crate::report::json::Doc;
use crate::report::model::Report;
use crate::vendors::Ruleset;

pub use crate::report::json::MergeError;

/// Reads and combines the reports at `paths`.
pub fn merge(paths: &[std::path::PathBuf], ruleset: &Ruleset) -> Result<Report, MergeError> {
    let mut report = Report::default();
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
        doc.add_to(&mut report, ruleset, path)?;
    }
    report.sort();
    report.sensitive.sort();
    report.sensitive.dedup();
    // The same path reported by several shards (a walk error) once.
    report
        .errors
        .dedup_by(|a, b| a.file == b.file && a.message == b.message);
    Ok(report)
}
