//! `tracklint init`: a commented `tracklint.toml` with the site's own host
//! as first-party, found in the site generator's config.

use std::path::{Path, PathBuf};

use tracklint::config::CONFIG_NAMES;
use tracklint::error::UsageError;
use tracklint::url;

/// Patient-facing page patterns proposed for `[sensitive] paths`.
pub const SENSITIVE_DEFAULTS: &[&str] = &[
    "**/portal/**",
    "**/mychart/**",
    "**/login/**",
    "**/signin/**",
    "**/sign-in/**",
    "**/register/**",
    "**/registration/**",
    "**/signup/**",
    "**/appointments/**",
    "**/appointment/**",
    "**/booking/**",
    "**/schedule/**",
    "**/symptom-checker/**",
    "**/find-a-doctor/**",
    "**/find-a-provider/**",
    "**/billing/**",
    "**/pay-my-bill/**",
];

/// Build directories, in the order they are proposed as `[site] root`.
const BUILD_DIRS: &[&str] = &["_site", "dist", "build", "out", "public"];

/// Template and source directories of the common generators (Jekyll,
/// Eleventy, Hugo, Astro, Vite, Flask/Django, Rails), proposed as
/// `[sources] paths` when they exist.
const SOURCE_DIRS: &[&str] = &[
    "_includes",
    "_layouts",
    "layouts",
    "partials",
    "src",
    "templates",
    "app/views",
];

/// What `init` found about the site.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Detected {
    /// The site's host and the file it came from.
    pub host: Option<(String, String)>,
    /// A build directory that exists.
    pub root: Option<String>,
    /// Template directories that exist.
    pub sources: Vec<String>,
}

/// Looks for the site's host and build directory in `dir`.
pub fn detect(dir: &Path) -> Detected {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    let mut host = None;
    for name in ["CNAME", "public/CNAME", "static/CNAME", "source/CNAME"] {
        if let Some(text) = read(name)
            && let Some(line) = text.lines().map(str::trim).find(|l| !l.is_empty())
            && let Some(h) = host_of(line)
        {
            host = Some((h, name.to_string()));
            break;
        }
    }
    // (file, key): the site URL in each generator's config.
    let keyed = [
        ("_config.yml", "url"),
        ("hugo.toml", "baseURL"),
        ("config.toml", "baseURL"),
        ("hugo.yaml", "baseURL"),
        ("config.yaml", "baseURL"),
        ("package.json", "\"homepage\""),
        ("astro.config.mjs", "site"),
        ("astro.config.ts", "site"),
        ("astro.config.js", "site"),
        ("next-sitemap.config.js", "siteUrl"),
        ("svelte.config.js", "origin"),
    ];
    for (name, key) in keyed {
        if host.is_some() {
            break;
        }
        if let Some(text) = read(name)
            && let Some(h) = url_after_key(&text, key)
        {
            host = Some((h, name.to_string()));
        }
    }
    let root = BUILD_DIRS
        .iter()
        .find(|d| dir.join(d).is_dir())
        .map(std::string::ToString::to_string);
    let sources = SOURCE_DIRS
        .iter()
        .filter(|d| dir.join(d).is_dir())
        .map(|d| format!("{d}/**"))
        .collect();
    Detected {
        host,
        root,
        sources,
    }
}

/// The host of a CNAME line or URL.
fn host_of(s: &str) -> Option<String> {
    let s = s.trim().trim_matches(|c| c == '"' || c == '\'');
    if let Some(u) = url::parse(s) {
        return Some(u.host);
    }
    let h = s.trim_end_matches('/').to_ascii_lowercase();
    let ok = h.contains('.')
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    ok.then_some(h)
}

/// The host of the first `http(s)://` URL on the line where `key` is
/// followed by `:` or `=`.
fn url_after_key(text: &str, key: &str) -> Option<String> {
    for line in text.lines() {
        let t = line.trim_start();
        let Some(rest) = t.strip_prefix(key) else {
            continue;
        };
        let rest = rest.trim_start();
        if !(rest.starts_with(':') || rest.starts_with('=')) {
            continue;
        }
        let at = rest.find("http")?;
        let url: String = rest[at..]
            .chars()
            .take_while(|c| !matches!(c, '"' | '\'' | '`' | ',' | ' ' | '\t'))
            .collect();
        if let Some(u) = url::parse(&url) {
            return Some(u.host);
        }
    }
    None
}

/// The commented config `init` writes.
pub fn template(d: &Detected) -> String {
    let mut s = String::from(
        "# tracklint configuration. Every key is optional; see the README.\n\n[site]\n",
    );
    match &d.root {
        Some(r) => s.push_str(&format!(
            "# What `tracklint check` scans when no path is given.\nroot = \"{r}\"\n"
        )),
        None => s.push_str(
            "# What `tracklint check` scans when no path is given.\n# root = \"_site\"\n",
        ),
    }
    s.push_str("# Hosts your organisation controls (never reported as third-party).\n");
    match &d.host {
        Some((h, from)) => {
            let apex = h.strip_prefix("www.").unwrap_or(h);
            s.push_str(&format!(
                "# Found in {from}.\nfirst_party = [\"{apex}\", \"*.{apex}\"]\n"
            ));
        }
        None => s.push_str("first_party = []  # e.g. [\"clinic.example\", \"*.clinic.example\"]\n"),
    }
    s.push_str("# exclude = [\"vendor/**\"]\n\n");
    s.push_str(
        "# Patient-facing pages. Findings there are raised one severity level: HHS OCR's\n\
         # guidance treats tracking on authenticated, login/registration, booking and\n\
         # symptom-checker pages as a disclosure of PHI.\n[sensitive]\npaths = [\n",
    );
    for p in SENSITIVE_DEFAULTS {
        s.push_str(&format!("  \"{p}\",\n"));
    }
    s.push_str("]\n\n");
    s.push_str(
        "# Templates and code the site is built from: findings in built pages name the\n\
         # template line that produced them, and these files are scanned as templates.\n",
    );
    if d.sources.is_empty() {
        s.push_str("# [sources]\n# paths = [\"_includes/**\", \"_layouts/**\", \"src/**\"]\n\n");
    } else {
        let list: Vec<String> = d.sources.iter().map(|p| format!("\"{p}\"")).collect();
        s.push_str(&format!("[sources]\npaths = [{}]\n\n", list.join(", ")));
    }
    s.push_str(
        "# Severity per rule: \"error\", \"warning\", \"info\" or \"off\".\n[rules]\n\
         # third-party-embed = \"warning\"\n\n\
         [extend]\n\
         use_default = true  # keep the built-in vendor database\n\
         # rulesets = [\"tracklint-vendors.toml\"]\n\
         # disabled_vendors = []\n\n\
         # Accept a finding, with a reason a reviewer can audit.\n\
         # [[allow]]\n\
         # vendor = \"google-tag-manager\"\n\
         # paths = [\"careers/**\"]\n\
         # reason = \"careers site runs under the HR vendor's BAA\"\n\
         # expires = \"2027-06-30\"\n",
    );
    s
}

/// Writes `tracklint.toml` in `dir`, refusing to overwrite a config.
/// Returns the path written and what was detected.
pub fn run(dir: &Path) -> Result<(PathBuf, Detected), UsageError> {
    for name in CONFIG_NAMES {
        if dir.join(name).exists() {
            return Err(UsageError {
                message: format!("{name} already exists; not overwriting it"),
                help: Some("edit it, or remove it and run `tracklint init` again".into()),
            });
        }
    }
    let d = detect(dir);
    let path = dir.join(CONFIG_NAMES[0]);
    std::fs::write(&path, template(&d))
        .map_err(|e| UsageError::new(format!("cannot write {}: {e}", path.display())))?;
    Ok((path, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_site_url_in_generator_configs() {
        let cases = [
            (
                "_config.yml",
                "title: Clinic\nurl: \"https://www.clinic.example\"\n",
            ),
            ("hugo.toml", "baseURL = 'https://clinic.example/'\n"),
            (
                "package.json",
                "{\n  \"name\": \"x\",\n  \"homepage\": \"https://clinic.example/app\"\n}\n",
            ),
            (
                "astro.config.mjs",
                "export default defineConfig({\n  site: 'https://clinic.example',\n});\n",
            ),
            ("CNAME", "\nclinic.example\n"),
        ];
        for (file, text) in cases {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join(file), text).unwrap();
            let d = detect(dir.path());
            let host = d.host.expect(file).0;
            assert!(host.ends_with("clinic.example"), "{file}: {host}");
        }
    }

    #[test]
    fn template_parses_as_config() {
        let d = Detected {
            host: Some(("www.clinic.example".into(), "CNAME".into())),
            root: Some("_site".into()),
            sources: vec!["_includes/**".into(), "src/**".into()],
        };
        let t = template(&d);
        assert!(t.contains("first_party = [\"clinic.example\", \"*.clinic.example\"]"));
        let v: toml::Table = toml::from_str(&t).unwrap();
        assert_eq!(v["site"]["root"].as_str(), Some("_site"));
        assert_eq!(
            v["sources"]["paths"].as_array().unwrap(),
            &vec![
                toml::Value::from("_includes/**"),
                toml::Value::from("src/**")
            ]
        );
        // Without template directories the section is a comment.
        let t = template(&Detected::default());
        let v: toml::Table = toml::from_str(&t).unwrap();
        assert!(!v.contains_key("sources"));
    }
}
