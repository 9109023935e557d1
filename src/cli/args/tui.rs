//! The arguments of `vs-logs tui` and the start request they become.

use super::RangeArgs;
use crate::tui::TuiStart;

/// Arguments of `vs-logs tui`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct TuiArgs {
    /// Start with this LogQL instead of the first scene that needs no parameter.
    pub query: Option<String>,
    /// Start with this scene.
    #[arg(long)]
    pub scene: Option<String>,
    #[command(flatten)]
    pub range: RangeArgs,
}

impl TuiArgs {
    pub fn start(&self) -> TuiStart {
        TuiStart {
            query: self.query.clone(),
            scene: self.scene.clone(),
            range: self.range.query(),
            page_size: self.range.limit,
            agent: None,
            dashboard: None,
        }
    }
}
