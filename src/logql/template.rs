//! Go `text/template`, the subset Loki's `line_format` and `label_format` accept.
//!
//! CONTRACT (used by the LogQL pipeline): `Template::parse` and `Template::render` keep these
//! signatures. Placeholder until the template engine lands.

use super::LogqlError;

/// A parsed template.
#[derive(Debug, Clone)]
pub struct Template {
    _private: (),
}

/// What a template can see while rendering one entry.
pub trait TemplateContext {
    /// A label's value (`{{.name}}`); `None` renders as the empty string.
    fn label(&self, name: &str) -> Option<&str>;
    /// The current line (`{{ __line__ }}`).
    fn line(&self) -> &str;
    /// The entry's timestamp, ns (`{{ __timestamp__ }}`).
    fn timestamp_ns(&self) -> i64;
}

impl Template {
    pub fn parse(text: &str) -> Result<Self, LogqlError> {
        let _ = text;
        Err(LogqlError::msg("templates not built yet"))
    }

    pub fn render(&self, ctx: &dyn TemplateContext) -> Result<String, LogqlError> {
        let _ = ctx;
        Err(LogqlError::msg("templates not built yet"))
    }
}
