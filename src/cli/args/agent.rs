//! The arguments of `replay` and `agents`, and the plain requests they become.

use super::RangeArgs;
use crate::agent::find::{AgentsRequest, ReplayRequest};

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

impl ReplayArgs {
    pub fn request(&self) -> ReplayRequest {
        ReplayRequest {
            agent_id: self.agent_id.clone(),
            diff: self.diff.clone(),
            range: self.range.query(),
        }
    }
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

impl AgentsArgs {
    pub fn request(&self) -> AgentsRequest {
        AgentsRequest {
            agent_type: self.agent_type.clone(),
            status: self.status.clone(),
            range: self.range.query(),
        }
    }
}
