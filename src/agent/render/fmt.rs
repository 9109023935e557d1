//! Small text helpers shared by the renderings: numbers, durations, times, money, colour,
//! truncation and wrapping (by characters, so CJK text and multi-byte UTF-8 never split).

use crate::agent::model::{Cost, RunStatus};

pub use crate::output::thousands;

/// A duration for people: `18 ms`, `1.84 s`, `2m 03s`.
pub fn millis(ms: f64) -> String {
    if ms < 1000.0 {
        format!("{} ms", ms.round() as i64)
    } else if ms < 60_000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else {
        let s = (ms / 1000.0).round() as i64;
        format!("{}m {:02}s", s / 60, s % 60)
    }
}

/// Offset from the run's start: `+1.853s`.
pub fn offset(ns: i64, start_ns: i64) -> String {
    let d = (ns - start_ns) as f64 / 1e9;
    if d.abs() < 1000.0 {
        format!("{d:+.3}s")
    } else {
        format!("{:+.0}m", d / 60.0)
    }
}

/// A timestamp with milliseconds, local like the rest of the CLI's text output
/// (`2026-11-25 06:18:00.123`), or UTC with `--utc` (`2026-11-25 05:18:00.123Z`).
pub fn time(ns: i64, utc: bool) -> String {
    crate::timespec::format_display(ns, utc)
}

/// The same time without year and milliseconds, for tables: `11-25 06:18:00`.
pub fn short_time(ns: i64, utc: bool) -> String {
    crate::timespec::format_time(ns, utc, crate::timespec::TimeStyle::Day)
}

/// `$0.0012`; small amounts keep four decimals.
pub fn usd(v: f64) -> String {
    if v.abs() < 1.0 {
        format!("${v:.4}")
    } else {
        format!("${v:.2}")
    }
}

/// A cost, `≈` marking an estimate; `-` when unknown.
pub fn cost(c: Option<&Cost>) -> String {
    match c {
        Some(c) if c.estimated => format!("≈{}", usd(c.usd)),
        Some(c) => usd(c.usd),
        None => "-".into(),
    }
}

/// At most `max` characters, with `…` when cut.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Left-aligned in `width` characters (clipped when longer).
pub fn pad(s: &str, width: usize) -> String {
    let c = clip(s, width);
    let n = c.chars().count();
    format!("{c}{}", " ".repeat(width.saturating_sub(n)))
}

/// Right-aligned in `width` characters.
pub fn rpad(s: &str, width: usize) -> String {
    let c = clip(s, width);
    let n = c.chars().count();
    format!("{}{c}", " ".repeat(width.saturating_sub(n)))
}

/// Splits text into lines of at most `width` characters, breaking at spaces when possible and
/// keeping the text's own line breaks.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut len = 0;
        for word in para.split(' ') {
            let wlen = word.chars().count();
            if len > 0 && len + 1 + wlen > width {
                out.push(std::mem::take(&mut line));
                len = 0;
            }
            if len > 0 {
                line.push(' ');
                len += 1;
            }
            // A word longer than the line is cut hard.
            for c in word.chars() {
                if len == width {
                    out.push(std::mem::take(&mut line));
                    len = 0;
                }
                line.push(c);
                len += 1;
            }
        }
        out.push(line);
    }
    out
}

/// Cuts text into lines of exactly `width` characters (the last shorter).
pub fn wrap_hard(text: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(width.max(1))
        .map(|c| c.iter().collect())
        .collect()
}

/// Wraps compact JSON at value boundaries: lines break after a `,` or an opening bracket
/// outside strings, so a key or a number is never split (`"confid` / `ence":0.92`). A single
/// value longer than the line is wrapped at its spaces, and cut hard only without any.
pub fn wrap_json(text: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    // atoms end after a `,`, `{` or `[` that is not inside a string
    let mut atoms: Vec<String> = Vec::new();
    let mut cur = String::new();
    let (mut in_str, mut esc) = (false, false);
    for c in text.chars() {
        cur.push(c);
        if in_str {
            match (esc, c) {
                (true, _) => esc = false,
                (false, '\\') => esc = true,
                (false, '"') => in_str = false,
                _ => {}
            }
        } else if c == '"' {
            in_str = true;
        } else if matches!(c, ',' | '{' | '[') {
            atoms.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        atoms.push(cur);
    }
    let mut out = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for atom in atoms {
        let n = atom.chars().count();
        if len > 0 && len + n > width {
            out.push(std::mem::take(&mut line));
            len = 0;
        }
        if n > width {
            let mut parts = wrap(&atom, width);
            if let Some(last) = parts.pop() {
                out.extend(parts);
                len = last.chars().count();
                line = last;
            }
            continue;
        }
        line.push_str(&atom);
        len += n;
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

/// How text output looks: ANSI colours (or nothing when the output is not a terminal), and
/// times in local time or UTC (`--utc`).
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    pub on: bool,
    pub utc: bool,
}

/// The colours the renderings use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hue {
    Bold,
    Dim,
    Red,
    BoldRed,
    Green,
    Yellow,
    Cyan,
    Magenta,
    Blue,
}

impl Paint {
    /// A timestamp as the CLI shows it (see `time`).
    pub fn time(&self, ns: i64) -> String {
        time(ns, self.utc)
    }

    pub fn paint(&self, s: &str, hue: Hue) -> String {
        if !self.on {
            return s.to_string();
        }
        let code = match hue {
            Hue::Bold => "1",
            Hue::Dim => "2",
            Hue::Red => "31",
            Hue::BoldRed => "1;31",
            Hue::Green => "32",
            Hue::Yellow => "33",
            Hue::Cyan => "36",
            Hue::Magenta => "35",
            Hue::Blue => "34",
        };
        format!("\x1b[{code}m{s}\x1b[0m")
    }

    pub fn status(&self, s: RunStatus) -> String {
        let hue = match s {
            RunStatus::Done => Hue::Green,
            RunStatus::Failed => Hue::BoldRed,
            RunStatus::Running => Hue::Cyan,
            RunStatus::Incomplete => Hue::Yellow,
        };
        self.paint(s.as_str(), hue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_durations() {
        assert_eq!(thousands(3200), "3,200");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(12), "12");
        assert_eq!(millis(556.0), "556 ms");
        assert_eq!(millis(1840.4), "1.84 s");
        assert_eq!(millis(123_000.0), "2m 03s");
        assert_eq!(usd(0.0012), "$0.0012");
        assert_eq!(usd(12.345), "$12.35");
    }

    #[test]
    fn wrap_and_clip_count_characters() {
        assert_eq!(wrap("aaa bbb ccc", 8), ["aaa bbb", "ccc"]);
        assert_eq!(wrap("漏洞漏洞漏洞漏洞漏洞", 8).len(), 2);
        assert_eq!(clip("漏洞修复", 3), "漏洞…");
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(rpad("ab", 4), "  ab");
        assert_eq!(wrap_hard("abcdefg", 3), ["abc", "def", "g"]);
    }

    #[test]
    fn json_args_wrap_at_value_boundaries_not_mid_token() {
        let args = r#"args {"target_id":"evt-789","label":"security_fix","confidence":0.92}"#;
        let lines = wrap_json(args, 58);
        assert_eq!(lines.concat(), args);
        assert!(lines.len() > 1, "{lines:?}");
        for l in &lines[..lines.len() - 1] {
            assert!(l.ends_with(',') || l.ends_with('{'), "{lines:?}");
        }
        assert!(lines.iter().any(|l| l.contains(r#""confidence":0.92}"#)));
        // a comma or bracket inside a string is not a boundary
        let s = r#"{"q":"a,b{c","r":1}"#;
        assert_eq!(wrap_json(s, 13), [r#"{"q":"a,b{c","#, r#""r":1}"#]);
        // one value longer than the line wraps at its spaces
        let long = format!(r#"{{"msg":"{}"}}"#, "word ".repeat(10).trim_end());
        assert!(wrap_json(&long, 20).iter().all(|l| l.chars().count() <= 20));
    }

    #[test]
    fn paint_off_is_plain() {
        assert_eq!(
            Paint {
                on: false,
                utc: false
            }
            .paint("x", Hue::Red),
            "x"
        );
        assert_eq!(
            Paint {
                on: true,
                utc: false
            }
            .paint("x", Hue::Red),
            "\x1b[31mx\x1b[0m"
        );
    }

    #[test]
    fn times_are_local_unless_utc() {
        use chrono::TimeZone;
        // 2026-11-25T05:18:00.123Z
        let ns = 1_795_583_880_123_000_000;
        assert_eq!(time(ns, true), "2026-11-25 05:18:00.123Z");
        let local = chrono::Local.timestamp_nanos(ns);
        assert_eq!(
            time(ns, false),
            local.format("%Y-%m-%d %H:%M:%S%.3f").to_string()
        );
        assert_eq!(short_time(ns, true), "11-25 05:18:00");
        assert_eq!(
            short_time(ns, false),
            local.format("%m-%d %H:%M:%S").to_string()
        );
    }
}
