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
/// say so before any escape code is written (exit 2, nothing on stdout). Keys come from stdin,
/// or from the controlling terminal when stdin is not one (`--stdin` holds the log lines, as in
/// `cat app.log | vs-logs dashboard --stdin`): the terminal library reads `/dev/tty` then.
pub fn need_terminal() -> Result<(), CliError> {
    let keys = std::io::stdin().is_terminal() || std::fs::File::open("/dev/tty").is_ok();
    if keys && std::io::stdout().is_terminal() {
        return Ok(());
    }
    Err(CliError::usage(
        "the explorer needs a terminal: stdout must be one, and keys come from stdin or the controlling terminal (for a pipe or a file, use `vs-logs query`)",
    ))
}
