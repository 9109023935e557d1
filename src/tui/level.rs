//! Log levels as the table colours them and `e`/`E` finds them.

use crate::model::LogEntry;

/// Severity, derived once per line at load time (for colours, `e`/`E` and local volume).
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

impl Level {
    pub fn parse(s: &str) -> Level {
        match s.to_ascii_lowercase().as_str() {
            "error" | "err" | "critical" | "crit" | "fatal" | "panic" | "emerg" | "alert" => {
                Level::Error
            }
            "warn" | "warning" => Level::Warning,
            "info" | "information" | "notice" => Level::Info,
            "debug" | "trace" => Level::Debug,
            _ => Level::Unknown,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Level::Unknown => "unknown",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    pub const ALL: [Level; 5] = [
        Level::Error,
        Level::Warning,
        Level::Info,
        Level::Debug,
        Level::Unknown,
    ];

    /// The level of an entry: `level` label, parsed or metadata `detected_level`, else the
    /// line's own `"level":"…"` without parsing the JSON.
    pub fn of_entry(e: &LogEntry) -> Level {
        if let Some(l) = e.label("level").or_else(|| e.label("detected_level")) {
            return Level::parse(l);
        }
        Self::sniff(&e.line)
    }

    fn sniff(line: &str) -> Level {
        if let Some(p) = memchr::memmem::find(line.as_bytes(), b"\"level\":") {
            let rest = line[p + 8..].trim_start();
            if let Some(r) = rest.strip_prefix('"') {
                let end = r.find('"').unwrap_or(r.len());
                return Level::parse(&r[..end]);
            }
        }
        let head = &line[..line.len().min(120)];
        for (word, level) in [
            ("ERROR", Level::Error),
            ("FATAL", Level::Error),
            ("WARN", Level::Warning),
            ("INFO", Level::Info),
            ("DEBUG", Level::Debug),
        ] {
            if head.contains(word) {
                return level;
            }
        }
        Level::Unknown
    }
}
