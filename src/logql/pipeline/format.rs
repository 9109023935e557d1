//! `line_format`, `label_format`, `drop` and `keep`.

use std::borrow::Cow;

use super::label_filter::CompiledMatcher;
use super::work::{ERROR, ERROR_DETAILS, Snapshot, Work};
use crate::logql::LogqlError;
use crate::logql::ast::{LabelFmt, LabelSel};
use crate::logql::template::Template;

/// Error kind recorded when a template fails while rendering.
pub const TEMPLATE_FORMAT_ERR: &str = "TemplateFormatErr";

fn template(text: &str) -> Result<Template, LogqlError> {
    Template::parse(text)
}

/// `| line_format "…"`.
#[derive(Debug, Clone)]
pub struct LineFormat(Template);

impl LineFormat {
    pub fn compile(text: &str) -> Result<Self, LogqlError> {
        template(text).map(Self)
    }

    pub fn run(&self, w: &mut Work<'_>) {
        match self.0.render(w) {
            Ok(line) => w.line = Cow::Owned(line),
            Err(e) => w.replace_error(TEMPLATE_FORMAT_ERR, e.message),
        }
    }
}

#[derive(Debug, Clone)]
enum Item {
    Rename { dst: String, src: String },
    Template { dst: String, t: Template },
}

/// `| label_format a=b, c="{{…}}"`.
#[derive(Debug, Clone)]
pub struct LabelFormat(Vec<Item>);

impl LabelFormat {
    pub fn compile(items: &[LabelFmt]) -> Result<Self, LogqlError> {
        items
            .iter()
            .map(|i| {
                Ok(match i {
                    LabelFmt::Rename { dst, src } => Item::Rename {
                        dst: dst.clone(),
                        src: src.clone(),
                    },
                    LabelFmt::Template { dst, template: t } => Item::Template {
                        dst: dst.clone(),
                        t: template(t)?,
                    },
                })
            })
            .collect::<Result<_, LogqlError>>()
            .map(Self)
    }

    pub fn run(&self, w: &mut Work<'_>) {
        let has_templates = self.0.iter().any(|i| matches!(i, Item::Template { .. }));
        let snapshot = has_templates.then(|| Snapshot {
            labels: w.all(),
            line: "",
            ts: w.entry.ts,
        });
        // Render first (every template sees the labels as they were), then apply in order.
        let mut rendered = Vec::with_capacity(self.0.len());
        if let Some(mut snap) = snapshot {
            let line = w.line.to_string();
            snap.line = &line;
            for item in &self.0 {
                rendered.push(match item {
                    Item::Template { t, .. } => Some(t.render(&snap)),
                    Item::Rename { .. } => None,
                });
            }
        }
        for (i, item) in self.0.iter().enumerate() {
            match item {
                Item::Rename { dst, src } => {
                    if let Some(v) = w.get(src).map(str::to_string) {
                        w.delete(src);
                        w.set(dst, v);
                    }
                }
                Item::Template { dst, .. } => match rendered.get_mut(i).and_then(Option::take) {
                    Some(Ok(v)) => w.set(dst, v),
                    Some(Err(e)) => w.replace_error(TEMPLATE_FORMAT_ERR, e.message),
                    None => {}
                },
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Sel {
    Name(String),
    Matcher(CompiledMatcher),
}

impl Sel {
    fn compile(s: &LabelSel) -> Result<Self, LogqlError> {
        Ok(match s {
            LabelSel::Name(n) => Self::Name(n.clone()),
            LabelSel::Matcher(m) => Self::Matcher(CompiledMatcher::compile(m)?),
        })
    }

    fn name(&self) -> &str {
        match self {
            Self::Name(n) => n,
            Self::Matcher(m) => &m.name,
        }
    }

    /// Whether this item selects the label `name` with value `v`.
    fn selects(&self, name: &str, v: &str) -> bool {
        match self {
            Self::Name(n) => n == name,
            Self::Matcher(m) => m.name == name && m.matches(Some(v)),
        }
    }
}

/// `| drop …` (`keep: false`) or `| keep …`.
#[derive(Debug, Clone)]
pub struct DropKeep {
    keep: bool,
    items: Vec<Sel>,
}

impl DropKeep {
    pub fn compile(items: &[LabelSel], keep: bool) -> Result<Self, LogqlError> {
        Ok(Self {
            keep,
            items: items.iter().map(Sel::compile).collect::<Result<_, _>>()?,
        })
    }

    pub fn run(&self, w: &mut Work<'_>) {
        if self.keep {
            let all = w.all();
            for (k, v) in &all {
                // Loki's `keep` never removes the error labels.
                if k == ERROR || k == ERROR_DETAILS {
                    continue;
                }
                if !self.items.iter().any(|s| s.selects(k, v)) {
                    w.delete(k);
                }
            }
        } else {
            for s in &self.items {
                let Some(v) = w.get(s.name()).map(str::to_string) else {
                    continue;
                };
                if s.selects(s.name(), &v) {
                    w.delete(s.name());
                }
            }
        }
    }
}
