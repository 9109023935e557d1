use super::*;

fn all(line: &str) -> Result<Vec<(String, String)>, JsonError> {
    let mut out = Vec::new();
    flatten(line, &mut |_| true, &mut |k, v| {
        out.push((k.to_string(), v.into_owned()))
    })?;
    Ok(out)
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn flattens_nested_keys_and_keeps_number_text() {
    assert_eq!(
            all(r#"{"event":"x","args":{"repo":"a/b","n":{"d":1.50}},"list":[1,{"a":2}],"ok":true,"z":null,"e":""}"#)
                .unwrap(),
            pairs(&[
                ("event", "x"),
                ("args_repo", "a/b"),
                ("args_n_d", "1.50"),
                ("ok", "true"),
                ("e", "")
            ])
        );
}

#[test]
fn sanitises_names_and_unescapes_values() {
    assert_eq!(
        all(r#"{"a-b.c":"\u001b[31m\"q\"\n","1x":"y","漏洞":"\ud83d\ude00"}"#).unwrap(),
        pairs(&[("a_b_c", "\u{1b}[31m\"q\"\n"), ("_1x", "y"), ("__", "😀")])
    );
}

#[test]
fn rejects_non_objects() {
    for l in [
        "plain text",
        "",
        "[1,2]",
        r#"{"a":1"#,
        r#"{"a":}"#,
        r#"{"a" 1}"#,
        r#"{"a":"x}"#,
        "{\"a\":\"\\",
    ] {
        assert_eq!(all(l), Err(JsonError), "{l}");
        assert_eq!(validate(l), Err(JsonError), "{l}");
    }
    let deep = "{\"a\":".repeat(10_000);
    assert_eq!(all(&deep), Err(JsonError));
    assert_eq!(validate(&deep), Err(JsonError));
}

#[test]
fn unpack_top_level_strings() {
    let mut out = Vec::new();
    unpack(
        r#"{"_entry":"line","a":"b","n":1,"o":{"x":"y"}}"#,
        &mut |k, v| out.push((k.to_string(), v.into_owned())),
    )
    .unwrap();
    assert_eq!(out, pairs(&[("_entry", "line"), ("a", "b")]));
}
