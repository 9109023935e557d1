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

/// Writes the runs table and the per-type totals.
pub fn write_table(out: &mut impl Write, rows: &[RunRow], p: Paint) -> io::Result<()> {
    if rows.is_empty() {
        return writeln!(out, "No agent runs in this range.");
    }
    // Ids and targets are shown whole (up to 32 characters) so they can be copied into
    // `vs-logs replay`.
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
    let head = format!(
        "{} {} {} {} {} {} {} {} {}",
        pad(if p.utc { "START (UTC)" } else { "START" }, 14),
        pad("TYPE", 16),
        pad("ID", id_w),
        pad("TARGET", target_w),
        pad("STATUS", 10),
        rpad("TURNS", 5),
        rpad("TOKENS", 7),
        rpad("COST", 8),
        rpad("DURATION", 9)
    );
    writeln!(out, "{}", p.paint(&head, Hue::Bold))?;
    for r in rows {
        let s = |v: &Option<String>| inline(v.as_deref().unwrap_or("?")).into_owned();
        let cost = match r.cost_usd {
            Some(c) if r.cost_estimated => format!("≈{}", usd(c)),
            Some(c) => usd(c),
            None => "-".into(),
        };
        writeln!(
            out,
            "{} {} {} {} {} {} {} {} {}",
            pad(&short_time(r.start_ns, p.utc), 14),
            pad(&s(&r.agent_type), 16),
            pad(&inline(&r.agent_id), id_w),
            pad(&s(&r.target_id), target_w),
            p.status(r.status) + &" ".repeat(10 - r.status.as_str().len()),
            rpad(&r.turns.to_string(), 5),
            rpad(&thousands(r.input_tokens + r.output_tokens), 7),
            rpad(&cost, 8),
            rpad(&r.duration_ms.map_or("-".into(), millis), 9)
        )?;
    }
    writeln!(out)?;
    let head = format!(
        "{} {} {} {} {} {} {}",
        pad("TYPE", 20),
        rpad("RUNS", 6),
        rpad("FAILED", 6),
        rpad("FAIL%", 6),
        rpad("COST", 10),
        rpad("P50", 9),
        rpad("P95", 9)
    );
    writeln!(out, "{}", p.paint(&head, Hue::Bold))?;
    for t in type_totals(rows) {
        let cost = format!(
            "{}{}",
            if t.cost_estimated { "≈" } else { "" },
            usd(t.cost_usd)
        );
        let failed = rpad(&t.failed.to_string(), 6);
        let failed = if t.failed > 0 {
            p.paint(&failed, Hue::Red)
        } else {
            failed
        };
        writeln!(
            out,
            "{} {} {} {} {} {} {}",
            pad(&inline(&t.agent_type), 20),
            rpad(&t.runs.to_string(), 6),
            failed,
            rpad(&format!("{:.1}%", 100.0 * t.failure_rate), 6),
            rpad(&cost, 10),
            rpad(&t.p50_ms.map_or("-".into(), millis), 9),
            rpad(&t.p95_ms.map_or("-".into(), millis), 9)
        )?;
    }
    Ok(())
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
}
