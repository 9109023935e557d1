//! The interactive explorer (`vs-logs tui`). The only module that touches ratatui/crossterm.
//!
//! Shape: one `App` owned by the loop (`event_loop`), changed only by
//! `update(&mut App, Msg) -> Vec<Command>` (no I/O: tested directly); the loop executes the
//! commands in background tasks whose owned results come back as messages tagged with a
//! generation (stale ones are dropped); `render(frame, &App)` only draws.
//!
//! CONTRACT (used by `cli`): `TuiArgs` and `run` keep these signatures.

pub mod agent_view;
pub mod app;
pub mod chart;
mod event_loop;
pub mod export;
pub mod fields;
pub mod history;
pub mod input;
pub mod keys;
pub mod keyspec;
pub mod layout;
pub mod level;
pub mod msg;
pub mod render;
pub mod rewrite;
pub mod row;
pub mod store;
mod terminal;
pub mod testkit;
pub mod update;
pub mod volume;

use std::time::Instant;

use crate::cli::{Context, RangeArgs};

pub use app::{App, View};
pub use msg::{Command, Msg};
pub use render::render;
pub use update::update;

use app::{DEFAULT_BUFFER_LINES, RangeSpec};
use keys::KeyMap;

/// Arguments of `vs-logs tui`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TuiArgs {
    /// Start with this LogQL instead of the first scene.
    pub query: Option<String>,
    /// Start with this scene.
    #[arg(long)]
    pub scene: Option<String>,
    #[command(flatten)]
    pub range: RangeArgs,
}

/// The range asked for on the command line, if any.
fn range_of_args(r: &RangeArgs, now_ns: i64) -> anyhow::Result<Option<RangeSpec>> {
    if let Some(since) = &r.since {
        let ns = update::parse_since(since)
            .ok_or_else(|| anyhow::anyhow!("cannot read --since {since:?}; try 30m, 12h or 7d"))?;
        return Ok(Some(RangeSpec::last(since, ns)));
    }
    if r.from.is_none() && r.to.is_none() {
        return Ok(None);
    }
    let t = |s: &Option<String>| -> anyhow::Result<i64> {
        match s {
            None => Ok(now_ns),
            Some(s) => Ok(crate::timespec::parse_time(s, now_ns, r.utc)?),
        }
    };
    let start_ns = match &r.from {
        Some(_) => t(&r.from)?,
        None => now_ns - 3_600_000_000_000,
    };
    let end_ns = t(&r.to)?;
    anyhow::ensure!(start_ns < end_ns, "--from must be before --to");
    Ok(Some(RangeSpec::Absolute {
        start_ns,
        end_ns,
        label: format!(
            "{} .. {}",
            r.from.as_deref().unwrap_or("1h before"),
            r.to.as_deref().unwrap_or("now")
        ),
    }))
}

/// The app as it starts: settings from the context, and the first query (the given LogQL,
/// the given scene, or the first scene that needs no parameters).
pub fn start(ctx: &Context, args: &TuiArgs) -> anyhow::Result<(App, Vec<Command>)> {
    let mut app = App::new(
        &ctx.app,
        ctx.scenes.clone(),
        KeyMap::new(&ctx.config.keys),
        ctx.now_ns,
    );
    app.backend_name = ctx.backend.describe();
    app.buffer_lines = ctx.config.tui.buffer_lines.unwrap_or(DEFAULT_BUFFER_LINES);
    if let Some(l) = args.range.limit {
        app.page_size = l;
    }
    let range = range_of_args(&args.range, ctx.now_ns)?;
    if let Some(r) = range.clone() {
        app.range = r;
    }
    if let Some(q) = &args.query {
        app.editor.set(q.clone());
        let c = update::run_query(&mut app, q.clone());
        return Ok((app, c));
    }
    let idx =
        match &args.scene {
            Some(name) => Some(ctx.scenes.iter().position(|s| s.name == *name).ok_or_else(
                || anyhow::anyhow!("no scene named {name:?}; `vs-logs scenes` lists them"),
            )?),
            None => ctx
                .scenes
                .iter()
                .position(|s| s.params.iter().all(|p| p.default.is_some())),
        };
    let mut cmds = match idx {
        Some(i) => update::choose_scene(&mut app, i),
        None => {
            let q = format!("{{app={}}}", rewrite::quote(&ctx.app));
            app.editor.set(q.clone());
            update::run_query(&mut app, q)
        }
    };
    if let Some(r) = range
        && !cmds.is_empty()
    {
        // the command line's range wins over the scene's
        app.range = r;
        let q = app.editor.text.clone();
        cmds = update::run_query(&mut app, q);
    }
    Ok((app, cmds))
}

/// Runs the explorer until the user quits; the terminal is restored on every path.
pub async fn run(ctx: Context, args: TuiArgs) -> anyhow::Result<()> {
    let (mut app, initial) = start(&ctx, &args)?;
    let history_path = history::default_path();
    if let Some(p) = &history_path {
        app.history = history::History::load(p);
    }
    if let Ok((w, h)) = crossterm::terminal::size() {
        app.width = w;
        app.height = h;
    }
    let started = Instant::now();
    let now0 = ctx.now_ns;
    let clock = move || now0 + started.elapsed().as_nanos() as i64;
    let (mut terminal, guard) = terminal::enter()?;
    let result = event_loop::run(
        &mut terminal,
        &mut app,
        ctx.backend.clone(),
        history_path,
        initial,
        clock,
        crate::agent::cli::build_options(&ctx).unwrap_or_default(),
    )
    .await;
    drop(guard);
    result
}
