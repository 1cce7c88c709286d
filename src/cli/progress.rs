//! A progress bar on stderr for scans that take more than about a second,
//! shown only when stderr is a terminal and the output is for people.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a scan runs before the bar appears.
const DELAY: Duration = Duration::from_secs(1);

/// A bar that stays hidden for short scans.
pub struct Bar {
    bar: OnceLock<ProgressBar>,
    started: Instant,
}

impl Bar {
    /// A bar, drawn once the run says how many files it scans.
    pub fn new() -> Bar {
        Bar {
            bar: OnceLock::new(),
            started: Instant::now(),
        }
    }
}

impl tracklint::check::Progress for Bar {
    fn start(&self, total: u64) {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed} (ETA {eta})")
                .expect("valid template"),
        );
        let _ = self.bar.set(bar);
    }

    fn tick(&self) {
        if let Some(bar) = self.bar.get() {
            if bar.is_hidden() && self.started.elapsed() > DELAY {
                bar.set_draw_target(ProgressDrawTarget::stderr());
            }
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}
