#!/usr/bin/env python3
"""Lab tooling for the embedded LogQL engine against a real Loki (../shared/lab).

  logql_lab.py push     URL DATADIR            push dataset.jsonl with dataset.meta.jsonl, then /flush
  logql_lab.py capture  URL DATADIR ID KIND QUERY [instant]
                                               record Loki's answer as a conformance case file
  logql_lab.py gen      QUERIES.txt           write the generated query list (deterministic)
  logql_lab.py side     URL DATADIR VSLOGS QUERIES.txt [REPORT]
                                               run every query on Loki and on `vs-logs query --file`,
                                               compare normalised results, print the agreement rate

Only the standard library is used. Nothing here is needed by `cargo test`.
"""
import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

from logql_lab_queries import extra_queries

START = "1795514400000000000"
END = "1795585848695220000"


def push(url, datadir):
    lines = open(os.path.join(datadir, "dataset.jsonl"), encoding="utf-8").read().split("\n")
    metas = [json.loads(l) for l in open(os.path.join(datadir, "dataset.meta.jsonl"), encoding="utf-8")]
    streams = {}
    for line, meta in zip(lines, metas):
        key = json.dumps(meta["labels"], sort_keys=True)
        streams.setdefault(key, []).append([meta["ts_ns"], line])
    body = {"streams": [{"stream": json.loads(k), "values": v} for k, v in streams.items()]}
    req = urllib.request.Request(url + "/loki/api/v1/push", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req).read()
    urllib.request.urlopen(urllib.request.Request(url + "/flush", data=b"", method="POST")).read()
    print(f"pushed {len(metas)} lines in {len(streams)} streams")


def request_for(kind, instant):
    if instant:
        return {"endpoint": "/loki/api/v1/query", "start": None, "end": None, "step": None,
                "limit": None, "direction": None, "time": END}
    if kind == "log":
        return {"endpoint": "/loki/api/v1/query_range", "start": START, "end": END, "step": None,
                "limit": 5000, "direction": "forward", "time": None}
    if kind == "metric":
        return {"endpoint": "/loki/api/v1/query_range", "start": START, "end": END, "step": 300,
                "limit": None, "direction": None, "time": None}
    return {"endpoint": "/loki/api/v1/query_range", "start": START, "end": END, "step": 300,
            "limit": 5000, "direction": None, "time": None}


def loki(url, query, req):
    params = {"query": query}
    for k in ("start", "end", "step", "limit", "direction", "time"):
        if req.get(k) is not None:
            params[k] = str(req[k])
    full = url + req["endpoint"] + "?" + urllib.parse.urlencode(params)
    try:
        with urllib.request.urlopen(full) as r:
            return r.status, r.headers.get("Content-Type"), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read().decode()


def canon(v):
    return json.dumps(v, sort_keys=True, separators=(",", ":"))


def expected_of(status, body):
    if status != 200:
        return {"body": body, "content_type": "text/plain; charset=utf-8"}
    data = json.loads(body)["data"]
    if data["resultType"] == "streams":
        entries = []
        for s in data["result"]:
            for ts, line, *rest in s["values"]:
                entries.append({"ts": ts, "line": line, "labels": s["stream"]})
        entries.sort(key=lambda e: int(e["ts"]))
        return {"entries": entries}
    series = sorted(data["result"], key=lambda s: canon(s["metric"]))
    return {"resultType": data["resultType"], "series": series}


def capture(url, datadir, cid, kind, query, instant=False):
    req = request_for(kind, instant)
    status, ctype, body = loki(url, query, req)
    if status != 200:
        kind = "error" if kind != "metric" else kind
    case = {"id": cid, "kind": kind, "query": query, "request": req, "status": status,
            "expected": expected_of(status, body)}
    cases = os.path.join(datadir, "cases")
    with open(os.path.join(cases, cid + ".json"), "w", encoding="utf-8") as f:
        json.dump(case, f, indent=1, ensure_ascii=False)
        f.write("\n")
    ext = ".raw.json" if status == 200 else ".raw.txt"
    with open(os.path.join(cases, cid + ext), "w", encoding="utf-8") as f:
        f.write(body)
    summary = body[:200] if status != 200 else (
        f"{len(case['expected'].get('entries', []))} entries" if "entries" in case["expected"]
        else f"{len(case['expected']['series'])} series")
    print(f"{cid} {status} {summary}")


# ---- side by side -------------------------------------------------------------------------

def norm_loki(status, body):
    """('error', None) or ('log', [(ts, line, labels)]) or ('metric', {labels: {t: v}})."""
    if status != 200:
        return ("error", None)
    data = json.loads(body)["data"]
    return norm_data(data)


def norm_data(data):
    if data["resultType"] == "streams":
        out = []
        for s in data["result"]:
            for ts, line, *_ in s["values"]:
                out.append((untimed(int(ts), line), line, canon(s["stream"])))
        out.sort()
        return ("log", out)
    out = {}
    for s in data["result"]:
        pts = s.get("values") or [s["value"]]
        out[canon(s["metric"])] = {round(float(t) * 1000): float(v) for t, v in pts}
    return ("metric", out)


def close(a, b):
    if a != a and b != b:
        return True
    return a == b or abs(a - b) <= 1e-9 * max(abs(a), abs(b))


def same(a, b):
    if a[0] != b[0]:
        return False
    if a[0] == "error":
        return True
    if a[0] == "log":
        return a[1] == b[1]
    if a[1].keys() != b[1].keys():
        return False
    for k in a[1]:
        pa, pb = a[1][k], b[1][k]
        if pa.keys() != pb.keys() or any(not close(pa[t], pb[t]) for t in pa):
            return False
    return True


def vslogs(binary, datadir, query, kind):
    args = [binary, "query", "--file", os.path.join(datadir, "dataset.jsonl"),
            "--from", "2026-11-24T10:00:00Z", "--to", "2026-11-25T05:50:48.695220Z",
            "-o", "json"]
    if kind == "metric":
        args += ["--step", "300s"]
    else:
        args += ["--limit", "5000", "--forward"]
    args += ["--", query]
    p = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        return ("error", p.stderr.strip()[:300])
    out = json.loads(p.stdout)
    if isinstance(out, list):
        # Log entries: stream labels, structured metadata and parsed labels together are
        # the label set Loki returns.
        entries = []
        for e in out:
            labels = {**e["labels"], **e["metadata"], **e["parsed"]}
            entries.append((untimed(int(e["ts_ns"]), e["line"]), e["line"], canon(labels)))
        entries.sort()
        return ("log", entries), None
    return norm_data(out), None


def describe(n):
    if n[0] == "error":
        return "error"
    if n[0] == "log":
        return f"{len(n[1])} entries"
    return f"{len(n[1])} series"


# Lines that print no timestamp of their own: a file cannot know the time Loki stored them at,
# so their entry timestamps are not compared. vs-logs gives such a line a time of its own, which
# is no line's timestamp in the data set.
UNTIMED_TS = set()
ALL_TS = set()


def untimed(ts, line):
    if ALL_TS and (ts in UNTIMED_TS or ts not in ALL_TS):
        return 0
    return ts


def ranked(n):
    """A metric result as {t: sorted values}: topk/bottomk pick any of the series tied for the
    last place (Loki's choice is arbitrary), so only the values per step are compared."""
    out = {}
    for pts in n[1].values():
        for t, v in pts.items():
            out.setdefault(t, []).append(v)
    return {t: sorted(vs) for t, vs in out.items()}


def same_ranked(a, b):
    if a[0] != "metric" or b[0] != "metric":
        return same(a, b)
    ra, rb = ranked(a), ranked(b)
    return ra.keys() == rb.keys() and all(
        len(ra[t]) == len(rb[t]) and all(close(x, y) for x, y in zip(ra[t], rb[t])) for t in ra)


def side(url, datadir, binary, qfile, report=None):
    for meta in open(os.path.join(datadir, "dataset.meta.jsonl"), encoding="utf-8"):
        meta = json.loads(meta)
        ALL_TS.add(int(meta["ts_ns"]))
        if meta.get("tag") == "plain-ansi":
            UNTIMED_TS.add(int(meta["ts_ns"]))
    queries = [q.rstrip("\n") for q in open(qfile, encoding="utf-8") if q.strip() and not q.startswith("#")]
    agree, diffs = 0, []
    for q in queries:
        is_metric = not q.lstrip().startswith("{")
        kind = "metric" if is_metric else "log"
        status, _, body = loki(url, q, request_for(kind, False))
        want = norm_loki(status, body)
        got = vslogs(binary, datadir, q, kind)
        if got[0] == "error":
            got_n, err = ("error", None), got[1]
        else:
            got_n, err = got
        ranks = "topk" in q or "bottomk" in q
        if same(want, got_n) or (ranks and same_ranked(want, got_n)):
            agree += 1
        elif want[0] == "log" and got_n[0] == "log" and len(want[1]) == len(got_n[1]):
            first = next((w, g) for w, g in zip(want[1], got_n[1]) if w != g)
            diffs.append(f"{q}\n    first differing entry:\n    loki:    {str(first[0])[:400]}"
                         f"\n    vs-logs: {str(first[1])[:400]}")
        else:
            diffs.append(f"{q}\n    loki: {describe(want)}{(' ' + body[:200].strip()) if status != 200 else ''}"
                         f"\n    vs-logs: {describe(got_n)}{(' ' + err) if err else ''}")
    text = f"agreement: {agree}/{len(queries)} = {100.0 * agree / max(1, len(queries)):.1f}%\n"
    text += "".join(f"DIFF {d}\n" for d in diffs)
    if report:
        open(report, "w", encoding="utf-8").write(text)
    print(text)


# ---- query generator ----------------------------------------------------------------------

SELECTORS = [
    '{app="vulnsentinel"}',
    '{app="vulnsentinel", module="api"}',
    '{app="vulnsentinel", module="agent"}',
    '{app="vulnsentinel", module="app"}',
    '{app="vulnsentinel", module=~"db|engine"}',
    '{app="vulnsentinel", level!="info"}',
]
LINE_FILTERS = ['', '|= "error"', '!= "debug"', '|~ "rate.limit|timeout"', '|= "request.end"',
                '|> "<_>tool.<_>"', '|= "evt-789"', '!~ "GET|POST"', '|= "Traceback"']
PARSERS = ['', '| json', '| logfmt', '| json | __error__=""', '| logfmt --strict',
           '| json event="event", status="status"', '| unpack', '| decolorize',
           '| pattern "<ts> [<lvl>] <ev> <_>"', '| regexp "(?P<verb>GET|POST) (?P<path>/v1/\\w+)"']
LABEL_FILTERS = ['', '| event="request.end"', '| status >= 400', '| duration_ms > 100',
                 '| method="POST", status=201 or status=200', '| status=200 or status=201 and method="GET"',
                 '| (status=404 or status=503) and method="GET"', '| tool=~"run_.*|fetch_.*"',
                 '| client != ip("10.0.0.0/8")', '| retry_in_s > 30s', '| agent_type!=""',
                 '| level="error" or level="warning"', '| status >= 500, method="GET" or method="POST"']
FORMATS = ['', '| line_format "{{.event}} {{.status}}"', '| keep event, status',
           '| drop timestamp, logger', '| label_format code=status',
           '| line_format "{{ .duration_ms | int }}"', '| line_format "{{ ToUpper .event }} {{ default \\"-\\" .tool }}"',
           '| label_format ev="{{ .event | replace \\".\\" \\"_\\" }}"', '| decolorize != "rate"']
RANGES = ['count_over_time', 'rate', 'bytes_over_time', 'bytes_rate', 'absent_over_time']
UNWRAPS = ['sum_over_time', 'avg_over_time', 'max_over_time', 'min_over_time', 'first_over_time',
           'last_over_time', 'stddev_over_time', 'quantile_over_time(0.9,']
UNWRAP_LABELS = ['status', 'duration_ms', 'cost', 'turn', 'retry_in_s', 'remaining']
VECTOR = ['sum', 'sum by (module)', 'count', 'max by (level)', 'avg', 'topk(2,', 'sum by (event)',
          'sum without (level)', 'min by (method)', 'sort_desc(sum by (module)']


def gen(path):
    import random
    rnd = random.Random(15)
    out = []
    seen = set()
    while len(out) < 320:
        sel = rnd.choice(SELECTORS)
        pipe = " ".join(x for x in [rnd.choice(LINE_FILTERS), rnd.choice(PARSERS),
                                    rnd.choice(LABEL_FILTERS) if rnd.random() < .6 else "",
                                    rnd.choice(FORMATS) if rnd.random() < .4 else ""] if x)
        log = (sel + " " + pipe).strip()
        kind = rnd.random()
        if kind < 0.4:
            q = log
        elif kind < 0.7:
            r = rnd.choice(RANGES)
            q = f"{r}({log} [{rnd.choice(['5m', '1h', '30m'])}])"
            v = rnd.choice(VECTOR + [''])
            if v:
                q = f"{v}{'' if v.endswith(',') else ' '}({q})" if not v.endswith(',') else f"{v} {q})"
                if v.startswith("sort_desc"):
                    q += ")"
        else:
            fn = rnd.choice(UNWRAPS)
            lbl = rnd.choice(UNWRAP_LABELS)
            conv = rnd.choice([lbl, lbl, f"duration({lbl})" if lbl == "retry_in_s" else lbl])
            post = rnd.choice(['', ' | __error__=""'])
            inner = f"{log} | unwrap {conv}{post} [1h]"
            if fn.endswith(","):
                q = f"{fn} {inner})"
            else:
                q = f"{fn}({inner})"
            g = rnd.choice(['', ' by (method)', ' by (status)', ' without (event)', ' by (tool)'])
            q += g
            if rnd.random() < .5:
                q = f"sum by (module) ({q})"
        if q not in seen:
            seen.add(q)
            out.append(q)
    for q in extra_queries():
        if q not in seen:
            seen.add(q)
            out.append(q)
    open(path, "w", encoding="utf-8").write("\n".join(out) + "\n")
    print(f"{len(out)} queries in {path}")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "push":
        push(sys.argv[2], sys.argv[3])
    elif cmd == "capture":
        capture(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6],
                len(sys.argv) > 7 and sys.argv[7] == "instant")
    elif cmd == "gen":
        gen(sys.argv[2])
    elif cmd == "side":
        side(*sys.argv[2:7])
    else:
        sys.exit(__doc__)
