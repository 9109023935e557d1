//! Issue 12, found by trying strange inputs on the binary: each case failed before its fix.

use crate::support::bin::{run, vs_logs};

const LINES: &str = concat!(
    r#"{"event":"a","level":"error","timestamp":"2026-01-10T08:00:00Z"}"#,
    "\n",
    r#"{"event":"b","level":"info","timestamp":"2026-01-10T08:00:01Z"}"#,
    "\n",
);

/// A plain-text log (no timestamps) gave "the query time range exceeds the limit (query
/// length: 500882h…)": its span began at the epoch.
#[test]
fn a_metric_query_over_untimed_lines_spans_them_not_the_epoch() {
    for input in ["hello\nworld\n", "\u{0}\u{fffd} binary\n\u{7f}x\n"] {
        let o = run(vs_logs()
            .args(["query", "--stdin", "-o", "json"])
            .arg(r#"sum(count_over_time({app="vulnsentinel"}[1m]))"#)
            .write_stdin(input));
        assert_eq!(o.code, 0, "{}", o.stderr);
        assert!(!o.stderr.contains("exceeds"), "{}", o.stderr);
        let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
        let total: f64 = v["result"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["values"].as_array().unwrap().clone())
            .map(|p| p[1].as_str().unwrap().parse::<f64>().unwrap())
            .fold(0.0, f64::max);
        assert_eq!(total, 2.0, "{}", o.stdout);
    }
}

/// A named pipe as `--file` (`--file <(zcat a.gz)`) waited forever for a second writer, and
/// its first bytes were gone (read to find the compression).
#[cfg(unix)]
#[test]
fn a_named_pipe_as_file_is_read_once_like_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = make_fifo(dir.path());
    let writer = write_lines_into(&fifo);
    let o = run(vs_logs()
        .arg("--file")
        .arg(&fifo)
        .args(["query", r#"{app="vulnsentinel"}"#, "-o", "raw", "--forward"])
        .timeout(std::time::Duration::from_secs(20)));
    writer.join().unwrap();
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, LINES);
}

/// `-f` on a named pipe waited forever for a second writer after reading the first one's lines:
/// `query -f` prints them and says the pipe is not followed; `tail` refuses (exit 2). Neither
/// hangs.
#[cfg(unix)]
#[test]
fn a_named_pipe_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = make_fifo(dir.path());
    for tail in [false, true] {
        let writer = write_lines_into(&fifo);
        let mut cmd = vs_logs();
        cmd.arg("--file").arg(&fifo);
        if tail {
            cmd.args(["tail", r#"{app="vulnsentinel"}"#]);
        } else {
            cmd.args([
                "query",
                r#"{app="vulnsentinel"}"#,
                "-o",
                "raw",
                "--forward",
                "-f",
            ]);
        }
        let o = run(cmd.timeout(std::time::Duration::from_secs(20)));
        writer.join().unwrap();
        assert!(o.stderr.contains("cannot be followed"), "{}", o.stderr);
        if tail {
            assert_eq!(o.code, 2, "{}", o.stderr);
            assert_eq!(o.stdout, "");
        } else {
            assert_eq!(o.code, 0, "{}", o.stderr);
            assert_eq!(o.stdout, LINES);
        }
    }
}

/// A named pipe `p` in `dir`.
#[cfg(unix)]
fn make_fifo(dir: &std::path::Path) -> std::path::PathBuf {
    let fifo = dir.join("p");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    fifo
}

/// Writes `LINES` into `fifo` once a reader opens it.
#[cfg(unix)]
fn write_lines_into(fifo: &std::path::Path) -> std::thread::JoinHandle<()> {
    let fifo = fifo.to_path_buf();
    std::thread::spawn(move || std::fs::write(fifo, LINES).unwrap())
}

/// `tail` ended every failure with exit 1, where `query` says 4, 5 or 6: scripts could not
/// tell a refused password from a proxy page. The address's password never shows.
#[test]
fn tail_failures_have_the_exit_codes_of_queries() {
    use crate::support::loki_stub::{LokiStub, Reply};
    let cases = [
        (Reply::text(401, "no"), 4, "refused the credentials"),
        (Reply::text(400, "parse error at line 1"), 5, "parse error"),
        (
            Reply::new(
                200,
                "text/html",
                b"<html><body>Welcome to nginx</body></html>".to_vec(),
            ),
            6,
            "HTML page",
        ),
    ];
    for (reply, code, says) in cases {
        let stub = LokiStub::canned(vec![reply]);
        let addr = stub.url().replace("http://", "http://admin:s3cr3t-pw@");
        let o = run(vs_logs()
            .args(["--addr", &addr, "--retries", "0", "tail"])
            .arg(r#"{app="vulnsentinel"}"#));
        assert_eq!(o.code, code, "{says}: {}", o.stderr);
        assert!(o.stderr.contains(says), "{}", o.stderr);
        assert!(!o.stderr.contains("s3cr3t-pw"), "{}", o.stderr);
    }
}
