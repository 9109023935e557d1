//! The explorer's whole state, owned by the loop and changed only by `update`.

mod editor;
mod help;
mod logs;

use std::collections::BTreeMap;

use crate::model::LogEntry;
use crate::scenes::{Scene, SceneParam};

pub use editor::{Completion, EditorState, QueryError, RangeSpec};
pub use help::HelpState;
pub use logs::{ContextLines, DEFAULT_BUFFER_LINES, DEFAULT_PAGE, Details, LogsView, Results};

use super::agent_view::{AgentsView, TimelineView};
use super::dash::DashState;
use super::drill::context::ContextView;
use super::drill::fields::FieldsView;
use super::drill::patterns::PatternsView;
use super::input::TextInput;
use super::keys::{KeyMap, Screen};
use super::volume::{Span, Volume};

/// Which screen the main area shows: the log results, or one of the agent views
/// (`tui::agent_view`): a run's timeline (pivot from a line with `agent_id`) or the runs in
/// the range.
#[derive(Debug, Default)]
pub enum View {
    #[default]
    Logs,
    Agent(Box<TimelineView>),
    Agents(Box<AgentsView>),
    /// The current results grouped into patterns (`tui::drill::patterns`).
    Patterns(Box<PatternsView>),
    /// Field statistics of the current results (`tui::drill::fields`).
    Fields(Box<FieldsView>),
    /// A dashboard of metric panels (`tui::dash`).
    Dashboard(Box<DashState>),
    /// The lines around one line in its stream (`tui::drill::context`); the results and
    /// their selection stay as they were underneath.
    Context(Box<ContextView>),
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
    /// Export the loaded lines.
    Export,
    /// Export every line of the query's range, paged (Tab switches between the two).
    ExportRange,
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

/// Follow (live tail) state (`update::follow`); `App::follow` is `None` when not following.
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

/// What runs in the background and what the user is told about it.
#[derive(Debug, Default)]
pub struct Status {
    pub running: Option<Running>,
    /// Tags the background work; results of an older generation are stale and dropped.
    pub generation: u64,
    /// Frame of the spinner (turns while something runs).
    pub spinner: usize,
    /// Transient message (copied, exported …).
    pub note: Option<String>,
    /// Last error (query, page, export …); results stay.
    pub error: Option<String>,
    /// Lines written so far by a running export of the whole range.
    pub exporting: Option<usize>,
}

impl Status {
    /// Whether anything runs in the background (the spinner turns only then).
    pub fn busy(&self) -> bool {
        self.running.is_some()
    }
}

/// The volume histogram over the query's range (`update::volume`).
#[derive(Debug)]
pub struct VolumeState {
    pub histogram: Option<Volume>,
    /// Why the server could not count (the histogram is then counted from the loaded lines).
    pub error: Option<String>,
    /// Generation of the volume query in flight: "loading" shows only while it is the current
    /// generation (a cancel, follow or agent fetch moves on, so the indicator always ends).
    pub pending: Option<u64>,
    pub show: bool,
    /// The span being chosen to zoom into (`z`); keys go to it while set.
    pub select: Option<Span>,
    /// The ranges before each zoom, the last on top (`Z` returns to it).
    pub zooms: Vec<RangeSpec>,
}

impl Default for VolumeState {
    fn default() -> Self {
        Self {
            histogram: None,
            error: None,
            pending: None,
            show: true,
            select: None,
            zooms: Vec::new(),
        }
    }
}

/// Which screen the main area shows and how to go back (`update::agent`, `Action::Back`).
#[derive(Debug, Default)]
pub struct Navigation {
    pub view: View,
    /// The agents list a timeline was opened from (`back` returns to it).
    pub agents_list: Option<Box<AgentsView>>,
    /// Previous (query, range) for `back` after a pivot or filter.
    pub back: Vec<(String, RangeSpec)>,
    /// The dashboard left for the explorer (the dashboard key returns to it).
    pub dashboard: Option<Box<DashState>>,
    /// The explorer was opened from a dashboard panel: `back` with nothing else to undo
    /// returns to the dashboard.
    pub from_dashboard: bool,
}

impl Navigation {
    /// The screen whose key table (and help) is in force.
    pub fn screen(&self) -> Screen {
        match self.view {
            View::Logs => Screen::Logs,
            View::Agent(_) => Screen::Timeline,
            View::Agents(_) => Screen::Runs,
            View::Patterns(_) => Screen::Patterns,
            View::Fields(_) => Screen::Fields,
            View::Dashboard(_) => Screen::Dashboard,
            View::Context(_) => Screen::Context,
        }
    }
}

/// The scenes and the cursor in their list (`update::scenes`).
#[derive(Debug, Default)]
pub struct ScenesState {
    pub list: Vec<Scene>,
    pub cursor: usize,
}

/// The terminal's size, which the layout (page size, mouse hits) derives from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermSize {
    pub width: u16,
    pub height: u16,
}

impl Default for TermSize {
    fn default() -> Self {
        Self {
            width: 80,
            height: 24,
        }
    }
}

/// Everything the explorer knows, grouped by the screen or concern each part belongs to.
#[derive(Debug)]
pub struct App {
    pub app_label: String,
    pub backend_name: String,
    pub keys: KeyMap,
    /// What keys go to.
    pub mode: Mode,
    /// Wall clock, ns; set by the loop before each message (tests set it by hand).
    pub now_ns: i64,
    pub quit: bool,
    pub size: TermSize,
    pub status: Status,
    pub editor: EditorState,
    pub scenes: ScenesState,
    pub logs: LogsView,
    pub volume: VolumeState,
    pub follow: Option<Follow>,
    pub nav: Navigation,
    /// The help overlay (`?`): scroll and filter.
    pub help: HelpState,
    /// Just after the newest line of a local input (`--file`, `--stdin`, `--demo`): "the last
    /// hour" ends there, as `Session::range` does at start (a copied file is older than now).
    pub data_end_ns: Option<i64>,
}

impl App {
    /// The key table in force (and shown by help): the span selection's while it is open.
    pub fn key_screen(&self) -> Screen {
        match self.nav.view {
            View::Logs if self.volume.select.is_some() => Screen::Span,
            _ => self.nav.screen(),
        }
    }

    pub fn new(app_label: &str, scenes: Vec<Scene>, keys: KeyMap, now_ns: i64) -> App {
        let note = (!keys.warnings.is_empty()).then(|| keys.warnings.join("; "));
        App {
            app_label: app_label.to_string(),
            backend_name: String::new(),
            keys,
            mode: Mode::Normal,
            now_ns,
            quit: false,
            size: TermSize::default(),
            status: Status {
                note,
                ..Status::default()
            },
            editor: EditorState::default(),
            scenes: ScenesState {
                list: scenes,
                cursor: 0,
            },
            logs: LogsView::default(),
            volume: VolumeState::default(),
            follow: None,
            nav: Navigation::default(),
            help: HelpState::default(),
            data_end_ns: None,
        }
    }

    /// "The last `ns`" (a preset, or a duration typed at the range prompt): ending now against
    /// Loki, at the newest line of a local input.
    pub fn last_range(&self, label: &str, ns: i64) -> RangeSpec {
        match self.data_end_ns {
            Some(end_ns) => RangeSpec::Absolute {
                start_ns: end_ns.saturating_sub(ns),
                end_ns,
                label: format!("last {label} of the input"),
            },
            None => RangeSpec::last(label, ns),
        }
    }
}
