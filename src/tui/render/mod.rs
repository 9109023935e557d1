//! `render(frame, &App)`: draws the state, nothing else. Only the visible rows are touched.

mod dashboard;
mod details;
mod editor;
mod help;
pub(crate) mod table;
mod volume;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};

use super::app::{App, Mode, View};
use super::layout::layout;
use super::store::Level;

pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// The colour a level is shown in (colour carries meaning: tests check it).
pub fn level_style(l: Level) -> Style {
    match l {
        Level::Error => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        Level::Warning => Style::new().fg(Color::Yellow),
        Level::Info => Style::new().fg(Color::Green),
        Level::Debug => Style::new().fg(Color::Blue),
        Level::Unknown => Style::new().fg(Color::Gray),
    }
}

pub const SELECTED: Style = Style::new().bg(Color::DarkGray);
pub const ERROR_TEXT: Style = Style::new().fg(Color::Red);
pub const DIM: Style = Style::new().fg(Color::DarkGray);

/// `style` on the selection's background; a foreground that would vanish into it (DIM's
/// DarkGray) is lifted to Gray, so the selected row keeps every text it shows.
pub fn on_selected(style: Style) -> Style {
    let s = style.patch(SELECTED);
    if s.fg == SELECTED.bg {
        s.fg(Color::Gray)
    } else {
        s
    }
}

pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if let View::Dashboard(d) = &app.nav.view {
        dashboard::screen(frame, area, app, d);
        if app.mode == Mode::Help {
            help::help(frame, area, app);
        }
        return;
    }
    let a = layout(area, app);
    title(frame, a.title, app);
    editor::editor(frame, a.editor, app);
    if let Some(r) = a.editor_note {
        editor::note(frame, r, app);
    }
    if let Some(r) = a.volume {
        volume::volume(frame, r, app);
    }
    if let Some(r) = a.sidebar {
        sidebar(frame, r, app);
    }
    match &app.nav.view {
        View::Logs => table::results(frame, a.results, app),
        View::Agent(v) => v.render(frame, a.results),
        View::Agents(v) => v.render(frame, a.results),
        View::Patterns(v) => v.render(frame, a.results),
        View::Fields(v) => v.render(frame, a.results),
        View::Dashboard(_) => {}
        View::Context(v) => v.render(frame, a.results, &app.logs.hidden_fields),
    }
    if let Some(r) = a.details {
        details::details(frame, r, app);
    }
    editor::status(frame, a.status, app);
    if app.mode == Mode::Help {
        help::help(frame, area, app);
    }
}

pub(super) fn title(frame: &mut Frame, r: Rect, app: &App) {
    let style = Style::new().bg(Color::Blue).fg(Color::White);
    let mut spans = vec![
        Span::styled(" vs-logs ", style.add_modifier(Modifier::BOLD)),
        Span::styled(
            format!(" {} ", crate::sanitize::inline(&app.backend_name)),
            style,
        ),
        Span::styled(format!(" ⏱ {} ", app.editor.range.label()), style),
    ];
    if app.follow.is_some() {
        spans.push(Span::styled(" ● FOLLOW ", style.fg(Color::LightGreen)));
    }
    spans.push(Span::styled("  ? help", style));
    frame.render_widget(Paragraph::new(Line::from(spans)).style(style), r);
}

fn sidebar(frame: &mut Frame, r: Rect, app: &App) {
    frame.render_widget(Clear, r);
    let items: Vec<ListItem> = app
        .scenes
        .list
        .iter()
        .map(|s| {
            let mark = if s.params.is_empty() { "" } else { " …" };
            ListItem::new(format!("{}{mark}", crate::sanitize::inline(&s.title)))
        })
        .collect();
    let block = Block::default()
        .borders(Borders::ALL)
        .title(" scenes (enter runs, esc closes) ");
    if items.is_empty() {
        let p = Paragraph::new("no scenes defined")
            .block(block)
            .wrap(Wrap { trim: true });
        frame.render_widget(p, r);
        return;
    }
    let list = List::new(items)
        .block(block)
        .highlight_style(SELECTED.add_modifier(Modifier::BOLD));
    let mut state = ListState::default().with_selected(Some(app.scenes.cursor));
    frame.render_stateful_widget(list, r, &mut state);
}
