//! TLS for `wss://`: the same choices as the HTTP client (`--ca-cert`, `--cert`/`--key`,
//! `--tls-skip-verify`), on rustls with the ring provider.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};

use crate::loki::LokiConfig;

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

fn read_certs(path: &std::path::Path, what: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("cannot read {what} {}: {e}", path.display()))?;
    if certs.is_empty() {
        return Err(format!(
            "{what} {} holds no PEM certificate",
            path.display()
        ));
    }
    Ok(certs)
}

/// The rustls client configuration for `cfg`. `--ca-cert` replaces the built-in roots (as
/// logcli does); without it the Mozilla roots are used.
pub fn client_config(cfg: &LokiConfig) -> Result<Arc<ClientConfig>, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup failed: {e}"))?;
    let builder = if cfg.tls_skip_verify {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(SkipVerify(provider)))
    } else {
        let mut roots = RootCertStore::empty();
        match &cfg.ca_cert {
            Some(ca) => {
                for c in read_certs(ca, "--ca-cert")? {
                    roots.add(c).map_err(|e| {
                        format!("--ca-cert {}: unusable certificate: {e}", ca.display())
                    })?;
                }
            }
            None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
        }
        builder.with_root_certificates(roots)
    };
    let config = match (&cfg.client_cert, &cfg.client_key) {
        (Some(cert), Some(key)) => {
            let certs = read_certs(cert, "--cert")?;
            let key = PrivateKeyDer::from_pem_file(key)
                .map_err(|e| format!("cannot read --key {}: {e}", key.display()))?;
            builder
                .with_client_auth_cert(certs, key)
                .map_err(|e| format!("--cert/--key cannot be used: {e}"))?
        }
        (None, None) => builder.with_no_client_auth(),
        _ => return Err("--cert and --key must be given together".into()),
    };
    Ok(Arc::new(config))
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
        let cfg = LokiConfig {
            ca_cert: Some("/nonexistent/ca.pem".into()),
            ..LokiConfig::default()
        };
        let e = client_config(&cfg).unwrap_err();
        assert!(e.contains("--ca-cert /nonexistent/ca.pem"), "{e}");
        let f = tempfile::NamedTempFile::new().unwrap();
        let cfg = LokiConfig {
            ca_cert: Some(f.path().to_path_buf()),
            ..LokiConfig::default()
        };
        assert!(client_config(&cfg).unwrap_err().contains("no PEM"));
        let cfg = LokiConfig {
            client_cert: Some(f.path().to_path_buf()),
            ..LokiConfig::default()
        };
        assert!(client_config(&cfg).unwrap_err().contains("together"));
    }
}
