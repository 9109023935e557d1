//! Recursive-descent LogQL parser producing [`ast::Expr`], with Loki's error wording
//! (`parse error at line 1, col 30: syntax error: unexpected )`).

use super::LogqlError;
use super::ast::*;
use super::lexer::{Spanned, Tok, lex, syntax_error};
use super::validate;

/// Parses a LogQL query (log or metric) and validates it the way Loki does before running it.
pub fn parse(query: &str) -> Result<Expr, LogqlError> {
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
}

/// Deepest nesting accepted.
const MAX_DEPTH: usize = 64;

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
        matches!(self.peek(), Tok::Ident(s) if s == name)
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
            self.bump();
            let mut return_bool = false;
            if self.is_ident("bool") {
                self.bump();
                return_bool = true;
            }
            let mut matching = None;
            if self.is_ident("on") || self.is_ident("ignoring") {
                let on = self.ident()? == "on";
                let labels = self.label_list()?;
                matching = Some(VectorMatching { on, labels });
            }
            let mut group = None;
            if self.is_ident("group_left") || self.is_ident("group_right") {
                let left = self.ident()? == "group_left";
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
            Tok::Ident(s) if s == "and" => BinOp::And,
            Tok::Ident(s) if s == "or" => BinOp::Or,
            Tok::Ident(s) if s == "unless" => BinOp::Unless,
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
                let next_is_call = matches!(self.peek_at(1), Tok::Op("("))
                    || matches!(self.peek_at(1), Tok::Ident(s) if s == "by" || s == "without");
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
            let without = self.ident()? == "without";
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

    fn range_agg(&mut self, op: RangeOp) -> R<MetricExpr> {
        self.bump();
        let mut grouping = self.grouping()?;
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

    fn vector_agg(&mut self, op: VectorOp) -> R<MetricExpr> {
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

    fn label_replace(&mut self) -> R<MetricExpr> {
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
            r.offset_ns = self.duration()?;
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

    // ------------------------------------------------------------ pipeline

    fn pipeline(&mut self, in_range: bool) -> R<(Vec<Stage>, Option<Unwrap>)> {
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
            Tok::Ident(s) if s == "ip" => {
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
        // A keyword followed by a comparison operator is a label filter on a label of that name.
        let next_is_cmp = matches!(
            self.peek_at(1),
            Tok::Op("=" | "!=" | "=~" | "!~" | "==" | ">" | ">=" | "<" | "<=")
        );
        if !next_is_cmp || name == "json" || name == "logfmt" {
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
                    return Ok(Stage::Parser(ParserStage::Regexp(self.string()?)));
                }
                "pattern" => {
                    self.bump();
                    return Ok(Stage::Parser(ParserStage::Pattern(self.string()?)));
                }
                "unpack" => {
                    self.bump();
                    return Ok(Stage::Parser(ParserStage::Unpack));
                }
                "line_format" => {
                    self.bump();
                    return Ok(Stage::LineFormat(self.string()?));
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
            let conversion = match first.as_str() {
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

    fn label_filter_or(&mut self) -> R<LabelFilter> {
        let mut lhs = self.label_filter_and()?;
        while self.is_ident("or") {
            self.bump();
            let rhs = self.label_filter_and()?;
            lhs = LabelFilter::Or(Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn label_filter_and(&mut self) -> R<LabelFilter> {
        let mut lhs = self.label_filter_atom()?;
        loop {
            if self.is_ident("and") || self.is_op(",") {
                self.bump();
            } else if self.is_op("(")
                || (matches!(self.peek(), Tok::Ident(s) if s != "or" && s != "offset")
                    && matches!(
                        self.peek_at(1),
                        Tok::Op("=" | "!=" | "=~" | "!~" | "==" | ">" | ">=" | "<" | "<=")
                    ))
            {
                // `a="x" b="y"`: a space means `and`.
            } else {
                return Ok(lhs);
            }
            let rhs = self.label_filter_atom()?;
            lhs = LabelFilter::And(Box::new(lhs), Box::new(rhs));
        }
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
            Tok::Ident(s) if s == "ip" && !neg && matches!(cmp, CmpOp::Eq | CmpOp::Neq) => {
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

#[cfg(test)]
#[path = "parser_tests.rs"]
mod tests;
