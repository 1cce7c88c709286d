//! `--format human`: a miette diagnostic per finding, then a summary line.
//!
//! miette is given a [`Excerpt`] window, never the file: it would print
//! whole lines (megabytes of minified code), it panics past column 65,535,
//! and its own source lookup rescans from byte 0 for every label. The
//! excerpt carries the true line and column, which the header shows.

use std::fmt::{self, Write as _};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::finding::Excerpt;
use crate::finding::Finding;
use crate::report::controls::{terminal, terminal_excerpt};
use crate::report::model::Report;
use crate::rules::Severity;
use crate::vendors::{Ruleset, Vendor};

/// Rendering options.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    /// Use ANSI colours.
    pub color: bool,
    /// Only diagnostics: no summary line.
    pub quiet: bool,
}

/// Writes all findings and the summary to `out`, one diagnostic at a time.
pub fn write(
    report: &Report,
    ruleset: &Ruleset,
    style: Style,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    // One diagnostic's text, reused.
    let mut text = String::new();
    for f in report.reported() {
        text.clear();
        let diag = FindingDiagnostic::new(f, f.vendor.map(|i| &ruleset.vendors[i]));
        // Rendering into a String cannot fail unless the excerpt is
        // inconsistent; fall back to a plain line rather than lose a finding.
        if handler.render_report(&mut text, &diag).is_err() {
            let _ = writeln!(
                text,
                "{}:{}:{}: {} [{}] {}",
                terminal(&f.file),
                f.start.line,
                f.start.column,
                f.severity,
                f.rule,
                terminal(&f.message)
            );
        }
        text.push('\n');
        out.write_all(text.as_bytes())?;
    }
    if !style.quiet {
        out.write_all(summary(report).as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// `tracklint: 12 files scanned in 0.04s: 3 errors, 1 warning; config
/// tracklint.toml`.
pub fn summary(report: &Report) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let mut s = format!(
        "tracklint: {} scanned in {:.2}s: {}, {}",
        plural(report.files_scanned, "file"),
        report.elapsed.as_secs_f64(),
        plural(report.count(Severity::Error), "error"),
        plural(report.count(Severity::Warning), "warning"),
    );
    let info = report.count(Severity::Info);
    if info > 0 {
        let _ = write!(s, ", {info} info");
    }
    if report.allowed().next().is_some() {
        let _ = write!(s, "; {} allowed by config", report.allowed().count());
    }
    if report.suppressed().next().is_some() {
        let _ = write!(s, "; {} suppressed inline", report.suppressed().count());
    }
    if report.baselined().next().is_some() {
        let _ = write!(s, "; {} in the baseline", report.baselined().count());
    }
    if !report.fixed.is_empty() {
        let _ = write!(
            s,
            "; {} fixed since the baseline",
            plural(report.fixed.len(), "finding")
        );
    }
    if report.binary_skipped > 0 {
        let _ = write!(
            s,
            "; {} skipped",
            plural(report.binary_skipped, "binary file")
        );
    }
    if !report.links_skipped.is_empty() {
        let _ = write!(
            s,
            "; {} not followed",
            plural(report.links_skipped.len(), "symbolic link")
        );
    }
    if !report.errors.is_empty() {
        let _ = write!(
            s,
            "; {} could not be scanned",
            plural(report.errors.len(), "path")
        );
    }
    match &report.config {
        Some(config) => {
            let _ = write!(s, "; config {config}");
        }
        None => s.push_str("; no config file"),
    }
    s
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    /// The message, controls escaped.
    message: String,
    source: ExcerptSource,
    label: String,
    help: String,
    /// The original lines, labelled, when their text is known.
    origins: Vec<OriginDiagnostic>,
}

/// An origin whose line is known (a map's `sourcesContent`, a template),
/// shown as a related snippet with the original position labelled.
struct OriginDiagnostic {
    title: &'static str,
    file: String,
    excerpt: Excerpt,
    /// The origin's column, shown in the snippet's header.
    column: u64,
}

/// Characters of an original line kept on each side of the origin's column.
const ORIGIN_CONTEXT: usize = 60;

impl OriginDiagnostic {
    fn new(o: &crate::origin::Origin) -> Option<OriginDiagnostic> {
        let line = o.text.as_deref()?;
        let chars: Vec<usize> = line.char_indices().map(|(i, _)| i).collect();
        let col = usize::try_from(o.column.saturating_sub(1))
            .ok()?
            .min(chars.len());
        // A window around the column: an original line can be long.
        let from = col.saturating_sub(ORIGIN_CONTEXT);
        let to = (col + ORIGIN_CONTEXT).min(chars.len());
        let byte = |k: usize| chars.get(k).copied().unwrap_or(line.len());
        let mut text = String::new();
        if from > 0 {
            text.push('…');
        }
        let at = text.len() + byte(col) - byte(from);
        text.push_str(&line[byte(from)..byte(to)]);
        if to < chars.len() {
            text.push('…');
        }
        Some(OriginDiagnostic {
            title: match o.via {
                crate::origin::Via::SourceMap => "the source map says the code comes from here",
                crate::origin::Via::Template => "this template line writes it",
            },
            file: terminal(&o.file).into_owned(),
            excerpt: {
                let (text, label) = terminal_excerpt(&text, at..at);
                Excerpt {
                    text,
                    label,
                    line: o.line,
                }
            },
            column: o.column,
        })
    }
}

impl fmt::Debug for OriginDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title)
    }
}

impl fmt::Display for OriginDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title)
    }
}

impl std::error::Error for OriginDiagnostic {}

impl Diagnostic for OriginDiagnostic {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let r = &self.excerpt.label;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some("here".into()), SourceSpan::from(r.clone())),
        )))
    }
}

impl SourceCode for OriginDiagnostic {
    fn read_span<'b>(
        &'b self,
        _span: &SourceSpan,
        _before: usize,
        _after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        Ok(excerpt_contents(&self.file, &self.excerpt, self.column))
    }
}

impl<'a> FindingDiagnostic<'a> {
    fn new(f: &'a Finding, vendor: Option<&'a Vendor>) -> Self {
        let label = match vendor {
            Some(v) => format!("{} ({})", v.name, v.category.as_str()),
            None => f
                .url
                .as_deref()
                .map_or_else(|| f.rule.id().to_string(), |u| terminal(u).into_owned()),
        };
        let mut help = String::new();
        for (i, o) in f.origins.iter().enumerate() {
            let lead = if i == 0 { "Originates in" } else { "  or in" };
            let _ = writeln!(help, "{lead} {}:{}:{}", terminal(&o.file), o.line, o.column);
        }
        if let Some(note) = &f.origin_note {
            let _ = writeln!(help, "Origin: {}", terminal(note));
        }
        if let Some(v) = vendor {
            let _ = writeln!(help, "{}.", v.baa_line());
            if let Some(what) = &v.what {
                let _ = writeln!(help, "{what}");
            }
        }
        let _ = writeln!(
            help,
            "Why: {}",
            vendor
                .and_then(|v| v.why.as_deref())
                .unwrap_or(f.rule.doc().why)
        );
        let _ = write!(
            help,
            "Fix: {}",
            vendor
                .and_then(|v| v.fix.as_deref())
                .unwrap_or(f.rule.doc().fix)
        );
        if let Some(docs) = vendor.and_then(|v| v.docs.as_deref()) {
            let _ = write!(help, "\nDocs: {docs}");
        }
        let (text, span) = terminal_excerpt(&f.excerpt.text, f.excerpt.label.clone());
        FindingDiagnostic {
            finding: f,
            message: terminal(&f.message).into_owned(),
            source: ExcerptSource {
                name: terminal(&f.file).into_owned(),
                excerpt: Excerpt {
                    text,
                    label: span,
                    line: f.excerpt.line,
                },
                column: f.start.column,
            },
            label,
            help,
            origins: f.origins.iter().filter_map(OriginDiagnostic::new).collect(),
        }
    }
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.finding.rule.id()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Info => miette::Severity::Advice,
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.help))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.origins.is_empty() {
            return None;
        }
        Some(Box::new(self.origins.iter().map(|o| o as &dyn Diagnostic)))
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let r = &self.source.excerpt.label;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(
                Some(self.label.clone()),
                SourceSpan::from(r.start..r.end),
            ),
        )))
    }
}

/// The excerpt as miette source: offsets are into the excerpt text, line and
/// column are the finding's real ones.
struct ExcerptSource {
    name: String,
    excerpt: Excerpt,
    column: u64,
}

impl SourceCode for ExcerptSource {
    fn read_span<'b>(
        &'b self,
        _span: &SourceSpan,
        _before: usize,
        _after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        Ok(excerpt_contents(&self.name, &self.excerpt, self.column))
    }
}

/// The whole excerpt as miette's span contents, starting at the excerpt's
/// real line and `column`.
fn excerpt_contents<'b>(
    name: &str,
    excerpt: &'b Excerpt,
    column: u64,
) -> Box<dyn SpanContents<'b> + 'b> {
    let text = excerpt.text.as_bytes();
    let lines = excerpt.text.matches('\n').count() + 1;
    Box::new(MietteSpanContents::new_named(
        name.to_string(),
        text,
        SourceSpan::from(0..text.len()),
        excerpt.line.saturating_sub(1) as usize,
        column.saturating_sub(1) as usize,
        lines,
    ))
}

/// The human reporter.
pub struct Human;

impl crate::report::Reporter for Human {
    fn write(
        &self,
        report: &Report,
        cx: &crate::report::Context<'_>,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        write(report, cx.ruleset, cx.style, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::origin::{Origin, Via};

    #[test]
    fn long_original_lines_are_cut_around_the_column() {
        let line = format!("{}é<script src=x>{}", "a".repeat(200), "b".repeat(200));
        let o = Origin {
            file: "t.njk".into(),
            line: 3,
            column: 202,
            text: Some(line),
            via: Via::Template,
        };
        let d = OriginDiagnostic::new(&o).unwrap();
        // 60 characters each side of the column, cut marks at both ends.
        assert_eq!(d.excerpt.text.chars().count(), 1 + 120 + 1);
        assert!(d.excerpt.text.starts_with('…') && d.excerpt.text.ends_with('…'));
        assert_eq!(&d.excerpt.text[d.excerpt.label.start..][..7], "<script");
        assert_eq!((d.excerpt.line, d.column), (3, 202));
        // No text, no snippet.
        assert!(OriginDiagnostic::new(&Origin { text: None, ..o }).is_none());
    }
}
