//! Answering a request from the build in memory: [`route`] decides (a pure function of the
//! request line and the current [`Snapshot`], tested without a socket), [`respond`] writes it
//! with tiny_http, and [`stream_events`] keeps a server-sent-events connection open.
//!
//! - `/a/b/` serves `a/b/index.html`; `/a/b` redirects to `/a/b/` when that exists;
//! - a missing file gets its language's `404.html` (the first segment of the path), else the
//!   root's, with status 404;
//! - every HTML answer gets the reload script and, while the build is broken, the error overlay;
//! - nothing is cached (`Cache-Control: no-store`).

use std::io::{Cursor, Write};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response};

use super::overlay::{self, EVENTS_PATH};
use crate::output::{Bytes, Output};

/// How often an idle event stream sends a comment, which also finds out that a tab was closed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// What the server answers from: the last good build, the overlay of the last failed one (if the
/// site is broken now) and the version of the build, which changes with each successful rebuild.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub output: Arc<Output>,
    pub overlay: Option<Arc<str>>,
    pub version: Arc<str>,
    /// False until the site has built once.
    pub built: bool,
}

/// An answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Open an event stream for a page of build `version` (None: unknown).
    Events {
        version: Option<String>,
    },
    Reply(Reply),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Bytes,
    /// For redirects.
    pub location: Option<String>,
}

impl Reply {
    fn text(status: u16, text: &str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            body: Bytes::from(text.as_bytes()),
            location: None,
        }
    }
}

/// What to answer to `method url`.
pub fn route(method: &Method, url: &str, snapshot: &Snapshot) -> Route {
    let (raw_path, query) = url.split_once('?').unwrap_or((url, ""));
    let raw_path = raw_path.split('#').next().unwrap_or("");
    if raw_path == EVENTS_PATH {
        let version = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("v="))
            .map(str::to_string);
        return Route::Events { version };
    }
    if !matches!(method, Method::Get | Method::Head) {
        return Route::Reply(Reply::text(405, "only GET and HEAD are served\n"));
    }
    let Some(path) = percent_decode(raw_path) else {
        return Route::Reply(Reply::text(400, "the path is not valid UTF-8\n"));
    };
    if !path.starts_with('/') || path.split('/').any(|s| s == "..") {
        return Route::Reply(Reply::text(
            400,
            "the path must start with / and not hold ..\n",
        ));
    }
    if !snapshot.built {
        let overlay = snapshot.overlay.as_deref().unwrap_or_default();
        return Route::Reply(Reply {
            status: 500,
            content_type: content_type("index.html"),
            body: Bytes::from(overlay::empty_page(overlay, &snapshot.version).as_bytes()),
            location: None,
        });
    }
    let path = &path[1..];
    let files = &snapshot.output.files;
    let key = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    if let Some(body) = files.get(&key) {
        return Route::Reply(page(200, &key, body, snapshot));
    }
    if !path.is_empty() && !path.ends_with('/') && files.contains_key(&format!("{path}/index.html"))
    {
        let location = if query.is_empty() {
            format!("{raw_path}/")
        } else {
            format!("{raw_path}/?{query}")
        };
        return Route::Reply(Reply {
            location: Some(location),
            ..Reply::text(302, "moved to the folder's address\n")
        });
    }
    let language = path.split('/').next().unwrap_or("");
    let not_found = [format!("{language}/404.html"), "404.html".to_string()];
    match not_found
        .iter()
        .filter(|key| !key.starts_with('/'))
        .find_map(|key| files.get(key).map(|body| (key, body)))
    {
        Some((key, body)) => Route::Reply(page(404, key, body, snapshot)),
        None => Route::Reply(Reply::text(404, "not found\n")),
    }
}

/// The file `key` as an answer: HTML with the script (and the overlay), the rest as it is.
fn page(status: u16, key: &str, body: &Bytes, snapshot: &Snapshot) -> Reply {
    let content_type = content_type(key);
    let body = if content_type.starts_with("text/html") {
        let mut extra = snapshot.overlay.as_deref().unwrap_or_default().to_string();
        extra.push_str(&overlay::script(&snapshot.version));
        Bytes::from(overlay::inject(body, &extra))
    } else {
        body.clone()
    };
    Reply {
        status,
        content_type,
        body,
        location: None,
    }
}

/// The Content-Type of a file, by its extension; text is UTF-8.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let extension = name.rsplit_once('.').map_or("", |(_, e)| e);
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" | "xsl" => "application/xml; charset=utf-8",
        "rss" => "application/rss+xml; charset=utf-8",
        "atom" => "application/atom+xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ if name == "_redirects" || name == "_headers" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

pub use crate::site::percent_decode;

/// Writes `reply` to the client; errors (the client went away) are dropped.
pub fn respond(request: Request, reply: Reply) {
    let header = |name: &str, value: &str| {
        Header::from_bytes(name.as_bytes(), value.as_bytes())
            .expect("header names and values are ASCII")
    };
    let length = reply.body.len();
    let mut headers = vec![
        header("Content-Type", reply.content_type),
        header("Cache-Control", "no-store"),
    ];
    if let Some(location) = &reply.location {
        // The location is the request's own path: ASCII, since tiny_http parsed it as such.
        if let Ok(h) = Header::from_bytes("Location".as_bytes(), location.as_bytes()) {
            headers.push(h);
        }
    }
    if reply.status == 405 {
        headers.push(header("Allow", "GET, HEAD"));
    }
    let response = Response::new(
        reply.status.into(),
        headers,
        Cursor::new(reply.body),
        Some(length),
        None,
    );
    let _ = request.respond(response);
}

/// Keeps an event stream open: sends `greeting`, then every message from `messages`, and a
/// comment when idle; returns when the client goes away or the server drops the sender.
pub fn stream_events(request: Request, greeting: String, messages: Receiver<Arc<str>>) {
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                Connection: close\r\n\r\nretry: 1000\n\n";
    let mut send = |text: &str| {
        writer
            .write_all(text.as_bytes())
            .and_then(|()| writer.flush())
            .is_ok()
    };
    if !send(head) || !send(&greeting) {
        return;
    }
    loop {
        let sent = match messages.recv_timeout(KEEP_ALIVE) {
            Ok(message) => send(&message),
            Err(RecvTimeoutError::Timeout) => send(": keep-alive\n\n"),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if !sent {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(files: &[(&str, &str)]) -> Snapshot {
        Snapshot {
            output: Arc::new(Output {
                files: files
                    .iter()
                    .map(|(k, v)| (k.to_string(), Bytes::from(v.as_bytes())))
                    .collect(),
            }),
            overlay: None,
            version: "1-0".into(),
            built: true,
        }
    }

    fn get(url: &str, snapshot: &Snapshot) -> Reply {
        match route(&Method::Get, url, snapshot) {
            Route::Reply(reply) => reply,
            Route::Events { .. } => panic!("{url} is not the event stream"),
        }
    }

    fn body(reply: &Reply) -> String {
        String::from_utf8(reply.body.to_vec()).unwrap()
    }

    const SITE: &[(&str, &str)] = &[
        ("index.html", "<body>root</body>"),
        ("404.html", "<body>root 404</body>"),
        ("ru/404.html", "<body>ru 404</body>"),
        ("ru/index.html", "<body>ru</body>"),
        ("az/şəhər/index.html", "<body>şəhər</body>"),
        ("style.1a2b.css", "body{}"),
    ];

    #[test]
    fn serves_a_folder_s_index_with_the_reload_script() {
        let reply = get("/ru/", &snapshot(SITE));
        assert_eq!(reply.status, 200);
        assert_eq!(reply.content_type, "text/html; charset=utf-8");
        assert!(
            body(&reply).starts_with("<body>ru<script>"),
            "{}",
            body(&reply)
        );
        assert!(body(&reply).contains("/__karvan/events?v=1-0"));
        assert_eq!(
            body(&get("/", &snapshot(SITE))).get(..10),
            Some("<body>root")
        );
    }

    #[test]
    fn redirects_a_folder_without_its_slash() {
        let reply = get("/ru?a=1", &snapshot(SITE));
        assert_eq!(reply.status, 302);
        assert_eq!(reply.location.as_deref(), Some("/ru/?a=1"));
    }

    #[test]
    fn decodes_percent_encoded_paths() {
        let url = format!("/{}", crate::site::encode_path("az/şəhər/"));
        assert_eq!(url, "/az/%C5%9F%C9%99h%C9%99r/");
        assert_eq!(get(&url, &snapshot(SITE)).status, 200);
        assert_eq!(percent_decode("/a%2"), Some("/a%2".into()));
        assert_eq!(percent_decode("/%FF"), None);
    }

    #[test]
    fn a_missing_page_gets_its_language_s_404_page_or_the_root_s() {
        let reply = get("/ru/nope/", &snapshot(SITE));
        assert_eq!(reply.status, 404);
        assert!(body(&reply).contains("ru 404"));
        let reply = get("/en/nope/", &snapshot(SITE));
        assert_eq!(reply.status, 404);
        assert!(body(&reply).contains("root 404"));
        assert_eq!(get("/../etc/passwd", &snapshot(SITE)).status, 400);
    }

    #[test]
    fn serves_other_files_as_they_are_with_their_type() {
        let reply = get("/style.1a2b.css", &snapshot(SITE));
        assert_eq!(reply.content_type, "text/css; charset=utf-8");
        assert_eq!(body(&reply), "body{}");
        assert_eq!(
            content_type("a/site.webmanifest"),
            "application/manifest+json"
        );
        assert_eq!(content_type("font.WOFF2"), "font/woff2");
    }

    #[test]
    fn a_broken_build_shows_its_overlay_on_every_page() {
        let mut broken = snapshot(SITE);
        broken.overlay = Some("<div id=\"karvan-overlay\">boom</div>".into());
        assert!(body(&get("/ru/", &broken)).contains("boom</div><script>"));
        assert!(!body(&get("/style.1a2b.css", &broken)).contains("boom"));
        broken.built = false;
        let reply = get("/ru/", &broken);
        assert_eq!(reply.status, 500);
        assert!(body(&reply).contains("boom"));
    }

    #[test]
    fn the_event_stream_takes_the_page_s_version() {
        assert_eq!(
            route(&Method::Get, "/__karvan/events?v=7-3", &snapshot(SITE)),
            Route::Events {
                version: Some("7-3".into())
            }
        );
    }
}
