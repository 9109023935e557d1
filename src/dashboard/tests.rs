use std::collections::BTreeMap;

use chrono::FixedOffset;

use super::*;
use crate::model::{Labels, MetricResult, Point, Sample, Series};

const S: i64 = 1_000_000_000;
const H: i64 = 3600 * S;

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn overview_parses_and_covers_the_issue_panels() {
    let d = overview().unwrap();
    assert_eq!(d.title, "VulnSentinel overview");
    let titles: Vec<&str> = d.panels.iter().map(|p| p.title.as_str()).collect();
    for want in [
        "Errors",
        "API 5xx",
        "Runs started",
        "Runs failed",
        "Failure %",
        "Tokens",
        "Agent cost",
        "Error lines by module",
        "Agent runs by type",
        "API latency p95",
        "Tool-call duration p50 / p95",
    ] {
        assert!(titles.contains(&want), "missing {want}: {titles:?}");
    }
    // Every expression is valid LogQL once variables are substituted.
    let vars = resolve_vars(&d.variables, &[]).unwrap();
    let t = TimeCtx {
        start_ns: 0,
        end_ns: 6 * H,
        step_ns: 60 * S,
    };
    for p in &d.panels {
        for target in &p.targets {
            let q = interpolate(&target.expr, &vars, &t);
            assert!(!q.contains('$'), "unsubstituted: {q}");
            crate::logql::parse(&q).unwrap_or_else(|e| panic!("{}: {e}: {q}", p.title));
        }
    }
    // Stats use instant queries; the grid fills 24 columns on the first row.
    let stats: Vec<&Panel> = d
        .panels
        .iter()
        .filter(|p| p.kind == PanelKind::Stat)
        .collect();
    assert!(stats.iter().all(|p| p.targets.iter().all(|t| t.instant)));
    assert_eq!(stats.iter().map(|p| p.grid.w).sum::<u16>(), 24);
}

#[test]
fn parse_rejects_bad_panels_and_unknown_keys() {
    let no_target = "title='x'\n[[panel]]\ntitle='p'\nkind='stat'\ngrid={x=0,y=0,w=4,h=4}\n";
    assert!(matches!(
        Dashboard::parse(no_target),
        Err(DashboardError::Panel { .. })
    ));
    let wide = "title='x'\n[[panel]]\ntitle='p'\nkind='stat'\ngrid={x=20,y=0,w=8,h=4}\n[[panel.target]]\nexpr='vector(1)'\n";
    assert!(matches!(
        Dashboard::parse(wide),
        Err(DashboardError::Panel { .. })
    ));
    let typo = "title='x'\ntitel='y'\n";
    assert!(matches!(
        Dashboard::parse(typo),
        Err(DashboardError::Syntax(_))
    ));
    let kind = "title='x'\n[[panel]]\ntitle='p'\nkind='pie'\ngrid={x=0,y=0,w=4,h=4}\n[[panel.target]]\nexpr='vector(1)'\n";
    assert!(matches!(
        Dashboard::parse(kind),
        Err(DashboardError::Syntax(_))
    ));
}

#[test]
fn variables_in_all_three_syntaxes_and_time_globals() {
    let mut vars = BTreeMap::new();
    vars.insert("app".to_string(), "vs".to_string());
    vars.insert("tool".to_string(), "fetch_diff".to_string());
    vars.insert("all".to_string(), "$__all".to_string());
    let t = TimeCtx {
        start_ns: 0,
        end_ns: 6 * H,
        step_ns: 30 * S,
    };
    let q = r#"sum(count_over_time({app="$app", tool="${tool}", x="[[app]]", y=~"$all"} [$__interval])) / $__interval_ms + $__range_s"#;
    assert_eq!(
        interpolate(q, &vars, &t),
        r#"sum(count_over_time({app="vs", tool="fetch_diff", x="vs", y=~".*"} [30s])) / 30000 + 21600"#
    );
    assert_eq!(
        interpolate("[$__range] [$__auto] ${app:regex}", &vars, &t),
        "[6h] [30s] vs"
    );
    // Unknown variables and lone `$`/`[` stay as written.
    assert_eq!(
        interpolate(r#"|~ "a$" [$nope] [5m]"#, &vars, &t),
        r#"|~ "a$" [$nope] [5m]"#
    );
    assert_eq!(format_duration_ms(90_000), "90s");
    assert_eq!(format_duration_ms(250), "250ms");
    assert_eq!(format_duration_ms(2 * 86_400_000), "2d");
}

#[test]
fn overrides_must_name_a_variable() {
    let defs = vec![Variable {
        name: "app".into(),
        default: "vulnsentinel".into(),
        description: String::new(),
    }];
    let o = parse_override("app=other").unwrap();
    assert_eq!(resolve_vars(&defs, &[o]).unwrap()["app"], "other");
    assert_eq!(resolve_vars(&defs, &[]).unwrap()["app"], "vulnsentinel");
    let typo = parse_override("ap=x").unwrap();
    assert!(matches!(
        resolve_vars(&defs, &[typo]),
        Err(DashboardError::UnknownVariable(..))
    ));
    assert!(parse_override("noequals").is_err());
    assert_eq!(parse_override("q=a=b").unwrap().1, "a=b");
}

#[test]
fn step_is_two_points_per_column_rounded_and_bounded() {
    // 6h over 90 columns: 180 points → 120 s raw → 2m.
    assert_eq!(step_for_width(0, 6 * H, 90), 120 * S);
    // 24h over 200 columns → 216 s raw → 5m.
    assert_eq!(step_for_width(0, 24 * H, 200), 300 * S);
    // Tiny ranges never go under a second.
    assert_eq!(step_for_width(0, 10 * S, 200), S);
    // 30 days over a huge width still keeps ≤ 11,000 points.
    let range = 30 * 24 * H;
    let step = step_for_width(0, range, u16::MAX);
    assert!(range / step <= MAX_POINTS, "step {step}");
    // Beyond the list: whole days.
    assert_eq!(nice_step_ns(36 * H), 2 * 24 * H);
}

#[test]
fn numbers_round_sensibly() {
    assert_eq!(format_number(1475.9499999999998), "1475.95");
    assert_eq!(format_number(22925.449999999993), "22925.45");
    assert_eq!(format_number(77.86999999999999), "77.87");
    assert_eq!(format_number(0.009444444444444445), "0.009444");
    assert_eq!(format_number(17.0), "17");
    assert_eq!(format_number(-0.0), "0");
    assert_eq!(format_number(0.5), "0.5");
    assert_eq!(format_number(f64::NAN), "NaN");
    assert_eq!(format_number(f64::INFINITY), "+Inf");
}

#[test]
fn units_format_for_people() {
    assert_eq!(format_unit(1475.9499999999998, &Unit::Ms, None), "1.48 s");
    assert_eq!(format_unit(812.0, &Unit::Ms, None), "812 ms");
    assert_eq!(format_unit(90.0, &Unit::S, None), "1.5 min");
    assert_eq!(format_unit(1536.0, &Unit::Bytes, None), "1.5 KiB");
    assert_eq!(format_unit(12.345, &Unit::Percent, None), "12.3%");
    assert_eq!(format_unit(0.25, &Unit::PercentUnit, None), "25%");
    assert_eq!(format_unit(1_234_567.0, &Unit::Short, None), "1.23 Mil");
    assert_eq!(format_unit(950.0, &Unit::Short, None), "950");
    assert_eq!(format_unit(41.6, &Unit::Count, None), "42");
    assert_eq!(format_unit(0.0444, &Unit::Usd, None), "$0.0444");
    assert_eq!(format_unit(12.5, &Unit::Usd, None), "$12.50");
    assert_eq!(format_unit(2.0, &Unit::None, Some(2)), "2.00");
    assert_eq!(format_unit(3.0, &Unit::parse("req/s"), None), "3 req/s");
    assert_eq!(Unit::parse("percentunit"), Unit::PercentUnit);
}

#[test]
fn y_ticks_are_round_and_cover_the_data() {
    assert_eq!(
        nice_ticks(0.0, 23.0, 5),
        vec![0.0, 5.0, 10.0, 15.0, 20.0, 25.0]
    );
    assert_eq!(nice_ticks(0.1, 0.3, 4), vec![0.1, 0.15, 0.2, 0.25, 0.3]);
    let t = nice_ticks(1475.95, 22925.45, 4);
    assert!(t[0] <= 1475.95 && *t.last().unwrap() >= 22925.45, "{t:?}");
    assert_eq!(t, vec![0.0, 10_000.0, 20_000.0, 30_000.0]);
    // A flat zero series still gets an axis.
    assert_eq!(nice_ticks(0.0, 0.0, 4), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
}

#[test]
fn time_ticks_fall_on_whole_local_times() {
    // 2026-11-25 00:00Z .. 06:00Z, 4 ticks max → every 3h (00:00, 03:00, 06:00).
    let start = 1_795_564_800 * S;
    let utc = FixedOffset::east_opt(0).unwrap();
    let t = time_ticks(start, start + 6 * H, 4, utc);
    let labels: Vec<&str> = t.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(labels, ["11-25", "03:00", "06:00"]);
    // In UTC+05:30 the hour ticks move to local whole hours.
    let ist = FixedOffset::east_opt(5 * 3600 + 1800).unwrap();
    let t = time_ticks(start, start + 2 * H, 3, ist);
    assert_eq!(t[0].1, "06:00");
    assert_eq!(t[0].0, start + 30 * 60 * S);
    // Short spans get seconds.
    let t = time_ticks(start, start + 20 * S, 5, utc);
    assert_eq!(t[1].1, "00:00:05");
}

#[test]
fn legend_stats_reduce_and_names() {
    let pts: Vec<Point> = [3.0, f64::NAN, 1.0, 8.0, 4.0]
        .iter()
        .enumerate()
        .map(|(i, v)| Point {
            t_ms: i as i64 * 1000,
            v: *v,
        })
        .collect();
    let s = legend_stats(&pts).unwrap();
    assert_eq!((s.last, s.min, s.max, s.avg), (4.0, 1.0, 8.0, 4.0));
    assert_eq!(reduce(&pts, Reduce::Sum), Some(16.0));
    assert_eq!(reduce(&pts, Reduce::Count), Some(4.0));
    assert_eq!(reduce(&pts, Reduce::First), Some(3.0));
    assert_eq!(reduce(&[], Reduce::Max), None);
    assert!(legend_stats(&[]).is_none());
    let l = labels(&[("tool", "fetch_diff"), ("module", "agent")]);
    assert_eq!(series_name(&l, Some("{{tool}} p95"), "A"), "fetch_diff p95");
    assert_eq!(
        series_name(&l, None, "A"),
        r#"{module="agent", tool="fetch_diff"}"#
    );
    assert_eq!(series_name(&Labels::new(), None, "A"), "A");
    assert_eq!(
        series_name(&labels(&[("t", "a\x1b[31m")]), Some("{{t}}"), "A"),
        "a^[[31m"
    );
}

#[test]
fn colours_are_stable_and_distinct() {
    let names: Vec<String> = ["event_classifier", "vuln_analyzer", "patch_verifier"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let a = assign_colors(&names, 8);
    let mut sorted = a.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 3, "{a:?}");
    // Order of arrival does not matter.
    let rev: Vec<String> = names.iter().rev().cloned().collect();
    let b = assign_colors(&rev, 8);
    assert_eq!(a, b.into_iter().rev().collect::<Vec<_>>());
    // More series than colours: every slot is used before any repeats.
    let many: Vec<String> = (0..10).map(|i| format!("s{i}")).collect();
    let c = assign_colors(&many, 8);
    for slot in 0..8 {
        assert!(c.contains(&slot), "{c:?}");
    }
}

#[test]
fn grid_layout_fills_the_area_without_overlap() {
    let d = overview().unwrap();
    let grid: Vec<GridPos> = d.panels.iter().map(|p| p.grid).collect();
    let cells = layout_cells(&grid, 80, 23);
    // First stat starts at the corner; the right half starts at column 40.
    assert_eq!(
        cells[0],
        CellRect {
            x: 0,
            y: 0,
            w: 13,
            h: 3
        }
    );
    let runs = d
        .panels
        .iter()
        .position(|p| p.title == "Agent runs by type")
        .unwrap();
    assert_eq!((cells[runs].x, cells[runs].w), (40, 40));
    for (i, a) in cells.iter().enumerate() {
        assert!(a.x + a.w <= 80 && a.y + a.h <= 23);
        for b in &cells[i + 1..] {
            let apart =
                a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
            assert!(apart, "{a:?} overlaps {b:?}");
        }
    }
}

#[test]
fn plan_substitutes_vars_and_steps_by_width() {
    let d = overview().unwrap();
    let grid: Vec<GridPos> = d.panels.iter().map(|p| p.grid).collect();
    let cells = layout_cells(&grid, 200, 49);
    let vars = resolve_vars(&d.variables, &[("app".into(), "other".into())]).unwrap();
    let plan = plan_queries(&d, &vars, 0, 6 * H, &cells);
    let n_targets: usize = d.panels.iter().map(|p| p.targets.len()).sum();
    assert_eq!(plan.len(), n_targets);
    let errs = d
        .panels
        .iter()
        .position(|p| p.title == "Error lines by module")
        .unwrap();
    let q = plan.iter().find(|q| q.panel == errs).unwrap();
    // 100 columns − 10 of frame and axis = 90 → 180 points over 6h → 2m.
    assert_eq!(q.step_ns, 120 * S);
    assert!(
        q.expr.contains(r#"app="other""#) && q.expr.contains("[2m]"),
        "{}",
        q.expr
    );
    let r = q.to_query_range(50);
    assert_eq!((r.step_ms, r.instant, r.limit), (Some(120_000), false, 0));
    let logs = plan.iter().find(|q| q.logs).unwrap();
    assert_eq!(logs.to_query_range(50).limit, 50);
    let stat = plan.iter().find(|q| q.instant).unwrap();
    assert!(stat.expr.contains("[6h]"), "{}", stat.expr);
}

#[test]
fn panel_state_names_and_colours_series() {
    let d = overview().unwrap();
    let bars = d
        .panels
        .iter()
        .find(|p| p.kind == PanelKind::Bargauge)
        .unwrap();
    let v = |tool: &str, v: f64| Sample {
        metric: labels(&[("tool", tool)]),
        point: Point { t_ms: 0, v },
    };
    let results = vec![
        (
            0,
            MetricResult::Vector(vec![v("fetch_diff", 900.0), v("checkout_repo", 1475.9)]),
        ),
        (1, MetricResult::Vector(vec![v("fetch_diff", 300.0)])),
    ];
    let PanelState::Metric(series) = PanelState::from_metric(bars, &results) else {
        panic!("not metric");
    };
    let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["fetch_diff p95", "checkout_repo p95", "fetch_diff p50"]
    );
    assert!(series.iter().all(|s| s.color < 8));
    let m = MetricResult::Matrix(vec![Series {
        metric: Labels::new(),
        points: vec![Point { t_ms: 0, v: 1.0 }],
    }]);
    let PanelState::Metric(s) = PanelState::from_metric(bars, &[(0, m)]) else {
        panic!("not metric");
    };
    assert_eq!(s[0].name, "p95");
}
