//! tracklint: finds third-party tracking in a static site's built output.
//!
//! The pipeline is `cli` → `config` (validated [`config::Settings`]) →
//! `walk` → `scan` (per file, in parallel: `classify`, then `scan::html` or
//! `scan::js` against the `rules` matcher, then `source` to locate) →
//! `report`. Scanners produce findings; only reporters format them.
#![deny(missing_docs)]

pub mod baseline;
pub mod check;
pub mod classify;
pub mod cli;
pub mod config;
pub mod error;
pub mod explain;
pub mod finding;
pub mod git;
pub mod hook;
pub mod init;
pub mod invariants;
pub mod merge;
pub mod origin;
pub mod output;
pub mod policy;
pub mod progress;
pub mod report;
pub mod rules;
pub mod scan;
pub mod source;
pub mod sources;
pub mod suppress;
pub mod template;
pub mod url;
pub mod walk;
