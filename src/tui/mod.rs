//! The interactive explorer (`vs-logs tui`). The only module that touches ratatui/crossterm.
//!
//! CONTRACT (used by `cli`): `TuiArgs` and `run` keep these signatures.

pub mod agent_view;

use crate::cli::{Context, RangeArgs};

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

/// Runs the explorer until the user quits; the terminal is restored on every path.
pub async fn run(ctx: Context, args: TuiArgs) -> anyhow::Result<()> {
    let _ = (ctx, args);
    anyhow::bail!("the TUI is not built yet")
}
