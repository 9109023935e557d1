//! The metric half of the parser: range and vector aggregations, `label_replace`, and the
//! log range (`{…} | … | unwrap x [5m] offset 1h`) a range aggregation reads.

use super::{Parser, R};
use crate::logql::LogqlError;
use crate::logql::ast::*;
use crate::logql::lexer::Tok;

impl Parser<'_> {
    pub(super) fn range_agg(&mut self, op: RangeOp) -> R<MetricExpr> {
        self.bump();
        // Loki takes a range aggregation's grouping only after its arguments.
        if !self.is_op("(") {
            return Err(self.unexpected_expecting("("));
        }
        let mut grouping = None;
        self.expect_op("(")?;
        let mut param = None;
        if matches!(self.peek(), Tok::Number(_)) || self.is_op("-") {
            param = Some(self.number()?);
            self.expect_op(",")?;
        }
        let range = self.log_range()?;
        self.expect_op(")")?;
        if let Some(g) = self.grouping()? {
            grouping = Some(g);
        }
        Ok(MetricExpr::Range(RangeAggregation {
            op,
            range,
            param,
            grouping,
        }))
    }

    pub(super) fn vector_agg(&mut self, op: VectorOp) -> R<MetricExpr> {
        self.bump();
        let mut grouping = self.grouping()?;
        self.expect_op("(")?;
        let mut param = None;
        if matches!(op, VectorOp::Topk | VectorOp::Bottomk) {
            param = Some(self.number()?);
            self.expect_op(",")?;
        }
        let expr = self.metric_operand()?;
        self.expect_op(")")?;
        if let Some(g) = self.grouping()? {
            grouping = Some(g);
        }
        Ok(MetricExpr::Vector(VectorAggregation {
            op,
            expr: Box::new(expr),
            param,
            grouping,
        }))
    }

    pub(super) fn label_replace(&mut self) -> R<MetricExpr> {
        self.bump();
        self.expect_op("(")?;
        let expr = self.metric_operand()?;
        let mut args = Vec::new();
        for _ in 0..4 {
            self.expect_op(",")?;
            args.push(self.string()?);
        }
        self.expect_op(")")?;
        let [dst, replacement, src, regex]: [String; 4] = args
            .try_into()
            .map_err(|_| LogqlError::msg("label_replace needs 4 string arguments"))?;
        Ok(MetricExpr::LabelReplace(LabelReplace {
            expr: Box::new(expr),
            dst,
            replacement,
            src,
            regex,
        }))
    }

    /// `{…} [range] | pipeline [| unwrap …] [range] [offset d]`, or the same in parentheses.
    fn log_range(&mut self) -> R<LogRange> {
        if self.is_op("(") {
            // `(selector | pipeline)[5m]` or `({…}[5m])`.
            self.bump();
            if self.is_op("(") {
                // Deeper parentheses around a log range are not LogQL.
                return Err(self.unexpected());
            }
            let mut inner = self.log_range_inner(true)?;
            self.expect_op(")")?;
            if inner.range_ns == 0 && self.is_op("[") {
                inner.range_ns = self.range()?;
            }
            if inner.range_ns == 0 {
                return Err(self.unexpected());
            }
            self.offset(&mut inner)?;
            return Ok(inner);
        }
        let mut r = self.log_range_inner(false)?;
        if r.range_ns == 0 {
            return Err(self.unexpected());
        }
        self.offset(&mut r)?;
        Ok(r)
    }

    fn offset(&mut self, r: &mut LogRange) -> R<()> {
        if self.is_ident("offset") {
            self.bump();
            // Loki takes a negative offset (`offset -5m`: windows later than the step).
            let neg = self.eat_op("-");
            let d = self.duration()?;
            r.offset_ns = if neg { -d } else { d };
        }
        Ok(())
    }

    fn log_range_inner(&mut self, allow_missing_range: bool) -> R<LogRange> {
        if !self.is_op("{") {
            return Err(self.unexpected());
        }
        let (log, unwrap, range) = self.log_expr_in_range()?;
        let range_ns = match range {
            Some(r) => r,
            None if allow_missing_range => 0,
            None => return Err(self.unexpected()),
        };
        Ok(LogRange {
            log,
            unwrap,
            range_ns,
            offset_ns: 0,
        })
    }

    fn range(&mut self) -> R<i64> {
        self.expect_op("[")?;
        let d = self.duration()?;
        self.expect_op("]")?;
        Ok(d)
    }

    fn log_expr_in_range(&mut self) -> R<(LogExpr, Option<Unwrap>, Option<i64>)> {
        let selector = self.selector()?;
        let mut range = None;
        if self.is_op("[") {
            range = Some(self.range()?);
        }
        let (pipeline, unwrap) = self.pipeline(true)?;
        if range.is_none() && self.is_op("[") {
            range = Some(self.range()?);
        }
        Ok((LogExpr { selector, pipeline }, unwrap, range))
    }
}
