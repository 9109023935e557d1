//! Metric results: an aligned table for people, Loki's own result shape for tools.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::OutputFormat;
use crate::model::{Labels, MetricResult, Point};
use crate::sanitize::inline;

/// A sample value as Loki prints it (`"3"`, `"0.25"`, `"+Inf"`, `"NaN"`).
pub fn format_value(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        }
    } else {
        format!("{v}")
    }
}

/// Unix seconds as a JSON number: an integer on whole seconds, else a float (Loki's way).
fn seconds(t_ms: i64) -> Value {
    if t_ms % 1000 == 0 {
        json!(t_ms / 1000)
    } else {
        json!(t_ms as f64 / 1000.0)
    }
}

fn point_json(p: &Point) -> Value {
    json!([seconds(p.t_ms), format_value(p.v)])
}

fn metric_json(l: &Labels) -> Value {
    Value::Object(
        l.iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

fn items_json(r: &MetricResult) -> Vec<Value> {
    match r {
        MetricResult::Matrix(series) => series
            .iter()
            .map(|s| {
                json!({"metric": metric_json(&s.metric),
                       "values": s.points.iter().map(point_json).collect::<Vec<_>>()})
            })
            .collect(),
        MetricResult::Vector(samples) => samples
            .iter()
            .map(|s| json!({"metric": metric_json(&s.metric), "value": point_json(&s.point)}))
            .collect(),
        // Loki's scalar timestamp is integer milliseconds, unlike vector/matrix.
        MetricResult::Scalar(p) => vec![json!([p.t_ms, format_value(p.v)])],
    }
}

/// `{"resultType": "matrix"|"vector"|"scalar", "result": …}` exactly as Loki's `data`.
pub fn loki_result_json(r: &MetricResult) -> Value {
    let (kind, result) = match r {
        MetricResult::Matrix(_) => ("matrix", Value::Array(items_json(r))),
        MetricResult::Vector(_) => ("vector", Value::Array(items_json(r))),
        MetricResult::Scalar(_) => ("scalar", items_json(r).pop().unwrap_or(Value::Null)),
    };
    json!({"resultType": kind, "result": result})
}

fn labels_text(l: &Labels) -> String {
    let parts: Vec<String> = l
        .iter()
        .map(|(k, v)| format!("{}=\"{}\"", inline(k), inline(&v.replace('"', "\\\""))))
        .collect();
    format!("{{{}}}", parts.join(", "))
}

fn rows(r: &MetricResult, utc: bool) -> Vec<[String; 3]> {
    let t = |ms: i64| crate::timespec::format_display(ms.saturating_mul(1_000_000), utc);
    match r {
        MetricResult::Matrix(series) => series
            .iter()
            .flat_map(|s| {
                let l = labels_text(&s.metric);
                s.points
                    .iter()
                    .map(move |p| [l.clone(), t(p.t_ms), format_value(p.v)])
            })
            .collect(),
        MetricResult::Vector(samples) => samples
            .iter()
            .map(|s| {
                [
                    labels_text(&s.metric),
                    t(s.point.t_ms),
                    format_value(s.point.v),
                ]
            })
            .collect(),
        MetricResult::Scalar(p) => vec![["scalar".into(), t(p.t_ms), format_value(p.v)]],
    }
}

/// Writes a metric result in any output format.
pub fn write_metric<W: Write>(
    mut out: W,
    r: &MetricResult,
    format: OutputFormat,
    utc: bool,
) -> io::Result<()> {
    match format {
        OutputFormat::Json => {
            serde_json::to_writer(&mut out, &loki_result_json(r))?;
            out.write_all(b"\n")?;
        }
        OutputFormat::Jsonl => {
            for item in items_json(r) {
                serde_json::to_writer(&mut out, &item)?;
                out.write_all(b"\n")?;
            }
        }
        OutputFormat::Raw | OutputFormat::Csv => {
            for [l, t, v] in rows(r, utc) {
                writeln!(out, "{l}\t{t}\t{v}")?;
            }
        }
        OutputFormat::Text => {
            let rows = rows(r, utc);
            let w0 = rows.iter().map(|r| r[0].chars().count()).max().unwrap_or(0);
            let w1 = rows.iter().map(|r| r[1].chars().count()).max().unwrap_or(0);
            let w2 = rows.iter().map(|r| r[2].chars().count()).max().unwrap_or(0);
            for [l, t, v] in &rows {
                let pad0 = " ".repeat(w0 - l.chars().count());
                let pad1 = " ".repeat(w1 - t.chars().count());
                writeln!(out, "{l}{pad0}  {t}{pad1}  {v:>w2$}")?;
            }
        }
    }
    out.flush()
}

/// How the CLI shows one metric result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MetricView {
    pub format: OutputFormat,
    pub utc: bool,
    /// Long form (time, series, value) instead of one column per series.
    pub long: bool,
    /// A chart instead of the table (the caller checks that stdout is a terminal).
    pub chart: bool,
    pub color: bool,
}

/// A metric result the way `view` says: text is the metric table (or the chart), `csv` the
/// same table for spreadsheets, JSON Loki's own shape, `raw` tab-separated rows.
pub fn write_metric_view<W: Write>(out: W, r: &MetricResult, view: MetricView) -> io::Result<()> {
    let opts = super::metric_table::MetricTableOptions {
        pivot: !view.long,
        utc: view.utc,
    };
    match view.format {
        OutputFormat::Text if view.chart => super::chart::write_chart(out, r, view.utc, view.color),
        OutputFormat::Text => super::metric_table::write_metric_table(out, r, opts),
        OutputFormat::Csv => super::metric_table::write_metric_csv(out, r, opts),
        f => write_metric(out, r, f, view.utc),
    }
}
