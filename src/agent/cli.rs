//! `vs-logs replay` and `vs-logs agents`.
//!
//! CONTRACT (used by `cli`): the args structs and functions keep these signatures.

use crate::cli::{Context, RangeArgs};

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

pub async fn replay(ctx: &Context, args: &ReplayArgs) -> anyhow::Result<()> {
    let _ = (ctx, args);
    anyhow::bail!("replay is not built yet")
}

pub async fn agents(ctx: &Context, args: &AgentsArgs) -> anyhow::Result<()> {
    let _ = (ctx, args);
    anyhow::bail!("agents is not built yet")
}
