//! tracklint: finds third-party tracking in a static site's built output.
//!
//! The pipeline, one stage a module, each importing only the stages below
//! it (see ARCHITECTURE.md): `input` (walk, git index, read) → `scan`
//! (html, js, template → raw findings, judged by `rules` against the
//! `vendors` database; `locate` gives lines and columns) → `policy`
//! (suppress, severity, allow, baseline) → `origin` (source maps,
//! templates) → `report` (one model, one renderer per format).
#![deny(missing_docs)]

pub mod check;
pub mod config;
pub mod error;
pub mod finding;
pub mod input;
pub mod origin;
pub mod policy;
pub mod report;
pub mod rules;
pub mod scan;
pub mod suggest;
pub mod testing;
pub mod url;
pub mod vendors;
