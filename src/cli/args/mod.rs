//! The command-line grammar (clap derive). Global options carry the environment variable
//! `logcli` users already have; values stay `Option`s so settings resolution can tell "given"
//! (flag or env) from "not given" (then the profile, then the default).

mod agent;
mod dashboard;
mod drill;
mod meta;
mod metric;
mod range;
mod tui;

pub use agent::{AgentsArgs, ReplayArgs};
pub use dashboard::DashboardArgs;
pub use drill::DrillArgs;
pub use meta::{CompletionsArgs, ManArgs};
pub use metric::MetricArgs;
pub use range::RangeArgs;
pub use tui::TuiArgs;

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::output::OutputFormat;
use crate::secret::Secret;

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorMode {
    Auto,
    Always,
    Never,
}

fn secret(s: &str) -> Result<Secret, std::convert::Infallible> {
    Ok(Secret::new(s))
}

/// `-o`'s values, listed in help, parsed by `OutputFormat`'s own `FromStr`.
fn output_format() -> impl TypedValueParser<Value = OutputFormat> {
    PossibleValuesParser::new(OutputFormat::ALL.map(OutputFormat::name))
        .try_map(|s| s.parse::<OutputFormat>())
}

/// Listed in `--help`; scripts branch on them (see README "Exit codes").
const EXIT_CODES: &str = "Exit codes: 0 ok, 1 other error, 2 usage or config, 3 Loki unreachable \
(connect, TLS, timeout), 4 authentication refused, 5 query rejected by Loki, 6 Loki failed \
(5xx, rate limited, not Loki)";

const CONN: &str = "Loki connection";
const OUT: &str = "Output";
const LOCAL: &str = "Local sources (no Loki needed)";

/// Options every command accepts, before or after the command name.
#[derive(Clone, Default, Args)]
pub struct GlobalArgs {
    /// Loki address [default: http://localhost:3100]
    #[arg(long, env = "LOKI_ADDR", global = true, hide_env_values = true, help_heading = CONN)]
    pub addr: Option<String>,
    /// Tenant, sent as X-Scope-OrgID
    #[arg(long, env = "LOKI_ORG_ID", global = true, help_heading = CONN)]
    pub org_id: Option<String>,
    /// Basic-auth user name
    #[arg(long, env = "LOKI_USERNAME", global = true, help_heading = CONN)]
    pub username: Option<String>,
    /// Basic-auth password
    #[arg(long, env = "LOKI_PASSWORD", global = true, hide_env_values = true,
          value_parser = secret, help_heading = CONN)]
    pub password: Option<Secret>,
    /// Bearer token
    #[arg(long, env = "LOKI_BEARER_TOKEN", global = true, hide_env_values = true,
          value_parser = secret, help_heading = CONN)]
    pub bearer_token: Option<Secret>,
    /// File holding the bearer token
    #[arg(long, env = "LOKI_BEARER_TOKEN_FILE", global = true, help_heading = CONN)]
    pub bearer_token_file: Option<PathBuf>,
    /// CA certificate (PEM) to trust
    #[arg(long, env = "LOKI_CA_CERT_PATH", global = true, help_heading = CONN)]
    pub ca_cert: Option<PathBuf>,
    /// Client certificate (PEM) for mutual TLS
    #[arg(long, env = "LOKI_CLIENT_CERT_PATH", global = true, help_heading = CONN)]
    pub cert: Option<PathBuf>,
    /// Client key (PEM) for mutual TLS
    #[arg(long, env = "LOKI_CLIENT_KEY_PATH", global = true, help_heading = CONN)]
    pub key: Option<PathBuf>,
    /// Accept any server certificate (insecure)
    #[arg(long, env = "LOKI_TLS_SKIP_VERIFY", global = true, help_heading = CONN)]
    pub tls_skip_verify: bool,
    /// Extra request header 'Name: value' (repeatable)
    #[arg(long = "header", value_name = "'NAME: VALUE'", env = "LOKI_HTTP_HEADER",
          global = true, hide_env_values = true, help_heading = CONN)]
    pub headers: Vec<String>,
    /// Request timeout (30s, 2m) [default: 60s]; connecting may take half of it, at most 10s
    #[arg(long, env = "LOKI_TIMEOUT", global = true, help_heading = CONN)]
    pub timeout: Option<String>,
    /// Retries on 429/502/503/504 and network errors [default: 3]
    #[arg(long, env = "LOKI_RETRIES", global = true, help_heading = CONN)]
    pub retries: Option<u32>,
    /// Entries per page when paging, 1..=5000 [default: 1000]
    #[arg(long, env = "LOKI_BATCH", global = true, help_heading = CONN)]
    pub batch: Option<usize>,
    /// Time slices fetched at once, at most 32 [default: 4 when the result needs several pages]
    #[arg(long, env = "VS_LOGS_PARALLEL", global = true, help_heading = CONN)]
    pub parallel: Option<usize>,
    /// Largest Loki answer accepted, in MiB after decompression [default: 512]
    #[arg(long, env = "VS_LOGS_MAX_BODY_MB", global = true, help_heading = CONN,
          value_parser = clap::value_parser!(u32).range(1..=65536))]
    pub max_body_mb: Option<u32>,
    /// Profile from the config file (`vs-logs profiles` lists them)
    #[arg(long, env = "VS_LOGS_PROFILE", global = true, help_heading = CONN)]
    pub profile: Option<String>,
    /// Config file [default: $XDG_CONFIG_HOME/vs-logs/config.toml]
    #[arg(long, env = "VS_LOGS_CONFIG", global = true, help_heading = CONN)]
    pub config: Option<PathBuf>,

    /// Value of the `app` label scenes use [default: vulnsentinel]
    #[arg(long, env = "VS_LOGS_APP", global = true, help_heading = OUT)]
    pub app: Option<String>,
    /// Output format [default: text]
    #[arg(short, long, env = "VS_LOGS_OUTPUT", global = true, help_heading = OUT,
          value_parser = output_format())]
    pub output: Option<OutputFormat>,
    /// Colour (auto: on a terminal unless NO_COLOR is set) [default: auto]
    #[arg(long, env = "VS_LOGS_COLOR", global = true, help_heading = OUT)]
    pub color: Option<ColorMode>,
    /// With -o raw, write the lines' bytes even to a terminal (escape sequences included)
    #[arg(long, global = true, help_heading = OUT)]
    pub raw_bytes: bool,
    /// No progress or notes on stderr
    #[arg(short, long, global = true, help_heading = OUT)]
    pub quiet: bool,

    /// Read this log file instead of Loki (plain, .gz, .zst; repeatable)
    #[arg(long = "file", value_name = "PATH", global = true, help_heading = LOCAL)]
    pub files: Vec<PathBuf>,
    /// Read log lines from stdin instead of Loki
    #[arg(long, global = true, help_heading = LOCAL)]
    pub stdin: bool,
    /// Use the bundled demo data instead of Loki
    #[arg(long, global = true, help_heading = LOCAL, help = crate::source::demo::DEMO_HELP)]
    pub demo: bool,
    /// Longest line kept from local files and stdin or built by line_format, bytes (the rest
    /// is cut with a marker) [default: 262144, Loki's max_line_size]
    #[arg(long, env = "VS_LOGS_MAX_LINE_BYTES", global = true, help_heading = LOCAL,
          value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1024..=1 << 30))]
    pub max_line_bytes: Option<u64>,
    /// Most of stdin kept, MiB after decompression; past 32 MiB it is kept in a temporary
    /// file, not in memory [default: 1024]
    #[arg(long, env = "VS_LOGS_MAX_STDIN_MB", global = true, help_heading = LOCAL,
          value_name = "MIB", value_parser = clap::value_parser!(u64).range(1..=1 << 24))]
    pub max_stdin_mb: Option<u64>,
}

/// vs-logs: explore VulnSentinel's logs in Grafana Loki (or in local files) from a terminal.
#[derive(Parser)]
#[command(name = "vs-logs", version, about, max_term_width = 100, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// `-f` and `--delay-for`, shared by every command that can follow.
#[derive(Debug, Clone, Default, Args)]
pub struct FollowArgs {
    /// Keep following: print new lines as they arrive
    #[arg(short = 'f', long)]
    pub follow: bool,
    /// With -f: hold lines back this many seconds (0-5) so late ones arrive in order
    #[arg(long, value_name = "SECONDS", default_value_t = 0)]
    pub delay_for: u32,
}

#[derive(Debug, Clone, Args)]
pub struct QueryArgs {
    /// The LogQL query (log or metric)
    pub query: String,
    /// Oldest first (default newest first)
    #[arg(long)]
    pub forward: bool,
    #[command(flatten)]
    pub metric: MetricArgs,
    /// Evaluate a metric query once, at --to (or now)
    #[arg(long)]
    pub instant: bool,
    #[command(flatten)]
    pub follow: FollowArgs,
    #[command(flatten)]
    pub range: RangeArgs,
}

/// Options of the commands built from scenes.
#[derive(Debug, Clone, Default, Args)]
pub struct SceneRunArgs {
    /// Oldest first (default: the scene's order, newest first unless it says otherwise)
    #[arg(long)]
    pub forward: bool,
    #[command(flatten)]
    pub metric: MetricArgs,
    #[command(flatten)]
    pub follow: FollowArgs,
    #[command(flatten)]
    pub range: RangeArgs,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run a LogQL query (log lines or a metric)
    Query(QueryArgs),
    /// Error-level lines (scene `errors`)
    Errors {
        /// Only this module (api, agent, engine, db, app)
        #[arg(long)]
        module: Option<String>,
        /// Only this agent type (event_classifier, vuln_analyzer, …)
        #[arg(long)]
        agent_type: Option<String>,
        #[command(flatten)]
        run: SceneRunArgs,
    },
    /// GitHub rate-limit warnings from the engines (scene `rate-limits`)
    RateLimits(SceneRunArgs),
    /// API requests that ended 5xx (scene `5xx`)
    #[command(name = "5xx")]
    Http5xx(SceneRunArgs),
    /// Tool calls slower than a threshold (scene `slow-tools`)
    SlowTools {
        /// Threshold (500ms, 5s, 1m)
        #[arg(long, default_value = "5s")]
        over: String,
        #[command(flatten)]
        run: SceneRunArgs,
    },
    /// Everything about one business object, oldest first (scene `event`)
    Event {
        /// The object's id (evt-789)
        id: String,
        #[command(flatten)]
        run: SceneRunArgs,
    },
    /// List every scene with its description and LogQL
    Scenes,
    /// Run any scene by name
    Scene {
        /// Scene name (see `vs-logs scenes`)
        name: String,
        /// A scene parameter (repeatable)
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
        #[command(flatten)]
        run: SceneRunArgs,
    },
    /// Label names, or the values of one label
    Labels {
        /// Label whose values to list
        name: Option<String>,
        /// Only streams matching this selector (with NAME)
        #[arg(long)]
        query: Option<String>,
        #[command(flatten)]
        range: RangeArgs,
    },
    /// Streams (label sets) matching selectors
    Series {
        /// Stream selectors ({app="vulnsentinel"}); none = all
        matchers: Vec<String>,
        #[command(flatten)]
        range: RangeArgs,
    },
    /// Send structlog JSON lines to Loki with the labels Grafana Alloy would give them
    Push {
        /// JSONL file (- for stdin)
        file: PathBuf,
        /// Value of the `container` label [default: the compose service, else the app]
        #[arg(long)]
        container: Option<String>,
        /// Lines per push request
        #[arg(long, default_value_t = 1000)]
        batch_lines: usize,
    },
    /// Follow a query live (Loki's tail, or a growing file)
    Tail {
        /// The LogQL log query
        query: String,
        /// Hold lines back this many seconds (0-5) so late ones arrive in order
        #[arg(long, value_name = "SECONDS", default_value_t = 0)]
        delay_for: u32,
        #[command(flatten)]
        range: RangeArgs,
    },
    /// The interactive explorer
    Tui(TuiArgs),
    /// Metric panels on one screen: the overview, a user dashboard, or a Grafana JSON's Loki
    /// panels
    Dashboard(DashboardArgs),
    /// Rebuild one agent run from its log lines
    Replay(ReplayArgs),
    /// Agent runs in a range, with per-type totals
    Agents(AgentsArgs),
    /// Log templates of a query with counts, share, first/last seen and volume; * = new
    Patterns(DrillArgs),
    /// Every field of a query's lines: cardinality, top values, numeric distribution
    Fields(DrillArgs),
    /// The config file's profiles with their address; * marks the active one and says why
    Profiles,
    /// Print a shell completion script (scene, profile and dashboard names as of now)
    Completions(CompletionsArgs),
    /// Print the manual page (roff: `vs-logs man | man -l -`), of vs-logs or of one command
    Man(ManArgs),
}
