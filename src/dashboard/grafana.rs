//! Grafana dashboard JSON (an export, a provisioning file, or the API's `{"dashboard": …}`)
//! mapped onto the dashboard model. Only Loki queries can run here: panels of other data
//! sources or of unsupported types are returned as [`Skipped`], with the reason, never dropped.

use std::collections::BTreeMap;

use serde_json::Value;

use super::model::{
    Dashboard, DashboardError, GridPos, Panel, PanelKind, Reduce, Target, Variable,
};
use super::units::Unit;

/// A Grafana panel that is not shown, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub title: String,
    pub reason: String,
}

/// The imported dashboard and the panels left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    pub dashboard: Dashboard,
    pub skipped: Vec<Skipped>,
}

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn kind_of(t: &str) -> Option<PanelKind> {
    Some(match t {
        "timeseries" | "graph" | "trend" => PanelKind::Timeseries,
        "stat" | "singlestat" => PanelKind::Stat,
        "bargauge" | "gauge" | "barchart" => PanelKind::Bargauge,
        "table" | "table-old" => PanelKind::Table,
        "logs" => PanelKind::Logs,
        "histogram" => PanelKind::Histogram,
        "heatmap" | "status-history" | "state-timeline" => PanelKind::Heatmap,
        _ => return None,
    })
}

/// Data source names and variables known to be Loki (from `__inputs` and `templating`).
fn loki_names(root: &Value) -> (Vec<String>, Vec<String>) {
    let mut loki = Vec::new();
    let mut other = Vec::new();
    let mut add = |name: &str, plugin: &str| {
        let list = if plugin == "loki" {
            &mut loki
        } else {
            &mut other
        };
        list.push(name.to_string());
        list.push(format!("${name}"));
        list.push(format!("${{{name}}}"));
    };
    for i in root
        .get("__inputs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let (Some(n), Some(p)) = (s(i, "name"), s(i, "pluginId")) {
            add(n, p);
        }
    }
    for v in templating(root) {
        if s(v, "type") == Some("datasource")
            && let (Some(n), Some(q)) = (s(v, "name"), s(v, "query"))
        {
            add(n, q);
        }
    }
    (loki, other)
}

fn templating(root: &Value) -> impl Iterator<Item = &Value> {
    root.get("templating")
        .and_then(|t| t.get("list"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// `Ok(())` when a datasource reference is (or may be) Loki; else the reason to skip.
fn check_ds(ds: Option<&Value>, names: &(Vec<String>, Vec<String>)) -> Result<(), String> {
    let (loki, other) = names;
    match ds {
        // No datasource: Grafana's default, which the VulnSentinel setup makes Loki.
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(n)) => {
            if loki.contains(n) || n.to_ascii_lowercase().contains("loki") || n == "-- Mixed --" {
                Ok(())
            } else if other.contains(n) || !n.starts_with('$') {
                Err(format!("data source {n:?} is not Loki"))
            } else {
                Ok(())
            }
        }
        Some(obj) => match s(obj, "type") {
            Some("loki") | Some("datasource") | None => {
                let uid = s(obj, "uid").unwrap_or("");
                if other.iter().any(|o| o == uid) {
                    Err(format!("data source {uid:?} is not Loki"))
                } else {
                    Ok(())
                }
            }
            Some(t) if t.contains("mixed") => Ok(()),
            Some(t) => Err(format!("data source type {t:?} is not Loki")),
        },
    }
}

fn variable(v: &Value) -> Option<Variable> {
    let ty = s(v, "type").unwrap_or("custom");
    if matches!(ty, "datasource" | "adhoc") {
        return None;
    }
    let name = s(v, "name")?.to_string();
    let current = v.get("current").and_then(|c| c.get("value"));
    let default = match current {
        Some(Value::String(x)) => x.clone(),
        Some(Value::Array(xs)) => {
            let vals: Vec<&str> = xs.iter().filter_map(Value::as_str).collect();
            if vals.contains(&"$__all") {
                s(v, "allValue").unwrap_or("$__all").to_string()
            } else {
                vals.join("|")
            }
        }
        _ => match ty {
            "custom" => s(v, "query")
                .and_then(|q| q.split(',').next())
                .unwrap_or("")
                .trim()
                .to_string(),
            _ => s(v, "query").unwrap_or("").to_string(),
        },
    };
    let description = s(v, "description")
        .or(s(v, "label"))
        .unwrap_or("")
        .to_string();
    Some(Variable {
        name,
        default,
        description,
    })
}

fn grid_of(p: &Value, fallback: &mut (u16, u16)) -> GridPos {
    let n = |g: &Value, k: &str| g.get(k).and_then(Value::as_u64).map(|x| x.min(1000) as u16);
    if let Some(g) = p.get("gridPos") {
        let x = n(g, "x").unwrap_or(0).min(23);
        let w = n(g, "w").unwrap_or(12).clamp(1, 24 - x);
        return GridPos {
            x,
            y: n(g, "y").unwrap_or(0),
            w,
            h: n(g, "h").unwrap_or(8).max(1),
        };
    }
    // Pre-5.0 rows: `span` on a 12-column row, laid out left to right.
    let w = (n(p, "span").unwrap_or(12) * 2).clamp(1, 24);
    let (x, y) = *fallback;
    let (x, y) = if x + w > 24 { (0, y + 8) } else { (x, y) };
    *fallback = (x + w, y);
    GridPos { x, y, w, h: 8 }
}

fn panel(
    p: &Value,
    names: &(Vec<String>, Vec<String>),
    pos: &mut (u16, u16),
) -> Result<Panel, Skipped> {
    let title = s(p, "title").unwrap_or("(untitled)").to_string();
    let skip = |reason: String| Skipped {
        title: title.clone(),
        reason,
    };
    let ty = s(p, "type").unwrap_or("");
    let kind = kind_of(ty).ok_or_else(|| skip(format!("panel type {ty:?} is not supported")))?;
    check_ds(p.get("datasource"), names).map_err(skip)?;
    let mut targets = Vec::new();
    let mut why = Vec::new();
    for t in p
        .get("targets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let ref_id = s(t, "refId").unwrap_or("").to_string();
        if t.get("hide").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        if let Err(e) = check_ds(t.get("datasource"), names) {
            why.push(format!("query {ref_id}: {e}"));
            continue;
        }
        let Some(expr) = s(t, "expr").filter(|e| !e.trim().is_empty()) else {
            why.push(format!("query {ref_id}: no LogQL expr"));
            continue;
        };
        targets.push(Target {
            expr: expr.to_string(),
            legend: s(t, "legendFormat").map(str::to_string),
            ref_id,
            instant: s(t, "queryType") == Some("instant")
                || t.get("instant").and_then(Value::as_bool) == Some(true),
        });
    }
    if targets.is_empty() {
        let reason = if why.is_empty() {
            "no queries".to_string()
        } else {
            why.join("; ")
        };
        return Err(skip(reason));
    }
    let defaults = p.get("fieldConfig").and_then(|f| f.get("defaults"));
    let unit = defaults
        .and_then(|d| s(d, "unit"))
        .or_else(|| {
            p.get("yaxes")
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(|y| s(y, "format"))
        })
        .or(s(p, "format"))
        .map(Unit::parse)
        .unwrap_or_default();
    let decimals = defaults
        .and_then(|d| d.get("decimals"))
        .and_then(Value::as_u64)
        .map(|d| d.min(10) as u8);
    let reduce = p
        .get("options")
        .and_then(|o| o.get("reduceOptions"))
        .and_then(|r| r.get("calcs"))
        .and_then(Value::as_array)
        .and_then(|c| c.first())
        .and_then(Value::as_str)
        .and_then(Reduce::parse);
    let custom = defaults.and_then(|d| d.get("custom"));
    let stacked = custom
        .and_then(|c| c.get("stacking"))
        .and_then(|st| s(st, "mode"))
        .is_some_and(|m| m != "none")
        || p.get("stack").and_then(Value::as_bool) == Some(true)
        || custom.and_then(|c| s(c, "drawStyle")) == Some("bars");
    Ok(Panel {
        title,
        kind,
        targets,
        unit,
        decimals,
        grid: grid_of(p, pos),
        reduce,
        stacked,
    })
}

/// Flattens rows: a collapsed row holds its panels inside it; an expanded row's panels follow
/// it at the top level. Old (pre-5.0) dashboards keep panels under `rows[]`.
fn all_panels(root: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    for p in root
        .get("panels")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if s(p, "type") == Some("row") {
            out.extend(
                p.get("panels")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            );
        } else {
            out.push(p);
        }
    }
    for r in root
        .get("rows")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.extend(
            r.get("panels")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        );
    }
    out
}

/// Imports a Grafana dashboard JSON model.
pub fn import_grafana(json: &str) -> Result<Import, DashboardError> {
    let v: Value = serde_json::from_str(json).map_err(|e| DashboardError::Syntax(e.to_string()))?;
    let root = match v.get("dashboard") {
        Some(d) if d.is_object() => d,
        _ => &v,
    };
    if !root.is_object() || (root.get("panels").is_none() && root.get("rows").is_none()) {
        return Err(DashboardError::Syntax(
            "not a Grafana dashboard (no \"panels\")".into(),
        ));
    }
    let names = loki_names(root);
    let mut pos = (0, 0);
    let mut panels = Vec::new();
    let mut skipped = Vec::new();
    for p in all_panels(root) {
        match panel(p, &names, &mut pos) {
            Ok(p) => panels.push(p),
            Err(s) => skipped.push(s),
        }
    }
    let since = root
        .get("time")
        .and_then(|t| s(t, "from"))
        .and_then(|f| f.strip_prefix("now-"))
        .map(|d| d.split('/').next().unwrap_or(d).to_string())
        .unwrap_or_else(|| "6h".into());
    let mut seen = BTreeMap::new();
    let variables = templating(root)
        .filter_map(variable)
        .filter(|v| seen.insert(v.name.clone(), ()).is_none())
        .collect();
    Ok(Import {
        dashboard: Dashboard {
            title: s(root, "title").unwrap_or("Grafana dashboard").to_string(),
            since,
            variables,
            panels,
        },
        skipped,
    })
}
