//! Metric results: Loki's JSON shape and the text table.

use super::*;

fn matrix() -> MetricResult {
    MetricResult::Matrix(vec![
        Series {
            metric: labels(&[("status", "200")]),
            points: vec![
                Point {
                    t_ms: 1_795_507_260_000,
                    v: 1.5,
                },
                Point {
                    t_ms: 1_795_507_320_500,
                    v: 0.1 + 0.2,
                },
            ],
        },
        Series {
            metric: labels(&[("status", "500")]),
            points: vec![Point {
                t_ms: 1_795_507_260_000,
                v: f64::INFINITY,
            }],
        },
    ])
}

#[test]
fn metric_json_is_lokis_shape() {
    let mut out = Vec::new();
    write_metric(&mut out, &matrix(), OutputFormat::Json, true).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"resultType":"matrix","result":[
            {"metric":{"status":"200"},"values":[[1795507260,"1.5"],[1795507320.5,"0.30000000000000004"]]},
            {"metric":{"status":"500"},"values":[[1795507260,"+Inf"]]}]})
    );
    let vector = MetricResult::Vector(vec![Sample {
        metric: labels(&[("level", "info")]),
        point: Point {
            t_ms: 1_795_593_961_624,
            v: 3.0,
        },
    }]);
    assert_eq!(
        loki_result_json(&vector),
        serde_json::json!({"resultType":"vector","result":[{"metric":{"level":"info"},"value":[1795593961.624,"3"]}]})
    );
    let scalar = MetricResult::Scalar(Point {
        t_ms: 1_795_593_932_130,
        v: 2.0,
    });
    assert_eq!(
        loki_result_json(&scalar),
        serde_json::json!({"resultType":"scalar","result":[1795593932130_i64,"2"]})
    );
}

#[test]
fn metric_text_is_a_table() {
    let mut out = Vec::new();
    write_metric(&mut out, &matrix(), OutputFormat::Text, true).unwrap();
    let text = String::from_utf8(out).unwrap();
    insta::assert_snapshot!(text);
}
