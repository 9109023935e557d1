//! Running one query (from `query`, a scene command or `scene`) and printing its result.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

use super::tail::TailRequest;
use crate::cli::OutputPrefs;
use crate::cli::RangeArgs;
use crate::cli::error::CliError;
use crate::model::{Direction, LogEntry, QueryRange};
use crate::output::{
    EntryWriter, MetricView, OutputFormat, ProgressLine, TextHeader, write_metric_view,
};
use crate::session::{RangeDefault, Session};
use crate::timespec::RangeQuery;

/// Lines shown when `--limit` is not given.
pub const DEFAULT_LIMIT: usize = 1000;

/// One query to run, with everything the command line said about it.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    pub query: String,
    pub range: RangeQuery,
    /// `--limit`.
    pub limit: Option<usize>,
    pub default_since: &'a str,
    pub forward: bool,
    pub step: Option<&'a str>,
    /// Metric tables in long form (`--long`).
    pub long: bool,
    /// A chart instead of the table when stdout is a terminal (`--chart`).
    pub chart: bool,
    /// A scene's plan: with no range flag it searches the scene's own range, on local inputs
    /// counted back from the newest line, instead of the whole input.
    pub scene: bool,
    pub instant: bool,
    /// `Some(delay_for)` to follow instead of querying once.
    pub follow: Option<u32>,
    /// The one `--file` given, which `-f` follows as it grows.
    pub file: Option<&'a Path>,
}

impl<'a> Plan<'a> {
    pub fn new(query: String, range: &RangeArgs, default_since: &'a str) -> Self {
        Self {
            query,
            range: range.query(),
            limit: range.limit,
            default_since,
            forward: false,
            step: None,
            long: false,
            chart: false,
            scene: false,
            instant: false,
            follow: None,
            file: None,
        }
    }

    /// Takes `--step`, `--long` and `--chart`.
    pub fn with_metric(mut self, m: &'a crate::cli::MetricArgs) -> Self {
        self.step = m.step.as_deref().or(self.step);
        self.long = m.long;
        self.chart = m.chart;
        self
    }

    /// What is searched when no range flag is given (see `RangeDefault`).
    fn range_default(&self) -> RangeDefault<'a> {
        let metric = matches!(
            crate::logql::kind_of(&self.query),
            Ok(crate::logql::QueryKind::Metric)
        );
        if self.scene {
            RangeDefault::Last(self.default_since)
        } else if metric {
            RangeDefault::LastOrSpan(self.default_since)
        } else {
            RangeDefault::LastOrWholeInput(self.default_since)
        }
    }

    /// The same plan, followed live (`tail`, `-f`) with Loki's `delay_for`.
    pub fn tail(&self, delay_for: u32) -> TailRequest<'_> {
        TailRequest {
            query: self.query.clone(),
            range: &self.range,
            limit: self.limit,
            default_since: self.default_since,
            delay_for,
            file: self.file,
        }
    }
}

/// Runs the plan and prints the result in the chosen output format.
pub async fn run(session: &Session, prefs: &OutputPrefs, plan: Plan<'_>) -> anyhow::Result<()> {
    if let Some(delay) = plan.follow {
        match plan.file {
            Some(f) if session.backend.is_local() && crate::source::is_named_pipe(f) => {
                eprintln!(
                    "note: {} is a named pipe: its lines were read to its end; a pipe cannot be \
                     followed, so -f is ignored",
                    crate::sanitize::inline(&f.display().to_string())
                );
            }
            _ => return super::tail::follow(session, prefs, &plan.tail(delay)).await,
        }
    }
    let range = session
        .range(&plan.range, plan.range_default())
        .map_err(CliError::from)?
        .range();
    let step_ms = match plan.step {
        Some(s) => {
            let ns = crate::timespec::parse_duration(s).map_err(CliError::from)?;
            if ns < 1_000_000 {
                return Err(CliError::usage(format!("--step {s} is below one millisecond")).into());
            }
            Some(ns / 1_000_000)
        }
        None => None,
    };
    let limit = plan.limit.unwrap_or(DEFAULT_LIMIT);
    let req = QueryRange {
        query: plan.query.clone(),
        start_ns: range.start_ns,
        end_ns: range.end_ns,
        limit,
        direction: if plan.forward {
            Direction::Forward
        } else {
            Direction::Backward
        },
        step_ms,
        instant: plan.instant,
    };
    let progress = Arc::new(ProgressLine::new(prefs.quiet));
    let reporter = Arc::clone(&progress);
    // Data on stdout stays pipe-clean: the shared-labels header is a note (issue 11.21).
    let header = if prefs.quiet {
        TextHeader::Hidden
    } else {
        TextHeader::Stderr
    };
    let mut w = EntryWriter::new(
        std::io::BufWriter::new(std::io::stdout()),
        prefs.format,
        prefs.color,
    )
    .with_utc(plan.range.utc)
    .with_header(header)
    .with_terminal(std::io::stdout().is_terminal(), prefs.raw_bytes);
    // `text` aligns its columns and prints the shared labels over the whole result, so it waits
    // for all of it; every other format is the same bytes written as each slice comes in.
    let streamed = prefs.format != OutputFormat::Text;
    let mut held: Vec<LogEntry> = Vec::new();
    let mut write_error: Option<std::io::Error> = None;
    let result = {
        let progress = &progress;
        let mut each = |entries: Vec<LogEntry>| {
            if !streamed {
                held.extend(entries);
                return true;
            }
            progress.clear();
            match w.write_entries(&entries) {
                Ok(()) => true,
                Err(e) => {
                    write_error = Some(e);
                    false
                }
            }
        };
        session
            .backend
            .query_each(
                &req,
                Arc::new(move |p: crate::loki::Progress| {
                    reporter.update(p.entries, p.pages, p.elapsed)
                }),
                &mut each,
            )
            .await
    };
    progress.clear();
    if let Some(e) = write_error {
        return Err(e.into());
    }
    let (metric, _stats) = result?;
    match metric {
        None => {
            w.write_entries(&held)?;
            let shown = w.count();
            let mut out = w.finish()?;
            out.flush()?;
            if !prefs.quiet {
                if shown == 0 {
                    eprintln!(
                        "vs-logs: no lines matched in {}",
                        describe_range(session, &range, plan.range.utc)
                    );
                    if range.start_ns != 0 {
                        eprintln!("hint: {}", crate::output::no_lines_hint("e.g. --since 7d"));
                    }
                } else if limit > 0 && shown >= limit {
                    eprintln!(
                        "vs-logs: showing {}, the limit; more may exist (--limit N, or --limit 0 for all)",
                        crate::output::plural(limit, "line", "lines")
                    );
                }
            }
        }
        Some(m) => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let view = MetricView {
                format: prefs.format,
                utc: plan.range.utc,
                long: plan.long,
                chart: plan.chart && std::io::stdout().is_terminal(),
                color: prefs.color,
            };
            // Series labels come from the logs: JSON to a terminal escapes what it would act on.
            let mut safe = crate::output::SafeWriter::new(&mut out, prefs.escape());
            write_metric_view(&mut safe, &m, view)?;
            safe.flush()?;
            drop(safe);
            if !prefs.quiet && m.is_empty() {
                eprintln!(
                    "vs-logs: the metric query returned no series in {}",
                    describe_range(session, &range, plan.range.utc)
                );
                eprintln!(
                    "hint: widen the range (e.g. --since 7d), check the selector with `vs-logs series`, or try the log query alone"
                );
            }
            out.flush()?;
        }
    }
    Ok(())
}

fn describe_range(session: &Session, r: &crate::timespec::TimeRange, utc: bool) -> String {
    if r.start_ns == 0 {
        return format!("{} (whole input)", session.backend.describe());
    }
    format!(
        "{} .. {}",
        crate::timespec::format_display(r.start_ns, utc),
        crate::timespec::format_display(r.end_ns, utc)
    )
}
