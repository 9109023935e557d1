//! One front end per command; `dispatch` picks it. Each turns its clap arguments into plain
//! requests once and works in the `Session`, printing with the CLI's `OutputPrefs`.

pub mod agents;
pub mod completions;
pub mod dashboard;
pub mod discovery;
pub mod drill;
pub mod profiles;
pub mod push;
pub mod query;
pub mod replay;
pub mod scenes;
pub mod tail;
pub mod tui;

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::OutputPrefs;
use super::args::{Command, GlobalArgs};
use super::error::CliError;
use crate::session::Session;
use query::Plan;
use scenes::{Narrow, run_scene};

/// Runs the commands about vs-logs itself (`profiles`, `completions`, `man`), which need no
/// session: a broken profile or an unreachable Loki must not stop them. `None` for the others.
pub fn run_without_session(
    global: &GlobalArgs,
    command: &Command,
    profile_from: Option<profiles::ActiveBecause>,
) -> Option<anyhow::Result<()>> {
    Some(match command {
        Command::Profiles => profiles::run(global, profile_from),
        Command::Completions(a) => completions::completions(global, a),
        Command::Man(a) => completions::man(global, a),
        _ => return None,
    })
}

/// The name of a command that takes the terminal over (the explorer), for the supervising
/// parent's message; `None` for every other command (they run in this process).
pub fn takes_terminal(command: &Command) -> Option<&'static str> {
    match command {
        Command::Tui(_) => Some("vs-logs tui"),
        Command::Dashboard(_) => Some("vs-logs dashboard"),
        Command::Replay(a) if a.tui => Some("vs-logs replay --tui"),
        _ => None,
    }
}

/// Runs `command`; `file` is the single `--file` given (what `-f` follows locally).
pub async fn dispatch(
    session: Session,
    prefs: OutputPrefs,
    command: Command,
    file: Option<PathBuf>,
) -> anyhow::Result<()> {
    if prefs.format == crate::output::OutputFormat::Csv
        && matches!(
            command,
            Command::Replay(_) | Command::Agents(_) | Command::Scenes
        )
    {
        return Err(CliError::usage(
            "-o csv is for queries, scene commands, labels and series; use -o json or -o jsonl here",
        )
        .into());
    }
    let none = BTreeMap::new();
    let file = file.as_deref();
    let (s, p) = (&session, &prefs);
    match command {
        Command::Query(a) => {
            let mut plan = Plan::new(a.query.clone(), &a.range, "1h");
            plan.forward = a.forward;
            plan = plan.with_metric(&a.metric);
            plan.instant = a.instant;
            plan.follow = a.follow.follow.then_some(a.follow.delay_for);
            plan.file = file;
            query::run(s, p, plan).await
        }
        Command::Errors {
            module,
            agent_type,
            run,
        } => {
            let narrow = Narrow {
                module: module.as_deref(),
                agent_type: agent_type.as_deref(),
            };
            run_scene(s, p, "errors", &none, narrow, &run, file).await
        }
        Command::RateLimits(run) => {
            run_scene(s, p, "rate-limits", &none, Narrow::default(), &run, file).await
        }
        Command::Http5xx(run) => run_scene(s, p, "5xx", &none, Narrow::default(), &run, file).await,
        Command::SlowTools { over, run } => {
            let ns = crate::timespec::parse_duration(&over).map_err(CliError::from)?;
            let mut params = BTreeMap::new();
            params.insert("over_ms".to_string(), (ns / 1_000_000).to_string());
            run_scene(s, p, "slow-tools", &params, Narrow::default(), &run, file).await
        }
        Command::Event { id, run } => {
            let mut params = BTreeMap::new();
            params.insert("event_id".to_string(), id);
            // The scene says oldest first (`forward = true`): a business object's story.
            run_scene(s, p, "event", &params, Narrow::default(), &run, file).await
        }
        Command::Scenes => scenes::list(s, p),
        Command::Scene { name, set, run } => {
            let params = scenes::parse_sets(&set)?;
            run_scene(s, p, &name, &params, Narrow::default(), &run, file).await
        }
        Command::Labels { name, query, range } => {
            discovery::labels(s, p, name.as_deref(), query.as_deref(), &range.query()).await
        }
        Command::Series { matchers, range } => {
            discovery::series(s, p, &matchers, &range.query()).await
        }
        Command::Push {
            file,
            container,
            batch_lines,
        } => push::push(s, p, &file, container.as_deref(), batch_lines).await,
        Command::Tail {
            query,
            delay_for,
            range,
        } => {
            let mut plan = Plan::new(query, &range, "1h");
            plan.file = file;
            tail::follow(s, p, &plan.tail(delay_for)).await
        }
        Command::Tui(args) => tui::run(session, &args).await,
        Command::Dashboard(args) => dashboard::run(session, &args).await,
        Command::Replay(args) => replay::replay(session, p, &args.request(), args.tui).await,
        Command::Agents(args) => agents::agents(s, p, &args.request()).await,
        Command::Patterns(args) => drill::patterns(s, p, &args).await,
        Command::Fields(args) => drill::fields(s, p, &args).await,
        Command::Profiles | Command::Completions(_) | Command::Man(_) => Err(anyhow::anyhow!(
            "this command runs before a session is built"
        )),
    }
}
