//! Decoding one text frame of Loki's tail websocket into entries.
//!
//! A frame is `{"streams":[{"stream":{..},"values":[["<ns>","<line>"(,{..})?],..]}],
//! "dropped_entries":[..]?, "encodingFlags":[..]?}`. Loki usually puts every entry in its own
//! stream object, so identical label sets are shared (`Arc`) between consecutive objects.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use serde::Deserialize;
use serde::de::{self, IgnoredAny, SeqAccess, Visitor};

use crate::model::{Labels, LogEntry};

/// What Loki reported as dropped in one frame (`dropped_entries`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DroppedSpan {
    pub count: usize,
    pub from_ns: i64,
    pub to_ns: i64,
}

/// One decoded frame: entries in frame order, and what Loki dropped, if anything.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TailFrame {
    pub entries: Vec<LogEntry>,
    pub dropped: Option<DroppedSpan>,
}

/// A frame that is not what Loki sends.
#[derive(Debug, thiserror::Error)]
#[error("Loki sent a tail frame vs-logs cannot read: {0}")]
pub struct FrameError(String);

#[derive(Deserialize)]
struct RawFrame<'a> {
    #[serde(default, borrow)]
    streams: Vec<RawStream<'a>>,
    #[serde(default)]
    dropped_entries: Option<Vec<RawDropped>>,
}

/// A label object as it comes (Loki writes keys sorted), without building a map.
#[derive(Default)]
struct RawLabels<'a>(Vec<(Cow<'a, str>, Cow<'a, str>)>);

impl<'de: 'a, 'a> Deserialize<'de> for RawLabels<'a> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = RawLabels<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of label names to values")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(kv) = map.next_entry::<Cow<'de, str>, Cow<'de, str>>()? {
                    v.push(kv);
                }
                Ok(RawLabels(v))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

#[derive(Deserialize)]
struct RawStream<'a> {
    #[serde(default, borrow)]
    stream: RawLabels<'a>,
    #[serde(default, borrow)]
    values: Vec<RawValue<'a>>,
}

#[derive(Deserialize, Default)]
struct Categories {
    #[serde(default, rename = "structuredMetadata")]
    structured_metadata: Labels,
    #[serde(default)]
    parsed: Labels,
}

/// `["<ns>", "<line>"]` or `["<ns>", "<line>", {"structuredMetadata":{..},"parsed":{..}}]`.
struct RawValue<'a> {
    ts: i64,
    line: Cow<'a, str>,
    categories: Option<Categories>,
}

impl<'de: 'a, 'a> Deserialize<'de> for RawValue<'a> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = RawValue<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a [timestamp, line] or [timestamp, line, labels] array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let ts: Cow<'de, str> = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let ts = ts
                    .parse::<i64>()
                    .map_err(|_| de::Error::custom(format!("timestamp {ts:?} is not ns")))?;
                let line: Cow<'de, str> = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(1, &self))?;
                let categories: Option<Categories> = seq.next_element()?;
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(RawValue {
                    ts,
                    line,
                    categories,
                })
            }
        }
        d.deserialize_seq(V(std::marker::PhantomData))
    }
}

#[derive(Deserialize)]
struct RawDropped {
    #[serde(default)]
    timestamp: serde_json::Value,
}

/// A timestamp in whatever form Loki used: ns as a string or number, or RFC 3339.
fn dropped_ts(v: &serde_json::Value) -> Option<i64> {
    match v {
        serde_json::Value::String(s) => s.parse::<i64>().ok().or_else(|| {
            chrono::DateTime::parse_from_rfc3339(s)
                .ok()
                .and_then(|t| t.timestamp_nanos_opt())
        }),
        serde_json::Value::Number(n) => n.as_i64(),
        _ => None,
    }
}

/// Decodes one text frame.
pub fn decode_frame(text: &str) -> Result<TailFrame, FrameError> {
    let raw: RawFrame = serde_json::from_str(text).map_err(|e| FrameError(e.to_string()))?;
    let total: usize = raw.streams.iter().map(|s| s.values.len()).sum();
    let mut entries = Vec::with_capacity(total);
    let mut last: Option<Arc<Labels>> = None;
    for s in raw.streams {
        let same = last.as_ref().is_some_and(|l| {
            l.len() == s.stream.0.len()
                && l.iter()
                    .zip(s.stream.0.iter())
                    .all(|((a, b), (c, d))| a == c && b == d)
        });
        let labels = match (&last, same) {
            (Some(l), true) => Arc::clone(l),
            _ => {
                let l: Labels = s
                    .stream
                    .0
                    .into_iter()
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
                let l = Arc::new(l);
                last = Some(Arc::clone(&l));
                l
            }
        };
        for v in s.values {
            let mut e = LogEntry::new(v.ts, Arc::clone(&labels), v.line.into_owned());
            if let Some(c) = v.categories {
                e.metadata = c.structured_metadata;
                e.parsed = c.parsed;
            }
            entries.push(e);
        }
    }
    let dropped = raw.dropped_entries.filter(|d| !d.is_empty()).map(|d| {
        let ts: Vec<i64> = d.iter().filter_map(|x| dropped_ts(&x.timestamp)).collect();
        DroppedSpan {
            count: d.len(),
            from_ns: ts.iter().copied().min().unwrap_or(0),
            to_ns: ts.iter().copied().max().unwrap_or(0),
        }
    });
    Ok(TailFrame { entries, dropped })
}

/// Encodes entries as one Loki tail frame (one stream object per entry, as Loki does), with the
/// `categorize-labels` third element when an entry has metadata or parsed labels. Used by tests,
/// stubs and benchmarks.
pub fn encode_frame(entries: &[LogEntry], categorize: bool) -> String {
    let streams: Vec<serde_json::Value> = entries
        .iter()
        .map(|e| {
            let (stream, value) = if categorize {
                let mut cat = serde_json::Map::new();
                if !e.metadata.is_empty() {
                    cat.insert("structuredMetadata".into(), serde_json::json!(e.metadata));
                }
                if !e.parsed.is_empty() {
                    cat.insert("parsed".into(), serde_json::json!(e.parsed));
                }
                let v = if cat.is_empty() {
                    serde_json::json!([e.ts.to_string(), e.line])
                } else {
                    serde_json::json!([e.ts.to_string(), e.line, cat])
                };
                (serde_json::json!(*e.labels), v)
            } else {
                (
                    serde_json::json!(e.all_labels()),
                    serde_json::json!([e.ts.to_string(), e.line]),
                )
            };
            serde_json::json!({"stream": stream, "values": [value]})
        })
        .collect();
    let mut frame = serde_json::json!({ "streams": streams });
    if categorize {
        frame["encodingFlags"] = serde_json::json!(["categorize-labels"]);
    }
    frame.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture_frames(name: &str) -> Vec<String> {
        let path = format!(
            "{}/tests/fixtures/loki-wire/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(path).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["type"] == "frame")
            .map(|e| e["data"].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn history_frame_has_entries_oldest_first_with_shared_labels() {
        let frames = fixture_frames("60-tail-history-limit5.json");
        let f = decode_frame(&frames[0]).unwrap();
        assert_eq!(f.entries.len(), 5);
        assert!(f.entries.windows(2).all(|w| w[0].ts <= w[1].ts));
        assert_eq!(f.entries[0].ts, 1_795_593_053_164_764_250);
        assert!(f.entries[0].line.contains("evt-52509"));
        assert_eq!(f.entries[0].label("module"), Some("api"));
        // Identical label sets in consecutive stream objects share one allocation.
        assert!(Arc::ptr_eq(&f.entries[0].labels, &f.entries[1].labels));
        assert_eq!(f.dropped, None);
    }

    #[test]
    fn categorize_labels_fill_metadata_and_parsed() {
        let frames = fixture_frames("62-tail-json-categorize-labels.json");
        let f = decode_frame(&frames[0]).unwrap();
        let e = &f.entries[0];
        assert_eq!(e.labels.get("trace_id"), None);
        assert_eq!(
            e.metadata.get("trace_id").map(String::as_str),
            Some("0af7651916cd43dd8448eb211c80319c")
        );
        assert_eq!(
            e.parsed.get("event").map(String::as_str),
            Some("llm.response")
        );
        assert_eq!(e.label("level_extracted"), Some("info"));
    }

    #[test]
    fn plain_frame_merges_everything_into_stream_labels() {
        let frames = fixture_frames("62b-tail-json-plain.json");
        let f = decode_frame(&frames[0]).unwrap();
        let e = &f.entries[0];
        assert_eq!(e.labels.get("trace_id").map(String::as_str), Some("1111"));
        assert!(e.metadata.is_empty() && e.parsed.is_empty());
    }

    #[test]
    fn burst_frames_hold_at_most_100_entries_and_total_152() {
        let frames = fixture_frames("64-tail-limit2-history-then-burst150.json");
        let counts: Vec<usize> = frames
            .iter()
            .map(|t| decode_frame(t).unwrap().entries.len())
            .collect();
        assert_eq!(counts, vec![2, 100, 50]);
    }

    #[test]
    fn live_lines_keep_escape_bytes_for_the_writer_to_sanitise() {
        let all: Vec<LogEntry> = fixture_frames("61-tail-live-pushes.json")
            .iter()
            .flat_map(|t| decode_frame(t).unwrap().entries)
            .collect();
        assert_eq!(all.len(), 8);
        assert!(all.iter().any(|e| e.line.contains('\u{1b}')));
    }

    #[test]
    fn dropped_entries_give_count_and_span() {
        let text = r#"{"streams":[],"dropped_entries":[
            {"timestamp":"1795594028413653846","labels":"{app=\"x\"}"},
            {"timestamp":"1795594020000000000","labels":"{app=\"y\"}"},
            {"timestamp":"2026-11-25T08:07:30Z","labels":"{app=\"y\"}"}]}"#;
        let f = decode_frame(text).unwrap();
        assert_eq!(
            f.dropped,
            Some(DroppedSpan {
                count: 3,
                from_ns: 1_795_594_020_000_000_000,
                to_ns: 1_795_594_050_000_000_000,
            })
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(decode_frame("not json").is_err());
        assert!(decode_frame(r#"{"streams":[{"stream":{},"values":[["x","l"]]}]}"#).is_err());
        assert!(decode_frame(r#"{"streams":[{"stream":{},"values":[["1"]]}]}"#).is_err());
    }

    #[test]
    fn encode_then_decode_round_trips() {
        let frames = fixture_frames("62-tail-json-categorize-labels.json");
        let original = decode_frame(&frames[0]).unwrap().entries;
        let again = decode_frame(&encode_frame(&original, true))
            .unwrap()
            .entries;
        assert_eq!(again, original);
        let plain = decode_frame(&encode_frame(&original, false))
            .unwrap()
            .entries;
        assert_eq!(plain[0].all_labels(), original[0].all_labels());
    }
}
