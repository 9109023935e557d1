//! Reaching Loki through the user's HTTP proxy (`HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`,
//! honouring `NO_PROXY`) with an HTTP `CONNECT` tunnel, as reqwest does for the HTTP client.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::request::{base64, split_host_port};

/// An HTTP proxy to tunnel through.
#[derive(Clone, PartialEq, Eq)]
pub struct Proxy {
    pub host: String,
    pub port: u16,
    /// `user:pass` from the proxy URL, sent as `Proxy-Authorization: Basic`.
    auth: Option<String>,
}

impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Proxy({}:{})", self.host, self.port)
    }
}

/// Whether `NO_PROXY` (comma/space separated; `*`, hosts, `.domain` suffixes, optional ports)
/// exempts `host`.
pub fn no_proxy_matches(no_proxy: &str, host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    no_proxy
        .split([',', ' '])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .any(|entry| {
            if entry == "*" {
                return true;
            }
            let entry = split_host_port(entry, 0).map_or(entry.to_string(), |(h, _)| h);
            let entry = entry.trim_start_matches("*.").trim_start_matches('.');
            host.eq_ignore_ascii_case(entry)
                || host
                    .to_ascii_lowercase()
                    .ends_with(&format!(".{}", entry.to_ascii_lowercase()))
        })
}

/// Parses `http://[user:pass@]host[:port]` (scheme optional).
pub fn parse_proxy(url: &str) -> Result<Proxy, String> {
    let url = url.trim().trim_end_matches('/');
    let rest = match url.split_once("://") {
        Some((s, rest)) if s.eq_ignore_ascii_case("http") => rest,
        Some((s, _)) => {
            return Err(format!(
                "proxy scheme {s:?} is not supported for tail: use an http:// proxy"
            ));
        }
        None => url,
    };
    let (auth, authority) = match rest.rsplit_once('@') {
        Some((a, h)) => (Some(a.to_string()), h),
        None => (None, rest),
    };
    let (host, port) = split_host_port(authority, 80)?;
    Ok(Proxy { host, port, auth })
}

/// The proxy for a connection to `host`, from the environment as looked up by `env`.
pub fn proxy_from_env(
    env: &dyn Fn(&str) -> Option<String>,
    tls: bool,
    host: &str,
) -> Result<Option<Proxy>, String> {
    let get = |name: &str| {
        env(name)
            .or_else(|| env(&name.to_ascii_lowercase()))
            .filter(|v| !v.trim().is_empty())
    };
    let primary = if tls { "HTTPS_PROXY" } else { "HTTP_PROXY" };
    let Some(url) = get(primary).or_else(|| get("ALL_PROXY")) else {
        return Ok(None);
    };
    if get("NO_PROXY").is_some_and(|np| no_proxy_matches(&np, host)) {
        return Ok(None);
    }
    parse_proxy(&url).map(Some)
}

/// Opens a `CONNECT` tunnel to `host:port` through `proxy`.
pub async fn connect_via(proxy: &Proxy, host: &str, port: u16) -> Result<TcpStream, String> {
    let mut s = TcpStream::connect((proxy.host.as_str(), proxy.port))
        .await
        .map_err(|e| format!("cannot connect to proxy {}:{}: {e}", proxy.host, proxy.port))?;
    let target = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let mut req = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n");
    if let Some(a) = &proxy.auth {
        req.push_str(&format!(
            "Proxy-Authorization: Basic {}\r\n",
            base64(a.as_bytes())
        ));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes())
        .await
        .map_err(|e| format!("proxy {}:{}: {e}", proxy.host, proxy.port))?;
    let mut head = Vec::new();
    let mut buf = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 16 * 1024 {
            return Err("proxy sent an oversized response to CONNECT".into());
        }
        let n = s
            .read(&mut buf)
            .await
            .map_err(|e| format!("proxy {}:{}: {e}", proxy.host, proxy.port))?;
        if n == 0 {
            return Err(format!(
                "proxy {}:{} closed the connection during CONNECT",
                proxy.host, proxy.port
            ));
        }
        head.push(buf[0]);
    }
    let status_line = String::from_utf8_lossy(&head);
    let status_line = status_line.lines().next().unwrap_or("");
    let ok = status_line
        .split_whitespace()
        .nth(1)
        .is_some_and(|c| c.starts_with('2'));
    if !ok {
        return Err(format!(
            "proxy {}:{} refused the tunnel to {target}: {}",
            proxy.host,
            proxy.port,
            crate::sanitize::inline(status_line)
        ));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_proxy_rules() {
        assert!(no_proxy_matches("*", "loki"));
        assert!(no_proxy_matches("localhost,127.0.0.1", "127.0.0.1"));
        assert!(no_proxy_matches(".example.com", "loki.example.com"));
        assert!(no_proxy_matches("example.com:3100", "loki.example.com"));
        assert!(!no_proxy_matches("example.com", "notexample.com"));
        assert!(!no_proxy_matches("", "loki"));
    }

    #[test]
    fn env_picks_scheme_specific_then_all_proxy() {
        let env = |k: &str| match k {
            "https_proxy" => Some("http://u:p@proxy:8080".to_string()),
            "ALL_PROXY" => Some("allproxy:3128".to_string()),
            "NO_PROXY" => Some("internal".to_string()),
            _ => None,
        };
        let p = proxy_from_env(&env, true, "loki.example.com")
            .unwrap()
            .unwrap();
        assert_eq!((p.host.as_str(), p.port), ("proxy", 8080));
        assert!(!format!("{p:?}").contains("u:p"));
        let p = proxy_from_env(&env, false, "loki").unwrap().unwrap();
        assert_eq!((p.host.as_str(), p.port), ("allproxy", 3128));
        assert_eq!(proxy_from_env(&env, true, "internal").unwrap(), None);
        assert_eq!(proxy_from_env(&|_| None, true, "x").unwrap(), None);
        assert!(parse_proxy("socks5://h:1").is_err());
    }

    #[tokio::test]
    async fn connect_tunnel_sends_connect_and_accepts_200() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut got = Vec::new();
            let mut b = [0u8; 256];
            while !got.ends_with(b"\r\n\r\n") {
                let n = s.read(&mut b).await.unwrap();
                got.extend_from_slice(&b[..n]);
            }
            s.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                .await
                .unwrap();
            String::from_utf8(got).unwrap()
        });
        let proxy = parse_proxy(&format!("http://a:b@127.0.0.1:{port}")).unwrap();
        connect_via(&proxy, "loki.internal", 3100).await.unwrap();
        let req = server.await.unwrap();
        assert!(req.starts_with("CONNECT loki.internal:3100 HTTP/1.1\r\n"));
        assert!(req.contains("Proxy-Authorization: Basic YTpi\r\n"));
    }
}
