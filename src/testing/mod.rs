//! Checks shared by the fuzz targets and the property tests.

pub mod decoding;
pub mod invariants;
