//! `--format github`: GitHub Actions workflow commands, one per finding,
//! which the runner turns into annotations on the pull request.
//!
//! `::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=T::message`
//! (on the original file, when a source map or template origin names one
//! that exists),
//! escaped as the Actions toolkit escapes them; `col`/`endColumn` are left
//! out when the finding spans lines (GitHub then annotates whole lines).

use std::fmt::Write as _;

use crate::report::model::Report;
use crate::rules::Severity;
use crate::vendors::Ruleset;

/// `%`, CR and LF in a command's message, as the toolkit escapes them;
/// every other control character (ESC, BEL, NUL) as visible `\u{…}` text,
/// so a command stays one line and nothing reaches the log raw.
fn escape_data(s: &str) -> String {
    crate::report::controls::visible(s, &['\r', '\n'])
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// As [`escape_data`], plus `:` and `,` in a property value.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Renders every finding as a workflow command.
pub fn render(report: &Report, ruleset: &Ruleset) -> String {
    let mut out = String::new();
    for f in report.reported() {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let title = match f.vendor {
            Some(v) => format!("tracklint {} ({})", f.rule, ruleset.vendors[v].name),
            None => format!("tracklint {}", f.rule),
        };
        // Annotations show on committed files: when a source map or a
        // template names where the code came from, annotate there.
        if let Some(o) = f
            .origins
            .first()
            .filter(|o| std::path::Path::new(&o.file).is_file())
        {
            let _ = writeln!(
                out,
                "::{command} file={},line={},col={},title={}::{}",
                escape_property(&o.file),
                o.line,
                o.column,
                escape_property(&title),
                escape_data(&format!(
                    "{} (built into {}:{}:{})",
                    f.message, f.file, f.start.line, f.start.column
                ))
            );
            continue;
        }
        let _ = write!(
            out,
            "::{command} file={},line={}",
            escape_property(&f.file),
            f.start.line
        );
        if f.start.line == f.end.line {
            let _ = write!(out, ",col={}", f.start.column);
        }
        let _ = write!(out, ",endLine={}", f.end.line);
        if f.start.line == f.end.line {
            let _ = write!(out, ",endColumn={}", f.end.column);
        }
        let _ = writeln!(
            out,
            ",title={}::{}",
            escape_property(&title),
            escape_data(&f.message)
        );
    }
    for e in &report.errors {
        let _ = writeln!(
            out,
            "::error file={},title={}::{}",
            escape_property(&e.file),
            escape_property("tracklint: could not scan"),
            escape_data(&e.message)
        );
    }
    out
}

/// The github reporter.
pub struct Github;

impl crate::report::Reporter for Github {
    fn write(
        &self,
        report: &Report,
        cx: &crate::report::Context<'_>,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        out.write_all(render(report, cx.ruleset).as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_actions_toolkit() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(escape_data("a\x1b[31m\x07"), "a\\u{1b}[31m\\u{7}");
    }
}
