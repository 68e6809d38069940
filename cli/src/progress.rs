//! Bulk progress on stderr: a live bar on a terminal, plain lines otherwise (logs, CI).

use cpaas_reseller::bulk::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Shared by the bulk run's progress callback and the Ctrl-C watcher.
#[derive(Debug)]
pub struct Display {
    bar: Option<ProgressBar>,
    /// When the last plain line was printed, and at how many rows.
    last: Mutex<(Instant, usize)>,
}

impl Display {
    pub fn new(total: usize) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template(
                "{bar:30.cyan/blue} {pos}/{len} rows {msg} [{elapsed_precise}, eta {eta}]",
            ) {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Self {
            bar,
            last: Mutex::new((Instant::now(), 0)),
        }
    }

    pub fn update(&self, progress: Progress) {
        let counts = format!(
            "{} applied, {} already applied, {} failed, {} outcome unknown",
            progress.succeeded, progress.already_applied, progress.failed, progress.outcome_unknown
        );
        if let Some(bar) = &self.bar {
            bar.set_position(progress.done as u64);
            bar.set_message(counts);
            return;
        }
        let Ok(mut last) = self.last.lock() else {
            return;
        };
        let step = (progress.total / 10).max(1);
        let due = progress.done == progress.total
            || progress.done >= last.1 + step
            || last.0.elapsed() >= Duration::from_secs(2);
        if due {
            eprintln!(
                "progress: {}/{} rows done ({counts})",
                progress.done, progress.total
            );
            *last = (Instant::now(), progress.done);
        }
    }

    /// A message that must not be drawn over by the bar.
    pub fn note(&self, message: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{message}")),
            None => eprintln!("{message}"),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
