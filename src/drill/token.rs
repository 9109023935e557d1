//! Tokens for the pattern miner: a line split on whitespace, each token with its variable
//! parts (ids, numbers, hex, UUIDs, durations, IPs, paths, timestamps) masked as `<_>`.
//!
//! The rule is deliberately simple and explainable: a piece of a token is variable when it
//! holds a digit, is a path or URL, or is a long run of hex. Punctuation that frames a value
//! (`(pid:4121)`, `[7]`, `key=value`) is kept, so the template still reads like the line.

use std::borrow::Cow;

/// The placeholder a variable token becomes; also Loki's unnamed pattern capture.
pub const WILDCARD: &str = "<_>";

/// Splits `line` on runs of ASCII whitespace into at most `max` tokens: past the cap, the
/// rest of the line (trailing whitespace trimmed) is the last token, so memory per line is
/// bounded.
pub fn split(line: &str, max: usize) -> Vec<&str> {
    tokens(line, max).collect()
}

/// [`split`] as an iterator (the miner's hot path collects no list of its own).
pub fn tokens(line: &str, max: usize) -> impl Iterator<Item = &str> {
    let max = max.max(1);
    let mut n = 0;
    let mut rest = line.trim_start_matches(|c: char| c.is_ascii_whitespace());
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        n += 1;
        if n == max {
            let last = rest.trim_end_matches(|c: char| c.is_ascii_whitespace());
            rest = "";
            return Some(last);
        }
        let end = rest
            .bytes()
            .position(|b| b.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let tok = &rest[..end];
        rest = rest[end..].trim_start_matches(|c: char| c.is_ascii_whitespace());
        Some(tok)
    })
}

/// Characters that frame values inside a token; they stay literal.
fn is_delim(c: char) -> bool {
    matches!(
        c,
        '(' | ')' | '[' | ']' | '{' | '}' | '=' | ',' | ';' | '"' | '\'' | '<' | '>' | '|'
    )
}

/// Whether a token piece (no delimiters in it) is a variable value.
pub fn is_variable(piece: &str) -> bool {
    if piece.is_empty() {
        return false;
    }
    if piece.bytes().any(|b| b.is_ascii_digit()) {
        return true;
    }
    // Paths and URLs, with or without digits.
    if (piece.len() > 1 && piece.starts_with('/'))
        || piece.starts_with("./")
        || piece.starts_with("../")
        || piece.starts_with("~/")
        || piece.contains("://")
    {
        return true;
    }
    // Long hex runs without a digit are still ids (`deadbeefcafebabe`).
    piece.len() >= 16 && piece.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A piece's `key:` and value when the key is a plain word (`pid:4121`: `pid`, `4121`).
fn keyed(piece: &str) -> Option<(&str, &str)> {
    piece.split_once(':').filter(|(key, value)| {
        !key.is_empty()
            && !value.is_empty()
            && key.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_')
            && !value.starts_with("//")
    })
}

/// Whether [`mask_piece`] would change the piece.
fn piece_varies(piece: &str) -> bool {
    match keyed(piece) {
        Some((_, value)) => piece_varies(value),
        None => is_variable(piece),
    }
}

/// A piece with `key:` kept literal when the key is a plain word (`pid:4121` → `pid:<_>`).
fn mask_piece(piece: &str, out: &mut String) -> bool {
    if let Some((key, value)) = keyed(piece) {
        out.push_str(key);
        out.push(':');
        return mask_piece(value, out);
    }
    if is_variable(piece) {
        out.push_str(WILDCARD);
        true
    } else {
        out.push_str(piece);
        false
    }
}

/// The token with its variable pieces replaced by `<_>`; borrowed when nothing is variable.
/// Terminal escape sequences (colours of a dev console) count as variable: they vary with
/// the terminal, and the template must not carry them to the screen.
pub fn mask(token: &str) -> Cow<'_, str> {
    if !token.contains('\x1b') {
        return mask_plain(token);
    }
    let mut out = String::with_capacity(token.len());
    for (i, plain) in split_escapes(token).into_iter().enumerate() {
        if i > 0 && !out.ends_with(WILDCARD) {
            out.push_str(WILDCARD);
        }
        let m = mask_plain(plain);
        out.push_str(
            m.strip_prefix(WILDCARD)
                .filter(|_| out.ends_with(WILDCARD))
                .unwrap_or(&m),
        );
    }
    Cow::Owned(out)
}

/// The text between escape sequences (CSI `ESC [ … final`, OSC `ESC ] … BEL`, or `ESC x`).
fn split_escapes(token: &str) -> Vec<&str> {
    let b = token.as_bytes();
    let mut parts = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        if b[i] != 0x1b {
            i += 1;
            continue;
        }
        parts.push(&token[start..i]);
        i += 1;
        match b.get(i) {
            Some(b'[') => {
                i += 1;
                while i < b.len() && (0x20..0x40).contains(&b[i]) {
                    i += 1;
                }
                i += 1;
            }
            Some(b']') => {
                while i < b.len() && b[i] != 0x07 && b[i] != 0x1b {
                    i += 1;
                }
                if b.get(i) == Some(&0x07) {
                    i += 1;
                }
            }
            Some(_) => i += 1,
            None => {}
        }
        // Never split inside a UTF-8 character.
        while i < b.len() && !token.is_char_boundary(i) {
            i += 1;
        }
        i = i.min(b.len());
        start = i;
    }
    parts.push(&token[start..]);
    parts
}

fn mask_plain(token: &str) -> Cow<'_, str> {
    // Most tokens are words: tell without building anything.
    if !token.split(is_delim).any(piece_varies) {
        return Cow::Borrowed(token);
    }
    let mut out = String::with_capacity(token.len());
    let mut changed = false;
    let mut start = 0;
    for (i, c) in token.char_indices() {
        if is_delim(c) {
            changed |= mask_piece(&token[start..i], &mut out);
            out.push(c);
            start = i + c.len_utf8();
        }
    }
    changed |= mask_piece(&token[start..], &mut out);
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(token)
    }
}

/// Whether a masked line token fits a template token (equal, or the template is `<_>`).
pub fn fits(template: &str, token: &str) -> bool {
    template == WILDCARD || template == token
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_masked() {
        for (tok, want) in [
            ("evt-789", "<_>"),
            ("ag-456", "<_>"),
            ("42", "<_>"),
            ("-3.5", "<_>"),
            ("0xdeadbeef", "<_>"),
            ("deadbeefcafebabe", "<_>"),
            ("550e8400-e29b-41d4-a716-446655440000", "<_>"),
            ("250ms", "<_>"),
            ("1.5s", "<_>"),
            ("10.0.0.1", "<_>"),
            ("/var/log/app.log", "<_>"),
            ("https://example.org/x", "<_>"),
            ("2026-11-24T10:00:00.000Z", "<_>"),
            ("19:00:00", "<_>"),
            ("(pid:4121)", "(pid:<_>)"),
            ("[7]", "[<_>]"),
            ("user=alice42", "user=<_>"),
            ("a=1,b=2", "a=<_>,b=<_>"),
        ] {
            assert_eq!(mask(tok), want, "{tok}");
        }
    }

    #[test]
    fn words_are_not_variables() {
        for tok in [
            "GET",
            "error",
            "[ERROR]",
            "Worker",
            "SIGKILL!",
            "out-of-memory",
            "key=value",
            "deadbeef",
            "/",
            "status:ok",
        ] {
            assert_eq!(mask(tok), tok, "{tok}");
        }
    }

    #[test]
    fn escape_sequences_become_one_wildcard() {
        assert_eq!(mask("\x1b[32m\x1b[1minfo\x1b[0m"), "<_>info<_>");
        assert_eq!(mask("\x1b[2m2026-11-24\x1b[0m"), "<_>");
        assert_eq!(mask("x\x1b]0;pwned\x07y"), "x<_>y");
        assert_eq!(mask("\x1b"), "<_>");
    }

    #[test]
    fn split_caps_tokens_and_keeps_the_rest() {
        assert_eq!(split("  a b\t c  ", 8), vec!["a", "b", "c"]);
        assert_eq!(split("a b c d  e ", 3), vec!["a", "b", "c d  e"]);
        assert!(split("   ", 4).is_empty());
    }
}
