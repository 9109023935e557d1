//! The compiled log pipeline: line filters, parsers, label filters and formats, run in query
//! order on one entry at a time.
//!
//! Speed: line filters that come before anything rewriting the line are exposed as a
//! prefilter (run on raw lines, before labels are derived). Parsers first run restricted to the
//! labels that later filters read (often none: `| json | level="error"` tests the stream label,
//! since the JSON `level` becomes `level_extracted`); only entries that survive are run again in
//! full to produce their labels.

pub mod decolorize;
pub mod format;
pub mod ip;
pub mod json;
pub mod label_filter;
pub mod line_filter;
pub mod logfmt;
pub mod parsers;
pub mod pattern;
pub mod work;

use std::borrow::Cow;

use self::format::{DropKeep, LabelFormat, LineFormat};
use self::label_filter::CompiledLabelFilter;
use self::line_filter::CompiledLineFilter;
use self::parsers::CompiledParser;
use self::work::{ERROR, ERROR_DETAILS, Work};
use super::LogqlError;
use super::ast::Stage;
use crate::model::LogEntry;

#[derive(Debug, Clone)]
enum CStage {
    Line(CompiledLineFilter),
    Parser(CompiledParser),
    Filter(CompiledLabelFilter),
    LineFormat(LineFormat),
    LabelFormat(LabelFormat),
    DropKeep(DropKeep),
    Decolorize,
}

/// A compiled pipeline (the stages after the stream selector).
#[derive(Debug, Clone)]
pub struct Pipeline {
    stages: Vec<CStage>,
    /// For each stage, how many of `needed_names` later label filters read (`None`: anything
    /// may be read). Walking back from the end the list only grows, so every stage's set is a
    /// prefix of one list: linear in the number of stages, not quadratic.
    needed: Vec<Option<usize>>,
    needed_names: Vec<String>,
    /// How many leading stages are line filters or label-only stages that do not rewrite the
    /// line: every line filter among them can run on the raw line.
    hoisted: Vec<usize>,
    /// Parsers that no later stage reads are skipped (a label-less metric, see
    /// [`Pipeline::skip_unused_parsers`]).
    skip_unused: bool,
    /// Stages not run: `line_format`s whose line nothing reads (see
    /// [`Pipeline::skip_unread_line_formats`]).
    skipped: Vec<bool>,
    /// For each stage, whether a later stage reads the line.
    line_read_after: Vec<bool>,
    /// What a restricted run materialises: the names read after the pipeline (see
    /// [`Pipeline::read_after`]), then `needed_names`; stage `i` wants the first
    /// `after + needed[i]`.
    want_names: Vec<String>,
    after: usize,
}

/// [`Pipeline::needed`] and its names, for the stages not skipped.
fn needed_labels(stages: &[CStage], skipped: &[bool]) -> (Vec<Option<usize>>, Vec<String>) {
    let mut needed = vec![None; stages.len()];
    let mut needed_names = Vec::new();
    let mut open = true;
    for (i, s) in stages.iter().enumerate().rev() {
        needed[i] = open.then_some(needed_names.len());
        match s {
            _ if skipped[i] => {}
            CStage::Filter(f) => {
                if open {
                    f.names(&mut needed_names);
                }
            }
            CStage::LineFormat(_) | CStage::LabelFormat(_) | CStage::DropKeep(_) => {
                open = false;
            }
            CStage::Line(_) | CStage::Parser(_) | CStage::Decolorize => {}
        }
    }
    (needed, needed_names)
}

impl Pipeline {
    pub fn compile(stages: &[Stage]) -> Result<Self, LogqlError> {
        let mut out = Vec::with_capacity(stages.len());
        for (i, s) in stages.iter().enumerate() {
            // A parser right after the same parser reads the same line and writes the same
            // labels again (`| json | json`): run it once, so a query repeating a stage
            // thousands of times costs one stage per entry. `unpack` rewrites the line: kept.
            if let (Stage::Parser(p), Some(Stage::Parser(prev))) =
                (s, i.checked_sub(1).map(|j| &stages[j]))
                && p == prev
                && !matches!(p, super::ast::ParserStage::Unpack)
            {
                continue;
            }
            out.push(match s {
                Stage::LineFilter(f) => CStage::Line(CompiledLineFilter::compile(f)?),
                Stage::Parser(p) => CStage::Parser(CompiledParser::compile(p)?),
                Stage::LabelFilter(f) => CStage::Filter(CompiledLabelFilter::compile(f)?),
                Stage::LineFormat(t) => CStage::LineFormat(LineFormat::compile(t)?),
                Stage::LabelFormat(items) => CStage::LabelFormat(LabelFormat::compile(items)?),
                Stage::Drop(items) => CStage::DropKeep(DropKeep::compile(items, false)?),
                Stage::Keep(items) => CStage::DropKeep(DropKeep::compile(items, true)?),
                Stage::Decolorize => CStage::Decolorize,
            });
        }
        let skipped = vec![false; out.len()];
        let (needed, needed_names) = needed_labels(&out, &skipped);
        let mut line_read_after = vec![false; out.len()];
        for i in (0..out.len().saturating_sub(1)).rev() {
            line_read_after[i] = line_read_after[i + 1]
                || matches!(
                    out[i + 1],
                    CStage::Line(_)
                        | CStage::Parser(_)
                        | CStage::LineFormat(_)
                        | CStage::LabelFormat(_)
                        | CStage::Decolorize
                );
        }
        let mut hoisted = Vec::new();
        for (i, s) in out.iter().enumerate() {
            match s {
                CStage::Line(_) => hoisted.push(i),
                CStage::LineFormat(_) | CStage::Decolorize => break,
                CStage::Parser(p) if p.changes_line() => break,
                _ => {}
            }
        }
        Ok(Self {
            stages: out,
            want_names: needed_names.clone(),
            needed,
            needed_names,
            hoisted,
            skip_unused: false,
            skipped,
            line_read_after,
            after: 0,
        })
    }

    /// Declares the only labels read after the pipeline (a metric grouped `by (…)` reads those,
    /// the unwrapped one and `__error__`): then [`Pipeline::run_narrow`] materialises just
    /// these and what later filters read, instead of every label a parser finds. Which
    /// parsers run (and so which errors are set) does not change.
    pub fn read_after(&mut self, names: &[String]) {
        let mut after: Vec<String> = Vec::new();
        for n in names {
            if !after.contains(n) {
                after.push(n.clone());
            }
        }
        self.after = after.len();
        after.extend(self.needed_names.iter().cloned());
        self.want_names = after;
    }

    /// Loki does not run a parser whose labels nothing uses when the query keeps no labels
    /// (`sum(count_over_time({…} | json [1h]))`, also `| unpack` when nothing reads the line
    /// after it): such a parser sets no `__error__` either.
    pub fn skip_unused_parsers(&mut self) {
        self.skip_unused = true;
    }

    /// Whether a label filter reads `__error__`.
    pub fn filters_error(&self) -> bool {
        let mut names = Vec::new();
        for s in &self.stages {
            if let CStage::Filter(f) = s {
                f.names(&mut names);
            }
        }
        names.iter().any(|n| n == ERROR)
    }

    /// Loki 65e30f8 does not run a `line_format` whose line no later stage reads when only
    /// lines are counted (`count_over_time`, `rate`): `count_over_time({…} | line_format
    /// "{{ div 1 0 }}" [1h])` counts every line and fails on none.
    pub fn skip_unread_line_formats(&mut self) {
        for (i, s) in self.stages.iter().enumerate() {
            self.skipped[i] = matches!(s, CStage::LineFormat(_)) && !self.line_read_after[i];
        }
        (self.needed, self.needed_names) = needed_labels(&self.stages, &self.skipped);
        let after: Vec<String> = self.want_names[..self.after].to_vec();
        self.read_after(&after);
    }

    /// The line filters that can run on the raw line: `false` means the entry is dropped.
    #[inline]
    pub fn prefilter(&self, line: &str) -> bool {
        self.hoisted.iter().all(|&i| match &self.stages[i] {
            CStage::Line(f) => f.passes(line),
            _ => true,
        })
    }

    /// Whether a label filter drops every entry of a stream whatever its line says: `entry`
    /// holds the stream labels and metadata (its line is not read). Only filters reading stream
    /// labels count (parsers never write those names: they write `<name>_extracted`), and only
    /// before a stage that can rename or remove labels. Lets a scanner reject a stream once
    /// instead of running the pipeline on each of its lines.
    pub fn rejects_stream(&self, entry: &LogEntry) -> bool {
        let mut names = Vec::new();
        for s in &self.stages {
            match s {
                CStage::Line(_) | CStage::Parser(_) | CStage::Decolorize => {}
                CStage::Filter(f) => {
                    names.clear();
                    f.names(&mut names);
                    let stream_only = names
                        .iter()
                        .all(|n| n != ERROR && n != ERROR_DETAILS && entry.labels.contains_key(n));
                    if stream_only && !f.eval(&mut Work::new(entry)) {
                        return true;
                    }
                }
                CStage::LineFormat(_) | CStage::LabelFormat(_) | CStage::DropKeep(_) => break,
            }
        }
        false
    }

    /// The value the stream label `name` must have for any line of a stream to be kept: a
    /// `name="value"` label filter (alone or in an `and`) before any stage that can rename or
    /// remove labels (parsers never write a stream label's name, as for
    /// [`Pipeline::rejects_stream`]). Lets a scanner skip lines whose label cannot have it.
    pub fn required_stream_value(&self, name: &str) -> Option<&str> {
        for s in &self.stages {
            match s {
                CStage::Line(_) | CStage::Parser(_) | CStage::Decolorize => {}
                CStage::Filter(f) => {
                    if let Some(v) = f.required_eq(name) {
                        return Some(v);
                    }
                }
                CStage::LineFormat(_) | CStage::LabelFormat(_) | CStage::DropKeep(_) => break,
            }
        }
        None
    }

    /// A literal every kept line contains: the first line filter that runs on the raw line,
    /// when it is a single `|=` (or literal `|~`). Lets a scanner search a whole block at once.
    pub fn required_literal(&self) -> Option<&[u8]> {
        let first = *self.hoisted.first()?;
        match &self.stages[first] {
            CStage::Line(f) => f.required_literal(),
            _ => None,
        }
    }

    /// Runs the pipeline; `None` when the entry is dropped. The result holds every label.
    pub fn run<'e>(&self, entry: &'e LogEntry) -> Option<Work<'e>> {
        let w = self.run_mode(entry, true)?;
        if w.partial {
            self.run_mode(entry, false)
        } else {
            Some(w)
        }
    }

    /// Runs the pipeline once, materialising only the labels later stages read and those
    /// declared by [`Pipeline::read_after`] (every label where a stage may read any: before a
    /// `line_format`, `label_format`, `drop` or `keep`). `None` when the entry is dropped.
    pub fn run_narrow<'e>(&self, entry: &'e LogEntry) -> Option<Work<'e>> {
        self.run_mode(entry, true)
    }

    /// Runs the pipeline computing every label at every stage.
    pub fn run_full<'e>(&self, entry: &'e LogEntry) -> Option<Work<'e>> {
        self.run_mode(entry, false)
    }

    fn run_mode<'e>(&self, entry: &'e LogEntry, restricted: bool) -> Option<Work<'e>> {
        let mut w = Work::new(entry);
        for (i, s) in self.stages.iter().enumerate() {
            match s {
                CStage::Line(f) => {
                    if !f.passes(&w.line) {
                        return None;
                    }
                }
                _ if self.skipped[i] => {}
                CStage::Parser(p)
                    if self.skip_unused
                        && (!p.changes_line() || !self.line_read_after[i])
                        && self.needed[i] == Some(0) => {}
                CStage::Parser(p) => {
                    let want = if restricted {
                        self.needed[i].map(|n| &self.want_names[..self.after + n])
                    } else {
                        None
                    };
                    if let Some(names) = want {
                        w.partial = true;
                        // The error names first: they end the test without a map lookup.
                        let skip = !names.iter().any(|n| n == ERROR || n == ERROR_DETAILS)
                            && names.iter().all(|n| entry.labels.contains_key(n));
                        if skip {
                            continue;
                        }
                    }
                    p.run(&mut w, want);
                }
                CStage::Filter(f) => {
                    if !f.eval(&mut w) {
                        return None;
                    }
                }
                CStage::LineFormat(f) => f.run(&mut w),
                CStage::LabelFormat(f) => f.run(&mut w),
                CStage::DropKeep(f) => f.run(&mut w),
                CStage::Decolorize => {
                    if let Cow::Owned(s) = decolorize::decolorize(&w.line) {
                        w.line = Cow::Owned(s);
                    }
                }
            }
        }
        Some(w)
    }
}
