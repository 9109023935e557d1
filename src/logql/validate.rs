//! Semantic checks Loki makes after parsing (`parse error : …` without a position): a
//! selector that can match everything, invalid regexes, unwrap/param/grouping misuse.

use super::LogqlError;
use super::ast::*;
use super::regex_go;

/// Validates a parsed query.
pub fn validate(expr: &Expr) -> Result<(), LogqlError> {
    match expr {
        Expr::Log(l) => log(l),
        Expr::Metric(m) => metric(m),
    }
}

fn err(m: impl std::fmt::Display) -> LogqlError {
    LogqlError::msg(format!("parse error : {m}"))
}

fn log(l: &LogExpr) -> Result<(), LogqlError> {
    selector(&l.selector)?;
    for s in &l.pipeline {
        stage(s)?;
    }
    Ok(())
}

fn selector(ms: &[Matcher]) -> Result<(), LogqlError> {
    let mut has_non_empty = false;
    for m in ms {
        let re = match m.op {
            MatchOp::Re | MatchOp::Nre => Some(regex_go::compile_anchored(&m.value).map_err(err)?),
            _ => None,
        };
        let matches_empty = match m.op {
            MatchOp::Eq => m.value.is_empty(),
            MatchOp::Neq => !m.value.is_empty(),
            MatchOp::Re => re.as_ref().is_some_and(|r| r.is_match("")),
            MatchOp::Nre => re.as_ref().is_some_and(|r| !r.is_match("")),
        };
        if !matches_empty {
            has_non_empty = true;
        }
    }
    if !has_non_empty {
        return Err(err(
            "queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will",
        ));
    }
    Ok(())
}

/// Go's `%q` of a string (used when Loki quotes a stage back at the user).
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn line_filter_text(f: &LineFilter) -> String {
    let op = match f.op {
        LineFilterOp::Contains => "|=",
        LineFilterOp::NotContains => "!=",
        LineFilterOp::Regex => "|~",
        LineFilterOp::NotRegex => "!~",
        LineFilterOp::Pattern => "|>",
        LineFilterOp::NotPattern => "!>",
    };
    let vals: Vec<String> = f
        .values
        .iter()
        .map(|v| match v {
            LineFilterValue::Str(s) => go_quote(s),
            LineFilterValue::Ip(s) => format!("ip({})", go_quote(s)),
        })
        .collect();
    format!("{op} {}", vals.join(" or "))
}

fn stage(s: &Stage) -> Result<(), LogqlError> {
    match s {
        Stage::LineFilter(f) => {
            for v in &f.values {
                match (f.op, v) {
                    (LineFilterOp::Regex | LineFilterOp::NotRegex, LineFilterValue::Str(re)) => {
                        regex_go::compile(re)
                            .map_err(|e| err(format!("stage '{}' : {e}", line_filter_text(f))))?;
                    }
                    (LineFilterOp::Pattern | LineFilterOp::NotPattern, LineFilterValue::Str(p)) => {
                        super::pipeline::pattern::Pattern::parse_filter(p)
                            .map_err(|e| err(format!("stage '{}' : {e}", line_filter_text(f))))?;
                    }
                    (_, LineFilterValue::Ip(p)) => {
                        super::pipeline::ip::IpMatcher::parse(p).map_err(err)?;
                    }
                    _ => {}
                }
            }
        }
        Stage::Parser(ParserStage::Regexp(re)) => {
            let r = regex_go::compile(re).map_err(err)?;
            if r.capture_names().flatten().next().is_none() {
                return Err(err("at least one named capture must be supplied"));
            }
        }
        Stage::Parser(ParserStage::Pattern(p)) => {
            super::pipeline::pattern::Pattern::parse_parser(p).map_err(err)?;
        }
        Stage::LabelFilter(f) => label_filter(f)?,
        Stage::Drop(items) | Stage::Keep(items) => {
            for i in items {
                if let LabelSel::Matcher(m) = i {
                    matcher_regex(m)?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn matcher_regex(m: &Matcher) -> Result<(), LogqlError> {
    if matches!(m.op, MatchOp::Re | MatchOp::Nre) {
        regex_go::compile_anchored(&m.value).map_err(err)?;
    }
    Ok(())
}

fn label_filter(f: &LabelFilter) -> Result<(), LogqlError> {
    match f {
        LabelFilter::Matcher(m) => matcher_regex(m),
        LabelFilter::Ip { pattern, .. } => super::pipeline::ip::IpMatcher::parse(pattern)
            .map(|_| ())
            .map_err(err),
        LabelFilter::And(a, b) | LabelFilter::Or(a, b) => {
            label_filter(a)?;
            label_filter(b)
        }
        _ => Ok(()),
    }
}

fn metric(m: &MetricExpr) -> Result<(), LogqlError> {
    match m {
        MetricExpr::Range(r) => {
            log(&r.range.log)?;
            if let Some(u) = &r.range.unwrap {
                for f in &u.post_filters {
                    label_filter(f)?;
                }
            }
            let name = r.op.name();
            match (
                &r.range.unwrap,
                r.op.requires_unwrap(),
                r.op.allows_unwrap(),
            ) {
                (None, true, _) => {
                    return Err(err(format!("invalid aggregation {name} without unwrap")));
                }
                (Some(_), _, false) => {
                    return Err(err(format!("invalid aggregation {name} with unwrap")));
                }
                _ => {}
            }
            if r.grouping.is_some() && (r.range.unwrap.is_none() || !r.op.allows_grouping()) {
                return Err(err(format!("grouping not allowed for {name} aggregation")));
            }
            match (r.op, r.param) {
                (RangeOp::QuantileOverTime, None) => {
                    return Err(err(format!("parameter required for operation {name}")));
                }
                (RangeOp::QuantileOverTime, Some(_)) => {}
                (_, Some(_)) => {
                    return Err(err(format!("parameter not supported for operation {name}")));
                }
                _ => {}
            }
            Ok(())
        }
        MetricExpr::Vector(v) => {
            if matches!(v.op, VectorOp::Topk | VectorOp::Bottomk) {
                let k = v.param.unwrap_or(0.0);
                if k < 1.0 || k.fract() != 0.0 {
                    return Err(err(format!(
                        "invalid parameter ({k}) for {}: it must be a positive integer",
                        v.op.name()
                    )));
                }
            }
            if matches!(v.op, VectorOp::Sort | VectorOp::SortDesc) && v.grouping.is_some() {
                return Err(err(format!("grouping not allowed for {}", v.op.name())));
            }
            metric(&v.expr)
        }
        MetricExpr::Binary(b) => {
            metric(&b.lhs)?;
            metric(&b.rhs)
        }
        MetricExpr::LabelReplace(l) => {
            regex_go::compile_anchored(&l.regex).map_err(err)?;
            if !is_label_name(&l.dst) {
                return Err(err(format!(
                    "invalid destination label name in label_replace(): {}",
                    l.dst
                )));
            }
            metric(&l.expr)
        }
        MetricExpr::Literal(_) | MetricExpr::VectorLit(_) => Ok(()),
    }
}

/// Whether `s` is a valid Prometheus label name.
pub fn is_label_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
