//! A progress line on a terminal for builds that take more than a second, on standard error,
//! erased when the work is done: a bar of the files rendered out of those to render (the engine
//! counts them as its worker threads go, see [`engine::Progress`]) and the seconds gone by; a
//! spinner while there is nothing to count (loading, writing, requesting links). Nothing in CI
//! logs, when standard error is not a terminal, with `--quiet`, or with a machine-readable format.
//! One line is all it needs: no progress-bar crate.

use std::io::{IsTerminal, Write};
use std::sync::atomic::Ordering;
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::print::{MessageFormat, Printer, Verbosity};
use crate::engine;

/// Width of the bar, in characters.
const BAR: usize = 24;

/// The line for `done` of `total` files: `[#########...............] 1,204/3,038 files`.
fn bar(done: usize, total: usize) -> String {
    let filled = (done.min(total) * BAR).checked_div(total).unwrap_or(0);
    format!(
        "[{}{}] {done}/{total} files",
        "#".repeat(filled),
        ".".repeat(BAR - filled)
    )
}

/// The progress line of one piece of work; [`Progress::stop`] erases it.
pub struct Progress {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts showing `what` after a second, if standard error is a terminal.
    pub fn start(
        printer: &Printer,
        what: &'static str,
        counts: Option<Arc<engine::Progress>>,
    ) -> Progress {
        let wanted = printer.format == MessageFormat::Human
            && printer.verbosity != Verbosity::Quiet
            && std::io::stderr().is_terminal()
            && std::env::var_os("CI").is_none()
            && std::env::var_os("TERM").is_none_or(|t| t != "dumb");
        if !wanted {
            return Progress {
                stop: None,
                thread: None,
            };
        }
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            if stopped.recv_timeout(Duration::from_secs(1)).is_ok() {
                return;
            }
            const FRAMES: [char; 4] = ['|', '/', '-', '\\'];
            let mut frame = 0;
            loop {
                let total = counts
                    .as_ref()
                    .map_or(0, |c| c.total.load(Ordering::Relaxed));
                let shown = if total > 0 {
                    let done = counts
                        .as_ref()
                        .map_or(0, |c| c.done.load(Ordering::Relaxed));
                    bar(done, total)
                } else {
                    FRAMES[frame % FRAMES.len()].to_string()
                };
                let _ = write!(
                    std::io::stderr(),
                    "\r\x1b[2K{shown} {what}… {} s",
                    started.elapsed().as_secs()
                );
                frame += 1;
                if !matches!(
                    stopped.recv_timeout(Duration::from_millis(150)),
                    Err(mpsc::RecvTimeoutError::Timeout)
                ) {
                    break;
                }
            }
            // Erase the line.
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        });
        Progress {
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Stops and erases the line (if it was shown).
    pub fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn the_bar_fills_with_the_files_rendered() {
        assert_eq!(bar(0, 10), format!("[{}] 0/10 files", ".".repeat(24)));
        assert_eq!(
            bar(5, 10),
            format!("[{}{}] 5/10 files", "#".repeat(12), ".".repeat(12))
        );
        assert_eq!(bar(10, 10), format!("[{}] 10/10 files", "#".repeat(24)));
        assert_eq!(bar(12, 10), format!("[{}] 12/10 files", "#".repeat(24)));
    }
}
