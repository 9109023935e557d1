//! The agent-run model: a pure function from log entries to runs (no I/O, no async runtime,
//! no terminal), so the CLI, the JSON output and the TUI views all show the same run.

mod build;
mod event;
mod fields;
mod pricing;
mod run_builder;
mod totals;
mod types;

#[cfg(test)]
mod tests;

pub use build::{BuildOptions, build_runs, build_runs_with};
pub use pricing::{Price, PriceTable, PricingError};
pub use types::{
    AgentRun, Cost, LlmCall, Message, Reported, RunError, RunHeader, RunStatus, Step, ToolCall,
    ToolTotals, Totals, Turn,
};
