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

/// The scanner as it was before the byte-level shortcuts (every key sanitised into the name
/// buffer, strings found with `memchr2`, numbers byte by byte): the reference the fast one
/// must equal on any line and any choice of wanted names.
mod reference {
    use super::super::{JsonError, MAX_DEPTH, sanitize_into, unescape, unescape_cow};
    use std::borrow::Cow;

    type R<T> = Result<T, JsonError>;

    struct Sc<'a> {
        s: &'a str,
        b: &'a [u8],
        p: usize,
    }

    pub fn flatten<'a>(
        line: &'a str,
        want: &mut dyn FnMut(&str) -> bool,
        emit: &mut dyn FnMut(&str, Cow<'a, str>),
    ) -> R<()> {
        let mut sc = Sc {
            s: line,
            b: line.as_bytes(),
            p: 0,
        };
        sc.ws();
        if sc.peek() != Some(b'{') {
            return Err(JsonError);
        }
        sc.object(&mut String::new(), 0, want, emit)
    }

    impl<'a> Sc<'a> {
        fn peek(&self) -> Option<u8> {
            self.b.get(self.p).copied()
        }
        fn next(&mut self) -> Option<u8> {
            let c = self.peek();
            self.p += 1;
            c
        }
        fn ws(&mut self) {
            while matches!(self.peek(), Some(b' ' | b'\n' | b'\t' | b'\r')) {
                self.p += 1;
            }
        }
        fn expect(&mut self, c: u8) -> R<()> {
            if self.next() == Some(c) {
                Ok(())
            } else {
                Err(JsonError)
            }
        }
        fn string_raw(&mut self) -> R<(&'a str, bool)> {
            self.expect(b'"')?;
            let start = self.p;
            let mut escaped = false;
            loop {
                let rel = memchr::memchr2(b'"', b'\\', &self.b[self.p..]).ok_or(JsonError)?;
                self.p += rel;
                if self.b[self.p] == b'"' {
                    let raw = self.s.get(start..self.p).ok_or(JsonError)?;
                    self.p += 1;
                    return Ok((raw, escaped));
                }
                escaped = true;
                self.p += 2;
                if self.p > self.b.len() {
                    return Err(JsonError);
                }
            }
        }
        fn number_or_literal(&mut self) -> R<&'a str> {
            let start = self.p;
            while let Some(c) = self.peek() {
                if c.is_ascii_alphanumeric() || c == b'-' || c == b'+' || c == b'.' {
                    self.p += 1;
                } else {
                    break;
                }
            }
            let text = self.s.get(start..self.p).ok_or(JsonError)?;
            match text.as_bytes().first() {
                Some(b'-' | b'0'..=b'9') => Ok(text),
                _ if text == "true" || text == "false" || text == "null" => Ok(text),
                _ => Err(JsonError),
            }
        }
        fn object(
            &mut self,
            prefix: &mut String,
            depth: usize,
            want: &mut dyn FnMut(&str) -> bool,
            emit: &mut dyn FnMut(&str, Cow<'a, str>),
        ) -> R<()> {
            if depth > MAX_DEPTH {
                return Err(JsonError);
            }
            self.expect(b'{')?;
            self.ws();
            if self.peek() == Some(b'}') {
                self.p += 1;
                return Ok(());
            }
            loop {
                self.ws();
                let (kraw, kesc) = self.string_raw()?;
                self.ws();
                self.expect(b':')?;
                self.ws();
                let plen = prefix.len();
                let is_first = plen == 0;
                if !is_first {
                    prefix.push('_');
                }
                if kesc {
                    sanitize_into(prefix, &unescape(kraw)?, is_first);
                } else {
                    sanitize_into(prefix, kraw, is_first);
                }
                match self.peek() {
                    Some(b'{') => self.object(prefix, depth + 1, want, emit)?,
                    Some(b'[') => self.skip_value(depth + 1)?,
                    Some(b'"') => {
                        let (vraw, vesc) = self.string_raw()?;
                        if !prefix.is_empty() && want(prefix) {
                            emit(prefix, unescape_cow(vraw, vesc)?);
                        }
                    }
                    _ => {
                        let v = self.number_or_literal()?;
                        if v != "null" && !prefix.is_empty() && want(prefix) {
                            emit(prefix, Cow::Borrowed(v));
                        }
                    }
                }
                prefix.truncate(plen);
                self.ws();
                match self.next() {
                    Some(b',') => continue,
                    Some(b'}') => return Ok(()),
                    _ => return Err(JsonError),
                }
            }
        }
        fn skip_value(&mut self, depth: usize) -> R<()> {
            if depth > MAX_DEPTH {
                return Err(JsonError);
            }
            self.ws();
            match self.peek() {
                Some(b'"') => self.string_raw().map(|_| ()),
                Some(open @ (b'{' | b'[')) => {
                    let close = if open == b'{' { b'}' } else { b']' };
                    self.p += 1;
                    self.ws();
                    if self.peek() == Some(close) {
                        self.p += 1;
                        return Ok(());
                    }
                    loop {
                        if open == b'{' {
                            self.ws();
                            self.string_raw()?;
                            self.ws();
                            self.expect(b':')?;
                        }
                        self.skip_value(depth + 1)?;
                        self.ws();
                        match self.next() {
                            Some(b',') => continue,
                            Some(c) if c == close => return Ok(()),
                            _ => return Err(JsonError),
                        }
                    }
                }
                _ => self.number_or_literal().map(|_| ()),
            }
        }
    }
}

type Emitted = (Result<(), JsonError>, Vec<(String, String)>);

fn run_both(line: &str, want: &dyn Fn(&str) -> bool) -> (Emitted, Emitted) {
    let (mut fast, mut slow) = (Vec::new(), Vec::new());
    let rf = flatten(line, &mut |n| want(n), &mut |k, v| {
        fast.push((k.to_string(), v.into_owned()))
    });
    let rs = reference::flatten(line, &mut |n| want(n), &mut |k, v| {
        slow.push((k.to_string(), v.into_owned()))
    });
    ((rf, fast), (rs, slow))
}

/// Lines with escapes, unicode and every kind of invalid JSON: the byte-level scanner gives
/// exactly what the reference gives (labels, values, error), for every line and for every
/// choice of wanted names (all, none, a few, names only a nested or escaped key gives).
#[test]
fn fast_scanner_equals_the_reference_on_hostile_lines() {
    let base = r#"{"event":"request.end","method":"GET","status":200,"duration_ms":368.9,"args":{"repo":"a/b","n":[1,{"x":2}]},"ok":true,"z":null,"timestamp":"2025-10-20T06:00:21.561805Z","level":"info","logger":"vulnsentinel.api"}"#;
    let mut lines: Vec<String> = [
        r#"{"a":"\"q\" \\ \/ \b\f\n\r\t","b":"\u00e9","c":"\ud83d\ude00","d":"\ud83d","e":"\ude00x","f":"\u00"}"#,
        r#"{"k\u0065y":"v","\u00e9":"x","a\"b":1,"a\\b":2,"\ud800":3,"bad\q":4}"#,
        r#"{"bad":"\q","x":1}"#,
        r#"{"x":"\u12G4"}"#,
        "{\"ctl\":\"a\u{1}b\u{7f}\",\"t\":\"\t\"}",
        r#"{"漏洞":"值","é":"ü","mixed-key.name":"v","  padded  ":"p","1st":"d","":"empty"}"#,
        r#"{"a":1,"a":2,"a":"three","a":{"b":4},"a_b":5}"#,
        r#"{"o":{"p":{"q":{"r":"deep"}},"arr":[{"s":1},[2,[3]],"t"]},"o_p_q_r":"flat"}"#,
        r#"{"n":[-0,0,1,-1.5,1e5,1E-5,1.0e+10,-2.5E3,00,01,1.,.5,+1,0x10,1e,--1,1-2,Infinity,NaN,true,false,null]}"#,
        r#"{"i":0,"j":-0,"k":1.5e-3,"l":1E+9,"m":007,"n":1e,"o":-,"p":tru,"q":nul,"r":nulls}"#,
        r#"{"a":1"#,
        r#"{"a":"x"#,
        r#"{"a":{"b":1}"#,
        r#"{"a":1} trailing garbage"#,
        r#"{"a":1}}"#,
        r#"{"a":1,}"#,
        r#"{,"a":1}"#,
        r#"{"a" 1}"#,
        r#"{"a":}"#,
        r#"{"a":[1,2}"#,
        r#"{"a":[1,,2]}"#,
        "{\"a\":\"\\",
        "{\"a\\",
        r#"{"__error__":"x","_":{"error__":"y"},"-_error__":"z"}"#,
        r#"{"duration_ms":"12","duration":{"ms":13},"duration ms":14,"level":"x","module":"m"}"#,
        "  \t{ \"a\" : 1 , \"b\" :\n\"c\" }  ",
        "{}",
        "{ }",
        "[1,2]",
        "\"str\"",
        "",
        "plain text",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    lines.push(format!("{{\"big\":\"{}\",\"n\":1}}", "x\\\"".repeat(3000)));
    lines.push("{\"a\":".repeat(300) + "1" + &"}".repeat(300));
    lines.push("{\"a\":".repeat(256) + "1" + &"}".repeat(256));
    lines.push("{\"a\":".repeat(257) + "[1]" + &"}".repeat(257));
    // Every truncation of a rich line, and bytes swapped for JSON-significant ones.
    for end in 0..base.len() {
        if base.is_char_boundary(end) {
            lines.push(base[..end].to_string());
        }
    }
    let mut rng = 0x1234_5678_9abc_def1_u64;
    let swaps = [
        '"', '\\', '{', '}', '[', ']', ':', ',', ' ', 'é', '\u{1}', '0', 'e', '-',
    ];
    for _ in 0..3000 {
        let mut chars: Vec<char> = base.chars().collect();
        for _ in 0..1 + rng % 3 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let at = (rng % chars.len() as u64) as usize;
            let with = swaps[((rng >> 20) % swaps.len() as u64) as usize];
            match (rng >> 40) % 3 {
                0 => chars[at] = with,
                1 => chars.insert(at, with),
                _ => {
                    chars.remove(at);
                }
            }
        }
        lines.push(chars.into_iter().collect());
    }
    let wants: [&dyn Fn(&str) -> bool; 5] = [
        &|_| true,
        &|_| false,
        &|n| ["__error__", "duration_ms", "module"].contains(&n),
        &|n| ["args_repo", "o_p_q_r", "a", "key", "_", "__"].contains(&n),
        &|n| n.len() % 2 == 0,
    ];
    let mut errors = 0;
    for line in &lines {
        for (i, want) in wants.iter().enumerate() {
            let (fast, slow) = run_both(line, want);
            assert_eq!(fast, slow, "want #{i} on {line:?}");
            errors += usize::from(fast.0.is_err());
        }
    }
    // Both valid and invalid lines were compared.
    assert!(
        errors > 1000 && errors < lines.len() * wants.len() - 1000,
        "{errors}"
    );
    // Asking only about names in the wanted names' sketch changes nothing.
    let lists: [&[&str]; 3] = [
        &["__error__", "duration_ms", "module"],
        &["args_repo", "o_p_q_r", "a", "key", "_", "__"],
        &["a_b_c", "_1x", "event"],
    ];
    let mut emitted = 0;
    for names in lists {
        let sketch = names.iter().fold(0, |m, n| m | name_sketch(n));
        for line in &lines {
            let mut fast = Vec::new();
            let rf = flatten_sketched(line, sketch, &mut |n| names.contains(&n), &mut |k, v| {
                fast.push((k.to_string(), v.into_owned()))
            });
            let (_, slow) = run_both(line, &|n| names.contains(&n));
            assert_eq!((rf, fast), slow, "{names:?} on {line:?}");
            emitted += slow.1.len();
        }
    }
    assert!(emitted > 1000, "{emitted}");
}
