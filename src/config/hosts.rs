//! Host patterns: `[site] first_party` and `--first-party`.

use std::collections::HashSet;

/// A string that is not a host name or `*.domain` pattern.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a host name or `*.domain` pattern (no scheme, path or port)")]
pub struct NotAHostPattern(pub String);

/// A set of host patterns: `host` matches exactly, `*.domain` matches the
/// domain and every subdomain.
#[derive(Clone, Debug, Default)]
pub struct HostSet {
    exact: HashSet<String>,
    wild: HashSet<String>,
}

impl HostSet {
    /// Adds a pattern, or says why it is not one.
    pub fn add(&mut self, pattern: &str) -> Result<(), NotAHostPattern> {
        let p = pattern.trim().trim_end_matches('.').to_ascii_lowercase();
        let (wild, host) = match p.strip_prefix("*.") {
            Some(h) => (true, h.to_string()),
            None => (false, p.clone()),
        };
        let ok = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
            && !host.split('.').any(str::is_empty);
        if !ok {
            return Err(NotAHostPattern(pattern.to_string()));
        }
        if wild {
            self.wild.insert(host);
        } else {
            self.exact.insert(host);
        }
        Ok(())
    }

    /// Whether `host` (lowercase) is in the set.
    pub fn contains(&self, host: &str) -> bool {
        self.exact.contains(host) || crate::url::suffixes(host).any(|s| self.wild.contains(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_set_wildcards_cover_the_apex() {
        let mut s = HostSet::default();
        s.add("*.Clinic.example").unwrap();
        s.add("cdn.partner.example").unwrap();
        assert!(s.contains("clinic.example"));
        assert!(s.contains("www.clinic.example"));
        assert!(!s.contains("evilclinic.example"));
        assert!(s.contains("cdn.partner.example"));
        assert!(!s.contains("x.cdn.partner.example"));
        assert!(s.add("https://x.example/").is_err());
    }
}
