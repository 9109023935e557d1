#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Multi-line records on local sources (issue 11.3): a traceback printed after an error line
//! is part of that record, in every output.

use crate::support::bin::{run, vs_logs};

const INPUT: &str = "2026-11-25T05:18:00Z [error] job.failed  job=7\n\
                     Traceback (most recent call last):\n\
                     \x20 File \"/app/job.py\", line 3, in run\n\
                     \x20   raise ValueError(\"bad\")\n\
                     ValueError: bad\x1b]0;pwned\x07\n\
                     2026-11-25T05:18:01Z [info] job.next  job=8\n";

#[test]
fn errors_on_stdin_show_the_traceback_under_its_error_line() {
    let o = run(vs_logs()
        .args(["errors", "--stdin", "--color", "never", "-q"])
        .write_stdin(INPUT));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{}", o.stdout);
    assert!(
        lines[0].contains("error") && lines[0].contains("job.failed  job=7"),
        "{}",
        o.stdout
    );
    assert_eq!(lines[1], "    Traceback (most recent call last):");
    assert_eq!(lines[2], "      File \"/app/job.py\", line 3, in run");
    assert_eq!(lines[3], "        raise ValueError(\"bad\")");
    // Sanitised like every line: the OSC sequence is shown, not run.
    assert_eq!(lines[4], "    ValueError: bad^[]0;pwned^G");
    assert!(!o.stdout.contains('\x1b'), "{}", o.stdout);
}

#[test]
fn the_record_is_one_entry_for_queries_and_jsonl() {
    // No orphan `ValueError: bad` entry: one error record holding the traceback.
    let o = run(vs_logs()
        .args(["errors", "--stdin", "-o", "jsonl"])
        .write_stdin(INPUT));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let entries: Vec<serde_json::Value> = o
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(entries.len(), 1, "{}", o.stdout);
    let line = entries[0]["line"].as_str().unwrap();
    assert!(
        line.starts_with("2026-11-25T05:18:00Z [error] job.failed"),
        "{line}"
    );
    assert!(
        line.ends_with("ValueError: bad\u{1b}]0;pwned\u{7}"),
        "{line}"
    );
    assert_eq!(line.lines().count(), 5, "{line}");
    // A line filter on the traceback finds the record; a count counts it once.
    let o = run(vs_logs()
        .args([
            "query",
            "--stdin",
            r#"{app="vulnsentinel"} |= "ValueError""#,
            "-o",
            "raw",
        ])
        .write_stdin(INPUT));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout
            .starts_with("2026-11-25T05:18:00Z [error] job.failed"),
        "{}",
        o.stdout
    );
    assert_eq!(o.stdout.lines().count(), 5, "{}", o.stdout);
}
