//! Output formats. Each reporter only formats a [`crate::check::Report`].

pub mod catalog;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod merge;
pub mod output;
pub mod sarif;
pub mod summary;
