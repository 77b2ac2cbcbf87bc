//! `karvan serve`: a copy of a fixture site served on a free port, fetched over plain HTTP/1.1,
//! edited, broken, fixed and pruned while the server runs. Nothing here waits for a fixed time:
//! every check polls until it holds, up to a generous bound.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use karvan::serve::{Event, Server};

/// How long a change may take to show: generous, for a loaded machine.
const PATIENCE: Duration = Duration::from_secs(30);

/// A fetched page.
#[derive(Debug)]
struct Page {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Page {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// `GET path` on the server at `url` (`http://127.0.0.1:PORT/`).
fn get(url: &str, path: &str) -> Page {
    let address = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut stream = TcpStream::connect(&address).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8(response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .map(|l| {
            let (name, value) = l.split_once(':').unwrap();
            (name.trim().to_string(), value.trim().to_string())
        })
        .collect();
    Page {
        status,
        headers,
        body: body.to_string(),
    }
}

/// Polls `check` until it gives a value; panics with `what` and the last page seen otherwise.
fn wait_for<T>(what: &str, mut check: impl FnMut() -> Result<T, String>) -> T {
    let started = Instant::now();
    loop {
        match check() {
            Ok(value) => return value,
            Err(last) if started.elapsed() > PATIENCE => {
                panic!("waited {PATIENCE:?} for {what}; the last answer was:\n{last}")
            }
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// Fetches `path` until `accept` holds for it.
fn wait_for_page(url: &str, path: &str, what: &str, accept: impl Fn(&Page) -> bool) -> Page {
    wait_for(what, || {
        let page = get(url, path);
        if accept(&page) {
            Ok(page)
        } else {
            Err(format!("{} {}", page.status, page.body))
        }
    })
}

/// Starts serving a fixture copy on a free port; the events go to the returned receiver.
fn serve(site: &Path) -> (Server, mpsc::Receiver<Event>) {
    let (events, received) = mpsc::channel();
    let events = std::sync::Mutex::new(events);
    let server = Server::start(&common::options(site), 0, move |event| {
        let _ = events.lock().unwrap().send(event);
    })
    .unwrap_or_else(|d| panic!("serve should start:\n{d}"));
    (server, received)
}

/// The build version a served page was made from (what its script sends back).
fn version(page: &Page) -> String {
    let start = page
        .body
        .find("/__karvan/events?v=")
        .expect("the reload script")
        + 19;
    let rest = &page.body[start..];
    rest[..rest.find('"').unwrap()].to_string()
}

/// Replaces a file of the site as editors do: a hidden temporary file renamed over it, so that the
/// server never sees it half written.
fn save(site: &Path, path: &str, text: &str) {
    let file = site.join(path);
    let name = file.file_name().unwrap().to_str().unwrap();
    let temp = file.with_file_name(format!(".{name}.swp"));
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, &file).unwrap();
}

/// An open event stream, read event by event.
struct EventStream {
    reader: BufReader<TcpStream>,
}

impl EventStream {
    fn open(url: &str, version: &str) -> EventStream {
        let address = url.trim_start_matches("http://").trim_end_matches('/');
        let mut stream = TcpStream::connect(address).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            stream,
            "GET /__karvan/events?v={version} HTTP/1.1\r\nHost: {address}\r\n\
             Accept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        let mut content_type = None;
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-type:") {
                content_type = Some(v.trim().to_string());
            }
        }
        assert_eq!(content_type.as_deref(), Some("text/event-stream"));
        EventStream { reader }
    }

    /// The data of the next event named `name`; other events are skipped.
    fn expect(&mut self, name: &str) -> String {
        loop {
            let (next, data) = self.next();
            if next == name {
                return data;
            }
        }
    }

    /// The next event with a name (comments and `retry` skipped): its name and data.
    fn next(&mut self) -> (String, String) {
        let (mut name, mut data) = (String::new(), Vec::new());
        loop {
            let mut line = String::new();
            let read = self.reader.read_line(&mut line).expect("an event in time");
            assert!(read > 0, "the server closed the event stream");
            let line = line.trim_end_matches('\n');
            if line.is_empty() {
                if !name.is_empty() {
                    return (name, data.join("\n"));
                }
                continue;
            }
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = line.strip_prefix("data:") {
                data.push(d.strip_prefix(' ').unwrap_or(d).to_string());
            }
        }
    }
}

#[test]
fn serves_pages_redirects_and_each_language_s_404_page_from_memory() {
    let site = common::fixture("translations");
    common::write(
        site.path(),
        "content/ru/stay/gorod.md",
        "+++\ntitle = \"Город\"\nslug = \"город\"\n+++\nО городе.\n",
    );
    let before: Vec<_> = walkdir::WalkDir::new(site.path())
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .collect();
    let (server, _events) = serve(site.path());
    let url = server.url().to_string();
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with('/'),
        "{url}"
    );

    let page = get(&url, "/en/stay/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(page.header("cache-control"), Some("no-store"));
    assert!(page.body.contains(">Registration</a>"), "{}", page.body);
    // The base URL is the server's own address.
    assert!(
        page.body
            .contains(&format!("href={url}en/stay/ rel=canonical")),
        "{}",
        page.body
    );
    // The reload script is added by serve, just before </body>.
    assert!(page.body.contains("/__karvan/events?v="));
    assert!(
        page.body.ends_with("</script></body></html>"),
        "{}",
        page.body
    );

    let redirect = get(&url, "/en/stay");
    assert!(matches!(redirect.status, 301 | 302), "{redirect:?}");
    assert_eq!(redirect.header("location"), Some("/en/stay/"));

    // Non-ASCII slugs are percent-encoded in links; the server decodes them.
    let listing = get(&url, "/ru/prebyvanie/");
    let encoded = "/ru/prebyvanie/%D0%B3%D0%BE%D1%80%D0%BE%D0%B4/";
    assert!(listing.body.contains(encoded), "{}", listing.body);
    let city = get(&url, encoded);
    assert_eq!(city.status, 200);
    assert!(city.body.contains("О городе."), "{}", city.body);

    let missing = get(&url, "/ru/nope/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("<html dir=ltr lang=ru>"),
        "{}",
        missing.body
    );
    assert!(missing.body.contains("/__karvan/events?v="));
    let missing = get(&url, "/nope.html");
    assert_eq!(missing.status, 404);
    // The root's 404 page, in the default language.
    assert!(
        missing.body.contains("<html dir=ltr lang=az>"),
        "{}",
        missing.body
    );

    let stylesheet = page
        .body
        .split("href=")
        .map(|s| s.split([' ', '>']).next().unwrap())
        .find(|s| s.ends_with(".css"))
        .expect("a stylesheet");
    let css = get(&url, stylesheet);
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(!css.body.contains("karvan serve"));

    server.stop();
    let after: Vec<_> = walkdir::WalkDir::new(site.path())
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .collect();
    assert_eq!(before, after, "serve must write nothing into the site");
}

#[test]
fn an_edit_is_served_a_broken_edit_shows_its_error_and_the_fix_clears_it() {
    let site = common::fixture("translations");
    let (server, events) = serve(site.path());
    let url = server.url().to_string();
    assert!(matches!(events.recv().unwrap(), Event::Built(_)));
    let page = get(&url, "/en/stay/register/");
    assert!(page.body.contains("Register within 15 days of arrival."));
    let mut stream = EventStream::open(&url, &version(&page));

    // 1. An edit: the new text at the same address, the new title in the section's listing,
    // and a `reload` for the open tab.
    let file = "content/en/stay/register.md";
    let original = std::fs::read_to_string(site.path().join(file)).unwrap();
    let edited = original
        .replace("title = \"Registration\"", "title = \"Register your stay\"")
        .replace("within 15 days", "within fifteen days");
    save(site.path(), file, &edited);
    wait_for_page(&url, "/en/stay/register/", "the edited text", |p| {
        p.status == 200 && p.body.contains("Register within fifteen days of arrival.")
    });
    wait_for_page(&url, "/en/stay/", "the new title in the listing", |p| {
        p.body.contains(">Register your stay</a>") && !p.body.contains(">Registration</a>")
    });
    stream.expect("reload");

    // 2. A broken edit: the last good page, with the error over it (file, line, the line, the
    // help, all escaped), and the same overlay sent to the open tab.
    let broken = edited.replace("weight = 10", "wieght = 10 # <b>");
    save(site.path(), file, &broken);
    let page = wait_for_page(&url, "/en/stay/register/", "the error overlay", |p| {
        p.body.contains("id=\"karvan-overlay\"")
    });
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("Register within fifteen days of arrival.")
    );
    assert!(page.body.contains("unknown key `wieght`"), "{}", page.body);
    assert!(
        page.body.contains("--&gt; content/en/stay/register.md:3:1"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("3 | wieght = 10 # &lt;b&gt;"),
        "{}",
        page.body
    );
    assert!(page.body.contains("help: "), "{}", page.body);
    assert!(!page.body.contains("<b>"), "{}", page.body);
    let listing = get(&url, "/en/stay/");
    assert!(listing.body.contains("id=\"karvan-overlay\""));
    let data = stream.expect("error");
    assert!(data.contains("content/en/stay/register.md:3:1"), "{data}");
    let failed = wait_for("the failure event", || match events.try_recv() {
        Ok(Event::Failed {
            diagnostics,
            serving_last_good,
        }) => Ok((diagnostics, serving_last_good)),
        other => Err(format!("{other:?}")),
    });
    assert!(failed.1, "the last good build is still served");
    assert!(
        failed
            .0
            .to_string()
            .contains("content/en/stay/register.md:3:1")
    );

    // 3. The fix: the page again, without the overlay, and a `reload`.
    save(site.path(), file, &edited.replace("fifteen", "15"));
    let page = wait_for_page(&url, "/en/stay/register/", "the fixed page", |p| {
        !p.body.contains("id=\"karvan-overlay\"") && p.body.contains("within 15 days")
    });
    assert_eq!(page.status, 200);
    stream.expect("reload");

    // A tab still showing an older build reloads as soon as it connects.
    let mut late = EventStream::open(&url, "0-0");
    assert_eq!(late.next().0, "reload", "the first event of a stale tab");
    drop((stream, late));
    server.stop();
}

#[test]
fn a_deleted_page_answers_404_with_its_language_s_404_page_and_leaves_its_listing() {
    let site = common::fixture("translations");
    common::write(
        site.path(),
        "content/en/stay/visa.md",
        "+++\ntitle = \"Visa-free entry\"\n+++\nNo visa is needed for 90 days.\n",
    );
    let (server, _events) = serve(site.path());
    let url = server.url().to_string();
    assert_eq!(get(&url, "/en/stay/visa/").status, 200);
    assert!(get(&url, "/en/stay/").body.contains(">Visa-free entry</a>"));

    std::fs::remove_file(site.path().join("content/en/stay/visa.md")).unwrap();
    let gone = wait_for_page(&url, "/en/stay/visa/", "a 404", |p| p.status == 404);
    assert!(
        gone.body.contains("<html dir=ltr lang=en>"),
        "{}",
        gone.body
    );
    assert!(!gone.body.contains("No visa"), "{}", gone.body);
    let listing = get(&url, "/en/stay/");
    assert!(
        !listing.body.contains("Visa-free entry"),
        "{}",
        listing.body
    );
    assert!(
        listing.body.contains(">Registration</a>"),
        "{}",
        listing.body
    );
    server.stop();
}

#[test]
fn a_site_that_does_not_build_serves_its_errors_until_a_save_fixes_it() {
    let site = common::fixture("translations");
    let file = "content/en/_index.md";
    let original = std::fs::read_to_string(site.path().join(file)).unwrap();
    common::write(
        site.path(),
        file,
        &original.replace("+++\n", "+++\ntitle = \n"),
    );
    let (server, events) = serve(site.path());
    let url = server.url().to_string();
    assert!(matches!(
        events.recv().unwrap(),
        Event::Failed {
            serving_last_good: false,
            ..
        }
    ));
    let page = get(&url, "/en/");
    assert_eq!(page.status, 500);
    assert!(
        page.body.contains("content/en/_index.md:2:"),
        "{}",
        page.body
    );
    assert!(page.body.contains("/__karvan/events?v="));

    save(site.path(), file, &original);
    let page = wait_for_page(&url, "/en/", "the site once fixed", |p| p.status == 200);
    assert!(page.body.contains("Welcome."), "{}", page.body);
    assert!(!page.body.contains("id=\"karvan-overlay\""));
    server.stop();
}

/// The binary: `--port 0` prints the address; Ctrl-C (SIGINT) stops it with status 0.
#[cfg(unix)]
#[test]
fn the_binary_serves_until_ctrl_c_and_exits_with_success() {
    use std::process::{Command, Stdio};

    let site = common::fixture("translations");
    let mut child = Command::new(env!("CARGO_BIN_EXE_karvan"))
        .args(["serve", "--port", "0", "--root"])
        .arg(site.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut printed = String::new();
    let url = loop {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap() == 0 {
            let _ = child.kill();
            panic!("karvan serve stopped before serving:\n{printed}");
        }
        printed.push_str(&line);
        if let Some(rest) = line.strip_prefix("serving ") {
            assert!(rest.ends_with(" — Ctrl-C to stop\n"), "{line}");
            break rest.split(' ').next().unwrap().to_string();
        }
    };
    assert_eq!(get(&url, "/en/").status, 200);

    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > PATIENCE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("karvan serve did not stop on SIGINT");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    assert!(status.success(), "{status}: {printed}{rest}");
    assert!(rest.contains("stopping"), "{rest}");
    assert!(!site.path().join("public").exists());
}
