//! Running a LogQL query over a local source with Loki's semantics.

use std::time::Instant;

use super::{LocalSource, SourceError, exec, metric_scan, scan};
use crate::logql::{self, LogQuery, MetricQuery, QueryKind};
use crate::model::{QueryOutput, QueryRange, QueryStats};

impl LocalSource {
    /// Runs a log or metric query with Loki's semantics (see `QueryRange`).
    pub fn query(
        &self,
        req: &QueryRange,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<(QueryOutput, QueryStats), SourceError> {
        let started = Instant::now();
        let (output, counts) = match logql::kind_of(&req.query)? {
            QueryKind::Log => {
                let q = LogQuery::compile(&req.query)?;
                let bounds = exec::LogBounds {
                    start_ns: req.start_ns,
                    end_ns: req.end_ns,
                    limit: req.limit,
                    direction: req.direction,
                };
                let (entries, counts) = exec::run_log(&self.data, &q, &self.app, bounds, progress)?;
                (QueryOutput::Streams(entries), counts)
            }
            QueryKind::Metric => self.metric(req, progress)?,
        };
        let stats = QueryStats {
            bytes_processed: counts.bytes,
            lines_processed: counts.lines,
            exec_time_s: started.elapsed().as_secs_f64(),
        };
        Ok((output, stats))
    }

    fn metric(
        &self,
        req: &QueryRange,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<(QueryOutput, scan::Counts), SourceError> {
        let q = MetricQuery::compile(&req.query)?;
        let sampling = if req.instant {
            q.instant_sampling(req.end_ns)
        } else {
            let step_ms = req
                .step_ms
                .filter(|s| *s > 0)
                .unwrap_or_else(|| metric_scan::default_step_ms(req.start_ns, req.end_ns));
            q.range_sampling(req.start_ns, req.end_ns, step_ms)?
        };
        // Only the lines some step's window holds are sampled (Loki's grid is rounded out to
        // the step at both ends, so its last window can reach past `end`).
        let (set, counts) = metric_scan::scan(&self.data, &sampling, &self.app, progress)?;
        let result = sampling.finish(set)?;
        Ok((QueryOutput::Metric(result), counts))
    }
}
