//! The log-record model shared by every layer: entries, label sets, metric results and the
//! description of a query. Pure data: no I/O, no async runtime.

mod entry;
pub mod json_bytes;
mod json_val;
pub mod level;
pub mod limits;
mod metric;
mod query;
pub mod structlog;

pub use entry::{Labels, LogEntry};
pub use json_val::Val;
pub use level::Level;
pub use metric::{MetricResult, Point, Sample, Series};
pub use query::{Direction, QueryOutput, QueryRange, QueryStats};
pub use structlog::{Structlog, json_object, module_of_logger, value_text};
