use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;
use crate::source::metric_scan::{collect_entries, default_step_ms};

/// A stand-in for a compiled query: a substring line filter and a `module` matcher.
struct Fake {
    needle: &'static str,
    module: Option<&'static str>,
    processed: AtomicUsize,
}

impl Fake {
    fn new(needle: &'static str, module: Option<&'static str>) -> Self {
        Self {
            needle,
            module,
            processed: AtomicUsize::new(0),
        }
    }
}

impl LogPipeline for Fake {
    fn prefilter(&self, line: &str) -> bool {
        line.contains(self.needle)
    }
    fn matches_stream(&self, labels: &Labels) -> bool {
        self.module
            .is_none_or(|m| labels.get("module").map(String::as_str) == Some(m))
    }
    fn process(&self, entry: &LogEntry) -> Option<LogEntry> {
        self.processed.fetch_add(1, Ordering::Relaxed);
        Some(entry.clone())
    }
}

const S: i64 = 1_000_000_000;
/// 2026-11-25T00:00:00Z.
const T0: i64 = 1_795_564_800 * S;

fn json_line(sec: i64, module: &str, msg: &str) -> String {
    let ts = chrono::DateTime::from_timestamp(T0 / S + sec, 0)
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    format!(
        r#"{{"event":"{msg}","timestamp":"{ts}","level":"info","logger":"vulnsentinel.{module}"}}"#
    )
}

fn mem(lines: &[String]) -> Vec<(Data, i64)> {
    let mut text = lines.join("\n");
    text.push('\n');
    vec![(
        Data::Memory {
            name: "t".into(),
            bytes: Arc::new(text.into_bytes()),
        },
        T0 - 1000 * S,
    )]
}

fn bounds(start: i64, end: i64, limit: usize, direction: Direction) -> LogBounds {
    LogBounds {
        start_ns: start,
        end_ns: end,
        limit,
        direction,
    }
}

fn secs(entries: &[LogEntry]) -> Vec<i64> {
    entries.iter().map(|e| (e.ts - T0) / S).collect()
}

fn run(data: &[(Data, i64)], q: &Fake, b: LogBounds) -> Vec<LogEntry> {
    run_log(data, q, "vulnsentinel", b, &|_| {}).unwrap().0
}

#[test]
fn limit_and_direction_select_and_order() {
    // Out of order in the file on purpose.
    let lines: Vec<String> = [5, 1, 9, 3, 7, 2]
        .iter()
        .map(|&s| json_line(s, "api", "x"))
        .collect();
    let data = mem(&lines);
    let q = Fake::new("", None);
    let all = bounds(T0, T0 + 100 * S, 3, Direction::Forward);
    assert_eq!(secs(&run(&data, &q, all)), vec![1, 2, 3]);
    let back = bounds(T0, T0 + 100 * S, 2, Direction::Backward);
    assert_eq!(secs(&run(&data, &q, back)), vec![9, 7]);
    let unlimited = bounds(T0, T0 + 100 * S, 0, Direction::Backward);
    assert_eq!(secs(&run(&data, &q, unlimited)), vec![9, 7, 5, 3, 2, 1]);
}

#[test]
fn start_inclusive_end_exclusive() {
    let lines: Vec<String> = (0..10).map(|s| json_line(s, "api", "x")).collect();
    let q = Fake::new("", None);
    let got = run(
        &mem(&lines),
        &q,
        bounds(T0 + 2 * S, T0 + 5 * S, 0, Direction::Forward),
    );
    assert_eq!(secs(&got), vec![2, 3, 4]);
}

#[test]
fn entries_carry_derived_labels_and_detected_level() {
    let lines = vec![json_line(1, "db", "slow"), json_line(2, "api", "req")];
    let q = Fake::new("", Some("db"));
    let got = run(
        &mem(&lines),
        &q,
        bounds(T0, T0 + 10 * S, 0, Direction::Forward),
    );
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].labels["module"], "db");
    assert_eq!(got[0].labels["service_name"], "vulnsentinel");
    assert_eq!(got[0].metadata["detected_level"], "info");
    assert_eq!(got[0].line, lines[0]);
}

#[test]
fn line_filter_runs_before_the_pipeline() {
    let lines: Vec<String> = (0..100)
        .map(|s| json_line(s, "engine", if s % 10 == 0 { "rate limit" } else { "scan" }))
        .collect();
    let q = Fake::new("rate limit", None);
    let got = run(
        &mem(&lines),
        &q,
        bounds(T0, T0 + 1000 * S, 0, Direction::Forward),
    );
    assert_eq!(got.len(), 10);
    assert_eq!(q.processed.load(Ordering::Relaxed), 10);
}

#[test]
fn untimed_lines_follow_their_stamped_line_even_across_blocks() {
    // Enough lines for several 4 MB blocks; every 7th stamped line is followed by two lines
    // with no timestamp that begin records of their own (a level word; a traceback would
    // join the line before it instead: issue 11.3, `multiline_tests`).
    let mut lines = Vec::new();
    let pad = "p".repeat(200);
    for s in 0..40_000i64 {
        lines.push(json_line(s, "app", &pad));
        if s % 7 == 0 {
            lines.push("INFO: retrying".to_string());
            lines.push(format!("ERROR: bad {s}"));
        }
    }
    let data = mem(&lines);
    let q = Fake::new("ERROR: bad", None);
    let got = run(
        &data,
        &q,
        bounds(T0, T0 + 100_000 * S, 0, Direction::Forward),
    );
    assert_eq!(got.len(), 40_000usize.div_ceil(7));
    for e in &got {
        let s: i64 = e.line.trim_start_matches("ERROR: bad ").parse().unwrap();
        // Two lines after the stamped line: its time + 2 ns.
        assert_eq!(e.ts, T0 + s * S + 2, "{}", e.line);
        assert_eq!(e.labels["level"], "error");
    }
    // Time bounds apply to them too.
    let few = run(
        &data,
        &q,
        bounds(T0 + 700 * S, T0 + 707 * S, 0, Direction::Forward),
    );
    assert_eq!(few.len(), 1);
}

#[test]
fn untimed_lines_before_any_stamp_use_the_base_time() {
    let lines = vec!["no time here".to_string(), json_line(5, "api", "x")];
    let data = mem(&lines);
    let q = Fake::new("no time", None);
    let got = run(&data, &q, bounds(0, i64::MAX, 0, Direction::Forward));
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].ts, T0 - 1000 * S + 1);
}

#[test]
fn metric_collection_is_bounded_inclusive_and_sorted() {
    let lines: Vec<String> = [4, 0, 8, 2, 6, 10]
        .iter()
        .map(|&s| json_line(s, "api", "x"))
        .collect();
    let keep = |l: &Labels, _: &str| l["module"] == "api";
    let (got, counts) = collect_entries(
        &mem(&lines),
        &keep,
        "vulnsentinel",
        T0 + 2 * S,
        T0 + 8 * S,
        &|_| {},
    )
    .unwrap();
    assert_eq!(secs(&got), vec![2, 4, 6, 8]);
    assert_eq!(counts.lines, 6);
}

#[test]
fn default_step_is_range_over_250_at_least_a_second() {
    assert_eq!(default_step_ms(0, 3600 * S), 14_000);
    assert_eq!(default_step_ms(0, 10 * S), 1000);
    assert_eq!(default_step_ms(0, 86_400 * S), 345_000);
}

#[test]
fn untimed_lines_are_kept_and_processed_only_up_to_the_limit() {
    // Issue 12.3: 200,000 untimed lines (no stamp anywhere) with a limit of 5: the right 5
    // come out, and only a handful go through the pipeline (each one became an entry held in
    // memory before: 100 MB of `{}` took 6 GB).
    let lines: Vec<String> = (0..200_000).map(|i| format!("{{\"n\":{i}}}")).collect();
    let data = mem(&lines);
    let q = Fake::new("", None);
    let got = run(&data, &q, bounds(i64::MIN, i64::MAX, 5, Direction::Forward));
    let text: Vec<&str> = got.iter().map(|e| e.line.as_str()).collect();
    assert_eq!(
        text,
        lines[..5].iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert!(
        q.processed.load(Ordering::Relaxed) <= 10,
        "{:?}",
        q.processed
    );
    let q = Fake::new("", None);
    let got = run(
        &data,
        &q,
        bounds(i64::MIN, i64::MAX, 5, Direction::Backward),
    );
    assert_eq!(got[0].line, lines[199_999]);
    assert_eq!(got[4].line, lines[199_995]);
    // A range that starts in the middle of the untimed run.
    let base = T0 - 1000 * S;
    let q = Fake::new("", None);
    let got = run(
        &data,
        &q,
        bounds(base + 1001, i64::MAX, 2, Direction::Forward),
    );
    assert_eq!(got[0].line, lines[1000]);
    assert_eq!(got[1].line, lines[1001]);
}

#[test]
fn metric_collection_turns_only_untimed_lines_in_the_window_into_entries() {
    // Issue 12.3: every untimed line (no stamp anywhere) became an entry whatever the window;
    // now only the ones the window holds are tested and kept.
    let lines: Vec<String> = (0..200_000).map(|i| format!("{{\"n\":{i}}}")).collect();
    let data = mem(&lines);
    let kept = AtomicUsize::new(0);
    let keep = |_: &Labels, _: &str| {
        kept.fetch_add(1, Ordering::Relaxed);
        true
    };
    // Untimed line i (0-based) is at base + i + 1 ns.
    let base = T0 - 1000 * S;
    let (got, counts) = collect_entries(
        &data,
        &keep,
        "vulnsentinel",
        base + 1001,
        base + 1010,
        &|_| {},
    )
    .unwrap();
    let text: Vec<&str> = got.iter().map(|e| e.line.as_str()).collect();
    assert_eq!(
        text,
        lines[1000..1010]
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );
    assert_eq!(got[0].ts, base + 1001);
    assert_eq!(counts.lines, 200_000);
    assert_eq!(kept.load(Ordering::Relaxed), 10);
    // A stamped line later on: the untimed lines after it follow its time, and lines before
    // it still come from the base.
    let mut mixed = lines[..5].to_vec();
    mixed.push(json_line(10, "api", "x"));
    mixed.extend(lines[5..8].iter().cloned());
    let all = |_: &Labels, _: &str| true;
    let (got, _) = collect_entries(
        &mem(&mixed),
        &all,
        "vulnsentinel",
        base,
        T0 + 11 * S,
        &|_| {},
    )
    .unwrap();
    assert_eq!(got.len(), 9);
    assert_eq!(got[5].ts, T0 + 10 * S);
    assert_eq!(got[8].ts, T0 + 10 * S + 3);
}
