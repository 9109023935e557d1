//! Keys of the help overlay: scroll (the screen's movement keys), `/` to search, Esc/`?`/`q`
//! to close. Any key is an action, so it clears the status line's note.

use crossterm::event::{KeyCode, KeyEvent};

use super::super::app::{App, HelpState, Mode};
use super::super::input::{Edit, TextInput};
use super::super::keys::Action;
use super::super::layout::app_help_box;
use super::super::msg::Command;

pub fn key(app: &mut App, k: KeyEvent) -> Vec<Command> {
    app.status.note = None;
    if app.help.typing {
        match app.help.filter.handle(&k) {
            Edit::Submit => app.help.typing = false,
            Edit::Cancel => {
                app.help.typing = false;
                app.help.filter = TextInput::default();
            }
            _ => {}
        }
        app.help.scroll = 0;
        return Vec::new();
    }
    let (hb, rows) = app_help_box(app);
    let page = hb.list_height.max(1);
    let last = rows.saturating_sub(hb.list_height);
    let s = app.help.scroll.min(last);
    app.help.scroll = match k.code {
        KeyCode::Esc if !app.help.filter.text.is_empty() => {
            app.help.filter = TextInput::default();
            0
        }
        KeyCode::Esc | KeyCode::Char('?') | KeyCode::Char('q') | KeyCode::Enter => {
            app.mode = Mode::Normal;
            app.help = HelpState::default();
            return Vec::new();
        }
        KeyCode::Char('/') => {
            app.help.typing = true;
            app.help.filter = TextInput::default();
            0
        }
        KeyCode::Char(' ') => s + page,
        _ => match app.keys.action_in(app.key_screen(), &k) {
            Some(Action::Down) => s + 1,
            Some(Action::Up) => s.saturating_sub(1),
            Some(Action::PageDown) => s + page,
            Some(Action::HalfPageDown) => s + page / 2,
            Some(Action::PageUp) => s.saturating_sub(page),
            Some(Action::HalfPageUp) => s.saturating_sub(page / 2),
            Some(Action::Top) => 0,
            Some(Action::Bottom) => last,
            _ => s,
        },
    }
    .min(last);
    Vec::new()
}
