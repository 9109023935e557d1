//! The one rustls client configuration (`--ca-cert`, `--cert`/`--key`, `--tls-skip-verify`)
//! that both the HTTP client and the tail websocket use, on the ring crypto provider only.

use std::sync::{Arc, OnceLock};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use super::pinned::PinnedLeaf;
use super::{LokiConfig, LokiError};

/// The process's crypto provider: ring, installed as rustls' default once so nothing else in
/// the process can pick a different one.
pub fn provider() -> Arc<CryptoProvider> {
    static PROVIDER: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    Arc::clone(PROVIDER.get_or_init(|| {
        // Fails only when a default is already installed; then that one is used.
        let _ = rustls::crypto::ring::default_provider().install_default();
        CryptoProvider::get_default()
            .cloned()
            .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()))
    }))
}

/// Accepts any server certificate (`--tls-skip-verify`) but still checks handshake signatures.
#[derive(Debug)]
struct SkipVerify(Arc<CryptoProvider>);

impl ServerCertVerifier for SkipVerify {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

fn config_error(msg: String) -> LokiError {
    LokiError::Config(msg)
}

fn read_certs(
    path: &std::path::Path,
    what: &str,
) -> Result<Vec<CertificateDer<'static>>, LokiError> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| config_error(format!("cannot read {what} {}: {e}", path.display())))?;
    if certs.is_empty() {
        return Err(config_error(format!(
            "{what} {} holds no PEM certificate",
            path.display()
        )));
    }
    Ok(certs)
}

/// The rustls client configuration for `cfg`. `--ca-cert` replaces the built-in roots (as
/// logcli does); without it the Mozilla roots are used. A self-signed server certificate
/// given with `--ca-cert` is accepted as the server's own (see [`PinnedLeaf`]).
pub fn client_config(cfg: &LokiConfig) -> Result<Arc<ClientConfig>, LokiError> {
    let provider = provider();
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| config_error(format!("TLS setup failed: {e}")))?;
    let builder = if cfg.tls_skip_verify {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(SkipVerify(provider)))
    } else {
        let mut roots = RootCertStore::empty();
        let mut pinned = Vec::new();
        match &cfg.ca_cert {
            Some(ca) => {
                for c in read_certs(ca, "--ca-cert")? {
                    roots.add(c.clone()).map_err(|e| {
                        config_error(format!(
                            "--ca-cert {}: unusable certificate: {e}",
                            ca.display()
                        ))
                    })?;
                    pinned.push(c);
                }
            }
            None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        }
        let webpki =
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), Arc::clone(&provider))
                .build()
                .map_err(|e| config_error(format!("TLS setup failed: {e}")))?;
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(PinnedLeaf::new(webpki, pinned)))
    };
    let config = match (&cfg.client_cert, &cfg.client_key) {
        (Some(cert), Some(key)) => {
            let certs = read_certs(cert, "--cert")?;
            let key = PrivateKeyDer::from_pem_file(key)
                .map_err(|e| config_error(format!("cannot read --key {}: {e}", key.display())))?;
            builder
                .with_client_auth_cert(certs, key)
                .map_err(|e| config_error(format!("--cert/--key cannot be used: {e}")))?
        }
        (None, None) => builder.with_no_client_auth(),
        _ => {
            return Err(config_error(
                "--cert and --key must be given together".into(),
            ));
        }
    };
    Ok(Arc::new(config))
}

/// The TLS failure inside an error chain (reqwest's or the websocket's), if that is what went
/// wrong: such failures are permanent and want `--ca-cert`/`--cert`, not a retry.
pub fn tls_cause<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut cur: Option<&'a (dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(t) = err.downcast_ref::<rustls::Error>() {
            return Some(t);
        }
        // An io::Error's `source` skips the error it wraps: step into that one instead.
        cur = match err.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => err.source(),
        };
    }
    None
}

/// A TLS failure in words: rustls' own text, with what it means where that is not obvious.
pub fn describe(e: &rustls::Error) -> String {
    if super::pinned::ca_used_as_end_entity(e) {
        return "the server presents a self-signed CA certificate as its own, and it is not the \
                one given with --ca-cert (CaUsedAsEndEntity)"
            .into();
    }
    e.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_and_skip_verify_configs_build() {
        assert!(client_config(&LokiConfig::default()).is_ok());
        let cfg = LokiConfig {
            tls_skip_verify: true,
            ..LokiConfig::default()
        };
        assert!(client_config(&cfg).is_ok());
    }

    #[test]
    fn missing_or_empty_files_are_named() {
        let msg = |cfg: &LokiConfig| client_config(cfg).unwrap_err().to_string();
        let cfg = LokiConfig {
            ca_cert: Some("/nonexistent/ca.pem".into()),
            ..LokiConfig::default()
        };
        let e = msg(&cfg);
        assert!(e.contains("--ca-cert /nonexistent/ca.pem"), "{e}");
        let f = tempfile::NamedTempFile::new().unwrap();
        let cfg = LokiConfig {
            ca_cert: Some(f.path().to_path_buf()),
            ..LokiConfig::default()
        };
        assert!(msg(&cfg).contains("no PEM"));
        let cfg = LokiConfig {
            client_cert: Some(f.path().to_path_buf()),
            ..LokiConfig::default()
        };
        assert!(msg(&cfg).contains("together"));
    }

    #[test]
    fn tls_cause_finds_rustls_errors_behind_io_errors() {
        let io = std::io::Error::other(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer),
        ));
        assert!(tls_cause(&io).is_some());
        assert!(tls_cause(&std::io::Error::other("refused")).is_none());
    }
}
