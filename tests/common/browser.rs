//! Headless Chromium for the browser tests: finding it, skipping loudly
//! without it, and loading a fixture page with every request that would
//! leave the machine caught and recorded.
//!
//! [`visit`] starts, for one page load, two servers on 127.0.0.1:
//!
//! * a static file server for the fixture directory (`index.html` for
//!   directories, a Content-Type per extension, and `x.gz` served as `x`
//!   with `Content-Encoding: gzip` when `x` itself is missing). Chromium
//!   bypasses the proxy for loopback by default, so the fixtures load
//!   directly from it;
//! * a recording proxy, given to Chromium with `--proxy-server`. Chromium
//!   sends it every other request: absolute-URI requests
//!   (`GET http://host/path`) for http and `CONNECT host:443` for https.
//!   The proxy reads the request head, records the host (and the URL for
//!   http), answers `502 Bad Gateway` and closes. It has no code that opens
//!   a connection: nothing in this file calls `TcpStream::connect` except
//!   to wake the servers' own accept loops on 127.0.0.1 when they stop, so
//!   no request can reach the network. As a second fence Chromium gets
//!   `--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"`: any
//!   name it would resolve itself fails.
//!
//! Chromium's own background traffic (component updates, time sync,
//! accounts) goes through the proxy too. Requests the proxy sees before
//! the file server has served the page are marked as background; callers
//! also subtract the hosts of a control run of an empty page.
#![allow(dead_code, clippy::print_stderr)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Headless Chromium without its own background traffic: the flags every
/// browser test starts with.
pub const HEADLESS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
];

/// Runs Chromium as `cmd` says, reading both pipes on threads so a full
/// pipe cannot stall it, and killing it after `limit`; panics, with its
/// log, when it times out or fails. Returns its stdout (the DOM with
/// `--dump-dom`) and its stderr (the log).
pub fn run(cmd: &mut Command, what: &str, limit: Duration) -> (String, String) {
    let started = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout.read_to_end(&mut s);
        String::from_utf8_lossy(&s).into_owned()
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        String::from_utf8_lossy(&s).into_owned()
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish loading {what} in {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(25));
    };
    let (out, log) = (out.join().unwrap(), err.join().unwrap());
    assert!(
        status.success(),
        "chromium failed on {what} ({status}): {log}"
    );
    (out, log)
}

/// The Chromium binary on PATH, if any.
pub fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| ["chromium", "chromium-browser"].map(|n| d.join(n)))
        .find(|p| p.is_file())
}

/// Chromium for a browser test: CI installs it and sets
/// TRACKLINT_REQUIRE_BROWSER, which makes a missing Chromium a failure;
/// elsewhere the test is skipped, loudly (`what` names the test).
pub fn require_chromium(what: &str) -> Option<PathBuf> {
    match chromium() {
        Some(c) => Some(c),
        None if std::env::var_os("TRACKLINT_REQUIRE_BROWSER").is_some() => panic!(
            "TRACKLINT_REQUIRE_BROWSER is set but no chromium is on PATH: \
             apt-get install chromium"
        ),
        None => {
            eprintln!(
                "\n*** SKIPPED: {what} needs `chromium` on PATH (apt-get install \
                 chromium); set TRACKLINT_REQUIRE_BROWSER=1 to make this a failure. ***\n"
            );
            None
        }
    }
}

/// A request Chromium sent to the proxy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxyRequest {
    /// The request method (`CONNECT`, `GET`, `POST`, …).
    pub method: String,
    /// The host, lowercase, without port.
    pub host: String,
    /// The path and query for http requests; `None` for `CONNECT`.
    pub path: Option<String>,
    /// The request target as sent (`host:443` or `http://host/path`).
    pub target: String,
    /// Whether the file server had served anything before this request
    /// (false: Chromium's own start-up traffic).
    pub after_page_start: bool,
}

/// A listener on 127.0.0.1 with its accept loop on a thread.
struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    fn start(handle: impl Fn(TcpStream) + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let handle = Arc::new(handle);
        let accept = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let handle = Arc::clone(&handle);
                std::thread::spawn(move || {
                    let _ = conn.set_read_timeout(Some(Duration::from_secs(20)));
                    handle(conn);
                });
            }
        });
        Server {
            addr,
            stop,
            accept: Some(accept),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop (our own listener, on loopback).
        let _ = TcpStream::connect(self.addr);
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }
}

/// Reads an HTTP request head; returns its first line, or `None` if the
/// connection closed or stalled first.
fn request_line(conn: &TcpStream) -> Option<String> {
    let mut reader = BufReader::new(conn);
    let mut first = String::new();
    reader.read_line(&mut first).ok()?;
    if first.trim().is_empty() {
        return None;
    }
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    Some(first.trim_end().to_string())
}

/// Decodes `%XX` escapes in a URL path.
fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        if b[i] == b'%'
            && let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// The Content-Type for a file name.
pub fn content_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "xhtml" => "application/xhtml+xml",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "gif" => "image/gif",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "json" | "webmanifest" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Serves one request for a file below `root`, recording the file served
/// (relative to `root`, as found on disk) and that the page has started.
///
/// `VISITOR_PAGE` is answered from memory with `visitor` when given (the
/// wrapper of [`Scripting::Visitor`], which must share the page's origin);
/// it is not recorded and does not start the page.
fn serve_file(
    mut conn: TcpStream,
    root: &Path,
    served: &Mutex<Vec<String>>,
    started: &AtomicBool,
    visitor: Option<&str>,
) {
    let Some(line) = request_line(&conn) else {
        return;
    };
    let target = line.split(' ').nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if let Some(page) = visitor.filter(|_| path == format!("/{VISITOR_PAGE}")) {
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\nConnection: close\r\n\r\n",
            page.len()
        );
        let _ = conn.write_all(head.as_bytes());
        let _ = conn.write_all(page.as_bytes());
        let _ = conn.flush();
        let _ = conn.shutdown(Shutdown::Write);
        let _ = conn.read(&mut [0; 512]);
        return;
    }
    let decoded = String::from_utf8_lossy(&percent_decode(path)).into_owned();
    started.store(true, Ordering::SeqCst);
    let rel = Path::new(decoded.trim_start_matches('/'));
    let safe = rel.components().all(|c| matches!(c, Component::Normal(_)));
    let mut file = root.join(rel);
    if file.is_dir() {
        file = file.join("index.html");
    }
    let gz = PathBuf::from(format!("{}.gz", file.display()));
    let (body, encoding) = if !safe {
        (None, None)
    } else if file.is_file() {
        (std::fs::read(&file).ok(), None)
    } else if gz.is_file() {
        (std::fs::read(&gz).ok(), Some("gzip"))
    } else {
        (None, None)
    };
    let head = match &body {
        Some(b) => {
            let on_disk = if encoding.is_some() { &gz } else { &file };
            let shown = on_disk.strip_prefix(root).unwrap_or(on_disk);
            served
                .lock()
                .unwrap()
                .push(shown.to_string_lossy().replace('\\', "/"));
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\n{}\
                 Cache-Control: no-store\r\nConnection: close\r\n\r\n",
                content_type(&file.to_string_lossy()),
                b.len(),
                encoding.map_or(String::new(), |e| format!("Content-Encoding: {e}\r\n"))
            )
        }
        None => "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n\
                 Connection: close\r\n\r\nnot found"
            .to_string(),
    };
    let _ = conn.write_all(head.as_bytes());
    if let Some(b) = body {
        let _ = conn.write_all(&b);
    }
    let _ = conn.flush();
    let _ = conn.shutdown(Shutdown::Write);
    // Let Chromium close first, so it never sees a reset.
    let _ = conn.read(&mut [0; 512]);
}

/// Records one proxied request and refuses it with 502, without ever
/// connecting anywhere.
fn refuse(mut conn: TcpStream, seen: &Mutex<Vec<ProxyRequest>>, started: &AtomicBool) {
    let Some(line) = request_line(&conn) else {
        return;
    };
    let mut parts = line.split(' ');
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    let (host, path) = if method == "CONNECT" {
        (target.clone(), None)
    } else {
        let rest = target.split_once("://").map_or(target.as_str(), |(_, r)| r);
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let path = &rest[end..];
        (
            rest[..end].to_string(),
            Some(if path.is_empty() { "/" } else { path }.to_string()),
        )
    };
    let host = host
        .rsplit_once(':')
        .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(host.as_str(), |(h, _)| h)
        .to_ascii_lowercase();
    seen.lock().unwrap().push(ProxyRequest {
        method,
        host,
        path,
        target,
        after_page_start: started.load(Ordering::SeqCst),
    });
    let _ = conn
        .write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    let _ = conn.flush();
    let _ = conn.shutdown(Shutdown::Write);
    let _ = conn.read(&mut [0; 512]);
}

/// How a page is loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scripting {
    /// Scripts run (the normal case).
    Enabled,
    /// The page is loaded inside `<iframe sandbox>` (no `allow-scripts`):
    /// scripting is disabled for it, so Chromium renders `<noscript>`
    /// contents, as a browser with JavaScript turned off does.
    /// (`--blink-settings=scriptEnabled=false` makes headless Chromium
    /// load nothing at all.)
    Disabled,
    /// Scripts run, and once the page has loaded a visitor acts on it as
    /// [`VISITOR_SCRIPT`] says: consents, lets lazy loaders and templates
    /// do their work, and clicks. The page is loaded in a same-origin
    /// `<iframe>` of a wrapper page that does this.
    Visitor,
}

/// What the visitor of [`Scripting::Visitor`] does in the page, once it
/// has loaded — what consent managers, lazy loaders, component code and a
/// person clicking do — so that code a page holds back for later is run
/// and what it fetches is seen:
///
/// 1. consents: every `<script type="text/plain">` is replaced by a live
///    copy (how Cookiebot, OneTrust, Complianz and others activate the
///    scripts they hold back);
/// 2. lazy loading: `data-src`/`data-lazy-src` become `src`, `data-srcset`
///    becomes `srcset`;
/// 3. templates: every `<template>`'s contents are cloned into the page
///    (scripts in a clone run);
/// 4. clicks: every `<a ping>` is clicked with its `href` turned into a
///    fragment of the page (the ping is sent; following the link is a
///    navigation the person chose, not the page's doing), then every
///    other link, button and element with an `onclick` is clicked with
///    its default action cancelled (its handlers run; nothing navigates
///    or submits).
pub const VISITOR_SCRIPT: &str = r#"
function visit(d) {
  for (const old of d.querySelectorAll('script[type="text/plain" i]')) {
    const s = d.createElement('script');
    for (const a of old.attributes) if (a.name !== 'type') s.setAttribute(a.name, a.value);
    s.text = old.text;
    old.replaceWith(s);
  }
  for (const el of d.querySelectorAll('[data-src], [data-lazy-src]')) {
    el.setAttribute('src', el.getAttribute('data-src') ?? el.getAttribute('data-lazy-src'));
  }
  for (const el of d.querySelectorAll('[data-srcset]')) {
    el.setAttribute('srcset', el.getAttribute('data-srcset'));
  }
  for (const t of d.querySelectorAll('template')) {
    d.body.appendChild(d.importNode(t.content, true));
  }
  for (const a of d.querySelectorAll('a[ping]')) {
    a.setAttribute('href', '#tracklint-visitor');
    a.removeAttribute('target');
    a.removeAttribute('download');
    a.click();
  }
  d.defaultView.addEventListener('click', (e) => e.preventDefault(), true);
  d.defaultView.addEventListener('submit', (e) => e.preventDefault(), true);
  for (const el of d.querySelectorAll('a:not([ping]), button, [onclick]')) el.click();
}
const frame = document.getElementById('page');
frame.addEventListener('load', () => visit(frame.contentDocument), { once: true });
"#;

/// The name of the wrapper page of [`Scripting::Visitor`].
const VISITOR_PAGE: &str = "__tracklint_visitor__.html";

/// What one page load did.
#[derive(Debug)]
pub struct Visit {
    /// Every request Chromium sent to the proxy, in order.
    pub requests: Vec<ProxyRequest>,
    /// Files the file server served, relative to the root, in order.
    pub served: Vec<String>,
    /// The DOM after load (`--dump-dom`).
    pub dom: String,
    /// The http(s) URLs the net log saw requested from hosts other than
    /// 127.0.0.1 (the proxy sees only `host:443` of https requests).
    pub urls: Vec<String>,
    /// How long Chromium ran.
    pub elapsed: Duration,
}

impl Visit {
    /// The hosts of requests sent after the page started loading.
    pub fn page_hosts(&self) -> Vec<String> {
        let mut h: Vec<String> = self
            .requests
            .iter()
            .filter(|r| r.after_page_start)
            .map(|r| r.host.clone())
            .collect();
        h.sort();
        h.dedup();
        h
    }
}

/// The name of the wrapper page that loads a page with scripting disabled.
const SANDBOX_PAGE: &str = "__tracklint_sandbox__.html";

/// Loads `page` (a path relative to `root`, served over http from
/// 127.0.0.1) in headless Chromium with virtual time, and records what it
/// requested. Panics if Chromium fails or takes over 120 s.
pub fn visit(chromium: &Path, root: &Path, page: &str, scripting: Scripting) -> Visit {
    let started = Arc::new(AtomicBool::new(false));
    let served = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let files = {
        let (root, served, started) = (
            root.to_path_buf(),
            Arc::clone(&served),
            Arc::clone(&started),
        );
        let visitor = (scripting == Scripting::Visitor).then(|| {
            format!(
                "<!DOCTYPE html><iframe id=\"page\" src=\"/{page}\" width=\"800\" \
                 height=\"600\"></iframe>\n<script>{VISITOR_SCRIPT}</script>\n"
            )
        });
        Server::start(move |conn| {
            serve_file(conn, &root, &served, &started, visitor.as_deref());
        })
    };
    let proxy = {
        let (seen, started) = (Arc::clone(&seen), Arc::clone(&started));
        Server::start(move |conn| refuse(conn, &seen, &started))
    };
    let work = tempfile::tempdir().unwrap();
    let url = match scripting {
        Scripting::Enabled => format!("http://{}/{page}", files.addr),
        Scripting::Visitor => format!("http://{}/{VISITOR_PAGE}", files.addr),
        Scripting::Disabled => {
            // The wrapper lives outside the fixture root, in its own
            // server, so the fixture directory is never written.
            let wrap = work.path().join("wrap");
            std::fs::create_dir(&wrap).unwrap();
            std::fs::write(
                wrap.join(SANDBOX_PAGE),
                format!(
                    "<!DOCTYPE html><iframe sandbox src=\"http://{}/{page}\" \
                     width=\"800\" height=\"600\"></iframe>",
                    files.addr
                ),
            )
            .unwrap();
            // Served from the same kind of server; its request does not
            // count as the page starting (that is the fixture's request).
            let no_start = Arc::new(AtomicBool::new(false));
            let wrap_served = Arc::new(Mutex::new(Vec::new()));
            let wrapper =
                Server::start(move |conn| serve_file(conn, &wrap, &wrap_served, &no_start, None));
            let url = format!("http://{}/{SANDBOX_PAGE}", wrapper.addr);
            return run_chromium(
                chromium,
                work,
                &url,
                &proxy,
                vec![files, wrapper],
                &seen,
                &served,
            );
        }
    };
    run_chromium(chromium, work, &url, &proxy, vec![files], &seen, &served)
}

fn run_chromium(
    chromium: &Path,
    work: tempfile::TempDir,
    url: &str,
    proxy: &Server,
    servers: Vec<Server>,
    seen: &Mutex<Vec<ProxyRequest>>,
    served: &Mutex<Vec<String>>,
) -> Visit {
    let net = work.path().join("net.json");
    let started = Instant::now();
    let mut cmd = Command::new(chromium);
    cmd.args(HEADLESS)
        .args([
            "--mute-audio",
            "--autoplay-policy=no-user-gesture-required",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--proxy-server=http://{}", proxy.addr))
        .arg(format!(
            "--user-data-dir={}",
            work.path().join("profile").display()
        ))
        .arg(format!("--log-net-log={}", net.display()))
        .arg("--dump-dom")
        .arg(url);
    let (dom, _log) = run(&mut cmd, url, Duration::from_secs(120));
    let elapsed = started.elapsed();
    // Stop the servers before reading what they recorded.
    drop(servers);
    let netlog: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&net).expect("chromium wrote no net log"))
            .expect("the net log is JSON");
    Visit {
        requests: seen.lock().unwrap().clone(),
        served: served.lock().unwrap().clone(),
        urls: requested_urls(&netlog),
        dom,
        elapsed,
    }
}

/// The URLs of every `URL_REQUEST_START_JOB` in a net log that are http(s)
/// and not to 127.0.0.1.
fn requested_urls(netlog: &serde_json::Value) -> Vec<String> {
    let start_job = &netlog["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"];
    let mut urls: Vec<String> = netlog["events"]
        .as_array()
        .expect("net log events")
        .iter()
        .filter(|e| &e["type"] == start_job)
        .filter_map(|e| e["params"]["url"].as_str())
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .filter(|u| !u.split_once("://").unwrap().1.starts_with("127.0.0.1"))
        .map(str::to_string)
        .collect();
    urls.sort();
    urls.dedup();
    urls
}
