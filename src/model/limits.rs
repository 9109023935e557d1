//! Size limits shared by every layer, chosen like Loki's defaults.

/// The longest line kept whole, in bytes: Loki's default `max_line_size` (256 KB). Lines read
/// from local inputs are cut there, and a `line_format`/`label_format` result longer than this
/// is a template error (`line_format "{{__line__}}{{__line__}}"` repeated must not double a
/// line to gigabytes).
pub const DEFAULT_MAX_LINE_BYTES: usize = 256 * 1024;

/// The environment variable that changes [`DEFAULT_MAX_LINE_BYTES`] (bytes, at least 1 KiB).
pub const MAX_LINE_ENV: &str = "VS_LOGS_MAX_LINE_BYTES";

/// The line size cap in force: [`MAX_LINE_ENV`] when set to a number, else the default.
pub fn max_line_bytes() -> usize {
    std::env::var(MAX_LINE_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .map_or(DEFAULT_MAX_LINE_BYTES, |n| n.max(1024))
}

/// What replaces the end of a line longer than the cap (local files, stdin, `-f`).
pub fn truncation_marker(max: usize) -> String {
    format!(" …[vs-logs: line truncated at {max} bytes; set {MAX_LINE_ENV} to keep more]")
}

/// [`max_line_bytes`], read once per process: for per-line checks on hot paths.
pub fn max_line_bytes_cached() -> usize {
    static CAP: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CAP.get_or_init(max_line_bytes)
}
