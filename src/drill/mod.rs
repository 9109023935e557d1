//! Exploring results without writing LogQL, as pure logic over entries already fetched:
//! log templates ([`patterns`]), per-field statistics ([`fields`]) and the lines around an
//! anchor ([`context`]). No I/O here; the CLI and TUI feed these and render what they return.

pub mod context;
mod features;
pub mod fields;
mod miner;
mod passes;
pub mod patterns;
mod prefixes;
pub mod report;
mod scan;
mod template;
mod token;

pub use context::{ContextQueries, ContextWindow, Selector, select_context};
pub use fields::{FieldKind, FieldStat, FieldStats, FieldStatsBuilder, NumericStats, field_stats};
pub use patterns::{
    Counter, Miner, Pattern, PatternSet, PatternsConfig, Shape, mark_new, mine, mine_assigned,
};
pub use report::{FieldRow, FieldsReport, Numeric, Origin, PatternRow, PatternsReport};
pub use token::WILDCARD;
