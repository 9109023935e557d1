//! `--step`, `--long` and `--chart`: how a metric query is evaluated and shown, shared by
//! `query`, `scene` and every scene command.

/// Options of metric queries (ignored by log queries).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct MetricArgs {
    /// Step of a metric range query (1m, 5m) [default: the scene's step, else Loki's]
    #[arg(long)]
    pub step: Option<String>,
    /// Metric table in long form (time, series, value) instead of one column per series
    #[arg(long)]
    pub long: bool,
    /// Metric result as a small chart (sparklines, one per series) when stdout is a terminal
    #[arg(long)]
    pub chart: bool,
}
