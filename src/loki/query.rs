//! Running queries: log queries (collected from [`super::logs`]), metric queries with Loki's
//! default step and sliced past `max_query_length`, instant queries; and push batching.

use std::collections::BTreeMap;
use std::time::Instant;

use reqwest::Method;

use super::http::Call;
use super::paging;
use super::wire::{self, Decoded};
use super::{LokiClient, LokiError, Progress};
use crate::model::{Labels, LogEntry, MetricResult, QueryOutput, QueryRange, QueryStats, Series};

const QUERY_RANGE: &str = "/loki/api/v1/query_range";
const QUERY: &str = "/loki/api/v1/query";

/// Whether a LogQL query returns log lines (it starts with a stream selector).
pub fn is_log_query(q: &str) -> bool {
    q.trim_start().starts_with('{')
}

/// Loki's default step when none is given: range / 250, whole seconds, at least 1 s.
pub fn default_step_ms(start_ns: i64, end_ns: i64) -> i64 {
    let secs = (end_ns.saturating_sub(start_ns) / 1_000_000_000) / 250;
    secs.max(1) * 1000
}

pub async fn run(
    c: &LokiClient,
    req: &QueryRange,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<(QueryOutput, QueryStats), LokiError> {
    let started = Instant::now();
    if req.instant {
        return instant(c, req, progress, started).await;
    }
    if is_log_query(&req.query) {
        logs(c, req, progress, started).await
    } else {
        metric(c, req, progress, started).await
    }
}

pub(super) fn add_stats(total: &mut QueryStats, s: QueryStats) {
    total.bytes_processed += s.bytes_processed;
    total.lines_processed += s.lines_processed;
    total.exec_time_s += s.exec_time_s;
}

async fn fetch(
    c: &LokiClient,
    path: &str,
    params: &[(&str, String)],
) -> Result<(Decoded, QueryStats), LokiError> {
    let call = Call {
        method: Method::GET,
        path,
        params,
        body: None,
        categorize: true,
    };
    let body = c.http.send(&c.config, &call).await?.body;
    wire::decode_query(&body).map_err(|detail| super::error::decode_error(path, detail, &body))
}

async fn instant(
    c: &LokiClient,
    req: &QueryRange,
    progress: &(dyn Fn(Progress) + Send + Sync),
    started: Instant,
) -> Result<(QueryOutput, QueryStats), LokiError> {
    let mut params = vec![
        ("query", req.query.clone()),
        ("time", req.end_ns.to_string()),
        ("direction", req.direction.as_str().to_string()),
    ];
    if req.limit > 0 {
        params.push((
            "limit",
            req.limit.min(paging::SERVER_MAX_ENTRIES).to_string(),
        ));
    }
    let (d, stats) = fetch(c, QUERY, &params).await?;
    let out = match d {
        Decoded::Streams(mut es) => {
            paging::sort_entries(req.direction, &mut es);
            QueryOutput::Streams(es)
        }
        Decoded::Metric(m) => QueryOutput::Metric(m),
    };
    let entries = match &out {
        QueryOutput::Streams(es) => es.len(),
        QueryOutput::Metric(_) => 0,
    };
    progress(Progress {
        entries,
        pages: 1,
        elapsed: started.elapsed(),
    });
    Ok((out, stats))
}

async fn logs(
    c: &LokiClient,
    req: &QueryRange,
    progress: &(dyn Fn(Progress) + Send + Sync),
    started: Instant,
) -> Result<(QueryOutput, QueryStats), LokiError> {
    let mut out: Vec<LogEntry> = Vec::new();
    let stats = super::logs::run(c, req, progress, started, &mut |es| {
        out.extend(es);
        true
    })
    .await?;
    Ok((QueryOutput::Streams(out), stats))
}

async fn metric(
    c: &LokiClient,
    req: &QueryRange,
    progress: &(dyn Fn(Progress) + Send + Sync),
    started: Instant,
) -> Result<(QueryOutput, QueryStats), LokiError> {
    let step_ms = req
        .step_ms
        .filter(|s| *s > 0)
        .unwrap_or_else(|| default_step_ms(req.start_ns, req.end_ns));
    let step_ns = step_ms.saturating_mul(1_000_000);
    let max_len = i64::try_from(c.config.max_query_length.as_nanos()).unwrap_or(i64::MAX);
    // Slices hold whole steps so evaluation times stay on one grid.
    let per_slice = (max_len / step_ns).max(1);
    let mut slices = Vec::new();
    let mut s = req.start_ns;
    while s <= req.end_ns {
        let e = s.saturating_add((per_slice - 1) * step_ns).min(req.end_ns);
        slices.push((s, e));
        if e == req.end_ns {
            break;
        }
        s = e.saturating_add(step_ns);
    }
    let step = if step_ms % 1000 == 0 {
        (step_ms / 1000).to_string()
    } else {
        format!("{:.3}", step_ms as f64 / 1000.0)
    };
    let mut total = QueryStats::default();
    let mut merged: BTreeMap<Labels, Vec<crate::model::Point>> = BTreeMap::new();
    let mut order: Vec<Labels> = Vec::new();
    let mut other: Option<MetricResult> = None;
    for (i, (s, e)) in slices.iter().enumerate() {
        let params = [
            ("query", req.query.clone()),
            ("start", s.to_string()),
            ("end", e.to_string()),
            ("step", step.clone()),
        ];
        let (d, st) = fetch(c, QUERY_RANGE, &params).await?;
        add_stats(&mut total, st);
        match d {
            Decoded::Metric(MetricResult::Matrix(series)) => {
                for sr in series {
                    let pts = merged.entry(sr.metric.clone()).or_insert_with(|| {
                        order.push(sr.metric.clone());
                        Vec::new()
                    });
                    pts.extend(sr.points);
                }
            }
            Decoded::Metric(m) => other = Some(m),
            Decoded::Streams(mut es) => {
                paging::sort_entries(req.direction, &mut es);
                return Ok((QueryOutput::Streams(es), total));
            }
        }
        progress(Progress {
            entries: 0,
            pages: i + 1,
            elapsed: started.elapsed(),
        });
    }
    if let Some(m) = other {
        return Ok((QueryOutput::Metric(m), total));
    }
    let series = order
        .into_iter()
        .filter_map(|metric| {
            let points = merged.remove(&metric)?;
            Some(Series { metric, points })
        })
        .collect();
    Ok((QueryOutput::Metric(MetricResult::Matrix(series)), total))
}

/// One push request body and how many entries it carries.
pub struct PushBatch {
    pub body: Vec<u8>,
    pub entries: usize,
}

/// Splits streams into push bodies of about `max_bytes` each (JSON push API).
pub fn push_batches(streams: &[(Labels, Vec<(i64, String)>)], max_bytes: usize) -> Vec<PushBatch> {
    let mut out = Vec::new();
    let mut cur: Vec<serde_json::Value> = Vec::new();
    let mut cur_bytes = 0usize;
    let mut cur_entries = 0usize;
    let flush =
        |cur: &mut Vec<serde_json::Value>, entries: &mut usize, out: &mut Vec<PushBatch>| {
            if cur.is_empty() {
                return;
            }
            let body = serde_json::json!({ "streams": std::mem::take(cur) });
            out.push(PushBatch {
                body: body.to_string().into_bytes(),
                entries: std::mem::take(entries),
            });
        };
    for (labels, values) in streams {
        let mut vals: Vec<serde_json::Value> = Vec::new();
        for (ts, line) in values {
            let size = line.len() + 32;
            if cur_bytes + size > max_bytes && (cur_entries > 0 || !vals.is_empty()) {
                if !vals.is_empty() {
                    cur.push(serde_json::json!({ "stream": labels, "values": std::mem::take(&mut vals) }));
                }
                flush(&mut cur, &mut cur_entries, &mut out);
                cur_bytes = 0;
            }
            vals.push(serde_json::json!([ts.to_string(), line]));
            cur_bytes += size;
            cur_entries += 1;
        }
        if !vals.is_empty() {
            cur.push(serde_json::json!({ "stream": labels, "values": vals }));
        }
    }
    flush(&mut cur, &mut cur_entries, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_step_like_loki() {
        // 03e: 24h range without step gave points 347 s apart.
        assert_eq!(
            default_step_ms(1_795_507_260_000_000_000, 1_795_594_043_000_000_000),
            347_000
        );
        assert_eq!(default_step_ms(0, 10_000_000_000), 1000);
    }

    #[test]
    fn log_or_metric() {
        assert!(is_log_query(" {app=\"x\"} |= \"y\""));
        assert!(!is_log_query("sum(rate({app=\"x\"}[5m]))"));
        assert!(!is_log_query("1 + 1"));
    }

    #[test]
    fn push_batches_split_and_keep_everything() {
        let mut l = Labels::new();
        l.insert("app".into(), "x".into());
        let values: Vec<(i64, String)> = (0..100).map(|i| (i, "y".repeat(100))).collect();
        let batches = push_batches(&[(l, values)], 2000);
        assert!(batches.len() > 5);
        assert_eq!(batches.iter().map(|b| b.entries).sum::<usize>(), 100);
        let first: serde_json::Value = serde_json::from_slice(&batches[0].body).unwrap();
        assert_eq!(first["streams"][0]["stream"]["app"], "x");
        assert_eq!(first["streams"][0]["values"][0][0], "0");
    }
}
