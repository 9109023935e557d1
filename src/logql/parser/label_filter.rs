//! Label filter expressions (`| a="x", b>1 or c=~"y"`) and the precedence Loki gives them.

use super::{Parser, R};
use crate::logql::ast::*;
use crate::logql::lexer::Tok;

impl Parser<'_> {
    /// Loki's grammar gives `and` precedence over `or`, but `,` and juxtaposition (`a b`) have
    /// no precedence, so its parser always shifts over them: `a, REST` is `a and (REST)` with
    /// REST running to the end of the group, and the operand left of `,` is the single filter
    /// before it. `a="x", b=1 or b=2` is `a and (b=1 or b=2)`; `a or b, c or d` is
    /// `a or (b and (c or d))` (checked against a real Loki).
    pub(super) fn label_filter_or(&mut self) -> R<LabelFilter> {
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
        // `==` compares numbers only: Loki 65e30f8 refuses `a == "x"` and `a == ip(…)`.
        let double_eq = op_tok == Tok::Op("==");
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
            Tok::Str(value) if !neg && !double_eq && matches!(cmp, CmpOp::Eq | CmpOp::Neq) => {
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
                    && !double_eq
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
