//! `--since/--from/--to/--utc/--limit`, shared by every command that reads a time range, and
//! their conversion into the plain `RangeQuery` the rest of the program takes.

use crate::timespec::RangeQuery;

/// The `--since/--from/--to/--utc/--limit` arguments every query command accepts.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RangeArgs {
    /// How far back to look: 30s, 15m, 12h, 7d, 2w, 1h30m.
    #[arg(long)]
    pub since: Option<String>,
    /// Start: RFC 3339, YYYY-MM-DD, "YYYY-MM-DD HH:MM[:SS]", unix seconds, now-2h, today, yesterday.
    #[arg(long)]
    pub from: Option<String>,
    /// End, same forms as --from (default now).
    #[arg(long)]
    pub to: Option<String>,
    /// UTC instead of local time, for zone-less arguments and for printed times.
    #[arg(long)]
    pub utc: bool,
    /// Most lines to read, 0 = all [default: 1000; tail: 100 lines of history; patterns and
    /// fields: a 5000-line sample; tui: lines per page].
    #[arg(long)]
    pub limit: Option<usize>,
}

impl RangeArgs {
    /// The range part, as the front ends take it (`--limit` is the command's business).
    pub fn query(&self) -> RangeQuery {
        RangeQuery {
            since: self.since.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            utc: self.utc,
        }
    }
}
