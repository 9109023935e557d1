//! The dashboard's data layer against a hostile Loki (the one stub's faults): the overview's
//! panel queries run through `tui::panel_answer` (what the loop's panel tasks run) against a
//! server that fails every request; every panel must end in a clear error shown in place, in
//! red, the status must count them as answered, and nothing may panic or wait forever. A slow
//! but healthy server still fills every panel.

use std::time::Duration;

use vs_logs::backend::Backend;
use vs_logs::dashboard::PanelState;
use vs_logs::loki::{LokiClient, LokiConfig};
use vs_logs::model::{MetricResult, Point, Sample, Series};
use vs_logs::session::Session;
use vs_logs::tui::chart::ERROR_COLOR;
use vs_logs::tui::msg::{Command, Msg};
use vs_logs::tui::{App, panel_answer, start, update};

use crate::app::{dash, draw, request, text};
use crate::support::loki_stub::{Fault, LokiStub, Reply};

/// "Now" for the session (2026-11-25T12:00Z): the range the panels ask for ends here.
const NOW_NS: i64 = 1_764_072_000_000_000_000;

fn session(stub: &LokiStub, tweak: impl FnOnce(&mut LokiConfig)) -> Session {
    let mut cfg = LokiConfig {
        addr: stub.url(),
        timeout: Duration::from_secs(10),
        retries: 0,
        retry_backoff: Duration::from_millis(10),
        ..LokiConfig::default()
    };
    tweak(&mut cfg);
    let client = LokiClient::new(cfg).unwrap();
    Session::new(Backend::Loki(client), "vulnsentinel", NOW_NS)
}

/// A healthy server: a series with a point per step for a range query, one sample for an
/// instant one, the stored line for a log query.
fn healthy(stub: &LokiStub) {
    stub.add_stream(
        &[("app", "vulnsentinel"), ("level", "error")],
        [(NOW_NS - 60_000_000_000, "boom".to_string())],
    );
    stub.set_evaluator(std::sync::Arc::new(|req| {
        if req.param("query")?.trim_start().starts_with('{') {
            return None; // a log query: from the store
        }
        let metric: vs_logs::model::Labels = [("level".to_string(), "error".to_string())]
            .into_iter()
            .collect();
        if req.path.ends_with("/query") {
            let t_ms = req
                .param("time")
                .and_then(|t| t.parse::<i64>().ok())
                .unwrap_or(NOW_NS)
                / 1_000_000;
            let sample = Sample {
                metric,
                point: Point { t_ms, v: 1.0 },
            };
            return Some(Reply::metric(&MetricResult::Vector(vec![sample])));
        }
        let start: i64 = req.param("start")?.parse().ok()?;
        let end: i64 = req.param("end")?.parse().ok()?;
        let step_s: f64 = req
            .param("step")
            .and_then(|s| s.parse().ok())
            .unwrap_or(60.0);
        let step_ms = ((step_s * 1000.0) as i64).max(1);
        let points = (start / 1_000_000..end / 1_000_000)
            .step_by(usize::try_from(step_ms).ok()?)
            .map(|t_ms| Point { t_ms, v: 1.0 })
            .collect();
        let series = Series { metric, points };
        Some(Reply::metric(&MetricResult::Matrix(vec![series])))
    }));
}

/// Opens the overview on `session`, runs every planned panel query at once (bounded by a
/// deadline: a hang fails the test) and feeds the answers back.
fn open_and_answer(session: &Session) -> App {
    let (mut app, _) = start(session, &request()).unwrap();
    let cmds = update(&mut app, Msg::Resize(120, 40));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut asked = 0;
    for c in cmds {
        let Command::FetchPanels {
            generation,
            queries,
        } = c
        else {
            continue;
        };
        asked += queries.len();
        let answers = rt.block_on(async {
            let all = futures_util::future::join_all(
                queries.iter().map(|q| panel_answer(&session.backend, q)),
            );
            tokio::time::timeout(Duration::from_secs(60), all)
                .await
                .expect("the panel queries hung")
        });
        for (index, result) in answers.into_iter().enumerate() {
            update(
                &mut app,
                Msg::PanelFinished {
                    generation,
                    index,
                    result,
                },
            );
        }
    }
    assert!(asked > 0, "the overview planned no panel query");
    app
}

/// Every panel failed with a message holding each of `says` (any case), drawn in red in place.
fn every_panel_says(app: &App, what: &str, says: &[&str]) {
    let d = dash(app);
    assert!(!d.view.panels.is_empty());
    for p in &d.view.panels {
        let PanelState::Error(e) = &p.state else {
            panic!("{what}: panel {:?} is {:?}", p.panel.title, p.state);
        };
        let lower = e.to_lowercase();
        for s in says {
            assert!(
                lower.contains(&s.to_lowercase()),
                "{what}: panel {:?} says {e:?}, not {s:?}",
                p.panel.title
            );
        }
        assert!(!e.chars().any(char::is_control), "{what}: {e:?}");
    }
    let (done, total) = d.done();
    assert_eq!(done, total, "{what}: every panel counts as answered");
    let b = draw(app);
    let screen = text(&b);
    assert!(!screen.contains("loading…"), "{what}:\n{screen}");
    let red_text = b
        .content()
        .iter()
        .filter(|c| c.fg == ERROR_COLOR && c.symbol().chars().all(char::is_alphanumeric))
        .count();
    assert!(red_text > 0, "{what}: no error text in red:\n{screen}");
}

/// Runs the overview against a stub failing every request with `fault`.
fn against(fault: Fault, tweak: impl FnOnce(&mut LokiConfig)) -> App {
    let stub = LokiStub::start();
    healthy(&stub);
    stub.fail_next(500, fault);
    let s = session(&stub, tweak);
    open_and_answer(&s)
}

#[test]
fn server_errors_show_the_status_and_the_servers_words() {
    let app = against(Fault::internal_error("rpc error: ingester down"), |_| {});
    every_panel_says(&app, "500", &["500", "ingester down"]);
    let app = against(Fault::html_504(), |_| {});
    every_panel_says(&app, "504 page", &["504"]);
}

#[test]
fn rate_limiting_says_so() {
    let app = against(Fault::too_many_requests(1), |_| {});
    every_panel_says(&app, "429", &["rate limit"]);
}

#[test]
fn garbage_and_wrongly_shaped_answers_say_the_answer_was_not_lokis() {
    let json = "application/json; charset=UTF-8";
    let app = against(Fault::reply(200, json, "{\"status\":\"succ"), |_| {});
    every_panel_says(&app, "garbage JSON", &["json"]);
    let app = against(Fault::reply(200, json, "<html>hello</html>"), |_| {});
    every_panel_says(&app, "HTML as JSON", &["json"]);
    let shape = r#"{"status":"success","data":{"resultType":"matrix","result":"oops"}}"#;
    let app = against(Fault::reply(200, json, shape), |_| {});
    every_panel_says(&app, "wrong shape", &["json"]);
    let app = against(Fault::TruncatedJson, |_| {});
    every_panel_says(&app, "truncated", &["json"]);
}

#[test]
fn a_huge_body_is_refused_at_the_cap() {
    let big = format!(
        r#"{{"status":"success","data":{{"resultType":"matrix","result":[{{"metric":{{"a":"{}"}},"values":[]}}]}}}}"#,
        "x".repeat(2 << 20)
    );
    let reply = Fault::reply(200, "application/json; charset=UTF-8", &big);
    let app = against(reply, |c| c.max_body_bytes = 1 << 20);
    every_panel_says(&app, "huge body", &["1 MiB limit", "--max-body-mb"]);
    let d = dash(&app);
    for p in &d.view.panels {
        // too big is not "cut short or not Loki"
        assert!(
            !matches!(&p.state, PanelState::Error(e) if e.contains("is --addr a Loki")),
            "{:?}",
            p.state
        );
    }
}

#[test]
fn a_stall_or_a_server_slower_than_the_timeout_ends_in_a_timeout() {
    let short = |c: &mut LokiConfig| c.timeout = Duration::from_millis(700);
    let app = against(Fault::StallMidBody, short);
    every_panel_says(&app, "stall mid-body", &["timeout"]);
    let app = against(Fault::Delay(Duration::from_secs(3)), short);
    every_panel_says(&app, "slow", &["timeout"]);
    let app = against(Fault::CloseMidBody, |_| {});
    every_panel_says(&app, "closed mid-body", &[]);
    let app = against(Fault::Close, |_| {});
    every_panel_says(&app, "closed", &[]);
}

#[test]
fn a_slow_server_within_the_timeout_fills_every_panel() {
    let stub = LokiStub::start();
    healthy(&stub);
    stub.fail_next(500, Fault::Delay(Duration::from_millis(300)));
    let app = open_and_answer(&session(&stub, |_| {}));
    let d = dash(&app);
    for p in &d.view.panels {
        let filled = match &p.state {
            PanelState::Metric(s) => s.iter().any(|s| !s.points.is_empty()),
            PanelState::Logs(lines) => lines.iter().any(|e| e.line == "boom"),
            _ => false,
        };
        assert!(filled, "panel {:?} is {:?}", p.panel.title, p.state);
    }
}
