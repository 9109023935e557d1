//! Demo agent runs: ~1,000 runs of three agent types following the event schema of
//! `vulnsentinel-logs.md` (start, turns, LLM calls, tool calls and results or errors, debug
//! conversation messages, done), some crashing with a traceback, a few retried under the same
//! id.

use super::rng::Rng;
use super::{DEMO_SPAN_NS, Out, js, push_int};

const SPAN_US: i64 = DEMO_SPAN_NS / 1000;
const SEC: i64 = 1_000_000;
const MS: i64 = 1000;

struct Kind {
    name: &'static str,
    model: &'static str,
    target: &'static str,
    tools: &'static [&'static str],
    submit: &'static str,
    /// USD per million input / output tokens.
    price: (f64, f64),
}

const KINDS: [Kind; 3] = [
    Kind {
        name: "event_classifier",
        model: "claude-haiku-4-5",
        target: "evt",
        tools: &["fetch_commit_diff", "fetch_issue", "search_advisories"],
        submit: "submit_classification",
        price: (0.25, 1.25),
    },
    Kind {
        name: "vuln_analyzer",
        model: "claude-sonnet-4-5",
        target: "vuln",
        tools: &[
            "fetch_commit_diff",
            "read_file",
            "search_cve",
            "search_advisories",
        ],
        submit: "submit_analysis",
        price: (3.0, 15.0),
    },
    Kind {
        name: "patch_verifier",
        model: "claude-sonnet-4-5",
        target: "patch",
        tools: &["checkout_repo", "run_poc", "run_tests", "read_file"],
        submit: "submit_verdict",
        price: (3.0, 15.0),
    },
];

const REPOS: [&str; 6] = [
    "curl/curl",
    "openssl/openssl",
    "madler/zlib",
    "FFmpeg/FFmpeg",
    "libexpat/libexpat",
    "nodejs/node",
];

const TOOL_ERRORS: [(&str, &str); 4] = [
    ("timeout after 30s", "warning"),
    ("GitHub API rate limit exceeded", "warning"),
    ("HTTP 404: not found", "error"),
    ("sandbox exited with code 139", "error"),
];

/// The agent's identity fields, appended to each of its lines.
struct Ctx {
    kind: &'static Kind,
    target: String,
    /// `"agent_type":…,"agent_id":…,"target_id":…`
    ident: String,
}

impl Ctx {
    fn new(kind: &'static Kind, id: &str, target: String) -> Self {
        let mut ident = String::with_capacity(80);
        ident.push_str(r#""agent_type":""#);
        ident.push_str(kind.name);
        ident.push_str(r#"","agent_id":""#);
        ident.push_str(id);
        ident.push_str(r#"","target_id":""#);
        ident.push_str(&target);
        ident.push('"');
        Self {
            kind,
            target,
            ident,
        }
    }
}

impl Ctx {
    fn line(&self, out: &mut Out, off: i64, event: &str, fields: &str, level: &str) {
        out.json_parts(off, event, &[fields, &self.ident], level, "agent");
    }
}

pub(super) fn runs(out: &mut Out, rng: &mut Rng) {
    for i in 0..1_000 {
        let kind = &KINDS[rng.range(0, 100) as usize % 3];
        let id = format!("ag-{}", rng.hex(8));
        let ctx = Ctx::new(
            kind,
            &id,
            format!("{}-{}", kind.target, rng.range(1000, 90_000)),
        );
        let off = rng.range(-SPAN_US + 120 * SEC, -15 * 60 * SEC);
        let failed = run(out, rng, &ctx, off, i % 25 == 7);
        // A few failed runs are retried under the same agent id.
        if failed && i % 3 == 0 {
            run(out, rng, &ctx, off + 10 * 60 * SEC, false);
        }
    }
}

/// One run; returns whether it crashed.
fn run(out: &mut Out, rng: &mut Rng, ctx: &Ctx, start: i64, crash: bool) -> bool {
    let max_turns = *rng.pick(&[5, 8, 10]);
    let turns = rng.range(1, max_turns.min(6) + 1);
    let crash_turn = if crash { rng.range(1, turns + 1) } else { 0 };
    let mut f = String::with_capacity(128);
    f.push_str(r#""model":""#);
    f.push_str(ctx.kind.model);
    f.push_str(r#"","max_turns":"#);
    push_int(&mut f, max_turns);
    ctx.line(out, start, "agent.start", &f, "info");
    let mut t = start + rng.range(5, 20) * MS;
    let (mut tin, mut tout) = (0i64, 0i64);
    for turn in 1..=turns {
        f.clear();
        f.push_str(r#""turn":"#);
        push_int(&mut f, turn);
        f.push_str(r#","max_turns":"#);
        push_int(&mut f, max_turns);
        ctx.line(out, t, "agent.turn", &f, "info");
        f.clear();
        f.push_str(r#""turn":"#);
        push_int(&mut f, turn);
        f.push_str(r#","model":""#);
        f.push_str(ctx.kind.model);
        f.push_str(r#"","messages":"#);
        push_int(&mut f, turn * 2);
        ctx.line(out, t + MS, "llm.request", &f, "info");
        t += rng.range(800, 6_000) * MS;
        let last = turn == turns;
        let (i_tok, o_tok) = (rng.range(800, 4_000) + turn * 600, rng.range(60, 600));
        tin += i_tok;
        tout += o_tok;
        let stop = if last && !crash {
            "end_turn"
        } else {
            "tool_use"
        };
        f.clear();
        f.push_str(r#""turn":"#);
        push_int(&mut f, turn);
        f.push_str(r#","stop_reason":""#);
        f.push_str(stop);
        f.push_str(r#"","input_tokens":"#);
        push_int(&mut f, i_tok);
        f.push_str(r#","output_tokens":"#);
        push_int(&mut f, o_tok);
        ctx.line(out, t, "llm.response", &f, "info");
        let mut content = String::with_capacity(64);
        content.push_str("Turn ");
        push_int(&mut content, turn);
        content.push_str(": checking ");
        content.push_str(&ctx.target);
        content.push_str(if last {
            " for the final verdict."
        } else {
            " for more context."
        });
        f.clear();
        f.push_str(r#""role":"assistant","content":"#);
        f.push_str(&js(&content));
        ctx.line(out, t + MS, "agent.message", &f, "debug");
        if crash && turn == crash_turn {
            crash_line(out, ctx, t + 2 * MS, turn);
            return true;
        }
        let tool = if last && !crash {
            ctx.kind.submit
        } else {
            *rng.pick(ctx.kind.tools)
        };
        t = tool_call(out, rng, ctx, t + 2 * MS, turn, tool);
    }
    let cost = tin as f64 * ctx.kind.price.0 / 1e6 + tout as f64 * ctx.kind.price.1 / 1e6;
    ctx.line(
        out,
        t + 3 * MS,
        "agent.done",
        &format!(r#""turns":{turns},"input_tokens":{tin},"output_tokens":{tout},"cost":{cost:.4}"#),
        "info",
    );
    false
}

/// A tool call, its result or error and the tool message; returns the time after it.
fn tool_call(out: &mut Out, rng: &mut Rng, ctx: &Ctx, t: i64, turn: i64, tool: &str) -> i64 {
    let repo = *rng.pick(&REPOS);
    let mut args = String::with_capacity(96);
    match tool {
        "fetch_commit_diff" => {
            args.push_str(r#"{"repo":""#);
            args.push_str(repo);
            args.push_str(r#"","sha":""#);
            args.push_str(&rng.hex(7));
            args.push_str(r#""}"#);
        }
        "read_file" => {
            args.push_str(r#"{"repo":""#);
            args.push_str(repo);
            args.push_str(r#"","path":"lib/parser.c"}"#);
        }
        "search_cve" | "search_advisories" => {
            args.push_str(r#"{"query":""#);
            args.push_str(repo);
            args.push_str(r#" heap overflow"}"#);
        }
        "run_poc" => {
            args.push_str(r#"{"repo":""#);
            args.push_str(repo);
            args.push_str(r#"","poc":"poc-"#);
            push_int(&mut args, rng.range(1, 99));
            args.push_str(r#".c"}"#);
        }
        t if t.starts_with("submit") => {
            args.push_str(r#"{"target_id":""#);
            args.push_str(&ctx.target);
            args.push_str(r#"","label":"security_fix","confidence":0."#);
            push_int(&mut args, rng.range(50, 99));
            args.push('}');
        }
        _ => {
            args.push_str(r#"{"repo":""#);
            args.push_str(repo);
            args.push_str(r#""}"#);
        }
    }
    let slow = rng.chance(0.03);
    let dur_ms = if slow {
        rng.range(5_001, 40_000)
    } else {
        rng.range(15, 2_500)
    };
    let with_duration = slow || rng.chance(0.3);
    let mut f = String::with_capacity(192);
    f.push_str(r#""tool":""#);
    f.push_str(tool);
    f.push_str(r#"","args":"#);
    f.push_str(&args);
    f.push_str(r#","tool_call_id":"tc-"#);
    push_int(&mut f, turn);
    f.push('"');
    if with_duration {
        f.push_str(r#","duration_ms":"#);
        push_int(&mut f, dur_ms);
    }
    ctx.line(out, t, "tool.call", &f, "info");
    let end = t + dur_ms * MS;
    let content = if rng.chance(0.05) {
        let (err, level) = *rng.pick(&TOOL_ERRORS);
        ctx.line(
            out,
            end,
            "tool.error",
            &format!(r#""tool":"{tool}","error":"{err}","duration_ms":{dur_ms}"#),
            level,
        );
        format!("ERROR: {err}")
    } else {
        let chars = rng.range(40, 20_000);
        f.clear();
        f.push_str(r#""tool":""#);
        f.push_str(tool);
        f.push_str(r#"","chars":"#);
        push_int(&mut f, chars);
        f.push_str(r#","duration_ms":"#);
        push_int(&mut f, dur_ms);
        ctx.line(out, end, "tool.result", &f, "info");
        let mut c = String::with_capacity(64);
        c.push_str(tool);
        c.push_str(" returned ");
        push_int(&mut c, chars);
        c.push_str(" chars for ");
        c.push_str(repo);
        c
    };
    f.clear();
    f.push_str(r#""role":"tool","tool_call_id":"tc-"#);
    push_int(&mut f, turn);
    f.push_str(r#"","content":"#);
    f.push_str(&js(&content));
    ctx.line(out, end + MS, "agent.message", &f, "debug");
    end + 2 * MS
}

fn crash_line(out: &mut Out, ctx: &Ctx, t: i64, turn: i64) {
    let tb = "Traceback (most recent call last):\n  File \"/app/vulnsentinel/agents/base.py\", line 231, in run\n    output = await self.dispatch_tool(call)\n  File \"/app/vulnsentinel/agents/tools/github.py\", line 140, in fetch_commit_diff\n    return payload[\"files\"][0][\"diff\"]\nKeyError: 'diff'";
    ctx.line(
        out,
        t,
        "agent.error",
        &format!(
            r#""turn":{turn},"error":"KeyError: 'diff'","exception":{}"#,
            js(tb)
        ),
        "error",
    );
}
