//! Escaping scanned text for the report, and the CSS class of a severity.

use std::fmt;

use crate::rules::Severity;

/// Text escaped for HTML element content and quoted attribute values.
/// Control characters other than tab and newline become visible `\u{…}`.
pub(super) struct Esc<'a>(pub(super) &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(|c: char| {
            matches!(c, '&' | '<' | '>' | '"' | '\'')
                || (c.is_control() && !matches!(c, '\t' | '\n'))
        }) {
            f.write_str(&rest[..at])?;
            let c = rest[at..].chars().next().unwrap_or('\u{FFFD}');
            match c {
                '&' => f.write_str("&amp;")?,
                '<' => f.write_str("&lt;")?,
                '>' => f.write_str("&gt;")?,
                '"' => f.write_str("&quot;")?,
                '\'' => f.write_str("&#39;")?,
                _ => {
                    let mut shown = String::new();
                    crate::report::controls::push_escaped(&mut shown, c);
                    f.write_str(&shown)?;
                }
            }
            rest = &rest[at + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

/// The CSS class of a severity.
pub(super) fn sev_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "sev-error",
        Severity::Warning => "sev-warning",
        Severity::Info => "sev-info",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_controls() {
        assert_eq!(
            Esc("<script src=\"x\">a&b's\u{0}</script>").to_string(),
            "&lt;script src=&quot;x&quot;&gt;a&amp;b&#39;s\\u{0}&lt;/script&gt;"
        );
        assert_eq!(Esc("é\tok\n").to_string(), "é\tok\n");
    }
}
