//! Making untrusted log text safe to put on a terminal.
//!
//! Log lines come from anywhere; a line holding `ESC ] 0 ; … BEL` would retitle the user's
//! window, and worse sequences exist. Every byte that a terminal would interpret is replaced by
//! a visible spelling: C0 controls and DEL in caret notation (`^[`, `^G`, `^?`); C1 controls,
//! Unicode line/paragraph separators (U+2028/U+2029, which terminals and the TUI treat as line
//! breaks and leave stale cells behind), zero-width characters, bidirectional controls and other
//! invisible format characters as `<U+XXXX>`, so what is shown is what the line holds.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal as is: controls (C0, DEL, C1), line and paragraph
/// separators, zero-width and bidirectional controls, and other invisible format characters
/// that reorder, hide or break the text around them.
pub fn is_dangerous(c: char) -> bool {
    let u = c as u32;
    u < 0x20
        || u == 0x7f
        || (0x80..=0x9f).contains(&u)
        || matches!(
            u,
            0x00ad // soft hyphen (invisible)
            | 0x061c // Arabic letter mark (bidi)
            | 0x180e // Mongolian vowel separator (zero-width)
            | 0x200b..=0x200f // zero-width space/non-joiner/joiner, LRM, RLM
            | 0x2028 | 0x2029 // line and paragraph separators
            | 0x202a..=0x202e // bidi embeddings and overrides
            | 0x2060..=0x2064 // word joiner, invisible operators
            | 0x2066..=0x206f // bidi isolates, deprecated format controls
            | 0xfeff // zero-width no-break space (BOM)
            | 0xfff9..=0xfffb // interlinear annotation controls
        )
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
    // Printable ASCII (almost every log byte) is safe; checked a byte at a time, vectorised.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Cow::Borrowed(s);
    }
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

    #[test]
    fn separators_zero_width_and_bidi_controls_are_visible() {
        for (c, shown) in [
            ('\u{2028}', "<U+2028>"),
            ('\u{2029}', "<U+2029>"),
            ('\u{85}', "<U+0085>"),
            ('\u{200b}', "<U+200B>"),
            ('\u{200d}', "<U+200D>"),
            ('\u{200f}', "<U+200F>"),
            ('\u{202a}', "<U+202A>"),
            ('\u{2066}', "<U+2066>"),
            ('\u{2069}', "<U+2069>"),
            ('\u{feff}', "<U+FEFF>"),
            ('\u{61c}', "<U+061C>"),
            ('\u{2060}', "<U+2060>"),
        ] {
            let s = format!("a{c}b");
            assert_eq!(inline(&s), format!("a{shown}b"), "{:04X}", c as u32);
            assert_eq!(multiline(&s), format!("a{shown}b"), "{:04X}", c as u32);
        }
        // Ordinary non-ASCII text is untouched.
        assert!(matches!(inline("naïve 漏洞 ü → ✓"), Cow::Borrowed(_)));
    }
}
