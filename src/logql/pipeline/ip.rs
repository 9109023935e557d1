//! `ip("…")` matching: a single address, a CIDR (`10.0.0.0/8`) or a range (`a-b`), for line
//! filters (any address in the line) and label filters (the label's value).

use std::net::IpAddr;

/// A compiled `ip(...)` argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IpMatcher {
    Single(IpAddr),
    Cidr(IpAddr, u8),
    Range(IpAddr, IpAddr),
}

impl IpMatcher {
    /// Parses `1.2.3.4`, `10.0.0.0/8`, `1.2.3.4-1.2.3.9` (IPv4 or IPv6).
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let bad = || format!("invalid ip matcher: {text:?}");
        if let Some((a, b)) = t.split_once('/') {
            let ip: IpAddr = a.trim().parse().map_err(|_| bad())?;
            let bits: u8 = b.trim().parse().map_err(|_| bad())?;
            let max = if ip.is_ipv4() { 32 } else { 128 };
            if bits > max {
                return Err(bad());
            }
            return Ok(Self::Cidr(ip, bits));
        }
        if let Some((a, b)) = t.split_once('-') {
            let lo: IpAddr = a.trim().parse().map_err(|_| bad())?;
            let hi: IpAddr = b.trim().parse().map_err(|_| bad())?;
            if lo.is_ipv4() != hi.is_ipv4() {
                return Err(bad());
            }
            return Ok(Self::Range(lo, hi));
        }
        t.parse().map(Self::Single).map_err(|_| bad())
    }

    /// Whether one address matches.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match *self {
            Self::Single(a) => a == ip,
            Self::Cidr(net, bits) => match (net, ip) {
                (IpAddr::V4(n), IpAddr::V4(i)) => {
                    let mask = if bits == 0 {
                        0
                    } else {
                        u32::MAX << (32 - bits)
                    };
                    u32::from(n) & mask == u32::from(i) & mask
                }
                (IpAddr::V6(n), IpAddr::V6(i)) => {
                    let mask = if bits == 0 {
                        0
                    } else {
                        u128::MAX << (128 - bits)
                    };
                    u128::from(n) & mask == u128::from(i) & mask
                }
                _ => false,
            },
            Self::Range(lo, hi) => match (lo, hi, ip) {
                (IpAddr::V4(l), IpAddr::V4(h), IpAddr::V4(i)) => (l..=h).contains(&i),
                (IpAddr::V6(l), IpAddr::V6(h), IpAddr::V6(i)) => (l..=h).contains(&i),
                _ => false,
            },
        }
    }

    /// Whether a label value is a matching address.
    pub fn matches_value(&self, v: &str) -> bool {
        v.trim().parse().is_ok_and(|ip| self.contains(ip))
    }

    /// Whether any address-looking token in the line matches.
    pub fn matches_line(&self, line: &str) -> bool {
        let is_ip_char = |c: char| c.is_ascii_hexdigit() || c == '.' || c == ':';
        line.split(|c: char| !is_ip_char(c))
            .filter(|tok| tok.len() >= 2 && (tok.contains('.') || tok.contains(':')))
            .any(|tok| {
                tok.parse::<IpAddr>().is_ok_and(|ip| self.contains(ip))
                    || tok
                        .trim_matches(':')
                        .parse::<IpAddr>()
                        .is_ok_and(|ip| self.contains(ip))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_range_single() {
        let m = IpMatcher::parse("10.0.0.0/8").unwrap();
        assert!(m.matches_value("10.1.2.3"));
        assert!(!m.matches_value("11.1.2.3"));
        assert!(m.matches_line("client=10.0.5.105 path=/x"));
        assert!(!m.matches_line("client=192.168.0.1"));
        let r = IpMatcher::parse("192.168.0.1-192.168.0.9").unwrap();
        assert!(r.matches_value("192.168.0.5"));
        assert!(!r.matches_value("192.168.0.10"));
        assert!(IpMatcher::parse("::1").unwrap().matches_value("::1"));
        assert!(IpMatcher::parse("nope").is_err());
        assert!(IpMatcher::parse("1.2.3.4/40").is_err());
    }
}
