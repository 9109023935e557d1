//! Key bindings as data: every action has a name, a default key and a help text, and users
//! override keys in the config file (`[keys] quit = "ctrl-q"`). The help screen is generated
//! from the same table, so it can never disagree with what the keys do.

use std::collections::{BTreeMap, HashMap};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Something the user can ask for from the results view.
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
}

/// (action, config name, default key, help text), in help-screen order.
const TABLE: &[(Action, &str, &str, &str)] = &[
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
        "first line (loads the next page at the end)",
    ),
    (
        Action::Bottom,
        "bottom",
        "G",
        "last line (loads the next page at the end)",
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
        "newest first / oldest first",
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
        Action::PivotAgent,
        "agent",
        "a",
        "open the agent run of this line (its timeline)",
    ),
    (
        Action::Agents,
        "agents",
        "A",
        "list the agent runs in the range",
    ),
    (
        Action::Back,
        "back",
        "backspace",
        "back to the previous query",
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
        "export the results to a file (.jsonl or raw)",
    ),
    (Action::Refresh, "refresh", "r", "run the query again"),
    (
        Action::CustomRange,
        "range",
        "t",
        "custom time range (from [to])",
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
const ALIASES: &[(&str, Action)] = &[
    ("up", Action::Up),
    ("down", Action::Down),
    ("ctrl-b", Action::PageUp),
    ("ctrl-f", Action::PageDown),
    ("home", Action::Top),
    ("end", Action::Bottom),
    (":", Action::EditQuery),
    ("esc", Action::Back),
];

impl Action {
    /// The name used in the config file.
    pub fn name(self) -> &'static str {
        TABLE
            .iter()
            .find(|(a, ..)| *a == self)
            .map_or("?", |(_, n, ..)| n)
    }

    pub fn from_name(name: &str) -> Option<Action> {
        TABLE.iter().find(|(_, n, ..)| *n == name).map(|(a, ..)| *a)
    }
}

/// A key as written in the config file: `q`, `G`, `ctrl-c`, `enter`, `pgdn`, `f5`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySpec {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl KeySpec {
    /// Parses a key name; `None` when it is not understood.
    pub fn parse(s: &str) -> Option<KeySpec> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = s;
        loop {
            if let Some(r) = rest
                .strip_prefix("ctrl-")
                .or_else(|| rest.strip_prefix("C-"))
            {
                ctrl = true;
                rest = r;
            } else if let Some(r) = rest
                .strip_prefix("alt-")
                .or_else(|| rest.strip_prefix("M-"))
            {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backspace" => KeyCode::Backspace,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "space" => KeyCode::Char(' '),
            f if f.len() > 1 && f.starts_with('f') => KeyCode::F(f[1..].parse().ok()?),
            _ => {
                let mut chars = rest.chars();
                let c = chars.next()?;
                if chars.next().is_some() {
                    return None;
                }
                KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
            }
        };
        Some(KeySpec { code, ctrl, alt })
    }

    /// The spec a terminal key event matches (shift is folded into the character).
    pub fn of_event(ev: &KeyEvent) -> KeySpec {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        let code = match ev.code {
            KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            KeyCode::BackTab => KeyCode::Tab,
            c => c,
        };
        KeySpec {
            code,
            ctrl,
            alt: ev.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// Human spelling for the help screen.
    pub fn display(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "enter".into(),
            KeyCode::Esc => "esc".into(),
            KeyCode::Tab => "tab".into(),
            KeyCode::Backspace => "backspace".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "pgup".into(),
            KeyCode::PageDown => "pgdn".into(),
            KeyCode::Home => "home".into(),
            KeyCode::End => "end".into(),
            KeyCode::F(n) => format!("f{n}"),
            other => format!("{other:?}"),
        };
        let mut s = String::new();
        if self.ctrl {
            s.push_str("ctrl-");
        }
        if self.alt {
            s.push_str("alt-");
        }
        s.push_str(&base);
        s
    }
}

/// The resolved key table: defaults with the user's overrides applied.
#[derive(Debug, Clone)]
pub struct KeyMap {
    bindings: HashMap<KeySpec, Action>,
    /// Problems with the user's overrides, shown once in the status line.
    pub warnings: Vec<String>,
}

impl Default for KeyMap {
    fn default() -> Self {
        Self::new(&BTreeMap::new())
    }
}

impl KeyMap {
    /// Defaults, then `overrides` (action name → key) replacing the default key of an action.
    pub fn new(overrides: &BTreeMap<String, String>) -> Self {
        let mut warnings = Vec::new();
        let mut primary: BTreeMap<Action, KeySpec> = BTreeMap::new();
        for (action, _, key, _) in TABLE {
            if let Some(k) = KeySpec::parse(key) {
                primary.insert(*action, k);
            }
        }
        for (name, key) in overrides {
            match (Action::from_name(name), KeySpec::parse(key)) {
                (Some(a), Some(k)) => {
                    primary.insert(a, k);
                }
                (None, _) => warnings.push(format!("config [keys]: unknown action {name:?}")),
                (_, None) => warnings.push(format!("config [keys]: cannot read key {key:?}")),
            }
        }
        let mut bindings = HashMap::new();
        for (key, action) in ALIASES {
            if let Some(k) = KeySpec::parse(key) {
                bindings.insert(k, *action);
            }
        }
        for (a, k) in &primary {
            bindings.insert(*k, *a);
        }
        Self { bindings, warnings }
    }

    pub fn action(&self, ev: &KeyEvent) -> Option<Action> {
        self.bindings.get(&KeySpec::of_event(ev)).copied()
    }

    /// Help rows: (keys, help text), in table order.
    pub fn help_rows(&self) -> Vec<(String, &'static str)> {
        TABLE
            .iter()
            .map(|(a, _, _, help)| {
                let mut keys: Vec<String> = self
                    .bindings
                    .iter()
                    .filter(|(_, b)| *b == a)
                    .map(|(k, _)| k.display())
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
        let help = km.help_rows();
        assert_eq!(help[0], ("ctrl-q".to_string(), "quit"));
    }

    #[test]
    fn names_round_trip() {
        for (a, n, k, _) in TABLE {
            assert_eq!(Action::from_name(n), Some(*a));
            assert!(KeySpec::parse(k).is_some(), "{k}");
        }
    }
}
