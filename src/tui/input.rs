//! A one-line text input (query editor, search, prompts): text plus a cursor, edited by keys.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    pub text: String,
    /// Byte offset, always on a char boundary.
    pub cursor: usize,
}

/// What a key did to an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Changed,
    Moved,
    Submit,
    Cancel,
    /// Not an editing key (Tab, ↑, ↓ …): the caller decides.
    Other,
}

impl TextInput {
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        let cursor = text.len();
        Self { text, cursor }
    }

    pub fn set(&mut self, text: impl Into<String>) {
        self.text = text.into();
        self.cursor = self.text.len();
    }

    pub fn insert_str(&mut self, s: &str) {
        let s: String = s
            .chars()
            .filter(|c| !c.is_control() || *c == '\n')
            .collect();
        self.text.insert_str(self.cursor, &s);
        self.cursor += s.len();
    }

    fn prev_boundary(&self) -> usize {
        self.text[..self.cursor]
            .char_indices()
            .next_back()
            .map_or(0, |(i, _)| i)
    }

    fn next_boundary(&self) -> usize {
        self.text[self.cursor..]
            .chars()
            .next()
            .map_or(self.cursor, |c| self.cursor + c.len_utf8())
    }

    /// The word before the cursor (for completion).
    pub fn word_before(&self) -> &str {
        let head = &self.text[..self.cursor];
        let start = head
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '-'))
            .map_or(0, |i| i + 1);
        &head[start..]
    }

    pub fn handle(&mut self, ev: &KeyEvent) -> Edit {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        match ev.code {
            KeyCode::Enter => Edit::Submit,
            KeyCode::Esc => Edit::Cancel,
            KeyCode::Char('c') if ctrl => Edit::Cancel,
            KeyCode::Char('a') if ctrl => {
                self.cursor = 0;
                Edit::Moved
            }
            KeyCode::Char('e') if ctrl => {
                self.cursor = self.text.len();
                Edit::Moved
            }
            KeyCode::Char('u') if ctrl => {
                self.text.drain(..self.cursor);
                self.cursor = 0;
                Edit::Changed
            }
            KeyCode::Char('w') if ctrl => {
                let w = self.word_before().len().max(1).min(self.cursor);
                let start = self.cursor - w;
                if self.text.is_char_boundary(start) {
                    self.text.drain(start..self.cursor);
                    self.cursor = start;
                }
                Edit::Changed
            }
            KeyCode::Char(c) if !ctrl => {
                let mut b = [0u8; 4];
                self.insert_str(c.encode_utf8(&mut b));
                Edit::Changed
            }
            KeyCode::Backspace => {
                if self.cursor > 0 {
                    let p = self.prev_boundary();
                    self.text.drain(p..self.cursor);
                    self.cursor = p;
                }
                Edit::Changed
            }
            KeyCode::Delete => {
                let n = self.next_boundary();
                self.text.drain(self.cursor..n);
                Edit::Changed
            }
            KeyCode::Left => {
                self.cursor = self.prev_boundary();
                Edit::Moved
            }
            KeyCode::Right => {
                self.cursor = self.next_boundary();
                Edit::Moved
            }
            KeyCode::Home => {
                self.cursor = 0;
                Edit::Moved
            }
            KeyCode::End => {
                self.cursor = self.text.len();
                Edit::Moved
            }
            _ => Edit::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn edits_unicode_safely() {
        let mut t = TextInput::new("漏a");
        t.handle(&k(KeyCode::Left));
        t.handle(&k(KeyCode::Left));
        t.handle(&k(KeyCode::Char('x')));
        assert_eq!(t.text, "x漏a");
        t.handle(&k(KeyCode::Right));
        t.handle(&k(KeyCode::Backspace));
        assert_eq!(t.text, "xa");
        assert_eq!(t.handle(&k(KeyCode::Enter)), Edit::Submit);
        t.insert_str("b\u{1b}c");
        assert_eq!(t.text, "xbca");
    }
}
