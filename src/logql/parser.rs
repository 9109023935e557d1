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
}

mod expr;
mod label_filter;
mod metric;
mod pipeline;

#[cfg(test)]
#[path = "parser_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "parser_metric_tests.rs"]
mod metric_tests;
