//! Multi-line records through the whole local source (issue 11.3): joined across the blocks
//! the parallel scan splits an input into, from memory and from a file alike.

use std::io::Write;

use super::reader::BLOCK;
use super::*;
use crate::model::{Direction, QueryOutput, QueryRange};

const TRACE: &str = "Traceback (most recent call last):\n  File \"/app/job.py\", line 3, in run\n    raise ValueError(\"bad\")\nValueError: bad";

fn all(query: &str) -> QueryRange {
    QueryRange {
        query: query.into(),
        start_ns: 0,
        end_ns: i64::MAX,
        limit: 0,
        direction: Direction::Forward,
        step_ms: None,
        instant: false,
    }
}

fn lines_of(src: &LocalSource, query: &str) -> Vec<String> {
    let (out, _) = src.query(&all(query), &|_| {}).unwrap();
    let QueryOutput::Streams(entries) = out else {
        panic!("not a log result")
    };
    entries.into_iter().map(|e| e.line).collect()
}

/// Console lines past the first block's end, with the error line and its traceback placed so
/// that the natural block end (the first newline after `BLOCK` bytes) falls inside the
/// traceback.
fn straddling_input() -> (Vec<u8>, usize) {
    let mut s = String::new();
    let mut i = 0;
    while s.len() < BLOCK - 60 {
        s.push_str(&format!(
            "2026-11-25T00:00:{:02}Z [info] tick  n={i}\n",
            i % 60
        ));
        i += 1;
    }
    s.push_str("2026-11-25T01:00:00Z [error] job.failed  job=7\n");
    s.push_str(TRACE);
    s.push('\n');
    assert!(s.len() > BLOCK, "the traceback must cross the block end");
    let n = i + 1;
    for j in 0..1000 {
        s.push_str(&format!("2026-11-25T02:00:00Z [info] after  n={j}\n"));
    }
    (s.into_bytes(), n + 1000)
}

#[test]
fn a_traceback_across_a_block_boundary_is_one_record() {
    let (bytes, records) = straddling_input();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.log");
    std::fs::File::create(&path)
        .unwrap()
        .write_all(&bytes)
        .unwrap();
    let memory = LocalSource::from_bytes("mem", bytes, "vulnsentinel");
    let file = LocalSource::open(vec![LocalInput::File(path)]).unwrap();
    let want = format!("2026-11-25T01:00:00Z [error] job.failed  job=7\n{TRACE}");
    for (name, src) in [("memory", &memory), ("file", &file)] {
        // Every record, read line by line...
        let every = lines_of(src, r#"{app="vulnsentinel"}"#);
        assert_eq!(every.len(), records, "{name}");
        assert!(every.contains(&want), "{name}");
        assert!(!every.iter().any(|l| l.starts_with("ValueError")), "{name}");
        // ... and found through the literal search, from a line inside the record.
        assert_eq!(
            lines_of(src, r#"{app="vulnsentinel"} |= "ValueError: bad""#),
            vec![want.clone()],
            "{name}"
        );
        // The error's level comes from its first line; the traceback adds no stream.
        assert_eq!(
            lines_of(src, r#"{app="vulnsentinel", level="error"}"#),
            vec![want.clone()],
            "{name}"
        );
        let levels = src.label_values("level", 0, i64::MAX, None).unwrap();
        assert_eq!(
            levels,
            vec!["error".to_string(), "info".to_string()],
            "{name}"
        );
    }
}

#[test]
fn untimed_records_keep_file_order_and_count_in_metrics() {
    // Two untimed starts (a level line, a JSON line without a timestamp) and a joined
    // traceback: three records, in file order, each once in a count.
    let text = format!(
        "INFO: Started server process [1]\n\
         2026-11-25T00:00:01Z [error] job.failed\n{TRACE}\n\
         {{\"event\":\"worker.ready\"}}\n"
    );
    let src = LocalSource::from_bytes("t", text.into_bytes(), "vulnsentinel");
    let got = lines_of(&src, r#"{app="vulnsentinel"}"#);
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0], "INFO: Started server process [1]");
    assert!(got[1].ends_with("ValueError: bad"), "{got:?}");
    assert_eq!(got[2], r#"{"event":"worker.ready"}"#);
    let mut req = all(r#"sum(count_over_time({app="vulnsentinel"} |= "ValueError" [1h]))"#);
    req.start_ns = 1_795_566_600_000_000_000; // 00:30
    req.end_ns = req.start_ns;
    req.instant = true;
    let (out, _) = src.query(&req, &|_| {}).unwrap();
    let QueryOutput::Metric(crate::model::MetricResult::Vector(v)) = out else {
        panic!("not a vector: {out:?}")
    };
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].point.v, 1.0);
}
