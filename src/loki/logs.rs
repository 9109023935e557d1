//! Log queries: the range cut into time slices (balanced by Loki's volume index when the result
//! needs several pages), the slices fetched with a bounded number in flight, and handed on in
//! the query's order as soon as each slice's turn comes, so the first lines appear early and
//! memory holds only the slices in flight.
//!
//! Slices are disjoint `[start, end)` windows (start inclusive, end exclusive, as Loki's
//! `query_range`), each paged by [`paging::page_all`] into the one total order; their
//! concatenation is therefore exactly the sequential result, whatever the cut points, the
//! batch size and the concurrency. When the index endpoints are missing (an old Loki, a proxy
//! that does not forward them) the query quietly runs as it would without them.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use futures_util::StreamExt;
use reqwest::Method;

use super::http::Call;
use super::paging::{self, PageRequest, SERVER_MAX_ENTRIES, VolumeBucket};
use super::slices::{SPLIT_INTERVAL_NS, volume_step_s};
use super::throttle::Limiter;
use super::wire::{self, Decoded};
use super::{LokiClient, LokiConfig, LokiError, Progress};
use crate::model::{Direction, LogEntry, QueryRange, QueryStats, Series};

/// Slices in flight when the user did not say (`--parallel`): enough to hide Loki's time per
/// page, few enough not to weigh on a shared Loki.
pub const AUTO_PARALLEL: usize = 4;
/// Most slices one query is cut into.
const MAX_SLICES: usize = 256;
const QUERY_RANGE: &str = "/loki/api/v1/query_range";

/// The slices of one query and how many are fetched at once.
#[derive(Debug, Clone, PartialEq)]
pub struct SlicePlan {
    /// In the query's order (newest first when backward).
    pub slices: Vec<(i64, i64)>,
    pub parallel: usize,
}

/// `index/volume_range` series as buckets, the series of one bucket summed. Loki stamps a
/// bucket at its end less a millisecond (`1795510799.999` for the hour ending at `…800`).
pub fn volume_buckets(series: &[Series], step_s: i64) -> Vec<VolumeBucket> {
    let step_ns = step_s.max(1).saturating_mul(1_000_000_000);
    let mut sum: BTreeMap<i64, f64> = BTreeMap::new();
    for s in series {
        for p in &s.points {
            let end = p.t_ms.saturating_add(1).saturating_mul(1_000_000);
            *sum.entry(end).or_default() += p.v;
        }
    }
    sum.into_iter()
        .map(|(end_ns, weight)| VolumeBucket {
            start_ns: end_ns.saturating_sub(step_ns),
            end_ns,
            weight,
        })
        .collect()
}

/// Slices in flight for this query, and whether its result may need more than one page.
pub fn concurrency(cfg: &LokiConfig, req: &QueryRange) -> (usize, bool) {
    let batch = cfg.batch_size.clamp(1, SERVER_MAX_ENTRIES);
    let large = req.limit == 0 || req.limit > batch;
    let parallel = match cfg.parallel {
        0 if large => AUTO_PARALLEL,
        0 => 1,
        n => n,
    };
    (parallel, large)
}

/// Decides the slices of `[start, end)`: by volume when the result needs more than one page
/// and the range is one Loki accepts in a request; otherwise as before (equal times when the
/// user asked for `--parallel`, else one slice per `max_query_length`).
pub async fn plan(c: &LokiClient, req: &QueryRange, start: i64, end: i64) -> SlicePlan {
    let cfg = c.config();
    let max_len = i64::try_from(cfg.max_query_length.as_nanos()).unwrap_or(i64::MAX);
    let batch = cfg.batch_size.clamp(1, SERVER_MAX_ENTRIES);
    let (parallel, large) = concurrency(cfg, req);
    let span = end.saturating_sub(start);
    let by_volume = if parallel > 1 && large && span > 0 && span <= max_len {
        volume_slices(c, &req.query, (start, end), batch).await
    } else {
        None
    };
    let mut slices = by_volume.unwrap_or_else(|| {
        let min = if cfg.parallel > 1 { parallel } else { 1 };
        paging::split_range(start, end, max_len, min)
    });
    if req.direction == Direction::Backward {
        slices.reverse();
    }
    SlicePlan { slices, parallel }
}

/// A little under one page of entries per slice, cut where the index says the lines are and
/// on Loki's split interval where they allow it; `None` when the index cannot say how many
/// lines there are. A result that fits in one slice costs no volume request.
async fn volume_slices(
    c: &LokiClient,
    query: &str,
    (start, end): (i64, i64),
    batch: usize,
) -> Option<Vec<(i64, i64)>> {
    let selector = paging::selector_of(query)?;
    // The stats first (a few ms for Loki): the volume only when more than one slice is needed.
    let stats = c.index_stats(selector, start, end).await;
    let entries = usize::try_from(stats.ok()?.entries).unwrap_or(usize::MAX);
    // A little under a page per slice: a slice that fills its page exactly costs a second
    // request to learn that it is finished.
    let per_slice = (batch * 4 / 5).max(entries.div_ceil(MAX_SLICES)).max(1);
    if entries <= per_slice {
        return Some(vec![(start, end)]);
    }
    let mut volume = c
        .volume_range(selector, start, end, volume_step_s(start, end))
        .await;
    // Lines bunched in a small part of a long range (a burst, or a range reaching far back)
    // fall into a few buckets, where the weight would be taken as spread evenly: ask again
    // over just that part, for buckets as fine as the first answer's were coarse.
    if let Ok(b) = &volume
        && let Some((from, to)) = occupied(b, start, end)
        && to.saturating_sub(from) <= end.saturating_sub(start) / 10
        && volume_step_s(from, to) < volume_step_s(start, end)
        && let Ok(fine) = c
            .volume_range(selector, from, to, volume_step_s(from, to))
            .await
    {
        volume = Ok(fine);
    }
    let total = match &volume {
        Ok(b) => paging::weight_between(b, start, end),
        Err(_) => 0.0,
    };
    Some(match volume {
        Ok(b) if total > 0.0 => {
            let budget = total * per_slice as f64 / entries as f64;
            paging::aligned_slices(start, end, &b, budget, SPLIT_INTERVAL_NS)
        }
        _ => paging::split_range(start, end, i64::MAX, entries.div_ceil(per_slice)),
    })
}

/// The span of `[start, end)` the buckets with weight cover.
fn occupied(buckets: &[VolumeBucket], start: i64, end: i64) -> Option<(i64, i64)> {
    let full = buckets.iter().filter(|b| b.weight > 0.0);
    let from = full.clone().map(|b| b.start_ns).min()?.max(start);
    let to = full.map(|b| b.end_ns).max()?.min(end);
    (to > from).then_some((from, to))
}

/// Hands entries on until the limit, counting what went out.
struct Delivery<'a> {
    each: &'a mut (dyn FnMut(Vec<LogEntry>) -> bool + Send),
    limit: usize,
    delivered: usize,
}

impl Delivery<'_> {
    /// Passes one slice on; `false` when nothing more is wanted.
    fn take(&mut self, mut entries: Vec<LogEntry>) -> bool {
        if self.limit > 0 {
            entries.truncate(self.limit - self.delivered);
        }
        self.delivered += entries.len();
        let more = entries.is_empty() || (self.each)(entries);
        more && (self.limit == 0 || self.delivered < self.limit)
    }

    fn remaining(&self) -> usize {
        if self.limit == 0 {
            0
        } else {
            self.limit - self.delivered
        }
    }
}

/// Runs a log query, handing its entries to `each` slice by slice in the query's order.
///
/// When slicing could pay, the first page is fetched over the whole range first: a result
/// that fits in it costs one request, as without slicing. Otherwise its entries up to (not
/// including) its last timestamp go out at once, and only the rest of the range is planned
/// (index stats, then the volume histogram when the stats say more than one slice) and
/// sliced, that timestamp included, so entries sharing it are neither lost nor repeated.
/// (That first page costs Loki about what a slice of as many lines does: it stops its
/// sub-queries once it has the page.)
pub(super) async fn run(
    c: &LokiClient,
    req: &QueryRange,
    progress: &(dyn Fn(Progress) + Send + Sync),
    started: Instant,
    each: &mut (dyn FnMut(Vec<LogEntry>) -> bool + Send),
) -> Result<QueryStats, LokiError> {
    let (parallel, large) = concurrency(c.config(), req);
    let limiter = Limiter::new(parallel);
    let entries = AtomicUsize::new(0);
    let pages = AtomicUsize::new(0);
    let stats = Mutex::new(QueryStats::default());
    let report = |delta_entries: usize| {
        let e = entries.fetch_add(delta_entries, Ordering::Relaxed) + delta_entries;
        let p = pages.fetch_add(1, Ordering::Relaxed) + 1;
        progress(Progress {
            entries: e,
            pages: p,
            elapsed: started.elapsed(),
        });
    };
    let page = |r: PageRequest| {
        let (stats, limiter) = (&stats, &limiter);
        async move {
            let params = [
                ("query", req.query.clone()),
                ("start", r.start_ns.to_string()),
                ("end", r.end_ns.to_string()),
                ("limit", r.limit.to_string()),
                ("direction", req.direction.as_str().to_string()),
            ];
            let slot = limiter.acquire().await;
            let (d, s) = fetch(c, &params, &|| limiter.throttled()).await?;
            drop(slot);
            if let Ok(mut total) = stats.lock() {
                super::query::add_stats(&mut total, s);
            }
            match d {
                Decoded::Streams(es) => Ok(es),
                Decoded::Metric(_) => Err(LokiError::Other(
                    "Loki answered a log query with a metric result".into(),
                )),
            }
        }
    };
    let slice = |(start, end): (i64, i64), limit: usize| {
        let (report, page) = (&report, &page);
        async move {
            let mut last = 0usize;
            let mut on_page = |n: usize, _p: usize| {
                report(n.saturating_sub(last));
                last = n;
            };
            let (dir, batch) = (req.direction, c.config().batch_size);
            paging::page_all(start, end, limit, batch, dir, page, &mut on_page).await
        }
    };
    let mut out = Delivery {
        each,
        limit: req.limit,
        delivered: 0,
    };
    let (mut start, mut end) = (req.start_ns, req.end_ns);
    let max_len = i64::try_from(c.config().max_query_length.as_nanos()).unwrap_or(i64::MAX);
    if parallel > 1 && large && end > start && end - start <= max_len {
        let batch = c.config().batch_size.clamp(1, SERVER_MAX_ENTRIES);
        let ask = if req.limit == 0 {
            batch
        } else {
            req.limit.min(batch)
        };
        let mut first = page(PageRequest {
            start_ns: start,
            end_ns: end,
            limit: ask,
        })
        .await?;
        let edge = match req.direction {
            Direction::Forward => first.iter().map(|e| e.ts).max(),
            Direction::Backward => first.iter().map(|e| e.ts).min(),
        };
        let full = first.len() >= ask;
        if let (true, Some(edge)) = (full, edge) {
            first.retain(|e| e.ts != edge);
            match req.direction {
                Direction::Forward => start = edge,
                Direction::Backward => end = edge.saturating_add(1),
            }
        }
        report(first.len());
        paging::sort_entries(req.direction, &mut first);
        if !out.take(first) || !full || edge.is_none() {
            return Ok(stats.lock().map(|s| *s).unwrap_or_default());
        }
    }
    let plan = plan(c, req, start, end).await;
    if plan.parallel > 1 && plan.slices.len() > 1 {
        // `buffered` keeps `parallel` slices going and yields them in order: a finished slice
        // waits (at most `parallel` of them) until the ones before it are out.
        let limit = out.remaining();
        let mut results = futures_util::stream::iter(plan.slices)
            .map(|s| slice(s, limit))
            .buffered(plan.parallel);
        while let Some(r) = results.next().await {
            if !out.take(r?) {
                break;
            }
        }
    } else {
        // One slice after the other, each handed on page by page as it is settled: memory
        // holds a page, not the result.
        for (start, end) in plan.slices {
            let mut last = 0usize;
            let mut on_page = |n: usize, _p: usize| {
                report(n.saturating_sub(last));
                last = n;
            };
            let window = paging::Window {
                start_ns: start,
                end_ns: end,
                limit: out.remaining(),
                batch_size: c.config().batch_size,
                direction: req.direction,
            };
            let mut more = true;
            let mut each = |es: Vec<LogEntry>| {
                more = out.take(es);
                more
            };
            paging::page_each(window, &page, &mut on_page, &mut each).await?;
            if !more {
                break;
            }
        }
    }
    Ok(stats.lock().map(|s| *s).unwrap_or_default())
}

async fn fetch(
    c: &LokiClient,
    params: &[(&str, String)],
    throttled: &(dyn Fn() + Send + Sync),
) -> Result<(Decoded, QueryStats), LokiError> {
    let call = Call {
        method: Method::GET,
        path: QUERY_RANGE,
        params,
        body: None,
        categorize: true,
    };
    let body = c
        .http
        .send_observed(&c.config, &call, throttled)
        .await?
        .body;
    wire::decode_query(&body)
        .map_err(|detail| super::error::decode_error(QUERY_RANGE, detail, &body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Labels, Point};

    #[test]
    fn volume_points_become_summed_buckets_ending_on_the_step() {
        let series = |v: f64| Series {
            metric: Labels::new(),
            points: vec![
                Point {
                    t_ms: 1_795_510_799_999,
                    v,
                },
                Point {
                    t_ms: 1_795_514_399_999,
                    v: 1.0,
                },
            ],
        };
        let b = volume_buckets(&[series(2.0), series(3.0)], 3600);
        assert_eq!(
            b,
            vec![
                VolumeBucket {
                    start_ns: 1_795_507_200_000_000_000,
                    end_ns: 1_795_510_800_000_000_000,
                    weight: 5.0
                },
                VolumeBucket {
                    start_ns: 1_795_510_800_000_000_000,
                    end_ns: 1_795_514_400_000_000_000,
                    weight: 2.0
                },
            ]
        );
    }
}
