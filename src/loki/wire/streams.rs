//! The `streams` result shape: stream objects whose values are `[ts, line]` or, with
//! categorize-labels, `[ts, line, {structuredMetadata, parsed}]`.

use std::fmt;
use std::sync::Arc;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::model::{Labels, LogEntry};

/// A nanosecond timestamp: a decimal string (the usual form) or a number.
pub(super) struct NsVisitor;

impl Visitor<'_> for NsVisitor {
    type Value = i64;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a nanosecond timestamp")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        v.parse()
            .map_err(|_| E::custom(format!("timestamp {v:?} is not integer nanoseconds")))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(E::custom)
    }
}

/// The `streams` result: every entry of every stream, in wire order.
pub(super) struct StreamsResult(pub(super) Vec<LogEntry>);

impl<'de> Deserialize<'de> for StreamsResult {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut out = Vec::new();
        StreamsSeed {
            labels: &mut FreshLabels,
            out: &mut out,
        }
        .deserialize(d)?;
        Ok(StreamsResult(out))
    }
}

/// How the label set of each stream object is made from its `stream` field: a query answer
/// builds each one (its streams are distinct); a tail (`tail::frame`) reuses the few it follows.
pub(crate) trait LabelSets {
    /// The labels of a stream, read from the map's next value.
    fn read<'de, A: MapAccess<'de>>(&mut self, map: &mut A) -> Result<Arc<Labels>, A::Error>;
    /// The labels of a stream object without `stream`.
    fn empty(&mut self) -> Arc<Labels>;
}

/// Every stream's labels built as read.
struct FreshLabels;

impl LabelSets for FreshLabels {
    fn read<'de, A: MapAccess<'de>>(&mut self, map: &mut A) -> Result<Arc<Labels>, A::Error> {
        Ok(Arc::new(map.next_value()?))
    }
    fn empty(&mut self) -> Arc<Labels> {
        Arc::default()
    }
}

/// A `streams` array, every entry appended to `out`: the one decoder of Loki's stream objects
/// for query answers and tail frames.
pub(crate) struct StreamsSeed<'o, L> {
    pub(crate) labels: &'o mut L,
    pub(crate) out: &'o mut Vec<LogEntry>,
}

impl<'de, L: LabelSets> DeserializeSeed<'de> for StreamsSeed<'_, L> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, L: LabelSets> Visitor<'de> for StreamsSeed<'_, L> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of streams")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(StreamSeed {
                labels: &mut *self.labels,
                out: &mut *self.out,
            })?
            .is_some()
        {}
        Ok(())
    }
}

/// One `{"stream":{...},"values":[...]}` object, appending its entries to the output.
struct StreamSeed<'o, L> {
    labels: &'o mut L,
    out: &'o mut Vec<LogEntry>,
}

impl<'de, L: LabelSets> DeserializeSeed<'de> for StreamSeed<'_, L> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, L: LabelSets> Visitor<'de> for StreamSeed<'_, L> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a stream object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut labels: Option<Arc<Labels>> = None;
        // Values seen before `stream` (not Loki's order, but legal JSON): labelled afterwards.
        let mut early: Option<Vec<RawValue>> = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "stream" if labels.is_some() => return Err(de::Error::duplicate_field("stream")),
                "stream" => labels = Some(self.labels.read(&mut map)?),
                "values" if early.is_some() => return Err(de::Error::duplicate_field("values")),
                "values" => match &labels {
                    Some(l) => {
                        early = Some(Vec::new());
                        map.next_value_seed(ValuesSeed {
                            labels: l,
                            out: &mut *self.out,
                        })?;
                    }
                    None => early = Some(map.next_value()?),
                },
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if let Some(values) = early.filter(|v| !v.is_empty()) {
            let l = match labels {
                Some(l) => l,
                None => self.labels.empty(),
            };
            self.out
                .extend(values.into_iter().map(|v| v.into_entry(Arc::clone(&l))));
        }
        Ok(())
    }
}

/// A `values` array, each value appended to `out` with `labels`.
struct ValuesSeed<'a> {
    labels: &'a Arc<Labels>,
    out: &'a mut Vec<LogEntry>,
}

impl<'de> DeserializeSeed<'de> for ValuesSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ValuesSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of [timestamp, line(, metadata)] values")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if let Some(n) = seq.size_hint() {
            self.out.reserve(n);
        }
        while let Some(v) = seq.next_element::<RawValue>()? {
            self.out.push(v.into_entry(Arc::clone(self.labels)));
        }
        Ok(())
    }
}

/// `["<ns>", "<line>"]` or, with categorize-labels, `["<ns>", "<line>", {"structuredMetadata":
/// {...}, "parsed": {...}}]`.
struct RawValue {
    ts: i64,
    line: String,
    extra: Option<Categorized>,
}

#[derive(Deserialize, Default)]
struct Categorized {
    #[serde(default, rename = "structuredMetadata")]
    structured_metadata: Labels,
    #[serde(default)]
    parsed: Labels,
}

impl RawValue {
    fn into_entry(self, labels: Arc<Labels>) -> LogEntry {
        let mut e = LogEntry::new(self.ts, labels, self.line);
        if let Some(x) = self.extra {
            e.metadata = x.structured_metadata;
            e.parsed = x.parsed;
        }
        e
    }
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("[timestamp, line] or [timestamp, line, {metadata}]")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawValue, A::Error> {
                let ts = seq
                    .next_element_seed(NsSeed)?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let line: String = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(1, &self))?;
                let extra: Option<Option<Categorized>> = seq.next_element()?;
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(RawValue {
                    ts,
                    line,
                    extra: extra.flatten(),
                })
            }
        }
        d.deserialize_seq(V)
    }
}

struct NsSeed;

impl<'de> DeserializeSeed<'de> for NsSeed {
    type Value = i64;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<i64, D::Error> {
        d.deserialize_any(NsVisitor)
    }
}
