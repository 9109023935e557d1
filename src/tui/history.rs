//! Query history kept across sessions in `$XDG_DATA_HOME/vs-logs/history` (one JSON string per
//! line, so queries with newlines survive). A missing or corrupt file is an empty history.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Most recent last; no consecutive duplicates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    pub entries: Vec<String>,
    /// Browsing position while editing (`None` = not browsing).
    pub cursor: Option<usize>,
}

const MAX: usize = 1000;

/// Where the history lives: `$XDG_DATA_HOME/vs-logs/history`, else `~/.local/share/…`.
pub fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(base.join("vs-logs").join("history"))
}

impl History {
    /// Reads a history file; unreadable lines are skipped, a missing file is empty.
    pub fn load(path: &Path) -> History {
        let text = std::fs::read(path).unwrap_or_default();
        let text = String::from_utf8_lossy(&text);
        let mut h = History::default();
        for line in text.lines() {
            if let Ok(q) = serde_json::from_str::<String>(line) {
                h.push(q);
            }
        }
        h
    }

    /// Adds a query (returns false when it repeats the last one).
    pub fn push(&mut self, q: String) -> bool {
        self.cursor = None;
        if q.trim().is_empty() || self.entries.last() == Some(&q) {
            return false;
        }
        self.entries.push(q);
        if self.entries.len() > MAX {
            self.entries.remove(0);
        }
        true
    }

    /// Older entry while browsing.
    pub fn older(&mut self) -> Option<&str> {
        let next = match self.cursor {
            None => self.entries.len().checked_sub(1)?,
            Some(0) => 0,
            Some(c) => c - 1,
        };
        self.cursor = Some(next);
        self.entries.get(next).map(String::as_str)
    }

    /// Newer entry while browsing; `None` past the newest.
    pub fn newer(&mut self) -> Option<&str> {
        let c = self.cursor?;
        if c + 1 >= self.entries.len() {
            self.cursor = None;
            return None;
        }
        self.cursor = Some(c + 1);
        self.entries.get(c + 1).map(String::as_str)
    }
}

/// Appends one query to the file (creating directories).
pub fn append(path: &Path, q: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    let line = serde_json::to_string(q).map_err(std::io::Error::other)?;
    writeln!(f, "{line}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/history");
        assert_eq!(History::load(&p), History::default());
        append(&p, "{app=\"a\"}\n| json").unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&p)
            .unwrap()
            .write_all(b"garbage\xff\n")
            .unwrap();
        append(&p, "{app=\"b\"}").unwrap();
        let h = History::load(&p);
        assert_eq!(h.entries, ["{app=\"a\"}\n| json", "{app=\"b\"}"]);
    }

    #[test]
    fn browsing() {
        let mut h = History::default();
        h.push("a".into());
        h.push("b".into());
        assert!(!h.push("b".into()));
        assert_eq!(h.older(), Some("b"));
        assert_eq!(h.older(), Some("a"));
        assert_eq!(h.older(), Some("a"));
        assert_eq!(h.newer(), Some("b"));
        assert_eq!(h.newer(), None);
    }
}
