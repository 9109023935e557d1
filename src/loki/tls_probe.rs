//! Why an HTTPS request failed when the HTTP client only saw a closed connection.
//!
//! A TLS 1.3 server refuses a missing or untrusted client certificate only after the client
//! has finished its side of the handshake, so the refusal (an alert) can reach the connection
//! pool before the request is written: reqwest then reports "connection was not ready" and the
//! reason is lost. One bare handshake, followed by a short read, hears the alert again.

use std::time::Duration;

use reqwest::Url;
use tokio::io::AsyncReadExt;

use super::transport::Transport;

/// How long the probe waits for a refusal after its handshake: a server that refuses does so
/// at once; a server that accepts waits for a request, and the wait is only spent on failures.
const LISTEN: Duration = Duration::from_secs(2);

impl Transport {
    /// The TLS error a fresh connection to this Loki meets, if any (`None` for `http://`, for
    /// anything that is not a TLS refusal, and when nothing is heard within a short wait).
    pub async fn tls_refusal(&self) -> Option<rustls::Error> {
        let url = Url::parse(self.base()).ok()?;
        if url.scheme() != "https" {
            return None;
        }
        let host = url.host_str()?.to_string();
        let port = url.port_or_known_default().unwrap_or(443);
        let (connect, handshake) = self.timeouts();
        let tcp = tokio::time::timeout(connect, self.tcp(&url, &host, port))
            .await
            .ok()?
            .ok()?;
        let name =
            rustls::pki_types::ServerName::try_from(host.trim_matches(['[', ']']).to_string())
                .ok()?;
        let connector = tokio_rustls::TlsConnector::from(self.tls());
        let probe = async {
            let mut stream = match connector.connect(name, tcp).await {
                Ok(s) => s,
                Err(e) => return super::tls::tls_cause(&e).cloned(),
            };
            let mut byte = [0u8; 1];
            match stream.read(&mut byte).await {
                Err(e) => super::tls::tls_cause(&e).cloned(),
                Ok(_) => None,
            }
        };
        tokio::time::timeout(handshake.min(LISTEN), probe)
            .await
            .ok()
            .flatten()
    }
}
