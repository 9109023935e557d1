//! The pipeline half of the parser: line filters, parser stages, formats, `unwrap` and label
//! filter expressions.

use super::{Parser, R};
use crate::logql::ast::*;
use crate::logql::lexer::{Tok, syntax_error};

impl Parser<'_> {
    // ------------------------------------------------------------ pipeline

    pub(super) fn pipeline(&mut self, in_range: bool) -> R<(Vec<Stage>, Option<Unwrap>)> {
        let mut stages = Vec::new();
        loop {
            let lf_op = match self.peek() {
                Tok::Op("|=") => Some(LineFilterOp::Contains),
                Tok::Op("!=") => Some(LineFilterOp::NotContains),
                Tok::Op("|~") => Some(LineFilterOp::Regex),
                Tok::Op("!~") => Some(LineFilterOp::NotRegex),
                Tok::Op("|>") => Some(LineFilterOp::Pattern),
                Tok::Op("!>") => Some(LineFilterOp::NotPattern),
                _ => None,
            };
            if let Some(op) = lf_op {
                self.bump();
                stages.push(Stage::LineFilter(self.line_filter(op)?));
                continue;
            }
            if !self.is_op("|") {
                return Ok((stages, None));
            }
            self.bump();
            if self.is_ident("unwrap") && matches!(self.peek_at(1), Tok::Ident(_)) {
                if !in_range {
                    return Err(syntax_error(
                        self.src,
                        self.pos(),
                        "syntax error: unexpected unwrap: unwrap is only allowed inside a range aggregation such as sum_over_time({…} | unwrap x [5m])",
                    ));
                }
                let unwrap = self.unwrap()?;
                return Ok((stages, Some(unwrap)));
            }
            stages.push(self.stage()?);
        }
    }

    fn line_filter(&mut self, op: LineFilterOp) -> R<LineFilter> {
        let mut values = vec![self.line_filter_value()?];
        while self.is_ident("or") {
            self.bump();
            values.push(self.line_filter_value()?);
        }
        Ok(LineFilter { op, values })
    }

    fn line_filter_value(&mut self) -> R<LineFilterValue> {
        match self.peek() {
            Tok::Str(s) => {
                let s = s.clone();
                self.bump();
                Ok(LineFilterValue::Str(s))
            }
            Tok::Ident(s) if s.eq_ignore_ascii_case("ip") => {
                self.bump();
                self.expect_op("(")?;
                let s = self.string()?;
                self.expect_op(")")?;
                Ok(LineFilterValue::Ip(s))
            }
            _ => Err(self.unexpected_expecting("STRING or ip")),
        }
    }

    fn stage(&mut self) -> R<Stage> {
        if self.is_op("(") {
            return Ok(Stage::LabelFilter(self.label_filter_or()?));
        }
        let Tok::Ident(name) = self.peek().clone() else {
            return Err(self.unexpected());
        };
        // Stage keywords are keywords in any case and never label names (Loki: `| line_format==
        // "x"` is a syntax error); other words are label filters.
        let name = name.to_ascii_lowercase();
        {
            match name.as_str() {
                "json" => {
                    self.bump();
                    return Ok(Stage::Parser(ParserStage::Json(self.extractions()?)));
                }
                "logfmt" => {
                    self.bump();
                    let (mut strict, mut keep_empty) = (false, false);
                    while let Tok::Flag(f) = self.peek() {
                        match f.as_str() {
                            "strict" => strict = true,
                            "keep-empty" => keep_empty = true,
                            _ => return Err(self.unexpected()),
                        }
                        self.bump();
                    }
                    let extractions = self.extractions()?;
                    return Ok(Stage::Parser(ParserStage::Logfmt {
                        strict,
                        keep_empty,
                        extractions,
                    }));
                }
                "regexp" => {
                    self.bump();
                    return Ok(Stage::Parser(ParserStage::Regexp(self.stage_string()?)));
                }
                "pattern" => {
                    self.bump();
                    return Ok(Stage::Parser(ParserStage::Pattern(self.stage_string()?)));
                }
                "unpack" => {
                    self.bump();
                    return Ok(Stage::Parser(ParserStage::Unpack));
                }
                "line_format" => {
                    self.bump();
                    return Ok(Stage::LineFormat(self.stage_string()?));
                }
                "label_format" => {
                    self.bump();
                    return self.label_format();
                }
                "drop" | "keep" => {
                    self.bump();
                    let items = self.label_sels()?;
                    return Ok(if name == "drop" {
                        Stage::Drop(items)
                    } else {
                        Stage::Keep(items)
                    });
                }
                "decolorize" => {
                    self.bump();
                    return Ok(Stage::Decolorize);
                }
                _ => {}
            }
        }
        Ok(Stage::LabelFilter(self.label_filter_or()?))
    }

    /// The string argument of a stage (`line_format "…"`), with Loki's `expecting STRING`.
    fn stage_string(&mut self) -> R<String> {
        if matches!(self.peek(), Tok::Str(_)) {
            self.string()
        } else {
            Err(self.unexpected_expecting("STRING"))
        }
    }

    fn extractions(&mut self) -> R<Vec<Extraction>> {
        let mut out = Vec::new();
        if !matches!(self.peek(), Tok::Ident(_)) {
            return Ok(out);
        }
        loop {
            let label = self.ident()?;
            let path = if self.eat_op("=") {
                self.string()?
            } else {
                label.clone()
            };
            out.push(Extraction { label, path });
            if !self.eat_op(",") {
                return Ok(out);
            }
        }
    }

    fn label_format(&mut self) -> R<Stage> {
        let mut items = Vec::new();
        loop {
            let dst = self.ident()?;
            self.expect_op("=")?;
            match self.peek().clone() {
                Tok::Str(s) => {
                    self.bump();
                    items.push(LabelFmt::Template { dst, template: s });
                }
                Tok::Ident(src) => {
                    self.bump();
                    items.push(LabelFmt::Rename { dst, src });
                }
                _ => return Err(self.unexpected()),
            }
            if !self.eat_op(",") {
                return Ok(Stage::LabelFormat(items));
            }
        }
    }

    fn label_sels(&mut self) -> R<Vec<LabelSel>> {
        let mut out = Vec::new();
        loop {
            let name = self.ident()?;
            if let Some(op) = self.match_op() {
                self.bump();
                let value = self.string()?;
                out.push(LabelSel::Matcher(Matcher { name, op, value }));
            } else {
                out.push(LabelSel::Name(name));
            }
            if !self.eat_op(",") {
                return Ok(out);
            }
        }
    }

    fn unwrap(&mut self) -> R<Unwrap> {
        self.bump(); // unwrap
        let first = self.ident()?;
        let (label, conversion) = if self.is_op("(") {
            let conversion = match first.to_ascii_lowercase().as_str() {
                "duration" | "duration_seconds" => Conversion::Duration,
                "bytes" => Conversion::Bytes,
                _ => {
                    return Err(syntax_error(
                        self.src,
                        self.pos(),
                        "syntax error: unexpected (",
                    ));
                }
            };
            self.bump();
            let label = self.ident()?;
            self.expect_op(")")?;
            (label, conversion)
        } else {
            (first, Conversion::Float)
        };
        let mut post_filters = Vec::new();
        while self.is_op("|") {
            self.bump();
            post_filters.push(self.label_filter_or()?);
        }
        Ok(Unwrap {
            label,
            conversion,
            post_filters,
        })
    }

    // ------------------------------------------------------------ label filters

    /// Loki's grammar gives `and` precedence over `or`, but `,` and juxtaposition (`a b`) have
    /// no precedence, so its parser always shifts over them: `a, REST` is `a and (REST)` with
    /// REST running to the end of the group, and the operand left of `,` is the single filter
    /// before it. `a="x", b=1 or b=2` is `a and (b=1 or b=2)`; `a or b, c or d` is
    /// `a or (b and (c or d))` (checked against a real Loki).
    fn label_filter_or(&mut self) -> R<LabelFilter> {
        // Chains `f0 op f1 op …` (`true` = `or`), split where a `,` or a space joins them.
        let mut chains: Vec<Chain> = Vec::new();
        let mut chain: Chain = (self.label_filter_atom()?, Vec::new());
        loop {
            let or = self.is_ident("or");
            if or || self.is_ident("and") {
                self.count_binop(self.pos())?;
                self.bump();
                let f = self.label_filter_atom()?;
                chain.1.push((or, f));
            } else if self.is_op(",") || self.juxtaposed_filter() {
                self.count_binop(self.pos())?;
                if self.is_op(",") {
                    self.bump();
                }
                let next = (self.label_filter_atom()?, Vec::new());
                chains.push(std::mem::replace(&mut chain, next));
            } else {
                break;
            }
        }
        while let Some(mut left) = chains.pop() {
            if chain.1.iter().any(|(or, _)| *or) {
                // `x, y or z`: the filter before the comma and everything after it.
                let rest = fold_label_filters(chain);
                let last = match left.1.pop() {
                    Some((or, f)) => (or, and(f, rest)),
                    None => {
                        left.0 = and(left.0, rest);
                        chain = left;
                        continue;
                    }
                };
                left.1.push(last);
            } else {
                // A pure conjunction: joining it with `and` is the same filter.
                left.1.push((false, chain.0));
                left.1.extend(chain.1);
            }
            chain = left;
        }
        Ok(fold_label_filters(chain))
    }

    /// `a="x" b="y"`: a space means `and`.
    fn juxtaposed_filter(&self) -> bool {
        self.is_op("(")
            || (matches!(self.peek(), Tok::Ident(s)
                    if !s.eq_ignore_ascii_case("or") && !s.eq_ignore_ascii_case("offset"))
                && matches!(
                    self.peek_at(1),
                    Tok::Op("=" | "!=" | "=~" | "!~" | "==" | ">" | ">=" | "<" | "<=")
                ))
    }

    fn label_filter_atom(&mut self) -> R<LabelFilter> {
        if self.eat_op("(") {
            self.enter()?;
            let inner = self.label_filter_or();
            self.depth -= 1;
            let inner = inner?;
            self.expect_op(")")?;
            return Ok(inner);
        }
        let name = self.ident()?;
        let op_tok = self.peek().clone();
        let cmp = match op_tok {
            Tok::Op("=") => CmpOp::Eq,
            Tok::Op("==") => CmpOp::Eq,
            Tok::Op("!=") => CmpOp::Neq,
            Tok::Op(">") => CmpOp::Gt,
            Tok::Op(">=") => CmpOp::Gte,
            Tok::Op("<") => CmpOp::Lt,
            Tok::Op("<=") => CmpOp::Lte,
            Tok::Op("=~") | Tok::Op("!~") => {
                self.bump();
                let value = self.string()?;
                let op = if op_tok == Tok::Op("=~") {
                    MatchOp::Re
                } else {
                    MatchOp::Nre
                };
                return Ok(LabelFilter::Matcher(Matcher { name, op, value }));
            }
            _ => return Err(self.unexpected()),
        };
        self.bump();
        let neg = self.is_op("-");
        if neg {
            self.bump();
        }
        let sign = if neg { -1.0 } else { 1.0 };
        match self.peek().clone() {
            Tok::Str(value) if !neg && matches!(cmp, CmpOp::Eq | CmpOp::Neq) => {
                self.bump();
                let op = if cmp == CmpOp::Eq {
                    MatchOp::Eq
                } else {
                    MatchOp::Neq
                };
                Ok(LabelFilter::Matcher(Matcher { name, op, value }))
            }
            Tok::Ident(s)
                if s.eq_ignore_ascii_case("ip")
                    && !neg
                    && matches!(cmp, CmpOp::Eq | CmpOp::Neq) =>
            {
                self.bump();
                self.expect_op("(")?;
                let pattern = self.string()?;
                self.expect_op(")")?;
                Ok(LabelFilter::Ip {
                    name,
                    negated: cmp == CmpOp::Neq,
                    pattern,
                })
            }
            Tok::Number(n) => {
                self.bump();
                Ok(LabelFilter::Number {
                    name,
                    op: cmp,
                    value: sign * n,
                })
            }
            Tok::Duration(d) => {
                self.bump();
                Ok(LabelFilter::Duration {
                    name,
                    op: cmp,
                    value: if neg { -d } else { d },
                })
            }
            Tok::Bytes(b) => {
                self.bump();
                Ok(LabelFilter::Bytes {
                    name,
                    op: cmp,
                    value: sign * b,
                })
            }
            _ => Err(self.unexpected()),
        }
    }
}

/// `f0 op f1 op …` with `true` for `or`.
type Chain = (LabelFilter, Vec<(bool, LabelFilter)>);

fn and(a: LabelFilter, b: LabelFilter) -> LabelFilter {
    LabelFilter::And(Box::new(a), Box::new(b))
}

/// Folds a chain with `and` binding tighter than `or`, both left-associative.
fn fold_label_filters((first, rest): Chain) -> LabelFilter {
    let or = |a: LabelFilter, b: LabelFilter| LabelFilter::Or(Box::new(a), Box::new(b));
    let mut done: Option<LabelFilter> = None;
    let mut cur = first;
    for (is_or, f) in rest {
        if is_or {
            let d = std::mem::replace(&mut cur, f);
            done = Some(match done {
                Some(x) => or(x, d),
                None => d,
            });
        } else {
            cur = and(cur, f);
        }
    }
    match done {
        Some(x) => or(x, cur),
        None => cur,
    }
}
