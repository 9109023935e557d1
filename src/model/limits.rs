//! Size limits shared by every layer, chosen like Loki's defaults. Each is set, in order of
//! precedence, by a global flag, its environment variable, the profile, or the default: the CLI
//! resolves the first three once at start-up and installs the result here
//! ([`set_max_line_bytes`], [`set_max_stdin_mb`]); without that (the library alone) the
//! environment variable or the default applies.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// The longest line kept whole, in bytes: Loki's default `max_line_size` (256 KB). Lines read
/// from local inputs are cut there, and a `line_format`/`label_format` result longer than this
/// is a template error (`line_format "{{__line__}}{{__line__}}"` repeated must not double a
/// line to gigabytes).
pub const DEFAULT_MAX_LINE_BYTES: usize = 256 * 1024;

/// The smallest line cap accepted: below it ordinary log lines would be cut.
pub const MIN_MAX_LINE_BYTES: usize = 1024;

/// The environment variable that changes [`DEFAULT_MAX_LINE_BYTES`] (bytes, at least 1 KiB).
pub const MAX_LINE_ENV: &str = "VS_LOGS_MAX_LINE_BYTES";

/// The flag that changes [`DEFAULT_MAX_LINE_BYTES`]; messages name it beside [`MAX_LINE_ENV`].
pub const MAX_LINE_FLAG: &str = "--max-line-bytes";

/// Set by the CLI (flag > env > profile); 0 = not set.
static LINE_OVERRIDE: AtomicUsize = AtomicUsize::new(0);

/// Installs the line cap the user chose (at least [`MIN_MAX_LINE_BYTES`]).
pub fn set_max_line_bytes(bytes: usize) {
    LINE_OVERRIDE.store(bytes.max(MIN_MAX_LINE_BYTES), Ordering::Relaxed);
}

/// The line size cap in force: the one installed by [`set_max_line_bytes`], else
/// [`MAX_LINE_ENV`] when set to a number, else the default.
pub fn max_line_bytes() -> usize {
    match LINE_OVERRIDE.load(Ordering::Relaxed) {
        0 => std::env::var(MAX_LINE_ENV)
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .map_or(DEFAULT_MAX_LINE_BYTES, |n| n.max(MIN_MAX_LINE_BYTES)),
        n => n,
    }
}

/// What replaces the end of a line longer than the cap (local files, stdin, `-f`).
pub fn truncation_marker(max: usize) -> String {
    format!(" …[vs-logs: line truncated at {max} bytes; raise {MAX_LINE_FLAG} to keep more]")
}

/// [`max_line_bytes`], the environment read once per process: for per-line checks on hot paths.
pub fn max_line_bytes_cached() -> usize {
    static CAP: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    match LINE_OVERRIDE.load(Ordering::Relaxed) {
        0 => *CAP.get_or_init(max_line_bytes),
        n => n,
    }
}

/// How much of stdin is kept by default, MiB. Stdin can be read only once and every query
/// rescans its input, so it is kept: in memory when small, else in a temporary file (memory
/// stays bounded; see `source::stdin`). The cap bounds that disk copy, so an endless pipe
/// (`yes | vs-logs query --stdin`) stops with a message instead of filling the disk.
pub const DEFAULT_MAX_STDIN_MB: u64 = 1024;

/// The environment variable that changes [`DEFAULT_MAX_STDIN_MB`] (MiB, at least 1).
pub const MAX_STDIN_ENV: &str = "VS_LOGS_MAX_STDIN_MB";

/// The flag that changes [`DEFAULT_MAX_STDIN_MB`].
pub const MAX_STDIN_FLAG: &str = "--max-stdin-mb";

/// Set by the CLI (flag > env > profile); 0 = not set.
static STDIN_OVERRIDE: AtomicU64 = AtomicU64::new(0);

/// Installs the stdin cap the user chose, MiB (at least 1).
pub fn set_max_stdin_mb(mb: u64) {
    STDIN_OVERRIDE.store(mb.max(1), Ordering::Relaxed);
}

/// The stdin size cap in force, bytes: the one installed by [`set_max_stdin_mb`], else
/// [`MAX_STDIN_ENV`] when set to a number, else the default.
pub fn max_stdin_bytes() -> u64 {
    let mb = match STDIN_OVERRIDE.load(Ordering::Relaxed) {
        0 => std::env::var(MAX_STDIN_ENV)
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(DEFAULT_MAX_STDIN_MB, |n| n.max(1)),
        n => n,
    };
    mb.saturating_mul(1 << 20)
}
