//! Tab completion in the query editor: label names and values (asked of the backend once)
//! and parsed field names (from the loaded lines).

use super::super::app::{App, Completion, Mode};
use super::super::input::TextInput;
use super::super::msg::Command;
use crate::logql::quote;

/// What the word before the cursor is.
#[derive(Debug, PartialEq)]
enum Ctx {
    LabelName(String),
    LabelValue { name: String, prefix: String },
    Field(String),
}

fn context(head: &str) -> Ctx {
    let mut depth = 0i32;
    let mut in_str = false;
    let mut str_start = 0;
    let mut escaped = false;
    for (i, c) in head.char_indices() {
        if in_str {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            }
            continue;
        }
        match c {
            '"' => {
                in_str = true;
                str_start = i + 1;
            }
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
    }
    let word = |s: &str| -> String {
        let start = s
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        s[start..].to_string()
    };
    if depth > 0 && in_str {
        let before = head[..str_start - 1].trim_end_matches(['=', '~', '!']);
        return Ctx::LabelValue {
            name: word(before.trim_end()),
            prefix: head[str_start..].to_string(),
        };
    }
    if depth > 0 {
        Ctx::LabelName(word(head))
    } else {
        Ctx::Field(word(head))
    }
}

/// Field names seen in loaded lines (the first screenful or so is parsed, not everything).
fn field_names(app: &App) -> Vec<String> {
    let mut names = std::collections::BTreeSet::new();
    for d in 0..app.logs.len().min(200) {
        if let Some(row) = app.logs.results.store.get(app.logs.store_index(d)) {
            for f in super::super::fields::fields_of(&row) {
                if f.value.is_some() {
                    names.insert(f.key);
                }
            }
        }
    }
    names.into_iter().collect()
}

/// Tab: completes the word before the cursor, cycling through candidates.
pub fn complete(app: &mut App) -> Vec<Command> {
    if let Some(c) = &mut app.editor.completion
        && !c.candidates.is_empty()
    {
        c.index = (c.index + 1) % c.candidates.len();
        let cand = c.candidates[c.index].clone();
        let start = c.start;
        replace_word(&mut app.editor.input, start, &cand);
        return Vec::new();
    }
    let head = app.editor.input.text[..app.editor.input.cursor].to_string();
    let (start_ns, end_ns) = app.editor.range.resolve(app.now_ns);
    let (pool, prefix, escape) = match context(&head) {
        Ctx::LabelName(p) => match &app.editor.label_names {
            Some(l) => (l.clone(), p, false),
            None => {
                app.editor.completion = Some(Completion::default());
                return vec![Command::FetchLabels { start_ns, end_ns }];
            }
        },
        Ctx::LabelValue { name, prefix } => match app.editor.label_values.get(&name) {
            Some(v) => (v.clone(), prefix, true),
            None => {
                app.editor.completion = Some(Completion::default());
                return vec![Command::FetchLabelValues {
                    name,
                    start_ns,
                    end_ns,
                }];
            }
        },
        Ctx::Field(p) => {
            let mut f = field_names(app);
            f.extend(app.editor.label_names.clone().unwrap_or_default());
            f.sort();
            f.dedup();
            (f, p, false)
        }
    };
    let candidates: Vec<String> = pool
        .into_iter()
        .filter(|c| c.starts_with(&prefix) && *c != prefix)
        .map(|c| {
            if escape {
                let q = quote(&c);
                q[1..q.len() - 1].to_string()
            } else {
                c
            }
        })
        .collect();
    let start = app.editor.input.cursor - prefix.len();
    if let Some(first) = candidates.first().cloned() {
        replace_word(&mut app.editor.input, start, &first);
    } else {
        app.status.note = Some("no completion".into());
    }
    app.editor.completion = (!candidates.is_empty()).then_some(Completion {
        candidates,
        index: 0,
        start,
    });
    Vec::new()
}

fn replace_word(input: &mut TextInput, start: usize, with: &str) {
    input.text.replace_range(start..input.cursor, with);
    input.cursor = start + with.len();
}

/// Labels or values could not be listed: a completion waiting for them ends (no "loading…").
pub fn abandon(app: &mut App) {
    if app
        .editor
        .completion
        .as_ref()
        .is_some_and(|c| c.candidates.is_empty())
    {
        app.editor.completion = None;
    }
}

/// Labels or values arrived: finish a completion that was waiting for them.
pub fn refresh_completion(app: &mut App) {
    if app.mode == Mode::EditQuery
        && app
            .editor
            .completion
            .as_ref()
            .is_some_and(|c| c.candidates.is_empty())
    {
        app.editor.completion = None;
        complete(app);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_context() {
        assert_eq!(context("{app=\"v\", mo"), Ctx::LabelName("mo".into()));
        assert_eq!(
            context("{app=\"v\", module=~\"ag"),
            Ctx::LabelValue {
                name: "module".into(),
                prefix: "ag".into()
            }
        );
        assert_eq!(
            context("{app=\"v\"} | json | agent_"),
            Ctx::Field("agent_".into())
        );
    }
}
