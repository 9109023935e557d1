//! Which templates a line could match as a filter: a `|>` pattern's leading literal must be
//! a prefix of the line, so the counting pass walks a byte trie of the leading literals
//! along the line instead of comparing every template's literal with every line.

/// A trie of leading literals, each node listing the templates whose literal ends there.
/// Chains of nodes with one child and no template are merged into one edge, walked with one
/// slice comparison: the literals of structlog templates share a long `{"event":"` and
/// branch only at the event names and at the message keys.
#[derive(Debug, Clone)]
pub struct Prefixes {
    nodes: Vec<Node>,
}

#[derive(Debug, Clone, Default)]
struct Node {
    /// The bytes of the edge into this node (empty for the root).
    label: Vec<u8>,
    /// (first byte of the child's label, child node).
    children: Vec<(u8, usize)>,
    ids: Vec<usize>,
}

/// A node of the byte trie the merged one is built from.
#[derive(Default)]
struct ByteNode {
    children: Vec<(u8, usize)>,
    ids: Vec<usize>,
}

impl Prefixes {
    /// The trie of `(leading literal, template id)` pairs.
    pub fn new<'a>(items: impl IntoIterator<Item = (&'a str, usize)>) -> Self {
        let mut bytes = vec![ByteNode::default()];
        for (prefix, id) in items {
            let mut at = 0;
            for &b in prefix.as_bytes() {
                at = match bytes[at].children.iter().find(|(c, _)| *c == b) {
                    Some(&(_, next)) => next,
                    None => {
                        bytes.push(ByteNode::default());
                        let next = bytes.len() - 1;
                        bytes[at].children.push((b, next));
                        next
                    }
                };
            }
            bytes[at].ids.push(id);
        }
        let mut nodes = vec![Node {
            ids: std::mem::take(&mut bytes[0].ids),
            ..Node::default()
        }];
        // (byte node, merged node it hangs under): each child edge runs on while it is the
        // only way on and no template ends on it.
        let mut todo = vec![(0, 0)];
        while let Some((from, parent)) = todo.pop() {
            for (first, mut at) in std::mem::take(&mut bytes[from].children) {
                let mut label = vec![first];
                while bytes[at].ids.is_empty() && bytes[at].children.len() == 1 {
                    let (b, next) = bytes[at].children[0];
                    label.push(b);
                    at = next;
                }
                nodes.push(Node {
                    label,
                    children: Vec::new(),
                    ids: std::mem::take(&mut bytes[at].ids),
                });
                let child = nodes.len() - 1;
                nodes[parent].children.push((first, child));
                todo.push((at, child));
            }
        }
        Self { nodes }
    }

    /// Calls `f` with every template id whose leading literal `line` starts with.
    pub fn each(&self, line: &str, mut f: impl FnMut(usize)) {
        let line = line.as_bytes();
        let (mut at, mut pos) = (0, 0);
        loop {
            let node = &self.nodes[at];
            node.ids.iter().for_each(|&id| f(id));
            let Some(&b) = line.get(pos) else { return };
            let Some(&(_, next)) = node.children.iter().find(|(c, _)| *c == b) else {
                return;
            };
            let label = &self.nodes[next].label;
            if !line[pos..].starts_with(label) {
                return;
            }
            pos += label.len();
            at = next;
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
            ("{\"event\":\"a\"<_>\"message\":\"x", 8),
            ("{\"event\":\"a\"<_>\"message\":\"y", 9),
            ("{\"event\":\"b", 10),
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
            "{\"event\":\"a\"<_>\"message\":\"x 1",
            "{\"event\":\"a\"<_>\"message\":\"",
            "{\"event\":\"a\"<_>\"message\":\"y",
            "{\"event\":\"b\"",
            "{\"event\":\"",
            "{\"ev",
            "{",
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
