//! The styles that carry meaning in the agent views (tests check them): errors red and bold,
//! statuses by colour, the selection reversed.

use ratatui::style::{Color, Modifier, Style};

use crate::agent::model::RunStatus;

pub fn error() -> Style {
    Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
}

pub fn warning() -> Style {
    Style::default().fg(Color::Yellow)
}

pub fn title() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

pub fn dim() -> Style {
    Style::default().fg(Color::DarkGray)
}

pub fn selected() -> Style {
    Style::default().add_modifier(Modifier::REVERSED)
}

pub fn llm() -> Style {
    Style::default().fg(Color::Magenta)
}

pub fn tool() -> Style {
    Style::default().fg(Color::Green)
}

pub fn role(role: &str) -> Style {
    match role {
        "assistant" => Style::default().fg(Color::Cyan),
        _ => Style::default().fg(Color::Blue),
    }
}

pub fn status(s: RunStatus) -> Style {
    match s {
        RunStatus::Done => Style::default().fg(Color::Green),
        RunStatus::Failed => error(),
        RunStatus::Running => Style::default().fg(Color::Cyan),
        RunStatus::Incomplete => warning(),
    }
}
