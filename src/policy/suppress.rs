//! Inline suppressions: what a `tracklint-ignore` comment does to the
//! findings of its file.
//!
//! A suppression at the end of a line applies to findings starting on that
//! line; one alone on its line applies to the next line. It names one rule
//! or vendor (several may be separated by commas) and must give a reason
//! after a colon. A suppression without either is itself a
//! `suppression-without-reason` error; one that suppressed nothing is an
//! `unused-suppression` warning. The comments themselves are found by
//! [`crate::scan::directive`].

use crate::finding::{Finding, Status};
use crate::rules::Rule;
use crate::scan::directive::Directive;
use crate::vendors::Ruleset;

/// Applies located directives to a file's findings: those a directive
/// covers get the [`Status::Suppressed`] status, and malformed and unused
/// directives become `suppression-without-reason` and `unused-suppression`
/// findings.
pub fn apply(
    findings: Vec<Finding>,
    directives: Vec<Directive>,
    ruleset: &Ruleset,
) -> Vec<Finding> {
    // Each valid directive: the line it covers and whether it was used.
    let mut valid: Vec<(usize, u64, bool)> = Vec::new();
    let mut reported = Vec::new();
    for (i, d) in directives.iter().enumerate() {
        let unknown: Vec<&String> = d
            .raw
            .targets
            .iter()
            .filter(|t| Rule::from_id(t).is_none() && ruleset.vendor_by_id(t).is_none())
            .collect();
        let problem = if d.raw.targets.is_empty() {
            Some("inline suppression names no rule or vendor".to_string())
        } else if let Some(t) = unknown.first() {
            Some(format!(
                "inline suppression names `{t}`, which is neither a rule nor a vendor"
            ))
        } else if d.raw.reason.is_none() {
            Some("inline suppression gives no reason: write `tracklint-ignore <rule-or-vendor>: <reason>`".to_string())
        } else {
            None
        };
        match problem {
            Some(message) => {
                let mut f = d.as_finding.clone();
                f.rule = Rule::SuppressionWithoutReason;
                f.severity = f.rule.severity();
                f.message = message;
                reported.push(f);
            }
            None => {
                let line = if d.raw.trailing {
                    d.start.line
                } else {
                    d.start.line + 1
                };
                valid.push((i, line, false));
            }
        }
    }
    for mut f in findings {
        let hit = valid.iter_mut().find(|(i, line, _)| {
            *line == f.start.line
                && directives[*i].raw.targets.iter().any(|t| {
                    t == f.rule.id()
                        || f.vendor
                            .is_some_and(|v| ruleset.vendors[v].id.get_ref() == t)
                })
        });
        if let Some((i, _, used)) = hit {
            *used = true;
            f.status = Status::Suppressed {
                reason: directives[*i].raw.reason.clone().unwrap_or_default(),
            };
        }
        reported.push(f);
    }
    for (i, _, used) in valid {
        if !used {
            let mut f = directives[i].as_finding.clone();
            f.rule = Rule::UnusedSuppression;
            f.severity = f.rule.severity();
            f.message = format!(
                "inline suppression of `{}` matched no finding on the {} line",
                directives[i].raw.targets.join(", "),
                if directives[i].raw.trailing {
                    "same"
                } else {
                    "next"
                }
            );
            reported.push(f);
        }
    }
    reported
}
