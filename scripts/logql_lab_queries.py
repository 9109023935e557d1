"""Hand-written and combinatorial LogQL queries for the side-by-side check (scripts/logql_lab.py).

The examples of Loki's LogQL documentation (log queries, label filter expressions, template
functions, metric queries), rewritten for the VulnSentinel data set, then every template function,
every binary operator with its modifiers, offsets, and the less common aggregations. Each line of a
block is one query, exactly as sent.
"""

SEL = '{app="vulnsentinel"}'
API = '{app="vulnsentinel", module="api"}'
AGENT = '{app="vulnsentinel", module="agent"}'
DB = '{app="vulnsentinel", module="db"}'
APP = '{app="vulnsentinel", module="app"}'
# Narrow selections keep results small: 118 api request.end lines, 240 db lines.
VULNS = API + ' |= "request.end" |= "/v1/vulns" | json'
DBJ = DB + ' | json'

# Log queries in the style of the documentation's examples.
DOC_LOG = r'''
{app="vulnsentinel", module="api"} |= "request.end" | json | duration_ms > 100 and status >= 400
{app="vulnsentinel", module="api"} |= "request.end" | json | duration_ms > 100 or status >= 400
{app="vulnsentinel"} |= "error" != "timeout"
{app="vulnsentinel"} |= "error" != "timeout" |~ "(?i)key"
{app="vulnsentinel"} |~ "tool\\.(call|result)" | json | tool="run_poc"
{app="vulnsentinel"} |~ `tool\.(call|result)` | json | tool=~"fetch_.*"
{app="vulnsentinel"} |~ "(?i)SIGKILL"
{app="vulnsentinel"} |= "rate limit" or "timeout"
{app="vulnsentinel"} |= "rate limit" or "timeout" or "SIGKILL"
{app="vulnsentinel"} != "info" != "debug"
{app="vulnsentinel"} !~ "info|debug"
{app="vulnsentinel", module!="api"} |= "error"
{app="vulnsentinel", module!~"api|agent"} |= "error"
{app="vulnsentinel", module=~"api|agent", level="error"}
{app="vulnsentinel", level=~"warn.*"} | json | line_format "{{.event}}"
{app="vulnsentinel", module="api"} | json | method="GET" and status=404
{app="vulnsentinel", module="api"} | json | method="GET", status=404
{app="vulnsentinel", module="api"} | json | method="GET" | status=404
{app="vulnsentinel", module="api"} | json | method="GET" status=404
{app="vulnsentinel", module="api"} | json | status >= 400 and status < 500 or method="DELETE"
{app="vulnsentinel", module="api"} | json | (status >= 400 and status < 500) or method="DELETE"
{app="vulnsentinel", module="api"} | json | status >= 400 and (status < 500 or method="DELETE")
{app="vulnsentinel", module="api"} | json | duration_ms >= 250.5
{app="vulnsentinel", module="api"} | json | duration_ms == 20.4
{app="vulnsentinel", module="api"} | json | duration_ms != 20.4 | event="request.end" | status=503
{app="vulnsentinel", module="api"} | json | path=~"/v1/vulns.*" | status > 399
{app="vulnsentinel", module="api"} | json | path!~"/v1/(vulns|events).*" | status > 399
{app="vulnsentinel", module="api"} | json | client=~"10\\.0\\.5\\..*"
{app="vulnsentinel", module="agent"} | json | event="tool.call" | duration_ms > 5s
{app="vulnsentinel", module="agent"} | json | event="tool.call" | duration_ms > 5000ms
{app="vulnsentinel", module="agent"} | json | event="tool.result" | chars > 10KB
{app="vulnsentinel", module="agent"} | json | event="tool.result" | chars > 10KiB
{app="vulnsentinel", module="agent"} | json | event="tool.result" | chars <= 1kb
{app="vulnsentinel", module="engine"} | json | event="github.rate_limit" | retry_in_s >= 60
{app="vulnsentinel", module="engine"} | json | event="github.rate_limit" | reset_at != ""
{app="vulnsentinel", module="db"} | json | event="db.slow_query" | rows > 10000 | line_format "{{.rows}} {{.duration_ms}}"
{app="vulnsentinel", module="db"} | json | event="db.pool.status" | size >= 20 and overflow > 0
{app="vulnsentinel", module="db"} | json | sql=~"SELECT.*" | keep event, rows
{app="vulnsentinel", module="app"} | logfmt | method="GET"
{app="vulnsentinel", module="app"} | logfmt | remaining=0
{app="vulnsentinel", module="app"} | logfmt | status >= 200 | line_format "{{.path}} {{.status}}"
{app="vulnsentinel", module="app"} | logfmt --keep-empty
{app="vulnsentinel", module="app"} | logfmt --strict --keep-empty | __error__=""
{app="vulnsentinel", module="app"} | logfmt m="method", p="path"
{app="vulnsentinel", module="app"} | logfmt method, path
{app="vulnsentinel", module="app"} | decolorize | logfmt | method="GET"
{app="vulnsentinel", module="app"} | decolorize | pattern "<ts> [<lvl>] <ev>  <rest>"
{app="vulnsentinel", module="api"} | json first_method="method", p="path"
{app="vulnsentinel", module="agent"} | json tool, turn
{app="vulnsentinel", module="agent"} | json repo="args.repo", img="args[\"image\"]"
{app="vulnsentinel", module="agent"} | json a="args" | a != ""
{app="vulnsentinel", module="engine"} | json first_sha="commits[0].sha" | first_sha != ""
{app="vulnsentinel", module="engine"} | json c="commits" | c != "" | line_format "{{.c | len}}"
{app="vulnsentinel", module="agent"} | json | event="tool.error" | line_format "{{.error}}" | decolorize
{app="vulnsentinel"} | json | __error__="JSONParserErr"
{app="vulnsentinel"} | json | __error__!="" | line_format "{{.__error__}}"
{app="vulnsentinel"} | json | drop __error__, __error_details__
{app="vulnsentinel"} | json | drop level_extracted, logger, timestamp | event="app.startup"
{app="vulnsentinel"} | json | drop event="request.end", method
{app="vulnsentinel", module="api"} | json | keep event="request.end", method, status
{app="vulnsentinel", module="api"} | json | keep method="GET" | status=""
{app="vulnsentinel"} | logfmt | drop __error__
{app="vulnsentinel"} | regexp "\"event\":\"(?P<ev>[a-z.]+)\"" | ev="db.retry"
{app="vulnsentinel"} | regexp `"duration_ms":(?P<d>[0-9.]+)` | d > 20000
{app="vulnsentinel"} | regexp "(?P<x>zzzz)"
{app="vulnsentinel"} | regexp "(?P<a>[0-9]+)-(?P<b>[0-9]+)" | a != ""
{app="vulnsentinel", module="api"} | pattern `{"event":"<event>","method":"<method>","path":"<path>"<_>` | method="DELETE"
{app="vulnsentinel", module="api"} | pattern `<_>"status":<status>,<_>` | status >= 500
{app="vulnsentinel", module="app"} | pattern "<ts> [<lvl>] <ev> <_>" | lvl="warning"
{app="vulnsentinel", module="app"} | pattern "<_> [<_>] <_>" | line_format "x"
{app="vulnsentinel"} |> "<_>tool.<_>" !> "<_>run_poc<_>"
{app="vulnsentinel"} |> "<_>\"status\":5<_>" or "<_>SIGKILL<_>"
{app="vulnsentinel"} !> "<_>{<_>"
{app="vulnsentinel", module="api"} |= ip("10.0.5.105")
{app="vulnsentinel", module="api"} |= ip("10.0.5.0/24")
{app="vulnsentinel", module="api"} != ip("10.0.0.0/8")
{app="vulnsentinel", module="api"} |= ip("10.0.5.1-10.0.5.120")
{app="vulnsentinel", module="api"} |= ip("192.168.0.0/16")
{app="vulnsentinel", module="api"} |= ip("::1")
{app="vulnsentinel", module="api"} | json | client = ip("10.0.5.0/24")
{app="vulnsentinel", module="api"} | json | client == ip("10.0.5.0/24")
{app="vulnsentinel", module="api"} | json | client != ip("10.0.0.0/8") | event="request.start"
{app="vulnsentinel", module="api"} | json | client = ip("10.0.5.1-10.0.5.99")
{app="vulnsentinel", module="api"} | json | client = ip("10.0.5.105")
{app="vulnsentinel", module="api"} | json | client = ip("10.0.0.0/33")
{app="vulnsentinel"} | unpack | event="db.retry"
{app="vulnsentinel"} | json | line_format "{{.event}}" | unpack
{app="vulnsentinel"} |= "SIGKILL" | line_format "{{__line__}} at {{__timestamp__}}"
{app="vulnsentinel", module="db"} | line_format `{{ __timestamp__ | unixEpoch }}`
{app="vulnsentinel", module="db"} | line_format `{{ __timestamp__ | date "2006-01-02T15:04:05.00Z-07:00" }}`
{app="vulnsentinel", module="db"} | line_format `{{ __timestamp__ | unixEpochMillis }}`
{app="vulnsentinel", module="db"} | line_format `{{ __timestamp__ | unixEpochNanos }}`
{app="vulnsentinel", module="db"} | line_format `{{ __line__ | lower }}`
{app="vulnsentinel", module="db"} | line_format `{{ __line__ | len }}`
{app="vulnsentinel", module="db"} | json | line_format `{{ if eq .event "db.retry" }}RETRY {{ .attempt }}{{ else }}{{ .event }}{{ end }}`
{app="vulnsentinel", module="db"} | json | line_format `{{ if and (contains "db" .event) (hasSuffix "status" .event) }}pool{{ end }}`
{app="vulnsentinel", module="db"} | json | line_format `{{ if or (hasPrefix "db.m" .event) (eq .level_extracted "warning") }}hit{{ else }}miss{{ end }}`
{app="vulnsentinel", module="db"} | json | line_format `{{ range $i, $c := .event }}{{ $i }}{{ end }}`
{app="vulnsentinel", module="db"} | json | line_format `{{ with .rows }}rows={{ . }}{{ end }}`
{app="vulnsentinel", module="db"} | json | line_format `{{- .event -}} / {{- .level_extracted }}`
{app="vulnsentinel", module="db"} | json | line_format `{{/* c */}}{{ .event }}`
{app="vulnsentinel", module="db"} | json | line_format `{{ $e := .event }}{{ $e | upper }}`
{app="vulnsentinel", module="db"} | json | line_format `{{ printf "%s/%v/%q" .event .rows .level_extracted }}`
{app="vulnsentinel", module="db"} | json | line_format `{{ printf "%05.1f" (float64 .duration_ms) }}`
{app="vulnsentinel", module="db"} | json | line_format `{{ printf "%d" .rows }}`
{app="vulnsentinel", module="db"} | json | line_format `{{ .rows | printf "%x" }}`
{app="vulnsentinel", module="db"} | json | label_format ev=event | line_format "{{.ev}}"
{app="vulnsentinel", module="db"} | json | label_format ev=event, lvl=level_extracted | keep ev, lvl
{app="vulnsentinel", module="db"} | json | label_format ev="{{.event}}-{{.level_extracted}}" | keep ev
{app="vulnsentinel", module="db"} | json | label_format event="{{ .event | upper }}" | event="DB.RETRY"
{app="vulnsentinel", module="db"} | json | label_format module="x"
{app="vulnsentinel", module="db"} | json | label_format a=event, b=a
{app="vulnsentinel", module="db"} | json | label_format a="{{.event}}", a="{{.level}}"
{app="vulnsentinel", module="db"} | json | label_format ts=`{{ __timestamp__ | unixEpoch }}` | keep ts
{app="vulnsentinel", module="db"} | json | label_format l=`{{ __line__ | len }}` | l > 200
{app="vulnsentinel", module="db"} | json | line_format "{{.event}}" | label_format line=`{{ __line__ }}` | keep line
'''

# One template per function of the template functions page (and Go's built-ins).
TEMPLATES = r'''
{{ .event | ToLower }}
{{ ToUpper .event }}
{{ Replace .event "." "_" -1 }}
{{ Replace .event "." "_" 1 }}
{{ Trim .event "d" }}
{{ TrimLeft .event "db." }}
{{ TrimRight .event "kyr" }}
{{ TrimPrefix .event "db." }}
{{ TrimSuffix .event ".check" }}
{{ TrimSpace " x " }}
{{ .event | lower }}
{{ .event | upper }}
{{ .event | title }}
{{ .event | trunc 5 }}
{{ .event | trunc -5 }}
{{ substr 0 5 .event }}
{{ substr 3 100 .event }}
{{ .event | replace "." "-" }}
{{ .event | trim }}
{{ .event | trimAll "dy" }}
{{ .event | trimSuffix ".status" }}
{{ .event | trimPrefix "db." }}
{{ .event | indent 4 }}
{{ .event | nindent 2 }}
{{ .event | repeat 2 }}
{{ contains "pool" .event }}
{{ hasPrefix "db.s" .event }}
{{ hasSuffix "query" .event }}
{{ regexReplaceAll "([a-z]+)\\.([a-z_]+)" .event "${2}.${1}" }}
{{ regexReplaceAllLiteral "[aeiou]" .event "${1}" }}
{{ count "o" .event }}
{{ .sql | urlencode }}
{{ "a%20b%2Fc" | urldecode }}
{{ .event | b64enc }}
{{ .event | b64enc | b64dec }}
{{ .rows | bytes }}
{{ "2KB" | bytes }}
{{ "1h2m" | duration }}
{{ "1h2m" | duration_seconds }}
{{ .duration_ms | duration }}
{{ .timestamp | toDate "2006-01-02T15:04:05.000000Z" | unixEpoch }}
{{ toDateInZone "2006-01-02T15:04:05.000000Z" "UTC" .timestamp | unixEpoch }}
{{ toDateInZone "2006-01-02" "Europe/Paris" "2026-11-25" | date "2006-01-02 15:04 MST" }}
{{ .timestamp | toDate "2006-01-02T15:04:05.000000Z" | date "Jan 2 15:04:05.000" }}
{{ unixToTime "1795585848" | date "2006-01-02T15:04:05Z07:00" }}
{{ unixToTime "1795585848000" | unixEpoch }}
{{ unixToTime "1795585848000000000" | unixEpochMillis }}
{{ .event | alignLeft 6 }}
{{ .event | alignRight 6 }}
{{ add .rows 1 }}
{{ addf .duration_ms 0.5 }}
{{ sub .rows 1 }}
{{ subf .duration_ms 0.25 }}
{{ mul .rows 2 }}
{{ mulf .duration_ms 1.5 }}
{{ div .rows 3 }}
{{ divf .duration_ms 3 }}
{{ mod .rows 7 }}
{{ max .rows 30000 }}
{{ maxf .duration_ms 2000.5 }}
{{ min .rows 30000 }}
{{ minf .duration_ms 2000.5 }}
{{ ceil .duration_ms }}
{{ floor .duration_ms }}
{{ round .duration_ms 0 }}
{{ round .duration_ms 1 }}
{{ .duration_ms | int }}
{{ .duration_ms | float64 }}
{{ .rows | int | add 1 }}
{{ default "none" .rows }}
{{ default "none" .nokey }}
{{ .nokey }}
{{ fromJson "{\"a\":1}" }}
{{ (fromJson "{\"a\":{\"b\":\"c\"}}").a.b }}
{{ len .event }}
{{ index .event 0 }}
{{ slice .event 1 3 }}
{{ eq .event "db.retry" }}
{{ ne .event "db.retry" }}
{{ lt .rows 20000 }}
{{ le .event "db.q" }}
{{ not .rows }}
{{ and .rows .event }}
{{ or .rows .event }}
{{ print .event 1 2 }}
{{ println .event }}
{{ html "<a&b>" }}
{{ js "it's" }}
{{ urlquery "a b&c" }}
{{ .event | sha256 }}
{{ .event | abbrev 5 }}
{{ .event | kebabcase }}
{{ .event | snakecase }}
{{ .event | camelcase }}
{{ .event | wrap 5 }}
{{ .event | quote }}
{{ .event | squote }}
{{ cat .event .rows }}
{{ .event | splitList "." | join "+" }}
'''

METRIC = r'''
sum by (status) (count_over_time({app="vulnsentinel", module="api"} | json | event="request.end" | __error__="" [5m]))
topk(3, sum by (path) (rate({app="vulnsentinel", module="api"} | json | event="request.end" | __error__="" [30m])))
bottomk(2, sum by (path) (rate({app="vulnsentinel", module="api"} | json | event="request.end" | __error__="" [30m])))
sum by (module) (rate({app="vulnsentinel"} |= "error" [5m])) / sum by (module) (rate({app="vulnsentinel"}[5m]))
sum(count_over_time({app="vulnsentinel", module="api"} | json | status >= 500 | __error__="" [5m])) / sum(count_over_time({app="vulnsentinel", module="api"} | json | event="request.end" | __error__="" [5m]))
quantile_over_time(0.99, {app="vulnsentinel", module="api"} | json | event="request.end" | unwrap duration_ms | __error__="" [5m]) by (path)
quantile_over_time(0.5, {app="vulnsentinel", module="api"} | json | event="request.end" | unwrap duration_ms | __error__="" [1h]) by (method)
quantile_over_time(0, {app="vulnsentinel", module="api"} | json | event="request.end" | unwrap duration_ms | __error__="" [1h])
quantile_over_time(1, {app="vulnsentinel", module="api"} | json | event="request.end" | unwrap duration_ms | __error__="" [1h])
quantile_over_time(1.5, {app="vulnsentinel", module="api"} | json | event="request.end" | unwrap duration_ms | __error__="" [1h])
quantile_over_time(0.25, {app="vulnsentinel", module="agent"} | json | event="tool.call" | unwrap duration_ms | __error__="" [6h]) by (tool)
sum by (tool) (avg_over_time({app="vulnsentinel", module="agent"} | json | event="tool.result" | unwrap duration_ms | __error__="" [1h]))
avg_over_time({app="vulnsentinel", module="db"} | json | event="db.slow_query" | unwrap duration_ms | __error__="" [1h]) by (module)
stdvar_over_time({app="vulnsentinel", module="db"} | json | event="db.slow_query" | unwrap duration_ms | __error__="" [1h])
stddev_over_time({app="vulnsentinel", module="db"} | json | event="db.slow_query" | unwrap rows | __error__="" [1h]) without (level)
rate_counter({app="vulnsentinel", module="db"} | json | event="db.pool.status" | unwrap checked_out | __error__="" [30m])
rate({app="vulnsentinel", module="db"} | json | event="db.pool.status" | unwrap checked_out | __error__="" [30m])
sum(sum_over_time({app="vulnsentinel", module="agent"} | json | event="tool.result" | unwrap bytes(chars) | __error__="" [1h]))
sum(sum_over_time({app="vulnsentinel", module="agent"} | json | event="tool.result" | label_format c="{{.chars}}KB" | unwrap bytes(c) | __error__="" [1h]))
sum(max_over_time({app="vulnsentinel", module="engine"} | json | event="github.rate_limit" | label_format r="{{.retry_in_s}}s" | unwrap duration_seconds(r) | __error__="" [1h]))
sum(max_over_time({app="vulnsentinel", module="engine"} | json | event="github.rate_limit" | unwrap duration(retry_in_s) | __error__="" [1h]))
max_over_time({app="vulnsentinel", module="app"} | logfmt | unwrap retry_in_s | __error__="" [1h])
min_over_time({app="vulnsentinel", module="app"} | logfmt | unwrap duration_ms | __error__="" [1h]) by (path)
sum by (path) (sum_over_time({app="vulnsentinel", module="app"} | logfmt | unwrap duration_ms | __error__="" [1h]))
first_over_time({app="vulnsentinel", module="db"} | json | event="db.pool.status" | unwrap checked_out | __error__="" [1h]) by (event)
last_over_time({app="vulnsentinel", module="db"} | json | event="db.pool.status" | unwrap checked_out | __error__="" [1h]) without (level, container)
sum_over_time({app="vulnsentinel", module="api"} | json | event="request.end" | unwrap status [1h])
sum by (status) (sum_over_time({app="vulnsentinel", module="api"} | json | event="request.end" | unwrap status [1h]))
count_over_time({app="vulnsentinel", module="api"} | json | event="request.end" | unwrap status [1h])
absent_over_time({app="vulnsentinel", module="api"} |= "zzz-nothing" [5m])
absent_over_time({app="vulnsentinel", module="db"} [10m])
absent_over_time({app="vulnsentinel", module="db"} | json | event="db.retry" [30m])
absent_over_time({app="vulnsentinel", module="db"} | json | unwrap rows | __error__="" [30m])
sum(absent_over_time({app="vulnsentinel", module="nope"}[5m]))
absent_over_time({app="vulnsentinel", module="db"}[5m] offset 1h)
count_over_time({app="vulnsentinel", module="db"}[5m] offset 1h)
sum(count_over_time({app="vulnsentinel", module="db"}[10m] offset 30m))
sum(count_over_time({app="vulnsentinel", module="db"}[10m] offset 30m)) - sum(count_over_time({app="vulnsentinel", module="db"}[10m]))
rate({app="vulnsentinel", module="db"}[5m] offset 2h)
sum(bytes_over_time({app="vulnsentinel", module="db"}[1h] offset 90s))
max_over_time({app="vulnsentinel", module="db"} | json | unwrap rows | __error__="" [1h] offset 1h)
bytes_rate({app="vulnsentinel", module="agent"}[10m])
sum by (level) (bytes_over_time({app="vulnsentinel", module="agent"}[1h]))
sum(count_over_time({app="vulnsentinel"}[1m]))
count_over_time({app="vulnsentinel", module="db"}[7m])
count_over_time({app="vulnsentinel", module="db"}[90s])
count_over_time({app="vulnsentinel", module="db"}[1h30m])
sum(count_over_time({app="vulnsentinel"}[1d]))
vector(1)
vector(1) + vector(2)
vector(3) * 2
sum(count_over_time({app="vulnsentinel", module="db"}[1h])) + vector(1)
sum(count_over_time({app="vulnsentinel", module="db"}[1h])) or vector(0)
sum(count_over_time({app="vulnsentinel", module="db"} |= "retry" [10m])) or vector(0)
label_replace(sum by (module) (count_over_time({app="vulnsentinel"}[1h])), "mod", "$1", "module", "(.*)")
label_replace(sum by (module) (count_over_time({app="vulnsentinel"}[1h])), "first", "$1", "module", "(.).*")
label_replace(sum by (module) (count_over_time({app="vulnsentinel"}[1h])), "module", "x-$1", "module", "a(.*)")
label_replace(sum by (module) (count_over_time({app="vulnsentinel"}[1h])), "module", "", "module", "api")
label_replace(sum by (module) (count_over_time({app="vulnsentinel"}[1h])), "m", "${1}_${2}", "module", "(a)(.*)")
label_replace(sum by (module) (count_over_time({app="vulnsentinel"}[1h])), "nope", "x", "nolabel", "")
label_replace(sum by (module) (count_over_time({app="vulnsentinel"}[1h])), "bad-name", "x", "module", ".*")
label_replace(sum by (module) (count_over_time({app="vulnsentinel"}[1h])), "m", "x", "module", "(")
label_replace(vector(1), "a", "b", "c", "")
sort(sum by (module) (count_over_time({app="vulnsentinel"}[1h])))
sort_desc(sum by (level) (count_over_time({app="vulnsentinel"}[1h])))
sort(count_over_time({app="vulnsentinel", module="db"}[1h]))
topk(1, sum by (module) (count_over_time({app="vulnsentinel"}[1h])))
topk(2, count_over_time({app="vulnsentinel"}[1h]))
topk by (module) (1, count_over_time({app="vulnsentinel"}[1h]))
topk(1, count_over_time({app="vulnsentinel"}[1h])) by (module)
bottomk(1, sum by (module) (count_over_time({app="vulnsentinel"}[1h])))
bottomk without (level) (1, count_over_time({app="vulnsentinel"}[1h]))
topk(0, sum by (module) (count_over_time({app="vulnsentinel"}[1h])))
topk(-1, sum by (module) (count_over_time({app="vulnsentinel"}[1h])))
sum(count_over_time({app="vulnsentinel"}[1h])) by (module, level)
sum without (module) (count_over_time({app="vulnsentinel"}[1h]))
sum without () (count_over_time({app="vulnsentinel", module="db"}[1h]))
sum by () (count_over_time({app="vulnsentinel"}[1h]))
avg(count_over_time({app="vulnsentinel"}[1h])) by (level)
min(count_over_time({app="vulnsentinel"}[1h])) without (level)
max by (module) (count_over_time({app="vulnsentinel"}[1h]))
count by (level) (count_over_time({app="vulnsentinel"}[1h]))
stddev by (module) (count_over_time({app="vulnsentinel"}[1h]))
stdvar(count_over_time({app="vulnsentinel"}[1h]))
count(count_over_time({app="vulnsentinel"}[1h]))
sum(sum by (module, level) (count_over_time({app="vulnsentinel"}[1h])))
max(sum by (module) (rate({app="vulnsentinel"}[5m]))) by (module)
avg by (method) (avg_over_time({app="vulnsentinel", module="api"} | json | event="request.end" | unwrap duration_ms | __error__="" [15m]))
sum by (method, status) (count_over_time({app="vulnsentinel", module="api"} | json | event="request.end" | __error__="" [1h]))
sum by (agent_type) (count_over_time({app="vulnsentinel", module="agent"} | json | __error__="" [1h])) > 10
sum by (agent_type) (count_over_time({app="vulnsentinel", module="agent"} | json | __error__="" [1h])) > bool 10
count_over_time({app="vulnsentinel", module="agent"} | json | __error__="" | event="agent.start" [6h])
count_over_time({app="vulnsentinel", module="agent"} | json | __error__="" | event="agent.start" | keep agent_type [6h])
count_over_time({app="vulnsentinel", module="agent"} | json | __error__="" | event="agent.start" | drop agent_id, target_id, timestamp [6h])
count_over_time({app="vulnsentinel", module="api"} | json | __error__="" | line_format "{{.method}}" [1h])
sum by (m) (count_over_time({app="vulnsentinel", module="api"} | json | __error__="" | label_format m=method [1h]))
sum by (p) (count_over_time({app="vulnsentinel", module="api"} | json | __error__="" | label_format p=`{{ .path | trunc 8 }}` [1h]))
sum by (verb) (count_over_time({app="vulnsentinel", module="app"} | pattern "<_> [<_>] <_>  method=<verb> <_>" [1h]))
sum by (ev) (count_over_time({app="vulnsentinel"} | regexp "\"event\":\"(?P<ev>[a-z]+)\\." [1h]))
sum(count_over_time({app="vulnsentinel", module="api"} | json | client = ip("10.0.5.0/24") [1h]))
sum(count_over_time({app="vulnsentinel", module="api"} |= ip("10.0.5.0/24") [1h]))
sum by (level) (count_over_time({app="vulnsentinel"} | decolorize [1h]))
sum(count_over_time({app="vulnsentinel"} | logfmt [1h]))
sum by (method) (count_over_time({app="vulnsentinel"} | logfmt | __error__="" [1h]))
sum by (level) (count_over_time({app="vulnsentinel"} | logfmt --strict [1h]))
sum(count_over_time({app="vulnsentinel"} | json | drop __error__, __error_details__ [1h]))
sum(count_over_time({app="vulnsentinel"} | json | __error__!="" [1h]))
sum by (__error__) (count_over_time({app="vulnsentinel"} | json | __error__!="" | drop __error_details__ [1h]))
sum(count_over_time({app="vulnsentinel"} | unpack [1h]))
sum(count_over_time({app="vulnsentinel"} | pattern "<a> <b>" [1h]))
sum(count_over_time({app="vulnsentinel"} | regexp "(?P<a>x)" [1h]))
count_over_time({app="vulnsentinel"} | regexp "(?P<a>x)" [1h])
count_over_time({app="vulnsentinel"} | logfmt --strict [1h])
sum(count_over_time({app="vulnsentinel"} | line_format "{{ div 1 0 }}" [1h]))
count_over_time({app="vulnsentinel", module="api"} | json | status > 1KB [1h])
count_over_time({app="vulnsentinel", module="api"} | json | status > 1KB | __error__="" [1h])
'''

OPS = ['+', '-', '*', '/', '%', '^', '==', '!=', '>', '<', '>=', '<=']
SETS = ['and', 'or', 'unless']
A = 'sum by (module) (count_over_time({app="vulnsentinel"}[1h]))'
B = 'sum by (module) (count_over_time({app="vulnsentinel"} |= "error" [1h]))'
C = 'sum by (module, level) (count_over_time({app="vulnsentinel"}[1h]))'
D = 'sum by (level) (count_over_time({app="vulnsentinel"}[1h]))'


def binops():
    out = []
    for op in OPS:
        out.append(f"{A} {op} 2")
        out.append(f"3 {op} {B}")
        out.append(f"{A} {op} {B}")
        out.append(f"{A} {op} on (module) group_left {C}")
        out.append(f"{C} {op} ignoring (level) group_left {A}")
        out.append(f"{A} {op} on (module) group_right {C}")
        if op in ('==', '!=', '>', '<', '>=', '<='):
            out.append(f"{A} {op} bool 300")
            out.append(f"{A} {op} bool {B}")
            out.append(f"2 {op} bool 1")
            out.append(f"vector(2) {op} bool vector(1)")
        else:
            out.append(f"2 {op} 3")
    for op in SETS:
        out.append(f"{A} {op} {B}")
        out.append(f"{A} {op} on (module) {C}")
        out.append(f"{C} {op} ignoring (level) {A}")
        out.append(f"{C} {op} on (level) {D}")
        out.append(f"{A} {op} {C}")
    out += [
        f"{A} / on (module) {B}",
        f"{A} / ignoring (module) {B}",
        f"{C} / {A}",
        f"{C} / on (module) {A}",
        f"{C} / on (module) group_left (level) {A}",
        f"{A} + on (module) group_left {C}",
        f"{C} * on (level) group_left (module) {D}",
        f'{A} - sum by (module) (count_over_time({{app="vulnsentinel"}}[1h] offset 1h))',
        f"-{A}",
        f"-({A} / 2)",
        f"2 * 3 + 4 ^ 2 ^ 0.5 - 1 % 3",
        f"(2 + 3) * {A}",
        f"{A} + {A} * {A}",
        f"{A} > 100 < 1000",
        f"{A} > bool 100 == bool 1",
        f"{A} == {A}",
        f"{A} and {A} > 500",
        f"{A} unless {A} > 500",
        f"{A} or {D}",
        f"{A} / 0",
        f"0 / 0 * {A}",
        f"-1 ^ 0.5 + {A}",
    ]
    return out


def template_queries():
    out = []
    for t in TEMPLATES.strip().split("\n"):
        esc = t.replace("\\", "\\\\").replace('"', '\\"')
        base = VULNS if ".status" in t else DBJ
        out.append(f'{base} | line_format "{esc}"')
    # A few through label_format too, and on the api subset.
    for t in ['{{ .method | lower }}', '{{ div .status 100 }}xx', '{{ .duration_ms | int | mul 2 }}',
              '{{ printf "%.1f" (divf .duration_ms 1000) }}s', '{{ .path | trimPrefix "/v1/" | upper }}']:
        esc = t.replace("\\", "\\\\").replace('"', '\\"')
        out.append(f'{VULNS} | label_format x="{esc}" | keep x')
    return out


def extra_queries():
    out = [q for q in DOC_LOG.strip().split("\n") if q]
    out += template_queries()
    out += [q for q in METRIC.strip().split("\n") if q]
    out += binops()
    return out
