//! The discovery endpoints (`labels`, `label/<n>/values`, `series`, `index/stats`,
//! `index/volume_range`) and `push`.

use std::sync::Mutex;

use super::body::{self, Reply};
use super::route::{lock, range};
use super::select::{self, SelectError};
use super::{Request, State, StubEntry, StubLabels};

fn matching_streams<'a>(
    s: &'a State,
    selectors: &[&str],
    start: i64,
    end: i64,
) -> Result<Vec<&'a super::StubStream>, Reply> {
    let mut sets = Vec::new();
    for q in selectors {
        match select::parse_selector(q) {
            Ok(m) => sets.push(m),
            Err(SelectError::Loki(t)) => return Err(Reply::text(400, &t)),
            Err(SelectError::Unsupported) => {
                return Err(Reply::text(
                    400,
                    "stub: only plain stream selectors are supported here",
                ));
            }
        }
    }
    Ok(s.streams
        .iter()
        .filter(|st| st.entries.iter().any(|e| e.ts >= start && e.ts < end))
        .filter(|st| sets.is_empty() || sets.iter().any(|m| select::matches_all(m, &st.labels)))
        .collect())
}

/// The fixed answer set for `path`, or the pattern ingester's "off" answer (404, empty
/// body, as capture 39d) for `/loki/api/v1/patterns`.
pub fn served_path(path: &str, st: &Mutex<State>) -> Option<Reply> {
    let s = lock(st);
    if let Some((_, r)) = s.paths.iter().find(|(p, _)| p == path) {
        return Some(r.clone());
    }
    (path == "/loki/api/v1/patterns")
        .then(|| Reply::new(404, "text/plain; charset=utf-8", Vec::new()))
}

fn string_list(values: Vec<String>) -> Reply {
    if values.is_empty() {
        return Reply::json("{\"status\":\"success\"}".into());
    }
    let mut out = String::from("{\"status\":\"success\",\"data\":[");
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        body::json_str(&mut out, v);
    }
    out.push_str("]}");
    Reply::json(out)
}

pub fn labels(req: &Request, st: &Mutex<State>, name: Option<&str>) -> Reply {
    let (start, end) = match range(req) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let s = lock(st);
    let sel: Vec<&str> = req.param("query").into_iter().collect();
    let streams = match matching_streams(&s, &sel, start, end) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut out: Vec<String> = match name {
        None => streams
            .iter()
            .flat_map(|s| s.labels.keys().cloned())
            .collect(),
        Some(n) => streams
            .iter()
            .filter_map(|s| s.labels.get(n).cloned())
            .collect(),
    };
    out.sort();
    out.dedup();
    string_list(out)
}

pub fn series(req: &Request, st: &Mutex<State>) -> Reply {
    let (start, end) = match range(req) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let s = lock(st);
    let streams = match matching_streams(&s, &req.params_named("match[]"), start, end) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut out = String::from("{\"status\":\"success\",\"data\":[");
    for (i, st) in streams.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        body::labels_json(&mut out, &st.labels);
    }
    out.push_str("]}");
    Reply::json(out)
}

pub fn index_stats(req: &Request, st: &Mutex<State>) -> Reply {
    let (start, end) = match range(req) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let s = lock(st);
    let sel: Vec<&str> = req.param("query").into_iter().collect();
    let streams = match matching_streams(&s, &sel, start, end) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let in_range = |e: &&StubEntry| e.ts >= start && e.ts < end;
    let entries: usize = streams
        .iter()
        .map(|s| s.entries.iter().filter(in_range).count())
        .sum();
    let bytes: usize = streams
        .iter()
        .flat_map(|s| s.entries.iter().filter(in_range))
        .map(|e| e.line.len())
        .sum();
    Reply::json(format!(
        "{{\"streams\":{},\"chunks\":{},\"bytes\":{bytes},\"entries\":{entries}}}",
        streams.len(),
        streams.len()
    ))
}

/// Bytes per `step`-second bucket of the grid (one series per stream), each point stamped at
/// its bucket's end less a millisecond, as Loki does (capture 33c).
pub fn volume_range(req: &Request, st: &Mutex<State>) -> Reply {
    let (start, end) = match range(req) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let step_s: i64 = match req.param("step").map(str::parse::<i64>) {
        Some(Ok(n)) if n > 0 => n,
        _ => return Reply::text(400, "stub: volume_range needs a whole-second step"),
    };
    let step = step_s * 1_000_000_000;
    let s = lock(st);
    let sel: Vec<&str> = req.param("query").into_iter().collect();
    let streams = match matching_streams(&s, &sel, start, end) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let mut series = Vec::new();
    for stream in streams {
        let mut buckets: std::collections::BTreeMap<i64, f64> = Default::default();
        for e in stream
            .entries
            .iter()
            .filter(|e| e.ts >= start && e.ts < end)
        {
            *buckets.entry(e.ts.div_euclid(step)).or_default() += e.line.len() as f64;
        }
        let points = buckets
            .into_iter()
            .map(|(k, v)| vs_logs::model::Point {
                t_ms: (k + 1) * step / 1_000_000 - 1,
                v,
            })
            .collect();
        let metric = stream
            .labels
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        series.push(vs_logs::model::Series { metric, points });
    }
    Reply::metric(&vs_logs::model::MetricResult::Matrix(series))
}

pub fn push(req: &Request, st: &Mutex<State>) -> Reply {
    if req.method != "POST" {
        return Reply::text(405, "method not allowed");
    }
    let raw = if req.header("content-encoding") == Some("gzip") {
        let mut out = Vec::new();
        let mut d = flate2::read::GzDecoder::new(&req.body[..]);
        if std::io::Read::read_to_end(&mut d, &mut out).is_err() {
            return Reply::text(400, "gzip: invalid header");
        }
        out
    } else {
        req.body.clone()
    };
    #[derive(serde::Deserialize)]
    struct Push {
        streams: Vec<PushStream>,
    }
    #[derive(serde::Deserialize)]
    struct PushStream {
        stream: StubLabels,
        values: Vec<Vec<serde_json::Value>>,
    }
    let p: Push = match serde_json::from_slice(&raw) {
        Ok(p) => p,
        Err(e) => return Reply::text(400, &format!("loghttp.PushRequest: {e}")),
    };
    let mut s = lock(st);
    for ps in p.streams {
        let mut entries = Vec::new();
        for v in ps.values {
            let ts = v
                .first()
                .and_then(|t| t.as_str())
                .and_then(|t| t.parse::<i64>().ok());
            let line = v.get(1).and_then(|l| l.as_str());
            let (Some(ts), Some(line)) = (ts, line) else {
                return Reply::text(
                    400,
                    "loghttp.PushRequest: bad value, want [\"<ns>\", \"<line>\"]",
                );
            };
            let metadata: StubLabels = v
                .get(2)
                .and_then(|m| serde_json::from_value(m.clone()).ok())
                .unwrap_or_default();
            entries.push(StubEntry {
                ts,
                line: line.to_string(),
                metadata,
            });
        }
        s.pushed.push(super::StubStream {
            labels: ps.stream.clone(),
            entries: entries.clone(),
        });
        select::insert(&mut s.streams, ps.stream, entries);
    }
    Reply::new(204, "", Vec::new())
}
