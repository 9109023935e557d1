//! Running the parser stages (`json`, `logfmt`, `regexp`, `pattern`, `unpack`) on an entry.

use regex::Regex;
use std::borrow::Cow;

use super::json::{self, JSON_ERROR_DETAILS, PathSeg};
use super::logfmt;
use super::pattern::Pattern;
use super::work::Work;
use crate::logql::LogqlError;
use crate::logql::ast::{Extraction, ParserStage};
use crate::logql::regex_go;

/// Error kinds Loki records.
pub const JSON_PARSER_ERR: &str = "JSONParserErr";
pub const LOGFMT_PARSER_ERR: &str = "LogfmtParserErr";
/// Loki's `unpack` details for a line that is not a JSON object.
const UNPACK_NOT_OBJECT: &str = "expecting json object(6), but it is not";

/// A compiled parser stage.
#[derive(Debug, Clone)]
pub enum CompiledParser {
    Json,
    JsonPaths(Vec<(String, Vec<PathSeg>)>),
    Logfmt {
        strict: bool,
        keep_empty: bool,
        /// `(label, key)`; empty = every key.
        extractions: Vec<(String, String)>,
    },
    Regexp(Regex, Vec<String>),
    Pattern(Pattern),
    Unpack,
}

impl CompiledParser {
    pub fn compile(p: &ParserStage) -> Result<Self, LogqlError> {
        let err = |e: String| LogqlError::msg(format!("parse error : {e}"));
        Ok(match p {
            ParserStage::Json(ex) if ex.is_empty() => Self::Json,
            ParserStage::Json(ex) => Self::JsonPaths(
                ex.iter()
                    .map(|Extraction { label, path }| {
                        json::parse_path(path).map(|p| (label.clone(), p))
                    })
                    .collect::<Result<_, _>>()
                    .map_err(err)?,
            ),
            ParserStage::Logfmt {
                strict,
                keep_empty,
                extractions,
            } => Self::Logfmt {
                strict: *strict,
                keep_empty: *keep_empty,
                extractions: extractions
                    .iter()
                    .map(|e| (e.label.clone(), e.path.clone()))
                    .collect(),
            },
            ParserStage::Regexp(re) => {
                let r = regex_go::compile(re).map_err(err)?;
                let names = r
                    .capture_names()
                    .map(|n| n.unwrap_or("").to_string())
                    .collect();
                Self::Regexp(r, names)
            }
            ParserStage::Pattern(p) => Self::Pattern(Pattern::parse_parser(p).map_err(err)?),
            ParserStage::Unpack => Self::Unpack,
        })
    }

    /// Whether this stage can replace the line (so later line filters cannot be hoisted).
    pub fn changes_line(&self) -> bool {
        matches!(self, Self::Unpack)
    }

    /// Runs the parser. `want` restricts which labels are materialised (`None` = all); the
    /// error labels are always computed exactly.
    pub fn run(&self, w: &mut Work<'_>, want: Option<&[String]>) {
        // A key `x` gives the label `x`, or `x_extracted` when a stream label is named `x`:
        // only the label it gives is asked for.
        let entry = w.entry;
        let base = &*entry.labels;
        // The sketch of the names a key may give to be wanted (`x`, or `x` for `x_extracted`):
        // the scanner refuses most keys on it alone.
        let sketch = want.map_or(u64::MAX, |names| {
            names.iter().fold(0, |m, x| {
                let base = x.strip_suffix("_extracted").map_or(0, json::name_sketch);
                m | json::name_sketch(x) | base
            })
        });
        let wants = |name: &str| {
            want.is_none_or(|names| {
                // One pass, lengths first: asked for the keys of every line.
                let (mut plain, mut extracted) = (false, false);
                for x in names {
                    if x.len() == name.len() {
                        plain |= x == name;
                    } else if x.len() == name.len() + 10 {
                        extracted |= x.starts_with(name) && x.ends_with("_extracted");
                    }
                }
                (plain || extracted) && {
                    let renamed = base.contains_key(name);
                    if renamed { extracted } else { plain }
                }
            })
        };
        match self {
            Self::Json => {
                let mut found: Vec<(String, String)> = Vec::new();
                let res = {
                    let line: &str = &w.line;
                    json::flatten_sketched(
                        line,
                        sketch,
                        &mut |name| wants(name),
                        &mut |name, value| found.push((name.to_string(), value.into_owned())),
                    )
                };
                match res {
                    Ok(()) => w.set_extracted_all(found),
                    Err(_) => w.set_error(JSON_PARSER_ERR, JSON_ERROR_DETAILS),
                }
            }
            Self::JsonPaths(paths) => {
                // Loki: an empty line is left alone; one that cannot start JSON gets the
                // error without details; an array yields empty labels.
                let start = w.line.trim_start().bytes().next();
                if start.is_none() {
                    return;
                }
                if !matches!(start, Some(b'{' | b'[')) {
                    w.set_error(JSON_PARSER_ERR, "");
                    return;
                }
                if start == Some(b'{') && json::validate(&w.line).is_err() {
                    w.set_error(JSON_PARSER_ERR, JSON_ERROR_DETAILS);
                    return;
                }
                // Many parameters: one pass over the line for all of them.
                let all = (paths.len() > 8)
                    .then(|| json::lookup_all(&w.line, paths.iter().map(|(_, p)| p.as_slice())))
                    .and_then(Result::ok);
                let found: Vec<(String, String)> = match all {
                    Some(values) => paths
                        .iter()
                        .zip(values)
                        .map(|((label, _), v)| {
                            (label.clone(), v.map(Cow::into_owned).unwrap_or_default())
                        })
                        .collect(),
                    None => paths
                        .iter()
                        .map(|(label, path)| {
                            let v = json::lookup(&w.line, path)
                                .ok()
                                .flatten()
                                .map(|c| c.into_owned())
                                .unwrap_or_default();
                            (label.clone(), v)
                        })
                        .collect(),
                };
                w.set_extracted_all(found);
            }
            Self::Logfmt {
                strict,
                keep_empty,
                extractions,
            } => {
                let mut found: Vec<(String, String)> = Vec::new();
                // Many requested keys: found by hash, not by a scan per key of the line.
                let by_key: std::collections::HashMap<&str, Vec<&String>> =
                    if extractions.len() > 16 {
                        let mut m: std::collections::HashMap<&str, Vec<&String>> =
                            std::collections::HashMap::new();
                        for (label, key) in extractions {
                            m.entry(key.as_str()).or_default().push(label);
                        }
                        m
                    } else {
                        std::collections::HashMap::new()
                    };
                let mut emit = |k: &str, v: Option<std::borrow::Cow<'_, str>>| {
                    let v = match v {
                        Some(v) => v.into_owned(),
                        None => String::new(),
                    };
                    if v.is_empty() && !keep_empty {
                        return;
                    }
                    if extractions.is_empty() {
                        let mut name = String::with_capacity(k.len());
                        json::sanitize_into(&mut name, k, true);
                        if !name.is_empty() && wants(&name) {
                            found.push((name, v));
                        }
                    } else if by_key.is_empty() {
                        for (label, key) in extractions {
                            if key == k {
                                found.push((label.clone(), v.clone()));
                            }
                        }
                    } else if let Some(labels) = by_key.get(k) {
                        for label in labels {
                            found.push(((*label).clone(), v.clone()));
                        }
                    }
                };
                let res = if *strict {
                    logfmt::scan(&w.line, &mut emit)
                } else {
                    logfmt::scan_lenient(&w.line, &mut emit);
                    Ok(())
                };
                // A requested key the line lacks is an empty label in Loki.
                if !extractions.is_empty() {
                    let mut have: std::collections::HashSet<String> =
                        found.iter().map(|(k, _)| k.clone()).collect();
                    for (label, _) in extractions {
                        if have.insert(label.clone()) {
                            found.push((label.clone(), String::new()));
                        }
                    }
                }
                w.set_extracted_all(found);
                if let Err(e) = res {
                    w.set_error(LOGFMT_PARSER_ERR, e.details());
                }
            }
            Self::Regexp(re, names) => {
                let mut found: Vec<(&str, String)> = Vec::new();
                if let Some(caps) = re.captures(&w.line) {
                    for (i, name) in names.iter().enumerate() {
                        if let (false, Some(m)) = (name.is_empty(), caps.get(i)) {
                            found.push((name, m.as_str().to_string()));
                        }
                    }
                }
                w.set_extracted_all(found.into_iter().map(|(k, v)| (k.to_string(), v)).collect());
            }
            Self::Pattern(p) => {
                let mut caps = Vec::new();
                p.captures(&w.line, &mut caps);
                let found: Vec<(String, String)> = caps
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                w.set_extracted_all(found);
            }
            Self::Unpack => {
                let mut found: Vec<(String, String)> = Vec::new();
                let res = json::unpack(&w.line, &mut |k, v| {
                    found.push((k.to_string(), v.into_owned()))
                });
                match res {
                    // Loki adds the keys only of a packed entry (one with `_entry`).
                    Ok(()) if found.iter().any(|(k, _)| k == "_entry") => {
                        let mut labels = Vec::with_capacity(found.len());
                        for (k, v) in found {
                            if k == "_entry" {
                                w.line = std::borrow::Cow::Owned(v);
                            } else {
                                labels.push((k, v));
                            }
                        }
                        w.set_extracted_all(labels);
                    }
                    Ok(()) => {}
                    Err(_) if !w.line.trim_start().starts_with('{') => {
                        w.set_error(JSON_PARSER_ERR, UNPACK_NOT_OBJECT)
                    }
                    Err(_) => w.set_error(JSON_PARSER_ERR, JSON_ERROR_DETAILS),
                }
            }
        }
    }
}
