//! Label names and label sets (`labels`, `series`), plain and through the terminal's escaping.

use super::*;

#[test]
fn lists() {
    let mut out = Vec::new();
    write_names(
        &mut out,
        &["a".into(), "b\u{1b}".into()],
        OutputFormat::Text,
    )
    .unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "a\nb^[\n");
    let mut out = Vec::new();
    write_label_sets(
        &mut out,
        &[labels(&[("a", "1"), ("b", "x y")])],
        OutputFormat::Text,
    )
    .unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "{a=\"1\", b=\"x y\"}\n");
    let mut out = Vec::new();
    write_label_sets(&mut out, &[labels(&[("a", "1")])], OutputFormat::Json).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "[{\"a\":\"1\"}]\n");
}

/// A list written the way the CLI writes it: through the escaping stdout needs.
fn list_to(format: OutputFormat, terminal: bool, names: &[String], sets: &[Labels]) -> String {
    let mut out = Vec::new();
    {
        let mut w = SafeWriter::new(&mut out, escape_for(format, terminal, false));
        write_names(&mut w, names, format).unwrap();
        write_label_sets(&mut w, sets, format).unwrap();
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn lists_to_a_terminal_show_controls_in_every_format_and_stay_raw_to_a_pipe() {
    let names = [
        "b\u{1b}]0;t\u{7}".to_string(),
        "r\u{202e}l\u{85}".to_string(),
    ];
    let sets = [labels(&[("a", "x\u{1b}[2J\u{2028}")])];
    for format in OutputFormat::ALL {
        let shown = list_to(format, true, &names, &sets);
        assert!(
            !shown
                .chars()
                .any(|c| c != '\n' && crate::sanitize::is_dangerous(c)),
            "{format:?}: {shown:?}"
        );
        let piped = list_to(format, false, &names, &sets);
        if matches!(format, OutputFormat::Raw | OutputFormat::Csv) {
            assert!(piped.contains("b\u{1b}]0;t\u{7}"), "{format:?}: {piped:?}");
            assert!(shown.contains("b^[]0;t^G"), "{format:?}: {shown:?}");
        }
    }
    // JSON stays the same JSON value on a terminal.
    let shown = list_to(OutputFormat::Json, true, &names[1..], &[]);
    let first = shown.lines().next().unwrap_or_default();
    let back: Vec<String> = serde_json::from_str(first).unwrap();
    assert_eq!(back, names[1..]);
    assert!(shown.contains(r"r\u202el\u0085"), "{shown}");
}
