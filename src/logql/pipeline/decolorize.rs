//! `| decolorize`: removes ANSI escape sequences (SGR colours, other CSI, OSC such as a window
//! title `ESC]0;title BEL`), using the widely used `ansi-regex` pattern.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

#[allow(clippy::expect_used)] // a constant pattern, covered by the tests below
static ANSI: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        "[\u{1b}\u{9b}][\\[\\]()#;?]*(?:(?:(?:[a-zA-Z0-9]*(?:;[a-zA-Z0-9]*)*)?\u{7})|(?:(?:[0-9]{1,4}(?:;[0-9]{0,4})*)?[0-9A-PRZcf-ntqry=><~]))",
    )
    .expect("valid ANSI regex")
});

/// The line without escape sequences (borrowed when it had none).
pub fn decolorize(line: &str) -> Cow<'_, str> {
    if !line.contains(['\u{1b}', '\u{9b}']) {
        return Cow::Borrowed(line);
    }
    ANSI.replace_all(line, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_sgr_and_osc() {
        assert_eq!(
            decolorize(
                "\u{1b}[33mWARNING\u{1b}[0m x: \u{1b}[31mSeg\u{1b}[0m\u{1b}]0;pwned\u{7} (core)"
            ),
            "WARNING x: Seg (core)"
        );
        assert_eq!(
            decolorize("\u{1b}[2m2026\u{1b}[0m [\u{1b}[32m\u{1b}[1minfo\u{1b}[0m]"),
            "2026 [info]"
        );
        assert!(matches!(decolorize("plain \\u001b[31m"), Cow::Borrowed(_)));
    }
}
