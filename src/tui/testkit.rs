//! Fixtures for the TUI's tests and benchmarks: structlog entries, an app with scenes, key
//! messages, and a "query finished" message built the way the loop builds it.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::model::{Labels, LogEntry, QueryStats};
use crate::scenes::{Scene, SceneParam};

use super::app::App;
use super::keys::KeyMap;
use super::msg::{Command, Msg, PageKind, QueryData, QueryDone};
use super::store::Chunk;
use super::update::update;

/// 2026-11-25T10:00:00Z, the fixed "now" of the fixtures.
pub const NOW: i64 = 1_795_600_800_000_000_000;

/// Stream labels as Alloy sets them.
pub fn stream(module: &str, level: &str) -> Arc<Labels> {
    let mut l = Labels::new();
    l.insert("app".into(), "vulnsentinel".into());
    l.insert("container".into(), "vulnsentinel".into());
    l.insert("level".into(), level.into());
    l.insert("module".into(), module.into());
    Arc::new(l)
}

/// A structlog line; `fields` is JSON object text without braces (`"tool":"x"`) or empty.
pub fn entry(ts: i64, module: &str, level: &str, event: &str, fields: &str) -> LogEntry {
    let sep = if fields.is_empty() { "" } else { "," };
    let line = format!(
        r#"{{"event":"{event}","level":"{level}","logger":"vulnsentinel.{module}","timestamp":"{}"{sep}{fields}}}"#,
        chrono::DateTime::from_timestamp_nanos(ts).format("%Y-%m-%dT%H:%M:%S%.6fZ")
    );
    LogEntry::new(ts, stream(module, level), line)
}

/// `n` varied lines, one every `step_ns`, the last at `end_ns` (every 7th is an error).
pub fn lines(n: usize, end_ns: i64, step_ns: i64) -> Vec<LogEntry> {
    (0..n)
        .map(|i| {
            let ts = end_ns - (n - 1 - i) as i64 * step_ns;
            match i % 7 {
                0 => entry(ts, "agent", "error", "agent.failed", &format!(r#""agent_type":"event_classifier","agent_id":"ag-{i}","target_id":"evt-{i}","error":"boom {i}""#)),
                1 => entry(ts, "agent", "info", "tool.call", &format!(r#""agent_type":"vuln_analyzer","agent_id":"ag-{i}","target_id":"evt-7","tool":"fetch_commit_diff","args":{{"repo":"a/b"}},"duration_ms":{i}"#)),
                2 => entry(ts, "api", "info", "request.end", &format!(r#""request_id":"req-{i}","method":"POST","path":"/v1/events","status":201,"duration_ms":12"#)),
                3 => entry(ts, "engine", "warning", "engine.github.rate_limit", r#""repo":"torvalds/linux","error":"rate limit exceeded""#),
                4 => entry(ts, "agent", "debug", "agent.message", &format!(r#""agent_id":"ag-{i}","role":"assistant","content":"thinking about line {i}""#)),
                5 => entry(ts, "db", "warning", "db.slow_query", r#""duration_ms":812,"query":"SELECT * FROM events""#),
                _ => entry(ts, "agent", "info", "llm.response", &format!(r#""agent_id":"ag-{i}","stop_reason":"tool_use","input_tokens":1600,"output_tokens":{i}"#)),
            }
        })
        .collect()
}

/// The built-in-like scenes the tests use.
pub fn scenes() -> Vec<Scene> {
    vec![
        Scene {
            name: "errors".into(),
            title: "all errors".into(),
            description: "every error line".into(),
            query: r#"{app="{{app}}"} | json | level="error""#.into(),
            since: "12h".into(),
            params: Vec::new(),
        },
        Scene {
            name: "replay".into(),
            title: "one agent's run".into(),
            description: "every line of one agent".into(),
            query: r#"{app="{{app}}", module="agent"} | json | agent_id="{{agent_id}}""#.into(),
            since: "7d".into(),
            params: vec![SceneParam {
                name: "agent_id".into(),
                description: "agent instance id".into(),
                default: None,
            }],
        },
    ]
}

/// An app on a `width`×`height` screen at `NOW`.
pub fn app(width: u16, height: u16) -> App {
    let mut a = App::new("vulnsentinel", scenes(), KeyMap::default(), NOW);
    a.backend_name = "http://localhost:3100".into();
    a.size.width = width;
    a.size.height = height;
    a
}

pub fn key(c: char) -> Msg {
    let m = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    Msg::Key(KeyEvent::new(KeyCode::Char(c), m))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub fn code(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

/// What the loop sends when a log query returns `entries`.
pub fn finished(generation: u64, page: PageKind, entries: Vec<LogEntry>) -> Msg {
    let returned = entries.len();
    let bytes: usize = entries.iter().map(|e| e.line.len()).sum();
    Msg::QueryFinished {
        generation,
        page,
        result: Ok(Box::new(QueryDone {
            data: QueryData::Lines {
                chunk: Chunk::build(entries),
                returned,
            },
            stats: QueryStats {
                bytes_processed: bytes as u64,
                lines_processed: returned as u64,
                exec_time_s: 0.012,
            },
            elapsed_ms: 12,
        })),
    }
}

/// Types `q` into the editor, runs it, and answers with `entries`; returns the commands the
/// run produced.
pub fn load(app: &mut App, q: &str, entries: Vec<LogEntry>) -> Vec<Command> {
    app.editor.input.set(q);
    let cmds = super::update::run_query(app, q.to_string());
    let g = app.status.generation;
    update(app, finished(g, PageKind::First, entries));
    cmds
}
