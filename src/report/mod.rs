//! Output formats. Each reporter only formats a [`crate::check::Report`].

pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod rules;
pub mod sarif;
pub mod summary;
