//! The key tables of the views opened from the logs: patterns, fields, log context and the
//! dashboard.

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

/// The log context view.
pub const CONTEXT: &[(Action, &str, &str, &str)] = &[
    (
        Action::Back,
        "back",
        "q",
        "close the context (back to the results, same line selected)",
    ),
    (Action::Cancel, "cancel", "ctrl-c", "close the context"),
    (Action::Up, "up", "k", "scroll up (also ↑)"),
    (Action::Down, "down", "j", "scroll down (also ↓)"),
    (Action::PageUp, "page_up", "pgup", "page up (also ctrl-b)"),
    (
        Action::PageDown,
        "page_down",
        "pgdn",
        "page down (also ctrl-f)",
    ),
    (Action::Top, "top", "g", "back to the line (centred)"),
    (
        Action::ContextMore,
        "context_more",
        "+",
        "more lines before and after (5, 10, 25 … 500)",
    ),
    (
        Action::ContextLess,
        "context_less",
        "-",
        "fewer lines before and after",
    ),
    (
        Action::CursorLeft,
        "cursor_left",
        "h",
        "previous label of the stream selector (also ←)",
    ),
    (
        Action::CursorRight,
        "cursor_right",
        "l",
        "next label of the stream selector (also →)",
    ),
    (
        Action::WidenSelector,
        "context_widen",
        "w",
        "drop/restore the chosen label (widen the stream selector)",
    ),
    (
        Action::KeepFilters,
        "context_filters",
        "f",
        "keep/drop the query's pipeline (its parsers and filters: | json | …)",
    ),
    (Action::Help, "help", "?", "this help"),
];

pub const CONTEXT_ALIASES: &[(&str, Action)] = &[
    ("up", Action::Up),
    ("down", Action::Down),
    ("ctrl-b", Action::PageUp),
    ("ctrl-f", Action::PageDown),
    ("home", Action::Top),
    ("left", Action::CursorLeft),
    ("right", Action::CursorRight),
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
        "quit, even while panels load",
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

/// Choosing a span of the volume histogram to zoom into (`z` on the logs screen).
pub const SPAN: &[(Action, &str, &str, &str)] = &[
    (
        Action::CursorLeft,
        "cursor_left",
        "h",
        "move the span earlier (also ←)",
    ),
    (
        Action::CursorRight,
        "cursor_right",
        "l",
        "move the span later (also →)",
    ),
    (
        Action::SpanShrink,
        "span_shrink",
        "H",
        "narrow the span (its end earlier)",
    ),
    (
        Action::SpanGrow,
        "span_grow",
        "L",
        "widen the span (its end later)",
    ),
    (
        Action::ZoomIn,
        "zoom_in",
        "enter",
        "run the query over the span (Z zooms back out)",
    ),
    (
        Action::ZoomOut,
        "zoom_out",
        "Z",
        "zoom back out (the range before the last zoom)",
    ),
    (Action::Back, "back", "esc", "leave the span unchosen"),
    (
        Action::Cancel,
        "cancel",
        "ctrl-c",
        "leave the span unchosen",
    ),
    (Action::Quit, "quit", "q", "quit"),
    (Action::Help, "help", "?", "this help"),
];

pub const SPAN_ALIASES: &[(&str, Action)] = &[
    ("left", Action::CursorLeft),
    ("right", Action::CursorRight),
    ("z", Action::Back),
    ("backspace", Action::Back),
];
