//! `--format junit`: JUnit XML for GitLab and Jenkins test reports. One test
//! case per scanned file; each finding that fails the run (`--fail-on`) is
//! a `<failure>`, lesser findings are listed in `<system-out>`; a file that
//! could not be scanned is an `<error>`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::finding::Finding;
use crate::report::model::{FailOn, Report};
use crate::rules::Severity;

/// Text for an attribute value: line breaks and tabs as references too (a
/// parser would turn raw ones into spaces).
fn xml(s: &str) -> String {
    escape(s, true)
}

/// Text for element content: line breaks and tabs kept.
fn xml_text(s: &str) -> String {
    escape(s, false)
}

/// The XML helper: markup characters as entities, CR as a reference, other
/// control characters (which XML 1.0 cannot hold) as visible `\u{…}`.
fn escape(s: &str, attr: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' if attr => out.push_str("&#9;"),
            '\n' if attr => out.push_str("&#10;"),
            '\t' | '\n' => out.push(c),
            '\r' => out.push_str("&#13;"),
            c if crate::report::controls::is_control(c) => {
                crate::report::controls::push_escaped(&mut out, c);
            }
            c => out.push(c),
        }
    }
    out
}

fn fails(f: &Finding, fail_on: FailOn) -> bool {
    match fail_on {
        FailOn::Error => f.severity == Severity::Error,
        FailOn::Warning => f.severity >= Severity::Warning,
        FailOn::Never => false,
    }
}

/// Writes the report as one JUnit test suite to `out`, test case by test
/// case.
pub fn write(
    report: &Report,
    fail_on: FailOn,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut by_file: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for file in &report.files {
        by_file.entry(file).or_default();
    }
    for f in report.reported() {
        by_file.entry(&f.file).or_default().push(f);
    }
    let failures: usize = report.reported().filter(|f| fails(f, fail_on)).count();
    let tests = by_file.len() + report.errors.len();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        s,
        "<testsuites name=\"tracklint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{}\" time=\"{:.3}\">",
        report.errors.len(),
        report.elapsed.as_secs_f64()
    );
    let _ = writeln!(
        s,
        "  <testsuite name=\"tracklint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{}\" time=\"{:.3}\">",
        report.errors.len(),
        report.elapsed.as_secs_f64()
    );
    out.write_all(s.as_bytes())?;
    // XML not yet written, at most about 64 KiB of it.
    let mut cases = String::new();
    for (file, findings) in &by_file {
        if cases.len() >= 1 << 16 {
            out.write_all(cases.as_bytes())?;
            cases.clear();
        }
        let _ = write!(
            cases,
            "    <testcase classname=\"tracklint\" name=\"{0}\" file=\"{0}\"",
            xml(file)
        );
        if findings.is_empty() {
            cases.push_str("/>\n");
            continue;
        }
        cases.push_str(">\n");
        let mut system_out = String::new();
        for f in findings {
            if cases.len() >= 1 << 16 {
                out.write_all(cases.as_bytes())?;
                cases.clear();
            }
            let text = format!(
                "{}:{}:{}: {} [{}] {}",
                f.file, f.start.line, f.start.column, f.severity, f.rule, f.message
            );
            if fails(f, fail_on) {
                let _ = writeln!(
                    cases,
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                    f.rule,
                    xml(&f.message),
                    xml_text(&text)
                );
            } else {
                let _ = writeln!(system_out, "{text}");
            }
        }
        if !system_out.is_empty() {
            let _ = writeln!(
                cases,
                "      <system-out>{}</system-out>",
                xml_text(&system_out)
            );
        }
        cases.push_str("    </testcase>\n");
    }
    out.write_all(cases.as_bytes())?;
    for e in &report.errors {
        cases.clear();
        let _ = writeln!(
            cases,
            "    <testcase classname=\"tracklint\" name=\"{0}\" file=\"{0}\">\n      <error type=\"scan-error\" message=\"{1}\"/>\n    </testcase>",
            xml(&e.file),
            xml(&e.message)
        );
        out.write_all(cases.as_bytes())?;
    }
    out.write_all(b"  </testsuite>\n</testsuites>\n")
}

/// The junit reporter.
pub struct Junit;

impl crate::report::Reporter for Junit {
    fn write(
        &self,
        report: &Report,
        cx: &crate::report::Context<'_>,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        write(report, cx.fail_on, out)
    }
}
