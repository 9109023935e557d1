//! Semantic checks Loki makes after parsing (`parse error : …` without a position): a
//! selector that can match everything, invalid regexes, unwrap/param/grouping misuse.

use super::LogqlError;
use super::ast::*;
use super::{go_quote, regex_go};

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
                    (
                        LineFilterOp::Regex
                        | LineFilterOp::NotRegex
                        | LineFilterOp::Pattern
                        | LineFilterOp::NotPattern,
                        LineFilterValue::Ip(_),
                    ) => {
                        return Err(err(format!(
                            "stage '{}' : ip: invalid operation",
                            line_filter_text(f)
                        )));
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
        Stage::Parser(ParserStage::Logfmt {
            strict,
            keep_empty,
            extractions,
        }) => {
            for e in extractions {
                if let Some(why) = logfmt_path_error(&e.path) {
                    let flags = match (strict, keep_empty) {
                        (true, true) => " --strict --keep-empty",
                        (true, false) => " --strict",
                        (false, true) => " --keep-empty",
                        (false, false) => "",
                    };
                    let params: Vec<String> = extractions
                        .iter()
                        .map(|e| format!("{}={}", e.label, go_quote(&e.path)))
                        .collect();
                    return Err(err(format!(
                        "stage '| logfmt{flags} {}' : cannot parse expression [{}]: {why}",
                        params.join(","),
                        e.path
                    )));
                }
            }
        }
        Stage::LabelFilter(f) => label_filter(f)?,
        Stage::LabelFormat(items) => {
            // Loki 65e30f8 refuses one label formatted twice in a stage.
            for (i, it) in items.iter().enumerate() {
                if items[..i].iter().any(|o| o.dst() == it.dst()) {
                    let parts: Vec<String> = items
                        .iter()
                        .map(|it| match it {
                            LabelFmt::Rename { dst, src } => format!("{dst}={src}"),
                            LabelFmt::Template { dst, template } => {
                                format!("{dst}={}", go_quote(template))
                            }
                        })
                        .collect();
                    return Err(err(format!(
                        "stage '| label_format {}' : multiple label name '{}' not allowed in a single format operation",
                        parts.join(","),
                        it.dst()
                    )));
                }
            }
        }
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

/// Why Loki refuses a `| logfmt x="path"` path: it must be a plain key (`[A-Za-z_][A-Za-z0-9_]*`).
fn logfmt_path_error(path: &str) -> Option<String> {
    let mut chars = path.chars();
    match chars.next() {
        None => return Some("syntax error: unexpected $end, expecting STRING or KEY".into()),
        Some(c) if c.is_ascii_digit() => {
            return Some("syntax error: unexpected $end, expecting STRING or KEY".into());
        }
        _ => {}
    }
    path.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
        .map(|c| format!("unexpected char {c}"))
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
            if b.op.is_set() {
                for (leg, e) in [("left", &b.lhs), ("right", &b.rhs)] {
                    if let MetricExpr::Literal(n) = **e {
                        return Err(err(format!(
                            "unexpected literal for {leg} leg of logical/set binary operation ({}): {n:.6}",
                            b.op.name()
                        )));
                    }
                }
            }
            metric(&b.lhs)?;
            metric(&b.rhs)
        }
        MetricExpr::LabelReplace(l) => {
            // Loki takes any destination name, even "" (`label_replace(vector(1), "", "x",
            // "", "")` gives the series `{"": "x"}`).
            regex_go::compile_anchored(&l.regex).map_err(err)?;
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
