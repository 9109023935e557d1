//! The command line: argument parsing (clap lives only here), settings resolution into a
//! `Session` and the CLI's `OutputPrefs`, and one front end per command (`commands`).

mod args;
pub mod commands;
mod error;
mod prefs;
mod settings;

pub use args::{
    AgentsArgs, Cli, ColorMode, Command, FollowArgs, GlobalArgs, RangeArgs, ReplayArgs, TuiArgs,
};
pub use error::CliError;
pub use prefs::OutputPrefs;
pub use settings::{loki_config, parse_header};

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

/// Parses the command line and runs the command; the exit code scripts rely on.
pub fn run() -> ExitCode {
    run_from(std::env::args_os())
}

/// `run` with explicit arguments (the first is the program name).
pub fn run_from(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => return clap_error(&e),
    };
    let (session, prefs) = match settings::session(&cli.global) {
        Ok(s) => s,
        Err(e) => return error::report(&e.into()),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return error::report(&anyhow::anyhow!("cannot start the async runtime: {e}")),
    };
    let g = &cli.global;
    let file = (g.files.len() == 1 && !g.stdin && !g.demo).then(|| g.files[0].clone());
    match runtime.block_on(commands::dispatch(session, prefs, cli.command, file)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => error::report(&e),
    }
}

/// Help and version go to stdout (exit 0); usage errors to stderr as `vs-logs: …` (exit 2).
fn clap_error(e: &clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        _ => {
            let text = e.render().to_string();
            let text = text.strip_prefix("error: ").unwrap_or(&text);
            eprint!("vs-logs: {text}");
            ExitCode::from(2)
        }
    }
}
