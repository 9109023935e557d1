//! State-machine tests of `update`: no terminal, no I/O.

use crossterm::event::KeyCode;

use super::super::app::{Mode, RangeSpec, Running, View};
use super::super::msg::{Command, Msg, PageKind};
use super::super::testkit::{NOW, app, code, ctrl, entry, finished, key, lines, load};
use super::*;
use crate::model::Direction;
use crate::tail::TailEvent;

mod agent;
mod context;
mod editor;
mod follow;
mod logs;
mod query;
mod status;
mod volume;

const S: i64 = 1_000_000_000;
const Q: &str = r#"{app="vulnsentinel"} | json"#;

fn run_cmd(cmds: &[Command]) -> Option<(u64, PageKind, crate::model::QueryRange, usize)> {
    cmds.iter().find_map(|c| match c {
        Command::RunQuery {
            generation,
            page,
            req,
            boundary,
        } => Some((*generation, *page, req.clone(), boundary.len())),
        _ => None,
    })
}

fn selected_line(a: &App) -> String {
    a.logs.selected_row().unwrap().line().to_string()
}
