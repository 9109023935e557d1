//! Key bindings as data: every action has a name, a default key and a help text per screen
//! (`tables`), and users override keys in the config file (`[keys] quit = "ctrl-q"`). The
//! help screen is generated from the same tables, so it can never disagree with what the
//! keys do.

mod tables;

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use crossterm::event::KeyEvent;

use tables::{
    CONTEXT, CONTEXT_ALIASES, DASHBOARD, DASHBOARD_ALIASES, FIELDS, FIELDS_ALIASES, LOGS,
    LOGS_ALIASES, PATTERNS, PATTERNS_ALIASES, RUNS, RUNS_ALIASES, SPAN, SPAN_ALIASES, TIMELINE,
    TIMELINE_ALIASES,
};

/// The screens with a key table of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Screen {
    Logs,
    /// A run's timeline.
    Timeline,
    /// The list of agent runs.
    Runs,
    /// The Patterns view of the current results.
    Patterns,
    /// The Fields view of the current results.
    Fields,
    /// A dashboard of metric panels.
    Dashboard,
    /// The log context of one line.
    Context,
    /// A span of the volume histogram being chosen to zoom into.
    Span,
}

type Table = &'static [(Action, &'static str, &'static str, &'static str)];

impl Screen {
    const ALL: [Screen; 8] = [
        Screen::Logs,
        Screen::Timeline,
        Screen::Runs,
        Screen::Patterns,
        Screen::Fields,
        Screen::Dashboard,
        Screen::Context,
        Screen::Span,
    ];

    /// (action, config name, default key, help text), in help-screen order.
    fn table(self) -> Table {
        match self {
            Screen::Logs => LOGS,
            Screen::Timeline => TIMELINE,
            Screen::Runs => RUNS,
            Screen::Patterns => PATTERNS,
            Screen::Fields => FIELDS,
            Screen::Dashboard => DASHBOARD,
            Screen::Context => CONTEXT,
            Screen::Span => SPAN,
        }
    }

    /// Extra default keys that are not configurable (arrows, habits).
    fn aliases(self) -> &'static [(&'static str, Action)] {
        match self {
            Screen::Logs => LOGS_ALIASES,
            Screen::Timeline => TIMELINE_ALIASES,
            Screen::Runs => RUNS_ALIASES,
            Screen::Patterns => PATTERNS_ALIASES,
            Screen::Fields => FIELDS_ALIASES,
            Screen::Dashboard => DASHBOARD_ALIASES,
            Screen::Context => CONTEXT_ALIASES,
            Screen::Span => SPAN_ALIASES,
        }
    }
}

/// Something the user can ask for; which screen offers it is in the key tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Quit,
    Cancel,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    EditQuery,
    Search,
    NextMatch,
    PrevMatch,
    NextError,
    PrevError,
    SetMark,
    JumpMark,
    Details,
    FocusScenes,
    ToggleWrap,
    TogglePretty,
    ToggleOrder,
    ToggleVolume,
    HideField,
    ShowAllFields,
    FilterFor,
    FilterOut,
    CopyValue,
    CopyLine,
    ShowContext,
    PivotAgent,
    Agents,
    Back,
    Follow,
    Pause,
    Clear,
    Export,
    Refresh,
    CustomRange,
    Range5m,
    Range15m,
    Range1h,
    Range6h,
    Range12h,
    Range24h,
    Range7d,
    Help,
    /// Timeline: fold a turn or expand a message.
    Fold,
    /// Timeline: fold (or unfold) every turn.
    FoldAll,
    /// Timeline: the raw log line of the selected row.
    RawLine,
    HalfPageUp,
    HalfPageDown,
    /// Runs list: open the selected run's timeline.
    OpenRun,
    /// Runs list: sort by a column (again: reverse).
    SortStart,
    SortDuration,
    SortCost,
    SortTokens,
    SortStatus,
    /// Runs list: cycle the status filter.
    FilterStatus,
    /// Runs list: cycle the agent-type filter.
    FilterType,
    /// Logs: the Patterns view of the results.
    Patterns,
    /// Logs: the Fields view of the results.
    Fields,
    /// Logs: open the dashboard (or return to the one left).
    Dashboard,
    /// Dashboard: explore the focused panel (a metric panel: the logs behind it).
    OpenPanel,
    /// Dashboard: move the time cursor back one step.
    CursorLeft,
    /// Dashboard: move the time cursor forward one step.
    CursorRight,
    /// Logs: a metric result as a table instead of a chart.
    ToggleTable,
    /// Logs: open the log context view of the selected line.
    ContextView,
    /// Context: more lines either side.
    ContextMore,
    /// Context: fewer lines either side.
    ContextLess,
    /// Context: drop (or restore) the chosen label of the stream selector.
    WidenSelector,
    /// Context: keep (or drop) the query's pipeline.
    KeepFilters,
    /// Logs: hide or show the metric chart's selected series.
    ToggleSeries,
    /// Logs: choose a span of the volume histogram to zoom into.
    ZoomSelect,
    /// Logs: back to the range before the last zoom.
    ZoomOut,
    /// Span selection: zoom into the chosen span.
    ZoomIn,
    /// Span selection: move the span's right edge later.
    SpanGrow,
    /// Span selection: move the span's right edge earlier.
    SpanShrink,
}

/// Every (action, name) pair of every screen.
fn all_names() -> impl Iterator<Item = (Action, &'static str)> {
    Screen::ALL
        .into_iter()
        .flat_map(|s| s.table().iter().map(|(a, n, ..)| (*a, *n)))
}

impl Action {
    /// The name used in the config file.
    pub fn name(self) -> &'static str {
        all_names()
            .find(|(a, _)| *a == self)
            .map_or("?", |(_, n)| n)
    }

    pub fn from_name(name: &str) -> Option<Action> {
        all_names().find(|(_, n)| *n == name).map(|(a, _)| a)
    }
}

pub use super::keyspec::KeySpec;

/// The resolved key tables: defaults with the user's overrides applied.
#[derive(Debug, Clone)]
pub struct KeyMap {
    bindings: HashMap<(Screen, KeySpec), Action>,
    /// Problems with the user's overrides, shown once in the status line.
    pub warnings: Vec<String>,
}

impl Default for KeyMap {
    fn default() -> Self {
        Self::new(&BTreeMap::new())
    }
}

impl KeyMap {
    /// Defaults, then `overrides` (action name → key) replacing the default key of an action
    /// on every screen that has it.
    pub fn new(overrides: &BTreeMap<String, String>) -> Self {
        let mut warnings = Vec::new();
        let mut primary: BTreeMap<(Screen, Action), KeySpec> = BTreeMap::new();
        for screen in Screen::ALL {
            for (action, _, key, _) in screen.table() {
                if let Some(k) = KeySpec::parse(key) {
                    primary.insert((screen, *action), k);
                }
            }
        }
        for (name, key) in overrides {
            match (Action::from_name(name), KeySpec::parse(key)) {
                (Some(a), Some(k)) => {
                    for (_, k0) in primary.iter_mut().filter(|((_, b), _)| *b == a) {
                        *k0 = k;
                    }
                }
                (None, _) => warnings.push(format!("config [keys]: unknown action {name:?}")),
                (_, None) => warnings.push(format!("config [keys]: cannot read key {key:?}")),
            }
        }
        let mut bindings = HashMap::new();
        for screen in Screen::ALL {
            for (key, action) in screen.aliases() {
                if let Some(k) = KeySpec::parse(key) {
                    bindings.insert((screen, k), *action);
                }
            }
        }
        for ((screen, a), k) in &primary {
            bindings.insert((*screen, *k), *a);
        }
        Self { bindings, warnings }
    }

    /// The defaults, shared (for views driven without a config).
    pub fn defaults() -> &'static KeyMap {
        static DEFAULTS: LazyLock<KeyMap> = LazyLock::new(KeyMap::default);
        &DEFAULTS
    }

    /// The action of a key on the logs screen.
    pub fn action(&self, ev: &KeyEvent) -> Option<Action> {
        self.action_in(Screen::Logs, ev)
    }

    /// The action of a key on `screen`.
    pub fn action_in(&self, screen: Screen, ev: &KeyEvent) -> Option<Action> {
        self.bindings.get(&(screen, KeySpec::of_event(ev))).copied()
    }

    /// Help rows of a screen: (keys, help text), in table order.
    pub fn help_rows(&self, screen: Screen) -> Vec<(String, &'static str)> {
        screen
            .table()
            .iter()
            .map(|(a, _, _, help)| {
                let mut keys: Vec<String> = self
                    .bindings
                    .iter()
                    .filter(|((s, _), b)| *s == screen && *b == a)
                    .map(|((_, k), _)| k.display())
                    .collect();
                keys.sort_by_key(|k| (k.chars().count() > 1, k.clone()));
                (keys.join(" "), *help)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyModifiers};

    fn ev(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn defaults_and_aliases() {
        let km = KeyMap::default();
        assert_eq!(
            km.action(&ev(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Down, KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(
            km.action(&ev(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Cancel)
        );
    }

    #[test]
    fn overrides_replace_the_default_key() {
        let mut o = BTreeMap::new();
        o.insert("quit".to_string(), "ctrl-q".to_string());
        o.insert("nonsense".to_string(), "x".to_string());
        let km = KeyMap::new(&o);
        assert_eq!(km.action(&ev(KeyCode::Char('q'), KeyModifiers::NONE)), None);
        assert_eq!(
            km.action(&ev(KeyCode::Char('q'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(km.warnings.len(), 1);
        let help = km.help_rows(Screen::Logs);
        assert_eq!(help[0], ("ctrl-q".to_string(), "quit"));
    }

    #[test]
    fn names_round_trip() {
        for screen in Screen::ALL {
            for (a, n, k, _) in screen.table() {
                assert_eq!(Action::from_name(n), Some(*a));
                assert!(KeySpec::parse(k).is_some(), "{k}");
            }
        }
    }

    #[test]
    fn each_screen_has_its_table_and_overrides_apply_on_every_screen() {
        let km = KeyMap::default();
        let q = ev(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(km.action_in(Screen::Logs, &q), Some(Action::Quit));
        assert_eq!(km.action_in(Screen::Timeline, &q), Some(Action::Back));
        assert_eq!(km.action_in(Screen::Runs, &q), Some(Action::Back));
        let enter = ev(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(km.action_in(Screen::Timeline, &enter), Some(Action::Fold));
        assert_eq!(km.action_in(Screen::Runs, &enter), Some(Action::OpenRun));
        // a key of another screen does nothing here
        let x = ev(KeyCode::Char('x'), KeyModifiers::NONE);
        assert_eq!(km.action_in(Screen::Timeline, &x), None);

        let mut o = BTreeMap::new();
        o.insert("down".to_string(), "ctrl-n".to_string());
        let km = KeyMap::new(&o);
        let n = ev(KeyCode::Char('n'), KeyModifiers::CONTROL);
        let j = ev(KeyCode::Char('j'), KeyModifiers::NONE);
        // every screen that has the action (the span selection moves sideways only)
        let with_down = Screen::ALL
            .into_iter()
            .filter(|s| s.table().iter().any(|(a, ..)| *a == Action::Down));
        assert_eq!(with_down.clone().count(), Screen::ALL.len() - 1);
        for screen in with_down {
            assert_eq!(km.action_in(screen, &n), Some(Action::Down), "{screen:?}");
            assert_eq!(km.action_in(screen, &j), None, "{screen:?}");
        }
        let rows = km.help_rows(Screen::Timeline);
        assert!(
            rows.contains(&("↓ ctrl-n".to_string(), "next row (also ↓)")),
            "{rows:?}"
        );
        let fold = rows
            .iter()
            .find(|(_, h)| h.starts_with("fold a turn"))
            .unwrap();
        assert_eq!(fold.0, "enter space tab");
    }
}
