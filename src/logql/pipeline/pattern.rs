//! Loki's `pattern` expressions: literals and captures (`<name>`, `<_>`), used by the
//! `| pattern "…"` parser and the `|>`/`!>` line filters.

/// One piece of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Literal(String),
    /// A capture; `None` is the unnamed `<_>`.
    Capture(Option<String>),
}

/// A parsed pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    nodes: Vec<Node>,
    /// A searcher per literal, built once: a filter runs on every line (the pattern miner
    /// checks each of its templates on every line it counts).
    finders: Vec<Option<memchr::memmem::Finder<'static>>>,
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.nodes == other.nodes
    }
}

impl Eq for Pattern {}

impl Pattern {
    fn parse(text: &str) -> Result<Self, String> {
        let mut nodes = Vec::new();
        let mut lit = String::new();
        let mut rest = text;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('<') {
                let end = after.find('>');
                let name = end.map(|e| &after[..e]);
                if let Some(name) = name.filter(|n| is_capture_name(n)) {
                    if !lit.is_empty() {
                        nodes.push(Node::Literal(std::mem::take(&mut lit)));
                    }
                    if matches!(nodes.last(), Some(Node::Capture(_))) {
                        return Err("consecutive capture not allowed".into());
                    }
                    nodes.push(Node::Capture((name != "_").then(|| name.to_string())));
                    rest = &after[name.len() + 1..];
                    continue;
                }
            }
            let c = rest.chars().next().unwrap_or('\0');
            lit.push(c);
            rest = &rest[c.len_utf8()..];
        }
        if !lit.is_empty() {
            nodes.push(Node::Literal(lit));
        }
        let finders = nodes
            .iter()
            .map(|n| match n {
                Node::Literal(l) => Some(memchr::memmem::Finder::new(l.as_bytes()).into_owned()),
                Node::Capture(_) => None,
            })
            .collect();
        Ok(Self { nodes, finders })
    }

    /// Parses a pattern for the `| pattern` stage: it needs at least one named capture, and
    /// names must not repeat.
    pub fn parse_parser(text: &str) -> Result<Self, String> {
        let p = Self::parse(text)?;
        let names: Vec<&String> = p
            .nodes
            .iter()
            .filter_map(|n| match n {
                Node::Capture(Some(name)) => Some(name),
                _ => None,
            })
            .collect();
        if names.is_empty() {
            return Err("at least one capture is required".into());
        }
        for (i, n) in names.iter().enumerate() {
            if names[..i].contains(n) {
                return Err(format!("duplicate capture name ({n})"));
            }
        }
        Ok(p)
    }

    /// Parses a pattern for the `|>`/`!>` line filters (only `<_>` makes sense there).
    pub fn parse_filter(text: &str) -> Result<Self, String> {
        // An empty filter pattern is valid in Loki: `|> ""` keeps nothing, `!> ""` everything.
        Self::parse(text)
    }

    /// The capture names in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.nodes.iter().filter_map(|n| match n {
            Node::Capture(Some(name)) => Some(name.as_str()),
            _ => None,
        })
    }

    /// Extracts named captures, as Loki's pattern parser does: a leading literal must be a
    /// prefix; each capture runs to the next occurrence of the literal after it (or to the end
    /// of the line when that literal is missing, which ends matching).
    pub fn captures<'p, 'l>(&'p self, line: &'l str, out: &mut Vec<(&'p str, &'l str)>) {
        if line.is_empty() || self.nodes.is_empty() {
            return;
        }
        let mut rest = line;
        let mut nodes = &self.nodes[..];
        if let Some(Node::Literal(l)) = nodes.first() {
            let Some(r) = rest.strip_prefix(l.as_str()) else {
                return;
            };
            rest = r;
            nodes = &nodes[1..];
        }
        while let Some(Node::Capture(name)) = nodes.first() {
            match nodes.get(1) {
                None => {
                    if let Some(n) = name {
                        out.push((n, rest));
                    }
                    return;
                }
                Some(Node::Literal(l)) => match rest.find(l.as_str()) {
                    Some(i) => {
                        if let Some(n) = name {
                            out.push((n, &rest[..i]));
                        }
                        rest = &rest[i + l.len()..];
                        nodes = &nodes[2..];
                    }
                    None => {
                        if let Some(n) = name {
                            out.push((n, rest));
                        }
                        return;
                    }
                },
                Some(Node::Capture(_)) => return,
            }
        }
    }

    /// Whether a line matches the pattern as a filter, as Loki 65e30f8's `|>` does: a leading
    /// literal is a prefix; each capture runs to the *first* occurrence of the literal after it
    /// and must not be empty (`<_>{<_>` matches no JSON line, `<_>}` only lines whose first `}`
    /// ends them); a trailing literal must end the line, a trailing capture must take something.
    pub fn matches(&self, line: &str) -> bool {
        let n = self.nodes.len();
        let mut rest = line.as_bytes();
        let mut i = 0;
        if let Some(Node::Literal(l)) = self.nodes.first() {
            match rest.strip_prefix(l.as_bytes()) {
                Some(r) => rest = r,
                None => return false,
            }
            if n == 1 {
                return rest.is_empty();
            }
            i = 1;
        }
        // Captures and literals alternate, so `nodes[i]` is a capture here.
        while i < n {
            let Some(Node::Literal(l)) = self.nodes.get(i + 1) else {
                return !rest.is_empty();
            };
            let found = match &self.finders[i + 1] {
                Some(f) => f.find(rest),
                None => memchr::memmem::find(rest, l.as_bytes()),
            };
            match found {
                Some(p) if p > 0 => rest = &rest[p + l.len()..],
                _ => return false,
            }
            if i + 2 == n {
                return rest.is_empty();
            }
            i += 2;
        }
        n > 0
    }
}

fn is_capture_name(n: &str) -> bool {
    let mut c = n.chars();
    matches!(c.next(), Some(f) if f.is_ascii_alphabetic() || f == '_')
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(p: &str, line: &str) -> Vec<(String, String)> {
        let p = Pattern::parse_parser(p).unwrap();
        let mut out = Vec::new();
        p.captures(line, &mut out);
        out.into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn extracts_captures() {
        assert_eq!(
            caps("<ip> - <_> \"<method> <path>\"", "1.2.3.4 - x \"GET /a\""),
            vec![
                ("ip".into(), "1.2.3.4".into()),
                ("method".into(), "GET".into()),
                ("path".into(), "/a".into())
            ]
        );
        assert_eq!(caps("a=<a> b=<b>", "x=1"), vec![]);
        assert_eq!(
            caps("<a> b=<b>", "1 c=2"),
            vec![("a".into(), "1 c=2".into())]
        );
    }

    #[test]
    fn rejects_bad_patterns() {
        assert!(Pattern::parse_parser("<a><b>").is_err());
        assert!(Pattern::parse_parser("no captures").is_err());
        assert!(Pattern::parse_parser("<a> <a>").is_err());
    }

    #[test]
    fn filter_matches() {
        let p = Pattern::parse_filter("<_>rate limit<_>").unwrap();
        assert!(p.matches("GitHub rate limit exceeded"));
        assert!(!p.matches("rate-limit"));
        let p = Pattern::parse_filter("GET <_> 200").unwrap();
        assert!(p.matches("GET /x 200"));
        assert!(!p.matches("GET /x 2000"));
        assert!(!p.matches("POST /x 200"));
        // Loki 65e30f8 (lab, conformance data): captures are never empty and stop at the first
        // occurrence of the next literal.
        let p = Pattern::parse_filter("<_>{<_>").unwrap();
        assert!(!p.matches(r#"{"event":"x","args":{"a":1}}"#));
        let p = Pattern::parse_filter("<_>}").unwrap();
        assert!(p.matches(r#"{"event":"x"}"#));
        assert!(!p.matches(r#"{"args":{"a":1}}"#));
        let p = Pattern::parse_filter("<_>}<_>").unwrap();
        assert!(!p.matches(r#"{"event":"x"}"#));
        assert!(p.matches(r#"{"args":{"a":1}}"#));
        assert!(
            !Pattern::parse_filter("<_>rate limit<_>")
                .unwrap()
                .matches("rate limit hit")
        );
        assert!(Pattern::parse_filter("GET").unwrap().matches("GET"));
        assert!(!Pattern::parse_filter("GET").unwrap().matches("GET /"));
    }
}
