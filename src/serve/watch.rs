//! Which file events matter, and how a burst of them becomes one rebuild.
//!
//! The site's root is watched on its own (not recursively) and each source folder recursively:
//! an editor that saves by renaming replaces `site.toml`, and a folder created later (say
//! `static/`) shows up in the root's events. Of each event, [`Filter::relevant`] keeps the paths
//! under one of the source names that are not hidden and not an editor's temporary file.
//! [`collect`] waits for a burst of events to go quiet and hands over every path it saw.

use std::collections::BTreeSet;
use std::ffi::{OsStr, OsString};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::EventKind;

/// How long events must pause before a rebuild starts: an editor's save is several events.
pub const QUIET: Duration = Duration::from_millis(20);
/// The longest a rebuild waits for events to pause (a long copy keeps sending them).
const MAX_WAIT: Duration = Duration::from_millis(500);

/// The top-level names of the site that a build reads.
pub const SOURCES: [&str; 6] = [
    "site.toml",
    "content",
    "i18n",
    "themes",
    "static",
    "templates",
];

/// What the rebuild thread receives.
#[derive(Debug)]
pub enum Message {
    Files(notify::Result<notify::Event>),
    Stop,
}

/// Keeps the paths a rebuild needs to hear about.
#[derive(Debug, Clone)]
pub struct Filter {
    /// The root as the watcher reports it (canonical).
    watched_root: PathBuf,
    /// The root as the session knows it: the paths handed over are under it.
    site_root: PathBuf,
    names: BTreeSet<OsString>,
}

impl Filter {
    pub fn new(watched_root: PathBuf, site_root: PathBuf) -> Filter {
        Filter {
            watched_root,
            site_root,
            names: SOURCES.iter().map(OsString::from).collect(),
        }
    }

    /// Also keeps paths under `name` (a top-level file or folder of the site).
    pub fn add_name(&mut self, name: &OsStr) {
        self.names.insert(name.to_os_string());
    }

    /// The top-level sources that exist now, in the watcher's terms.
    pub fn existing(&self) -> impl Iterator<Item = PathBuf> + '_ {
        self.names
            .iter()
            .map(|name| self.watched_root.join(name))
            .filter(|path| path.exists())
    }

    pub fn watched_root(&self) -> &Path {
        &self.watched_root
    }

    /// `path` (as the watcher reports it) as the session should hear it, if a build reads it.
    pub fn relevant(&self, path: &Path) -> Option<PathBuf> {
        let relative = path.strip_prefix(&self.watched_root).ok()?;
        let first = relative.components().next()?;
        if !self.names.contains(first.as_os_str()) {
            return None;
        }
        let hidden = relative.components().any(|c| match c {
            Component::Normal(name) => name.to_str().is_some_and(|n| n.starts_with('.')),
            _ => true,
        });
        if hidden || relative.file_name().is_some_and(is_editor_temp) {
            return None;
        }
        Some(self.site_root.join(relative))
    }

    /// The paths of `event` that a rebuild needs, added to `paths`. Reading a file (which the
    /// build itself does) is not a change.
    pub fn add(&self, event: &notify::Event, paths: &mut BTreeSet<PathBuf>) {
        if event.need_rescan() {
            paths.extend(self.existing().filter_map(|p| self.relevant(&p)));
            return;
        }
        if matches!(event.kind, EventKind::Access(_) | EventKind::Other) {
            return;
        }
        paths.extend(event.paths.iter().filter_map(|p| self.relevant(p)));
    }
}

/// A file an editor writes beside the one it saves: `.foo.md.swp`, `foo.md~`, vim's `4913`,
/// emacs's `#foo.md#`, JetBrains' `foo.md___jb_tmp___`.
pub fn is_editor_temp(name: &OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    name.starts_with('.')
        || name.ends_with('~')
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#'))
        || [
            ".swp",
            ".swo",
            ".swx",
            ".tmp",
            "___jb_tmp___",
            "___jb_old___",
        ]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

/// What [`collect`] gathered.
#[derive(Debug, Default)]
pub struct Batch {
    pub paths: BTreeSet<PathBuf>,
    pub events: Vec<notify::Event>,
    pub errors: Vec<notify::Error>,
    pub stop: bool,
}

/// Waits for the first event, then for [`QUIET`] without one (at most [`MAX_WAIT`]), and returns
/// every relevant path seen, sorted and once each, less the files that were created and removed
/// again during the burst.
pub fn collect(messages: &Receiver<Message>, filter: &Filter) -> Batch {
    let mut batch = Batch::default();
    let mut created = BTreeSet::new();
    let mut take = |message: Message, batch: &mut Batch| match message {
        Message::Files(Ok(event)) => {
            if matches!(event.kind, EventKind::Create(_)) {
                filter.add(&event, &mut created);
            }
            filter.add(&event, &mut batch.paths);
            batch.events.push(event);
        }
        Message::Files(Err(error)) => batch.errors.push(error),
        Message::Stop => batch.stop = true,
    };
    match messages.recv() {
        Ok(message) => take(message, &mut batch),
        Err(_) => batch.stop = true,
    }
    let started = Instant::now();
    while !batch.stop && started.elapsed() < MAX_WAIT {
        match messages.recv_timeout(QUIET) {
            Ok(message) => take(message, &mut batch),
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => batch.stop = true,
        }
    }
    // A file created and gone within the burst was some tool's temporary file (`sed -i` writes
    // `sedXXXXXX` and renames it over the file): no change to the site.
    batch
        .paths
        .retain(|path| !created.contains(path) || path.exists());
    batch
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, ModifyKind, RenameMode};

    fn filter() -> Filter {
        Filter::new(PathBuf::from("/w/.tmpX/site"), PathBuf::from("site"))
    }

    #[test]
    fn keeps_sources_and_drops_everything_else() {
        let f = filter();
        let p = |s: &str| f.relevant(Path::new(s));
        assert_eq!(
            p("/w/.tmpX/site/content/en/a.md"),
            Some(PathBuf::from("site/content/en/a.md"))
        );
        assert_eq!(
            p("/w/.tmpX/site/site.toml"),
            Some(PathBuf::from("site/site.toml"))
        );
        assert_eq!(p("/w/.tmpX/site/public/index.html"), None);
        assert_eq!(p("/w/.tmpX/site/README.md"), None);
        assert_eq!(p("/w/.tmpX/site"), None);
        assert_eq!(p("/elsewhere/content/a.md"), None);
        assert_eq!(p("/w/.tmpX/site/content/.git/HEAD"), None);
    }

    #[test]
    fn ignores_editor_temporary_files() {
        let f = filter();
        for temp in [
            "content/en/.a.md.swp",
            "content/en/a.md~",
            "content/en/4913",
            "content/en/#a.md#",
            "content/en/.#a.md",
            "content/en/a.md___jb_tmp___",
            "site.toml~",
        ] {
            assert_eq!(
                f.relevant(&Path::new("/w/.tmpX/site").join(temp)),
                None,
                "{temp}"
            );
        }
    }

    #[test]
    fn a_save_by_rename_is_one_change_of_the_file() {
        let f = filter();
        let root = Path::new("/w/.tmpX/site/content/en");
        let events = [
            notify::Event::new(EventKind::Create(CreateKind::File)).add_path(root.join("4913")),
            notify::Event::new(EventKind::Modify(ModifyKind::Name(RenameMode::Both)))
                .add_path(root.join("a.md"))
                .add_path(root.join("a.md~")),
            notify::Event::new(EventKind::Create(CreateKind::File)).add_path(root.join("a.md")),
            notify::Event::new(EventKind::Access(notify::event::AccessKind::Any))
                .add_path(root.join("b.md")),
        ];
        let mut paths = BTreeSet::new();
        for event in &events {
            f.add(event, &mut paths);
        }
        assert_eq!(
            paths.into_iter().collect::<Vec<_>>(),
            [PathBuf::from("site/content/en/a.md")]
        );
    }

    #[test]
    fn a_burst_of_events_is_one_batch() {
        let (tx, rx) = std::sync::mpsc::channel();
        let f = filter();
        for name in ["a.md", "b.md", "a.md"] {
            let event = notify::Event::new(EventKind::Modify(ModifyKind::Any))
                .add_path(Path::new("/w/.tmpX/site/content").join(name));
            tx.send(Message::Files(Ok(event))).unwrap();
        }
        let created = notify::Event::new(EventKind::Create(CreateKind::File))
            .add_path(PathBuf::from("/w/.tmpX/site/content/sedAb12Cd"));
        tx.send(Message::Files(Ok(created))).unwrap();
        let batch = collect(&rx, &f);
        assert_eq!(
            batch.paths.into_iter().collect::<Vec<_>>(),
            [
                PathBuf::from("site/content/a.md"),
                PathBuf::from("site/content/b.md")
            ]
        );
        assert!(!batch.stop);
        tx.send(Message::Stop).unwrap();
        assert!(collect(&rx, &f).stop);
    }
}
