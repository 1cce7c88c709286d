//! The command line: flags (clap), and the commands that are not a scan
//! (`init`, `hook`). The library never sees clap types.

pub mod args;
pub mod hook;
pub mod init;
pub mod progress;
