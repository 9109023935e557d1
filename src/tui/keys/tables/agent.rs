//! The key tables of the agent screens: a run's timeline and the list of runs.

use super::super::Action;

/// A run's timeline (`tui::agent_view::TimelineView`).
pub const TIMELINE: &[(Action, &str, &str, &str)] = &[
    (
        Action::Back,
        "back",
        "q",
        "close the timeline (back to the runs or the logs)",
    ),
    (
        Action::Cancel,
        "cancel",
        "ctrl-c",
        "cancel the running fetch, or close the timeline",
    ),
    (Action::Up, "up", "k", "previous row (also ↑)"),
    (Action::Down, "down", "j", "next row (also ↓)"),
    (Action::PageUp, "page_up", "pgup", "page up (also ctrl-b)"),
    (
        Action::PageDown,
        "page_down",
        "pgdn",
        "page down (also ctrl-f)",
    ),
    (
        Action::HalfPageUp,
        "half_page_up",
        "ctrl-u",
        "half a page up",
    ),
    (
        Action::HalfPageDown,
        "half_page_down",
        "ctrl-d",
        "half a page down",
    ),
    (Action::Top, "top", "g", "first row"),
    (Action::Bottom, "bottom", "G", "last row"),
    (
        Action::Fold,
        "fold",
        "enter",
        "fold a turn, expand a message, traceback or tool error",
    ),
    (
        Action::FoldAll,
        "fold_all",
        "z",
        "fold every turn (again: unfold all)",
    ),
    (Action::NextError, "next_error", "e", "next error"),
    (Action::PrevError, "prev_error", "E", "previous error"),
    (
        Action::RawLine,
        "raw_line",
        "r",
        "show/hide the raw log line of the row",
    ),
    (Action::Help, "help", "?", "this help"),
];

pub const TIMELINE_ALIASES: &[(&str, Action)] = &[
    ("up", Action::Up),
    ("down", Action::Down),
    ("ctrl-b", Action::PageUp),
    ("ctrl-f", Action::PageDown),
    ("home", Action::Top),
    ("end", Action::Bottom),
    ("space", Action::Fold),
    ("tab", Action::Fold),
    ("esc", Action::Back),
    ("backspace", Action::Back),
];

/// The list of agent runs (`tui::agent_view::AgentsView`).
pub const RUNS: &[(Action, &str, &str, &str)] = &[
    (
        Action::Back,
        "back",
        "q",
        "close the list (back to the logs)",
    ),
    (
        Action::Cancel,
        "cancel",
        "ctrl-c",
        "cancel the running fetch, or close the list",
    ),
    (Action::Up, "up", "k", "previous run (also ↑)"),
    (Action::Down, "down", "j", "next run (also ↓)"),
    (Action::PageUp, "page_up", "pgup", "page up (also ctrl-b)"),
    (
        Action::PageDown,
        "page_down",
        "pgdn",
        "page down (also ctrl-f)",
    ),
    (Action::Top, "top", "g", "first run"),
    (Action::Bottom, "bottom", "G", "last run"),
    (
        Action::OpenRun,
        "open_run",
        "enter",
        "open the run's timeline",
    ),
    (
        Action::SortStart,
        "sort_start",
        "A",
        "sort by start (newest first; again: reverse)",
    ),
    (
        Action::SortDuration,
        "sort_duration",
        "D",
        "sort by duration (longest first; again: reverse)",
    ),
    (
        Action::SortCost,
        "sort_cost",
        "C",
        "sort by cost (dearest first; again: reverse)",
    ),
    (
        Action::SortTokens,
        "sort_tokens",
        "T",
        "sort by tokens (most first; again: reverse)",
    ),
    (
        Action::SortStatus,
        "sort_status",
        "S",
        "sort by status (failed first; again: reverse)",
    ),
    (
        Action::FilterStatus,
        "filter_status",
        "f",
        "filter by status (all, failed, running, incomplete, done)",
    ),
    (
        Action::FilterType,
        "filter_type",
        "t",
        "filter by agent type (each type in turn, then all)",
    ),
    (Action::NextError, "next_error", "e", "next failed run"),
    (Action::PrevError, "prev_error", "E", "previous failed run"),
    (Action::Help, "help", "?", "this help"),
];

pub const RUNS_ALIASES: &[(&str, Action)] = &[
    ("up", Action::Up),
    ("down", Action::Down),
    ("ctrl-b", Action::PageUp),
    ("ctrl-f", Action::PageDown),
    ("home", Action::Top),
    ("end", Action::Bottom),
    ("esc", Action::Back),
    ("backspace", Action::Back),
];
