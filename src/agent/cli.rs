//! `vs-logs replay` and `vs-logs agents`.
//!
//! Called from `cli` with the parsed arguments; prints through `agent::render`.

use std::io::Write;

use crate::agent::fetch::{self, DAY_NS, HOUR_NS, LineSource, WIDEST_NS, Window};
use crate::agent::model::{AgentRun, BuildOptions, PriceTable, RunStatus, build_runs_with};
use crate::agent::render::fmt::{Paint, time};
use crate::agent::render::json::{self as json_out, Searched};
use crate::agent::render::runs_table::{RunRow, write_table};
use crate::agent::render::{diff, timeline};
use crate::cli::{Context, RangeArgs};
use crate::model::LogEntry;
use crate::output::OutputFormat;

/// Arguments of `vs-logs replay`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ReplayArgs {
    /// The agent id (`ag-456`).
    pub agent_id: String,
    /// Compare with another run.
    #[arg(long)]
    pub diff: Option<String>,
    /// Open the timeline in the TUI.
    #[arg(long)]
    pub tui: bool,
    #[command(flatten)]
    pub range: RangeArgs,
}

/// Arguments of `vs-logs agents`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct AgentsArgs {
    /// Only runs of this agent type.
    #[arg(long = "type")]
    pub agent_type: Option<String>,
    /// Only runs with this status (done, failed, running, incomplete).
    #[arg(long)]
    pub status: Option<String>,
    #[command(flatten)]
    pub range: RangeArgs,
}

/// Width the text renderings are laid out for.
const WIDTH: usize = 80;

pub async fn replay(ctx: &Context, args: &ReplayArgs) -> anyhow::Result<()> {
    if args.tui {
        let found = find_runs(ctx, &ctx.backend, &args.agent_id, &args.range).await?;
        return crate::tui::agent_view::open_timeline(found.runs).await;
    }
    let mut out = std::io::stdout().lock();
    replay_to(ctx, args, &ctx.backend, &mut out).await
}

pub async fn agents(ctx: &Context, args: &AgentsArgs) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    agents_to(ctx, args, &ctx.backend, &mut out).await
}

/// Build options from the context: its clock, and the price table with the config's overrides.
pub fn build_options(ctx: &Context) -> anyhow::Result<BuildOptions> {
    let prices = PriceTable::bundled().with_overrides(&ctx.config.pricing)?;
    Ok(BuildOptions {
        now_ns: Some(ctx.now_ns),
        prices,
        ..BuildOptions::default()
    })
}

/// The runs of one agent id and how they were found.
pub struct Found {
    pub runs: Vec<AgentRun>,
    pub entries: Vec<LogEntry>,
    pub searched: Searched,
}

/// Finds every run of `agent_id`: in the requested range, else (when the user did not choose
/// the range) in the last 30 days; else fails saying what was searched and how to widen it.
pub async fn find_runs(
    ctx: &Context,
    src: &impl LineSource,
    agent_id: &str,
    range: &RangeArgs,
) -> anyhow::Result<Found> {
    let query = fetch::replay_query(&ctx.app, agent_id);
    let mut win = fetch::window(ctx, range, 7 * DAY_NS)?;
    let opts = build_options(ctx)?;
    loop {
        let entries = src.fetch(&query, win.start_ns, win.end_ns).await?;
        let runs: Vec<AgentRun> = build_runs_with(&entries, &opts)
            .into_iter()
            .filter(|r| r.header.agent_id == agent_id)
            .collect();
        let searched = Searched {
            query: query.clone(),
            start_ns: win.start_ns,
            end_ns: win.end_ns,
        };
        if !runs.is_empty() {
            return Ok(Found {
                runs,
                entries,
                searched,
            });
        }
        if !win.explicit && win.end_ns - win.start_ns < WIDEST_NS {
            if !ctx.quiet {
                eprintln!(
                    "vs-logs: no lines for agent {} in the last {} days; searching the last 30 days",
                    crate::sanitize::inline(agent_id),
                    (win.end_ns - win.start_ns) / DAY_NS
                );
            }
            win = Window {
                start_ns: win.end_ns - WIDEST_NS,
                ..win
            };
            continue;
        }
        anyhow::bail!(
            "no lines for agent {} between {} and {} (query: {query}). Check the id and --app, \
             or search further back with --since 90d or --from YYYY-MM-DD",
            crate::sanitize::inline(agent_id),
            time(win.start_ns, range.utc),
            time(win.end_ns, range.utc)
        );
    }
}

/// `replay` writing to `out`, lines coming from `src`.
pub async fn replay_to(
    ctx: &Context,
    args: &ReplayArgs,
    src: &impl LineSource,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let a = find_runs(ctx, src, &args.agent_id, &args.range).await?;
    let paint = Paint {
        on: ctx.color,
        utc: args.range.utc,
    };
    if let Some(b_id) = &args.diff {
        let b = find_runs(ctx, src, b_id, &args.range).await?;
        // A reused id: compare the latest attempts.
        let (Some(ra), Some(rb)) = (a.runs.last(), b.runs.last()) else {
            anyhow::bail!("nothing to compare");
        };
        match ctx.output {
            OutputFormat::Json => writeln!(out, "{:#}", json_out::diff(ra, rb))?,
            OutputFormat::Jsonl => writeln!(out, "{}", json_out::diff(ra, rb))?,
            OutputFormat::Text | OutputFormat::Raw => diff::write_diff(out, ra, rb, paint)?,
        }
        return Ok(());
    }
    match ctx.output {
        OutputFormat::Json => writeln!(
            out,
            "{:#}",
            json_out::replay(&args.agent_id, &a.runs, &a.searched)
        )?,
        OutputFormat::Jsonl => {
            for run in &a.runs {
                writeln!(out, "{}", serde_json::to_string(run)?)?;
            }
        }
        OutputFormat::Raw => {
            let mut entries = a.entries;
            entries.sort_by_key(|e| e.ts);
            entries.dedup_by(|x, y| x.ts == y.ts && x.line == y.line);
            for e in entries {
                writeln!(out, "{}", e.line)?;
            }
        }
        OutputFormat::Text => timeline::write_runs(out, &a.runs, paint, WIDTH)?,
    }
    out.flush()?;
    Ok(())
}

/// `agents` writing to `out`, lines coming from `src`.
pub async fn agents_to(
    ctx: &Context,
    args: &AgentsArgs,
    src: &impl LineSource,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let status = match args.status.as_deref() {
        Some(s) => Some(RunStatus::parse(s).ok_or_else(|| {
            anyhow::anyhow!("unknown status {s:?}: use done, failed, running or incomplete")
        })?),
        None => None,
    };
    let win = fetch::window(ctx, &args.range, 24 * HOUR_NS)?;
    let query = fetch::agents_query(&ctx.app, args.agent_type.as_deref());
    let entries = src.fetch(&query, win.start_ns, win.end_ns).await?;
    let rows = summarize(&entries, ctx, args.agent_type.as_deref(), status)?;
    let searched = Searched {
        query,
        start_ns: win.start_ns,
        end_ns: win.end_ns,
    };
    match ctx.output {
        OutputFormat::Json => writeln!(out, "{:#}", json_out::agents(&rows, &searched))?,
        OutputFormat::Jsonl | OutputFormat::Raw => {
            for r in &rows {
                writeln!(out, "{}", serde_json::to_string(r)?)?;
            }
        }
        OutputFormat::Text => write_table(
            out,
            &rows,
            Paint {
                on: ctx.color,
                utc: args.range.utc,
            },
        )?,
    }
    out.flush()?;
    Ok(())
}

/// The runs table rows of `entries`, filtered, oldest first.
pub fn summarize(
    entries: &[LogEntry],
    ctx: &Context,
    agent_type: Option<&str>,
    status: Option<RunStatus>,
) -> anyhow::Result<Vec<RunRow>> {
    let runs = build_runs_with(entries, &build_options(ctx)?);
    let mut rows: Vec<RunRow> = runs
        .iter()
        .filter(|r| agent_type.is_none_or(|t| r.header.agent_type.as_deref() == Some(t)))
        .filter(|r| status.is_none_or(|s| r.header.status == s))
        .map(RunRow::of)
        .collect();
    rows.sort_by(|a, b| (a.start_ns, &a.agent_id).cmp(&(b.start_ns, &b.agent_id)));
    Ok(rows)
}
