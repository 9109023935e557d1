//! The help overlay's state: how far it is scrolled and what it is filtered by, so every key
//! can be read on any terminal from 80x24 up.

use super::super::input::TextInput;
use super::super::keys::{KeyMap, Screen};

/// `?`: scrolled and filtered by `update::help`, drawn by `render::help`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HelpState {
    /// First row shown (clamped to the rows there are when drawn and when moved).
    pub scroll: usize,
    /// Rows whose keys or text contain this (case-insensitive) are shown.
    pub filter: TextInput,
    /// Keys go to the filter (after `/`, until Enter or Esc).
    pub typing: bool,
}

impl HelpState {
    /// The help rows of `screen` that pass the filter, in table order.
    pub fn rows(&self, keys: &KeyMap, screen: Screen) -> Vec<(String, &'static str)> {
        let needle = self.filter.text.to_lowercase();
        keys.help_rows(screen)
            .into_iter()
            .filter(|(k, t)| {
                needle.is_empty()
                    || k.to_lowercase().contains(&needle)
                    || t.to_lowercase().contains(&needle)
            })
            .collect()
    }

    /// Whether the filter line is shown (typing, or a filter is set).
    pub fn filter_shown(&self) -> bool {
        self.typing || !self.filter.text.is_empty()
    }
}
