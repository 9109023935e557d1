mod followed;
mod lists;
mod metric;

use std::sync::Arc;

use super::*;
use crate::model::{Labels, MetricResult, Point, Sample, Series};

// 2026-11-24T08:01:00Z
const T: i64 = 1_795_507_260_000_000_000;

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn entry(ts: i64, module: &str, level: &str, line: &str) -> LogEntry {
    LogEntry::new(
        ts,
        Arc::new(labels(&[
            ("app", "vulnsentinel"),
            ("module", module),
            ("level", level),
        ])),
        line,
    )
}

const HOSTILE: &str = "oops \u{1b}]0;pwned\u{7} \u{1b}[31mred\u{9b}2J";

fn sample() -> Vec<LogEntry> {
    vec![
        entry(
            T,
            "agent",
            "error",
            r#"{"event":"tool.error","level":"error","logger":"vulnsentinel.agent","timestamp":"2026-11-24T08:01:00Z","agent_id":"ag-456","error":"timeout after 30s","n":3}"#,
        ),
        entry(
            T + 1_500_000_000,
            "api",
            "info",
            r#"{"event":"request.end","level":"info","logger":"vulnsentinel.api","status":500,"path":"/v1/events"}"#,
        ),
        entry(T + 2_000_000_000, "app", "error", HOSTILE),
    ]
}

fn render(format: OutputFormat, color: bool, entries: &[LogEntry]) -> String {
    let mut w = EntryWriter::new(Vec::new(), format, color).with_utc(true);
    w.write_entries(entries).unwrap();
    String::from_utf8(w.finish().unwrap()).unwrap()
}

#[test]
fn text_is_aligned_with_a_header() {
    let out = render(OutputFormat::Text, false, &sample());
    insta::assert_snapshot!(out);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "# app=vulnsentinel");
    assert!(lines[1].starts_with("2026-11-24 08:01:00.000Z error   agent tool.error "));
    assert!(lines[1].contains("error=\"timeout after 30s\" n=3"));
    assert!(!lines[1].contains("app=vulnsentinel"));
}

#[test]
fn text_neutralises_hostile_lines() {
    let out = render(OutputFormat::Text, false, &sample());
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{9b}'));
    assert!(out.contains("oops ^[]0;pwned^G ^[[31mred<U+009B>2J"));
    // Also with colour: only our own escapes, never the line's.
    let colored = render(OutputFormat::Text, true, &sample());
    assert!(!colored.contains("\u{1b}]0;"));
    assert!(colored.contains("\x1b[31merror"));
}

#[test]
fn hostile_json_fields_are_neutralised() {
    let e = entry(
        T,
        "agent",
        "info",
        r#"{"event":"x\u001b[2J","level":"info","content":"a\u001b]0;t\u0007\nb"}"#,
    );
    let out = render(OutputFormat::Text, false, &[e]);
    assert!(!out.contains('\u{1b}'), "{out}");
    assert!(out.contains("x^[[2J"));
    // Issue 11.3: a field holding newlines is shown as indented lines, each sanitised (it
    // was `content="a^[]0;t^G\\nb"`).
    assert!(out.contains("content=↓"), "{out}");
    assert!(out.contains("\n        a^[]0;t^G\n        b\n"), "{out}");
}

#[test]
fn raw_and_json_keep_bytes() {
    let entries = sample();
    let raw = render(OutputFormat::Raw, false, &entries);
    assert!(raw.contains(HOSTILE));
    let jsonl = render(OutputFormat::Jsonl, false, &entries);
    let objs: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(objs.len(), 3);
    assert_eq!(objs[2]["line"], HOSTILE);
    assert_eq!(objs[2]["fields"], serde_json::Value::Null);
    assert_eq!(objs[0]["fields"]["agent_id"], "ag-456");
    assert_eq!(objs[0]["fields"]["n"], 3);
    assert_eq!(objs[0]["timestamp"], "2026-11-24T08:01:00.000000000Z");
    assert_eq!(objs[1]["ts_ns"], (T + 1_500_000_000).to_string());
    assert_eq!(objs[0]["labels"]["module"], "agent");
    let json = render(OutputFormat::Json, false, &entries);
    let arr: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(arr, objs);
    let keys: Vec<&String> = arr[0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "timestamp",
            "ts_ns",
            "labels",
            "metadata",
            "parsed",
            "line",
            "fields"
        ]
    );
}

#[test]
fn json_across_batches_and_empty() {
    assert_eq!(render(OutputFormat::Json, false, &[]), "[]\n");
    let entries = sample();
    let mut w = EntryWriter::new(Vec::new(), OutputFormat::Json, false);
    w.write_entries(&entries[..1]).unwrap();
    w.write_entries(&entries[1..]).unwrap();
    let out = String::from_utf8(w.finish().unwrap()).unwrap();
    let arr: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(arr.len(), 3);
}

#[test]
fn quoting() {
    assert_eq!(text::quote_value("plain"), "plain");
    assert_eq!(text::quote_value(""), "\"\"");
    assert_eq!(text::quote_value("a b"), "\"a b\"");
    assert_eq!(text::quote_value("a=\"b\""), "\"a=\\\"b\\\"\"");
}

#[test]
fn thousands_separator() {
    assert_eq!(progress::thousands(0), "0");
    assert_eq!(progress::thousands(999), "999");
    assert_eq!(progress::thousands(1000), "1,000");
    assert_eq!(progress::thousands(1234567), "1,234,567");
}

#[test]
fn json_fields_merged_into_labels_are_not_repeated() {
    let mut stream = labels(&[
        ("app", "vulnsentinel"),
        ("module", "agent"),
        ("level", "info"),
        ("agent_id", "ag-1"),
        ("args_repo", "a/b"),
        ("level_extracted", "info"),
        ("pod", "p1"),
    ]);
    let line = r#"{"event":"tool.call","level":"info","agent_id":"ag-1","args":{"repo":"a/b"}}"#;
    let a = LogEntry::new(T, Arc::new(stream.clone()), line);
    stream.insert("pod".into(), "p2".into());
    let b = LogEntry::new(T + 1, Arc::new(stream), line);
    let out = render(OutputFormat::Text, false, &[a, b]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "# app=vulnsentinel module=agent");
    assert!(
        lines[1].ends_with(r#"agent_id=ag-1 args="{\"repo\":\"a/b\"}" {pod=p1}"#),
        "{out}"
    );
    assert!(!lines[1].contains("args_repo") && !lines[1].contains("level_extracted"));
}

fn render_to(format: OutputFormat, terminal: bool, raw_bytes: bool, e: &[LogEntry]) -> String {
    let mut w = EntryWriter::new(Vec::new(), format, false).with_terminal(terminal, raw_bytes);
    w.write_entries(e).unwrap();
    String::from_utf8(w.finish().unwrap()).unwrap()
}

const TRICKY: &str = "a\u{1b}]2;pwned\u{7}b\u{7f}c\u{9b}d\u{202e}e\u{2028}f\u{200b}g";

#[test]
fn raw_to_a_terminal_is_sanitised_unless_raw_bytes() {
    let es = [entry(T, "app", "info", TRICKY)];
    let tty = render_to(OutputFormat::Raw, true, false, &es);
    assert_eq!(
        tty,
        "a^[]2;pwned^Gb^?c<U+009B>d<U+202E>e<U+2028>f<U+200B>g\n"
    );
    assert_eq!(
        render_to(OutputFormat::Raw, true, true, &es),
        format!("{TRICKY}\n")
    );
    assert_eq!(
        render_to(OutputFormat::Raw, false, false, &es),
        format!("{TRICKY}\n")
    );
}

#[test]
fn json_to_a_terminal_escapes_del_c1_and_bidi_and_stays_the_same_json() {
    let es = [entry(T, "app", "info", TRICKY)];
    for format in [OutputFormat::Json, OutputFormat::Jsonl] {
        let tty = render_to(format, true, false, &es);
        assert!(
            !tty.chars()
                .any(|c| crate::sanitize::is_dangerous(c) && c != '\n'),
            "{tty:?}"
        );
        for esc in [
            "\\u001b", "\\u007f", "\\u009b", "\\u202e", "\\u2028", "\\u200b",
        ] {
            assert!(tty.contains(esc), "{esc} in {tty}");
        }
        let piped = render_to(format, false, false, &es);
        assert!(piped.contains('\u{202e}'));
        let parse = |s: &str| -> serde_json::Value {
            serde_json::from_str(s.trim()).unwrap_or_else(|_| serde_json::Value::Array(vec![]))
        };
        assert_eq!(parse(&tty), parse(&piped));
        assert_ne!(parse(&tty), serde_json::Value::Array(vec![]));
    }
}

#[test]
fn multi_line_entries_and_fields_are_shown_as_indented_lines() {
    // Issue 11.3: a traceback in a JSON field, and a (Loki) entry with embedded newlines.
    let json = r#"{"event":"agent.error","level":"error","logger":"vulnsentinel.agent","agent_id":"ag-1","exception":"Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\nValueError: bad\u001b[31m"}"#;
    let es = [
        entry(T, "agent", "error", json),
        entry(
            T + 1_000_000_000,
            "app",
            "error",
            "boom\nTraceback (most recent call last):\n  File \"b.py\"\nKeyError: 'x'",
        ),
    ];
    let out = render(OutputFormat::Text, false, &es);
    let lines: Vec<&str> = out.lines().collect();
    assert!(!out.contains("\\n"), "{out}");
    assert!(
        lines[1].contains("agent.error") && lines[1].contains("exception=↓"),
        "{out}"
    );
    assert_eq!(lines[2], "    exception:");
    assert_eq!(lines[3], "        Traceback (most recent call last):");
    assert_eq!(lines[4], "          File \"a.py\", line 1, in <module>");
    assert_eq!(lines[5], "        ValueError: bad^[[31m");
    assert!(lines[6].ends_with(" boom"), "{out}");
    assert_eq!(lines[7], "    Traceback (most recent call last):");
    assert_eq!(lines[8], "      File \"b.py\"");
    assert_eq!(lines[9], "    KeyError: 'x'");
    assert_eq!(lines.len(), 10, "{out}");
}

#[test]
fn a_json_record_with_a_joined_traceback_keeps_its_fields_and_shows_the_rest_below() {
    // Issue 11.3: a local file's JSON line with the traceback printed after it, joined.
    let line = "{\"event\":\"job.failed\",\"level\":\"error\",\"job\":7}\nTraceback (most recent call last):\n  File \"a.py\"\nValueError: bad\u{1b}]0;x\u{7}";
    let es = [entry(T, "app", "error", line)];
    let out = render(OutputFormat::Text, false, &es);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[1].contains("job.failed") && lines[1].ends_with("job=7"),
        "{out}"
    );
    assert_eq!(lines[2], "    Traceback (most recent call last):");
    assert_eq!(lines[3], "      File \"a.py\"");
    assert_eq!(lines[4], "    ValueError: bad^[]0;x^G");
    assert_eq!(lines.len(), 5, "{out}");
}

#[test]
fn formats_parse_by_name_in_any_case() {
    for f in OutputFormat::ALL {
        assert_eq!(f.name().parse::<OutputFormat>(), Ok(f));
        assert_eq!(OutputFormat::parse(&f.name().to_uppercase()), Some(f));
    }
    let e = "yaml".parse::<OutputFormat>().unwrap_err();
    assert!(
        e.to_string().contains("text, json, jsonl, raw or csv"),
        "{e}"
    );
}
