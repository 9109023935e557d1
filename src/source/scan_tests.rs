use super::*;

const T1: &str = r#"{"event":"a","timestamp":"2026-11-25T00:00:01Z","level":"info"}"#;
const T2: &str = r#"{"event":"b","timestamp":"2026-11-25T00:00:02Z","level":"info"}"#;
const NS1: i64 = 1_795_564_801_000_000_000;
const NS2: i64 = 1_795_564_802_000_000_000;

#[test]
fn lines_skip_blanks_strip_cr_and_survive_bad_utf8() {
    let block = b"one\r\n\n  \ntwo\xff\nthree";
    let got: Vec<(usize, String)> = lines(block)
        .map(|l| (l.index, l.text.into_owned()))
        .collect();
    assert_eq!(
        got,
        vec![
            (0, "one".to_string()),
            (3, "two\u{fffd}".to_string()),
            (4, "three".to_string())
        ]
    );
}

#[test]
fn untimed_lines_take_previous_stamp_plus_position() {
    let block = format!("{T1}\nTraceback:\n  File x\n{T2}\nafter\n");
    let mut r = Resolver::default();
    let ls: Vec<Line<'_>> = lines(block.as_bytes()).collect();
    assert_eq!(
        r.stamp(block.as_bytes(), ls[1].start),
        Stamp::After { ts: NS1, k: 1 }
    );
    assert_eq!(
        r.stamp(block.as_bytes(), ls[2].start),
        Stamp::After { ts: NS1, k: 2 }
    );
    assert_eq!(
        r.stamp(block.as_bytes(), ls[4].start),
        Stamp::After { ts: NS2, k: 1 }
    );
    assert_eq!(r.tail(block.as_bytes()), Stamp::After { ts: NS2, k: 2 });
}

#[test]
fn leading_untimed_lines_are_pending_and_resolve_across_blocks() {
    let b1 = format!("{T1}\nx\n");
    let b2 = "y\nz\n".to_string();
    let b3 = format!("w\n{T2}");
    let mut carry = Carry { ts: 0, k: 0 };
    let mut r = Resolver::default();
    carry.advance(r.tail(b1.as_bytes()));
    assert_eq!((carry.ts, carry.k), (NS1, 1));

    let mut r = Resolver::default();
    let s = r.stamp(b2.as_bytes(), 2);
    assert_eq!(s, Stamp::Pending { k: 2 });
    assert_eq!(carry.resolve(s), NS1 + 3);
    let tail = r.tail(b2.as_bytes());
    assert_eq!(tail, Stamp::Pending { k: 3 });
    carry.advance(tail);

    let mut r = Resolver::default();
    assert_eq!(carry.resolve(r.stamp(b3.as_bytes(), 0)), NS1 + 4);
    // The last line has no newline: the tail is that stamped line itself.
    assert_eq!(r.tail(b3.as_bytes()), Stamp::After { ts: NS2, k: 1 });
}

#[test]
fn memory_scan_merges_in_order() {
    let text: String = (0..200_000).map(|i| format!("line {i}\n")).collect();
    let data = Data::Memory {
        name: "mem".into(),
        bytes: std::sync::Arc::new(text.into_bytes()),
    };
    let mut seen = Vec::new();
    let counts = for_each_block(
        &data,
        &|b: &[u8]| lines(b).map(|l| l.text.into_owned()).collect::<Vec<_>>(),
        &mut |v| {
            seen.extend(v);
            true
        },
    )
    .unwrap();
    assert_eq!(seen.len(), 200_000);
    assert!(
        seen.iter()
            .enumerate()
            .all(|(i, l)| *l == format!("line {i}"))
    );
    assert_eq!(
        counts.bytes as usize,
        seen.iter().map(|l| l.len() + 1).sum::<usize>()
    );
}

#[test]
fn file_scan_reads_every_line_and_stops_early() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.log");
    let text: String = (0..300_000).map(|i| format!("line {i}\n")).collect();
    std::fs::write(&path, &text).unwrap();
    let data = Data::File {
        path,
        compression: reader::Compression::None,
    };
    let mut n = 0usize;
    for_each_block(&data, &|b: &[u8]| lines(b).count(), &mut |c| {
        n += c;
        true
    })
    .unwrap();
    assert_eq!(n, 300_000);
    let mut calls = 0;
    for_each_block(&data, &|b: &[u8]| lines(b).count(), &mut |_| {
        calls += 1;
        false
    })
    .unwrap();
    assert_eq!(calls, 1);
}

#[test]
fn a_panicking_block_job_is_an_error_not_a_hang() {
    // Before: the merge waited forever for the answer of a job that had panicked.
    let mut jobs = (0..6).map(Ok::<usize, std::io::Error>);
    let work = |j: &usize| {
        if *j == 2 {
            panic!("job {j} fails");
        }
        *j
    };
    let mut merged = Vec::new();
    let r = ordered(&mut jobs, 4, &work, &|_| 1, &mut |r| {
        merged.push(r);
        true
    });
    let e = r.expect_err("the panic is reported");
    assert!(e.to_string().contains("internal error"), "{e}");
    // only blocks before the failed one, in order (how many depends on arrival order)
    assert!(merged.len() <= 2, "{merged:?}");
    assert!(
        merged.iter().enumerate().all(|(i, &j)| i == j),
        "{merged:?}"
    );
}

#[test]
fn count_lines_counts_what_lines_yields_at_every_chunk_edge() {
    // Blank lines (spaces, tabs, `\r`, form feeds; `\x0b` is not ASCII whitespace), lines that
    // only start with whitespace, around the 64-byte chunks of the count and at both ends.
    let alphabet = b"\n\n \r\t\x0c\x0ba{";
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for len in 0..300 {
        for _ in 0..20 {
            let block: Vec<u8> = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            assert_eq!(
                count_lines(&block),
                lines(&block).count() as u64,
                "{:?}",
                String::from_utf8_lossy(&block)
            );
        }
    }
    for block in [
        &b""[..],
        b"\n",
        b"\n\n",
        b" ",
        b"a",
        b"a\n",
        b"a\n ",
        b"a\n \n",
        b"a\n b",
        b"\x0b\n",
        b"\r\n\r\n{}\r\n",
    ] {
        assert_eq!(count_lines(block), lines(block).count() as u64, "{block:?}");
    }
    let mut long = vec![b'x'; 200];
    for at in [0, 62, 63, 64, 65, 127, 128, 198] {
        long[at] = b'\n';
        long[at + 1] = b' ';
        assert_eq!(count_lines(&long), lines(&long).count() as u64, "{at}");
    }
}
