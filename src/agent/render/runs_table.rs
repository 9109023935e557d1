//! `vs-logs agents`: the runs of a range as a table, and totals per agent type — the seed's
//! `agent_runs` table rebuilt from Loki alone.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::fmt::{Hue, Paint, millis, pad, rpad, short_time, thousands, usd};
use crate::agent::model::{AgentRun, RunStatus};
use crate::sanitize::inline;

/// One row of the runs table (also the `-o json` shape).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunRow {
    pub start_ns: i64,
    pub agent_type: Option<String>,
    pub agent_id: String,
    pub target_id: Option<String>,
    pub status: RunStatus,
    pub turns: u64,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cost_usd: Option<f64>,
    pub cost_estimated: bool,
    /// Start to end, when both are known.
    pub duration_ms: Option<f64>,
    pub tool_errors: u64,
    pub errors: usize,
}

impl RunRow {
    pub fn of(run: &AgentRun) -> Self {
        let h = &run.header;
        let t = &run.totals;
        Self {
            start_ns: h.start_ns.unwrap_or(h.first_ns),
            agent_type: h.agent_type.clone(),
            agent_id: h.agent_id.clone(),
            target_id: h.target_id.clone(),
            status: h.status,
            turns: t.turns,
            input_tokens: t.input_tokens,
            output_tokens: t.output_tokens,
            cost_usd: t.cost.as_ref().map(|c| c.usd),
            cost_estimated: t.cost.as_ref().is_some_and(|c| c.estimated),
            duration_ms: (h.started && h.end_ns.is_some()).then_some(t.wall_ms),
            tool_errors: t.tool_errors,
            errors: run.errors.len(),
        }
    }
}

/// Totals of one agent type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeTotals {
    pub agent_type: String,
    pub runs: usize,
    pub failed: usize,
    pub failure_rate: f64,
    pub cost_usd: f64,
    /// Some of the cost is estimated.
    pub cost_estimated: bool,
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len()) - 1).copied()
}

pub fn type_totals(rows: &[RunRow]) -> Vec<TypeTotals> {
    let mut by: BTreeMap<String, Vec<&RunRow>> = BTreeMap::new();
    for r in rows {
        let t = r.agent_type.clone().unwrap_or_else(|| "?".into());
        by.entry(t).or_default().push(r);
    }
    by.into_iter()
        .map(|(agent_type, rs)| {
            let failed = rs.iter().filter(|r| r.status == RunStatus::Failed).count();
            let mut durations: Vec<f64> = rs.iter().filter_map(|r| r.duration_ms).collect();
            durations.sort_by(f64::total_cmp);
            TypeTotals {
                runs: rs.len(),
                failed,
                failure_rate: failed as f64 / rs.len() as f64,
                cost_usd: rs.iter().filter_map(|r| r.cost_usd).sum(),
                cost_estimated: rs.iter().any(|r| r.cost_estimated),
                p50_ms: percentile(&durations, 0.50),
                p95_ms: percentile(&durations, 0.95),
                agent_type,
            }
        })
        .collect()
}

/// How a column aligns its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A column of a table: its title and width, shared by the CLI and the TUI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub title: &'static str,
    pub width: usize,
    pub align: Align,
}

impl Column {
    const fn new(title: &'static str, width: usize, align: Align) -> Self {
        Self {
            title,
            width,
            align,
        }
    }

    /// `s` fitted to the column: padded, or clipped with `…`.
    pub fn fit(&self, s: &str) -> String {
        match self.align {
            Align::Left => pad(s, self.width),
            Align::Right => rpad(s, self.width),
        }
    }
}

/// What a cell means beyond its text, for a front end to colour it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    /// A run's status.
    Status(RunStatus),
    /// A count of failed runs above zero.
    Failed,
}

/// A table's text, computed once for the CLI and the TUI: each cell is already sanitised and
/// fitted to its column; front ends join cells with one space and only choose colours.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<(String, Tone)>>,
}

impl Table {
    fn new(columns: Vec<Column>, cells: Vec<Vec<(String, Tone)>>) -> Self {
        let rows = cells
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .zip(&columns)
                    .map(|((text, tone), c)| (c.fit(&text), tone))
                    .collect()
            })
            .collect();
        Self { columns, rows }
    }

    /// The title line.
    pub fn header(&self) -> String {
        let titles: Vec<String> = self.columns.iter().map(|c| c.fit(c.title)).collect();
        titles.join(" ")
    }
}

/// Splits a fitted cell into its padding and its text, so a colour can cover the text only.
pub fn split_padding(cell: &str) -> (&str, &str, &str) {
    let text = cell.trim_matches(' ');
    let left = cell.len() - cell.trim_start_matches(' ').len();
    (&cell[..left], text, &cell[left + text.len()..])
}

/// The runs table. Ids and targets are shown whole (up to 32 characters) so they can be
/// copied into `vs-logs replay`. Start times are local unless `utc`.
pub fn runs_table(rows: &[RunRow], utc: bool) -> Table {
    use Align::{Left, Right};
    let width_of = |f: &dyn Fn(&RunRow) -> usize, min: usize| {
        rows.iter().map(f).max().unwrap_or(0).clamp(min, 32)
    };
    let id_w = width_of(&|r| inline(&r.agent_id).chars().count(), 2);
    let target_w = width_of(
        &|r| {
            r.target_id
                .as_deref()
                .map_or(1, |t| inline(t).chars().count())
        },
        6,
    );
    let columns = vec![
        Column::new(if utc { "START (UTC)" } else { "START" }, 14, Left),
        Column::new("TYPE", 16, Left),
        Column::new("ID", id_w, Left),
        Column::new("TARGET", target_w, Left),
        Column::new("STATUS", 10, Left),
        Column::new("TURNS", 5, Right),
        Column::new("TOKENS", 7, Right),
        Column::new("COST", 8, Right),
        Column::new("DURATION", 9, Right),
    ];
    let cells = rows
        .iter()
        .map(|r| {
            let s = |v: &Option<String>| inline(v.as_deref().unwrap_or("?")).into_owned();
            let cost = match r.cost_usd {
                Some(c) if r.cost_estimated => format!("≈{}", usd(c)),
                Some(c) => usd(c),
                None => "-".into(),
            };
            let plain = |t: String| (t, Tone::Plain);
            vec![
                plain(short_time(r.start_ns, utc)),
                plain(s(&r.agent_type)),
                plain(inline(&r.agent_id).into_owned()),
                plain(s(&r.target_id)),
                (r.status.as_str().to_string(), Tone::Status(r.status)),
                plain(r.turns.to_string()),
                plain(thousands(r.input_tokens + r.output_tokens)),
                plain(cost),
                plain(r.duration_ms.map_or("-".into(), millis)),
            ]
        })
        .collect();
    Table::new(columns, cells)
}

/// The per-type totals table.
pub fn totals_table(totals: &[TypeTotals]) -> Table {
    use Align::{Left, Right};
    let columns = vec![
        Column::new("TYPE", 20, Left),
        Column::new("RUNS", 6, Right),
        Column::new("FAILED", 6, Right),
        Column::new("FAIL%", 6, Right),
        Column::new("COST", 10, Right),
        Column::new("P50", 9, Right),
        Column::new("P95", 9, Right),
    ];
    let cells = totals
        .iter()
        .map(|t| {
            let cost = format!(
                "{}{}",
                if t.cost_estimated { "≈" } else { "" },
                usd(t.cost_usd)
            );
            let failed = if t.failed > 0 {
                Tone::Failed
            } else {
                Tone::Plain
            };
            let plain = |t: String| (t, Tone::Plain);
            vec![
                plain(inline(&t.agent_type).into_owned()),
                plain(t.runs.to_string()),
                (t.failed.to_string(), failed),
                plain(format!("{:.1}%", 100.0 * t.failure_rate)),
                plain(cost),
                plain(t.p50_ms.map_or("-".into(), millis)),
                plain(t.p95_ms.map_or("-".into(), millis)),
            ]
        })
        .collect();
    Table::new(columns, cells)
}

fn write_rows(out: &mut impl Write, table: &Table, p: Paint) -> io::Result<()> {
    writeln!(out, "{}", p.paint(&table.header(), Hue::Bold))?;
    for row in &table.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|(cell, tone)| {
                let (left, text, right) = split_padding(cell);
                let text = match tone {
                    Tone::Plain => text.to_string(),
                    Tone::Status(s) => p.status(*s),
                    Tone::Failed => p.paint(text, Hue::Red),
                };
                format!("{left}{text}{right}")
            })
            .collect();
        writeln!(out, "{}", cells.join(" "))?;
    }
    Ok(())
}

/// Writes the runs table and the per-type totals.
pub fn write_table(out: &mut impl Write, rows: &[RunRow], p: Paint) -> io::Result<()> {
    if rows.is_empty() {
        return writeln!(out, "No agent runs in this range.");
    }
    write_rows(out, &runs_table(rows, p.utc), p)?;
    writeln!(out)?;
    write_rows(out, &totals_table(&type_totals(rows)), p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(percentile(&v, 0.5), Some(10.0));
        assert_eq!(percentile(&v, 0.95), Some(19.0));
        assert_eq!(percentile(&[7.0], 0.95), Some(7.0));
        assert_eq!(percentile(&[], 0.5), None);
    }

    #[test]
    fn cells_fit_their_columns_and_keep_colour_off_padding() {
        let row = RunRow {
            start_ns: 1_795_583_880_123_000_000,
            agent_type: Some("event_classifier_with_a_long_name".into()),
            agent_id: "ag-1\x1b[2J".into(),
            target_id: None,
            status: RunStatus::Failed,
            turns: 2,
            input_tokens: 3_000,
            output_tokens: 650,
            cost_usd: Some(0.0054),
            cost_estimated: true,
            duration_ms: None,
            tool_errors: 0,
            errors: 1,
        };
        let t = runs_table(std::slice::from_ref(&row), true);
        assert_eq!(t.columns[0].title, "START (UTC)");
        let cells: Vec<&str> = t.rows[0].iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(cells[0], "11-25 05:18:00");
        assert_eq!(cells[1], "event_classifie…");
        assert!(!cells[2].contains('\x1b'), "{}", cells[2]);
        assert_eq!(cells[3], "?     ");
        assert_eq!(cells[6], "  3,650");
        assert_eq!(cells[7], "≈$0.0054");
        for (row, (cell, _)) in t.columns.iter().zip(&t.rows[0]) {
            assert_eq!(cell.chars().count(), row.width, "{cell:?}");
        }
        assert_eq!(t.rows[0][4].1, Tone::Status(RunStatus::Failed));
        assert_eq!(split_padding("  ab   "), ("  ", "ab", "   "));
        let mut out = Vec::new();
        write_rows(
            &mut out,
            &t,
            Paint {
                on: true,
                utc: true,
            },
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("\x1b[1;31mfailed\x1b[0m     "), "{text:?}");
        let totals = totals_table(&type_totals(&[row]));
        assert_eq!(totals.rows[0][2].1, Tone::Failed);
    }
}
