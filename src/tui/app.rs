//! The explorer's whole state, owned by the loop and changed only by `update`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::{LogEntry, MetricResult, QueryRange, QueryStats};
use crate::scenes::{Scene, SceneParam};

use super::agent_view::{AgentsView, TimelineView};
use super::history::History;
use super::input::TextInput;
use super::keys::KeyMap;
use super::row::RowCache;
use super::store::LineStore;
use super::volume::Volume;

/// Which screen the main area shows: the log results, or one of the agent views
/// (`tui::agent_view`): a run's timeline (pivot from a line with `agent_id`) or the runs in
/// the range.
#[derive(Debug, Default)]
pub enum View {
    #[default]
    Logs,
    Agent(Box<TimelineView>),
    Agents(Box<AgentsView>),
}

/// What keys go to.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Mode {
    #[default]
    Normal,
    EditQuery,
    Search,
    Prompt(Prompt),
    Help,
    Scenes,
    /// `m` or `'` was pressed; the next letter names the mark.
    Mark {
        set: bool,
    },
}

/// A question in the editor row (scene parameter, custom range, export path).
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub label: String,
    pub input: TextInput,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PromptKind {
    SceneParam {
        scene: usize,
        values: BTreeMap<String, String>,
        remaining: Vec<SceneParam>,
    },
    Range,
    Export,
}

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

/// What is running in the background.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Running {
    Query,
    Older,
    Newer,
    /// Fetching an agent run or the list of runs.
    Agent,
}

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
}

/// Lines around the selected one, sanitised for display.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContextLines {
    pub before: Vec<LogEntry>,
    pub after: Vec<LogEntry>,
}

/// Follow (live tail) state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Follow {
    pub generation: u64,
    pub paused: bool,
    /// New lines not yet seen (scrolled away or paused).
    pub waiting: usize,
    /// Lines held while paused.
    pub pending: Vec<LogEntry>,
    /// Oldest lines dropped to keep the buffer bounded.
    pub dropped: u64,
    pub capacity: usize,
    pub notice: Option<String>,
    pub failed: Option<String>,
}

/// Tab completion in the query editor.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Completion {
    pub candidates: Vec<String>,
    pub index: usize,
    /// Byte offset where the completed word starts.
    pub start: usize,
}

/// Everything the explorer knows.
#[derive(Debug)]
pub struct App {
    pub app_label: String,
    pub backend_name: String,
    pub scenes: Vec<Scene>,
    pub scene_cursor: usize,
    pub keys: KeyMap,
    pub mode: Mode,
    pub view: View,
    pub editor: TextInput,
    /// The query the results belong to.
    pub query: String,
    pub query_error: Option<QueryError>,
    pub range: RangeSpec,
    /// Wall clock, ns; set by the loop before each message (tests set it by hand).
    pub now_ns: i64,
    pub generation: u64,
    pub running: Option<Running>,
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
    pub search: TextInput,
    pub search_active: Option<String>,
    /// Marks, by store index.
    pub marks: HashMap<char, usize>,
    pub volume: Option<Volume>,
    pub volume_error: Option<String>,
    pub show_volume: bool,
    pub follow: Option<Follow>,
    /// Transient message (copied, exported …).
    pub note: Option<String>,
    /// Last error (query, page, export …); results stay.
    pub error: Option<String>,
    pub history: History,
    pub completion: Option<Completion>,
    pub label_names: Option<Vec<String>>,
    pub label_values: HashMap<String, Vec<String>>,
    pub width: u16,
    pub height: u16,
    pub spinner: usize,
    /// Previous (query, range) for `back` after a pivot or filter.
    pub back: Vec<(String, RangeSpec)>,
    pub rows: RowCache,
    pub buffer_lines: usize,
    pub page_size: usize,
    pub quit: bool,
    pub ctx_gen: u64,
    /// The agents list a timeline was opened from (`back` returns to it).
    pub agents_list: Option<Box<AgentsView>>,
}

pub const DEFAULT_BUFFER_LINES: usize = 100_000;
pub const DEFAULT_PAGE: usize = 1000;

impl App {
    pub fn new(app_label: &str, scenes: Vec<Scene>, keys: KeyMap, now_ns: i64) -> App {
        let note = (!keys.warnings.is_empty()).then(|| keys.warnings.join("; "));
        App {
            app_label: app_label.to_string(),
            backend_name: String::new(),
            scenes,
            scene_cursor: 0,
            keys,
            mode: Mode::Normal,
            view: View::Logs,
            editor: TextInput::default(),
            query: String::new(),
            query_error: None,
            range: RangeSpec::last("1h", 3_600_000_000_000),
            now_ns,
            generation: 0,
            running: None,
            results: Results::default(),
            selected: 0,
            scroll: 0,
            newest_first: true,
            wrap: false,
            pretty: false,
            hidden_fields: BTreeSet::new(),
            details: None,
            search: TextInput::default(),
            search_active: None,
            marks: HashMap::new(),
            volume: None,
            volume_error: None,
            show_volume: true,
            follow: None,
            note,
            error: None,
            history: History::default(),
            completion: None,
            label_names: None,
            label_values: HashMap::new(),
            width: 80,
            height: 24,
            spinner: 0,
            back: Vec::new(),
            rows: RowCache::default(),
            buffer_lines: DEFAULT_BUFFER_LINES,
            page_size: DEFAULT_PAGE,
            quit: false,
            ctx_gen: 0,
            agents_list: None,
        }
    }

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

    pub fn selected_row(&self) -> Option<super::store::Row<'_>> {
        if self.is_empty() {
            return None;
        }
        self.results.store.get(self.store_index(self.selected))
    }

    /// Whether anything runs in the background (the spinner turns only then).
    pub fn busy(&self) -> bool {
        self.running.is_some()
    }
}
