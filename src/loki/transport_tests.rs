use super::*;

#[test]
fn endpoint_keeps_the_prefix_and_encodes_components() {
    let t = Transport::new(&LokiConfig {
        addr: "https://logs.example.com/loki-proxy/".into(),
        ..LokiConfig::default()
    })
    .unwrap();
    assert_eq!(t.base(), "https://logs.example.com/loki-proxy");
    let params = [
        ("query", r#"{app="vs"} |= "a b""#.to_string()),
        ("limit", "5".to_string()),
    ];
    assert_eq!(
        t.endpoint("/loki/api/v1/tail", &params).unwrap().as_str(),
        "https://logs.example.com/loki-proxy/loki/api/v1/tail?query=%7Bapp%3D%22vs%22%7D%20%7C%3D%20%22a%20b%22&limit=5"
    );
    assert_eq!(encode_component("a/b c~é"), "a%2Fb%20c~%C3%A9");
    let ws = websocket_url(&t.endpoint("/loki/api/v1/tail", &params).unwrap());
    assert!(
        ws.as_str()
            .starts_with("wss://logs.example.com/loki-proxy/loki/api/v1/tail?query=%7B")
    );
    let plain = Url::parse("http://127.0.0.1:3100/loki/api/v1/tail").unwrap();
    assert_eq!(
        websocket_url(&plain).as_str(),
        "ws://127.0.0.1:3100/loki/api/v1/tail"
    );
}

#[test]
fn loopback_through_a_proxy_is_the_proxys() {
    let t = |proxy: Matcher| {
        let mut t = Transport::new(&LokiConfig {
            addr: "http://127.0.0.1:3100".into(),
            ..LokiConfig::default()
        })
        .unwrap();
        t.proxy = Arc::new(proxy);
        t
    };
    assert!(t(Matcher::builder().build()).direct_loopback());
    let all = Matcher::builder().all("http://10.1.1.1:8080".to_string());
    assert!(!t(all.build()).direct_loopback());
}

#[test]
fn rejects_bad_addr() {
    for addr in ["localhost:3100", "ftp://x"] {
        let cfg = LokiConfig {
            addr: addr.into(),
            ..LokiConfig::default()
        };
        let e = Transport::new(&cfg).unwrap_err().to_string();
        assert!(e.contains("http://"), "{e}");
    }
}

#[tokio::test]
async fn websocket_through_a_proxy_sends_connect_with_proxy_auth() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
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
        s.write_all(b"HTTP/1.1 403 Forbidden\r\n\r\n")
            .await
            .unwrap();
        String::from_utf8(got).unwrap()
    });
    let mut t = Transport::new(&LokiConfig {
        addr: "http://loki.internal:3100".into(),
        ..LokiConfig::default()
    })
    .unwrap();
    t.proxy = Arc::new(
        Matcher::builder()
            .all(format!("http://a:b@127.0.0.1:{port}"))
            .no("other.internal")
            .build(),
    );
    let e = t
        .websocket("/loki/api/v1/tail", &[], &[])
        .await
        .unwrap_err();
    assert!(
        matches!(&e, WsOpenError::Connect(m) if m.contains("through proxy 127.0.0.1")),
        "{e:?}"
    );
    let req = server.await.unwrap();
    assert!(
        req.starts_with("CONNECT loki.internal:3100 HTTP/1.1\r\n"),
        "{req}"
    );
    assert!(req.contains("Basic YTpi\r\n"), "{req}");
}
