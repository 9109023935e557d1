//! Which templates a line could match as a filter: a `|>` pattern's leading literal must be
//! a prefix of the line, so the counting pass walks a byte trie of the leading literals
//! along the line instead of comparing every template's literal with every line.

/// A byte trie of leading literals, each node listing the templates whose literal ends there.
#[derive(Debug, Clone)]
pub struct Prefixes {
    nodes: Vec<Node>,
}

#[derive(Debug, Clone, Default)]
struct Node {
    /// (byte, child node), few per node.
    children: Vec<(u8, usize)>,
    ids: Vec<usize>,
}

impl Prefixes {
    /// The trie of `(leading literal, template id)` pairs.
    pub fn new<'a>(items: impl IntoIterator<Item = (&'a str, usize)>) -> Self {
        let mut nodes = vec![Node::default()];
        for (prefix, id) in items {
            let mut at = 0;
            for &b in prefix.as_bytes() {
                at = match nodes[at].children.iter().find(|(c, _)| *c == b) {
                    Some(&(_, next)) => next,
                    None => {
                        nodes.push(Node::default());
                        let next = nodes.len() - 1;
                        nodes[at].children.push((b, next));
                        next
                    }
                };
            }
            nodes[at].ids.push(id);
        }
        Self { nodes }
    }

    /// Calls `f` with every template id whose leading literal `line` starts with.
    pub fn each(&self, line: &str, mut f: impl FnMut(usize)) {
        let mut at = 0;
        let mut bytes = line.as_bytes().iter();
        loop {
            let node = &self.nodes[at];
            node.ids.iter().for_each(|&id| f(id));
            let Some(&b) = bytes.next() else { return };
            match node.children.iter().find(|(c, _)| *c == b) {
                Some(&(_, next)) => at = next,
                None => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(p: &Prefixes, line: &str) -> Vec<usize> {
        let mut out = Vec::new();
        p.each(line, |id| out.push(id));
        out.sort_unstable();
        out
    }

    #[test]
    fn finds_exactly_the_literals_the_line_starts_with() {
        let items = [
            ("", 0),
            ("GET ", 1),
            ("GET /a", 2),
            ("POST ", 3),
            ("{\"event\":\"a\"", 4),
            ("{\"event\":\"ab\"", 5),
            ("GET ", 6),
            ("é", 7),
        ];
        let p = Prefixes::new(items.iter().copied());
        for line in [
            "GET /a 200",
            "GET /b",
            "GET",
            "POST x",
            "{\"event\":\"a\",\"x\":1}",
            "{\"event\":\"ab\"}",
            "é x",
            "",
            "other",
        ] {
            let mut want: Vec<usize> = items
                .iter()
                .filter(|(pre, _)| line.starts_with(pre))
                .map(|&(_, id)| id)
                .collect();
            want.sort_unstable();
            assert_eq!(found(&p, line), want, "{line}");
        }
    }
}
