//! Edit latency: how long after an editor saves a file the site in memory is correct everywhere the
//! edit shows, on the synthetic corpus of `../shared/bench` (see `bench/edits.sh`).
//!
//! ```sh
//! bench/edits.sh 5000          # prepares the corpus, then: cargo bench --bench edits -- DIR
//! ```
//!
//! For each kind of edit (a page's body, a page's title, a UI string) it writes the file, calls
//! [`Session::update`] with the path, as `serve` does after its watcher reports the write, and
//! checks the result: the page shows the new text at its URL, and for a title, the section's
//! listing shows the new title. It prints the median and the worst of the runs, and the time of a
//! `karvan build` into an output it already wrote (nothing changed).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use karvan::{Options, Session};

fn median_and_worst(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    (times[times.len() / 2], times[times.len() - 1])
}

/// Prints the median and the worst of an edit's runs, and the most files one run rendered.
fn print_edits(label: &str, times: Vec<Duration>, rendered: &[usize]) {
    let runs = times.len();
    let (median, worst) = median_and_worst(times);
    println!(
        "{:<17} median {}, worst {} ({runs} runs; at most {} files rendered)",
        format!("{label}:"),
        ms(median),
        ms(worst),
        rendered.iter().max().copied().unwrap_or(0)
    );
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Pages of the default language's first section with a title line, for editing.
fn pages(root: &Path) -> Vec<PathBuf> {
    let az = root.join("content/az");
    let mut sections: Vec<PathBuf> = fs::read_dir(&az)
        .expect("the corpus has content/az")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    sections.sort();
    let mut pages: Vec<PathBuf> = fs::read_dir(&sections[0])
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "_index.md")
        .collect();
    pages.sort();
    pages
}

/// The output file of a page: its text shows in the page whose URL ends with the file's slug.
fn find_output<'a>(session: &'a Session, needle: &str) -> Vec<&'a String> {
    session
        .output()
        .files
        .iter()
        .filter(|(p, b)| {
            p.ends_with(".html") && b.windows(needle.len()).any(|w| w == needle.as_bytes())
        })
        .map(|(p, _)| p)
        .collect()
}

fn main() {
    let root = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .expect("usage: cargo bench --bench edits -- CORPUS_DIR (bench/edits.sh prepares one)");
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20);
    let options = Options {
        root: root.clone(),
        base_url: Some("http://127.0.0.1:1111/".into()),
        ..Options::default()
    };

    let started = Instant::now();
    let mut session = Session::start(&options).unwrap_or_else(|d| panic!("{d}"));
    println!(
        "{}: {} files, first build in memory {}",
        root.display(),
        session.output().files.len(),
        ms(started.elapsed())
    );
    let pages = pages(&root);

    // A page's body.
    let mut times = Vec::new();
    let mut rendered = Vec::new();
    let mut outputs = Vec::new();
    for (i, page) in pages.iter().take(runs).enumerate() {
        let text = fs::read_to_string(page).unwrap();
        let marker = format!("Edited paragraph number {i}.");
        let edited = format!("{text}\n{marker}\n");
        let t = Instant::now();
        fs::write(page, &edited).unwrap();
        let update = session
            .update(std::slice::from_ref(page))
            .unwrap_or_else(|d| panic!("{d}"));
        times.push(t.elapsed());
        rendered.push(update.rendered);
        let shown = find_output(&session, &marker);
        assert_eq!(shown.len(), 1, "the edit shows in the page");
        outputs.push((page.clone(), shown[0].clone()));
        fs::write(page, &text).unwrap();
        session.update(std::slice::from_ref(page)).unwrap();
    }
    print_edits("page body edit", times, &rendered);

    // A page's title: the page and its section's listing.
    let mut times = Vec::new();
    let mut rendered = Vec::new();
    for (i, page) in pages.iter().skip(runs).take(runs).enumerate() {
        let text = fs::read_to_string(page).unwrap();
        let title = format!("Edited title {i} for the benchmark");
        let edited = text.replacen("title = \"", &format!("title = \"{title}: "), 1);
        let t = Instant::now();
        fs::write(page, &edited).unwrap();
        let update = session
            .update(std::slice::from_ref(page))
            .unwrap_or_else(|d| panic!("{d}"));
        times.push(t.elapsed());
        rendered.push(update.rendered);
        let shown = find_output(&session, &title);
        assert!(
            shown.len() >= 2,
            "the new title shows in the page and its section's listing: {shown:?}"
        );
        fs::write(page, &text).unwrap();
        session.update(std::slice::from_ref(page)).unwrap();
    }
    print_edits("page title edit", times, &rendered);

    // A UI string (the homes show it).
    let ftl = root.join("themes/default/i18n/en.ftl");
    let original = fs::read_to_string(&ftl).unwrap();
    let mut times = Vec::new();
    let mut rendered = Vec::new();
    for i in 0..runs {
        let edited = original.replacen(
            "home-topics = Topics",
            &format!("home-topics = Topics {i}"),
            1,
        );
        assert_ne!(edited, original, "en.ftl has home-topics");
        let t = Instant::now();
        fs::write(&ftl, &edited).unwrap();
        let update = session
            .update(std::slice::from_ref(&ftl))
            .unwrap_or_else(|d| panic!("{d}"));
        times.push(t.elapsed());
        rendered.push(update.rendered);
    }
    fs::write(&ftl, &original).unwrap();
    session.update(std::slice::from_ref(&ftl)).unwrap();
    print_edits("UI string edit", times, &rendered);

    // A new page, then the same page deleted: the long way (the site model rebuilt, every fact
    // checked).
    let mut added = Vec::new();
    let mut removed = Vec::new();
    let section = pages[0].parent().unwrap().to_path_buf();
    for i in 0..runs.min(10) {
        let page = section.join(format!("bench-new-page-{i}.md"));
        let marker = format!("A new page number {i}");
        let t = Instant::now();
        fs::write(&page, format!("+++\ntitle = \"{marker}\"\n+++\n\nNew.\n")).unwrap();
        session
            .update(std::slice::from_ref(&page))
            .unwrap_or_else(|d| panic!("{d}"));
        added.push(t.elapsed());
        assert!(
            find_output(&session, &marker).len() >= 2,
            "the page and its listing"
        );
        let t = Instant::now();
        fs::remove_file(&page).unwrap();
        session
            .update(std::slice::from_ref(&page))
            .unwrap_or_else(|d| panic!("{d}"));
        removed.push(t.elapsed());
        assert!(find_output(&session, &marker).is_empty(), "gone everywhere");
    }
    let (median, worst) = median_and_worst(added);
    let (median_removed, worst_removed) = median_and_worst(removed);
    println!(
        "new page:         median {}, worst {}; deleted page: median {}, worst {} ({} runs)",
        ms(median),
        ms(worst),
        ms(median_removed),
        ms(worst_removed),
        runs.min(10)
    );

    drop(session);

    // The same body edits through `karvan serve`: from the file's write to the new text served
    // at the page's URL (the watcher's event, its quiet window, the update, the swap).
    let server =
        karvan::serve::Server::start(&options, 0, |_| {}).unwrap_or_else(|d| panic!("{d}"));
    let address = server
        .url()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let get = |path: &str| -> String {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&address).unwrap();
        write!(
            stream,
            "GET /{path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        text
    };
    let mut times = Vec::new();
    for (i, (page, output)) in outputs.iter().enumerate() {
        let url = output.trim_end_matches("index.html");
        let text = fs::read_to_string(page).unwrap();
        let marker = format!("Served paragraph number {i}.");
        assert!(get(url).starts_with("HTTP/1.1 200"), "{url} is served");
        let t = Instant::now();
        fs::write(page, format!("{text}\n{marker}\n")).unwrap();
        loop {
            if get(url).contains(&marker) {
                break;
            }
            assert!(
                t.elapsed() < Duration::from_secs(30),
                "the edit of {} is served",
                page.display()
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        times.push(t.elapsed());
        fs::write(page, &text).unwrap();
        std::thread::sleep(Duration::from_millis(300));
    }
    server.stop();
    let (median, worst) = median_and_worst(times);
    println!(
        "through serve:    median {}, worst {} ({} runs: body edits, from the write to the page served)",
        ms(median),
        ms(worst),
        outputs.len()
    );

    // A build into an output it already wrote, nothing changed.
    let karvan = env!("CARGO_BIN_EXE_karvan");
    let out = std::env::temp_dir().join(format!("karvan-edits-{}", std::process::id()));
    let build = || {
        let t = Instant::now();
        let status = Command::new(karvan)
            .args(["build", "--root"])
            .arg(&root)
            .arg("--output")
            .arg(&out)
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        t.elapsed()
    };
    let first = build();
    let again: Vec<Duration> = (0..3).map(|_| build()).collect();
    let (median, worst) = median_and_worst(again);
    println!(
        "karvan build: into an empty folder {}, again with nothing changed median {}, worst {}",
        ms(first),
        ms(median),
        ms(worst)
    );
    let _ = fs::remove_dir_all(&out);
}
