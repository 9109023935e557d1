use super::*;

const H: i64 = 3_600 * NS_PER_S;
// 2026-11-25T08:01:00Z
const NOW: i64 = 1_795_507_260 * NS_PER_S + 86_400 * NS_PER_S;

#[test]
fn display_time_matches_the_strftime_pattern() {
    let mut ns = -3 * H - 123_456_789;
    for _ in 0..400 {
        for utc in [true, false] {
            assert_eq!(
                format_display(ns, utc),
                format_time(ns, utc, TimeStyle::Full),
                "{ns}"
            );
        }
        ns = ns.wrapping_mul(7).wrapping_add(NOW / 3 + 987_654_321) % (NOW * 2);
    }
    assert_eq!(
        format_display(NOW + 5_000_000, true),
        "2026-11-25 08:01:00.005Z"
    );
}

#[test]
fn durations() {
    assert_eq!(parse_duration("30s"), Ok(30 * NS_PER_S));
    assert_eq!(parse_duration("15m"), Ok(15 * 60 * NS_PER_S));
    assert_eq!(parse_duration("12h"), Ok(12 * H));
    assert_eq!(parse_duration("7d"), Ok(7 * 24 * H));
    assert_eq!(parse_duration("2w"), Ok(14 * 24 * H));
    assert_eq!(parse_duration("1h30m"), Ok(H + 30 * 60 * NS_PER_S));
    assert_eq!(parse_duration("500ms"), Ok(500 * NS_PER_MS));
    assert_eq!(parse_duration("1.5h"), Ok(H + H / 2));
    assert_eq!(parse_duration("1d2h3m4s"), Ok(26 * H + 184 * NS_PER_S));
    assert_eq!(parse_duration("1y"), Ok(365 * 24 * H));
    assert_eq!(parse_duration("250µs"), Ok(250_000));
}

#[test]
fn go_duration_text() {
    assert_eq!(
        format_go_duration(739 * H + 55 * 60 * NS_PER_S),
        "739h55m0s"
    );
    assert_eq!(format_go_duration(90 * NS_PER_S), "1m30s");
    assert_eq!(format_go_duration(1_500 * NS_PER_MS), "1.5s");
    assert_eq!(format_go_duration(250 * NS_PER_MS), "250ms");
    assert_eq!(format_go_duration(0), "0s");
    assert_eq!(format_go_duration(-5 * 60 * NS_PER_S), "-5m0s");
}

#[test]
fn bad_durations_say_what_works() {
    for bad in ["", "12", "h", "3x", "1h-2m", "abc", "12 h"] {
        let err = parse_duration(bad).expect_err(bad);
        assert!(err.0.contains("1h30m"), "{bad}: {}", err.0);
        assert!(err.0.contains(&format!("{bad:?}")), "{bad}: {}", err.0);
    }
}

#[test]
fn relative_times() {
    assert_eq!(parse_time("now", NOW, true), Ok(NOW));
    assert_eq!(parse_time("now-2h", NOW, true), Ok(NOW - 2 * H));
    assert_eq!(parse_time("now+1h30m", NOW, true), Ok(NOW + H + H / 2));
    // 2026-11-25T00:00:00Z and the day before.
    let midnight = 1_795_564_800 * NS_PER_S;
    assert_eq!(parse_time("today", NOW, true), Ok(midnight));
    assert_eq!(parse_time("yesterday", NOW, true), Ok(midnight - 24 * H));
}

#[test]
fn absolute_times() {
    let t = 1_795_507_260 * NS_PER_S; // 2026-11-24T08:01:00Z
    assert_eq!(parse_time("2026-11-24T08:01:00Z", NOW, false), Ok(t));
    assert_eq!(parse_time("2026-11-24T10:01:00+02:00", NOW, false), Ok(t));
    assert_eq!(
        parse_time("2026-11-24T08:01:00.5Z", NOW, false),
        Ok(t + 500 * NS_PER_MS)
    );
    assert_eq!(parse_time("2026-11-24 08:01", NOW, true), Ok(t));
    assert_eq!(parse_time("2026-11-24 08:01:00", NOW, true), Ok(t));
    assert_eq!(
        parse_time("2026-11-24", NOW, true),
        Ok(t - (8 * H + 60 * NS_PER_S))
    );
    assert_eq!(parse_time("1795507260", NOW, false), Ok(t));
    assert_eq!(
        parse_time("1795507260.25", NOW, false),
        Ok(t + 250 * NS_PER_MS)
    );
    assert_eq!(parse_time("1795507260000000000", NOW, false), Ok(t));
}

#[test]
fn local_time_is_not_utc_unless_asked() {
    let naive = NaiveDate::from_ymd_opt(2026, 11, 24)
        .and_then(|d| d.and_hms_opt(8, 1, 0))
        .unwrap();
    let local = Local
        .from_local_datetime(&naive)
        .earliest()
        .unwrap()
        .timestamp_nanos_opt()
        .unwrap();
    assert_eq!(parse_time("2026-11-24 08:01", NOW, false), Ok(local));
}

#[test]
fn bad_times_show_an_example() {
    for bad in [
        "tomorrow",
        "2026-13-01",
        "now-",
        "now-3x",
        "24/11/2026",
        "-5",
    ] {
        let err = parse_time(bad, NOW, true).expect_err(bad);
        assert!(err.0.contains("now-2h"), "{bad}: {}", err.0);
    }
}

#[test]
fn formats() {
    assert_eq!(
        format_rfc3339(1_795_507_260 * NS_PER_S + 5, true),
        "2026-11-24T08:01:00.000000005Z"
    );
    assert_eq!(
        format_display(1_795_507_260 * NS_PER_S + 123 * NS_PER_MS, true),
        "2026-11-24 08:01:00.123Z"
    );
    let ns = 1_795_507_260 * NS_PER_S + 123 * NS_PER_MS;
    assert_eq!(
        format_time(ns, true, TimeStyle::DayMillis),
        "11-24 08:01:00.123"
    );
    assert_eq!(format_time(ns, true, TimeStyle::Day), "11-24 08:01:00");
    let local = DateTime::<Utc>::from_timestamp_nanos(ns).with_timezone(&Local);
    assert_eq!(
        format_time(ns, false, TimeStyle::Day),
        local.format("%m-%d %H:%M:%S").to_string()
    );
}

#[test]
fn display_clock_writes_what_format_display_writes() {
    for utc in [true, false] {
        let mut clock = DisplayClock::new(utc);
        let mut times: Vec<i64> = vec![0, -1, -999_999_999, -1_000_000_000, i64::MIN, i64::MAX];
        // Bursts inside one second, steps across seconds, minutes and a year boundary.
        let base = 1_795_507_260 * NS_PER_S;
        for k in 0..2000i64 {
            times.push(base + k * 777_777);
            times.push(base + k * 1_234_567_891);
            times.push(1_798_761_599 * NS_PER_S + k * 3_000_001);
        }
        let mut out = String::new();
        let mut want = String::new();
        for &ns in &times {
            clock.push(&mut out, ns);
            out.push('\n');
            want.push_str(&format_display(ns, utc));
            want.push('\n');
        }
        assert_eq!(out, want, "utc {utc}");
    }
}
