//! The query editor's state: what is typed, what was run, over which range, and what the
//! editor knows to help (history, completion, label names and values).

use std::collections::HashMap;

use super::super::history::History;
use super::super::input::TextInput;

/// The time range of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RangeSpec {
    /// The last `ns` before now.
    Last { ns: i64, label: String },
    Absolute {
        start_ns: i64,
        end_ns: i64,
        label: String,
    },
}

impl RangeSpec {
    pub fn resolve(&self, now_ns: i64) -> (i64, i64) {
        match self {
            RangeSpec::Last { ns, .. } => (now_ns - ns, now_ns),
            RangeSpec::Absolute {
                start_ns, end_ns, ..
            } => (*start_ns, *end_ns),
        }
    }

    pub fn label(&self) -> &str {
        match self {
            RangeSpec::Last { label, .. } | RangeSpec::Absolute { label, .. } => label,
        }
    }

    pub fn last(label: &str, ns: i64) -> RangeSpec {
        RangeSpec::Last {
            ns,
            label: format!("last {label}"),
        }
    }
}

/// An error about the query: a parse error (with its column) or the server's own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub message: String,
    /// 1-based column of a parse error in the editor text.
    pub col: Option<usize>,
}

/// Tab completion in the query editor.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Completion {
    pub candidates: Vec<String>,
    pub index: usize,
    /// Byte offset where the completed word starts.
    pub start: usize,
}

/// The query editor row and the query it runs (`update::editor`, `update::complete`,
/// `update::query`).
#[derive(Debug)]
pub struct EditorState {
    /// The text being edited.
    pub input: TextInput,
    /// The query the results belong to.
    pub query: String,
    pub query_error: Option<QueryError>,
    pub range: RangeSpec,
    pub history: History,
    pub completion: Option<Completion>,
    /// Label names for completion, asked of the backend once.
    pub label_names: Option<Vec<String>>,
    pub label_values: HashMap<String, Vec<String>>,
}

impl Default for EditorState {
    fn default() -> Self {
        Self {
            input: TextInput::default(),
            query: String::new(),
            query_error: None,
            range: RangeSpec::last("1h", 3_600_000_000_000),
            history: History::default(),
            completion: None,
            label_names: None,
            label_values: HashMap::new(),
        }
    }
}
