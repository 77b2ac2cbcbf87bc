//! `karvan check --external` against a server the test starts: the dead and redirected links
//! are reported at their file and line, good answers are cached, one host is not flooded.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use karvan::external::{self, Settings};

/// Serves /ok (200), /moved (301 to /ok) and anything else 404, counting requests.
fn serve() -> (String, Arc<AtomicUsize>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let address = format!("http://{}", server.server_addr().to_ip().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&count);
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            counted.fetch_add(1, Ordering::SeqCst);
            let response = match request.url() {
                "/ok" => tiny_http::Response::from_string("fine"),
                "/moved" => tiny_http::Response::from_string("")
                    .with_status_code(301)
                    .with_header(
                        tiny_http::Header::from_bytes(&b"Location"[..], &b"/ok"[..]).unwrap(),
                    ),
                _ => tiny_http::Response::from_string("gone").with_status_code(404),
            };
            let _ = request.respond(response);
        }
    });
    (address, count)
}

#[test]
fn dead_and_redirected_links_are_reported_at_their_line_and_good_ones_cached() {
    let (address, count) = serve();
    let site = common::fixture("no-original");
    common::write(
        site.path(),
        "content/en/links.md",
        &format!(
            "+++\ntitle = \"Links\"\n+++\nThe [law]({address}/ok) and\nthe [old page]({address}/moved).\n\nGone: <{address}/gone>.\n"
        ),
    );
    common::write(
        site.path(),
        "content/services/s.toml",
        &format!("[[sources]]\nurl = \"{address}/ok\"\n"),
    );
    let settings = Settings::default();
    let found = external::check(site.path(), &settings);
    // The carets' length follows the port's: one caret stands for a run of them.
    let mut shown = found.to_string().replace(&address, "http://HOST");
    while shown.contains("^^") {
        shown = shown.replace("^^", "^");
    }
    assert_eq!(
        shown,
        "warning: http://HOST/moved redirects (301) to http://HOST/ok
  --> content/en/links.md:5:16
  |
5 | the [old page](http://HOST/moved).
  |                ^
  = help: if the new address is the right page, write it here instead

error: http://HOST/gone is dead: 404 Not Found
  --> content/en/links.md:7:8
  |
7 | Gone: <http://HOST/gone>.
  |        ^
  = help: find where the page has moved on the official site and correct the address, or remove the link
"
    );
    // Three addresses asked once each, though /ok is written twice.
    assert_eq!(count.load(Ordering::SeqCst), 3);
    // The good one is cached: the next check asks only the others again.
    let again = external::check(site.path(), &settings);
    assert_eq!(again.0.len(), 2);
    assert_eq!(count.load(Ordering::SeqCst), 5);
    assert!(
        site.path()
            .join(".karvan-cache/external-links.json")
            .is_file()
    );
}

#[test]
fn check_external_exits_1_on_a_dead_link() {
    let (address, _) = serve();
    let site = common::fixture("no-original");
    common::write(
        site.path(),
        "content/en/links.md",
        &format!("+++\ntitle = \"Links\"\n+++\n[gone]({address}/gone)\n"),
    );
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_karvan"))
        .args(["check", "--external", "--message-format", "json", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let dead = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["severity"] == "error")
        .expect("an error");
    assert_eq!(dead["file"], "content/en/links.md");
    assert_eq!(dead["line"], 4);
}
