//! What the project's policy does to findings: severity from `[rules]`,
//! raised for session-replay vendors, vendors that sign no BAA and
//! sensitive pages, and `[[allow]]` entries that accept a finding with a
//! reason.
//!
//! Order: the rule's level (`off` drops the finding), then raising, then
//! allowances. An expired allowance no longer applies. Resource hints
//! ([`crate::rules::Rule::is_hint`]) are never raised: they send no page
//! data, whoever runs the host and whatever the page (issue 13).

pub mod baseline;
pub mod comments;
pub mod suppress;

use std::path::Path;

use crate::config::{Allow, RuleLevel, Settings};
use crate::finding::{Finding, SensitiveReason, Status};
use crate::vendors::{Baa, Ruleset};

/// HHS OCR's guidance, quoted on every sensitive page's findings.
macro_rules! guidance {
    () => {
        "HHS OCR guidance treats tracking on authenticated, login, registration, booking and symptom-checker pages as a disclosure of PHI"
    };
}

/// Why sensitive pages are raised, quoted in the finding's message.
pub const SENSITIVE_NOTE: &str = concat!("sensitive page: ", guidance!());

/// Applies `settings`' policy to the findings of the file at `rel` (its
/// path from the scan root): a rule set to `off` drops its findings, the
/// others get their severity and, when an `[[allow]]` entry matches, the
/// [`Status::Allowed`] status. Suppressed findings are left as they are.
/// The page is sensitive when `[sensitive] paths` lists it or its forms
/// ask for health information (`form`, which the message then quotes).
pub fn apply(
    settings: &Settings,
    ruleset: &Ruleset,
    rel: &Path,
    form: Option<&SensitiveReason>,
    findings: &mut Vec<Finding>,
) {
    let note = match form {
        Some(why) => Some(format!("sensitive page: {why}; {}", guidance!())),
        None => settings
            .sensitive
            .is_match(rel)
            .then(|| SENSITIVE_NOTE.to_string()),
    };
    findings.retain_mut(|f| {
        if f.status != Status::Reported {
            return true;
        }
        let RuleLevel::On(mut severity) = settings.level(f.rule) else {
            return false;
        };
        let raise = !f.rule.is_hint();
        if raise
            && let Some(v) = f.vendor.map(|i| &ruleset.vendors[i])
            && (v.session_replay || v.baa == Baa::No)
        {
            severity = severity.raised();
        }
        if let Some(note) = note.as_ref().filter(|_| raise) {
            severity = severity.raised();
            f.message = format!("{} ({note})", f.message);
        }
        f.severity = severity;
        if let Some(a) = settings
            .allows
            .iter()
            .find(|a| !a.expired && allows(a, ruleset, rel, f))
        {
            f.status = Status::Allowed {
                reason: a.reason.clone(),
                by: a.origin.clone(),
            };
        }
        true
    });
}

fn allows(a: &Allow, ruleset: &Ruleset, rel: &Path, f: &Finding) -> bool {
    let vendor_ok = a.vendor.as_ref().is_none_or(|id| {
        f.vendor
            .is_some_and(|v| ruleset.vendors[v].id.get_ref() == id.get_ref())
    });
    let rule_ok = a.rule.is_none_or(|r| r == f.rule);
    let path_ok = a.paths.as_ref().is_none_or(|m| m.is_match(rel));
    vendor_ok && rule_ok && path_ok
}
