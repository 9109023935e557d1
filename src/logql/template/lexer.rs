//! Splits a template into text and action tokens, as Go's `text/template/parse` lexer does:
//! `{{`/`}}` delimiters, `{{-`/`-}}` trim markers (dash then a space), `{{/* comments */}}`.

/// One token of an action (`{{ … }}`), or a piece of text between actions.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Text(String),
    /// Start of an action; carries the line it starts on (1-based) for errors.
    Open(usize),
    Close,
    /// `.a.b` (empty vector for a lone `.`).
    Field(Vec<String>),
    /// `$x` or `$` (name without the `$`), with trailing field chain.
    Var(String, Vec<String>),
    Ident(String),
    Str(String),
    Number(String),
    Char(char),
    Pipe,
    LParen,
    RParen,
    Declare,
    Assign,
    Comma,
}

/// `(line, column)` of a token.
pub type Spot = (usize, usize);

/// Lexes the whole template; errors are Go-worded messages without the `template:` prefix.
#[cfg(test)]
pub fn lex(src: &str) -> Result<Vec<Tok>, String> {
    lex_pos(src).map(|(toks, _)| toks)
}

/// Like `lex`, with each token's `(line, column)` as Go reports them in execution errors
/// (1-based line, byte column from the line start).
pub fn lex_pos(src: &str) -> Result<(Vec<Tok>, Vec<Spot>), String> {
    let mut offs = Vec::new();
    let toks = lex_offsets(src, &mut offs)?;
    let pos = offs
        .iter()
        .map(|&o| {
            let before = src.get(..o).unwrap_or(src);
            let line = 1 + before.matches('\n').count();
            (line, o - before.rfind('\n').map_or(0, |i| i + 1))
        })
        .collect();
    Ok((toks, pos))
}

fn lex_offsets(src: &str, offs: &mut Vec<usize>) -> Result<Vec<Tok>, String> {
    let mut toks = Vec::new();
    let mut rest = src;
    let mut line = 1usize;
    let mut trim_next_text = false;
    while !rest.is_empty() {
        let open = rest.find("{{");
        let (text, after) = match open {
            Some(i) => (&rest[..i], Some(&rest[i + 2..])),
            None => (rest, None),
        };
        let raw_newlines = text.matches('\n').count();
        let mut text = if trim_next_text {
            text.trim_start()
        } else {
            text
        };
        let Some(after) = after else {
            push_text(&mut toks, text);
            offs.resize(toks.len(), 0);
            break;
        };
        // `{{- ` trims the text before it.
        let (after, trim_left) = match after.strip_prefix('-') {
            Some(a) if a.starts_with(is_space) => (a, true),
            _ => (after, false),
        };
        if trim_left {
            text = text.trim_end();
        }
        line += raw_newlines;
        push_text(&mut toks, text);
        offs.resize(toks.len(), 0);
        let base = src.len() - after.len();
        let (consumed, trim_right) = lex_action(after, line, base, &mut toks, offs)?;
        line += after[..consumed].matches('\n').count();
        trim_next_text = trim_right;
        rest = &after[consumed..];
    }
    Ok(toks)
}

fn push_text(toks: &mut Vec<Tok>, text: &str) {
    if !text.is_empty() {
        toks.push(Tok::Text(text.to_string()));
    }
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_ident_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Lexes one action body (starting at byte `base` of the template); returns bytes consumed
/// (through `}}`) and whether it trims right. `offs` gets each token's byte offset.
fn lex_action(
    s: &str,
    line: usize,
    base: usize,
    toks: &mut Vec<Tok>,
    offs: &mut Vec<usize>,
) -> Result<(usize, bool), String> {
    let b = s.as_bytes();
    let mut i = 0;
    // Comments: `{{/* … */}}`, optionally with trim markers around.
    let lead = s.trim_start_matches(is_space);
    if lead.starts_with("/*") {
        let start = s.len() - lead.len();
        let Some(end) = s[start..].find("*/") else {
            return Err(format!("line:{line}: unclosed comment"));
        };
        let after = s[start + end + 2..].trim_start_matches(is_space);
        let consumed_ws = s.len() - after.len();
        if let Some(r) = after.strip_prefix("-}}") {
            return Ok((s.len() - r.len(), true));
        }
        if after.starts_with("}}") {
            return Ok((consumed_ws + 2, false));
        }
        return Err(format!(
            "line:{line}: comment ends before closing delimiter"
        ));
    }
    toks.push(Tok::Open(line));
    offs.push(base + i);
    while i < b.len() {
        let c = s[i..].chars().next().unwrap_or(' ');
        if s[i..].starts_with("}}") {
            toks.push(Tok::Close);
            offs.push(base + i);
            return Ok((i + 2, false));
        }
        if is_space(c) {
            // ` -}}` closes with a right trim.
            let ws_end = i + s[i..].len() - s[i..].trim_start_matches(is_space).len();
            if s[ws_end..].starts_with("-}}") {
                toks.push(Tok::Close);
                offs.push(base + i);
                return Ok((ws_end + 3, true));
            }
            i = ws_end;
            continue;
        }
        match c {
            '|' => {
                toks.push(Tok::Pipe);
                offs.push(base + i);
                i += 1;
            }
            '(' => {
                toks.push(Tok::LParen);
                offs.push(base + i);
                i += 1;
            }
            ')' => {
                toks.push(Tok::RParen);
                offs.push(base + i);
                i += 1;
            }
            ',' => {
                toks.push(Tok::Comma);
                offs.push(base + i);
                i += 1;
            }
            '=' => {
                toks.push(Tok::Assign);
                offs.push(base + i);
                i += 1;
            }
            ':' if s[i..].starts_with(":=") => {
                toks.push(Tok::Declare);
                offs.push(base + i);
                i += 2;
            }
            '"' => {
                let (v, n) = lex_quoted(&s[i..], line)?;
                toks.push(Tok::Str(v));
                offs.push(base + i);
                i += n;
            }
            '`' => {
                let Some(end) = s[i + 1..].find('`') else {
                    return Err(format!("line:{line}: unterminated raw quoted string"));
                };
                toks.push(Tok::Str(s[i + 1..i + 1 + end].to_string()));
                offs.push(base + i);
                i += end + 2;
            }
            '\'' => {
                let (v, n) = lex_char(&s[i..], line)?;
                toks.push(Tok::Char(v));
                offs.push(base + i);
                i += n;
            }
            '.' if !s[i + 1..].starts_with(|c: char| c.is_ascii_digit()) => {
                let (fields, n) = lex_fields(&s[i..]);
                toks.push(Tok::Field(fields));
                offs.push(base + i);
                i += n;
            }
            '$' => {
                let name_len = s[i + 1..]
                    .find(|c: char| !is_ident_char(c))
                    .unwrap_or(s.len() - i - 1);
                let name = s[i + 1..i + 1 + name_len].to_string();
                i += 1 + name_len;
                let (fields, n) = if s[i..].starts_with('.') {
                    lex_fields(&s[i..])
                } else {
                    (Vec::new(), 0)
                };
                toks.push(Tok::Var(name, fields));
                offs.push(base + i);
                i += n;
            }
            c if c.is_ascii_digit() || c == '-' || c == '+' || c == '.' => {
                let n = s[i + 1..]
                    .find(|c: char| {
                        !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+' | '-'))
                    })
                    .map_or(s.len() - i, |n| n + 1);
                let mut text = &s[i..i + n];
                // `1-}}`: stop before a trim marker or a sign not following an exponent.
                if let Some(p) = sign_split(text) {
                    text = &text[..p];
                }
                toks.push(Tok::Number(text.to_string()));
                offs.push(base + i);
                i += text.len();
            }
            c if is_ident_char(c) => {
                let n = s[i..]
                    .find(|c: char| !is_ident_char(c))
                    .unwrap_or(s.len() - i);
                toks.push(Tok::Ident(s[i..i + n].to_string()));
                offs.push(base + i);
                i += n;
            }
            other => return Err(format!("line:{line}: unexpected {other:?} in command")),
        }
    }
    Err(format!("line:{line}: unclosed action"))
}

/// Index where a `+`/`-` inside a number token is not part of it (not after an exponent).
fn sign_split(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    (1..b.len()).find(|&k| {
        (b[k] == b'-' || b[k] == b'+')
            && (text.starts_with("0x") || !matches!(b[k - 1], b'e' | b'E' | b'p' | b'P'))
    })
}

fn lex_fields(s: &str) -> (Vec<String>, usize) {
    let mut fields = Vec::new();
    let mut i = 0;
    while s[i..].starts_with('.') {
        let n = s[i + 1..]
            .find(|c: char| !is_ident_char(c))
            .unwrap_or(s.len() - i - 1);
        if n == 0 {
            i += 1;
            break;
        }
        fields.push(s[i + 1..i + 1 + n].to_string());
        i += 1 + n;
    }
    (fields, i)
}

fn lex_quoted(s: &str, line: usize) -> Result<(String, usize), String> {
    let mut out = String::new();
    let mut chars = s.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((out, i + 1)),
            '\n' => break,
            '\\' => {
                let Some((_, e)) = chars.next() else { break };
                match e {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'a' => out.push('\x07'),
                    'b' => out.push('\x08'),
                    'f' => out.push('\x0c'),
                    'v' => out.push('\x0b'),
                    '\\' | '"' | '\'' => out.push(e),
                    'x' | 'u' | 'U' => {
                        let n = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let hex: String = (0..n)
                            .filter_map(|_| chars.next().map(|(_, h)| h))
                            .collect();
                        let code = u32::from_str_radix(&hex, 16)
                            .map_err(|_| format!("line:{line}: invalid syntax in string escape"))?;
                        out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                    }
                    '0'..='7' => {
                        let mut oct = String::from(e);
                        for _ in 0..2 {
                            if let Some((_, h)) = chars.next() {
                                oct.push(h);
                            }
                        }
                        let code = u32::from_str_radix(&oct, 8)
                            .map_err(|_| format!("line:{line}: invalid syntax in string escape"))?;
                        out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                    }
                    other => {
                        return Err(format!(
                            "line:{line}: invalid syntax: unknown escape \\{other}"
                        ));
                    }
                }
            }
            c => out.push(c),
        }
    }
    Err(format!("line:{line}: unterminated quoted string"))
}

fn lex_char(s: &str, line: usize) -> Result<(char, usize), String> {
    let body = &s[1..];
    let end = body
        .find('\'')
        .ok_or_else(|| format!("line:{line}: unterminated character constant"))?;
    let inner = &body[..end];
    let quoted = format!("\"{}\"", inner.replace('"', "\\\""));
    let (v, _) = lex_quoted(&quoted, line)?;
    let mut it = v.chars();
    match (it.next(), it.next()) {
        (Some(c), None) => Ok((c, end + 2)),
        _ => Err(format!(
            "line:{line}: malformed character constant: '{inner}'"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_action() {
        let t = lex("a {{ .x | ToUpper }} b").unwrap();
        assert_eq!(
            t,
            vec![
                Tok::Text("a ".into()),
                Tok::Open(1),
                Tok::Field(vec!["x".into()]),
                Tok::Pipe,
                Tok::Ident("ToUpper".into()),
                Tok::Close,
                Tok::Text(" b".into()),
            ]
        );
    }

    #[test]
    fn trim_markers() {
        let t = lex("a  \n{{- 3 -}}  \n b").unwrap();
        assert_eq!(
            t,
            vec![
                Tok::Text("a".into()),
                Tok::Open(2),
                Tok::Number("3".into()),
                Tok::Close,
                Tok::Text("b".into())
            ]
        );
        // `{{-3}}` is the number -3, not a trim marker.
        let t = lex("a {{-3}}").unwrap();
        assert_eq!(t[2], Tok::Number("-3".into()));
    }

    #[test]
    fn strings_and_escapes() {
        let t = lex(r#"{{ "a\tb\x41\u00e9\"" `raw\n` 'x' }}"#).unwrap();
        assert_eq!(t[1], Tok::Str("a\tbAé\"".into()));
        assert_eq!(t[2], Tok::Str("raw\\n".into()));
        assert_eq!(t[3], Tok::Char('x'));
    }

    #[test]
    fn vars_comments_and_errors() {
        let t = lex("{{ $x := .a }}{{/* c */}}{{ $ }}").unwrap();
        assert_eq!(t[1], Tok::Var("x".into(), vec![]));
        assert_eq!(t[2], Tok::Declare);
        assert_eq!(t[5], Tok::Open(1));
        assert_eq!(t[6], Tok::Var(String::new(), vec![]));
        assert!(lex("{{ .a ").unwrap_err().contains("unclosed action"));
        assert!(lex("{{ \"abc }}").unwrap_err().contains("unterminated"));
        assert!(lex("{{ # }}").is_err());
    }
}
