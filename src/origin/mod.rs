//! Where a finding's code came from: the line a developer edits, found
//! through a JavaScript file's source map ([`sourcemap`]) or by searching
//! the templates under `[sources] paths` ([`template`]).

pub mod sourcemap;
pub mod template;

use serde::Serialize;

/// How an origin was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Via {
    /// A JavaScript file's source map.
    SourceMap,
    /// A template under `[sources] paths` holding the finding's text.
    Template,
}

/// A finding's position in the original source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Origin {
    /// The original file, relative to the current directory when the map
    /// names it relatively.
    pub file: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
    /// The original line's text, when the map carries `sourcesContent`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub text: Option<String>,
    /// How it was found.
    pub via: Via,
}
