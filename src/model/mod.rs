//! The log-record model shared by every layer: entries, label sets, metric results and the
//! description of a query. Pure data: no I/O, no async runtime.

mod entry;
mod metric;
mod query;
mod structlog;

pub use entry::{Labels, LogEntry};
pub use metric::{MetricResult, Point, Sample, Series};
pub use query::{Direction, QueryOutput, QueryRange, QueryStats};
pub use structlog::{Structlog, module_of_logger, value_text};
