//! The command line: argument parsing, settings resolution and one function per command.

mod context;

pub use context::{Context, RangeArgs};

use std::process::ExitCode;

/// Parses the command line and runs the command; the exit code scripts rely on.
pub fn run() -> ExitCode {
    eprintln!("vs-logs: not built yet");
    ExitCode::from(1)
}
