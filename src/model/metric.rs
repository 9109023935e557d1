use super::Labels;

/// One sample of a metric series. Loki evaluates metrics at millisecond precision.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Milliseconds since the Unix epoch.
    pub t_ms: i64,
    pub v: f64,
}

/// A series of a range (matrix) result.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub metric: Labels,
    pub points: Vec<Point>,
}

/// One element of an instant (vector) result.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub metric: Labels,
    pub point: Point,
}

/// The result of a metric query, in Loki's three shapes.
#[derive(Debug, Clone, PartialEq)]
pub enum MetricResult {
    Matrix(Vec<Series>),
    Vector(Vec<Sample>),
    Scalar(Point),
}

impl MetricResult {
    /// No series (a scalar is never empty): what the CLI reports on stderr with a hint.
    pub fn is_empty(&self) -> bool {
        match self {
            MetricResult::Matrix(s) => s.iter().all(|s| s.points.is_empty()),
            MetricResult::Vector(v) => v.is_empty(),
            MetricResult::Scalar(_) => false,
        }
    }
}
