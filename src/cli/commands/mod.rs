//! One function per command; `dispatch` picks it.

pub mod discovery;
pub mod push;
pub mod query;
pub mod scenes;

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::Context;
use super::args::Command;
use super::error::CliError;
use query::Plan;
use scenes::{Narrow, run_scene};

/// Runs `command`; `file` is the single `--file` given (what `-f` follows locally).
pub async fn dispatch(ctx: Context, command: Command, file: Option<PathBuf>) -> anyhow::Result<()> {
    let none = BTreeMap::new();
    let file = file.as_deref();
    match command {
        Command::Query(a) => {
            let mut plan = Plan::new(a.query.clone(), &a.range, "1h");
            plan.forward = a.forward;
            plan.step = a.step.as_deref();
            plan.instant = a.instant;
            plan.follow = a.follow.follow.then_some(a.follow.delay_for);
            plan.file = file;
            query::run(&ctx, plan).await
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
            run_scene(&ctx, "errors", &none, narrow, &run, false, file).await
        }
        Command::RateLimits(run) => {
            run_scene(
                &ctx,
                "rate-limits",
                &none,
                Narrow::default(),
                &run,
                false,
                file,
            )
            .await
        }
        Command::Http5xx(run) => {
            run_scene(&ctx, "5xx", &none, Narrow::default(), &run, false, file).await
        }
        Command::SlowTools { over, run } => {
            let ns = crate::timespec::parse_duration(&over).map_err(CliError::from)?;
            let mut p = BTreeMap::new();
            p.insert("over_ms".to_string(), (ns / 1_000_000).to_string());
            run_scene(&ctx, "slow-tools", &p, Narrow::default(), &run, false, file).await
        }
        Command::Event { id, run } => {
            let mut p = BTreeMap::new();
            p.insert("event_id".to_string(), id);
            run_scene(&ctx, "event", &p, Narrow::default(), &run, true, file).await
        }
        Command::Scenes => scenes::list(&ctx),
        Command::Scene { name, set, run } => {
            let params = scenes::parse_sets(&set)?;
            run_scene(&ctx, &name, &params, Narrow::default(), &run, false, file).await
        }
        Command::Labels { name, query, range } => {
            discovery::labels(&ctx, name.as_deref(), query.as_deref(), &range).await
        }
        Command::Series { matchers, range } => discovery::series(&ctx, &matchers, &range).await,
        Command::Push {
            file,
            container,
            batch_lines,
        } => push::push(&ctx, &file, container.as_deref(), batch_lines).await,
        Command::Tail {
            query,
            delay_for,
            range,
        } => {
            let mut plan = Plan::new(query, &range, "1h");
            plan.file = file;
            query::follow(&ctx, &plan, delay_for).await
        }
        Command::Tui(args) => crate::tui::run(ctx, args).await,
        Command::Replay(args) => crate::agent::cli::replay(&ctx, &args).await,
        Command::Agents(args) => crate::agent::cli::agents(&ctx, &args).await,
    }
}
