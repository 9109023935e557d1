//! The default key tables, one per screen, in help-screen order. A config name means the
//! same thing on every screen that has it, so `[keys] up = "x"` moves up everywhere.

use super::Action;

/// The logs screen: (action, config name, default key, help text).
pub const LOGS: &[(Action, &str, &str, &str)] = &[
    (Action::Quit, "quit", "q", "quit"),
    (
        Action::Cancel,
        "cancel",
        "ctrl-c",
        "cancel the running query, or quit when idle",
    ),
    (Action::Up, "up", "k", "previous line (also ↑)"),
    (Action::Down, "down", "j", "next line (also ↓)"),
    (Action::PageUp, "page_up", "pgup", "page up (also ctrl-b)"),
    (
        Action::PageDown,
        "page_down",
        "pgdn",
        "page down (also ctrl-f)",
    ),
    (
        Action::Top,
        "top",
        "g",
        "top row (loads more there when the range has more)",
    ),
    (
        Action::Bottom,
        "bottom",
        "G",
        "bottom row (loads more there when the range has more)",
    ),
    (
        Action::EditQuery,
        "edit_query",
        "i",
        "edit the query (Enter runs, Tab completes, ↑↓ history)",
    ),
    (Action::Search, "search", "/", "search in the results"),
    (Action::NextMatch, "next_match", "n", "next search match"),
    (
        Action::PrevMatch,
        "prev_match",
        "N",
        "previous search match",
    ),
    (Action::NextError, "next_error", "e", "next error line"),
    (Action::PrevError, "prev_error", "E", "previous error line"),
    (
        Action::SetMark,
        "set_mark",
        "m",
        "set a mark (m then a letter)",
    ),
    (
        Action::JumpMark,
        "jump_mark",
        "'",
        "jump to a mark (' then a letter)",
    ),
    (
        Action::Details,
        "details",
        "enter",
        "open/close the details of the selected line",
    ),
    (Action::FocusScenes, "scenes", "s", "choose a scene"),
    (Action::ToggleWrap, "wrap", "w", "wrap long lines"),
    (
        Action::TogglePretty,
        "pretty",
        "J",
        "pretty-print JSON lines",
    ),
    (
        Action::ToggleOrder,
        "order",
        "o",
        "newest first / oldest first (runs the query from that end)",
    ),
    (
        Action::ToggleVolume,
        "volume",
        "v",
        "show/hide the volume histogram",
    ),
    (
        Action::HideField,
        "hide_field",
        "h",
        "details: hide/show the field in the table",
    ),
    (
        Action::ShowAllFields,
        "show_fields",
        "H",
        "show every hidden field again",
    ),
    (
        Action::FilterFor,
        "filter_for",
        "+",
        "details: filter for this field value",
    ),
    (
        Action::FilterOut,
        "filter_out",
        "-",
        "details: filter this field value out",
    ),
    (
        Action::CopyValue,
        "copy_value",
        "y",
        "details: copy the field value (OSC 52)",
    ),
    (
        Action::CopyLine,
        "copy_line",
        "Y",
        "copy the whole line (OSC 52)",
    ),
    (
        Action::ShowContext,
        "context",
        "c",
        "details: lines before/after from the same stream",
    ),
    (
        Action::ContextView,
        "context_view",
        "L",
        "log context: the lines around this one in its stream",
    ),
    (
        Action::PivotAgent,
        "agent",
        "a",
        "open the agent run of this line (its timeline)",
    ),
    (
        Action::Patterns,
        "patterns",
        "P",
        "group the results into patterns (+/- include/exclude one)",
    ),
    (
        Action::Fields,
        "fields",
        "f",
        "field statistics of the results (enter/- filter for/out)",
    ),
    (
        Action::Agents,
        "agents",
        "A",
        "list the agent runs in the range",
    ),
    (
        Action::Dashboard,
        "dashboard",
        "D",
        "the overview dashboard (charts of the range)",
    ),
    (
        Action::CursorLeft,
        "cursor_left",
        "[",
        "metric chart: time cursor one step back",
    ),
    (
        Action::CursorRight,
        "cursor_right",
        "]",
        "metric chart: time cursor one step on",
    ),
    (
        Action::ToggleTable,
        "table",
        "T",
        "metric result: table of the steps / chart",
    ),
    (
        Action::ToggleSeries,
        "toggle_series",
        "space",
        "metric chart: hide/show the series selected with j/k",
    ),
    (
        Action::ZoomSelect,
        "zoom",
        "z",
        "volume: choose a span of time to zoom into (h/l, H/L, enter)",
    ),
    (
        Action::ZoomOut,
        "zoom_out",
        "Z",
        "volume: zoom back out (the range before the last zoom)",
    ),
    (
        Action::Back,
        "back",
        "backspace",
        "close details or search, else the previous query",
    ),
    (
        Action::Follow,
        "follow",
        "F",
        "follow new lines (live tail)",
    ),
    (Action::Pause, "pause", "p", "follow: pause/resume"),
    (Action::Clear, "clear", "C", "follow: clear the buffer"),
    (
        Action::Export,
        "export",
        "x",
        "export the loaded lines or the whole range (.jsonl or raw)",
    ),
    (Action::Refresh, "refresh", "r", "run the query again"),
    (
        Action::CustomRange,
        "range",
        "t",
        "custom time range (90m, or FROM .. TO)",
    ),
    (Action::Range5m, "range_5m", "1", "last 5 minutes"),
    (Action::Range15m, "range_15m", "2", "last 15 minutes"),
    (Action::Range1h, "range_1h", "3", "last hour"),
    (Action::Range6h, "range_6h", "4", "last 6 hours"),
    (Action::Range12h, "range_12h", "5", "last 12 hours"),
    (Action::Range24h, "range_24h", "6", "last 24 hours"),
    (Action::Range7d, "range_7d", "7", "last 7 days"),
    (Action::Help, "help", "?", "this help"),
];

/// Extra default keys that are not configurable aliases (arrows, mouse-less habits).
pub const LOGS_ALIASES: &[(&str, Action)] = &[
    ("up", Action::Up),
    ("down", Action::Down),
    ("ctrl-b", Action::PageUp),
    ("ctrl-f", Action::PageDown),
    ("home", Action::Top),
    ("end", Action::Bottom),
    (":", Action::EditQuery),
    ("esc", Action::Back),
];

mod agent;
pub use agent::{RUNS, RUNS_ALIASES, TIMELINE, TIMELINE_ALIASES};

mod views;
pub use views::{
    CONTEXT, CONTEXT_ALIASES, DASHBOARD, DASHBOARD_ALIASES, FIELDS, FIELDS_ALIASES, PATTERNS,
    PATTERNS_ALIASES, SPAN, SPAN_ALIASES,
};
