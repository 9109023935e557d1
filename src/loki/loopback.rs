//! Whether a Loki address names this machine's own loopback (`localhost`, `127.0.0.0/8`,
//! `::1`): answers from there cross no network, so compressing them only costs CPU.

use reqwest::Url;

/// `url`'s host is a loopback address or a `localhost` name (RFC 6761: `localhost` and
/// `*.localhost` always resolve to the loopback).
pub fn is_loopback(url: &Url) -> bool {
    let host = url.host_str().unwrap_or("").trim_matches(['[', ']']);
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => {
            let d = host.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_addresses_and_localhost_names() {
        let local = |addr: &str| is_loopback(&Url::parse(addr).unwrap());
        for addr in [
            "http://127.0.0.1:3100",
            "http://127.8.9.1",
            "https://[::1]:3100/prefix",
            "http://localhost:3100",
            "http://LocalHost.:3100",
            "http://loki.localhost",
        ] {
            assert!(local(addr), "{addr}");
        }
        for addr in [
            "http://10.0.0.1:3100",
            "https://logs.example.com",
            "http://localhost.example.com",
            "http://[::2]:3100",
            "http://0.0.0.0:3100",
        ] {
            assert!(!local(addr), "{addr}");
        }
    }
}
