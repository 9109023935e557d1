//! Loki's wire format as the stub writes it: tail frames, `query_range` bodies, request
//! parsing, and the scripted test lines.

use std::sync::Arc;

use serde_json::{Value, json};
use vs_logs::model::{Labels, LogEntry};

/// Decodes a query-string component (`%XX`, `+`).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(v) => {
                        out.push(v);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(super) fn parse_target(target: &str) -> (String, Vec<(String, String)>) {
    let (path, q) = target.split_once('?').unwrap_or((target, ""));
    let params = q
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect();
    (path.to_string(), params)
}

/// Loki's label-set view of an entry without categorize-labels (everything merged).
pub(super) fn merged(e: &LogEntry) -> Labels {
    e.all_labels()
}

/// One tail frame exactly as Loki writes it: one stream object per entry.
pub fn tail_frame(entries: &[LogEntry], categorize: bool) -> String {
    let streams: Vec<Value> = entries
        .iter()
        .map(|e| {
            if categorize {
                let mut third = serde_json::Map::new();
                if !e.metadata.is_empty() {
                    third.insert("structuredMetadata".into(), json!(e.metadata));
                }
                if !e.parsed.is_empty() {
                    third.insert("parsed".into(), json!(e.parsed));
                }
                json!({"stream": *e.labels, "values": [[e.ts.to_string(), e.line, third]]})
            } else {
                json!({"stream": merged(e), "values": [[e.ts.to_string(), e.line]]})
            }
        })
        .collect();
    let mut v = json!({ "streams": streams });
    if categorize {
        v["encodingFlags"] = json!(["categorize-labels"]);
    }
    v.to_string()
}

/// A `query_range` streams body, grouped by label set like Loki.
pub(super) fn query_range_body(entries: &[LogEntry], forward: bool, categorize: bool) -> String {
    let mut groups: Vec<(Labels, Vec<Value>)> = Vec::new();
    for e in entries {
        let key = if categorize {
            (*e.labels).clone()
        } else {
            merged(e)
        };
        let value = if categorize {
            let mut third = serde_json::Map::new();
            if !e.metadata.is_empty() {
                third.insert("structuredMetadata".into(), json!(e.metadata));
            }
            if !e.parsed.is_empty() {
                third.insert("parsed".into(), json!(e.parsed));
            }
            json!([e.ts.to_string(), e.line, third])
        } else {
            json!([e.ts.to_string(), e.line])
        };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(value),
            None => groups.push((key, vec![value])),
        }
    }
    let result: Vec<Value> = groups
        .into_iter()
        .map(|(k, mut v)| {
            if !forward {
                v.reverse();
            }
            json!({"stream": k, "values": v})
        })
        .collect();
    let mut data = json!({
        "resultType": "streams",
        "result": result,
        "stats": {"summary": {"bytesProcessedPerSecond": 0, "linesProcessedPerSecond": 0,
            "totalBytesProcessed": 0, "totalLinesProcessed": entries.len(), "execTime": 0.001,
            "queueTime": 0, "subqueries": 0, "totalEntriesReturned": entries.len(),
            "splits": 0, "shards": 0, "totalPostFilterLines": entries.len(),
            "totalStructuredMetadataBytesProcessed": 0}}
    });
    if categorize {
        data["encodingFlags"] = json!(["categorize-labels"]);
    }
    format!("{}\n", json!({"status": "success", "data": data}))
}

pub(super) fn head_parts(head: &str) -> (String, Vec<(String, String)>) {
    let mut lines = head.split("\r\n");
    let target = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("/")
        .to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    (target, headers)
}

/// Test lines: groups of `per_ts` entries sharing one timestamp on different streams
/// (`app="t"`, `module` = s0, s1, ...). With `same_text`, the entries of a group also share
/// their text (`line-<group>`), so only the stream tells them apart; else `line-<n>`.
pub fn lines(n: usize, per_ts: usize, same_text: bool) -> Vec<LogEntry> {
    let base: i64 = 1_795_594_000_000_000_000;
    (0..n)
        .map(|i| {
            let mut l = Labels::new();
            l.insert("app".into(), "t".into());
            l.insert("module".into(), format!("s{}", i % per_ts.max(1)));
            let ts = base + (i / per_ts.max(1)) as i64 * 1_000_000;
            let text = if same_text { i / per_ts.max(1) } else { i };
            LogEntry::new(ts, Arc::new(l), format!("line-{text}"))
        })
        .collect()
}
