//! Baselines: adopt tracklint on a legacy site without fixing everything at
//! once. `--write-baseline FILE` records today's findings; `--baseline FILE`
//! then fails only on findings missing from it and reports baseline entries
//! that no longer occur as fixed, so the file can shrink.
//!
//! A finding is fingerprinted by content, not by line: its rule, vendor,
//! file, the exact text it points at and how many identical findings precede
//! it in the file. Edits above a finding leave its fingerprint unchanged.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Status};
use crate::vendors::Ruleset;

crate::layer_error!(
    /// A baseline file cannot be read, parsed or written.
    BaselineError,
    "tracklint::baseline"
);

/// One recorded finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The content fingerprint.
    pub fingerprint: String,
    /// Rule id.
    pub rule: String,
    /// Vendor slug, if any.
    pub vendor: Option<String>,
    /// The file as walked.
    pub file: String,
    /// The text the finding points at.
    pub text: String,
}

/// A baseline file.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version (1).
    pub version: u32,
    /// The recorded findings.
    pub findings: Vec<Entry>,
}

/// FNV-1a, 64 bits: stable across platforms and releases, which is all a
/// fingerprint needs (it is not a security boundary).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for &b in p.as_bytes().iter().chain(std::iter::once(&0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// Sets the fingerprint of every finding of a run, sorted: `findings`
/// holds all of them whatever their status, so the occurrence index counts
/// identical findings whatever became of them.
pub fn fingerprint(findings: &mut [Finding], ruleset: &Ruleset) {
    let mut seen: HashMap<(String, String, String, String), usize> = HashMap::new();
    for f in findings.iter_mut() {
        let vendor = f
            .vendor
            .map(|v| ruleset.vendors[v].id.get_ref().clone())
            .unwrap_or_default();
        let key = (
            f.rule.id().to_string(),
            vendor.clone(),
            f.file.clone(),
            f.matched_text().to_string(),
        );
        let n = seen.entry(key).or_default();
        let occurrence = n.to_string();
        *n += 1;
        let h = fnv1a(&[f.rule.id(), &vendor, &f.file, f.matched_text(), &occurrence]);
        f.fingerprint = format!("{h:016x}");
    }
}

impl Baseline {
    /// Reads a baseline file.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            BaselineError::new(format!("cannot read baseline {}: {e}", path.display()))
        })?;
        let b: Baseline = serde_json::from_str(&text).map_err(|e| {
            BaselineError::new(format!(
                "{} is not a tracklint baseline: {e}",
                path.display()
            ))
        })?;
        if b.version != 1 {
            return Err(BaselineError::new(format!(
                "{}: unsupported baseline version {}",
                path.display(),
                b.version
            )));
        }
        Ok(b)
    }

    /// A baseline of `findings` (already fingerprinted).
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>, ruleset: &Ruleset) -> Baseline {
        Baseline {
            version: 1,
            findings: findings
                .into_iter()
                .map(|f| Entry {
                    fingerprint: f.fingerprint.clone(),
                    rule: f.rule.id().to_string(),
                    vendor: f.vendor.map(|v| ruleset.vendors[v].id.get_ref().clone()),
                    file: f.file.clone(),
                    text: f.matched_text().to_string(),
                })
                .collect(),
        }
    }

    /// Writes the baseline as JSON.
    pub fn save(&self, path: &Path) -> Result<(), crate::output::OutputError> {
        let mut text = serde_json::to_string_pretty(self).expect("baseline serialises");
        text.push('\n');
        crate::output::write_atomically(path, text.as_bytes())
    }

    /// Whether a fingerprint is recorded.
    pub fn contains(&self, fingerprint: &str) -> bool {
        self.findings.iter().any(|e| e.fingerprint == fingerprint)
    }

    /// Gives the reported findings recorded in the baseline the
    /// [`Status::Baselined`] status.
    pub fn mark(&self, findings: &mut [Finding]) {
        let known: HashSet<&str> = self
            .findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        for f in findings {
            if f.status == Status::Reported && known.contains(f.fingerprint.as_str()) {
                f.status = Status::Baselined;
            }
        }
    }

    /// The entries matching none of the fingerprints `present` in the run
    /// (whatever their findings' status): what was fixed.
    pub fn fixed(&self, present: &HashSet<&str>) -> Vec<Entry> {
        self.findings
            .iter()
            .filter(|e| !present.contains(e.fingerprint.as_str()))
            .cloned()
            .collect()
    }
}
