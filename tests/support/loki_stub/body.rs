//! Response bodies in Loki's exact wire format.

use std::fmt::Write as _;

use vs_logs::model::{LogEntry, MetricResult, Point};

use super::{StubEntry, StubLabels};

/// A response: status, content type, extra headers and body.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

pub const JSON: &str = "application/json; charset=UTF-8";
pub const TEXT: &str = "text/plain; charset=utf-8";

impl Reply {
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Self {
            status,
            content_type: content_type.to_string(),
            headers: Vec::new(),
            body,
        }
    }

    /// A 200 JSON answer with these exact bytes (a capture from `tests/fixtures/loki-wire`).
    pub fn json_bytes(body: &[u8]) -> Self {
        Self::new(200, JSON, body.to_vec())
    }

    /// The same answer with one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// A Loki error: `text/plain; charset=utf-8`, no trailing newline.
    pub fn text(status: u16, text: &str) -> Self {
        Self::new(status, TEXT, text.as_bytes().to_vec())
    }

    /// A JSON body as Loki writes it: compact, ending in `\n`.
    pub fn json(body: String) -> Self {
        let mut b = body.into_bytes();
        b.push(b'\n');
        Self::new(200, JSON, b)
    }

    /// A `streams` query answer for entries already in result order. With `categorize`, one
    /// result per stream and a 3rd value element; without, metadata and parsed labels are
    /// merged into the stream labels.
    pub fn streams(entries: &[LogEntry], categorize: bool) -> Self {
        let items: Vec<(StubLabels, StubEntry, StubLabels)> = entries
            .iter()
            .map(|e| {
                (
                    (*e.labels).clone(),
                    StubEntry {
                        ts: e.ts,
                        line: e.line.clone(),
                        metadata: e.metadata.clone(),
                    },
                    e.parsed.clone(),
                )
            })
            .collect();
        let refs: Vec<(&StubLabels, &StubEntry, &StubLabels)> =
            items.iter().map(|(l, e, p)| (l, e, p)).collect();
        Self::json(streams_body(&refs, categorize))
    }

    /// A metric answer (`matrix`, `vector` or `scalar`, with Loki's time units).
    pub fn metric(m: &MetricResult) -> Self {
        let mut s = String::from("{\"status\":\"success\",\"data\":{\"resultType\":");
        match m {
            MetricResult::Matrix(series) => {
                s.push_str("\"matrix\",\"result\":[");
                for (i, sr) in series.iter().enumerate() {
                    if i > 0 {
                        s.push(',');
                    }
                    s.push_str("{\"metric\":");
                    labels_json(&mut s, &sr.metric);
                    s.push_str(",\"values\":[");
                    for (j, p) in sr.points.iter().enumerate() {
                        if j > 0 {
                            s.push(',');
                        }
                        seconds_point(&mut s, p);
                    }
                    s.push_str("]}");
                }
                s.push(']');
            }
            MetricResult::Vector(samples) => {
                s.push_str("\"vector\",\"result\":[");
                for (i, sm) in samples.iter().enumerate() {
                    if i > 0 {
                        s.push(',');
                    }
                    s.push_str("{\"metric\":");
                    labels_json(&mut s, &sm.metric);
                    s.push_str(",\"value\":");
                    seconds_point(&mut s, &sm.point);
                    s.push('}');
                }
                s.push(']');
            }
            MetricResult::Scalar(p) => {
                let _ = write!(
                    s,
                    "\"scalar\",\"result\":[{},\"{}\"]",
                    p.t_ms,
                    go_float(p.v)
                );
            }
        }
        s.push_str(",\"stats\":");
        stats_json(&mut s, 0, 0);
        s.push_str("}}");
        Self::json(s)
    }
}

fn seconds_point(s: &mut String, p: &Point) {
    let secs = if p.t_ms % 1000 == 0 {
        (p.t_ms / 1000).to_string()
    } else {
        format!("{}", p.t_ms as f64 / 1000.0)
    };
    let _ = write!(s, "[{secs},\"{}\"]", go_float(p.v));
}

/// Go's `strconv.FormatFloat(v, 'f', -1, 64)` for common values.
pub fn go_float(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v == f64::INFINITY {
        "+Inf".into()
    } else if v == f64::NEG_INFINITY {
        "-Inf".into()
    } else {
        format!("{v}")
    }
}

/// A JSON string as Go's encoder writes it (HTML-unsafe characters escaped).
pub fn json_str(out: &mut String, s: &str) {
    let esc = serde_json::to_string(s).unwrap_or_default();
    if esc.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        for c in esc.chars() {
            match c {
                '<' => out.push_str("\\u003c"),
                '>' => out.push_str("\\u003e"),
                '&' => out.push_str("\\u0026"),
                '\u{2028}' => out.push_str("\\u2028"),
                '\u{2029}' => out.push_str("\\u2029"),
                c => out.push(c),
            }
        }
    } else {
        out.push_str(&esc);
    }
}

pub fn labels_json(out: &mut String, l: &StubLabels) {
    out.push('{');
    for (i, (k, v)) in l.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_str(out, k);
        out.push(':');
        json_str(out, v);
    }
    out.push('}');
}

/// A compact stats block with a real-looking `summary`.
pub fn stats_json(out: &mut String, bytes: u64, lines: u64) {
    let _ = write!(
        out,
        "{{\"summary\":{{\"bytesProcessedPerSecond\":{bytes},\"linesProcessedPerSecond\":{lines},\"totalBytesProcessed\":{bytes},\"totalLinesProcessed\":{lines},\"execTime\":0.001,\"queueTime\":0.0001,\"subqueries\":0,\"totalEntriesReturned\":0,\"splits\":0,\"shards\":0,\"totalPostFilterLines\":{lines},\"totalStructuredMetadataBytesProcessed\":0}},\"querier\":{{\"store\":{{\"totalChunksRef\":0}}}},\"ingester\":{{\"totalReached\":0}},\"cache\":{{}},\"index\":{{\"totalChunks\":0}}}}"
    );
}

/// The body of a `streams` answer. `items` are (stream labels, entry, parsed labels) in
/// result order.
pub fn streams_body(items: &[(&StubLabels, &StubEntry, &StubLabels)], categorize: bool) -> String {
    // Group by result label set, in order of first appearance.
    let mut groups: Vec<(StubLabels, Vec<usize>)> = Vec::new();
    let mut index: std::collections::HashMap<StubLabels, usize> = Default::default();
    for (i, (labels, e, parsed)) in items.iter().enumerate() {
        let key = if categorize {
            (*labels).clone()
        } else {
            let mut all = (*labels).clone();
            all.extend(e.metadata.iter().map(|(k, v)| (k.clone(), v.clone())));
            all.extend(parsed.iter().map(|(k, v)| (k.clone(), v.clone())));
            all
        };
        let g = *index.entry(key.clone()).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(i);
    }
    let bytes: usize = items.iter().map(|(_, e, _)| e.line.len()).sum();
    let mut s = String::with_capacity(bytes + items.len() * 40 + 1024);
    s.push_str("{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",");
    if categorize {
        s.push_str("\"encodingFlags\":[\"categorize-labels\"],");
    }
    s.push_str("\"result\":[");
    for (gi, (labels, idxs)) in groups.iter().enumerate() {
        if gi > 0 {
            s.push(',');
        }
        s.push_str("{\"stream\":");
        labels_json(&mut s, labels);
        s.push_str(",\"values\":[");
        for (j, &i) in idxs.iter().enumerate() {
            let (_, e, parsed) = items[i];
            if j > 0 {
                s.push(',');
            }
            let _ = write!(s, "[\"{}\",", e.ts);
            json_str(&mut s, &e.line);
            if categorize {
                s.push(',');
                categories(&mut s, &e.metadata, parsed);
            }
            s.push(']');
        }
        s.push_str("]}");
    }
    s.push_str("],\"stats\":");
    stats_json(&mut s, bytes as u64, items.len() as u64);
    s.push_str("}}");
    s
}

/// The third element of a categorize-labels value: `{"structuredMetadata":…,"parsed":…}`,
/// either key left out when empty.
fn categories(s: &mut String, metadata: &StubLabels, parsed: &StubLabels) {
    s.push('{');
    if !metadata.is_empty() {
        s.push_str("\"structuredMetadata\":");
        labels_json(s, metadata);
    }
    if !parsed.is_empty() {
        if !metadata.is_empty() {
            s.push(',');
        }
        s.push_str("\"parsed\":");
        labels_json(s, parsed);
    }
    s.push('}');
}

/// One tail frame as Loki writes it: every entry its own element of `streams` (even with
/// identical labels), `encodingFlags` last with categorize-labels. Without the flag, parsed
/// labels (and, when `merge_metadata`, structured metadata) are merged into `stream`.
pub fn tail_frame(
    items: &[(&StubLabels, &StubEntry, &StubLabels)],
    categorize: bool,
    merge_metadata: bool,
) -> String {
    let mut s = String::from("{\"streams\":[");
    for (i, (labels, e, parsed)) in items.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str("{\"stream\":");
        if categorize {
            labels_json(&mut s, labels);
        } else {
            let mut all = (*labels).clone();
            if merge_metadata {
                all.extend(e.metadata.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            all.extend(parsed.iter().map(|(k, v)| (k.clone(), v.clone())));
            labels_json(&mut s, &all);
        }
        let _ = write!(s, ",\"values\":[[\"{}\",", e.ts);
        json_str(&mut s, &e.line);
        if categorize {
            s.push(',');
            categories(&mut s, &e.metadata, parsed);
        }
        s.push_str("]]}");
    }
    s.push(']');
    if categorize {
        s.push_str(",\"encodingFlags\":[\"categorize-labels\"]");
    }
    s.push('}');
    s
}
