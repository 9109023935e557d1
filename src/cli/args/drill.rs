//! `patterns` and `fields`: the shape of a query's lines without writing LogQL.

use super::RangeArgs;

/// A log query (default `{app="<app>"}`) over the usual range.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct DrillArgs {
    /// The LogQL log query [default: {app="<app>"}]
    pub query: Option<String>,
    #[command(flatten)]
    pub range: RangeArgs,
}
