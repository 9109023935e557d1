//! Log levels, with the one word table every layer uses: the local sources (to fill the `level`
//! label and Loki's `detected_level`), the text output (colours) and the TUI (colours, `e`/`E`,
//! the volume histogram). Before this module there were three tables that disagreed.

use memchr::memmem;

use super::LogEntry;
use super::structlog::{LEVEL_KEY, sniff_str};

/// Severity as vs-logs shows it: five buckets, ordered so that `Error` is the greatest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
#[repr(u8)]
pub enum Level {
    #[default]
    Unknown,
    Debug,
    Info,
    Warning,
    Error,
}

/// Loki's normalised `detected_level` for a level word a line declares (`warning` → `warn`,
/// `ERR` → `error`, `panic` → `fatal`); words it does not know become `unknown`. Case does not
/// matter. Syslog's `emerg`/`alert` are read as `critical` (they are above it).
pub fn normalize(level: &str) -> &'static str {
    let mut buf = [0u8; 16];
    if level.len() > buf.len() {
        return "unknown";
    }
    for (d, s) in buf.iter_mut().zip(level.bytes()) {
        *d = s.to_ascii_lowercase();
    }
    match &buf[..level.len()] {
        b"trace" | b"trc" => "trace",
        b"debug" | b"dbg" => "debug",
        b"info" | b"inf" | b"information" | b"notice" => "info",
        b"warn" | b"warning" | b"wrn" => "warn",
        b"error" | b"err" | b"eror" => "error",
        b"critical" | b"crit" | b"emerg" | b"emergency" | b"alert" => "critical",
        b"fatal" | b"panic" => "fatal",
        _ => "unknown",
    }
}

/// The app-vocabulary level (`warning`, not `warn`) for a normalised detected level.
pub fn app_level(detected: &str) -> &'static str {
    Level::of_detected(detected).name()
}

impl Level {
    /// The level of any level word (`WARN`, `warning`, `err`, `crit`, `panic`…), through
    /// [`normalize`]'s table.
    pub fn parse(s: &str) -> Level {
        Level::of_detected(normalize(s))
    }

    /// The bucket of a normalised `detected_level` value.
    pub fn of_detected(detected: &str) -> Level {
        match detected {
            "warn" => Level::Warning,
            "error" | "critical" | "fatal" => Level::Error,
            "info" => Level::Info,
            "debug" | "trace" => Level::Debug,
            _ => Level::Unknown,
        }
    }

    /// The app's own name (`warning`, not `warn`): what the `level` stream label holds.
    pub fn name(self) -> &'static str {
        match self {
            Level::Unknown => "unknown",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    /// Most severe first (the volume histogram's stacking order).
    pub const ALL: [Level; 5] = [
        Level::Error,
        Level::Warning,
        Level::Info,
        Level::Debug,
        Level::Unknown,
    ];

    /// The level of an entry: its `level` label, else `detected_level`, else the line's own
    /// `"level":"…"` (found without parsing the JSON), else the level [`detect`]ed in the text.
    pub fn of_entry(e: &LogEntry) -> Level {
        if let Some(l) = e.label("level").or_else(|| e.label("detected_level")) {
            return Level::parse(l);
        }
        Self::of_line(&e.line)
    }

    /// The level of a line that carries no label: what the local source would label it (a
    /// JSON line by its `level` key only, any other line by [`detect`]).
    pub fn of_line(line: &str) -> Level {
        let trimmed = line.trim();
        if trimmed.starts_with('{') && trimmed.ends_with('}') {
            return sniff_str(trimmed, &LEVEL_KEY).map_or(Level::Unknown, |l| Level::parse(&l));
        }
        Level::parse(detect(line))
    }
}

/// Words that give a free-text line its level, strongest first.
const ERROR_WORDS: [&str; 9] = [
    "ERROR", "Error", "error", "FATAL", "fatal", "CRITICAL", "critical", "panic", "PANIC",
];
const WARN_WORDS: [&str; 3] = ["WARN", "Warn", "warn"];
const INFO_WORDS: [&str; 3] = ["INFO", "Info", "info"];
const DEBUG_WORDS: [&str; 4] = ["DEBUG", "debug", "TRACE", "trace"];

/// Detects the level of a line that declares none in a structured way, in the app's own
/// vocabulary (`error`, `warning`, `info`, `debug`, or `unknown`): what the `level` stream label
/// of such a line holds. A bracketed level (`[ERROR]`, `[warning]`) wins; then the strongest
/// level word found anywhere in the text.
pub fn detect(text: &str) -> &'static str {
    if let Some(level) = bracketed(text) {
        return level;
    }
    let has = |words: &[&str]| {
        words
            .iter()
            .any(|w| memmem::find(text.as_bytes(), w.as_bytes()).is_some())
    };
    if has(&ERROR_WORDS) {
        "error"
    } else if has(&WARN_WORDS) {
        "warning"
    } else if has(&INFO_WORDS) {
        "info"
    } else if has(&DEBUG_WORDS) {
        "debug"
    } else {
        "unknown"
    }
}

/// The first `[word]` in the line that is a level name, mapped to the app's vocabulary.
fn bracketed(text: &str) -> Option<&'static str> {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(open) = memchr::memchr(b'[', &b[from..]).map(|i| i + from) {
        let rest = &text[open + 1..];
        let close = rest.bytes().take(10).position(|c| c == b']');
        if let Some(close) = close {
            match Level::parse(&rest[..close]) {
                Level::Unknown => {}
                level => return Some(level.name()),
            }
        }
        from = open + 1;
    }
    None
}

#[cfg(test)]
#[path = "level_tests.rs"]
mod tests;
