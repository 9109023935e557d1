//! What every command gets: the backend, the resolved settings and the clock.

use std::path::PathBuf;

use crate::backend::Backend;
use crate::config::ConfigFile;
use crate::output::OutputFormat;
use crate::scenes::Scene;

/// The `--since/--from/--to/--utc/--limit` arguments every query command accepts.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RangeArgs {
    /// How far back to look: 30s, 15m, 12h, 7d, 2w, 1h30m.
    #[arg(long)]
    pub since: Option<String>,
    /// Start: RFC 3339, YYYY-MM-DD, "YYYY-MM-DD HH:MM[:SS]", unix seconds, now-2h, today, yesterday.
    #[arg(long)]
    pub from: Option<String>,
    /// End, same forms as --from (default now).
    #[arg(long)]
    pub to: Option<String>,
    /// UTC instead of local time, for zone-less arguments and for printed times.
    #[arg(long)]
    pub utc: bool,
    /// Maximum lines (0 = everything).
    #[arg(long)]
    pub limit: Option<usize>,
}

/// Resolved once at start-up and handed to every command.
#[derive(Debug, Clone)]
pub struct Context {
    pub backend: Backend,
    /// Value of the `app` label scenes use.
    pub app: String,
    pub output: OutputFormat,
    /// Colour on stdout (terminal, no `NO_COLOR`, or `--color always`).
    pub color: bool,
    pub quiet: bool,
    /// `--raw-bytes`: `-o raw` is not sanitised on a terminal.
    pub raw_bytes: bool,
    pub config: ConfigFile,
    pub config_dir: Option<PathBuf>,
    pub scenes: Vec<Scene>,
    /// "Now", ns: fixed at start-up so every range in one run agrees.
    pub now_ns: i64,
}

impl Context {
    /// Resolves `--since/--from/--to` into a range. `default_since` applies when none is
    /// given; on local sources with no range flags the whole input is used, and `--since`
    /// counts back from the newest line (a file copied off a box is older than now).
    pub fn range(
        &self,
        args: &RangeArgs,
        default_since: &str,
    ) -> Result<crate::timespec::TimeRange, crate::timespec::TimeError> {
        let no_flags = args.since.is_none() && args.from.is_none() && args.to.is_none();
        let anchor = match &self.backend {
            Backend::Local(s) => {
                let end = s.newest_ns().map_or(self.now_ns, |n| n.saturating_add(1));
                if no_flags {
                    return Ok(crate::timespec::TimeRange {
                        start_ns: 0,
                        end_ns: end.max(1),
                    });
                }
                // An explicit --from is about real time: end at now (or later data).
                if args.from.is_some() {
                    end.max(self.now_ns)
                } else {
                    end
                }
            }
            Backend::Loki(_) => self.now_ns,
        };
        crate::timespec::resolve_range(
            args.since.as_deref(),
            args.from.as_deref(),
            args.to.as_deref(),
            default_since,
            self.now_ns,
            anchor,
            args.utc,
        )
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::source::LocalSource;
    use crate::timespec::TimeRange;

    const S: i64 = 1_000_000_000;
    // 2026-11-25T08:01:00Z
    const NOW: i64 = 1_795_593_660 * S;

    fn ctx(backend: Backend) -> Context {
        Context {
            backend,
            app: "vulnsentinel".into(),
            output: OutputFormat::Text,
            color: false,
            quiet: true,
            raw_bytes: false,
            config: ConfigFile::default(),
            config_dir: None,
            scenes: Vec::new(),
            now_ns: NOW,
        }
    }

    fn local() -> Context {
        // One line, a day before NOW.
        let line = br#"{"event":"x","level":"info","logger":"vulnsentinel.api","timestamp":"2026-11-24T08:01:00Z"}
"#;
        let src = LocalSource::from_bytes("a.jsonl", line.to_vec(), "vulnsentinel");
        ctx(Backend::Local(Arc::new(src)))
    }

    fn args(since: Option<&str>, from: Option<&str>, to: Option<&str>) -> RangeArgs {
        RangeArgs {
            since: since.map(str::to_string),
            from: from.map(str::to_string),
            to: to.map(str::to_string),
            utc: true,
            limit: None,
        }
    }

    #[test]
    fn loki_ranges_count_back_from_now() {
        let c = ctx(Backend::Loki(
            crate::loki::LokiClient::new(crate::loki::LokiConfig::default()).unwrap(),
        ));
        assert_eq!(
            c.range(&args(None, None, None), "12h").unwrap(),
            TimeRange {
                start_ns: NOW - 12 * 3600 * S,
                end_ns: NOW
            }
        );
        assert_eq!(
            c.range(&args(Some("30m"), None, None), "12h").unwrap(),
            TimeRange {
                start_ns: NOW - 1800 * S,
                end_ns: NOW
            }
        );
    }

    #[test]
    fn local_ranges_use_the_whole_input_or_its_newest_line() {
        let c = local();
        let newest = NOW - 86_400 * S;
        let whole = c.range(&args(None, None, None), "12h").unwrap();
        assert!(whole.start_ns <= 0 && whole.end_ns > newest);
        assert_eq!(
            c.range(&args(Some("1h"), None, None), "12h").unwrap(),
            TimeRange {
                start_ns: newest + 1 - 3600 * S,
                end_ns: newest + 1
            }
        );
        // An explicit --from is real time: it ends now.
        let r = c.range(&args(None, Some("now-2h"), None), "12h").unwrap();
        assert_eq!(
            r,
            TimeRange {
                start_ns: NOW - 7200 * S,
                end_ns: NOW
            }
        );
    }
}
