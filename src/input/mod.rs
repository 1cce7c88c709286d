//! What to scan: a directory walk or the git index, and how to read each
//! file (binary sniffing, charset).

pub mod git;
pub mod read;
pub mod shard;
pub mod walk;
