//! Levels: normalising a structured `level` value the way Loki fills `detected_level`, and
//! detecting a level in free text (a gunicorn `[ERROR]`, a `WARNING` prefix, a Go `panic:`).

use memchr::memmem;

/// Loki's normalised `detected_level` for a level value a line declares (`warning` → `warn`,
/// `ERR` → `error`); values it does not know become `unknown`.
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
        b"critical" | b"crit" => "critical",
        b"fatal" | b"panic" => "fatal",
        _ => "unknown",
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
            let word = &rest[..close];
            match normalize(word) {
                "unknown" => {}
                "trace" | "debug" => return Some("debug"),
                "info" => return Some("info"),
                "warn" => return Some("warning"),
                _ => return Some("error"),
            }
        }
        from = open + 1;
    }
    None
}

/// The app-vocabulary level (`warning`, not `warn`) for a normalised detected level.
pub fn app_level(detected: &str) -> &'static str {
    match detected {
        "warn" => "warning",
        "error" | "critical" | "fatal" => "error",
        "info" => "info",
        "debug" | "trace" => "debug",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_like_loki() {
        assert_eq!(normalize("warning"), "warn");
        assert_eq!(normalize("WARN"), "warn");
        assert_eq!(normalize("Error"), "error");
        assert_eq!(normalize("info"), "info");
        assert_eq!(normalize("debug"), "debug");
        assert_eq!(normalize("verbose"), "unknown");
        assert_eq!(normalize("a-very-long-level-value"), "unknown");
    }

    #[test]
    fn detects_levels_in_text() {
        assert_eq!(
            detect("[2026-11-24 19:00:00 +0000] [7] [ERROR] Worker (pid:4121) was sent SIGKILL!"),
            "error"
        );
        assert_eq!(
            detect("\x1b[33mWARNING\x1b[0m poc-runner: sandbox"),
            "warning"
        );
        assert_eq!(detect("panic: runtime error: index out of range"), "error");
        assert_eq!(detect("ValueError: bad input"), "error");
        assert_eq!(detect("INFO starting"), "info");
        assert_eq!(detect("DEBUG x=1"), "debug");
        assert_eq!(detect("Traceback (most recent call last):"), "unknown");
        assert_eq!(detect("[warning] but also error in text"), "warning");
    }
}
