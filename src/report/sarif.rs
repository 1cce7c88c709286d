//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other viewers.
//!
//! One run; `tool.driver.rules` lists every rule that appears, with short
//! and full descriptions, help text (the `explain` text) and a help URI.
//! Each result has `ruleId`, `level`, a message, a physical location with a
//! repository-relative URI (`uriBaseId: %SRCROOT%`) and a full region, and
//! `partialFingerprints` (the baseline fingerprint, stable under edits
//! above the finding). Findings accepted inline, by config or by the
//! baseline are included with `suppressions` carrying the reason, so a
//! reviewer can audit every exception.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Serialize, Serializer};
use serde_json::{Value, json};

use crate::finding::Finding;
use crate::report::model::Report;
use crate::rules::{Rule, Severity};
use crate::vendors::Ruleset;

/// Where the rules are documented.
fn help_uri(rule: Rule) -> String {
    format!(
        "{}/blob/main/docs/rules.md#{}",
        env!("CARGO_PKG_REPOSITORY"),
        rule.id()
    )
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Percent-encodes a relative path for a URI (keeping `/`).
fn uri_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The file's path from the repository root when `root` (the repository's
/// top level) contains it, else as walked.
fn repo_relative(file: &str, root: Option<&Path>) -> String {
    let p = Path::new(file);
    if let Some(root) = root {
        let abs = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        if let Ok(rel) = abs.strip_prefix(root) {
            return rel.to_string_lossy().into_owned();
        }
    }
    file.trim_start_matches("./").to_string()
}

/// A finding with its suppression kind and justification, if accepted.
type Entry<'a> = (&'a Finding, Option<(&'static str, String)>);

/// The SARIF result of one finding (`rules`: the driver's rules, which
/// `ruleIndex` points into).
fn result(
    f: &Finding,
    suppression: Option<&(&str, String)>,
    rules: &[Rule],
    ruleset: &Ruleset,
    repo_root: Option<&Path>,
) -> Value {
    let rule_index = rules.iter().position(|r| *r == f.rule).unwrap_or(0);
    let mut message = f.message.clone();
    if let Some(v) = f.vendor {
        message.push_str(&format!(". {}.", ruleset.vendors[v].baa_line()));
    }
    let built = json!({
        "physicalLocation": {
            "artifactLocation": {
                "uri": uri_path(&repo_relative(&f.file, repo_root)),
                "uriBaseId": "%SRCROOT%"
            },
            "region": {
                "startLine": f.start.line,
                "startColumn": f.start.column,
                "endLine": f.end.line,
                "endColumn": f.end.column,
                "snippet": {"text": f.matched_text()}
            }
        }
    });
    // Prefer the committed source a map or template search points
    // to, so code scanning shows the alert where it can be fixed;
    // keep the built place and any other template as related.
    let located: Vec<Value> = f
        .origins
        .iter()
        .filter(|o| Path::new(&o.file).is_file())
        .map(|o| {
            json!({
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": uri_path(&repo_relative(&o.file, repo_root)),
                        "uriBaseId": "%SRCROOT%"
                    },
                    "region": {"startLine": o.line, "startColumn": o.column}
                }
            })
        })
        .collect();
    let primary = located.first().unwrap_or(&built).clone();
    let mut result = json!({
        "ruleId": f.rule.id(),
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": {"text": message},
        "locations": [primary],
        "partialFingerprints": {"tracklint/v1": f.fingerprint}
    });
    if !located.is_empty() {
        let mut related = vec![built];
        related.extend(located.into_iter().skip(1));
        for (id, r) in related.iter_mut().enumerate() {
            r["id"] = json!(id);
            r["message"] = json!({"text": if id == 0 { "built output" } else { "another template with the same code" }});
        }
        result["relatedLocations"] = json!(related);
    }
    if let Some((kind, justification)) = suppression {
        result["suppressions"] = json!([{"kind": kind, "justification": justification}]);
    }
    result
}

/// The results, each built and written in turn: never the whole list of
/// JSON values at once.
struct Results<'a> {
    all: &'a [Entry<'a>],
    rules: &'a [Rule],
    ruleset: &'a Ruleset,
    repo_root: Option<&'a Path>,
}

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.all.iter().map(|(f, suppression)| {
            result(
                f,
                suppression.as_ref(),
                self.rules,
                self.ruleset,
                self.repo_root,
            )
        }))
    }
}

/// The document, its keys in the sorted order a `serde_json::Value` map
/// writes them in.
#[derive(Serialize)]
struct Document<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [RunDoc<'a>; 1],
    version: &'static str,
}

/// The one run.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunDoc<'a> {
    column_kind: &'static str,
    invocations: Value,
    properties: Value,
    results: Results<'a>,
    tool: Value,
}

/// Writes the report to `out`, result by result.
pub fn write(
    report: &Report,
    ruleset: &Ruleset,
    repo_root: Option<&Path>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut all: Vec<Entry<'_>> = Vec::new();
    all.extend(report.reported().map(|f| (f, None)));
    all.extend(
        report
            .suppressed()
            .map(|(f, reason)| (f, Some(("inSource", reason.to_string())))),
    );
    all.extend(
        report
            .allowed()
            .map(|(f, reason, by)| (f, Some(("external", format!("{reason} (allowed by {by})"))))),
    );
    all.extend(report.baselined().map(|f| {
        (
            f,
            Some(("external", "recorded in the tracklint baseline".to_string())),
        )
    }));
    let rules: BTreeSet<Rule> = all.iter().map(|(f, _)| f.rule).collect();
    let rules: Vec<Rule> = Rule::ALL
        .into_iter()
        .filter(|r| rules.contains(r))
        .collect();

    let driver_rules: Vec<Value> = rules
        .iter()
        .map(|&r| {
            let d = r.doc();
            json!({
                "id": r.id(),
                "name": r.id(),
                "shortDescription": {"text": r.summary()},
                "fullDescription": {"text": d.what},
                "help": {"text": format!("{} {}", d.why, d.fix), "markdown": r.explain()},
                "helpUri": help_uri(r),
                "defaultConfiguration": {"level": level(r.severity())}
            })
        })
        .collect();

    let doc = Document {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [RunDoc {
            tool: json!({"driver": {
                "name": "tracklint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": driver_rules
            }}),
            column_kind: "unicodeCodePoints",
            properties: json!({
                "config": report.config,
                "configDigest": report.config_digest,
                "filesDigest": report.files_digest,
                "linksSkipped": report.links_skipped
            }),
            results: Results {
                all: &all,
                rules: &rules,
                ruleset,
                repo_root,
            },
            invocations: json!([{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications": report.errors.iter().map(|e| json!({
                    "level": "error",
                    "message": {"text": format!("could not scan {}: {}", e.file, e.message)}
                })).chain(report.links_skipped.iter().map(|l| json!({
                    "level": "warning",
                    "message": {"text": format!("not following symbolic link {l}: not scanned")}
                }))).collect::<Vec<_>>()
            }]),
        }],
        version: "2.1.0",
    };
    crate::report::controls::write_json(&mut *out, &doc)?;
    out.write_all(b"\n")
}

/// The sarif reporter.
pub struct Sarif;

impl crate::report::Reporter for Sarif {
    fn write(
        &self,
        report: &Report,
        cx: &crate::report::Context<'_>,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        write(report, cx.ruleset, cx.repo_root, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded_and_relative() {
        assert_eq!(uri_path("a b/ü#.html"), "a%20b/%C3%BC%23.html");
        assert_eq!(repo_relative("./site/x.html", None), "site/x.html");
    }
}
