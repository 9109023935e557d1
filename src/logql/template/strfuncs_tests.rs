use super::super::tests::render;

#[test]
fn strings() {
    assert_eq!(
        render(r#"{{ .a | ToUpper }} {{ toLower "AbC" }} {{ toUpper "x" }} {{ ToLower "Y" }}"#),
        "HELLO WORLD abc X y"
    );
    assert_eq!(
        render(r#"{{ title "hello wide world" }}"#),
        "Hello Wide World"
    );
    assert_eq!(
        render(r#"{{ trunc 3 "abcdef" }}|{{ trunc -2 "abcdef" }}|{{ trunc 10 "ab" }}"#),
        "abc|ef|ab"
    );
    assert_eq!(
        render(
            r#"{{ trunc 2 "漏洞修复" }}|{{ trunc -1 "漏洞修复" }}|{{ trunc -9 "ab" }}|{{ trunc 0 "ab" }}"#
        ),
        "漏洞|复|ab|"
    );
    assert_eq!(
        render(r#"{{ substr 1 3 "abcdef" }}|{{ substr 2 -1 "abcdef" }}|{{ substr 2 99 "abc" }}"#),
        "bc|cdef|c"
    );
    assert_eq!(render(r#"{{ replace "o" "0" .a }}"#), "hell0 w0rld");
    assert_eq!(
        render(r#"[{{ trim "  x  " }}][{{ trimSpace "\ty\n" }}][{{ trimAll "$" "$$5$" }}]"#),
        "[x][y][5]"
    );
    assert_eq!(
        render(r#"{{ trimPrefix "he" .a }}|{{ trimSuffix "ld" .a }}"#),
        "llo world|hello wor"
    );
    assert_eq!(
        render(r#"{{ default "-" .missing }} {{ default "-" .a }} {{ default "d" }}"#),
        "- hello world d"
    );
    assert_eq!(
        render(r#"{{ contains "lo w" .a }} {{ hasPrefix "he" .a }} {{ hasSuffix "x" .a }}"#),
        "true true false"
    );
    assert_eq!(
        render(r#"{{ regexReplaceAll "o(.)" .a "${1}X" }}"#),
        "hell XwrXld"
    );
    assert_eq!(
        render(r#"{{ regexReplaceAllLiteral "o" .a "$1" }}"#),
        "hell$1 w$1rld"
    );
    assert_eq!(render(r#"{{ count "o" .a }}"#), "2");
    assert_eq!(
        render(r#"{{ indent 2 "a\nb" }}|{{ nindent 1 "c" }}"#),
        "  a\n  b|\n c"
    );
    assert_eq!(render(r#"{{ repeat 3 "ab" }}"#), "ababab");
    assert_eq!(
        render(
            r#"[{{ alignLeft 5 "ab" }}][{{ alignLeft 2 "abcd" }}][{{ alignRight 4 "ab" }}][{{ alignRight 2 "abcd" }}]"#
        ),
        "[ab   ][ab][  ab][cd]"
    );
    assert_eq!(render(r#"{{ len .a }} {{ len "" }}"#), "11 0");
}

#[test]
fn regexes_use_go_semantics() {
    // RE2's \d is ASCII-only: the Arabic-Indic digit stays.
    assert_eq!(render(r##"{{ regexReplaceAll "\\d" "a1٣" "#" }}"##), "a#٣");
    assert!(super::super::tests::render_err(r#"{{ count "(" .a }}"#).contains("missing closing )"));
    assert_eq!(render(r#"{{ count "o" .a }}{{ count "o" .a }}"#), "22");
}

#[test]
fn go_strings_functions() {
    assert_eq!(
        render(r#"{{ lower "AbC" }} {{ upper "x" }} {{ TrimSpace " y " }}"#),
        "abc X y"
    );
    assert_eq!(
        render(r#"{{ Replace .a "o" "0" 1 }}|{{ Replace .a "o" "0" -1 }}"#),
        "hell0 world|hell0 w0rld"
    );
    assert_eq!(
        render(
            r#"[{{ Trim "xxhixx" "x" }}][{{ TrimLeft "xxhixx" "x" }}][{{ TrimRight "xxhixx" "x" }}]"#
        ),
        "[hi][hixx][xxhi]"
    );
    assert_eq!(
        render(r#"{{ TrimPrefix .a "hello " }}|{{ TrimSuffix .a " world" }}"#),
        "world|hello"
    );
    assert_eq!(
        render(r#"{{ bytes "2KiB" }} {{ duration "1m30s" }} {{ duration_seconds "250ms" }}"#),
        "2048 90 0.25"
    );
    assert!(super::super::tests::render_err(r#"{{ duration "5" }}"#).contains("duration"));
}

#[test]
fn from_json() {
    assert_eq!(
        render(r#"{{ (fromJson `{"a":{"b":"c"},"n":2}`).a.b }} {{ (fromJson `{"n":2.5}`).n }}"#),
        "c 2.5"
    );
    assert_eq!(
        render(
            r#"{{ fromJson `[1,"x"]` }}|{{ fromJson `{"b":1,"a":true}` }}|{{ fromJson "nope" }}"#
        ),
        "[1 x]|map[a:true b:1]|<no value>"
    );
    assert_eq!(
        render(r#"{{ if (fromJson `{}`) }}y{{ else }}n{{ end }}"#),
        "n"
    );
}

#[test]
fn encodings() {
    assert_eq!(
        render(r#"{{ toJson .a }} {{ toJson 3 }} {{ toJson "<\"x\">" }}"#),
        r#""hello world" 3 "\u003c\"x\"\u003e""#
    );
    assert_eq!(
        render(r#"{{ urlencode "a b&c=d/é" }}|{{ urldecode "a+b%26c" }}"#),
        "a+b%26c%3Dd%2F%C3%A9|a b&c"
    );
    assert_eq!(
        render(r#"{{ b64enc "hello" }}|{{ b64dec "aGVsbG8=" }}"#),
        "aGVsbG8=|hello"
    );
}
