//! One front end per command; `dispatch` picks it. Each turns its clap arguments into plain
//! requests once and works in the `Session`, printing with the CLI's `OutputPrefs`.

pub mod agents;
pub mod discovery;
pub mod push;
pub mod query;
pub mod replay;
pub mod scenes;
pub mod tail;
pub mod tui;

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::OutputPrefs;
use super::args::Command;
use super::error::CliError;
use crate::session::Session;
use query::Plan;
use scenes::{Narrow, run_scene};

/// Runs `command`; `file` is the single `--file` given (what `-f` follows locally).
pub async fn dispatch(
    session: Session,
    prefs: OutputPrefs,
    command: Command,
    file: Option<PathBuf>,
) -> anyhow::Result<()> {
    let none = BTreeMap::new();
    let file = file.as_deref();
    let (s, p) = (&session, &prefs);
    match command {
        Command::Query(a) => {
            let mut plan = Plan::new(a.query.clone(), &a.range, "1h");
            plan.forward = a.forward;
            plan.step = a.step.as_deref();
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
        Command::Event { id, mut run } => {
            let mut params = BTreeMap::new();
            params.insert("event_id".to_string(), id);
            // A business object's story reads oldest first.
            run.forward = true;
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
        Command::Replay(args) => replay::replay(session, p, &args.request(), args.tui).await,
        Command::Agents(args) => agents::agents(s, p, &args.request()).await,
    }
}
