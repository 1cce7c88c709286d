//! Output formats. Each reporter only formats a [`crate::check::Report`].

pub mod human;
pub mod json;
pub mod rules;
