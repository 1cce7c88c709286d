//! Inline suppressions: what a `tracklint-ignore` comment does to the
//! findings of its file.
//!
//! A suppression at the end of a line applies to a finding starting on that
//! line; one alone on its line applies to the next line. One directive
//! covers one finding, the first on its line that it names: a second
//! occurrence is reported unless a second directive covers it. It names one rule
//! or vendor (several may be separated by commas) and must give a reason
//! after a colon. A suppression without either is itself a
//! `suppression-without-reason` error; one that suppressed nothing is an
//! `unused-suppression` warning. The comments themselves are found by
//! [`crate::scan::directive`].

use crate::finding::{Finding, Status};
use crate::rules::{self, Seen};
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
        let seen = Seen::Suppression {
            targets: &d.raw.targets,
            reason: d.raw.reason.as_deref(),
        };
        match rules::decide(&seen, ruleset) {
            Some((rule, message)) => {
                let mut f = d.as_finding.clone();
                f.rule = rule;
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
        // One directive covers one finding: a second occurrence on the
        // same line needs a directive of its own.
        let hit = valid.iter_mut().find(|(i, line, used)| {
            !*used
                && *line == f.start.line
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
        let seen = Seen::UnusedSuppression {
            targets: &directives[i].raw.targets,
            trailing: directives[i].raw.trailing,
        };
        if !used && let Some((rule, message)) = rules::decide(&seen, ruleset) {
            let mut f = directives[i].as_finding.clone();
            f.rule = rule;
            f.severity = f.rule.severity();
            f.message = message;
            reported.push(f);
        }
    }
    reported
}
