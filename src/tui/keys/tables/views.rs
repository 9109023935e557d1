//! The key tables of the views opened from the logs: patterns, fields and the dashboard.

use super::super::Action;

/// The Patterns view.
pub const PATTERNS: &[(Action, &str, &str, &str)] = &[
    (
        Action::Back,
        "back",
        "q",
        "close the patterns (back to the logs)",
    ),
    (Action::Cancel, "cancel", "ctrl-c", "close the patterns"),
    (Action::Up, "up", "k", "previous pattern (also ↑)"),
    (Action::Down, "down", "j", "next pattern (also ↓)"),
    (Action::PageUp, "page_up", "pgup", "page up (also ctrl-b)"),
    (
        Action::PageDown,
        "page_down",
        "pgdn",
        "page down (also ctrl-f)",
    ),
    (Action::Top, "top", "g", "first pattern"),
    (Action::Bottom, "bottom", "G", "last pattern"),
    (
        Action::Details,
        "details",
        "enter",
        "show/hide the pattern's lines",
    ),
    (
        Action::FilterFor,
        "filter_for",
        "+",
        "keep only this pattern's lines (|> \"…\")",
    ),
    (
        Action::FilterOut,
        "filter_out",
        "-",
        "drop this pattern's lines (!> \"…\")",
    ),
    (Action::Help, "help", "?", "this help"),
];

pub const PATTERNS_ALIASES: &[(&str, Action)] = &[
    ("up", Action::Up),
    ("down", Action::Down),
    ("ctrl-b", Action::PageUp),
    ("ctrl-f", Action::PageDown),
    ("home", Action::Top),
    ("end", Action::Bottom),
    ("esc", Action::Back),
    ("backspace", Action::Back),
];

/// The Fields view.
pub const FIELDS: &[(Action, &str, &str, &str)] = &[
    (
        Action::Back,
        "back",
        "q",
        "close the fields (back to the logs)",
    ),
    (Action::Cancel, "cancel", "ctrl-c", "close the fields"),
    (Action::Up, "up", "k", "previous row (also ↑)"),
    (Action::Down, "down", "j", "next row (also ↓)"),
    (Action::PageUp, "page_up", "pgup", "page up (also ctrl-b)"),
    (
        Action::PageDown,
        "page_down",
        "pgdn",
        "page down (also ctrl-f)",
    ),
    (Action::Top, "top", "g", "first row"),
    (Action::Bottom, "bottom", "G", "last row"),
    (
        Action::FilterFor,
        "filter_for",
        "enter",
        "filter for the selected value (also +)",
    ),
    (
        Action::FilterOut,
        "filter_out",
        "-",
        "filter the selected value out",
    ),
    (Action::Help, "help", "?", "this help"),
];

pub const FIELDS_ALIASES: &[(&str, Action)] = &[
    ("up", Action::Up),
    ("down", Action::Down),
    ("ctrl-b", Action::PageUp),
    ("ctrl-f", Action::PageDown),
    ("home", Action::Top),
    ("end", Action::Bottom),
    ("+", Action::FilterFor),
    ("esc", Action::Back),
    ("backspace", Action::Back),
];

/// The dashboard screen.
pub const DASHBOARD: &[(Action, &str, &str, &str)] = &[
    (Action::Quit, "quit", "q", "quit"),
    (
        Action::Cancel,
        "cancel",
        "ctrl-c",
        "cancel the running queries, or quit when idle",
    ),
    (Action::Back, "back", "esc", "to the log explorer"),
    (Action::Down, "down", "j", "next panel (also tab, ↓)"),
    (Action::Up, "up", "k", "previous panel (also ↑)"),
    (
        Action::OpenPanel,
        "open_panel",
        "enter",
        "explore the focused panel: its logs (a metric panel: the lines behind it)",
    ),
    (
        Action::CursorLeft,
        "cursor_left",
        "h",
        "time cursor one step back (also ←)",
    ),
    (
        Action::CursorRight,
        "cursor_right",
        "l",
        "time cursor one step on (also →)",
    ),
    (Action::Refresh, "refresh", "r", "run every panel again"),
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

pub const DASHBOARD_ALIASES: &[(&str, Action)] = &[
    ("up", Action::Up),
    ("down", Action::Down),
    ("tab", Action::Down),
    ("left", Action::CursorLeft),
    ("right", Action::CursorRight),
    ("backspace", Action::Back),
];
