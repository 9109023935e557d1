//! The scan's shortcuts (a whole stream rejected by a label filter, a block-wide search for a
//! required literal, JSON lines skipped when their `level` cannot be the one required) must give exactly what the plain per-line path gives, on the lines most
//! likely to tell them apart: JSON escapes, unicode, invalid JSON, ANSI, compose prefixes,
//! CRLF, blank and untimed lines, invalid UTF-8.

use std::sync::Arc;

use super::*;
use crate::model::Direction;

/// The same query with every shortcut off: only the per-line path runs.
struct Plain<'a>(&'a LogQuery);

impl LogPipeline for Plain<'_> {
    fn prefilter(&self, line: &str) -> bool {
        self.0.line_prefilter(line)
    }
    fn matches_stream(&self, labels: &Labels) -> bool {
        self.0.matches_stream(labels)
    }
    fn process(&self, entry: &LogEntry) -> Option<LogEntry> {
        self.0.process(entry)
    }
}

const T: &str = "2026-11-25T08:00:0";

/// Lines chosen to trip a shortcut that is not exact.
fn hostile() -> Vec<u8> {
    let mut lines: Vec<String> = vec![
        format!(
            r#"{{"event":"rate limit hit","timestamp":"{T}1Z","level":"error","logger":"vulnsentinel.engine"}}"#
        ),
        // The level is "error" only once the escape is decoded.
        format!(
            r#"{{"event":"escaped level","timestamp":"{T}1Z","level":"\u0065rror","logger":"vulnsentinel.api"}}"#
        ),
        // An escaped quote inside the level value.
        format!(
            r#"{{"event":"quote","timestamp":"{T}2Z","level":"err\"or","logger":"vulnsentinel.api"}}"#
        ),
        // The literal only appears through an escape (a line filter sees the raw text).
        format!(
            r#"{{"event":"rate\u0020limit escaped","timestamp":"{T}2Z","level":"warning","logger":"vulnsentinel.engine"}}"#
        ),
        // A JSON level field shadowed by the stream label, and a nested level.
        format!(
            r#"{{"event":"nested","ctx":{{"level":"error"}},"timestamp":"{T}3Z","level":"info","logger":"vulnsentinel.db"}}"#
        ),
        format!(
            r#"{{"event":"扫描 漏洞 rate limit 🚀","timestamp":"{T}3Z","level":"error","logger":"vulnsentinel.agent"}}"#
        ),
        // Invalid JSON that still looks like an object, with error words in it.
        format!(
            r#"{{"event":"broken rate limit","timestamp":"{T}4Z","level":"error","logger":"vulnsentinel.api""#
        ),
        r#"{"event": "truncated", "level": "error"#.to_string(),
        // Untimed lines (they take the previous line's time).
        "Traceback (most recent call last): rate limit".to_string(),
        "  File \"x.py\", line 1, in <module> ERROR".to_string(),
        "[2026-11-25 08:00:05 +0000] [7] [ERROR] Worker timeout (rate limit)".to_string(),
        format!("{T}6Z [error] rate limit  retry_in=30"),
        format!("\x1b[2m{T}6Z\x1b[0m [\x1b[31merror\x1b[0m] coloured rate limit"),
        format!(
            r#"vulnsentinel-worker  | {{"event":"compose rate limit","timestamp":"{T}7Z","level":"error","logger":"vulnsentinel.engine"}}"#
        ),
        format!(
            r#"{{"event":"crlf rate limit","timestamp":"{T}7Z","level":"error","logger":"vulnsentinel.api"}}"#
        ) + "\r",
        "   ".to_string(),
        String::new(),
        format!(
            r#"{{"event":"detected","timestamp":"{T}8Z","level":"warn","detected_level":"error","logger":"vulnsentinel.api"}}"#
        ),
        format!(
            r#"{{"event":"numeric","timestamp":"{T}8Z","level":"5","logger":"vulnsentinel.api","status":503}}"#
        ),
        "rate limit".to_string(),
        "rate limi".to_string(),
        // Duplicate keys: the last `level` is the label (both orders).
        format!(
            r#"{{"event":"dup","level":"error","timestamp":"{T}8Z","level":"info","logger":"vulnsentinel.api"}}"#
        ),
        format!(
            r#"{{"event":"dup2","level":"info","timestamp":"{T}8Z","level":"error","logger":"vulnsentinel.api"}}"#
        ),
        // "error" elsewhere than the level; the level in another case or accented.
        format!(
            r#"{{"event":"error budget","timestamp":"{T}8Z","level":"info","logger":"vulnsentinel.api"}}"#
        ),
        format!(
            r#"{{"event":"upper","timestamp":"{T}8Z","level":"ERROR","logger":"vulnsentinel.api"}}"#
        ),
        format!(
            r#"{{"event":"accent","timestamp":"{T}8Z","level":"érror","logger":"vulnsentinel.api"}}"#
        ),
        // An escape in the middle of the value, and an escaped key (not a `level` field).
        format!(
            r#"{{"event":"mid escape","timestamp":"{T}8Z","level":"error","logger":"vulnsentinel.api"}}"#
        ),
        format!(
            r#"{{"event":"key escape","timestamp":"{T}8Z","level":"error","logger":"vulnsentinel.api"}}"#
        ),
        // Trailing unicode whitespace, leading spaces, a nested level only, no level at all.
        format!(
            r#"{{"event":"ideographic space","timestamp":"{T}8Z","level":"error","logger":"vulnsentinel.api"}}"#
        ) + "\u{3000}",
        format!(
            r#"  {{"event":"indented json","timestamp":"{T}8Z","level":"error","logger":"vulnsentinel.api"}}"#
        ),
        format!(r#"{{"event":"only nested","timestamp":"{T}8Z","ctx":{{"level":"error"}}}}"#),
        format!(r#"{{"event":"no level error","timestamp":"{T}8Z"}}"#),
        format!(r#"{{"event":"unknown","timestamp":"{T}8Z","level":"unknown"}}"#),
    ];
    lines.push(format!(r#"{{"event":"last rate limit","timestamp":"{T}9Z","level":"error","logger":"vulnsentinel.api"}}"#));
    lines.join("\n").into_bytes()
}

fn run(bytes: Vec<u8>, q: &dyn LogPipeline) -> (Vec<LogEntry>, u64) {
    let inputs = vec![(
        Data::Memory {
            name: "t".into(),
            bytes: Arc::new(bytes),
        },
        0,
    )];
    let b = LogBounds {
        start_ns: 0,
        end_ns: i64::MAX,
        limit: 0,
        direction: Direction::Forward,
    };
    let (entries, counts) = run_log(&inputs, q, "vulnsentinel", b, &|_| {}).unwrap();
    (entries, counts.lines)
}

const QUERIES: &[&str] = &[
    r#"{app="vulnsentinel"} | json | level="error""#,
    r#"{app="vulnsentinel"} | json | level=~"err.*|5" | line_format "{{.event}}""#,
    r#"{app="vulnsentinel"} | logfmt | level!="info""#,
    r#"{app="vulnsentinel"} | json | level > 3"#,
    r#"{app="vulnsentinel"} | json | detected_level="error""#,
    r#"{app="vulnsentinel"} | json | level="error" or event="nested""#,
    r#"{app="vulnsentinel"} | label_format level="error" | level="error""#,
    r#"{app="vulnsentinel"} | json | __error__!="" | level="error""#,
    r#"{app="vulnsentinel"} |= "rate limit""#,
    r#"{app="vulnsentinel"} |= "rate limit" | json | level="error""#,
    r#"{app="vulnsentinel"} |~ "rate limit" != "compose""#,
    r#"{app="vulnsentinel"} |= "漏洞""#,
    r#"{app="vulnsentinel"} |= "\"level\": \"error""#,
    r#"{app="vulnsentinel"} |= "limit\nrate""#,
    r#"{app="vulnsentinel"} |= """#,
    r#"{app="vulnsentinel", module="api"} |= "rate" | level="error""#,
    r#"{app="vulnsentinel"} | json | level="error" and module="api""#,
    r#"{app="vulnsentinel"} | level="unknown""#,
    r#"{app="vulnsentinel"} | json | level="érror""#,
    r#"{app="vulnsentinel"} | json | level="err\"or""#,
    r#"{app="vulnsentinel"} | json | level="ERROR" | line_format "{{.event}}""#,
    r#"{app="vulnsentinel"} | level="" "#,
];

fn same_answers(bytes: &[u8]) {
    for q in QUERIES {
        let compiled = LogQuery::compile(q).unwrap();
        let fast = run(bytes.to_vec(), &compiled);
        let plain = run(bytes.to_vec(), &Plain(&compiled));
        assert_eq!(fast.0, plain.0, "{q}");
        assert_eq!(fast.1, plain.1, "{q}: line count");
    }
}

#[test]
fn shortcuts_match_the_plain_path_on_hostile_lines() {
    same_answers(&hostile());
}

#[test]
fn shortcuts_match_the_plain_path_on_invalid_utf8() {
    let mut bytes = hostile();
    bytes.extend_from_slice(
        b"\n{\"event\":\"bad \xff rate limit\",\"level\":\"error\"}\n\xfe\xfe\n",
    );
    same_answers(&bytes);
}

#[test]
fn the_shortcuts_are_taken() {
    let q = LogQuery::compile(r#"{app="vulnsentinel"} | json | level="error""#).unwrap();
    let mut labels = Labels::new();
    labels.insert("level".into(), "info".into());
    let info = LogEntry::new(0, Arc::new(labels), "");
    assert!(LogPipeline::rejects_stream(&q, &info));
    let q = LogQuery::compile(r#"{app="vulnsentinel"} |= "rate limit" | json"#).unwrap();
    assert_eq!(LogPipeline::required_literal(&q), Some(&b"rate limit"[..]));
    // A rename before the filter: the stream's own label no longer decides.
    let q = LogQuery::compile(r#"{app="x"} | label_format level="error" | level="error""#).unwrap();
    assert!(!LogPipeline::rejects_stream(&q, &info));
    let q = LogQuery::compile(r#"{app="x"} != "rate limit""#).unwrap();
    assert_eq!(LogPipeline::required_literal(&q), None);
    let q = LogQuery::compile(r#"{app="x"} | json | level="error" and module="api""#).unwrap();
    assert_eq!(LogPipeline::required_level(&q), Some("error"));
    for other in [
        r#"{app="x"} | json | level="error" or module="api""#,
        r#"{app="x"} | label_format level="error" | level="error""#,
        r#"{app="x"} | json | level=~"error""#,
    ] {
        let q = LogQuery::compile(other).unwrap();
        assert_eq!(LogPipeline::required_level(&q), None, "{other}");
    }
}

#[test]
fn shortcuts_match_on_the_demo_data() {
    let bytes = crate::source::demo::demo_bytes(crate::source::demo::DEMO_END_NS);
    // A slice of the demo keeps the test quick; it still holds every kind of line.
    let cut = memchr::memchr(b'\n', &bytes[2_000_000..]).map_or(bytes.len(), |i| 2_000_001 + i);
    same_answers(&bytes[..cut]);
}

/// Runs a query over a file (read through the line cap) with the given bounds.
fn run_file(path: &std::path::Path, q: &dyn LogPipeline, b: LogBounds) -> (Vec<LogEntry>, u64) {
    let inputs = vec![(
        Data::File {
            path: path.to_path_buf(),
            compression: crate::source::reader::Compression::None,
        },
        0,
    )];
    let (entries, counts) = run_log(&inputs, q, "vulnsentinel", b, &|_| {}).unwrap();
    (entries, counts.lines)
}

/// The hostile lines, lines over the line cap (the literal before the cut, only after it, and
/// across it), blank and whitespace-only lines, and enough JSON lines to fill more than one
/// block, in a file.
fn hostile_file(dir: &std::path::Path) -> std::path::PathBuf {
    let max = crate::model::limits::max_line_bytes();
    let mut bytes = hostile();
    bytes.extend_from_slice(b"\n");
    let long = |before: usize, after: usize| {
        let mut l = format!(r#"{{"event":"long","timestamp":"{T}5Z","msg":""#).into_bytes();
        l.resize(l.len() + before, b'x');
        l.extend_from_slice(b"rate limit");
        l.resize(l.len() + after, b'y');
        l.extend_from_slice(b"\"}\n");
        l
    };
    bytes.extend(long(10, max));
    bytes.extend(long(max + 10, 10));
    bytes.extend(long(max - 60, 100));
    bytes.extend_from_slice(b"\n \n\t\r\n\x0c\n");
    let mut i = 0;
    while bytes.len() < crate::source::reader::BLOCK + (1 << 20) {
        let s = i % 10;
        let msg = if i % 97 == 0 { "rate limit hit" } else { "ok" };
        bytes.extend_from_slice(
            format!(
                r#"{{"event":"{msg} {i}","timestamp":"{T}{s}Z","level":"error","logger":"vulnsentinel.api"}}"#
            )
            .as_bytes(),
        );
        bytes.extend_from_slice(if i % 5 == 0 { b"\r\n" } else { b"\n" });
        if i % 1000 == 0 {
            bytes.extend_from_slice(b"untimed rate limit line\n\n");
        }
        i += 1;
    }
    bytes.extend(long(5, 5));
    bytes.extend_from_slice(b"unterminated rate limit");
    let path = dir.join("hostile.log");
    std::fs::write(&path, &bytes).unwrap();
    path
}

#[test]
fn the_literal_search_matches_the_plain_path_on_a_capped_file_at_every_bound() {
    let dir = tempfile::tempdir().unwrap();
    let path = hostile_file(dir.path());
    // 2026-11-25T08:00:01Z and 08:00:08Z: bounds exactly on lines' times.
    let t1 = 1_795_593_601_000_000_000;
    let t8 = t1 + 7_000_000_000;
    for q in [
        r#"{app="vulnsentinel"} |= "rate limit""#,
        r#"{app="vulnsentinel"} |= "rate limit" | json | level="error""#,
        r#"{app="vulnsentinel"} |= "yyyy""#,
    ] {
        let compiled = LogQuery::compile(q).unwrap();
        for (start_ns, end_ns) in [(0, i64::MAX), (t1, t8), (t1 + 1, t8 + 1)] {
            for limit in [0, 1, 7, 100] {
                for direction in [Direction::Forward, Direction::Backward] {
                    let b = LogBounds {
                        start_ns,
                        end_ns,
                        limit,
                        direction,
                    };
                    let fast = run_file(&path, &compiled, b);
                    let plain = run_file(&path, &Plain(&compiled), b);
                    let what = format!("{q} {start_ns}..{end_ns} limit {limit} {direction:?}");
                    assert_eq!(fast.0, plain.0, "{what}");
                    assert_eq!(fast.1, plain.1, "{what}: line count");
                    if limit == 0 && start_ns == 0 && !q.contains("yyyy") {
                        assert!(fast.0.len() > 40, "{what}: {}", fast.0.len());
                    }
                }
            }
        }
    }
}
