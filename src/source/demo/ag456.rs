//! The run `ag-456` on `evt-789`: the 14 lines of a real Loki capture
//! (`tests/fixtures/loki-wire/02-qr-ag456-forward.json`), byte for byte when the demo ends at
//! [`super::DEMO_END_NS`]. `@TS@` stands for the timestamp; offsets are µs after 05:18:00Z.

/// (µs after the run's base time, line with `@TS@` for its timestamp).
pub(super) const AG456: [(i64, &str); 14] = [
    (
        123701,
        r#"{"event":"agent.start","model":"claude-haiku-4-5","max_turns":5,"agent_type":"event_classifier","agent_id":"ag-456","target_id":"evt-789","timestamp":"@TS@","level":"info","logger":"vulnsentinel.agent"}"#,
    ),
    (
        136232,
        r#"{"event":"agent.turn","turn":1,"max_turns":5,"agent_type":"event_classifier","agent_id":"ag-456","target_id":"evt-789","timestamp":"@TS@","level":"info","logger":"vulnsentinel.agent"}"#,
    ),
    (
        1976864,
        r#"{"event":"llm.response","turn":1,"stop_reason":"tool_use","input_tokens":1200,"output_tokens":300,"agent_type":"event_classifier","agent_id":"ag-456","target_id":"evt-789","timestamp":"@TS@","level":"info","logger":"vulnsentinel.agent"}"#,
    ),
    (
        1977893,
        r#"{"event":"agent.message","role":"assistant","content":"I'll fetch the commit diff for evt-789 (curl/curl@abc123) to see whether the change touches memory-safety code.","agent_type":"event_classifier","agent_id":"ag-456","target_id":"evt-789","timestamp":"@TS@","level":"debug","logger":"vulnsentinel.agent"}"#,
    ),
    (
        2536483,
        r#"{"event":"tool.call","tool":"fetch_commit_diff","args":{"repo":"curl/curl","sha":"abc123"},"tool_call_id":"tc-1","duration_ms":556,"agent_type":"event_classifier","agent_id":"ag-456","target_id":"evt-789","timestamp":"@TS@","level":"info","logger":"vulnsentinel.agent"}"#,
    ),
    (
        2537692,
        r#"{"event":"tool.result","tool":"fetch_commit_diff","chars":1523,"duration_ms":556,"agent_type":"event_classifier","agent_id":"ag-456","target_id":"evt-789","timestamp":"@TS@","level":"info","logger":"vulnsentinel.agent"}"#,
    ),
    (
        2539444,
        r#"{"event":"agent.message","role":"tool","tool_call_id":"tc-1","content":"diff --git a/lib/http.c b/lib/http.c\nindex 3f2a1c0..8b9d4e2 100644\n--- a/lib/http.c\n+++ b/lib/http.c\n@@ -1207,7 +1207,9 @@ CURLcode Curl_http_input(struct Curl_easy *data)\n-  if(len > MAX_HTTP_RESP_HEADER_SIZE)\n+  if(len > MAX_HTTP_RESP_HEADER_SIZE || len < 0)\n     return CURLE_TOO_LARGE;\n","agent_type":"event_classifier","agent_id":"ag-456","target_id":"evt-789","timestamp":"@TS@","level":"debug","logger":"vulnsentinel.agent"}"#,
    ),
    (
        2543126,
        r#"{"event":"agent.turn","turn":2,"max_turns":5,"agent_type":"event_classifier","agent_id":"ag-456","target_id":"evt-789","timestamp":"@TS@","level":"info","logger":"vulnsentinel.agent"}"#,
    ),
    (
        3863863,
        r#"{"event":"llm.response","turn":2,"stop_reason":"tool_use","input_tokens":2000,"output_tokens":150,"agent_type":"event_classifier","agent_id":"ag-456","target_id":"evt-789","timestamp":"@TS@","level":"info","logger":"vulnsentinel.agent"}"#,
    ),
    (
        3865435,
        r#"{"event":"agent.message","role":"assistant","content":"The patch adds a negative-length check before the header size comparison: a security fix for a heap overflow. Submitting the classification.","agent_type":"event_classifier","agent_id":"ag-456","target_id":"evt-789","timestamp":"@TS@","level":"debug","logger":"vulnsentinel.agent"}"#,
    ),
    (
        3867876,
        r#"{"event":"tool.call","tool":"submit_classification","args":{"target_id":"evt-789","label":"security_fix","confidence":0.92},"tool_call_id":"tc-2","agent_type":"event_classifier","agent_id":"ag-456","target_id":"evt-789","timestamp":"@TS@","level":"info","logger":"vulnsentinel.agent"}"#,
    ),
    (
        3886108,
        r#"{"event":"tool.result","tool":"submit_classification","chars":64,"duration_ms":18,"agent_type":"event_classifier","agent_id":"ag-456","target_id":"evt-789","timestamp":"@TS@","level":"info","logger":"vulnsentinel.agent"}"#,
    ),
    (
        3887580,
        r#"{"event":"agent.message","role":"tool","tool_call_id":"tc-2","content":"{\"ok\": true, \"event_id\": \"evt-789\", \"label\": \"security_fix\"}","agent_type":"event_classifier","agent_id":"ag-456","target_id":"evt-789","timestamp":"@TS@","level":"debug","logger":"vulnsentinel.agent"}"#,
    ),
    (
        3892199,
        r#"{"event":"agent.done","turns":2,"input_tokens":3200,"output_tokens":450,"cost":0.0012,"agent_type":"event_classifier","agent_id":"ag-456","target_id":"evt-789","timestamp":"@TS@","level":"info","logger":"vulnsentinel.agent"}"#,
    ),
];
