//! `karvan serve`: the site built in memory, served on 127.0.0.1, rebuilt on every save, with
//! open tabs reloaded when the rebuild is complete. Nothing is written to disk.
//!
//! 1. [`Server::start`] binds the port (0: any free one), so that the build's base URL can be
//!    the server's own address, starts watching the site's sources and builds it once
//!    ([`Session::start`]).
//! 2. Worker threads answer requests from a [`Snapshot`](http::Snapshot): the last good output,
//!    behind an `Arc` swapped after each successful rebuild. An event stream (for the reload
//!    script, see [`overlay`]) gets a thread of its own, so that it never holds up a worker.
//! 3. The rebuild thread waits for a burst of file events to go quiet ([`watch::collect`]),
//!    hands every path it saw to [`Session::update`], then swaps the snapshot in and tells the
//!    open tabs to reload, or keeps the last good output and sends them the error overlay.
//! 4. [`Server::stop`] (or dropping the server) ends and joins every thread it started.
//!
//! The library prints nothing: what happens is told to the `on_event` callback ([`Event`]).

pub mod http;
pub mod overlay;
pub mod watch;

use std::collections::BTreeSet;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::thread::JoinHandle;
use std::time::SystemTime;

use notify::{RecursiveMode, Watcher};

use crate::engine::{Options, Report, Session, Update};
use crate::error::{Diagnostic, Diagnostics};
use crate::output::Output;
use http::{Route, Snapshot};
use watch::{Filter, Message};

/// How many threads answer requests (event streams have threads of their own).
const WORKERS: usize = 4;

/// What happened, for the caller to show.
#[derive(Debug)]
pub enum Event {
    /// The first build succeeded.
    Built(Report),
    /// A rebuild after `paths` changed succeeded.
    Rebuilt { paths: Vec<PathBuf>, update: Update },
    /// A build failed. `serving_last_good`: the last good build is still served (false when the
    /// site has not built yet); open tabs show the errors over it.
    Failed {
        diagnostics: Diagnostics,
        serving_last_good: bool,
    },
    /// Something went wrong outside the site (watching files, the network); serving goes on.
    Warning(String),
}

type Callback = dyn Fn(Event) + Send + Sync;

/// A running server. Dropping it stops it, as [`Server::stop`] does.
pub struct Server {
    url: String,
    shared: Arc<Shared>,
    http: Arc<tiny_http::Server>,
    control: Sender<Message>,
    threads: Vec<JoinHandle<()>>,
}

/// What the threads share.
struct Shared {
    snapshot: RwLock<Snapshot>,
    /// One sender per open event stream.
    streams: Mutex<Vec<Sender<Arc<str>>>>,
    stream_threads: Mutex<Vec<JoinHandle<()>>>,
    stopping: AtomicBool,
    on_event: Box<Callback>,
}

impl Shared {
    fn snapshot(&self) -> Snapshot {
        self.snapshot
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn broadcast(&self, message: String) {
        let message: Arc<str> = message.into();
        self.streams
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|stream| stream.send(message.clone()).is_ok());
    }
}

impl Server {
    /// Builds the site at `options.root` in memory and serves it on 127.0.0.1:`port` (0: any
    /// free port), with the base URL set to the server's address. A site that fails to build is
    /// served as an error page until a change fixes it; `on_event` hears about it.
    pub fn start(
        options: &Options,
        port: u16,
        on_event: impl Fn(Event) + Send + Sync + 'static,
    ) -> Result<Server, Diagnostics> {
        let root = &options.root;
        if !root.join("site.toml").is_file() {
            return Err(Diagnostic::error(format!(
                "{} holds no site.toml, so it is not a site's folder",
                root.display()
            ))
            .with_help("run karvan serve in the folder that holds site.toml, or pass --root DIR")
            .into());
        }
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).map_err(|e| {
            Diagnostic::error(format!("cannot listen on 127.0.0.1:{port}: {e}")).with_help(
                "another program (another karvan serve?) may be using the port: stop it, or \
                 pick another port with --port N (--port 0 picks a free one)",
            )
        })?;
        let address: SocketAddr = listener.local_addr().map_err(|e| {
            Diagnostic::error(format!("cannot read the server's address: {e}"))
                .with_help("try again, or pick another port with --port N")
        })?;
        let url = format!("http://127.0.0.1:{}/", address.port());
        let http = tiny_http::Server::from_listener(listener, None).map_err(|e| {
            Diagnostic::error(format!("cannot start the HTTP server: {e}"))
                .with_help("try again, or pick another port with --port N")
        })?;
        let options = Options {
            base_url: Some(url.clone()),
            output: None,
            ..options.clone()
        };

        // Watch before the first build, so that a save during it is not missed.
        let (control, messages) = mpsc::channel();
        let watched_root = root.canonicalize().map_err(|e| {
            Diagnostic::error(format!("cannot open {}: {e}", root.display()))
                .with_help("check that the folder exists and that you can read it")
        })?;
        let filter = Filter::new(watched_root, root.clone());
        let files = control.clone();
        let mut watcher = notify::recommended_watcher(move |event| {
            let _ = files.send(Message::Files(event));
        })
        .map_err(|e| watch_error(root, &e))?;
        watcher
            .watch(filter.watched_root(), RecursiveMode::NonRecursive)
            .map_err(|e| watch_error(root, &e))?;
        let mut watching = BTreeSet::new();
        for path in filter.existing().filter(|p| p.is_dir()).collect::<Vec<_>>() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| watch_error(&path, &e))?;
            watching.insert(path);
        }

        let instance = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let mut site = Site {
            options,
            session: None,
            instance: format!("{instance:x}"),
            generation: 0,
            watcher,
            watching,
            filter,
        };
        let (snapshot, first) = site.first_build();
        let shared = Arc::new(Shared {
            snapshot: RwLock::new(snapshot),
            streams: Mutex::new(Vec::new()),
            stream_threads: Mutex::new(Vec::new()),
            stopping: AtomicBool::new(false),
            on_event: Box::new(on_event),
        });
        (shared.on_event)(first);

        let http = Arc::new(http);
        let mut threads = Vec::new();
        for i in 0..WORKERS {
            let (http, shared) = (http.clone(), shared.clone());
            threads.push(spawn(&format!("karvan-http-{i}"), move || {
                answer(&http, &shared);
            }));
        }
        let rebuild_shared = shared.clone();
        threads.push(spawn("karvan-rebuild", move || {
            site.rebuild_loop(&messages, &rebuild_shared);
        }));
        Ok(Server {
            url,
            shared,
            http,
            control,
            threads,
        })
    }

    /// `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Stops serving and watching, closes the event streams and waits for every thread this
    /// server started. A rebuild under way is finished first.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if self.threads.is_empty() {
            return;
        }
        self.shared.stopping.store(true, Ordering::SeqCst);
        let _ = self.control.send(Message::Stop);
        for _ in 0..WORKERS {
            self.http.unblock();
        }
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
        // No worker opens a stream any more: closing their senders ends every stream thread.
        self.shared
            .streams
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        let streams = std::mem::take(
            &mut *self
                .shared
                .stream_threads
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        for thread in streams {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn spawn(name: &str, f: impl FnOnce() + Send + 'static) -> JoinHandle<()> {
    std::thread::Builder::new()
        .name(name.to_string())
        .spawn(f)
        .expect("the system can start a thread")
}

fn watch_error(path: &std::path::Path, error: &notify::Error) -> Diagnostics {
    Diagnostic::error(format!(
        "cannot watch {} for changes: {error}",
        path.display()
    ))
    .with_help(
        "check that you can read the folder; on Linux, a large site may need a higher \
             fs.inotify.max_user_watches (sysctl)",
    )
    .into()
}

/// A worker: answers requests until the server stops.
fn answer(http: &tiny_http::Server, shared: &Arc<Shared>) {
    loop {
        let request = match http.recv() {
            Ok(request) => request,
            Err(_) if shared.stopping.load(Ordering::SeqCst) => return,
            Err(e) => {
                (shared.on_event)(Event::Warning(format!("the HTTP server: {e}")));
                continue;
            }
        };
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let snapshot = shared.snapshot();
        match http::route(request.method(), request.url(), &snapshot) {
            Route::Reply(reply) => http::respond(request, reply),
            Route::Events { version } => open_stream(request, version, shared),
        }
    }
}

/// Hands an event stream to a thread of its own, registered to hear every broadcast.
fn open_stream(request: tiny_http::Request, version: Option<String>, shared: &Arc<Shared>) {
    let (sender, receiver) = mpsc::channel();
    let greeting = {
        // Registered under the lock, from the snapshot of that moment: a rebuild finishing now
        // either is in the snapshot or broadcasts to this stream.
        let mut streams = shared
            .streams
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let snapshot = shared.snapshot();
        streams.push(sender);
        greeting(&snapshot, version.as_deref())
    };
    let thread = spawn("karvan-events", move || {
        http::stream_events(request, greeting, receiver);
    });
    let mut threads = shared
        .stream_threads
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    threads.retain(|t| !t.is_finished());
    threads.push(thread);
}

/// What a new event stream hears first: `reload` if its page is older than the build, the
/// overlay if the build is broken.
fn greeting(snapshot: &Snapshot, version: Option<&str>) -> String {
    let mut text = String::new();
    if version.is_some_and(|v| v != &*snapshot.version) {
        text.push_str(&overlay::sse_event("reload", &snapshot.version));
    }
    if let Some(error) = &snapshot.overlay {
        text.push_str(&overlay::sse_event("error", error));
    }
    text
}

/// The build and what it needs to rebuild: owned by the rebuild thread.
struct Site {
    options: Options,
    /// None until the site has built once.
    session: Option<Session>,
    instance: String,
    generation: u64,
    watcher: notify::RecommendedWatcher,
    watching: BTreeSet<PathBuf>,
    filter: Filter,
}

impl Site {
    fn version(&self) -> Arc<str> {
        format!("{}-{}", self.instance, self.generation).into()
    }

    /// Builds the site for the first time.
    fn first_build(&mut self) -> (Snapshot, Event) {
        match Session::start(&self.options) {
            Ok(session) => {
                let report = session.report().clone();
                let snapshot = Snapshot {
                    output: Arc::new(session.output().clone()),
                    overlay: None,
                    version: self.version(),
                    built: true,
                };
                self.session = Some(session);
                self.watch_more();
                (snapshot, Event::Built(report))
            }
            Err(diagnostics) => {
                let snapshot = Snapshot {
                    output: Arc::new(Output::default()),
                    overlay: Some(overlay::render(&diagnostics, false).into()),
                    version: self.version(),
                    built: false,
                };
                let event = Event::Failed {
                    diagnostics,
                    serving_last_good: false,
                };
                (snapshot, event)
            }
        }
    }

    /// Watches what the session reads beyond the usual sources, and source folders created
    /// since the last look.
    fn watch_more(&mut self) {
        if let Some(session) = &self.session {
            for path in session.watched() {
                let name = path
                    .strip_prefix(&self.options.root)
                    .ok()
                    .and_then(|p| p.components().next().map(|c| c.as_os_str().to_os_string()));
                if let Some(name) = name {
                    self.filter.add_name(&name);
                }
            }
        }
        let new: Vec<PathBuf> = self
            .filter
            .existing()
            .filter(|p| p.is_dir() && !self.watching.contains(p))
            .collect();
        for path in new {
            // A folder that is gone again is no problem; the next event will say so.
            if self.watcher.watch(&path, RecursiveMode::Recursive).is_ok() {
                self.watching.insert(path);
            }
        }
        self.watching.retain(|p| p.exists());
    }

    /// Rebuilds after each burst of changes until told to stop.
    fn rebuild_loop(&mut self, messages: &Receiver<Message>, shared: &Shared) {
        loop {
            let batch = watch::collect(messages, &self.filter);
            for error in &batch.errors {
                (shared.on_event)(Event::Warning(format!("watching files: {error}")));
            }
            if batch.stop || shared.stopping.load(Ordering::SeqCst) {
                return;
            }
            if batch.paths.is_empty() {
                continue;
            }
            let paths: Vec<PathBuf> = batch.paths.into_iter().collect();
            self.rebuild(paths, shared);
        }
    }

    fn rebuild(&mut self, paths: Vec<PathBuf>, shared: &Shared) {
        // An update that panics (a bug) must not end rebuilding: the next change starts afresh.
        let attempt = panic::catch_unwind(AssertUnwindSafe(|| self.update(&paths)));
        self.watch_more();
        let result = match attempt {
            Ok(result) => result,
            Err(_) => {
                self.session = None;
                (shared.on_event)(Event::Warning(
                    "the rebuild stopped on an internal error (a bug in karvan, described above); \
                     still serving the last good build, and the next save builds the whole site"
                        .to_string(),
                ));
                return;
            }
        };
        match result {
            Ok(update) => {
                let session = self
                    .session
                    .as_ref()
                    .expect("a successful update leaves a session");
                let was_broken = shared.snapshot().overlay.is_some();
                let changed = !update.changed.is_empty() || !update.removed.is_empty();
                if changed || was_broken {
                    self.generation += 1;
                    let snapshot = Snapshot {
                        output: Arc::new(session.output().clone()),
                        overlay: None,
                        version: self.version(),
                        built: true,
                    };
                    let version = snapshot.version.clone();
                    *shared
                        .snapshot
                        .write()
                        .unwrap_or_else(PoisonError::into_inner) = snapshot;
                    shared.broadcast(overlay::sse_event("reload", &version));
                }
                (shared.on_event)(Event::Rebuilt { paths, update });
            }
            Err(diagnostics) => self.failed(diagnostics, shared),
        }
    }

    /// Updates the session, or starts it if there is none (the site has not built yet, or the
    /// last update panicked).
    fn update(&mut self, paths: &[PathBuf]) -> Result<Update, Diagnostics> {
        if let Some(session) = &mut self.session {
            return session.update(paths);
        }
        let session = Session::start(&self.options)?;
        let update = Update {
            changed: session.output().files.keys().cloned().collect(),
            rendered: session.output().files.len(),
            ..Update::default()
        };
        self.session = Some(session);
        Ok(update)
    }

    /// Keeps serving what there is, with the errors over it.
    fn failed(&self, diagnostics: Diagnostics, shared: &Shared) {
        let serving_last_good = shared.snapshot().built;
        let overlay: Arc<str> = overlay::render(&diagnostics, serving_last_good).into();
        shared
            .snapshot
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .overlay = Some(overlay.clone());
        shared.broadcast(overlay::sse_event("error", &overlay));
        (shared.on_event)(Event::Failed {
            diagnostics,
            serving_last_good,
        });
    }
}
