//! Lines planted at fixed places: the real run `ag-456`, and the hostile lines every log viewer
//! must survive (non-JSON, a traceback, raw ANSI with a window-title sequence, Chinese text, a
//! ~20 KB line, dev-console lines).

use super::ag456::AG456;
use super::rng::Rng;
use super::{Out, js};

const SEC: i64 = 1_000_000;
const HOUR: i64 = 3600 * SEC;

pub(super) fn all(out: &mut Out, rng: &mut Rng) {
    ag456(out);
    crash_and_garbage(out);
    chinese(out);
    long_line(out);
    console(out, rng);
    escaped_ansi(out);
}

/// `ag-456` at 05:18:00Z when the demo ends at 06:00:00Z: 42 minutes before the end.
fn ag456(out: &mut Out) {
    let base = -42 * 60 * SEC;
    for (off, template) in AG456 {
        let line = template.replace("@TS@", &out.ts(base + off));
        out.push(base + off, &line);
    }
}

/// A worker killed by gunicorn, with the traceback and a raw-ANSI sandbox line printed after
/// it (no timestamps of their own: they keep their place after the gunicorn line).
fn crash_and_garbage(out: &mut Out) {
    let off = -11 * HOUR;
    let ts = out.ts_secs(off);
    // `2026-11-24T19:00:00Z` → gunicorn's `[2026-11-24 19:00:00 +0000]`.
    let gunicorn_ts = format!("{} {} +0000", &ts[..10], &ts[11..19]);
    let worker = format!(
        "[{gunicorn_ts}] [7] [ERROR] Worker (pid:4121) was sent SIGKILL! Perhaps out of memory?"
    );
    out.push_group(
        off,
        &[
            &worker,
            "Traceback (most recent call last):",
            "  File \"/app/vulnsentinel/engine/github.py\", line 88, in fetch_commits",
            "    resp = self.session.get(url, timeout=30)",
            "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.github.com', port=443): Max retries exceeded",
            "\x1b[33mWARNING\x1b[0m poc-runner: sandbox stderr: \x1b[31mSegmentation fault\x1b[0m\x1b]0;pwned\x07 (core dumped)",
        ],
    );
}

fn chinese(out: &mut Out) {
    let off = -5 * HOUR;
    let msg = "漏洞报告：curl 发现 3 个高危漏洞，请及时修复";
    out.json(
        off,
        "notification.sent",
        &format!(
            r#""channel":"wecom","target_id":"vuln-4242","message":{},"severity":"high""#,
            js(msg)
        ),
        "info",
        "notify",
    );
    out.json(
        off + 2 * SEC,
        "engine.scan.note",
        r#""repo":"madler/zlib","note":"上游修复已合并，等待发布","library":"zlib""#,
        "info",
        "engine",
    );
    out.json(
        off + 5 * SEC,
        "request.end",
        r#""method":"POST","path":"/v1/events","status":429,"duration_ms":3.1,"error":"请求过于频繁","request_id":"req-c0ffee000001""#,
        "warning",
        "api",
    );
}

/// An `engine.scan.report` of ~20 KB (137 commits inline).
fn long_line(out: &mut Out) {
    let commits: Vec<String> = (0..137u64)
        .map(|i| {
            format!(
                r#"{{"sha":"{:040x}","author":"dev{}@example.org","message":"Fix bounds check in chunk parser (part {i})","files":{}}}"#,
                0xabcdef0123456789u64.wrapping_mul(i + 1),
                i % 37,
                i % 5 + 1
            )
        })
        .collect();
    out.json(
        -9 * HOUR,
        "engine.scan.report",
        &format!(
            r#""repo":"FFmpeg/FFmpeg","commits":[{}],"commit_count":137,"scan_id":"scan-0f0f0f0f","library":"ffmpeg""#,
            commits.join(",")
        ),
        "info",
        "engine",
    );
}

/// Dev-console lines (a developer ran the app with `LOG_FORMAT=console`), some coloured.
fn console(out: &mut Out, rng: &mut Rng) {
    for i in 0..30 {
        let off = rng.range(-6 * HOUR, -60 * SEC) / SEC * SEC;
        let ts = out.ts_secs(off);
        let rid = format!("req-{}", rng.hex(12));
        let (level, text) = if i % 5 == 3 {
            (
                "warning",
                "github.rate_limit  msg=\"rate limit hit\" repo=expressjs/express remaining=0 retry_in_s=60"
                    .to_string(),
            )
        } else {
            (
                "info",
                format!("request.start  method=GET path=/v1/agent-runs request_id={rid}"),
            )
        };
        let line = if i % 7 == 2 {
            let (event, rest) = text.split_once("  ").unwrap_or((&text, ""));
            let colour = if level == "warning" { "33" } else { "32" };
            format!(
                "\x1b[2m{ts}\x1b[0m [\x1b[{colour}m\x1b[1m{level}\x1b[0m] \x1b[1m{event}\x1b[0m  {}",
                rest.split(' ')
                    .map(|kv| match kv.split_once('=') {
                        Some((k, v)) => format!("\x1b[36m{k}\x1b[0m=\x1b[35m{v}\x1b[0m"),
                        None => kv.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        } else {
            format!("{ts} [{level}] {text}")
        };
        out.push(off, &line);
    }
}

/// A JSON `tool.error` whose text holds JSON-escaped ANSI (decoded only by `| json`).
fn escaped_ansi(out: &mut Out) {
    out.json(
        -7 * HOUR,
        "tool.error",
        r#""tool":"run_poc","error":"\u001b[31mSegmentation fault\u001b[0m (core dumped)\u001b]0;pwned\u0007 \u001b[1;33mASAN\u001b[0m: heap-buffer-overflow","duration_ms":30012,"agent_type":"patch_verifier","agent_id":"ag-e8c14743","target_id":"patch-86587""#,
        "error",
        "agent",
    );
}
