//! The LogQL syntax tree produced by [`super::parser::parse`].
//!
//! Shared by the log pipeline (this branch) and metric evaluation: a metric query is a tree of
//! [`MetricExpr`] whose leaves are [`RangeAggregation`]s over a [`LogRange`] (a log query plus
//! an optional `unwrap`, a range and an offset), literals and `vector(n)`. Durations are
//! nanoseconds. Parentheses leave no node behind.

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

// ---------------------------------------------------------------- metric queries

/// A metric expression.
#[derive(Debug, Clone, PartialEq)]
pub enum MetricExpr {
    /// `rate({…}[5m])`, `quantile_over_time(0.9, {…} | unwrap x [1m]) by (a)`.
    Range(RangeAggregation),
    /// `sum by (a) (…)`, `topk(3, …)`, `sort_desc(…)`.
    Vector(VectorAggregation),
    /// `lhs op rhs` with Prometheus precedence (already applied).
    Binary(BinaryExpr),
    /// A number literal (`2`, `-1.5`): a scalar.
    Literal(f64),
    /// `vector(n)`: a one-sample vector without labels at every step.
    VectorLit(f64),
    /// `label_replace(expr, "dst", "replacement", "src", "regex")`.
    LabelReplace(LabelReplace),
}

/// A range aggregation over a log range.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeAggregation {
    pub op: RangeOp,
    pub range: LogRange,
    /// The leading parameter (only `quantile_over_time`'s φ).
    pub param: Option<f64>,
    /// `by (…)` / `without (…)` (only allowed for the unwrap-based ops).
    pub grouping: Option<Grouping>,
}

/// Range aggregation functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeOp {
    CountOverTime,
    Rate,
    BytesOverTime,
    BytesRate,
    SumOverTime,
    AvgOverTime,
    MinOverTime,
    MaxOverTime,
    StddevOverTime,
    StdvarOverTime,
    QuantileOverTime,
    FirstOverTime,
    LastOverTime,
    AbsentOverTime,
    RateCounter,
}

impl RangeOp {
    /// Looks a function name up.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "count_over_time" => Self::CountOverTime,
            "rate" => Self::Rate,
            "bytes_over_time" => Self::BytesOverTime,
            "bytes_rate" => Self::BytesRate,
            "sum_over_time" => Self::SumOverTime,
            "avg_over_time" => Self::AvgOverTime,
            "min_over_time" => Self::MinOverTime,
            "max_over_time" => Self::MaxOverTime,
            "stddev_over_time" => Self::StddevOverTime,
            "stdvar_over_time" => Self::StdvarOverTime,
            "quantile_over_time" => Self::QuantileOverTime,
            "first_over_time" => Self::FirstOverTime,
            "last_over_time" => Self::LastOverTime,
            "absent_over_time" => Self::AbsentOverTime,
            "rate_counter" => Self::RateCounter,
            _ => return None,
        })
    }

    /// The function's name as written in LogQL.
    pub fn name(self) -> &'static str {
        match self {
            Self::CountOverTime => "count_over_time",
            Self::Rate => "rate",
            Self::BytesOverTime => "bytes_over_time",
            Self::BytesRate => "bytes_rate",
            Self::SumOverTime => "sum_over_time",
            Self::AvgOverTime => "avg_over_time",
            Self::MinOverTime => "min_over_time",
            Self::MaxOverTime => "max_over_time",
            Self::StddevOverTime => "stddev_over_time",
            Self::StdvarOverTime => "stdvar_over_time",
            Self::QuantileOverTime => "quantile_over_time",
            Self::FirstOverTime => "first_over_time",
            Self::LastOverTime => "last_over_time",
            Self::AbsentOverTime => "absent_over_time",
            Self::RateCounter => "rate_counter",
        }
    }

    /// Whether the op needs `| unwrap` (`rate` works both ways; counts and bytes never unwrap).
    pub fn requires_unwrap(self) -> bool {
        !matches!(
            self,
            Self::CountOverTime
                | Self::Rate
                | Self::BytesOverTime
                | Self::BytesRate
                | Self::AbsentOverTime
        )
    }

    /// Whether the op may be used with `| unwrap`.
    pub fn allows_unwrap(self) -> bool {
        !matches!(
            self,
            Self::CountOverTime | Self::BytesOverTime | Self::BytesRate
        )
    }

    /// Whether `by`/`without` may follow the op (only with unwrap; Loki's documentation also
    /// excludes `sum_over_time`, which is accepted here).
    pub fn allows_grouping(self) -> bool {
        // Loki 65e30f8: "grouping not allowed for sum_over_time aggregation".
        matches!(
            self,
            Self::AvgOverTime
                | Self::MinOverTime
                | Self::MaxOverTime
                | Self::StddevOverTime
                | Self::StdvarOverTime
                | Self::QuantileOverTime
                | Self::FirstOverTime
                | Self::LastOverTime
        )
    }
}

/// The log side of a range aggregation: `{…} | pipeline | unwrap x | filters [5m] offset 1h`.
#[derive(Debug, Clone, PartialEq)]
pub struct LogRange {
    /// Selector and pipeline (stages before `unwrap`).
    pub log: LogExpr,
    pub unwrap: Option<Unwrap>,
    /// The window length, ns.
    pub range_ns: i64,
    /// `offset`, ns (0 when absent).
    pub offset_ns: i64,
}

/// `| unwrap [conv(]label[)]` and the label filters that follow it.
#[derive(Debug, Clone, PartialEq)]
pub struct Unwrap {
    pub label: String,
    pub conversion: Conversion,
    /// Label filters after unwrap (typically `| __error__=""`), applied after conversion.
    pub post_filters: Vec<LabelFilter>,
}

/// How an unwrapped label's text becomes a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// A float (Go `strconv.ParseFloat`).
    Float,
    /// `duration()` / `duration_seconds()`: a Go duration, in seconds.
    Duration,
    /// `bytes()`: a humanized byte size, in bytes.
    Bytes,
}

/// `by (a, b)` (or `without`).
#[derive(Debug, Clone, PartialEq)]
pub struct Grouping {
    pub without: bool,
    pub labels: Vec<String>,
}

/// A vector aggregation.
#[derive(Debug, Clone, PartialEq)]
pub struct VectorAggregation {
    pub op: VectorOp,
    pub expr: Box<MetricExpr>,
    /// `k` of `topk`/`bottomk`.
    pub param: Option<f64>,
    pub grouping: Option<Grouping>,
}

/// Vector aggregation functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VectorOp {
    Sum,
    Avg,
    Min,
    Max,
    Count,
    Stddev,
    Stdvar,
    Topk,
    Bottomk,
    Sort,
    SortDesc,
}

impl VectorOp {
    /// Looks a function name up.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "sum" => Self::Sum,
            "avg" => Self::Avg,
            "min" => Self::Min,
            "max" => Self::Max,
            "count" => Self::Count,
            "stddev" => Self::Stddev,
            "stdvar" => Self::Stdvar,
            "topk" => Self::Topk,
            "bottomk" => Self::Bottomk,
            "sort" => Self::Sort,
            "sort_desc" => Self::SortDesc,
            _ => return None,
        })
    }

    /// The function's name as written in LogQL.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sum => "sum",
            Self::Avg => "avg",
            Self::Min => "min",
            Self::Max => "max",
            Self::Count => "count",
            Self::Stddev => "stddev",
            Self::Stdvar => "stdvar",
            Self::Topk => "topk",
            Self::Bottomk => "bottomk",
            Self::Sort => "sort",
            Self::SortDesc => "sort_desc",
        }
    }
}

/// A binary operation.
#[derive(Debug, Clone, PartialEq)]
pub struct BinaryExpr {
    pub op: BinOp,
    pub lhs: Box<MetricExpr>,
    pub rhs: Box<MetricExpr>,
    /// `bool` after a comparison: return 0/1 instead of filtering.
    pub return_bool: bool,
    /// `on(…)` / `ignoring(…)`.
    pub matching: Option<VectorMatching>,
    /// `group_left(…)` / `group_right(…)`.
    pub group: Option<GroupModifier>,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Eq,
    Neq,
    Gt,
    Gte,
    Lt,
    Lte,
    And,
    Or,
    Unless,
}

impl BinOp {
    /// Prometheus precedence: higher binds tighter.
    pub fn precedence(self) -> u8 {
        match self {
            BinOp::Or => 1,
            BinOp::And | BinOp::Unless => 2,
            BinOp::Eq | BinOp::Neq | BinOp::Gt | BinOp::Gte | BinOp::Lt | BinOp::Lte => 3,
            BinOp::Add | BinOp::Sub => 4,
            BinOp::Mul | BinOp::Div | BinOp::Mod => 5,
            BinOp::Pow => 6,
        }
    }

    /// Whether this is a comparison (filters unless `bool`).
    pub fn is_comparison(self) -> bool {
        self.precedence() == 3
    }

    /// Every operator.
    pub const ALL: [BinOp; 15] = [
        BinOp::Add,
        BinOp::Sub,
        BinOp::Mul,
        BinOp::Div,
        BinOp::Mod,
        BinOp::Pow,
        BinOp::Eq,
        BinOp::Neq,
        BinOp::Gt,
        BinOp::Gte,
        BinOp::Lt,
        BinOp::Lte,
        BinOp::And,
        BinOp::Or,
        BinOp::Unless,
    ];

    /// The operator written `s` (`+`, `>=`, `unless`, …).
    pub fn from_symbol(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.name() == s)
    }

    /// The operator as written in LogQL.
    pub fn name(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Pow => "^",
            BinOp::Eq => "==",
            BinOp::Neq => "!=",
            BinOp::Gt => ">",
            BinOp::Gte => ">=",
            BinOp::Lt => "<",
            BinOp::Lte => "<=",
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::Unless => "unless",
        }
    }

    /// Whether this is a set operator (`and`, `or`, `unless`).
    pub fn is_set(self) -> bool {
        matches!(self, BinOp::And | BinOp::Or | BinOp::Unless)
    }
}

/// `on(labels)` (`on = true`) or `ignoring(labels)`.
#[derive(Debug, Clone, PartialEq)]
pub struct VectorMatching {
    pub on: bool,
    pub labels: Vec<String>,
}

/// `group_left(labels)` (`left = true`) or `group_right(labels)`.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupModifier {
    pub left: bool,
    pub labels: Vec<String>,
}

/// `label_replace(expr, dst, replacement, src, regex)`.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelReplace {
    pub expr: Box<MetricExpr>,
    pub dst: String,
    pub replacement: String,
    pub src: String,
    /// Anchored RE2 regex (already validated by the parser).
    pub regex: String,
}

impl MetricExpr {
    /// Every log range in the expression, left to right (for scanners and lookback).
    pub fn log_ranges(&self) -> Vec<&LogRange> {
        let mut out = Vec::new();
        self.collect_ranges(&mut out);
        out
    }

    fn collect_ranges<'a>(&'a self, out: &mut Vec<&'a LogRange>) {
        match self {
            MetricExpr::Range(r) => out.push(&r.range),
            MetricExpr::Vector(v) => v.expr.collect_ranges(out),
            MetricExpr::Binary(b) => {
                b.lhs.collect_ranges(out);
                b.rhs.collect_ranges(out);
            }
            MetricExpr::LabelReplace(l) => l.expr.collect_ranges(out),
            MetricExpr::Literal(_) | MetricExpr::VectorLit(_) => {}
        }
    }
}
