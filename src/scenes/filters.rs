//! Narrowing a scene's log query from the command line (`--module`, `--agent-type`): the
//! rewriting itself lives in [`crate::logql::rewrite`].

pub use crate::logql::quote;
pub use crate::logql::rewrite::{with_label_filter, with_matcher};
