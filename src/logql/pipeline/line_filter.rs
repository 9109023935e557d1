//! Compiled line filters: substring (memchr's SIMD `memmem`), RE2 regex (unanchored), pattern
//! and `ip()`; an OR-chain of values, negated operators requiring that none match.

use memchr::memmem::Finder;
use regex::Regex;

use super::ip::IpMatcher;
use super::pattern::Pattern;
use crate::logql::LogqlError;
use crate::logql::ast::{LineFilter, LineFilterOp, LineFilterValue};
use crate::logql::regex_go;

#[derive(Debug, Clone)]
enum Test {
    Contains(Box<Finder<'static>>),
    Regex(Regex),
    Pattern(Pattern),
    Ip(IpMatcher),
}

impl Test {
    #[inline]
    fn matches(&self, line: &str) -> bool {
        match self {
            Test::Contains(f) => f.find(line.as_bytes()).is_some(),
            Test::Regex(r) => r.is_match(line),
            Test::Pattern(p) => p.matches(line),
            Test::Ip(m) => m.matches_line(line),
        }
    }
}

/// One compiled line filter stage.
#[derive(Debug, Clone)]
pub struct CompiledLineFilter {
    negate: bool,
    tests: Vec<Test>,
}

/// Whether a regex is a plain literal (so a substring search gives the same answer).
fn literal_of(re: &str) -> Option<&str> {
    (!re.is_empty()
        && !re.contains([
            '\\', '.', '+', '*', '?', '(', ')', '|', '[', ']', '{', '}', '^', '$',
        ]))
    .then_some(re)
}

impl CompiledLineFilter {
    pub fn compile(f: &LineFilter) -> Result<Self, LogqlError> {
        let negate = matches!(
            f.op,
            LineFilterOp::NotContains | LineFilterOp::NotRegex | LineFilterOp::NotPattern
        );
        let mut tests = Vec::new();
        for v in &f.values {
            let t = match (f.op, v) {
                (_, LineFilterValue::Ip(p)) => {
                    Test::Ip(IpMatcher::parse(p).map_err(LogqlError::msg)?)
                }
                (LineFilterOp::Contains | LineFilterOp::NotContains, LineFilterValue::Str(s)) => {
                    Test::Contains(Box::new(Finder::new(s.as_bytes()).into_owned()))
                }
                // Deliberately not like Loki: Loki's regex simplifier turns `zzz|.*` into
                // literal alternatives and matches nothing, a bug (RE2 matches every line).
                // vs-logs runs the regex as written; see `alternation_with_dot_star_matches`.
                (LineFilterOp::Regex | LineFilterOp::NotRegex, LineFilterValue::Str(s)) => {
                    match literal_of(s) {
                        Some(lit) => {
                            Test::Contains(Box::new(Finder::new(lit.as_bytes()).into_owned()))
                        }
                        None => Test::Regex(
                            regex_go::compile(s)
                                .map_err(|e| LogqlError::msg(format!("parse error : {e}")))?,
                        ),
                    }
                }
                (LineFilterOp::Pattern | LineFilterOp::NotPattern, LineFilterValue::Str(s)) => {
                    Test::Pattern(Pattern::parse_filter(s).map_err(LogqlError::msg)?)
                }
            };
            tests.push(t);
        }
        Ok(Self { negate, tests })
    }

    /// The literal a passing line must contain: a positive filter with one substring test.
    pub fn required_literal(&self) -> Option<&[u8]> {
        match (self.negate, self.tests.as_slice()) {
            (false, [Test::Contains(f)]) => Some(f.needle()),
            _ => None,
        }
    }

    /// Whether the line passes this filter.
    #[inline]
    pub fn passes(&self, line: &str) -> bool {
        self.tests.iter().any(|t| t.matches(line)) != self.negate
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logql::ast::Stage;
    use crate::logql::parser::parse_log;

    fn filter(q: &str) -> CompiledLineFilter {
        let l = parse_log(&format!("{{a=\"b\"}} {q}")).unwrap();
        let Stage::LineFilter(f) = &l.pipeline[0] else {
            panic!()
        };
        CompiledLineFilter::compile(f).unwrap()
    }

    #[test]
    fn ops() {
        assert!(filter(r#"|= "rate limit""#).passes("GitHub rate limit exceeded"));
        assert!(!filter(r#"|= "rate limit""#).passes("rate-limit"));
        assert!(filter(r#"|= "a" or "b""#).passes("xbx"));
        assert!(!filter(r#"!= "a" or "b""#).passes("xbx"));
        assert!(filter(r#"!= "a" or "b""#).passes("xcx"));
        assert!(filter(r#"|~ "timeout after \\d+s""#).passes("x timeout after 30s y"));
        assert!(!filter(r#"|~ "\\d""#).passes("١"));
        assert!(filter(r#"!~ "GET|POST""#).passes("PUT /x"));
        assert!(filter(r#"|~ "漏洞|修复""#).passes("发现漏洞"));
        assert!(filter(r#"|> "<_>rate limit<_>""#).passes("a rate limit b"));
        assert!(filter(r#"!> "<_>rate limit<_>""#).passes("a rate b"));
        assert!(filter(r#"|= ip("10.0.0.0/8")"#).passes("client=10.0.5.1"));
        assert!(filter(r#"|= """#).passes("anything"));
    }

    /// Loki 3.x (main@65e30f8) returns nothing for `|~ "zzz|.*"` (a bug in its regex
    /// simplification); the regex matches every line, and vs-logs keeps the correct answer.
    #[test]
    fn alternation_with_dot_star_matches() {
        let f = filter(r#"|~ "zzz|.*""#);
        assert!(f.passes("any line at all"));
        assert!(f.passes(""));
        assert!(!filter(r#"!~ "zzz|.*""#).passes("any line"));
    }
}
