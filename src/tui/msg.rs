//! Messages into `update` and commands out of it: the only ways state changes and work starts.

use std::path::PathBuf;
use std::sync::Arc;

use crossterm::event::{KeyEvent, MouseEvent};

use crate::agent::model::AgentRun;
use crate::model::{LogEntry, MetricResult, QueryOutput, QueryRange, QueryStats};
use crate::tail::{FollowOptions, TailEvent};

use super::store::Chunk;

/// Which part of the results a query fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// A new query: replaces the results.
    First,
    /// Lines older than the oldest loaded.
    Older,
    /// Lines newer than the newest loaded.
    Newer,
}

/// What a finished query brings back (owned; built off the UI thread).
#[derive(Debug, Clone, PartialEq)]
pub enum QueryData {
    Lines {
        chunk: Chunk,
        /// Entries the backend returned (before boundary duplicates were dropped).
        returned: usize,
    },
    Metric(MetricResult),
}

#[derive(Debug, Clone, PartialEq)]
pub struct QueryDone {
    pub data: QueryData,
    pub stats: QueryStats,
    pub elapsed_ms: u64,
}

/// Export format, chosen by the file name (`.jsonl` → JSON lines, else raw lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Jsonl,
    Raw,
}

/// Everything that can happen to the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Paste(String),
    Resize(u16, u16),
    /// A query (or page) ended; `generation` says which query it belonged to.
    QueryFinished {
        generation: u64,
        page: PageKind,
        result: Result<Box<QueryDone>, String>,
    },
    QueryProgress {
        generation: u64,
        entries: usize,
    },
    VolumeFinished {
        generation: u64,
        result: Result<MetricResult, String>,
    },
    LabelsFinished(Result<Vec<String>, String>),
    LabelValuesFinished {
        name: String,
        result: Result<Vec<String>, String>,
    },
    /// The answers to `Command::FetchContext`'s two queries (before, after), as they came.
    ContextFinished {
        generation: u64,
        result: Result<(Vec<LogEntry>, Vec<LogEntry>), String>,
    },
    /// Tail events that arrived together (one redraw for the lot).
    TailBatch {
        generation: u64,
        events: Vec<TailEvent>,
    },
    ExportFinished(Result<String, String>),
    /// Lines written so far by an export of the whole range.
    ExportProgress(usize),
    /// The runs of one agent id (several when the id was reused), or of the whole range
    /// (`agent_id` empty).
    AgentFinished {
        generation: u64,
        agent_id: String,
        /// Open the run that started here (from the agents list).
        start_ns: Option<i64>,
        result: Result<Vec<AgentRun>, String>,
    },
    /// The Patterns view's mining ended.
    PatternsFinished {
        generation: u64,
        result: Result<Box<super::drill::patterns::Mined>, String>,
    },
    /// The Fields view's sampling ended.
    FieldsFinished {
        generation: u64,
        result: Result<Box<super::drill::fields::Sampled>, String>,
    },
    /// Spinner frame while something runs.
    Tick,
    /// One dashboard panel query answered (`index` in the generation's plan).
    PanelFinished {
        generation: u64,
        index: usize,
        result: Result<QueryOutput, String>,
    },
    /// The dashboard's auto-refresh period passed.
    DashboardRefresh {
        generation: u64,
    },
}

/// Work for the loop to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Start a query (aborting the one in flight for `First`).
    RunQuery {
        generation: u64,
        page: PageKind,
        req: QueryRange,
        /// Entries already loaded at the page boundary, to drop from the answer.
        boundary: Vec<LogEntry>,
    },
    CancelQuery,
    FetchVolume {
        generation: u64,
        req: QueryRange,
    },
    FetchLabels {
        start_ns: i64,
        end_ns: i64,
    },
    FetchLabelValues {
        name: String,
        start_ns: i64,
        end_ns: i64,
    },
    /// A line's context: the two bounded queries (`drill::ContextQueries`), answered with
    /// `Msg::ContextFinished` (the details pane and the context view share the generation).
    FetchContext {
        generation: u64,
        queries: crate::drill::ContextQueries,
    },
    StartTail {
        generation: u64,
        opts: FollowOptions,
    },
    StopTail,
    /// Put text on the clipboard (OSC 52).
    Copy(String),
    Export {
        path: PathBuf,
        format: ExportFormat,
        chunks: Vec<(Arc<Chunk>, usize)>,
    },
    /// Export every line of `req`'s range, paged oldest first (not only the loaded lines).
    ExportRange {
        path: PathBuf,
        format: ExportFormat,
        req: QueryRange,
    },
    SaveHistory(String),
    /// Fetch and rebuild an agent's runs (`agent_id` empty: every run in the range).
    FetchAgent {
        generation: u64,
        agent_id: String,
        start_ns: Option<i64>,
        range: (i64, i64),
    },
    /// Patterns for the Patterns view: Loki's `/patterns` of `query` over the range when it
    /// answers, else mined from the loaded lines (and the range before, for new ones).
    MinePatterns {
        generation: u64,
        query: String,
        chunks: Vec<(Arc<Chunk>, usize)>,
        start_ns: i64,
        end_ns: i64,
    },
    /// Field statistics of the loaded lines for the Fields view (with Loki's
    /// `detected_fields` of `query` over the range when it answers).
    SampleFields {
        generation: u64,
        query: String,
        chunks: Vec<(Arc<Chunk>, usize)>,
        start_ns: i64,
        end_ns: i64,
    },
    /// Run a dashboard's panel queries in parallel (aborting the previous generation's).
    FetchPanels {
        generation: u64,
        queries: Vec<QueryRange>,
    },
    /// Send `DashboardRefresh { generation }` after `after_ms`.
    ScheduleRefresh {
        generation: u64,
        after_ms: u64,
    },
    Quit,
}
