//! Drilldown screens over the current query: the Patterns view (`patterns`). State and
//! rendering live here; `update::drill` changes them, the event loop mines off the UI thread.

pub mod fields;
pub mod patterns;
