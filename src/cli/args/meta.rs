//! The arguments of the commands about vs-logs itself: `completions`, `man`, `profiles`.

use std::path::PathBuf;

use clap_complete::Shell;

/// How to install each script; printed under `vs-logs completions --help`.
const INSTALL: &str = "\
The script is static: scene, profile and dashboard names are completed from the ones known
when it is generated (built-in and user scenes, config profiles, user dashboards), so generate
it again after adding some. PowerShell and elvish complete commands and flags only.

Install:
  bash        vs-logs completions bash > ~/.local/share/bash-completion/completions/vs-logs
  zsh         vs-logs completions zsh > \"${fpath[1]}/_vs-logs\"
  fish        vs-logs completions fish > ~/.config/fish/completions/vs-logs.fish
  powershell  vs-logs completions powershell >> $PROFILE
  elvish      vs-logs completions elvish >> ~/.config/elvish/rc.elv";

/// Arguments of `vs-logs completions`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = INSTALL)]
pub struct CompletionsArgs {
    /// The shell to write the script for
    pub shell: Shell,
}

/// Arguments of `vs-logs man`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ManArgs {
    /// The page of one command (`vs-logs man query`) instead of the main page
    pub command: Option<String>,
    /// Write every page (vs-logs.1, vs-logs-query.1, …) into this directory instead
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub dir: Option<PathBuf>,
}
