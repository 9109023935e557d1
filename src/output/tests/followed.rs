//! Followed output (`tail`, `-f`): batches written one after another with no header, every
//! line with its own labels. The bytes are pinned by a snapshot taken before the per-line work
//! was cut (cached clock, no key sets, borrowed JSON), so speed-ups cannot change them.

use std::sync::Arc;

use super::super::*;
use crate::model::Labels;

// 2026-11-24T08:01:00Z
const T: i64 = 1_795_507_260_000_000_000;

fn followed() -> Vec<LogEntry> {
    let modules = ["api", "agent", "engine", "db"];
    let mut out = Vec::new();
    for i in 0..40usize {
        let module = modules[i % modules.len()];
        let mut l = Labels::new();
        l.insert("app".into(), "vulnsentinel".into());
        l.insert("container".into(), "vulnsentinel".into());
        l.insert(
            "level".into(),
            if i % 7 == 0 { "ERROR" } else { "info" }.into(),
        );
        l.insert("module".into(), module.into());
        l.insert("service_name".into(), "vulnsentinel".into());
        if i % 5 == 0 {
            // Merged in by `| json`: already a field of the line, not shown again.
            l.insert("args_sha".into(), format!("abc{i:06}"));
            l.insert("tool_extracted".into(), "fetch_commit_diff".into());
        }
        if i % 9 == 0 {
            l.insert("pod".into(), "vs-7f9 \u{1b}[2J".into());
        }
        let line = match i % 6 {
            4 => format!("plain line {i}\twith a tab\nand a second line \u{202e}"),
            5 => format!(
                r#"{{"event":"agent.error","level":"error","logger":"vulnsentinel.{module}","exception":"Traceback:\n  line 1\n  boom {i}","quote":"a \"b\" = c","n":{i}.5,"ok":true,"none":null,"list":[1,"x"]}}"#
            ),
            _ => format!(
                r#"{{"event":"tool.call","seq":{i},"tool":"fetch_commit_diff","args":{{"sha":"abc{i:06}"}},"agent_type":"event_classifier","agent_id":"ag-{}","target_id":"evt-{}","timestamp":"2026-11-25T08:06:48.000000Z","level":"info","logger":"vulnsentinel.{module}","msg":"é 漏洞 ok"}}"#,
                i / 4,
                i / 3
            ),
        };
        // Bursts inside a millisecond, then steps across seconds and a minute.
        let ts = T
            + (i / 3) as i64 * 1_000
            + (i / 10) as i64 * 1_700_000_000
            + (i % 4) as i64 * 250_000_000;
        let mut e = LogEntry::new(ts, Arc::new(l), line);
        e.metadata.insert("detected_level".into(), "info".into());
        if i % 8 == 0 {
            e.metadata.insert("trace_id".into(), format!("t-{i}"));
        }
        out.push(e);
    }
    out
}

fn follow(format: OutputFormat, color: bool, utc: bool, terminal: bool) -> String {
    let mut w = EntryWriter::new(Vec::new(), format, color)
        .with_utc(utc)
        .with_header(TextHeader::Off)
        .with_terminal(terminal, false);
    for batch in followed().chunks(7) {
        w.write_entries(batch).unwrap();
    }
    String::from_utf8(w.finish().unwrap()).unwrap()
}

#[test]
fn followed_text_and_jsonl_bytes_are_pinned() {
    let mut all = String::new();
    for (name, format, color, utc, terminal) in [
        ("text", OutputFormat::Text, false, true, false),
        ("text color", OutputFormat::Text, true, true, true),
        ("text local", OutputFormat::Text, false, false, false),
        ("jsonl", OutputFormat::Jsonl, false, true, false),
        ("jsonl terminal", OutputFormat::Jsonl, false, true, true),
    ] {
        all.push_str(&format!("=== {name}\n"));
        all.push_str(&follow(format, color, utc, terminal));
    }
    insta::assert_snapshot!(all);
}

#[test]
fn local_times_are_the_display_times() {
    // The local-time variant must agree with the one-off formatter whatever the zone.
    let out = follow(OutputFormat::Text, false, false, false);
    let first = out.lines().next().unwrap();
    assert!(first.starts_with(&crate::timespec::format_display(followed()[0].ts, false)));
}

#[test]
fn jsonl_written_from_the_entry_is_entry_json() {
    let lines = [
        r#"{"a":1,"a":{"b":2},"n":1e3,"f":1.50,"big":18446744073709551616,"u":"\u00e9\/\u001b"}"#,
        r#"{"broken":"#,
        "[1,2]",
        "plain \u{1b}[31m text",
        r#"  {"x":null}"#,
    ];
    for (i, line) in lines.iter().enumerate() {
        let mut e = followed().swap_remove(i);
        e.line = (*line).to_string();
        e.parsed.insert("p".into(), "q\"".into());
        let direct = serde_json::to_string(&super::super::json::EntryJson::of(&e)).unwrap();
        assert_eq!(direct, entry_json(&e).to_string(), "{line}");
    }
}
