//! Discovery results (`labels`, `series`): plain lists in every output format.

use std::io::{self, Write};

use serde_json::Value;

use super::OutputFormat;
use crate::model::Labels;
use crate::sanitize::inline;

/// Label names or values, one per line (`text`/`raw`), or as a JSON array / JSON strings.
pub fn write_names<W: Write>(mut out: W, names: &[String], format: OutputFormat) -> io::Result<()> {
    match format {
        OutputFormat::Text => {
            for n in names {
                writeln!(out, "{}", inline(n))?;
            }
        }
        OutputFormat::Raw => {
            for n in names {
                writeln!(out, "{n}")?;
            }
        }
        OutputFormat::Csv => {
            for n in names {
                writeln!(out, "{}", super::csv_field(n))?;
            }
        }
        OutputFormat::Json => {
            serde_json::to_writer(&mut out, names)?;
            out.write_all(b"\n")?;
        }
        OutputFormat::Jsonl => {
            for n in names {
                serde_json::to_writer(&mut out, n)?;
                out.write_all(b"\n")?;
            }
        }
    }
    out.flush()
}

fn as_json(l: &Labels) -> Value {
    Value::Object(
        l.iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

/// Label sets (series), `{a="b", c="d"}` per line in `text`, objects in JSON.
pub fn write_label_sets<W: Write>(
    mut out: W,
    sets: &[Labels],
    format: OutputFormat,
) -> io::Result<()> {
    match format {
        OutputFormat::Text | OutputFormat::Raw | OutputFormat::Csv => {
            for l in sets {
                let parts: Vec<String> = l
                    .iter()
                    .map(|(k, v)| {
                        let v = serde_json::to_string(v).unwrap_or_default();
                        if format == OutputFormat::Text {
                            format!("{}={}", inline(k), inline(&v))
                        } else {
                            format!("{k}={v}")
                        }
                    })
                    .collect();
                writeln!(out, "{{{}}}", parts.join(", "))?;
            }
        }
        OutputFormat::Json => {
            let all: Vec<Value> = sets.iter().map(as_json).collect();
            serde_json::to_writer(&mut out, &all)?;
            out.write_all(b"\n")?;
        }
        OutputFormat::Jsonl => {
            for l in sets {
                serde_json::to_writer(&mut out, &as_json(l))?;
                out.write_all(b"\n")?;
            }
        }
    }
    out.flush()
}
