//! Go RE2 regex semantics on the Rust `regex` crate: Perl classes (`\d`, `\w`, `\s`, `\b`) are
//! ASCII-only in RE2 but Unicode-aware in Rust, so they are rewritten to explicit ASCII classes;
//! `\Q…\E` literals are expanded. Error texts follow Go's `error parsing regexp: …` wording.

use regex::{Regex, RegexBuilder};

/// Limits keep pathological patterns (`(a{1000}){1000}`) from eating memory: they fail to
/// compile instead. Matching is linear-time in the `regex` crate, so nothing can hang.
const SIZE_LIMIT: usize = 8 << 20;

/// Compiles a Go regex unanchored (line filters, `regexp` stage).
pub fn compile(re: &str) -> Result<Regex, String> {
    build(&translate(re), re)
}

/// Compiles a Go regex anchored to the whole value, with `.` matching newlines, as Prometheus
/// label matchers do (`^(?s:re)$`).
pub fn compile_anchored(re: &str) -> Result<Regex, String> {
    build(&format!("^(?s:{})$", translate(re)), re)
}

fn build(translated: &str, original: &str) -> Result<Regex, String> {
    RegexBuilder::new(translated)
        .size_limit(SIZE_LIMIT)
        .dfa_size_limit(SIZE_LIMIT)
        .build()
        .map_err(|e| go_error(&e, original))
}

/// Rewrites RE2-only or ASCII-only constructs into equivalent Rust syntax.
pub fn translate(re: &str) -> String {
    let mut out = String::with_capacity(re.len() + 16);
    let mut chars = re.chars().peekable();
    let mut in_class = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let inside = in_class > 0;
                match (e, inside) {
                    ('d', false) => out.push_str("[0-9]"),
                    ('d', true) => out.push_str("0-9"),
                    ('D', false) => out.push_str("[^0-9]"),
                    ('D', true) => out.push_str("[^0-9]"),
                    ('w', false) => out.push_str("[0-9A-Za-z_]"),
                    ('w', true) => out.push_str("0-9A-Za-z_"),
                    ('W', false) => out.push_str("[^0-9A-Za-z_]"),
                    ('W', true) => out.push_str("[^0-9A-Za-z_]"),
                    ('s', false) => out.push_str(r"[\t\n\f\r ]"),
                    ('s', true) => out.push_str(r"\t\n\f\r "),
                    ('S', false) => out.push_str(r"[^\t\n\f\r ]"),
                    ('S', true) => out.push_str(r"[^\t\n\f\r ]"),
                    ('b', false) => out.push_str(r"(?-u:\b)"),
                    ('B', false) => out.push_str(r"(?-u:\B)"),
                    ('Q', _) => {
                        // Literal text up to `\E` (or the end).
                        let mut lit = String::new();
                        while let Some(c2) = chars.next() {
                            if c2 == '\\' && chars.peek() == Some(&'E') {
                                chars.next();
                                break;
                            }
                            lit.push(c2);
                        }
                        out.push_str(&regex::escape(&lit));
                    }
                    (e, _) => {
                        out.push('\\');
                        out.push(e);
                    }
                }
            }
            '[' => {
                out.push('[');
                in_class += 1;
                // A `]` right after `[` or `[^` is a literal in RE2.
                if chars.peek() == Some(&'^') {
                    chars.next();
                    out.push('^');
                }
                if chars.peek() == Some(&']') {
                    chars.next();
                    out.push_str(r"\]");
                }
                // POSIX classes `[[:alpha:]]` pass through as nested text.
            }
            ']' if in_class > 0 => {
                in_class -= 1;
                out.push(']');
            }
            c => out.push(c),
        }
    }
    out
}

/// Go's wording for the common compile errors (`error parsing regexp: missing closing ): `(x``).
fn go_error(e: &regex::Error, original: &str) -> String {
    let text = e.to_string();
    let code = if text.contains("unclosed group") {
        "missing closing )".to_string()
    } else if text.contains("unopened group") {
        "unexpected )".to_string()
    } else if text.contains("unclosed character class") {
        "missing closing ]".to_string()
    } else if text.contains("repetition operator missing expression") {
        "missing argument to repetition operator".to_string()
    } else if text.contains("exceeds size limit") {
        "expression too large".to_string()
    } else if text.contains("unrecognized escape") {
        "invalid escape sequence".to_string()
    } else {
        // Fall back to the Rust message's main line.
        text.lines()
            .rev()
            .find(|l| l.starts_with("error:"))
            .map(|l| l.trim_start_matches("error:").trim().to_string())
            .unwrap_or(text)
    };
    format!("error parsing regexp: {code}: `{original}`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perl_classes_are_ascii() {
        let re = compile(r"^\d+$").unwrap();
        assert!(re.is_match("123"));
        assert!(
            !re.is_match("١٢٣"),
            "Arabic-Indic digits are not \\d in RE2"
        );
        assert!(!compile(r"^\w$").unwrap().is_match("é"));
        assert!(compile(r"^[\w-]+$").unwrap().is_match("a-b_c"));
        assert!(compile(r"^[^\d]$").unwrap().is_match("x"));
        assert!(!compile(r"^\s$").unwrap().is_match("\u{a0}"));
        assert!(compile(r"\bx\b").unwrap().is_match("a x b"));
    }

    #[test]
    fn anchored_matches_whole_value() {
        let re = compile_anchored("a.*").unwrap();
        assert!(re.is_match("agent"));
        assert!(!re.is_match("gen"));
        assert!(!compile_anchored("gen").unwrap().is_match("agent"));
        assert!(compile_anchored("api|db").unwrap().is_match("db"));
        assert!(compile_anchored("a.b").unwrap().is_match("a\nb"));
    }

    #[test]
    fn quote_literals() {
        assert!(compile(r"\Q1+1\E=2").unwrap().is_match("1+1=2"));
        assert!(compile(r"[]a]").unwrap().is_match("]"));
    }

    #[test]
    fn go_error_wording() {
        assert_eq!(
            compile("(unclosed").unwrap_err(),
            "error parsing regexp: missing closing ): `(unclosed`"
        );
        assert!(compile("(a{1000}){1000}").is_err());
    }
}
