//! Helpers for the `cli_*` tests: a canned-answer HTTP server on 127.0.0.1:0 that records the
//! requests it gets, and a way to run the binary with a clean environment.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One canned answer.
#[derive(Clone)]
pub enum Reply {
    /// Bytes sent as they are (status line, headers, body).
    Raw(Vec<u8>),
    /// Accept, read the request, never answer.
    Hang,
}

pub fn fixture(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/loki-wire")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A complete HTTP/1.1 response.
pub fn http(status: &str, content_type: &str, extra: &str, body: &[u8]) -> Reply {
    let mut r = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    Reply::Raw(r)
}

pub fn json_ok(body: &[u8]) -> Reply {
    http("200 OK", "application/json; charset=UTF-8", "", body)
}

/// A recorded request: request line, headers, body.
#[derive(Debug, Clone)]
pub struct Request {
    pub head: String,
    pub body: Vec<u8>,
}

impl Request {
    /// The decoded value of a query-string or form parameter.
    pub fn param(&self, name: &str) -> Option<String> {
        let line = self.head.lines().next()?;
        let target = line.split(' ').nth(1)?;
        let query = target.split_once('?').map(|(_, q)| q).unwrap_or("");
        let body = String::from_utf8_lossy(&self.body).into_owned();
        for part in query.split('&').chain(body.split('&')) {
            if let Some((k, v)) = part.split_once('=')
                && percent_decode(k) == name
            {
                return Some(percent_decode(v));
            }
        }
        None
    }

    pub fn path(&self) -> String {
        let line = self.head.lines().next().unwrap_or("");
        let target = line.split(' ').nth(1).unwrap_or("");
        target.split('?').next().unwrap_or("").to_string()
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// The canned server: answers in order, repeating the last answer when it runs out.
pub struct Canned {
    pub addr: String,
    pub requests: Arc<Mutex<Vec<Request>>>,
}

fn read_request(s: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        let n = s.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let len = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())
                .flatten()
        })
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let n = s.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(Request {
        head,
        body: buf[head_end..].to_vec(),
    })
}

impl Canned {
    pub fn start(replies: Vec<Reply>) -> Canned {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        std::thread::spawn(move || {
            let mut i = 0;
            for stream in listener.incoming() {
                let Ok(mut s) = stream else { continue };
                let Some(req) = read_request(&mut s) else {
                    continue;
                };
                recorded.lock().unwrap().push(req);
                let reply = replies[i.min(replies.len() - 1)].clone();
                i += 1;
                match reply {
                    Reply::Raw(bytes) => {
                        let _ = s.write_all(&bytes);
                        let _ = s.flush();
                    }
                    Reply::Hang => {
                        std::thread::spawn(move || {
                            std::thread::sleep(Duration::from_secs(60));
                            drop(s);
                        });
                    }
                }
            }
        });
        Canned { addr, requests }
    }

    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

/// An address where nothing listens.
pub fn refused_addr() -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = format!("http://{}", l.local_addr().unwrap());
    drop(l);
    addr
}

/// The binary with an empty environment (no user config, no LOKI_* from the caller).
pub fn vs_logs() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("vs-logs").unwrap();
    cmd.env_clear()
        .env("XDG_CONFIG_HOME", "/nonexistent-vs-logs-test")
        .env("COLUMNS", "100")
        .env("TZ", "UTC")
        .timeout(Duration::from_secs(60));
    cmd
}

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(cmd: &mut assert_cmd::Command) -> Out {
    let o = cmd.output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}
