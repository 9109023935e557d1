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

/// Every word either table knew before they were merged (the sources' Loki table and the
/// TUI's colour table), with the bucket each gave it.
const WORDS: &[(&str, Level)] = &[
    ("trace", Level::Debug),
    ("trc", Level::Debug),
    ("debug", Level::Debug),
    ("dbg", Level::Debug),
    ("info", Level::Info),
    ("inf", Level::Info),
    ("information", Level::Info),
    ("notice", Level::Info),
    ("warn", Level::Warning),
    ("warning", Level::Warning),
    ("wrn", Level::Warning),
    ("error", Level::Error),
    ("err", Level::Error),
    ("eror", Level::Error),
    ("critical", Level::Error),
    ("crit", Level::Error),
    ("fatal", Level::Error),
    ("panic", Level::Error),
    ("emerg", Level::Error),
    ("alert", Level::Error),
];

#[test]
fn one_table_for_labels_colours_and_search() {
    for &(word, want) in WORDS {
        for w in [word.to_string(), word.to_ascii_uppercase()] {
            assert_eq!(Level::parse(&w), want, "{w}");
            // The label the sources write, read back, is the same bucket.
            assert_eq!(Level::parse(app_level(normalize(&w))), want, "{w}");
            // A bracketed word in free text means the same level.
            assert_eq!(detect(&format!("[{w}] x")), want.name(), "{w}");
        }
    }
    assert_eq!(Level::parse("verbose"), Level::Unknown);
    assert_eq!(normalize("emerg"), "critical");
}

#[test]
fn names_round_trip() {
    for l in Level::ALL {
        assert_eq!(Level::parse(l.name()), l);
    }
}
