//! The logs screen's state: the loaded results, the selection and scroll over them, display
//! toggles, search, marks and the details pane of the selected line.

use std::collections::{BTreeSet, HashMap};

use crate::model::{LogEntry, MetricResult, QueryRange, QueryStats};

use super::super::input::TextInput;
use super::super::metric::MetricChart;
use super::super::row::RowCache;
use super::super::store::{LineStore, Row};

pub const DEFAULT_BUFFER_LINES: usize = 100_000;
pub const DEFAULT_PAGE: usize = 1000;

/// Loaded results of the current query.
#[derive(Debug, Default)]
pub struct Results {
    pub store: LineStore,
    pub metric: Option<MetricResult>,
    pub stats: QueryStats,
    pub elapsed_ms: u64,
    /// The first request of the current query (pages derive from it).
    pub req: Option<QueryRange>,
    pub older_done: bool,
    pub newer_done: bool,
    /// Entries received so far by the running query.
    pub progress: usize,
    /// Whether a query has finished at least once (distinguishes "empty" from "nothing yet").
    pub loaded: bool,
}

/// The details pane of the selected line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Details {
    /// Index into the pane's field list.
    pub cursor: usize,
    pub context: Option<Result<ContextLines, String>>,
    pub context_gen: u64,
    /// The line the context was asked for (the answers are cut around it).
    pub anchor: Option<super::super::drill::context::Anchor>,
}

/// Lines around the selected one, sanitised for display.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContextLines {
    pub before: Vec<LogEntry>,
    pub after: Vec<LogEntry>,
}

/// The results table and what is shown of it (`update::logs`, `update::details`).
#[derive(Debug)]
pub struct LogsView {
    pub results: Results,
    /// Display index of the selected row.
    pub selected: usize,
    /// Display index of the top row.
    pub scroll: usize,
    pub newest_first: bool,
    pub wrap: bool,
    pub pretty: bool,
    pub hidden_fields: BTreeSet<String>,
    pub details: Option<Details>,
    /// Generation of the last context request (outlives one opening of the details).
    pub ctx_gen: u64,
    pub search: TextInput,
    pub search_active: Option<String>,
    /// Marks, by store index.
    pub marks: HashMap<char, usize>,
    pub rows: RowCache,
    /// Lines kept while following.
    pub buffer_lines: usize,
    /// Lines per query page.
    pub page_size: usize,
    /// How a metric result is shown (chart or table, cursor).
    pub chart: MetricChart,
}

impl Default for LogsView {
    fn default() -> Self {
        Self {
            results: Results::default(),
            selected: 0,
            scroll: 0,
            newest_first: true,
            wrap: false,
            pretty: false,
            hidden_fields: BTreeSet::new(),
            details: None,
            ctx_gen: 0,
            search: TextInput::default(),
            search_active: None,
            marks: HashMap::new(),
            rows: RowCache::default(),
            buffer_lines: DEFAULT_BUFFER_LINES,
            page_size: DEFAULT_PAGE,
            chart: MetricChart::default(),
        }
    }
}

impl LogsView {
    /// Lines loaded.
    pub fn len(&self) -> usize {
        self.results.store.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Store index of a display index.
    pub fn store_index(&self, display: usize) -> usize {
        if self.newest_first {
            self.len().saturating_sub(1).saturating_sub(display)
        } else {
            display
        }
    }

    /// Display index of a store index (the mapping is its own inverse).
    pub fn display_index(&self, store: usize) -> usize {
        self.store_index(store)
    }

    /// Display index of the newest line.
    pub fn newest_display(&self) -> usize {
        if self.newest_first {
            0
        } else {
            self.len().saturating_sub(1)
        }
    }

    pub fn selected_row(&self) -> Option<Row<'_>> {
        if self.is_empty() {
            return None;
        }
        self.results.store.get(self.store_index(self.selected))
    }

    /// Forgets the loaded lines' positions (marks, selection, cached rows) for new results.
    pub fn reset_position(&mut self) {
        self.rows.clear();
        self.marks.clear();
        self.selected = 0;
        self.scroll = 0;
    }
}
