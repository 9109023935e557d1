#![allow(clippy::unwrap_used)]

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::axes::{YAxis, fit, fit_middle};
use super::bars::{draw_bargauge, draw_stacked, stacked_max};
use super::heatmap::ramp_slot;
use super::line::{data_step_ms, value_at, value_within};
use super::series_color;
use crate::dashboard::{NamedSeries, Reduce, Unit};
use crate::model::Point;

fn s(name: &str, color: usize, vals: &[f64]) -> NamedSeries {
    NamedSeries {
        name: name.into(),
        color,
        points: vals
            .iter()
            .enumerate()
            .map(|(i, v)| Point {
                t_ms: i as i64 * 1000,
                v: *v,
            })
            .collect(),
    }
}

fn count(b: &Buffer, color: usize) -> usize {
    b.content()
        .iter()
        .filter(|c| c.fg == series_color(color) && c.symbol() != " ")
        .count()
}

#[test]
fn values_at_a_time_and_gaps() {
    let a = s("a", 0, &[1.0, 2.0, 3.0]);
    assert_eq!(value_at(&a.points, 1_500_000_000), Some(2.0));
    assert_eq!(value_at(&a.points, -1), None);
    assert_eq!(data_step_ms(std::slice::from_ref(&a)), 1000);
    // Ten seconds after the last point is a gap, not the last value held.
    assert_eq!(value_within(&a.points, 12_000_000_000, 1000), None);
    assert_eq!(value_within(&a.points, 2_500_000_000, 1000), Some(3.0));
}

#[test]
fn stacked_bars_are_proportional() {
    // Two series: 3 + 1 at every step: a quarter of each column is the second colour.
    let series = [s("big", 0, &[3.0; 4]), s("small", 1, &[1.0; 4])];
    assert_eq!(stacked_max(&series), 4.0);
    let plot = Rect::new(0, 0, 4, 8);
    let mut b = Buffer::empty(plot);
    let y = YAxis {
        lo: 0.0,
        hi: 4.0,
        ticks: Vec::new(),
    };
    draw_stacked(&mut b, plot, &series, &y, 0, 4_000_000_000);
    assert_eq!(count(&b, 0), 4 * 6);
    assert_eq!(count(&b, 1), 4 * 2);
    // The small series sits on top of the big one.
    assert_eq!(b[(0, 0)].fg, series_color(1));
    assert_eq!(b[(0, 7)].fg, series_color(0));
}

#[test]
fn bar_gauge_scales_to_the_largest_value() {
    let series = [s("slow", 2, &[100.0]), s("fast", 3, &[25.0])];
    let area = Rect::new(0, 0, 30, 2);
    let mut b = Buffer::empty(area);
    draw_bargauge(&mut b, area, &series, Reduce::Last, &Unit::Ms, None);
    let full = (0..30).filter(|x| b[(*x, 0)].symbol() == "█").count();
    let quarter = (0..30).filter(|x| b[(*x, 1)].symbol() == "█").count();
    assert!(
        full >= 4 * quarter - 1 && full <= 4 * quarter + 4,
        "{full} vs {quarter}"
    );
    let row0: String = (0..30).map(|x| b[(x, 0)].symbol().to_string()).collect();
    assert!(
        row0.starts_with("slow") && row0.ends_with("100 ms"),
        "{row0}"
    );
}

#[test]
fn heat_ramp_and_fit() {
    assert_eq!(ramp_slot(0.0, 10.0), 0);
    assert_eq!(ramp_slot(10.0, 10.0), 4);
    assert_eq!(ramp_slot(5.0, 0.0), 0);
    assert_eq!(fit("abcdef", 4), "abc…");
    assert_eq!(fit("abc", 4), "abc");
    assert_eq!(fit_middle("fetch_commit_diff p95", 11), "fetch…f p95");
}

#[test]
fn y_labels_never_repeat_and_always_increase() {
    // whole counts with a maximum of 2 used to read 2, 2, 1, 1, 0 from the top
    let labels = |hi: f64, unit: &Unit, decimals: Option<u8>| -> Vec<String> {
        YAxis::new(0.0, hi, 10, unit, decimals)
            .ticks
            .into_iter()
            .map(|(_, l)| l)
            .collect()
    };
    assert_eq!(labels(2.0, &Unit::Count, None), ["0", "1", "2"]);
    assert_eq!(labels(2.0, &Unit::None, Some(0)), ["0", "1", "2"]);
    assert_eq!(labels(3.0, &Unit::Count, None), ["0", "1", "2", "3"]);
    for unit in [
        Unit::Count,
        Unit::None,
        Unit::Short,
        Unit::Ms,
        Unit::S,
        Unit::Bytes,
        Unit::Percent,
        Unit::PercentUnit,
    ] {
        for decimals in [None, Some(0), Some(1)] {
            for hi in [
                0.004, 0.02, 0.3, 1.0, 2.0, 3.0, 7.0, 12.0, 999.0, 1500.0, 1e6,
            ] {
                let y = YAxis::new(0.0, hi, 12, &unit, decimals);
                let l: Vec<&str> = y.ticks.iter().map(|(_, l)| l.as_str()).collect();
                assert!(
                    l.windows(2).all(|w| w[0] != w[1]),
                    "{unit:?} {decimals:?} up to {hi}: {l:?}"
                );
                assert!(
                    y.ticks.windows(2).all(|w| w[0].0 < w[1].0),
                    "{unit:?} {decimals:?} up to {hi}: {l:?}"
                );
                assert!(y.hi >= hi, "{unit:?} {decimals:?}: axis to {} < {hi}", y.hi);
            }
        }
    }
    // whole counts read as increasing numbers
    let l = labels(7.0, &Unit::Count, None);
    let n: Vec<i64> = l.iter().map(|s| s.parse().unwrap()).collect();
    assert!(n.windows(2).all(|w| w[0] < w[1]), "{n:?}");
}
