//! Where a finding's code came from: the line a developer edits, found
//! through a JavaScript file's source map ([`sourcemap`]) or by searching
//! the templates under `[sources] paths` ([`template`]).

pub mod sourcemap;
pub mod template;

pub use crate::finding::{Origin, Via};
