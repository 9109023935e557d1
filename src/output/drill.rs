//! `patterns` and `fields` output: a text table for people (template text sanitised: it is
//! log content), or the report as one JSON object.

use std::io::{self, Write};

use super::{OutputFormat, plural, plural_grouped};
use crate::drill::{FieldsReport, PatternsReport};
use crate::sanitize::inline;
use crate::timespec::{TimeStyle, format_time};

const SPARK: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// One character per value, scaled to the largest (a blank for zero).
pub fn sparkline(values: &[u64]) -> String {
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|&v| {
            if v == 0 || max == 0 {
                ' '
            } else {
                let i = ((v as u128 * 7).div_ceil(max as u128)) as usize;
                SPARK[i.min(7)]
            }
        })
        .collect()
}

/// `values` summed into at most `width` equal groups, so a sparkline of any resolution fits
/// its column without dropping the end of the range.
pub fn resample(values: &[u64], width: usize) -> Vec<u64> {
    if width == 0 || values.len() <= width {
        return values.to_vec();
    }
    let mut out = vec![0u64; width];
    for (i, v) in values.iter().enumerate() {
        out[i * width / values.len()] += v;
    }
    out
}

/// A bar `width` cells wide for a share in 0..=1.
pub fn share_bar(share: f64, width: usize) -> String {
    let n = (share.clamp(0.0, 1.0) * width as f64).round() as usize;
    format!("{}{}", "█".repeat(n), "·".repeat(width.saturating_sub(n)))
}

fn json<W: Write, T: serde::Serialize>(mut out: W, v: &T, format: OutputFormat) -> io::Result<()> {
    let text = match format {
        OutputFormat::Json => serde_json::to_string_pretty(v),
        _ => serde_json::to_string(v),
    }
    .map_err(io::Error::other)?;
    writeln!(out, "{text}")
}

fn pct(share: f64) -> String {
    format!("{:5.1}%", share * 100.0)
}

/// `7 patterns over 28 lines`, `1 field over 1 line`: the summary the CLI and the TUI's views
/// show.
pub fn over_lines(n: usize, one: &str, many: &str, lines: u64) -> String {
    let lines = plural_grouped(lines, "line", "lines");
    format!("{} over {lines}", plural(n, one, many))
}

/// Patterns, most frequent first; `*` marks a new one.
pub fn write_patterns<W: Write>(
    mut out: W,
    r: &PatternsReport,
    format: OutputFormat,
    utc: bool,
) -> io::Result<()> {
    if matches!(format, OutputFormat::Json | OutputFormat::Jsonl) {
        return json(out, r, format);
    }
    if format == OutputFormat::Raw {
        for p in &r.patterns {
            writeln!(out, "{}", inline(&p.pattern))?;
        }
        return Ok(());
    }
    writeln!(
        out,
        "  {:>7}  {:>6}  {:<14}  {:<14}  {:<20}  PATTERN",
        "COUNT", "SHARE", "FIRST", "LAST", "VOLUME"
    )?;
    for p in &r.patterns {
        let spark = sparkline(&resample(&p.volume, 20));
        writeln!(
            out,
            "{} {:>7}  {}  {:<14}  {:<14}  {:<20}  {}",
            if p.new { '*' } else { ' ' },
            p.count,
            pct(p.share),
            format_time(p.first_ns, utc, TimeStyle::Day),
            format_time(p.last_ns, utc, TimeStyle::Day),
            spark,
            inline(&p.pattern)
        )?;
    }
    writeln!(
        out,
        "{}, {}{}",
        over_lines(r.patterns.len(), "pattern", "patterns", r.total),
        r.origin.describe(),
        if r.patterns.iter().any(|p| p.new) {
            "; * = new (absent from the previous range of the same length)"
        } else {
            ""
        }
    )
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:.3}")
    }
}

/// Fields with cardinality, top values and share bars, and numeric distributions.
pub fn write_fields<W: Write>(
    mut out: W,
    r: &FieldsReport,
    format: OutputFormat,
) -> io::Result<()> {
    if matches!(format, OutputFormat::Json | OutputFormat::Jsonl) {
        return json(out, r, format);
    }
    if format == OutputFormat::Raw {
        for f in &r.fields {
            writeln!(out, "{}", inline(&f.name))?;
        }
        return Ok(());
    }
    for f in &r.fields {
        writeln!(
            out,
            "{} ({}, {}) cardinality {}, in {} of {}",
            inline(&f.name),
            f.source,
            inline(&f.kind),
            f.cardinality,
            f.present,
            plural_grouped(r.entries, "line", "lines")
        )?;
        if let Some(n) = &f.numeric {
            writeln!(
                out,
                "    min {}  p50 {}  p95 {}  max {}  {}{}",
                num(n.min),
                num(n.p50),
                num(n.p95),
                num(n.max),
                sparkline(&n.histogram),
                if n.sampled { "  (sampled)" } else { "" }
            )?;
        }
        for (v, count, share) in &f.top {
            if *count == 0 {
                writeln!(out, "    {}", inline(v))?;
            } else {
                writeln!(
                    out,
                    "    {} {} {:>6}  {}",
                    share_bar(*share, 20),
                    pct(*share),
                    count,
                    inline(v)
                )?;
            }
        }
    }
    let fields = plural(r.fields.len(), "field", "fields");
    writeln!(out, "{fields}, {}", r.origin.describe())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drill::{FieldRow, Numeric, Origin, PatternRow};

    #[test]
    fn summaries_say_one_pattern_over_one_line() {
        assert_eq!(
            over_lines(1, "pattern", "patterns", 1),
            "1 pattern over 1 line"
        );
        assert_eq!(
            over_lines(7, "field", "fields", 12_345),
            "7 fields over 12,345 lines"
        );
    }

    #[test]
    fn sparkline_scales_to_the_largest_and_blanks_zero() {
        assert_eq!(sparkline(&[0, 1, 4, 8]), " ▂▅█");
        assert_eq!(sparkline(&[]), "");
        assert_eq!(share_bar(0.5, 4), "██··");
        // 40 buckets into 20 cells: pairs summed, the last bucket kept.
        let mut v = vec![0u64; 40];
        v[39] = 3;
        v[0] = 1;
        assert_eq!(resample(&v, 20).len(), 20);
        assert_eq!(resample(&v, 20)[19], 3);
        assert_eq!(resample(&v, 20)[0], 1);
        assert_eq!(resample(&[1, 2], 20), vec![1, 2]);
    }

    fn report() -> PatternsReport {
        PatternsReport {
            query: "{a=\"b\"}".into(),
            start_ns: 0,
            end_ns: 10,
            total: 3,
            origin: Origin::Local {
                lines: 3,
                limited: false,
            },
            patterns: vec![PatternRow {
                pattern: "boom \u{1b}[31m <_>".into(),
                event: None,
                count: 3,
                share: 1.0,
                first_ns: 0,
                last_ns: 9,
                volume: vec![1, 2],
                new: true,
                include: Some("|> \"boom <_>\"".into()),
                exclude: None,
                local_id: Some(0),
            }],
        }
    }

    #[test]
    fn pattern_text_is_sanitised_and_new_is_marked() {
        let mut out = Vec::new();
        write_patterns(&mut out, &report(), OutputFormat::Text, true).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(!s.contains('\u{1b}'), "{s}");
        let row = s.lines().nth(1).unwrap();
        assert!(row.starts_with("*       3  100.0%"), "{row}");
        assert!(
            s.contains("1 pattern over 3 lines, computed locally"),
            "{s}"
        );
    }

    #[test]
    fn patterns_json_is_the_report() {
        let mut out = Vec::new();
        write_patterns(&mut out, &report(), OutputFormat::Json, true).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["patterns"][0]["count"], 3);
        assert_eq!(v["patterns"][0]["new"], true);
        assert_eq!(v["origin"]["kind"], "local");
        assert!(v["patterns"][0].get("exclude").is_none());
    }

    #[test]
    fn fields_show_bars_and_numbers() {
        let r = FieldsReport {
            query: String::new(),
            start_ns: 0,
            end_ns: 1,
            entries: 4,
            origin: Origin::Local {
                lines: 4,
                limited: false,
            },
            fields: vec![FieldRow {
                name: "duration_ms".into(),
                source: "parsed",
                kind: "number".into(),
                cardinality: 2,
                present: 4,
                top: vec![("12".into(), 3, 0.75), ("40".into(), 1, 0.25)],
                numeric: Some(Numeric {
                    min: 12.0,
                    p50: 12.0,
                    p95: 40.0,
                    max: 40.0,
                    histogram: vec![3, 0, 1],
                    sampled: false,
                }),
            }],
        };
        let mut out = Vec::new();
        write_fields(&mut out, &r, OutputFormat::Text).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("duration_ms (parsed, number) cardinality 2, in 4 of 4 lines"));
        assert!(s.contains("min 12  p50 12  p95 40  max 40  █ ▄"), "{s}");
        assert!(s.contains("███████████████·····  75.0%      3  12"), "{s}");
    }
}
