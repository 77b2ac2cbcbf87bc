//! A build with nothing to do. When the program, the options and every input file are those of
//! the last successful build into the same output, and the output is as that build left it, the
//! build reads no page, renders nothing, writes nothing, and repeats that build's report.
//!
//! 1. [`Inputs::of`], before anything is read: one digest of the program (its version, size and
//!    modification time), the options that change the output (today's date among them: review
//!    dates are checked against it), the output's place, and the path, size, modification and
//!    change times and inode of every file under the folders a build reads (those `serve`
//!    watches). An editor's save changes the times; a save by rename changes the inode too.
//! 2. [`repeat`]: if `.karvan-cache/builds/<output>.json` holds a record with that digest, and
//!    the output holds the marker that build wrote with every file it lists at the size and time
//!    it lists and nothing else, the record's report comes back (see
//!    [`crate::output::write::Stream::is_as_left`]). Anything else, a missing or unreadable
//!    record included, and the build runs.
//! 3. [`remember`], after a build that succeeded: the digest taken before it started (so that an
//!    edit made during the build is seen by the next one), the marker it left, and its report.
//!    A site folder that cannot be written to only loses the shortcut.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{LanguageReport, Options, Report};
use crate::catalog::Date;
use crate::error::Diagnostics;
use crate::output::budget::Weight;
use crate::output::compress::Precompress;
use crate::output::write::manifest::Stamp;
use crate::record::digest_bytes;

/// Raised when the record's form or meaning changes: older records are then not read.
const FORMAT: u32 = 1;

/// What a build's result depends on, as one digest, and where its record is kept.
#[derive(Debug)]
pub(super) struct Inputs {
    digest: u64,
    record: PathBuf,
}

/// What is kept of a build that succeeded.
#[derive(Debug, Serialize, Deserialize)]
struct Record {
    format: u32,
    inputs: u64,
    /// The hash of the marker the build left in the output.
    marker: u64,
    languages: Vec<LanguageReport>,
    /// Each language's words for the HTML report (not part of the report's JSON).
    labels: Vec<BTreeMap<String, String>>,
    warnings: Diagnostics,
    heaviest: Vec<Weight>,
    files: usize,
    bytes: usize,
}

impl Inputs {
    /// The inputs of a build of `options` into `output`; `None` when they cannot all be seen
    /// (an unreadable folder, a link that loops): such a build always runs.
    pub(super) fn of(options: &Options, output: &Path) -> Option<Inputs> {
        let root = crate::output::write::absolute(&options.root);
        let output = crate::output::write::absolute(output);
        let program = std::env::current_exe().ok()?;
        let mut text = format!(
            "karvan {} {FORMAT}\n{}\n{}\n{}\n{:?} {} {} {:?} {:?}\n",
            env!("CARGO_PKG_VERSION"),
            stamp(&program.metadata().ok()?),
            root.display(),
            output.display(),
            options.base_url,
            options.drafts,
            options.strict,
            options.precompress,
            options.today.unwrap_or_else(Date::today),
        );
        for name in super::INPUTS {
            let top = root.join(name);
            if !top.exists() {
                text.push_str("absent ");
                text.push_str(name);
                text.push('\n');
                continue;
            }
            for entry in walkdir::WalkDir::new(&top)
                .follow_links(true)
                .sort_by_file_name()
            {
                let entry = entry.ok()?;
                let metadata = entry.metadata().ok()?;
                let path = entry.path().strip_prefix(&root).unwrap_or(entry.path());
                text.push_str(&path.to_string_lossy());
                text.push('\t');
                if metadata.is_dir() {
                    text.push_str("folder\n");
                } else {
                    text.push_str(&stamp(&metadata));
                    text.push('\n');
                }
            }
        }
        let place = digest_bytes(output.as_os_str().as_encoded_bytes()).0;
        Some(Inputs {
            digest: digest_bytes(text.as_bytes()).0,
            record: root
                .join(".karvan-cache")
                .join("builds")
                .join(format!("{place:016x}.json")),
        })
    }
}

/// A file's size and times, and its inode where there are inodes.
fn stamp(metadata: &std::fs::Metadata) -> String {
    let Stamp { seconds, nanos } = metadata
        .modified()
        .map_or(Stamp::from(std::time::UNIX_EPOCH), Stamp::from);
    #[cfg(unix)]
    let more = {
        use std::os::unix::fs::MetadataExt as _;
        format!(
            "{}.{} {}",
            metadata.ctime(),
            metadata.ctime_nsec(),
            metadata.ino()
        )
    };
    #[cfg(not(unix))]
    let more = String::new();
    format!("{} {seconds}.{nanos:09} {more}", metadata.len())
}

/// The report of the last build into `output`, if `inputs` are its inputs and the output is as
/// it left it.
pub(super) fn repeat(inputs: &Inputs, output: &Path) -> Option<Report> {
    let text = std::fs::read(&inputs.record).ok()?;
    let record: Record = serde_json::from_slice(&text).ok()?;
    if record.format != FORMAT || record.inputs != inputs.digest {
        return None;
    }
    // The lock is taken as for a build: a build writing into the output is waited for.
    let stream = crate::output::write::open(
        output,
        std::iter::empty::<String>(),
        Precompress::new(false),
    )
    .ok()?;
    if !stream.is_as_left(record.marker) {
        return None;
    }
    let mut languages = record.languages;
    for (language, labels) in languages.iter_mut().zip(record.labels) {
        language.labels = labels
            .into_iter()
            .filter_map(|(key, text)| {
                let key = crate::report::LABELS.iter().find(|label| **label == key)?;
                Some((*key, text))
            })
            .collect();
    }
    Some(Report {
        languages,
        warnings: record.warnings,
        heaviest: record.heaviest,
        files: record.files,
        bytes: record.bytes,
        unchanged: true,
        ..Report::default()
    })
}

/// Keeps what the next build needs to see that it has nothing to do.
pub(super) fn remember(inputs: &Inputs, marker: u64, report: &Report) {
    let record = Record {
        format: FORMAT,
        inputs: inputs.digest,
        marker,
        languages: report.languages.clone(),
        labels: report
            .languages
            .iter()
            .map(|l| {
                l.labels
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect()
            })
            .collect(),
        warnings: report.warnings.clone(),
        heaviest: report.heaviest.clone(),
        files: report.files,
        bytes: report.bytes,
    };
    let written = serde_json::to_vec(&record)
        .map_err(std::io::Error::from)
        .and_then(|bytes| crate::output::write::replace_file(&inputs.record, &bytes));
    if let Err(e) = written {
        log::debug!("cannot keep the record of this build: {e}");
    }
}
