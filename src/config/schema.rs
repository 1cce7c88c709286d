//! The TOML tables of `tracklint.toml`, as read (validated by
//! [`super::resolve_text`]).

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ConfigFile {
    #[serde(default)]
    pub(super) site: SiteTable,
    #[serde(default)]
    pub(super) sensitive: SensitiveTable,
    #[serde(default)]
    pub(super) rules: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    pub(super) extend: ExtendTable,
    #[serde(default)]
    pub(super) allow: Vec<Spanned<AllowTable>>,
    #[serde(default)]
    pub(super) sources: SourcesTable,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SiteTable {
    #[serde(default)]
    pub(super) root: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) first_party: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) include: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) exclude: Vec<Spanned<String>>,
}

/// `[sensitive]`: path globs, and whether pages are also found by what
/// their forms ask for.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SensitiveTable {
    #[serde(default)]
    pub(super) paths: Vec<Spanned<String>>,
    #[serde(default = "yes")]
    pub(super) infer: bool,
}

impl Default for SensitiveTable {
    fn default() -> Self {
        SensitiveTable {
            paths: Vec::new(),
            infer: true,
        }
    }
}

/// `[sources]`: a list of path globs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SourcesTable {
    #[serde(default)]
    pub(super) paths: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExtendTable {
    #[serde(default = "yes")]
    pub(super) use_default: bool,
    #[serde(default)]
    pub(super) rulesets: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) disabled_vendors: Vec<Spanned<String>>,
}

impl Default for ExtendTable {
    fn default() -> Self {
        ExtendTable {
            use_default: true,
            rulesets: Vec::new(),
            disabled_vendors: Vec::new(),
        }
    }
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AllowTable {
    #[serde(default)]
    pub(super) vendor: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) rule: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) paths: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) reason: Option<Spanned<String>>,
    #[serde(default)]
    pub(super) expires: Option<Spanned<String>>,
}
