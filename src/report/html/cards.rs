//! Finding cards, identical findings sharing one card with its locations
//! listed, and the lists of accepted findings.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::finding::Finding;
use crate::origin::{Origin, Via};
use crate::report::model::Report;
use crate::report::summary::{self, plural};
use crate::rules::Severity;
use crate::vendors::Ruleset;

use super::escape::{Esc, sev_class};

/// Identical findings: same severity, rule, vendor, matched text and
/// message, wherever they are.
struct Group<'a> {
    /// Every occurrence, in report order (the first one is shown in full).
    all: Vec<&'a Finding>,
    /// Distinct files among them.
    pages: usize,
}

/// Groups identical findings; worst severity first, then the most
/// widespread, then by where the first one is.
fn groups<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Vec<Group<'a>> {
    type Key<'a> = (
        Severity,
        crate::rules::Rule,
        Option<usize>,
        &'a str,
        &'a str,
    );
    let mut index: HashMap<Key<'_>, usize> = HashMap::new();
    let mut out: Vec<Group<'_>> = Vec::new();
    for f in findings {
        let key = (
            f.severity,
            f.rule,
            f.vendor,
            f.matched_text(),
            f.message.as_str(),
        );
        let i = *index.entry(key).or_insert_with(|| {
            out.push(Group {
                all: Vec::new(),
                pages: 0,
            });
            out.len() - 1
        });
        let g = &mut out[i];
        if g.all.last().is_none_or(|last| last.file != f.file) {
            g.pages += 1;
        }
        g.all.push(f);
    }
    out.sort_by(|a, b| {
        (b.all[0].severity, b.all.len())
            .cmp(&(a.all[0].severity, a.all.len()))
            .then_with(|| a.all[0].sort_key().cmp(&b.all[0].sort_key()))
    });
    out
}

/// Every finding, identical ones sharing a card.
pub(super) fn findings(out: &mut String, report: &Report, ruleset: &Ruleset) {
    let groups = groups(report.reported());
    let _ = writeln!(
        out,
        "<section id=\"findings\">\n<h2>{}</h2>\n<p>{} in {}: identical findings (same \
         rule, vendor, matched text and message) share one card listing every location.</p>",
        if report.baseline {
            "New findings (not in the baseline)"
        } else {
            "Findings"
        },
        plural(report.reported().count(), "finding"),
        plural(groups.len(), "card"),
    );
    for (i, g) in groups.iter().enumerate() {
        card(out, report, ruleset, i, g);
    }
    out.push_str("</section>\n");
}

/// One card: the finding in full, then its other locations.
fn card(out: &mut String, report: &Report, ruleset: &Ruleset, i: usize, g: &Group<'_>) {
    let f = g.all[0];
    let vendor = f.vendor.and_then(|v| ruleset.vendors.get(v));
    let _ = write!(
        out,
        "<article class=\"card {sev}\" id=\"f{i}\" data-filter>\n<h3><span class=\"pill {sev}\">{}\
         </span> <code>{}</code> {}",
        f.severity,
        f.rule,
        Esc(summary::finding_party(ruleset, f)),
        sev = sev_class(f.severity),
    );
    if let Some(v) = vendor {
        let _ = write!(
            out,
            " <span class=\"tag\">{}</span> <span class=\"tag\">BAA: {}</span>",
            Esc(v.category.as_str()),
            Esc(&summary::baa_short(v))
        );
    }
    let _ = writeln!(out, "</h3>\n<p class=\"msg\">{}</p>", Esc(&f.message));
    excerpt(out, f);
    if g.all.len() == 1 {
        out.push_str("<p class=\"where\">");
        location(out, report, f);
        out.push_str("</p>\n");
    } else {
        let _ = writeln!(
            out,
            "<details class=\"locs\"><summary>{} on {}</summary>\n<ol>",
            plural(g.all.len(), "location"),
            plural(g.pages, "page")
        );
        for f in &g.all {
            out.push_str("<li>");
            location(out, report, f);
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n</details>\n");
    }
    out.push_str("</article>\n");
}

/// The source window with the matched bytes in `<mark>`.
fn excerpt(out: &mut String, f: &Finding) {
    let text = &f.excerpt.text;
    let r = &f.excerpt.label;
    let _ = write!(
        out,
        "<pre class=\"excerpt\"><span class=\"ln\">{}</span>",
        f.excerpt.line
    );
    match (text.get(..r.start), text.get(r.clone()), text.get(r.end..)) {
        (Some(before), Some(hit), Some(after)) => {
            let _ = write!(
                out,
                "{}<mark>{}</mark>{}",
                Esc(before),
                Esc(hit),
                Esc(after)
            );
        }
        // A label that does not fall on character boundaries: show the
        // text without a highlight rather than lose it.
        _ => {
            let _ = write!(out, "{}", Esc(text));
        }
    }
    out.push_str("</pre>\n");
}

/// `file:line:col`, a sensitive badge, and where the code came from.
fn location(out: &mut String, report: &Report, f: &Finding) {
    let _ = write!(
        out,
        "<code>{}:{}:{}</code>",
        Esc(&f.file),
        f.start.line,
        f.start.column
    );
    if summary::is_sensitive(&report.sensitive, &f.file) {
        out.push_str(" <span class=\"badge sens\">sensitive</span>");
    }
    for o in &f.origins {
        origin(out, o);
    }
    if let Some(note) = &f.origin_note {
        let _ = write!(out, " <span class=\"origin\">origin: {}</span>", Esc(note));
    }
}

/// One origin: file, line, column, how it was found, the original line.
fn origin(out: &mut String, o: &Origin) {
    let via = match o.via {
        Via::SourceMap => "source map",
        Via::Template => "template",
    };
    let _ = write!(
        out,
        " <span class=\"origin\">from <code>{}:{}:{}</code> ({via})",
        Esc(&o.file),
        o.line,
        o.column
    );
    if let Some(t) = &o.text {
        let _ = write!(out, ": <code>{}</code>", Esc(t.trim()));
    }
    out.push_str("</span>");
}

/// Findings accepted by config, inline comments or the baseline, and
/// baseline entries that no longer occur.
pub(super) fn accepted(out: &mut String, report: &Report, ruleset: &Ruleset) {
    out.push_str("<section id=\"accepted\">\n<h2>Accepted findings</h2>\n");
    let allowed: Vec<(&Finding, String)> = report
        .allowed()
        .map(|(f, reason, by)| (f, format!("{reason} ({by})")))
        .collect();
    let suppressed: Vec<(&Finding, String)> = report
        .suppressed()
        .map(|(f, reason)| (f, reason.to_string()))
        .collect();
    let baselined: Vec<(&Finding, String)> = report
        .baselined()
        .map(|f| (f, "in the baseline".to_string()))
        .collect();
    accepted_list(out, ruleset, "Allowed by config", &allowed);
    accepted_list(out, ruleset, "Suppressed inline", &suppressed);
    accepted_list(out, ruleset, "Baselined", &baselined);
    if !report.fixed.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>Fixed since the baseline: {}</summary>\n<ul>",
            report.fixed.len()
        );
        for e in &report.fixed {
            let _ = writeln!(
                out,
                "<li data-filter><code>{}</code> <code>{}</code> {}: <code>{}</code></li>",
                Esc(&e.file),
                Esc(&e.rule),
                Esc(e.vendor.as_deref().unwrap_or("")),
                Esc(&e.text)
            );
        }
        out.push_str("</ul>\n</details>\n");
    }
    out.push_str("</section>\n");
}

/// One collapsed table of accepted findings with their reasons.
fn accepted_list(out: &mut String, ruleset: &Ruleset, title: &str, list: &[(&Finding, String)]) {
    let _ = writeln!(
        out,
        "<details><summary>{}: {}</summary>",
        Esc(title),
        list.len()
    );
    if !list.is_empty() {
        out.push_str(
            "<table class=\"list\">\n<thead><tr><th>Location</th><th>Severity</th><th>Rule</th>\
             <th>Vendor</th><th>Matched text</th><th>Reason</th></tr></thead>\n<tbody>\n",
        );
        for (f, reason) in list {
            let _ = writeln!(
                out,
                "<tr data-filter><td><code>{}:{}:{}</code></td><td class=\"{}\">{}</td>\
                 <td><code>{}</code></td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                Esc(&f.file),
                f.start.line,
                f.start.column,
                sev_class(f.severity),
                f.severity,
                f.rule,
                Esc(summary::finding_party(ruleset, f)),
                Esc(f.matched_text()),
                Esc(reason)
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</details>\n");
}
