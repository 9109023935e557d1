//! Errors as the user sees them: `vs-logs: <message>` (+ a hint) and the exit code scripts
//! rely on — 0 ok, 1 runtime error (Loki down, bad query), 2 usage or config error.

use std::process::ExitCode;

/// An error that knows its exit code and, when useful, a hint on what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CliError {
    pub code: u8,
    pub message: String,
    pub hint: Option<String>,
}

impl CliError {
    /// A mistake in the arguments, environment or config (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
            hint: None,
        }
    }

    /// Something failed while running (exit 1).
    pub fn runtime(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl From<crate::timespec::TimeError> for CliError {
    fn from(e: crate::timespec::TimeError) -> Self {
        Self::usage(e.0)
    }
}

impl From<crate::scenes::SceneError> for CliError {
    fn from(e: crate::scenes::SceneError) -> Self {
        let hint = match &e {
            crate::scenes::SceneError::UnknownScene { .. } => {
                Some("`vs-logs scenes` lists every scene with its LogQL")
            }
            _ => None,
        };
        let err = Self::usage(e.to_string());
        match hint {
            Some(h) => err.with_hint(h),
            None => err,
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// 2 for a setting the user must fix, 1 for everything that went wrong while running.
fn exit_code_of(e: &anyhow::Error) -> u8 {
    use crate::backend::BackendError;
    use crate::loki::LokiError;
    // A range the user typed wrong, found by whichever front end resolved it.
    if e.downcast_ref::<crate::timespec::TimeError>().is_some() {
        return 2;
    }
    let loki = e
        .downcast_ref::<BackendError>()
        .and_then(|b| match b {
            BackendError::Loki(l) => Some(l),
            _ => None,
        })
        .or_else(|| e.downcast_ref::<LokiError>());
    match loki {
        Some(LokiError::Config(_)) => 2,
        _ => 1,
    }
}

/// Prints an error the way users see it and returns its exit code. A closed stdout (`| head`)
/// is not an error.
pub fn report(e: &anyhow::Error) -> ExitCode {
    if is_broken_pipe(e) {
        return ExitCode::SUCCESS;
    }
    let (code, hint) = match e.downcast_ref::<CliError>() {
        Some(c) => (c.code, c.hint.clone()),
        None => (exit_code_of(e), None),
    };
    let message = crate::sanitize::multiline(&format!("{e:#}")).into_owned();
    eprintln!("vs-logs: {message}");
    if let Some(h) = hint {
        eprintln!("hint: {h}");
    }
    ExitCode::from(code)
}
