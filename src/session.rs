//! What every front end (CLI commands, TUI, dashboard) works in: where lines come from, the
//! `app` label, the config and scenes, and one clock. Built once at start-up; the CLI's own
//! printing preferences stay in `cli`.

use std::path::PathBuf;

use crate::agent::model::{BuildOptions, PriceTable, PricingError};
use crate::backend::Backend;
use crate::config::ConfigFile;
use crate::scenes::Scene;
use crate::timespec::{Anchor, RangeQuery, ResolvedRange, TimeError, resolve_range};

/// The backend, settings and clock of one run of vs-logs.
#[derive(Debug, Clone)]
pub struct Session {
    pub backend: Backend,
    /// Value of the `app` label scenes use.
    pub app: String,
    pub config: ConfigFile,
    /// Where the config file (and `scenes.toml`) live.
    pub config_dir: Option<PathBuf>,
    pub scenes: Vec<Scene>,
    /// "Now", ns: fixed at start-up so every range in one run agrees.
    pub now_ns: i64,
}

/// What a command searches when no range flag is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeDefault<'a> {
    /// The last `since` (`1h`); on local inputs the whole input (queries, scenes, discovery).
    LastOrWholeInput(&'a str),
    /// The last `since` before the end, on every backend (agent commands, which widen it).
    Last(&'a str),
}

/// The wall clock, ns since the epoch.
pub fn wall_clock_ns() -> i64 {
    chrono::Utc::now()
        .timestamp_nanos_opt()
        .unwrap_or(i64::MAX / 2)
}

impl Session {
    /// A session with no config and no scenes, starting now at `now_ns`.
    pub fn new(backend: Backend, app: impl Into<String>, now_ns: i64) -> Session {
        Session {
            backend,
            app: app.into(),
            config: ConfigFile::default(),
            config_dir: None,
            scenes: Vec::new(),
            now_ns,
        }
    }

    /// Resolves the user's range with `timespec::resolve_range`, anchored for the backend: on
    /// local inputs the range ends at the newest line (a file copied off a box is older than
    /// now), except that an explicit `--from` is real time and ends now (or at later data).
    /// With no flags, `default` says what is searched.
    pub fn range(
        &self,
        q: &RangeQuery,
        default: RangeDefault<'_>,
    ) -> Result<ResolvedRange, TimeError> {
        let (since, whole_local) = match default {
            RangeDefault::LastOrWholeInput(s) => (s, true),
            RangeDefault::Last(s) => (s, false),
        };
        let end_ns = match &self.backend {
            Backend::Local(s) => {
                let end = s.newest_ns().map_or(self.now_ns, |n| n.saturating_add(1));
                if whole_local && q.is_empty() {
                    return Ok(ResolvedRange {
                        start_ns: 0,
                        end_ns: end.max(1),
                        kind: crate::timespec::RangeKind::Absolute,
                    });
                }
                if q.from.is_some() {
                    end.max(self.now_ns)
                } else {
                    end
                }
            }
            Backend::Loki(_) => self.now_ns,
        };
        let anchor = Anchor {
            now_ns: self.now_ns,
            end_ns,
        };
        resolve_range(q, since, anchor)
    }

    /// How agent runs are rebuilt: this session's clock (for runs still going) and the bundled
    /// prices with the config's `[pricing]` overrides.
    pub fn build_options(&self) -> Result<BuildOptions, PricingError> {
        let prices = PriceTable::bundled().with_overrides(&self.config.pricing)?;
        Ok(BuildOptions {
            now_ns: Some(self.now_ns),
            prices,
            ..BuildOptions::default()
        })
    }

    /// A clock that starts at `now_ns` and then follows the wall clock (for long-lived views
    /// whose relative ranges move).
    pub fn clock(&self) -> impl Fn() -> i64 + Send + Sync + 'static {
        let started = std::time::Instant::now();
        let now0 = self.now_ns;
        move || now0.saturating_add(started.elapsed().as_nanos().min(i64::MAX as u128) as i64)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::source::LocalSource;
    use crate::timespec::{RangeKind, TimeRange};

    const S: i64 = 1_000_000_000;
    // 2026-11-25T08:01:00Z
    const NOW: i64 = 1_795_593_660 * S;

    fn loki() -> Session {
        Session::new(
            Backend::Loki(
                crate::loki::LokiClient::new(crate::loki::LokiConfig::default()).unwrap(),
            ),
            "vulnsentinel",
            NOW,
        )
    }

    fn local() -> Session {
        // One line, a day before NOW.
        let line = br#"{"event":"x","level":"info","logger":"vulnsentinel.api","timestamp":"2026-11-24T08:01:00Z"}
"#;
        let src = LocalSource::from_bytes("a.jsonl", line.to_vec(), "vulnsentinel");
        Session::new(Backend::Local(Arc::new(src)), "vulnsentinel", NOW)
    }

    fn args(since: Option<&str>, from: Option<&str>, to: Option<&str>) -> RangeQuery {
        RangeQuery {
            since: since.map(str::to_string),
            from: from.map(str::to_string),
            to: to.map(str::to_string),
            utc: true,
        }
    }

    fn range(s: &Session, q: RangeQuery, default: &str) -> TimeRange {
        s.range(&q, RangeDefault::LastOrWholeInput(default))
            .unwrap()
            .range()
    }

    #[test]
    fn loki_ranges_count_back_from_now() {
        let c = loki();
        assert_eq!(
            range(&c, args(None, None, None), "12h"),
            TimeRange {
                start_ns: NOW - 12 * 3600 * S,
                end_ns: NOW
            }
        );
        assert_eq!(
            range(&c, args(Some("30m"), None, None), "12h"),
            TimeRange {
                start_ns: NOW - 1800 * S,
                end_ns: NOW
            }
        );
        let r = c
            .range(&args(Some("30m"), None, None), RangeDefault::Last("1h"))
            .unwrap();
        assert_eq!(r.kind, RangeKind::Relative { ns: 1800 * S });
    }

    #[test]
    fn local_ranges_use_the_whole_input_or_its_newest_line() {
        let c = local();
        let newest = NOW - 86_400 * S;
        let whole = range(&c, args(None, None, None), "12h");
        assert!(whole.start_ns <= 0 && whole.end_ns > newest);
        assert_eq!(
            range(&c, args(Some("1h"), None, None), "12h"),
            TimeRange {
                start_ns: newest + 1 - 3600 * S,
                end_ns: newest + 1
            }
        );
        // An explicit --from is real time: it ends now.
        let r = range(&c, args(None, Some("now-2h"), None), "12h");
        assert_eq!(
            r,
            TimeRange {
                start_ns: NOW - 7200 * S,
                end_ns: NOW
            }
        );
        // A range ending at the file's newest line does not move with the clock.
        let r = c
            .range(&args(Some("1h"), None, None), RangeDefault::Last("1h"))
            .unwrap();
        assert_eq!(r.kind, RangeKind::Absolute);
    }

    #[test]
    fn commands_that_widen_count_back_from_the_newest_line() {
        let c = local();
        let newest = NOW - 86_400 * S;
        let r = c
            .range(&args(None, None, None), RangeDefault::Last("7d"))
            .unwrap();
        assert_eq!(
            (r.start_ns, r.end_ns),
            (newest + 1 - 7 * 86_400 * S, newest + 1)
        );
    }

    #[test]
    fn since_with_from_is_refused_on_every_backend() {
        for s in [loki(), local()] {
            for d in [
                RangeDefault::Last("1h"),
                RangeDefault::LastOrWholeInput("1h"),
            ] {
                let e = s
                    .range(&args(Some("1h"), Some("now-2h"), None), d)
                    .unwrap_err();
                assert!(e.0.contains("--since") && e.0.contains("--from"), "{e}");
            }
        }
    }
}
