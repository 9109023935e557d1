//! Demo lines of the API, the scanning engine, the database and the app's lifecycle.

use super::rng::Rng;
use super::{DEMO_SPAN_NS, Out, js, push_int};

const SPAN_US: i64 = DEMO_SPAN_NS / 1000;
const SEC: i64 = 1_000_000;

const PATHS: [&str; 8] = [
    "/v1/events",
    "/v1/events/{evt}",
    "/v1/vulns",
    "/v1/vulns/{vuln}",
    "/v1/agent-runs",
    "/v1/agent-runs/{ag}",
    "/v1/libraries",
    "/v1/search",
];

const REPOS: [(&str, &str); 8] = [
    ("curl/curl", "curl"),
    ("openssl/openssl", "openssl"),
    ("apache/logging-log4j2", "log4j"),
    ("expressjs/express", "express"),
    ("FFmpeg/FFmpeg", "ffmpeg"),
    ("madler/zlib", "zlib"),
    ("libexpat/libexpat", "expat"),
    ("nodejs/node", "node"),
];

/// Startup lines at the beginning of the window and a deploy 12 h later.
pub(super) fn app_lifecycle(out: &mut Out) {
    for base in [-SPAN_US + SEC, -SPAN_US / 2] {
        out.json(
            base,
            "app.startup",
            r#""version":"1.8.2","env":"production","workers":4"#,
            "info",
            "app",
        );
        out.json(
            base + SEC,
            "config.loaded",
            r#""log_format":"json","log_level":"debug","llm_timeout_s":120"#,
            "info",
            "app",
        );
    }
}

/// API requests: `request.start` / `request.end` pairs with some 4xx and 5xx.
pub(super) fn api(out: &mut Out, rng: &mut Rng) {
    let n = 7_000;
    for _ in 0..n {
        let off = rng.range(-SPAN_US + 10 * SEC, -2 * SEC);
        request(out, rng, off, None);
    }
    // The one the seed asks about: evt-789 through the API.
    request(
        out,
        rng,
        -42 * 60 * SEC - 30 * SEC,
        Some("/v1/events/evt-789"),
    );
    request(out, rng, -41 * 60 * SEC, Some("/v1/events/evt-789"));
    // The newest line of the demo, exactly at its end.
    out.json(
        0,
        "request.end",
        r#""method":"GET","path":"/healthz","status":200,"duration_ms":0.8,"request_id":"req-000000000000""#,
        "info",
        "api",
    );
}

fn request(out: &mut Out, rng: &mut Rng, off: i64, path: Option<&str>) {
    let method = *rng.pick(&["GET", "GET", "GET", "GET", "POST", "POST", "PUT", "DELETE"]);
    let path = match path {
        Some(p) => p.to_string(),
        None => {
            // Every placeholder's value is drawn, whichever the pattern holds (at its end).
            let pattern = *rng.pick(&PATHS);
            let (evt, vuln, ag) = (rng.range(1000, 60_000), rng.range(1000, 9000), rng.hex(8));
            let mut p = String::with_capacity(32);
            if let Some(head) = pattern.strip_suffix("{evt}") {
                p.push_str(head);
                p.push_str("evt-");
                push_int(&mut p, evt);
            } else if let Some(head) = pattern.strip_suffix("{vuln}") {
                p.push_str(head);
                p.push_str("vuln-");
                push_int(&mut p, vuln);
            } else if let Some(head) = pattern.strip_suffix("{ag}") {
                p.push_str(head);
                p.push_str("ag-");
                p.push_str(&ag);
            } else {
                p.push_str(pattern);
            }
            p
        }
    };
    let rid = rng.hex(12);
    let roll = rng.range(0, 1000);
    let (status, level, error) = match roll {
        0..=11 => {
            let (s, e) = *rng.pick(&[
                (500, "internal server error"),
                (502, "upstream agent service returned invalid response"),
                (503, "database pool exhausted"),
            ]);
            (s, "error", Some(e))
        }
        12..=50 => (*rng.pick(&[400, 401, 404, 404, 422, 429]), "warning", None),
        _ => (if method == "POST" { 201 } else { 200 }, "info", None),
    };
    let (whole, tenths) = if status >= 500 {
        (rng.range(2_000, 30_000), rng.range(0, 10))
    } else {
        (rng.range(3, 400), rng.range(0, 10))
    };
    let dur_ms = whole as f64 + 0.1 * tenths as f64;
    let path = js(&path);
    let mut f = String::with_capacity(160);
    f.push_str(r#""method":""#);
    f.push_str(method);
    f.push_str(r#"","path":"#);
    f.push_str(&path);
    f.push_str(r#","request_id":"req-"#);
    f.push_str(&rid);
    f.push('"');
    out.json(off, "request.start", &f, "info", "api");
    f.clear();
    f.push_str(r#""method":""#);
    f.push_str(method);
    f.push_str(r#"","path":"#);
    f.push_str(&path);
    f.push_str(r#","status":"#);
    push_int(&mut f, status);
    // `{:.1}` of whole + tenths / 10: the sum is far closer to it than half a tenth.
    f.push_str(r#","duration_ms":"#);
    push_int(&mut f, whole);
    f.push('.');
    push_int(&mut f, tenths);
    if let Some(e) = error {
        f.push_str(r#","error":"#);
        f.push_str(&js(e));
    }
    f.push_str(r#","request_id":"req-"#);
    f.push_str(&rid);
    f.push('"');
    out.json(
        off + (dur_ms * 1000.0) as i64,
        "request.end",
        &f,
        level,
        "api",
    );
}

/// Engine scans of upstream repositories, GitHub rate limits (and a storm of them).
pub(super) fn engine(out: &mut Out, rng: &mut Rng) {
    let mut off = -SPAN_US + 30 * SEC;
    while off < -60 * SEC {
        let (repo, lib) = *rng.pick(&REPOS);
        let scan = format!("scan-{}", rng.hex(8));
        let common = format!(r#""repo":"{repo}","scan_id":"{scan}","library":"{lib}""#);
        out.json(
            off,
            "engine.scan.start",
            &format!(r#"{common},"source":"github""#),
            "info",
            "engine",
        );
        let dur = rng.range(2, 90) * SEC;
        if rng.chance(0.06) {
            rate_limit(out, rng, off + dur / 2, repo);
        }
        out.json(
            off + dur,
            "engine.scan.done",
            &format!(
                r#"{common},"commits_seen":{},"new_events":{},"duration_ms":{}"#,
                rng.range(0, 40),
                rng.range(0, 3),
                dur / 1000
            ),
            "info",
            "engine",
        );
        off += rng.range(60, 240) * SEC;
    }
    // A rate-limit storm two hours before the end.
    let storm = -2 * 3600 * SEC;
    for i in 0..12 {
        let (repo, _) = *rng.pick(&REPOS);
        let jitter = rng.range(0, 30 * SEC);
        rate_limit(out, rng, storm + i * 150 * SEC + jitter, repo);
    }
    // evt-789 is born in the engine.
    out.json(
        -43 * 60 * SEC,
        "engine.event.created",
        r#""event_id":"evt-789","repo":"curl/curl","sha":"abc123","kind":"commit","library":"curl""#,
        "info",
        "engine",
    );
}

fn rate_limit(out: &mut Out, rng: &mut Rng, off: i64, repo: &str) {
    let retry = *rng.pick(&[15, 30, 60, 60, 120]);
    out.json(
        off,
        "github.rate_limit",
        &format!(
            r#""msg":"GitHub rate limit hit, retrying in {retry}s","repo":"{repo}","remaining":0,"retry_in_s":{retry}"#
        ),
        "warning",
        "engine",
    );
}

/// Database slow queries (> 500 ms).
pub(super) fn db(out: &mut Out, rng: &mut Rng) {
    const SQL: [&str; 3] = [
        "SELECT e.id, e.library_id, e.type, e.payload FROM events e JOIN libraries l ON l.id = e.library_id WHERE l.name = $1 AND e.created_at > $2 ORDER BY e.created_at DESC LIMIT 500",
        "SELECT l.name, count(e.id) AS n FROM libraries l LEFT JOIN events e ON e.library_id = l.id GROUP BY l.name ORDER BY n DESC",
        "UPDATE agent_runs SET status = $1, finished_at = now() WHERE id = $2",
    ];
    for _ in 0..250 {
        let off = rng.range(-SPAN_US + 60 * SEC, -10 * SEC);
        let ms = rng.range(501, 4_000) as f64 + 0.1 * rng.range(0, 10) as f64;
        out.json(
            off,
            "db.slow_query",
            &format!(
                r#""duration_ms":{ms:.1},"sql":{},"rows":{}"#,
                js(rng.pick::<&str>(&SQL)),
                rng.range(1, 30_000)
            ),
            "warning",
            "db",
        );
    }
    out.json(
        -5 * 3600 * SEC,
        "db.connection_lost",
        r#""error":"server closed the connection unexpectedly","pool":"primary""#,
        "error",
        "db",
    );
}
