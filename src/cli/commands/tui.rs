//! `vs-logs tui`: the interactive explorer, started from the command line's query, scene and
//! range.

use crate::cli::TuiArgs;
use crate::session::Session;

pub async fn run(session: Session, args: &TuiArgs) -> anyhow::Result<()> {
    crate::tui::run(session, args.start()).await
}
