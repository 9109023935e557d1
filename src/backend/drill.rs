//! Patterns and field statistics of a query over a range, from Loki's Drilldown endpoints
//! when it answers, mined or sampled locally from fetched lines otherwise. Shared by the
//! `patterns`/`fields` commands and the TUI's views; the reports say which side answered.

use std::sync::Arc;

use super::{Backend, BackendError};
use crate::drill::{
    ContextQueries, FieldRow, FieldStatsBuilder, FieldsReport, Origin, PatternsConfig,
    PatternsReport, mark_new, mine_assigned,
};
use crate::model::{Direction, LogEntry, QueryOutput, QueryRange};

/// Lines fetched to mine or sample when the caller gives no limit (Loki's default
/// `max_entries_limit_per_query`; paging goes past it when asked).
pub const DEFAULT_SAMPLE: usize = 5000;

/// Values fetched from `detected_field/<name>/values` for fields the sample lacks (one
/// request each, so bounded).
const MAX_VALUE_CALLS: usize = 16;

/// The lines of a log query, newest first, and whether `limit` cut them.
pub async fn fetch_lines(
    backend: &Backend,
    query: &str,
    start_ns: i64,
    end_ns: i64,
    limit: usize,
) -> Result<(Vec<LogEntry>, bool), BackendError> {
    let req = QueryRange {
        query: query.to_string(),
        start_ns,
        end_ns,
        limit,
        direction: Direction::Backward,
        step_ms: None,
        instant: false,
    };
    let (out, _) = backend.query(&req, Arc::new(|_| {})).await?;
    match out {
        QueryOutput::Streams(e) => {
            let limited = limit > 0 && e.len() >= limit;
            Ok((e, limited))
        }
        QueryOutput::Metric(_) => Err(BackendError::Task(
            "patterns and fields need a log query, not a metric query".into(),
        )),
    }
}

/// The answers to a line's two context queries (before, after), as they came: the caller
/// cuts the window with [`crate::drill::select_context`]. A metric answer counts as no lines.
pub async fn fetch_context(
    backend: &Backend,
    queries: &ContextQueries,
) -> Result<(Vec<LogEntry>, Vec<LogEntry>), BackendError> {
    let mut out = Vec::with_capacity(2);
    for req in [&queries.before, &queries.after] {
        let (o, _) = backend.query(req, Arc::new(|_| {})).await?;
        out.push(match o {
            QueryOutput::Streams(v) => v,
            QueryOutput::Metric(_) => Vec::new(),
        });
    }
    let after = out.pop().unwrap_or_default();
    let before = out.pop().unwrap_or_default();
    Ok((before, after))
}

/// Mines `entries` over the range; also each entry's pattern id (for "show its lines").
pub fn mine_entries(
    query: &str,
    entries: &[LogEntry],
    previous: Option<&[LogEntry]>,
    start_ns: i64,
    end_ns: i64,
    limited: bool,
) -> (PatternsReport, Vec<Option<usize>>) {
    let cfg = PatternsConfig::default();
    let lines = entries.iter().map(|e| (e.ts, e.line.as_str()));
    let (mut set, ids) = mine_assigned(lines, start_ns, end_ns, &cfg);
    if let Some(prev) = previous.filter(|p| !p.is_empty()) {
        let before = mine_assigned(
            prev.iter().map(|e| (e.ts, e.line.as_str())),
            start_ns - (end_ns - start_ns),
            start_ns,
            &cfg,
        )
        .0;
        mark_new(&mut set, &before);
    }
    let origin = Origin::Local {
        lines: entries.len() as u64,
        limited,
    };
    (PatternsReport::from_set(query, &set, origin), ids)
}

/// Loki's own patterns of `query` over `[start_ns, end_ns)` (`/loki/api/v1/patterns`), those
/// absent from the range of the same length before marked new; `None` when the backend is
/// local, the pattern ingester is off, or it found nothing.
pub async fn loki_patterns(
    backend: &Backend,
    query: &str,
    start_ns: i64,
    end_ns: i64,
) -> Result<Option<PatternsReport>, BackendError> {
    let Backend::Loki(c) = backend else {
        return Ok(None);
    };
    let len = end_ns - start_ns;
    let buckets = PatternsConfig::default().buckets;
    let step = (len / 1_000_000_000 / buckets as i64).max(1) as u64;
    let Some(found) = c.patterns(query, start_ns, end_ns, Some(step)).await? else {
        return Ok(None);
    };
    if found.is_empty() {
        return Ok(None);
    }
    let previous = if start_ns > 0 && len > 0 {
        c.patterns(query, start_ns - len, start_ns, Some(step))
            .await
            .ok()
            .flatten()
            .map(|p| p.into_iter().map(|p| p.pattern).collect::<Vec<_>>())
    } else {
        None
    };
    let found: Vec<(String, Vec<(i64, u64)>)> = found
        .into_iter()
        .map(|p| {
            let s = p
                .samples
                .iter()
                .map(|&(t, n)| ((t * 1e9) as i64, n))
                .collect();
            (p.pattern, s)
        })
        .collect();
    Ok(Some(PatternsReport::from_loki(
        query,
        start_ns,
        end_ns,
        &found,
        previous.as_deref(),
        buckets,
    )))
}

/// Patterns of `query` over `[start_ns, end_ns)`, with patterns absent from the range of the
/// same length just before marked new.
pub async fn patterns(
    backend: &Backend,
    query: &str,
    start_ns: i64,
    end_ns: i64,
    limit: usize,
) -> Result<PatternsReport, BackendError> {
    if let Some(report) = loki_patterns(backend, query, start_ns, end_ns).await? {
        return Ok(report);
    }
    let len = end_ns - start_ns;
    let has_previous = start_ns > 0 && len > 0;
    let (entries, limited) = fetch_lines(backend, query, start_ns, end_ns, limit).await?;
    let previous = if has_previous {
        Some(
            fetch_lines(backend, query, start_ns - len, start_ns, limit)
                .await?
                .0,
        )
    } else {
        None
    };
    let query = query.to_string();
    tokio::task::spawn_blocking(move || {
        mine_entries(
            &query,
            &entries,
            previous.as_deref(),
            start_ns,
            end_ns,
            limited,
        )
        .0
    })
    .await
    .map_err(|e| BackendError::Task(e.to_string()))
}

/// Field statistics of `entries` (the local sample).
pub fn sample_fields(entries: &[LogEntry]) -> (u64, Vec<FieldRow>) {
    let mut b = FieldStatsBuilder::default();
    for e in entries {
        b.add(e);
    }
    let stats = b.finish();
    (stats.entries, FieldRow::from_stats(&stats))
}

/// Fields of `query` over the range: Loki's `detected_fields` names, types and
/// cardinalities when it answers, with values, shares and distributions from a local sample
/// of `limit` lines (Loki's value lists for fields the sample lacks).
pub async fn fields(
    backend: &Backend,
    query: &str,
    start_ns: i64,
    end_ns: i64,
    limit: usize,
) -> Result<FieldsReport, BackendError> {
    let (entries, limited) = fetch_lines(backend, query, start_ns, end_ns, limit).await?;
    let (sampled, mut rows) = tokio::task::spawn_blocking(move || sample_fields(&entries))
        .await
        .map_err(|e| BackendError::Task(e.to_string()))?;
    let origin = with_detected_fields(
        backend, query, start_ns, end_ns, &mut rows, sampled, limited,
    )
    .await?;
    Ok(FieldsReport {
        query: query.to_string(),
        start_ns,
        end_ns,
        entries: sampled,
        origin,
        fields: rows,
    })
}

/// Merges Loki's `detected_fields` into field rows sampled locally from `sampled` lines
/// (Loki's type and cardinality win; fields only Loki knows get its value lists), and says
/// where the rows came from: `Mixed` when Loki answered, `Local` otherwise.
pub async fn with_detected_fields(
    backend: &Backend,
    query: &str,
    start_ns: i64,
    end_ns: i64,
    rows: &mut Vec<FieldRow>,
    sampled: u64,
    limited: bool,
) -> Result<Origin, BackendError> {
    let local = Origin::Local {
        lines: sampled,
        limited,
    };
    let Backend::Loki(c) = backend else {
        return Ok(local);
    };
    let Some(detected) = c.detected_fields(query, start_ns, end_ns).await? else {
        return Ok(local);
    };
    if detected.is_empty() {
        return Ok(local);
    }
    let mut calls = 0;
    for d in detected {
        if let Some(r) = rows.iter_mut().find(|r| r.name == d.label) {
            r.kind = d.kind.clone();
            r.cardinality = d.cardinality;
            continue;
        }
        let mut top = Vec::new();
        if calls < MAX_VALUE_CALLS {
            calls += 1;
            if let Some(values) = c
                .detected_field_values(&d.label, query, start_ns, end_ns)
                .await?
            {
                top = values.into_iter().take(10).map(|v| (v, 0, 0.0)).collect();
            }
        }
        rows.push(FieldRow {
            name: d.label,
            source: if d.parsers.is_some() {
                "parsed"
            } else {
                "metadata"
            },
            kind: d.kind,
            cardinality: d.cardinality,
            present: 0,
            top,
            numeric: None,
        });
    }
    Ok(Origin::Mixed {
        endpoint: "/loki/api/v1/detected_fields".to_string(),
        lines: sampled,
        limited,
    })
}
