//! `vs-logs tui`: the interactive explorer, started from the command line's query, scene and
//! range.

use std::io::IsTerminal;

use crate::cli::TuiArgs;
use crate::cli::error::CliError;
use crate::session::Session;

pub async fn run(session: Session, args: &TuiArgs) -> anyhow::Result<()> {
    need_terminal()?;
    crate::tui::run(session, args.start()).await
}

/// The explorer draws on a terminal and reads its keys: without one (a pipe, a file, cron),
/// say so before any escape code is written (exit 2, nothing on stdout).
pub fn need_terminal() -> Result<(), CliError> {
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        return Ok(());
    }
    Err(CliError::usage(
        "the explorer needs a terminal: stdin and stdout must both be one (for a pipe or a file, use `vs-logs query`)",
    ))
}
