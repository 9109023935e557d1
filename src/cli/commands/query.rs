//! Running one query (from `query`, a scene command or `scene`) and printing its result.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use crate::cli::error::CliError;
use crate::cli::{Context, RangeArgs};
use crate::model::{Direction, QueryOutput, QueryRange};
use crate::output::{EntryWriter, ProgressLine, write_metric};
use crate::tail::FollowOptions;

/// Lines shown when `--limit` is not given.
pub const DEFAULT_LIMIT: usize = 1000;
/// History lines shown before following when `--limit` is not given.
pub const DEFAULT_TAIL_LIMIT: usize = 100;

/// One query to run, with everything the command line said about it.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    pub query: String,
    pub range: &'a RangeArgs,
    pub default_since: &'a str,
    pub forward: bool,
    pub step: Option<&'a str>,
    pub instant: bool,
    /// `Some(delay_for)` to follow instead of querying once.
    pub follow: Option<u32>,
    /// The one `--file` given, which `-f` follows as it grows.
    pub file: Option<&'a Path>,
}

impl<'a> Plan<'a> {
    pub fn new(query: String, range: &'a RangeArgs, default_since: &'a str) -> Self {
        Self {
            query,
            range,
            default_since,
            forward: false,
            step: None,
            instant: false,
            follow: None,
            file: None,
        }
    }
}

/// `tail` and `-f`: hands over to the live tail.
pub async fn follow(ctx: &Context, plan: &Plan<'_>, delay_for: u32) -> anyhow::Result<()> {
    if delay_for > 5 {
        return Err(CliError::usage(format!(
            "--delay-for {delay_for}: Loki allows 0 to 5 seconds"
        ))
        .into());
    }
    let range = ctx
        .range(plan.range, plan.default_since)
        .map_err(CliError::from)?;
    let opts = FollowOptions {
        query: plan.query.clone(),
        start_ns: range.start_ns,
        limit: plan.range.limit.unwrap_or(DEFAULT_TAIL_LIMIT),
        delay_for_s: delay_for,
    };
    if !ctx.backend.is_local() {
        return crate::tail::follow(ctx, opts).await;
    }
    match plan.file {
        Some(path) => crate::tail::follow_file(ctx, path.to_path_buf(), opts).await,
        None => Err(CliError::usage(
            "following a local source needs exactly one --file (stdin and the demo do not grow)",
        )
        .into()),
    }
}

/// Runs the plan and prints the result in the context's output format.
pub async fn run(ctx: &Context, plan: Plan<'_>) -> anyhow::Result<()> {
    if let Some(delay) = plan.follow {
        return follow(ctx, &plan, delay).await;
    }
    let range = ctx
        .range(plan.range, plan.default_since)
        .map_err(CliError::from)?;
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
    let limit = plan.range.limit.unwrap_or(DEFAULT_LIMIT);
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
    let progress = Arc::new(ProgressLine::new(ctx.quiet));
    let reporter = Arc::clone(&progress);
    let result = ctx
        .backend
        .query(
            &req,
            Arc::new(move |p: crate::loki::Progress| {
                reporter.update(p.entries, p.pages, p.elapsed)
            }),
        )
        .await;
    progress.clear();
    let (output, _stats) = result?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match output {
        QueryOutput::Streams(entries) => {
            let mut w = EntryWriter::new(&mut out, ctx.output, ctx.color)
                .with_utc(plan.range.utc)
                .with_terminal(
                    std::io::IsTerminal::is_terminal(&std::io::stdout()),
                    ctx.raw_bytes,
                );
            w.write_entries(&entries)?;
            w.finish()?;
            if !ctx.quiet {
                if entries.is_empty() {
                    eprintln!(
                        "vs-logs: no lines matched in {}",
                        describe_range(ctx, &range, plan.range.utc)
                    );
                    if range.start_ns != 0 {
                        eprintln!("hint: widen the range (e.g. --since 7d) or loosen the query");
                    }
                } else if limit > 0 && entries.len() >= limit {
                    eprintln!(
                        "vs-logs: showing {limit} lines, the limit; more may exist (--limit N, or --limit 0 for all)"
                    );
                }
            }
        }
        QueryOutput::Metric(m) => write_metric(&mut out, &m, ctx.output, plan.range.utc)?,
    }
    out.flush()?;
    Ok(())
}

fn describe_range(ctx: &Context, r: &crate::timespec::TimeRange, utc: bool) -> String {
    if r.start_ns == 0 {
        return format!("{} (whole input)", ctx.backend.describe());
    }
    format!(
        "{} .. {}",
        crate::timespec::format_display(r.start_ns, utc),
        crate::timespec::format_display(r.end_ns, utc)
    )
}
