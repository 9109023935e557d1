//! The command line: argument parsing (clap lives only here), settings resolution into a
//! `Session` and the CLI's `OutputPrefs`, and one front end per command (`commands`).

mod args;
pub mod commands;
mod error;
mod prefs;
mod runtime;
mod settings;

pub use args::{
    AgentsArgs, Cli, ColorMode, Command, DashboardArgs, FollowArgs, GlobalArgs, MetricArgs,
    RangeArgs, ReplayArgs, TuiArgs,
};
pub use error::CliError;
pub use prefs::OutputPrefs;
pub use settings::{loki_config, parse_header};

use std::ffi::OsString;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, FromArgMatches};

/// Parses the command line and runs the command; the exit code scripts rely on.
pub fn run() -> ExitCode {
    run_from(std::env::args_os())
}

/// `run` with explicit arguments (the first is the program name).
pub fn run_from(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let matches = match Cli::command().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => return clap_error(&e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return clap_error(&e.format(&mut Cli::command())),
    };
    let profile_from = profile_source(&matches);
    if let Some(result) = commands::run_without_session(&cli.global, &cli.command, profile_from) {
        return finish(result);
    }
    // The explorer runs in a child that this process watches, so that even an abort gives the
    // terminal back (nothing is read or built here first: the child does it all).
    if let Some(what) = commands::takes_terminal(&cli.command)
        && let Some(code) = crate::tui::supervise::supervise(what)
    {
        return code;
    }
    let (session, prefs) = match settings::session(&cli.global) {
        Ok(s) => s,
        Err(e) => return error::report(&e.into()),
    };
    let runtime = match runtime::start() {
        Ok(rt) => rt,
        Err(e) => return error::report(&e.into()),
    };
    let g = &cli.global;
    let file = (g.files.len() == 1 && !g.stdin && !g.demo).then(|| g.files[0].clone());
    let result = runtime::block_on(
        &runtime,
        commands::dispatch(session, prefs, cli.command, file),
    );
    // Work the user quit during (a local query on a blocking thread) is not waited for.
    runtime.shutdown_background();
    finish(result)
}

fn finish(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => error::report(&e),
    }
}

/// Where `--profile`'s value came from (the flag or `VS_LOGS_PROFILE`), wherever on the line
/// the flag was given.
fn profile_source(m: &clap::ArgMatches) -> Option<commands::profiles::ActiveBecause> {
    use clap::parser::ValueSource;
    use commands::profiles::ActiveBecause;
    let source = m.value_source("profile").or_else(|| {
        m.subcommand()
            .and_then(|(_, sub)| sub.value_source("profile"))
    })?;
    match source {
        ValueSource::CommandLine => Some(ActiveBecause::Flag),
        ValueSource::EnvVariable => Some(ActiveBecause::Env),
        _ => None,
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
