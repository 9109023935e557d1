//! Making untrusted log text safe to put on a terminal.
//!
//! Log lines come from anywhere; a line holding `ESC ] 0 ; … BEL` would retitle the user's
//! window, and worse sequences exist. Every byte that a terminal would interpret is replaced by
//! a visible spelling: C0 controls and DEL in caret notation (`^[`, `^G`, `^?`), C1 controls and
//! bidirectional overrides as `<U+XXXX>`.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal as is.
fn is_dangerous(c: char) -> bool {
    let u = c as u32;
    u < 0x20
        || u == 0x7f
        || (0x80..=0x9f).contains(&u)
        || matches!(u, 0x202a..=0x202e | 0x2066..=0x2069)
}

fn push_visible(out: &mut String, c: char, keep_newline: bool) {
    match c {
        '\n' if keep_newline => out.push('\n'),
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("    "),
        c if (c as u32) < 0x20 => {
            out.push('^');
            out.push(char::from(b'@' + c as u8));
        }
        '\u{7f}' => out.push_str("^?"),
        c => out.push_str(&format!("<U+{:04X}>", c as u32)),
    }
}

fn sanitize(s: &str, keep_newline: bool) -> Cow<'_, str> {
    let needs = s
        .chars()
        .any(|c| is_dangerous(c) && !(keep_newline && c == '\n'));
    if !needs {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_dangerous(c) {
            push_visible(&mut out, c, keep_newline);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One display line: newlines become a visible `\n`, tabs four spaces, controls visible.
pub fn inline(s: &str) -> Cow<'_, str> {
    sanitize(s, false)
}

/// Text that may span lines (a traceback, a message body): newlines kept, the rest visible.
pub fn multiline(s: &str) -> Cow<'_, str> {
    sanitize(s, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(inline("hello 漏洞"), Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_become_visible() {
        let hostile = "a\u{1b}]0;pwned\u{7}b\u{1b}[31mred\u{9b}2J\u{7f}";
        let out = inline(hostile);
        assert_eq!(out, "a^[]0;pwned^Gb^[[31mred<U+009B>2J^?");
        assert!(!out.chars().any(is_dangerous));
    }

    #[test]
    fn newlines_and_tabs() {
        assert_eq!(inline("a\nb\tc"), "a\\nb    c");
        assert_eq!(multiline("a\nb\u{1b}"), "a\nb^[");
    }

    #[test]
    fn bidi_override_is_visible() {
        assert_eq!(inline("x\u{202e}y"), "x<U+202E>y");
    }
}
