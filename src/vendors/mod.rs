//! Vendor knowledge: the ruleset schema, the built-in rulesets compiled into
//! the binary, and loading of user rulesets in the same schema.
//!
//! A ruleset file is a list of `[[vendor]]` tables. Patterns are data:
//!
//! * `hosts`: hosts that serve only the vendor's tracking (`*.example.com`
//!   also matches `example.com` and any subdomain). Any URL on them is the
//!   vendor's.
//! * `scripts` / `pixels`: `host/path` patterns for script files and
//!   collection endpoints, for vendors whose host also serves ordinary pages
//!   (`*.facebook.com/tr`). In a path, `*` matches within one segment and a
//!   trailing `*` matches the rest.
//! * `snippets`: code signatures (`fbq('init'`), matched as JavaScript
//!   tokens: whitespace, line breaks and the quote a string is written
//!   with do not matter, so one entry covers every spelling (`snippet.rs`).
//! * `consent_snippets` / `consent_attributes`: client-side consent checks
//!   (`OnetrustActiveGroups`) and script attributes that gate tracking on
//!   them (`data-cookieconsent`, `class~=optanon-category-`).

mod explain;
mod matcher;
mod pattern;
mod snippet;

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::error::TomlError;

pub use matcher::{
    AttrMatch, HostClaim, HostMatch, MAX_URL_CONTEXT, Matcher, PatternKind, TextHit, TextHitKind,
};

/// The rulesets compiled into the binary, as (name, TOML text).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "builtin:rulesets/analytics.toml",
        include_str!("../../rulesets/analytics.toml"),
    ),
    (
        "builtin:rulesets/advertising.toml",
        include_str!("../../rulesets/advertising.toml"),
    ),
    (
        "builtin:rulesets/customer-data-platforms.toml",
        include_str!("../../rulesets/customer-data-platforms.toml"),
    ),
    (
        "builtin:rulesets/tag-managers.toml",
        include_str!("../../rulesets/tag-managers.toml"),
    ),
    (
        "builtin:rulesets/session-replay.toml",
        include_str!("../../rulesets/session-replay.toml"),
    ),
    (
        "builtin:rulesets/marketing.toml",
        include_str!("../../rulesets/marketing.toml"),
    ),
    (
        "builtin:rulesets/chat.toml",
        include_str!("../../rulesets/chat.toml"),
    ),
    (
        "builtin:rulesets/ab-testing.toml",
        include_str!("../../rulesets/ab-testing.toml"),
    ),
    (
        "builtin:rulesets/affiliate.toml",
        include_str!("../../rulesets/affiliate.toml"),
    ),
    (
        "builtin:rulesets/call-tracking.toml",
        include_str!("../../rulesets/call-tracking.toml"),
    ),
    (
        "builtin:rulesets/consent-managers.toml",
        include_str!("../../rulesets/consent-managers.toml"),
    ),
    (
        "builtin:rulesets/third-party-web.toml",
        include_str!("../../rulesets/third-party-web.toml"),
    ),
    // CC BY-SA 3.0, not MIT: see the file's header.
    (
        "builtin:rulesets/easyprivacy.toml",
        include_str!("../../rulesets/easyprivacy.toml"),
    ),
];

/// What a vendor's product does, which decides how its findings read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Web analytics.
    Analytics,
    /// Ad networks and conversion tracking.
    Advertising,
    /// Social networks' widgets and SDKs (share buttons, embeds); their ad
    /// pixels are [`Category::Advertising`].
    Social,
    /// Tag managers that load other tags.
    TagManager,
    /// Customer-data platforms that fan events out to other vendors.
    CustomerDataPlatform,
    /// Session recording and heatmaps.
    SessionReplay,
    /// Marketing automation and CRM tracking.
    MarketingAutomation,
    /// Chat and support widgets.
    Chat,
    /// A/B testing and personalisation.
    AbTesting,
    /// Consent-management platforms (their findings are `client-side-consent`).
    ConsentManager,
    /// Affiliate networks.
    Affiliate,
    /// Call tracking.
    CallTracking,
}

impl Category {
    /// The kebab-case name used in rulesets and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Analytics => "analytics",
            Category::Advertising => "advertising",
            Category::Social => "social",
            Category::TagManager => "tag-manager",
            Category::CustomerDataPlatform => "customer-data-platform",
            Category::SessionReplay => "session-replay",
            Category::MarketingAutomation => "marketing-automation",
            Category::Chat => "chat",
            Category::AbTesting => "ab-testing",
            Category::ConsentManager => "consent-manager",
            Category::Affiliate => "affiliate",
            Category::CallTracking => "call-tracking",
        }
    }
}

/// What a vendor says about signing a HIPAA Business Associate Agreement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Baa {
    /// The vendor does not sign BAAs for this product.
    No,
    /// The vendor signs BAAs for this product.
    Yes,
    /// Only on a named plan or tier (`baa_tier`).
    Tier,
    /// No public statement found.
    Unknown,
}

/// One vendor as written in a ruleset. Every key but `id`, `name`,
/// `category` and `baa` is optional.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vendor {
    /// Kebab-case slug, unique across all rulesets (`meta-pixel`).
    pub id: Spanned<String>,
    /// Display name (`Meta Pixel`).
    pub name: String,
    /// The company behind it.
    #[serde(default)]
    pub company: Option<String>,
    /// What the product does.
    pub category: Category,
    /// BAA status.
    pub baa: Baa,
    /// The plan that includes a BAA, when `baa = "tier"`.
    #[serde(default)]
    pub baa_tier: Option<String>,
    /// Where the BAA statement comes from (URL or document name).
    #[serde(default)]
    pub baa_source: Option<String>,
    /// When the BAA statement and endpoints were last checked (YYYY-MM-DD).
    #[serde(default)]
    pub checked: Option<String>,
    /// Whether the product records sessions.
    #[serde(default)]
    pub session_replay: bool,
    /// The vendor's documentation for the tag.
    #[serde(default)]
    pub docs: Option<String>,
    /// Hosts that serve only tracking.
    #[serde(default)]
    pub hosts: Vec<Spanned<String>>,
    /// `host/path` patterns of script files.
    #[serde(default)]
    pub scripts: Vec<Spanned<String>>,
    /// `host/path` patterns of collection endpoints.
    #[serde(default)]
    pub pixels: Vec<Spanned<String>>,
    /// Code signatures that load or initialise the vendor.
    #[serde(default)]
    pub snippets: Vec<Spanned<String>>,
    /// Code signatures of client-side consent checks.
    #[serde(default)]
    pub consent_snippets: Vec<Spanned<String>>,
    /// Script attributes that gate a tag on client-side consent.
    #[serde(default)]
    pub consent_attributes: Vec<Spanned<String>>,
    /// What the vendor's tag does.
    #[serde(default)]
    pub what: Option<String>,
    /// Why it matters.
    #[serde(default)]
    pub why: Option<String>,
    /// How to remove or replace it.
    #[serde(default)]
    pub fix: Option<String>,
    /// Which file the vendor came from (set at load).
    #[serde(skip)]
    pub source: String,
    /// Whether its hosts are searched for in code (from the file's
    /// `match_in_code`).
    #[serde(skip)]
    pub match_in_code: bool,
}

impl Vendor {
    /// Where the vendor comes from: `curated`, `third-party-web`,
    /// `easyprivacy`, or the path of a user ruleset.
    pub fn origin(&self) -> &str {
        match self.source.strip_prefix("builtin:") {
            Some(f) if f.ends_with("third-party-web.toml") => "third-party-web",
            Some(f) if f.ends_with("easyprivacy.toml") => "easyprivacy",
            Some(_) => "curated",
            None => &self.source,
        }
    }

    /// Who runs the vendor's hosts: its company, or its name when the
    /// ruleset gives none. Resource hints name it (`Google`, `Meta`).
    pub fn owner(&self) -> &str {
        self.company.as_deref().unwrap_or(&self.name)
    }

    /// One line on BAA status, for help text.
    pub fn baa_line(&self) -> String {
        let status = match self.baa {
            Baa::No => "does not sign a BAA".to_string(),
            Baa::Yes => "signs a BAA".to_string(),
            Baa::Tier => format!(
                "signs a BAA only on {}",
                self.baa_tier.as_deref().unwrap_or("some plans")
            ),
            Baa::Unknown => "has no public BAA statement".to_string(),
        };
        match &self.baa_source {
            Some(src) => format!("{} {status} (source: {src})", self.name),
            None => format!("{} {status}", self.name),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesetFile {
    /// Whether this file's hosts are searched for in code (JavaScript and
    /// inline scripts) as well as in the HTML that loads them. The
    /// generated third-party-web file turns it off: its entries list whole
    /// company domains, which code mentions in ordinary links.
    #[serde(default = "default_true")]
    match_in_code: bool,
    #[serde(default)]
    vendor: Vec<Vendor>,
    #[serde(default)]
    owner: Vec<Owner>,
}

fn default_true() -> bool {
    true
}

/// A known operator of hosts that are not trackers (a CDN, a video host),
/// named in `third-party-script` and `third-party-embed` findings.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Owner {
    /// Display name (`cdnjs`).
    pub name: String,
    /// The company behind it.
    #[serde(default)]
    pub company: Option<String>,
    /// Free-form kind (`cdn`, `video`, `utility`).
    pub category: String,
    /// Hosts (`*.example.com` matches the domain and every subdomain).
    pub hosts: Vec<Spanned<String>>,
}

/// All vendors in effect, built-in and user-supplied, compiled for matching.
pub struct Ruleset {
    /// The vendors, indexed by the `vendor` field of findings.
    pub vendors: Vec<Vendor>,
    /// The compiled patterns.
    pub matcher: Matcher,
    /// Every vendor id loaded, including disabled ones.
    pub known_ids: Vec<String>,
    /// Operators of non-tracker hosts, for naming third-party findings.
    pub owners: Vec<Owner>,
}

/// Which vendors to load.
#[derive(Clone, Copy, Debug)]
pub struct LoadOptions<'a> {
    /// Load the built-in rulesets (`[extend] use_default`).
    pub use_default: bool,
    /// User ruleset files.
    pub extra: &'a [std::path::PathBuf],
    /// Vendor ids to leave out.
    pub disabled: &'a [&'a str],
}

impl Default for LoadOptions<'_> {
    fn default() -> Self {
        LoadOptions {
            use_default: true,
            extra: &[],
            disabled: &[],
        }
    }
}

impl Ruleset {
    /// Loads the built-in rulesets (unless turned off) plus user rulesets,
    /// leaving out disabled vendors.
    pub fn load(opts: LoadOptions<'_>) -> Result<Ruleset, TomlError> {
        let mut sources: Vec<(String, String)> = Vec::new();
        if opts.use_default {
            sources.extend(BUILTIN.iter().map(|(n, t)| (n.to_string(), t.to_string())));
        }
        for path in opts.extra {
            let text = read_ruleset(path)?;
            sources.push((path.display().to_string(), text));
        }
        Ruleset::build(&sources, opts.disabled)
    }

    /// The built-in vendors only.
    pub fn builtin() -> Result<Ruleset, TomlError> {
        Ruleset::load(LoadOptions::default())
    }

    /// Builds a ruleset from (name, TOML text) pairs, rejecting bad TOML,
    /// unknown keys, duplicate ids and bad patterns with a located error.
    pub fn from_sources(sources: &[(String, String)]) -> Result<Ruleset, TomlError> {
        Ruleset::build(sources, &[])
    }

    fn build(sources: &[(String, String)], disabled: &[&str]) -> Result<Ruleset, TomlError> {
        let mut vendors = Vec::new();
        let mut origins = Vec::new();
        let mut known_ids = Vec::new();
        let mut owners = Vec::new();
        for (si, (name, text)) in sources.iter().enumerate() {
            let file: RulesetFile =
                toml::from_str(text).map_err(|e| TomlError::from_toml(name, text, &e))?;
            for mut v in file.vendor {
                known_ids.push(v.id.get_ref().clone());
                if disabled.contains(&v.id.get_ref().as_str()) {
                    continue;
                }
                v.source = name.clone();
                v.match_in_code = file.match_in_code;
                vendors.push(v);
                origins.push(si);
            }
            owners.extend(file.owner);
        }
        let matcher = Matcher::build(&vendors, &owners).map_err(|e| {
            let (name, text) = &sources[origins[e.vendor]];
            TomlError::new(name, text, e.message, Some(e.span)).with_help(e.help)
        })?;
        Ok(Ruleset {
            vendors,
            matcher,
            known_ids,
            owners,
        })
    }

    /// The vendor with slug `id`.
    pub fn vendor_by_id(&self, id: &str) -> Option<(usize, &Vendor)> {
        self.vendors
            .iter()
            .enumerate()
            .find(|(_, v)| v.id.get_ref() == id)
    }
}

fn read_ruleset(path: &Path) -> Result<String, TomlError> {
    // Errors here name the path and never show content: the file may not
    // be a ruleset at all (`/proc/self/environ`, a key, a binary).
    let refuse = |why: String| {
        TomlError::new(
            &path.display().to_string(),
            "",
            format!("cannot read ruleset: {why}"),
            None,
        )
    };
    let real = std::fs::canonicalize(path).map_err(|e| refuse(e.to_string()))?;
    if ["/proc", "/sys", "/dev"]
        .iter()
        .any(|d| real.starts_with(d))
    {
        return Err(refuse("not a regular file".into()));
    }
    // Special files (FIFOs, devices, sockets) are refused before any read.
    let meta = std::fs::metadata(&real).map_err(|e| refuse(e.to_string()))?;
    if !meta.is_file() {
        return Err(refuse("not a regular file".into()));
    }
    let bytes = std::fs::read(&real).map_err(|e| refuse(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|_| refuse("not UTF-8 text".into()))?;
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(refuse(
            "it holds NUL or control characters, so it is not a TOML ruleset".into(),
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Ruleset, TomlError> {
        Ruleset::from_sources(&[("test.toml".into(), text.into())])
    }

    #[test]
    fn special_binary_and_control_files_are_refused_without_content() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin.toml");
        std::fs::write(&bin, b"[[vendor]]\xff\xfe SECRET=1").unwrap();
        let nul = dir.path().join("nul.toml");
        std::fs::write(&nul, "SECRET=1\0[[vendor]]").unwrap();
        let mut paths = vec![bin, nul];
        if Path::new("/proc/self/environ").exists() {
            paths.push("/proc/self/environ".into());
        }
        for path in paths {
            let err = read_ruleset(&path).unwrap_err();
            let shown = format!("{:?}", miette::Report::new(err));
            assert!(shown.contains("cannot read ruleset"), "{shown}");
            assert!(!shown.contains("SECRET"), "{shown}");
            assert!(!shown.contains("PATH="), "{shown}");
        }
    }

    #[test]
    fn builtin_rulesets_load() {
        let rs = Ruleset::builtin().expect("built-in rulesets must load");
        assert!(rs.vendors.len() >= 32);
    }

    #[test]
    fn minimal_user_vendor_loads() {
        let rs = load(
            r#"
[[vendor]]
id = "inhouse-tracker"
name = "In-house tracker"
category = "analytics"
baa = "unknown"
hosts = ["cdn.inhouse-tracker.example"]
"#,
        )
        .unwrap();
        assert_eq!(rs.vendors[0].id.get_ref(), "inhouse-tracker");
    }

    #[test]
    fn unknown_key_points_at_it() {
        let text = "[[vendor]]\nid = \"x\"\nname = \"X\"\ncategory = \"analytics\"\nbaa = \"no\"\nhostz = []\n";
        let err = load(text).err().unwrap();
        let span = err.span.unwrap();
        assert_eq!(&text[span.offset()..span.offset() + 5], "hostz");
    }

    #[test]
    fn duplicate_id_is_rejected() {
        let v = "[[vendor]]\nid = \"x\"\nname = \"X\"\ncategory = \"analytics\"\nbaa = \"no\"\nhosts = [\"a.example\"]\n";
        let err = load(&format!("{v}{v}")).err().unwrap();
        assert!(
            err.message.contains("duplicate vendor id"),
            "{}",
            err.message
        );
    }
}
