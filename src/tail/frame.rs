//! Decoding one text frame of Loki's tail websocket into entries.
//!
//! A frame is `{"streams":[{"stream":{..},"values":[["<ns>","<line>"(,{..})?],..]}],
//! "dropped_entries":[..]?, "encodingFlags":[..]?}`. Loki usually puts every entry in its own
//! stream object, so identical label sets are shared (`Arc`) between consecutive objects. The
//! stream objects themselves are read by the decoder of query answers (`loki::wire::streams`).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, Visitor};

use crate::loki::wire::streams::{LabelSets, StreamsSeed};
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

/// Label sets kept by a [`FrameDecoder`] for reuse.
const RECENT_LABEL_SETS: usize = 16;

/// Decodes the frames of one tail. Loki puts every entry in its own stream object, so the
/// label sets of the few streams a tail follows are kept and shared (`Arc`) instead of being
/// built again for every line; entries go straight from the text into the frame's list.
#[derive(Debug, Default)]
pub struct FrameDecoder {
    /// Most recently used first.
    recent: Vec<Arc<Labels>>,
}

impl FrameDecoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Decodes one text frame.
    pub fn decode(&mut self, text: &str) -> Result<TailFrame, FrameError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let mut entries = Vec::new();
        let dropped = FrameSeed {
            labels: &mut self.recent,
            entries: &mut entries,
        }
        .deserialize(&mut de)
        .and_then(|d| de.end().map(|()| d))
        .map_err(|e| FrameError(e.to_string()))?;
        let dropped = dropped.filter(|d| !d.is_empty()).map(|d| {
            let ts: Vec<i64> = d.iter().filter_map(|x| dropped_ts(&x.timestamp)).collect();
            DroppedSpan {
                count: d.len(),
                from_ns: ts.iter().copied().min().unwrap_or(0),
                to_ns: ts.iter().copied().max().unwrap_or(0),
            }
        });
        Ok(TailFrame { entries, dropped })
    }
}

/// Decodes one text frame (without sharing label sets with other frames).
pub fn decode_frame(text: &str) -> Result<TailFrame, FrameError> {
    FrameDecoder::new().decode(text)
}

/// The shared label set equal to `raw`, made and remembered when there is none.
fn labels_for(recent: &mut Vec<Arc<Labels>>, raw: RawLabels<'_>) -> Arc<Labels> {
    let same = |l: &Labels| {
        l.len() == raw.0.len()
            && l.iter()
                .zip(raw.0.iter())
                .all(|((a, b), (c, d))| a == c && b == d)
    };
    if let Some(i) = recent.iter().position(|l| same(l)) {
        // Keep the hot ones in front: a tail of a few streams finds its set at once.
        recent.swap(0, i);
        return Arc::clone(&recent[0]);
    }
    let l: Labels = raw
        .0
        .into_iter()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let l = Arc::new(l);
    if recent.len() == RECENT_LABEL_SETS {
        recent.pop();
    }
    recent.insert(0, Arc::clone(&l));
    l
}

/// The frame object: stream objects decoded into `entries`; `dropped_entries` returned.
struct FrameSeed<'s> {
    labels: &'s mut Vec<Arc<Labels>>,
    entries: &'s mut Vec<LogEntry>,
}

impl<'de> DeserializeSeed<'de> for FrameSeed<'_> {
    type Value = Option<Vec<RawDropped>>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FrameSeed<'_> {
    type Value = Option<Vec<RawDropped>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a tail frame object")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut streams, mut dropped) = (false, None);
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "streams" if streams => return Err(de::Error::duplicate_field("streams")),
                "streams" => {
                    streams = true;
                    map.next_value_seed(StreamsSeed {
                        labels: &mut RecentLabels(&mut *self.labels),
                        out: &mut *self.entries,
                    })?;
                }
                "dropped_entries" if dropped.is_some() => {
                    return Err(de::Error::duplicate_field("dropped_entries"));
                }
                "dropped_entries" => dropped = Some(map.next_value::<Option<Vec<RawDropped>>>()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(dropped.flatten())
    }
}

/// The label sets a tail follows, most recently used first, shared by its entries.
struct RecentLabels<'s>(&'s mut Vec<Arc<Labels>>);

impl LabelSets for RecentLabels<'_> {
    fn read<'de, A: de::MapAccess<'de>>(&mut self, map: &mut A) -> Result<Arc<Labels>, A::Error> {
        let raw: RawLabels<'de> = map.next_value()?;
        Ok(labels_for(self.0, raw))
    }
    fn empty(&mut self) -> Arc<Labels> {
        labels_for(self.0, RawLabels::default())
    }
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
#[path = "frame_tests.rs"]
mod tests;
