//! Stream selectors (`{a="b", c=~"x.*"}`) and Loki's `query_range` selection semantics.

use super::{StubEntry, StubLabels, StubStream};

/// One label matcher.
#[derive(Debug, Clone)]
pub struct Matcher {
    pub name: String,
    pub op: Op,
    pub value: String,
    re: Option<regex::Regex>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Eq,
    Ne,
    Re,
    Nre,
}

impl Matcher {
    pub fn matches(&self, labels: &StubLabels) -> bool {
        let v = labels.get(&self.name).map(String::as_str).unwrap_or("");
        match self.op {
            Op::Eq => v == self.value,
            Op::Ne => v != self.value,
            Op::Re => self.re.as_ref().is_some_and(|r| r.is_match(v)),
            Op::Nre => !self.re.as_ref().is_some_and(|r| r.is_match(v)),
        }
    }
    /// Loki refuses selectors whose every matcher also matches an empty value.
    fn empty_compatible(&self) -> bool {
        self.matches(&StubLabels::new())
    }
}

/// Why a query cannot be served by the built-in selector engine.
pub enum SelectError {
    /// Loki's own 400 text.
    Loki(String),
    /// Not a plain selector: needs an evaluator.
    Unsupported,
}

/// Parses a plain stream selector; anything after the `}` is `Unsupported`.
pub fn parse_selector(q: &str) -> Result<Vec<Matcher>, SelectError> {
    let s = q.trim();
    if s.is_empty() {
        return Err(SelectError::Loki(
            "parse error : syntax error: unexpected $end".into(),
        ));
    }
    let Some(rest) = s.strip_prefix('{') else {
        return Err(SelectError::Unsupported);
    };
    let mut chars = rest.char_indices().peekable();
    let mut matchers = Vec::new();
    let bad = || SelectError::Loki(format!("parse error : syntax error in selector {q}"));
    loop {
        while chars
            .peek()
            .is_some_and(|(_, c)| c.is_whitespace() || *c == ',')
        {
            chars.next();
        }
        match chars.peek() {
            Some((i, '}')) => {
                let tail = &rest[i + 1..];
                if !tail.trim().is_empty() {
                    return Err(SelectError::Unsupported);
                }
                break;
            }
            None => return Err(bad()),
            _ => {}
        }
        let mut name = String::new();
        while let Some((_, c)) = chars.peek() {
            if c.is_ascii_alphanumeric() || *c == '_' {
                name.push(*c);
                chars.next();
            } else {
                break;
            }
        }
        while chars.peek().is_some_and(|(_, c)| c.is_whitespace()) {
            chars.next();
        }
        let mut op = String::new();
        while let Some((_, c)) = chars.peek() {
            if matches!(c, '=' | '!' | '~') {
                op.push(*c);
                chars.next();
            } else {
                break;
            }
        }
        let op = match op.as_str() {
            "=" => Op::Eq,
            "!=" => Op::Ne,
            "=~" => Op::Re,
            "!~" => Op::Nre,
            _ => return Err(bad()),
        };
        while chars.peek().is_some_and(|(_, c)| c.is_whitespace()) {
            chars.next();
        }
        let quote = match chars.next() {
            Some((_, c @ ('"' | '`'))) => c,
            _ => return Err(bad()),
        };
        let mut value = String::new();
        loop {
            match chars.next() {
                Some((_, '\\')) if quote == '"' => match chars.next() {
                    Some((_, 'n')) => value.push('\n'),
                    Some((_, 't')) => value.push('\t'),
                    Some((_, c)) => value.push(c),
                    None => return Err(bad()),
                },
                Some((_, c)) if c == quote => break,
                Some((_, c)) => value.push(c),
                None => return Err(bad()),
            }
        }
        let re = if matches!(op, Op::Re | Op::Nre) {
            Some(regex::Regex::new(&format!("^(?:{value})$")).map_err(|e| {
                SelectError::Loki(format!("parse error : error parsing regexp: {e}"))
            })?)
        } else {
            None
        };
        if name.is_empty() {
            return Err(bad());
        }
        matchers.push(Matcher {
            name,
            op,
            value,
            re,
        });
    }
    if matchers.iter().all(Matcher::empty_compatible) {
        return Err(SelectError::Loki(
            "parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will".into(),
        ));
    }
    Ok(matchers)
}

pub fn matches_all(ms: &[Matcher], labels: &StubLabels) -> bool {
    ms.iter().all(|m| m.matches(labels))
}

/// Adds entries to the stream with `labels`, keeping entries sorted by time (stable).
pub fn insert(
    streams: &mut Vec<StubStream>,
    labels: StubLabels,
    entries: impl IntoIterator<Item = StubEntry>,
) {
    let idx = match streams.iter().position(|s| s.labels == labels) {
        Some(i) => i,
        None => {
            streams.push(StubStream {
                labels,
                entries: Vec::new(),
            });
            streams.len() - 1
        }
    };
    let s = &mut streams[idx];
    s.entries.extend(entries);
    s.entries.sort_by_key(|e| e.ts);
}

/// The entries Loki returns: those in `[start, end)` of matching streams, ordered by
/// `direction` (ties: stream order, then insertion order), first `limit`.
pub fn select<'a>(
    streams: &'a [StubStream],
    ms: &[Matcher],
    start: i64,
    end: i64,
    limit: usize,
    forward: bool,
) -> Vec<(usize, &'a StubEntry)> {
    let mut picked: Vec<(usize, usize, &StubEntry)> = Vec::new();
    for (si, s) in streams.iter().enumerate() {
        if !matches_all(ms, &s.labels) {
            continue;
        }
        let lo = s.entries.partition_point(|e| e.ts < start);
        let hi = s.entries.partition_point(|e| e.ts < end);
        let window = &s.entries[lo..hi];
        let take: Box<dyn Iterator<Item = (usize, &StubEntry)>> = if forward {
            Box::new(window.iter().enumerate().take(limit))
        } else {
            let skip = window.len().saturating_sub(limit);
            Box::new(window.iter().enumerate().skip(skip))
        };
        picked.extend(take.map(|(i, e)| (si, i, e)));
    }
    if forward {
        picked.sort_by_key(|(si, i, e)| (e.ts, *si, *i));
    } else {
        picked.sort_by_key(|(si, i, e)| (std::cmp::Reverse(e.ts), *si, std::cmp::Reverse(*i)));
    }
    picked.truncate(limit);
    picked.into_iter().map(|(si, _, e)| (si, e)).collect()
}

/// Go's `time.Duration` text for whole seconds (`960h0m0s`).
pub fn go_duration(ns: i64) -> String {
    let secs = ns / 1_000_000_000;
    format!("{}h{}m{}s", secs / 3600, (secs % 3600) / 60, secs % 60)
}

/// A time parameter as Loki accepts it: integer ns, float seconds, or RFC 3339.
pub fn parse_time(s: &str) -> Option<i64> {
    if let Ok(n) = s.parse::<i64>() {
        // Loki reads up to 10 digits as seconds, longer integers as nanoseconds.
        return Some(if s.trim_start_matches('-').len() <= 10 {
            n.saturating_mul(1_000_000_000)
        } else {
            n
        });
    }
    if let Ok(f) = s.parse::<f64>() {
        return Some((f * 1e9) as i64);
    }
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .and_then(|t| t.timestamp_nanos_opt())
}
