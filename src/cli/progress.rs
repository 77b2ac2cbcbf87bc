//! A progress line on a terminal for builds that take more than a second: a spinner and the
//! seconds gone by, on standard error, erased when the work is done. Nothing in CI logs, when
//! standard error is not a terminal, with `--quiet`, or with a machine-readable format.
//!
//! The engine does not report its progress as it goes, so this tells that karvan works and for
//! how long, not how much is left; a line is all it needs (no progress-bar crate).

use std::io::{IsTerminal, Write};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::print::{MessageFormat, Printer, Verbosity};

/// The progress line of one piece of work; [`Progress::stop`] erases it.
pub struct Progress {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts showing `what` after a second, if standard error is a terminal.
    pub fn start(printer: &Printer, what: &'static str) -> Progress {
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
                let _ = write!(
                    std::io::stderr(),
                    "\r{} {what}… {} s",
                    FRAMES[frame % FRAMES.len()],
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
