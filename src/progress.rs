//! A progress bar on stderr for scans that take more than about a second,
//! shown only when stderr is a terminal and the output is for people.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a scan runs before the bar appears.
const DELAY: Duration = Duration::from_secs(1);

/// A bar that stays hidden for short scans.
pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
}

impl Progress {
    /// A bar over `total` files; `enabled` is false for machine output,
    /// quiet runs and non-terminals.
    pub fn new(enabled: bool, total: u64) -> Progress {
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed} (ETA {eta})")
                    .expect("valid template"),
            );
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
        }
    }

    /// One file done.
    pub fn tick(&self) {
        if let Some(bar) = &self.bar {
            if bar.is_hidden() && self.started.elapsed() > DELAY {
                bar.set_draw_target(ProgressDrawTarget::stderr());
            }
            bar.inc(1);
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
