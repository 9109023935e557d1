//! A one-line progress report on stderr for long queries: only on a terminal, never on stdout.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::Duration;

/// Rewrites one stderr line in place (`12,000 lines, 12 pages, 3.4s`); silent when disabled.
#[derive(Debug)]
pub struct ProgressLine {
    enabled: bool,
    shown: Mutex<bool>,
}

/// `12345` → `12,345`: the one digit-grouping formatter (counts in progress, tokens in the
/// agent renderings, the TUI).
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl ProgressLine {
    /// Enabled when stderr is a terminal and the user did not ask for `--quiet`.
    pub fn new(quiet: bool) -> Self {
        Self {
            enabled: !quiet && std::io::stderr().is_terminal(),
            shown: Mutex::new(false),
        }
    }

    pub fn update(&self, entries: usize, pages: usize, elapsed: Duration) {
        if !self.enabled {
            return;
        }
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r\x1b[K{}, {}, {:.1}s",
            plural_grouped(entries as u64, "line", "lines"),
            plural(pages, "page", "pages"),
            elapsed.as_secs_f64()
        );
        let _ = err.flush();
        if let Ok(mut shown) = self.shown.lock() {
            *shown = true;
        }
    }

    /// Erases the line, leaving stderr as it was.
    pub fn clear(&self) {
        let shown = self.shown.lock().map(|s| *s).unwrap_or(false);
        if self.enabled && shown {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
        }
    }
}

/// `1 line`, `2 lines`: every count a person reads, CLI and TUI alike.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// `plural` with the count's digits grouped: `1 line`, `12,345 lines`.
pub fn plural_grouped(n: u64, one: &str, many: &str) -> String {
    let word = if n == 1 { one } else { many };
    format!("{} {word}", thousands(n))
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_of_one_are_singular() {
        assert_eq!(super::plural(1, "line", "lines"), "1 line");
        assert_eq!(super::plural(0, "line", "lines"), "0 lines");
        assert_eq!(super::plural(2, "entry", "entries"), "2 entries");
    }

    #[test]
    fn grouped_counts_are_singular_only_for_one() {
        assert_eq!(super::plural_grouped(1, "line", "lines"), "1 line");
        assert_eq!(super::plural_grouped(0, "page", "pages"), "0 pages");
        assert_eq!(
            super::plural_grouped(12_345, "line", "lines"),
            "12,345 lines"
        );
    }
}
