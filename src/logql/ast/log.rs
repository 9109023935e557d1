//! Log-query nodes: selectors, line filters, parser and label stages.

use super::MetricExpr;

/// A whole query: either a log query or a metric query.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Log(LogExpr),
    Metric(MetricExpr),
}

/// A log query: a stream selector and its pipeline, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct LogExpr {
    pub selector: Vec<Matcher>,
    pub pipeline: Vec<Stage>,
}

/// A label matcher (`name op "value"`), used by selectors, label filters and drop/keep.
#[derive(Debug, Clone, PartialEq)]
pub struct Matcher {
    pub name: String,
    pub op: MatchOp,
    pub value: String,
}

/// `=`, `!=`, `=~`, `!~`. Regexes are anchored (whole value) and use RE2 syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchOp {
    Eq,
    Neq,
    Re,
    Nre,
}

/// One pipeline stage, in query order.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    /// `|= "a" or "b"`, `!~ "re"`, `|> "<_>x"`, … (an OR of values; negated ops: none may match).
    LineFilter(LineFilter),
    /// `| json`, `| logfmt`, `| regexp`, `| pattern`, `| unpack`.
    Parser(ParserStage),
    /// `| status >= 500 and level="error"`.
    LabelFilter(LabelFilter),
    /// `| line_format "{{.event}}"` (Go text/template source).
    LineFormat(String),
    /// `| label_format a=b, c="{{.x}}"`.
    LabelFormat(Vec<LabelFmt>),
    /// `| drop a, b="v"`: removes labels (a matcher removes the label only when it matches).
    Drop(Vec<LabelSel>),
    /// `| keep a, b="v"`: removes every other label.
    Keep(Vec<LabelSel>),
    /// `| decolorize`: strips ANSI escape sequences from the line.
    Decolorize,
}

/// A line filter: one operator applied to an OR-chain of values.
#[derive(Debug, Clone, PartialEq)]
pub struct LineFilter {
    pub op: LineFilterOp,
    pub values: Vec<LineFilterValue>,
}

/// Line filter operators. Regex filters are unanchored; pattern filters use `<_>` wildcards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineFilterOp {
    /// `|=`
    Contains,
    /// `!=`
    NotContains,
    /// `|~`
    Regex,
    /// `!~`
    NotRegex,
    /// `|>`
    Pattern,
    /// `!>`
    NotPattern,
}

/// A line filter operand.
#[derive(Debug, Clone, PartialEq)]
pub enum LineFilterValue {
    Str(String),
    /// `ip("10.0.0.0/8")`: the line contains an address in this range/CIDR/address.
    Ip(String),
}

/// A parser stage.
#[derive(Debug, Clone, PartialEq)]
pub enum ParserStage {
    /// `| json` (all keys, flattened) or `| json a="b.c", d` (only these).
    Json(Vec<Extraction>),
    /// `| logfmt [--strict] [--keep-empty] [extractions]`.
    Logfmt {
        strict: bool,
        keep_empty: bool,
        extractions: Vec<Extraction>,
    },
    /// `| regexp "(?P<name>…)"`.
    Regexp(String),
    /// `| pattern "<ip> - <_> <status>"`.
    Pattern(String),
    /// `| unpack`: JSON whose `_entry` key replaces the line.
    Unpack,
}

/// `label="path"` (or just `label`, meaning the path is the label's own name).
#[derive(Debug, Clone, PartialEq)]
pub struct Extraction {
    pub label: String,
    /// JSON path (`a.b`, `a[0]`, `["x y"]`) or logfmt key.
    pub path: String,
}

/// A label filter expression.
#[derive(Debug, Clone, PartialEq)]
pub enum LabelFilter {
    /// String or regex comparison (`level="error"`, `path=~"/v1/.*"`).
    Matcher(Matcher),
    /// Numeric comparison (`status >= 500`); a missing label drops the line.
    Number { name: String, op: CmpOp, value: f64 },
    /// Duration comparison (`latency > 5s`); the label is parsed as a Go duration. `value` ns.
    Duration { name: String, op: CmpOp, value: i64 },
    /// Byte-size comparison (`size > 20MB`); `value` in bytes.
    Bytes { name: String, op: CmpOp, value: f64 },
    /// `addr = ip("10.0.0.0/8")` or `!=`.
    Ip {
        name: String,
        negated: bool,
        pattern: String,
    },
    /// `a and b`, `a, b`, `a b`.
    And(Box<LabelFilter>, Box<LabelFilter>),
    /// `a or b`.
    Or(Box<LabelFilter>, Box<LabelFilter>),
}

/// Numeric comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Neq,
    Gt,
    Gte,
    Lt,
    Lte,
}

impl CmpOp {
    /// Applies the comparison.
    pub fn test(self, a: f64, b: f64) -> bool {
        match self {
            CmpOp::Eq => a == b,
            CmpOp::Neq => a != b,
            CmpOp::Gt => a > b,
            CmpOp::Gte => a >= b,
            CmpOp::Lt => a < b,
            CmpOp::Lte => a <= b,
        }
    }
}

/// One `label_format` item.
#[derive(Debug, Clone, PartialEq)]
pub enum LabelFmt {
    /// `dst=src`: renames `src` to `dst` (`src` disappears).
    Rename { dst: String, src: String },
    /// `dst="{{.x}}"`: sets `dst` to the rendered template.
    Template { dst: String, template: String },
}

impl LabelFmt {
    /// The label this item sets.
    pub fn dst(&self) -> &str {
        match self {
            LabelFmt::Rename { dst, .. } | LabelFmt::Template { dst, .. } => dst,
        }
    }
}

/// A `drop`/`keep` item: a bare name, or a matcher that must also match the value.
#[derive(Debug, Clone, PartialEq)]
pub enum LabelSel {
    Name(String),
    Matcher(Matcher),
}

impl LabelSel {
    /// The label name this item refers to.
    pub fn name(&self) -> &str {
        match self {
            LabelSel::Name(n) => n,
            LabelSel::Matcher(m) => &m.name,
        }
    }
}
