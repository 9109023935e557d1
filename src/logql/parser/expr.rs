//! The expression half of the parser: precedence climbing over binary operators, unary
//! signs, parentheses and the stream selector every query starts from.

use super::{MAX_BINARY_OPS, MAX_DEPTH, Node, Parser, R};
use crate::logql::LogqlError;
use crate::logql::ast::*;
use crate::logql::lexer::{Tok, syntax_error};

impl Parser<'_> {
    /// Counts one more binary operator (metric `or`/`+`/…, label filter `and`/`or`/`,`):
    /// each nests the tree one level deeper.
    pub(super) fn count_binop(&mut self, pos: usize) -> R<()> {
        self.binops += 1;
        if self.binops > MAX_BINARY_OPS {
            return Err(syntax_error(
                self.src,
                pos,
                &format!(
                    "syntax error: too many binary operators (at most {MAX_BINARY_OPS} in a query)"
                ),
            ));
        }
        Ok(())
    }

    pub(super) fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(syntax_error(
                self.src,
                self.pos(),
                "syntax error: the query is nested too deeply",
            ));
        }
        Ok(())
    }

    pub(super) fn expr(&mut self, min_prec: u8) -> R<Node> {
        self.enter()?;
        let r = self.expr_inner(min_prec);
        self.depth -= 1;
        r
    }

    pub(super) fn expr_inner(&mut self, min_prec: u8) -> R<Node> {
        let mut lhs = self.unary()?;
        while let Some(op) = self.peek_binop() {
            let prec = op.precedence();
            if prec < min_prec {
                break;
            }
            let op_pos = self.pos();
            self.count_binop(op_pos)?;
            self.bump();
            let mut return_bool = false;
            if self.is_ident("bool") {
                self.bump();
                return_bool = true;
            }
            let mut matching = None;
            if self.is_ident("on") || self.is_ident("ignoring") {
                let on = self.ident()?.eq_ignore_ascii_case("on");
                let labels = self.label_list()?;
                matching = Some(VectorMatching { on, labels });
            }
            let mut group = None;
            if self.is_ident("group_left") || self.is_ident("group_right") {
                let left = self.ident()?.eq_ignore_ascii_case("group_left");
                let labels = if self.is_op("(") {
                    self.label_list()?
                } else {
                    Vec::new()
                };
                group = Some(GroupModifier { left, labels });
            }
            let next_min = if op == BinOp::Pow { prec } else { prec + 1 };
            let rhs = self.expr(next_min)?;
            let (Node::Metric(l), Node::Metric(r)) = (lhs, rhs) else {
                return Err(syntax_error(
                    self.src,
                    op_pos,
                    "syntax error: unexpected binary operator: a log query cannot be an operand; wrap it in a range aggregation like count_over_time({…}[5m])",
                ));
            };
            if return_bool && !op.is_comparison() {
                return Err(LogqlError::msg(
                    "parse error : bool modifier can only be used on comparison operators",
                ));
            }
            lhs = Node::Metric(MetricExpr::Binary(BinaryExpr {
                op,
                lhs: Box::new(l),
                rhs: Box::new(r),
                return_bool,
                matching,
                group,
            }));
        }
        Ok(lhs)
    }

    pub(super) fn peek_binop(&self) -> Option<BinOp> {
        Some(match self.peek() {
            Tok::Op("+") => BinOp::Add,
            Tok::Op("-") => BinOp::Sub,
            Tok::Op("*") => BinOp::Mul,
            Tok::Op("/") => BinOp::Div,
            Tok::Op("%") => BinOp::Mod,
            Tok::Op("^") => BinOp::Pow,
            Tok::Op("==") => BinOp::Eq,
            Tok::Op("!=") => BinOp::Neq,
            Tok::Op(">") => BinOp::Gt,
            Tok::Op(">=") => BinOp::Gte,
            Tok::Op("<") => BinOp::Lt,
            Tok::Op("<=") => BinOp::Lte,
            Tok::Ident(s) if s.eq_ignore_ascii_case("and") => BinOp::And,
            Tok::Ident(s) if s.eq_ignore_ascii_case("or") => BinOp::Or,
            Tok::Ident(s) if s.eq_ignore_ascii_case("unless") => BinOp::Unless,
            _ => return None,
        })
    }

    /// A sign applies only to a number and makes a signed literal, as in Loki 65e30f8:
    /// `-2 ^ 2` is 4, and `-vector(1)`, `-(1)` or `- -1` are syntax errors ("expecting NUMBER").
    pub(super) fn unary(&mut self) -> R<Node> {
        if self.is_op("-") || self.is_op("+") {
            let neg = self.is_op("-");
            self.bump();
            let Tok::Number(n) = *self.peek() else {
                return Err(self.unexpected_expecting("NUMBER"));
            };
            self.bump();
            return Ok(Node::Metric(MetricExpr::Literal(if neg { -n } else { n })));
        }
        self.primary()
    }

    pub(super) fn primary(&mut self) -> R<Node> {
        match self.peek().clone() {
            Tok::Op("(") => {
                self.bump();
                let inner = self.expr(0)?;
                self.expect_op(")")?;
                Ok(inner)
            }
            Tok::Op("{") => Ok(Node::Log(self.log_expr(false)?.0)),
            Tok::Number(n) => {
                self.bump();
                Ok(Node::Metric(MetricExpr::Literal(n)))
            }
            Tok::Ident(name) => {
                // Function names and keywords are case-insensitive in Loki (`COUNT_OVER_TIME`).
                let name = name.to_ascii_lowercase();
                let next_is_call = matches!(self.peek_at(1), Tok::Op("("))
                    || matches!(self.peek_at(1), Tok::Ident(s)
                        if s.eq_ignore_ascii_case("by") || s.eq_ignore_ascii_case("without"));
                if !next_is_call {
                    return Err(self.unexpected());
                }
                if let Some(op) = RangeOp::from_name(&name) {
                    return self.range_agg(op).map(Node::Metric);
                }
                if let Some(op) = VectorOp::from_name(&name) {
                    return self.vector_agg(op).map(Node::Metric);
                }
                match name.as_str() {
                    "vector" => {
                        self.bump();
                        self.expect_op("(")?;
                        let n = self.number()?;
                        self.expect_op(")")?;
                        Ok(Node::Metric(MetricExpr::VectorLit(n)))
                    }
                    "label_replace" => self.label_replace().map(Node::Metric),
                    _ => Err(self.unexpected()),
                }
            }
            _ => Err(self.unexpected()),
        }
    }

    pub(super) fn metric_operand(&mut self) -> R<MetricExpr> {
        let pos = self.pos();
        match self.expr(0)? {
            Node::Metric(m) => Ok(m),
            Node::Log(_) => Err(syntax_error(
                self.src,
                pos,
                "syntax error: unexpected log query: a metric expression is needed here",
            )),
        }
    }

    pub(super) fn grouping(&mut self) -> R<Option<Grouping>> {
        if self.is_ident("by") || self.is_ident("without") {
            let without = self.ident()?.eq_ignore_ascii_case("without");
            let labels = self.label_list()?;
            Ok(Some(Grouping { without, labels }))
        } else {
            Ok(None)
        }
    }

    pub(super) fn label_list(&mut self) -> R<Vec<String>> {
        self.expect_op("(")?;
        let mut labels = Vec::new();
        if self.eat_op(")") {
            return Ok(labels);
        }
        loop {
            labels.push(self.ident()?);
            if self.eat_op(")") {
                return Ok(labels);
            }
            self.expect_op(",")?;
        }
    }

    /// A log query outside a range aggregation (unwrap not allowed).
    pub(super) fn log_expr(&mut self, _in_range: bool) -> R<(LogExpr, Option<Unwrap>)> {
        let selector = self.selector()?;
        let (pipeline, unwrap) = self.pipeline(false)?;
        Ok((LogExpr { selector, pipeline }, unwrap))
    }

    pub(super) fn selector(&mut self) -> R<Vec<Matcher>> {
        self.expect_op("{")?;
        let mut out = Vec::new();
        if self.eat_op("}") {
            return Ok(out);
        }
        loop {
            let name = self.ident()?;
            let op = self.match_op().ok_or_else(|| self.unexpected())?;
            self.bump();
            let value = self.string()?;
            out.push(Matcher { name, op, value });
            if self.eat_op("}") {
                return Ok(out);
            }
            self.expect_op(",")?;
        }
    }

    pub(super) fn match_op(&self) -> Option<MatchOp> {
        Some(match self.peek() {
            Tok::Op("=") => MatchOp::Eq,
            Tok::Op("!=") => MatchOp::Neq,
            Tok::Op("=~") => MatchOp::Re,
            Tok::Op("!~") => MatchOp::Nre,
            _ => return None,
        })
    }
}
