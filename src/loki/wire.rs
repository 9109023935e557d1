//! Decoding Loki's JSON wire format into the typed model.
//!
//! Hand-written serde visitors read a body in one pass with no intermediate `Value` tree:
//! timestamps are parsed straight from the borrowed string, each stream's labels are decoded
//! once and shared (`Arc`) by its entries, and the large `stats` block is skipped except for
//! `summary`. See `tests/fixtures/loki-wire/README.md` for the shapes.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use crate::model::{Labels, LogEntry, MetricResult, Point, QueryStats, Sample, Series};

mod drill;
pub(crate) mod streams;

pub use drill::{
    DetectedField, LokiPattern, decode_detected_fields, decode_detected_values, decode_patterns,
};
use streams::StreamsResult;

/// A decoded `query`/`query_range` answer. Log entries are NOT yet merged or sorted: they come
/// stream by stream as Loki sent them.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    Streams(Vec<LogEntry>),
    Metric(MetricResult),
}

/// Decodes a `query`/`query_range` body (`{"status":"success","data":{...}}`).
pub fn decode_query(body: &[u8]) -> Result<(Decoded, QueryStats), String> {
    let env: Envelope<QueryData> = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let data = env.into_data()?;
    let result = data.result.ok_or("no `result` in `data`")?;
    Ok((result, data.stats))
}

/// Decodes a `labels` or `label/<name>/values` body. Loki leaves `data` out of a success
/// answer with no values (an empty list); an error status or an object that is not Loki's
/// envelope at all is an error, not an empty list.
pub fn decode_string_list(body: &[u8]) -> Result<Vec<String>, String> {
    let env: Envelope<Vec<String>> = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    match (env.status.as_deref(), &env.data) {
        (Some("success"), None) => Ok(Vec::new()),
        (None, None) => Err("no `status` or `data`: not a Loki answer".into()),
        _ => env.into_data(),
    }
}

/// Decodes a `series` body: a list of label sets.
pub fn decode_series(body: &[u8]) -> Result<Vec<Labels>, String> {
    let env: Envelope<Vec<Labels>> = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    Ok(env.into_data().unwrap_or_default())
}

/// `index/stats`: a bare object, no envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
pub struct IndexStats {
    #[serde(default)]
    pub streams: u64,
    #[serde(default)]
    pub chunks: u64,
    #[serde(default)]
    pub bytes: u64,
    #[serde(default)]
    pub entries: u64,
}

pub fn decode_index_stats(body: &[u8]) -> Result<IndexStats, String> {
    serde_json::from_slice(body).map_err(|e| e.to_string())
}

#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(default)]
    status: Option<String>,
    #[serde(default = "none")]
    data: Option<T>,
    #[serde(default)]
    error: Option<String>,
}

fn none<T>() -> Option<T> {
    None
}

impl<T> Envelope<T> {
    fn into_data(self) -> Result<T, String> {
        match (self.status.as_deref(), self.data) {
            (Some("success") | None, Some(d)) => Ok(d),
            (Some("success"), None) => Err("no `data` in a success answer".into()),
            (s, _) => Err(format!(
                "status {:?}: {}",
                s.unwrap_or("missing"),
                self.error.as_deref().unwrap_or("no error text")
            )),
        }
    }
}

/// `data` of a query answer. `resultType` comes before `result` on the wire, so `result` is
/// decoded straight into its typed form; if not, it is buffered and decoded afterwards.
struct QueryData {
    result: Option<Decoded>,
    stats: QueryStats,
}

impl<'de> Deserialize<'de> for QueryData {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(QueryDataVisitor)
    }
}

struct QueryDataVisitor;

impl<'de> Visitor<'de> for QueryDataVisitor {
    type Value = QueryData;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("Loki's query `data` object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<QueryData, A::Error> {
        let mut kind: Option<String> = None;
        let mut result = None;
        let mut buffered: Option<serde_json::Value> = None;
        let mut stats = QueryStats::default();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "resultType" => kind = Some(map.next_value()?),
                "result" => match kind.as_deref() {
                    Some(k) => result = Some(map.next_value_seed(ResultSeed(k))?),
                    None => buffered = Some(map.next_value()?),
                },
                "stats" => stats = map.next_value::<StatsBlock>()?.summary.into_stats(),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if let Some(v) = buffered {
            let k = kind.ok_or_else(|| de::Error::missing_field("resultType"))?;
            result = Some(ResultSeed(&k).deserialize(v).map_err(de::Error::custom)?);
        }
        Ok(QueryData { result, stats })
    }
}

struct ResultSeed<'k>(&'k str);

impl<'de> DeserializeSeed<'de> for ResultSeed<'_> {
    type Value = Decoded;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Decoded, D::Error> {
        Ok(match self.0 {
            "streams" => Decoded::Streams(StreamsResult::deserialize(d)?.0),
            "matrix" => Decoded::Metric(MetricResult::Matrix(
                Vec::<WireSeries>::deserialize(d)?
                    .into_iter()
                    .map(|s| Series {
                        metric: s.metric,
                        points: s.values.into_iter().map(|p| p.0).collect(),
                    })
                    .collect(),
            )),
            "vector" => Decoded::Metric(MetricResult::Vector(
                Vec::<WireSample>::deserialize(d)?
                    .into_iter()
                    .map(|s| Sample {
                        metric: s.metric,
                        point: s.value.0,
                    })
                    .collect(),
            )),
            "scalar" => {
                // Real Loki quirk: the scalar's timestamp is integer milliseconds.
                let (t, v): (f64, String) = Deserialize::deserialize(d)?;
                Decoded::Metric(MetricResult::Scalar(Point {
                    t_ms: t.round() as i64,
                    v: parse_value(&v).map_err(de::Error::custom)?,
                }))
            }
            other => {
                return Err(de::Error::custom(format!("unknown resultType {other:?}")));
            }
        })
    }
}

#[derive(Deserialize)]
struct StatsBlock {
    #[serde(default)]
    summary: Summary,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Summary {
    #[serde(default)]
    total_bytes_processed: f64,
    #[serde(default)]
    total_lines_processed: f64,
    #[serde(default)]
    exec_time: f64,
}

impl Summary {
    fn into_stats(self) -> QueryStats {
        QueryStats {
            bytes_processed: self.total_bytes_processed.max(0.0) as u64,
            lines_processed: self.total_lines_processed.max(0.0) as u64,
            exec_time_s: self.exec_time,
        }
    }
}

#[derive(Deserialize)]
struct WireSeries {
    #[serde(default)]
    metric: Labels,
    values: Vec<SecondsPoint>,
}

#[derive(Deserialize)]
struct WireSample {
    #[serde(default)]
    metric: Labels,
    value: SecondsPoint,
}

/// `[<unix seconds, number>, "<value>"]` → a millisecond point.
struct SecondsPoint(Point);

impl<'de> Deserialize<'de> for SecondsPoint {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (secs, v): (f64, std::borrow::Cow<'de, str>) = Deserialize::deserialize(d)?;
        Ok(SecondsPoint(Point {
            t_ms: (secs * 1000.0).round() as i64,
            v: parse_value(&v).map_err(de::Error::custom)?,
        }))
    }
}

/// A metric value as Loki writes it (Go's float formatting, including `NaN`, `+Inf`, `-Inf`).
pub fn parse_value(s: &str) -> Result<f64, String> {
    match s {
        "NaN" => Ok(f64::NAN),
        "+Inf" | "Inf" => Ok(f64::INFINITY),
        "-Inf" => Ok(f64::NEG_INFINITY),
        _ => s
            .parse::<f64>()
            .map_err(|_| format!("metric value {s:?} is not a number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn decodes_two_and_three_element_values() {
        let body = br#"{"status":"success","data":{"resultType":"streams","result":[{"stream":{"a":"1"},"values":[["20","x"],["10","y",{"structuredMetadata":{"trace_id":"t"},"parsed":{"k":"v"}}]]}],"stats":{"summary":{"totalBytesProcessed":7,"totalLinesProcessed":2,"execTime":0.5},"querier":{"x":1}}}}
"#;
        let (d, stats) = decode_query(body).unwrap();
        let Decoded::Streams(es) = d else {
            panic!("streams")
        };
        assert_eq!(es.len(), 2);
        assert_eq!(es[0].ts, 20);
        assert_eq!(es[1].line, "y");
        assert_eq!(
            es[1].metadata.get("trace_id").map(String::as_str),
            Some("t")
        );
        assert_eq!(es[1].parsed.get("k").map(String::as_str), Some("v"));
        assert!(Arc::ptr_eq(&es[0].labels, &es[1].labels));
        assert_eq!(stats.bytes_processed, 7);
        assert_eq!(stats.lines_processed, 2);
    }

    #[test]
    fn result_before_result_type_still_decodes() {
        let body = br#"{"status":"success","data":{"result":[{"metric":{},"value":[1.5,"NaN"]}],"resultType":"vector"}}"#;
        let (d, _) = decode_query(body).unwrap();
        let Decoded::Metric(MetricResult::Vector(v)) = d else {
            panic!("vector")
        };
        assert_eq!(v[0].point.t_ms, 1500);
        assert!(v[0].point.v.is_nan());
    }

    #[test]
    fn values_before_stream_are_labelled() {
        let body = br#"{"status":"success","data":{"resultType":"streams","result":[{"values":[["1","x"]],"stream":{"a":"b"}}]}}"#;
        let (d, _) = decode_query(body).unwrap();
        let Decoded::Streams(es) = d else {
            panic!("streams")
        };
        assert_eq!(es[0].labels.get("a").map(String::as_str), Some("b"));
    }

    #[test]
    fn string_list_refuses_error_status_and_foreign_shapes() {
        assert_eq!(decode_string_list(br#"{"status":"success"}"#), Ok(vec![]));
        assert_eq!(
            decode_string_list(br#"{"status":"success","data":["a"]}"#),
            Ok(vec!["a".to_string()])
        );
        let e = decode_string_list(br#"{"status":"error","error":"boom"}"#).unwrap_err();
        assert!(e.contains("boom"), "{e}");
        assert!(decode_string_list(br#"{"hello":"world"}"#).is_err());
        assert!(decode_string_list(br#"{"status":"success","data":{"a":1}}"#).is_err());
    }

    #[test]
    fn error_status_is_reported() {
        let body = br#"{"status":"error","errorType":"bad_data","error":"boom"}"#;
        let e = decode_query(body).unwrap_err();
        assert!(e.contains("boom"), "{e}");
    }

    #[test]
    fn truncated_body_is_an_error() {
        let body = br#"{"status":"success","data":{"resultType":"streams","result":[{"stream":{"a":"1"},"values":[["20","x"#;
        assert!(decode_query(body).unwrap_err().contains("EOF"));
    }
}
