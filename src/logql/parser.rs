//! Recursive-descent LogQL parser producing [`Expr`], with Loki's error wording
//! (`parse error at line 1, col 30: syntax error: unexpected )`).

use super::LogqlError;
use super::ast::*;
use super::lexer::{Spanned, Tok, lex, syntax_error};
use super::validate;

/// Parses a LogQL query (log or metric) and validates it the way Loki does before running it.
pub fn parse(query: &str) -> Result<Expr, LogqlError> {
    if query.len() > MAX_QUERY_BYTES {
        return Err(LogqlError::msg(format!(
            "the query is too long ({} bytes; at most {MAX_QUERY_BYTES})",
            query.len()
        )));
    }
    if query.trim().is_empty() {
        // What Loki answers when the query is missing.
        return Err(LogqlError::msg(
            "parse error : syntax error: unexpected $end",
        ));
    }
    let toks = lex(query)
        .map_err(|e| syntax_error(query, e.pos, &format!("syntax error: {}", e.message)))?;
    let mut p = Parser {
        src: query,
        toks,
        i: 0,
        depth: 0,
        binops: 0,
    };
    let expr = p.expr(0)?;
    if p.peek() != &Tok::Eof {
        return Err(p.unexpected());
    }
    let expr = match expr {
        Node::Log(l) => Expr::Log(l),
        Node::Metric(m) => Expr::Metric(m),
    };
    validate::validate(&expr)?;
    Ok(expr)
}

/// Parses a query that must be a log query.
pub fn parse_log(query: &str) -> Result<LogExpr, LogqlError> {
    match parse(query)? {
        Expr::Log(l) => Ok(l),
        Expr::Metric(_) => Err(LogqlError::msg(
            "this is a metric query; a log query (a stream selector and a pipeline) is needed here",
        )),
    }
}

enum Node {
    Log(LogExpr),
    Metric(MetricExpr),
}

struct Parser<'a> {
    src: &'a str,
    toks: Vec<Spanned>,
    i: usize,
    /// Current nesting of expressions/parentheses (bounded so hostile input cannot overflow
    /// the stack).
    depth: usize,
    /// Binary operators so far: each one nests the tree one level deeper (`a or b or c` is
    /// `(a or b) or c`), and everything that walks the tree recurses.
    binops: usize,
}

/// Deepest nesting accepted.
const MAX_DEPTH: usize = 64;

/// Most binary operators in one query: a chain of thousands would overflow the stack of
/// whatever walks the tree (validation, evaluation, drop).
pub const MAX_BINARY_OPS: usize = 256;

/// Longest query accepted, in bytes. Loki reads a query from a URL (Go caps request headers
/// at 1 MB); this is smaller, and far above any hand-written query.
pub const MAX_QUERY_BYTES: usize = 64 * 1024;

type R<T> = Result<T, LogqlError>;

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.toks[self.i.min(self.toks.len() - 1)].tok
    }

    fn peek_at(&self, n: usize) -> &Tok {
        &self.toks[(self.i + n).min(self.toks.len() - 1)].tok
    }

    fn bump(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.i < self.toks.len() - 1 {
            self.i += 1;
        }
        t
    }

    fn pos(&self) -> usize {
        self.toks[self.i.min(self.toks.len() - 1)].start
    }

    fn unexpected(&self) -> LogqlError {
        syntax_error(
            self.src,
            self.pos(),
            &format!("syntax error: unexpected {}", self.peek().describe()),
        )
    }

    fn unexpected_expecting(&self, expecting: &str) -> LogqlError {
        syntax_error(
            self.src,
            self.pos(),
            &format!(
                "syntax error: unexpected {}, expecting {expecting}",
                self.peek().describe()
            ),
        )
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if *o == op)
    }

    fn is_ident(&self, name: &str) -> bool {
        matches!(self.peek(), Tok::Ident(s) if s.eq_ignore_ascii_case(name))
    }

    fn eat_op(&mut self, op: &str) -> bool {
        if self.is_op(op) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn expect_op(&mut self, op: &str) -> R<()> {
        if self.eat_op(op) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn ident(&mut self) -> R<String> {
        match self.peek() {
            Tok::Ident(s) => {
                let s = s.clone();
                self.bump();
                Ok(s)
            }
            _ => Err(self.unexpected()),
        }
    }

    fn string(&mut self) -> R<String> {
        match self.peek() {
            Tok::Str(s) => {
                let s = s.clone();
                self.bump();
                Ok(s)
            }
            _ => Err(self.unexpected()),
        }
    }

    fn number(&mut self) -> R<f64> {
        let neg = self.eat_op("-");
        if !neg {
            self.eat_op("+");
        }
        match self.peek() {
            Tok::Number(n) => {
                let n = *n;
                self.bump();
                Ok(if neg { -n } else { n })
            }
            _ => Err(self.unexpected()),
        }
    }

    fn duration(&mut self) -> R<i64> {
        match self.peek() {
            Tok::Duration(d) => {
                let d = *d;
                self.bump();
                Ok(d)
            }
            _ => Err(self.unexpected()),
        }
    }

    // ------------------------------------------------------------ expressions

    /// Counts one more binary operator (metric `or`/`+`/…, label filter `and`/`or`/`,`):
    /// each nests the tree one level deeper.
    fn count_binop(&mut self, pos: usize) -> R<()> {
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

    fn enter(&mut self) -> R<()> {
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

    fn expr(&mut self, min_prec: u8) -> R<Node> {
        self.enter()?;
        let r = self.expr_inner(min_prec);
        self.depth -= 1;
        r
    }

    fn expr_inner(&mut self, min_prec: u8) -> R<Node> {
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

    fn peek_binop(&self) -> Option<BinOp> {
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

    fn unary(&mut self) -> R<Node> {
        if self.is_op("-") || self.is_op("+") {
            let neg = self.is_op("-");
            self.bump();
            // Unary minus binds tighter than `*` but looser than `^` (as in Prometheus).
            let inner = self.expr(BinOp::Pow.precedence())?;
            let Node::Metric(m) = inner else {
                return Err(self.unexpected());
            };
            if !neg {
                return Ok(Node::Metric(m));
            }
            return Ok(Node::Metric(match m {
                MetricExpr::Literal(n) => MetricExpr::Literal(-n),
                other => MetricExpr::Binary(BinaryExpr {
                    op: BinOp::Mul,
                    lhs: Box::new(MetricExpr::Literal(-1.0)),
                    rhs: Box::new(other),
                    return_bool: false,
                    matching: None,
                    group: None,
                }),
            }));
        }
        self.primary()
    }

    fn primary(&mut self) -> R<Node> {
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

    fn metric_operand(&mut self) -> R<MetricExpr> {
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

    fn grouping(&mut self) -> R<Option<Grouping>> {
        if self.is_ident("by") || self.is_ident("without") {
            let without = self.ident()?.eq_ignore_ascii_case("without");
            let labels = self.label_list()?;
            Ok(Some(Grouping { without, labels }))
        } else {
            Ok(None)
        }
    }

    fn label_list(&mut self) -> R<Vec<String>> {
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
    fn log_expr(&mut self, _in_range: bool) -> R<(LogExpr, Option<Unwrap>)> {
        let selector = self.selector()?;
        let (pipeline, unwrap) = self.pipeline(false)?;
        Ok((LogExpr { selector, pipeline }, unwrap))
    }

    fn selector(&mut self) -> R<Vec<Matcher>> {
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

    fn match_op(&self) -> Option<MatchOp> {
        Some(match self.peek() {
            Tok::Op("=") => MatchOp::Eq,
            Tok::Op("!=") => MatchOp::Neq,
            Tok::Op("=~") => MatchOp::Re,
            Tok::Op("!~") => MatchOp::Nre,
            _ => return None,
        })
    }
}

mod metric;
mod pipeline;

#[cfg(test)]
#[path = "parser_tests.rs"]
mod tests;
