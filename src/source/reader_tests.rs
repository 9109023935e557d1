use std::io::Write;

use super::*;
use crate::model::limits::DEFAULT_MAX_LINE_BYTES;

fn read_path(path: &Path) -> Result<Vec<u8>, SourceError> {
    let compression = probe(path)?;
    let mut r = open_reader(path, compression)?;
    let mut out = Vec::new();
    r.read_to_end(&mut out)
        .map_err(|e| read_error(path, compression, e))?;
    Ok(out)
}

fn sample() -> Vec<u8> {
    (0..5000)
        .map(|i| format!("{{\"event\":\"e{i}\",\"level\":\"info\"}}\n"))
        .collect::<String>()
        .into_bytes()
}

#[test]
fn reads_plain_gzip_multi_member_and_zstd() {
    let dir = tempfile::tempdir().unwrap();
    let data = sample();

    let plain = dir.path().join("a.log");
    std::fs::write(&plain, &data).unwrap();
    assert_eq!(probe(&plain).unwrap(), Compression::None);
    assert_eq!(read_path(&plain).unwrap(), data);

    // Two gzip members back to back (as `cat a.gz b.gz` makes), no `.gz` name.
    let gz = dir.path().join("b.bin");
    let mut bytes = Vec::new();
    for half in [&data[..1000], &data[1000..]] {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(half).unwrap();
        bytes.extend(enc.finish().unwrap());
    }
    std::fs::write(&gz, &bytes).unwrap();
    assert_eq!(probe(&gz).unwrap(), Compression::Gzip);
    assert_eq!(read_path(&gz).unwrap(), data);

    let zst = dir.path().join("c.zst");
    std::fs::write(&zst, zstd::encode_all(&data[..], 3).unwrap()).unwrap();
    assert_eq!(probe(&zst).unwrap(), Compression::Zstd);
    assert_eq!(read_path(&zst).unwrap(), data);
}

#[test]
fn truncated_gzip_is_a_clear_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(&sample()).unwrap();
    let bytes = enc.finish().unwrap();
    let path = dir.path().join("cut.jsonl.gz");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let err = read_path(&path).unwrap_err().to_string();
    assert!(err.contains("cut.jsonl.gz"), "{err}");
    assert!(err.contains("gzip"), "{err}");
    assert!(err.contains("truncated"), "{err}");
}

#[test]
fn missing_file_and_directory_errors_name_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.jsonl");
    let err = probe(&missing).unwrap_err();
    assert!(matches!(err, SourceError::NotFound { .. }));
    assert!(err.to_string().contains("nope.jsonl"));

    let err = probe(dir.path()).unwrap_err();
    assert!(matches!(err, SourceError::IsDirectory { .. }));
    assert!(err.to_string().contains("is a directory"), "{err}");
}

#[cfg(unix)]
#[test]
fn unreadable_file_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.log");
    std::fs::write(&path, b"x\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if File::open(&path).is_ok() {
        return; // running as root: permissions are not enforced
    }
    let err = probe(&path).unwrap_err();
    assert!(matches!(err, SourceError::PermissionDenied { .. }));
    assert!(err.to_string().contains("secret.log"));
}

#[test]
fn blocks_end_on_newlines_and_keep_long_lines_whole() {
    let long = "x".repeat(BLOCK * 2 + 17);
    let text = format!("a\n{long}\nb\nno-final-newline");
    let mut blocks = Blocks::new(text.as_bytes());
    let mut joined = Vec::new();
    let mut n = 0;
    while let Some(b) = blocks.next_block().unwrap() {
        n += 1;
        joined.extend_from_slice(&b);
        if !joined.ends_with(b"no-final-newline") {
            assert_eq!(b.last(), Some(&b'\n'));
        }
    }
    assert!(n >= 2);
    assert_eq!(joined, text.as_bytes());
}

#[test]
fn memory_blocks_cover_everything_on_line_boundaries() {
    let data = sample().repeat(40);
    let ranges = memory_blocks(&data);
    assert!(ranges.len() > 1);
    let mut at = 0;
    for r in &ranges {
        assert_eq!(r.start, at);
        at = r.end;
        assert_eq!(data[r.end - 1], b'\n');
    }
    assert_eq!(at, data.len());
    assert!(memory_blocks(b"").is_empty());
}

#[test]
fn in_memory_input_is_decompressed_by_magic() {
    let data = sample();
    assert_eq!(read_all(&data[..], u64::MAX).unwrap(), data);
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(&data).unwrap();
    let gz = enc.finish().unwrap();
    assert_eq!(read_all(&gz[..], u64::MAX).unwrap(), data);
    let zst = zstd::encode_all(&data[..], 1).unwrap();
    assert_eq!(read_all(&zst[..], u64::MAX).unwrap(), data);
    // A cut stream is an error, not silently shorter data.
    assert!(read_all(&gz[..gz.len() / 2], u64::MAX).is_err());
}

#[test]
fn line_cap_truncates_long_lines_with_a_marker_and_keeps_the_rest() {
    let long = "x".repeat(5000);
    let input = format!("short\n{long}\nafter\n{long}");
    let mut out = String::new();
    LineCap::new(input.as_bytes(), 1024)
        .read_to_string(&mut out)
        .unwrap();
    let marker = truncation_marker(1024);
    let capped = format!("{}{marker}", "x".repeat(1024));
    assert_eq!(out, format!("short\n{capped}\nafter\n{capped}"));
    // Tiny reads see the same bytes.
    let mut r = LineCap::new(input.as_bytes(), 1024);
    let mut got = Vec::new();
    let mut one = [0u8; 3];
    loop {
        let n = r.read(&mut one).unwrap();
        if n == 0 {
            break;
        }
        got.extend_from_slice(&one[..n]);
    }
    assert_eq!(String::from_utf8(got).unwrap(), out);
}

#[test]
fn an_endless_line_is_read_in_bounded_memory() {
    // 64 MB of zeros with no newline (like /dev/zero): what comes out is one capped line.
    let zeros = std::io::repeat(0).take(64 << 20);
    let out = read_all(zeros, u64::MAX).unwrap();
    assert_eq!(
        out.len(),
        DEFAULT_MAX_LINE_BYTES + truncation_marker(DEFAULT_MAX_LINE_BYTES).len()
    );
    let mut blocks = Blocks::new(LineCap::new(std::io::repeat(b'a').take(64 << 20), 4096));
    let mut total = 0;
    while let Some(b) = blocks.next_block().unwrap() {
        assert!(b.len() < BLOCK * 2);
        total += b.len();
    }
    assert_eq!(total, 4096 + truncation_marker(4096).len());
}

#[test]
fn stdin_is_kept_up_to_its_cap_and_more_is_a_clear_error() {
    // Issue 12.3: stdin was read whole whatever its size (`yes | vs-logs query --stdin`).
    let line = "0123456789abcdef\n".repeat(4096); // 68 KiB
    let exact = line.repeat(15); // just under 1 MiB
    assert_eq!(
        read_all(exact.as_bytes(), 1 << 20).unwrap().len(),
        exact.len()
    );
    // An endless stream (`yes`) stops at the cap (plus one byte), with what to do.
    struct Yes;
    impl Read for Yes {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            for pair in buf.chunks_mut(2) {
                pair.copy_from_slice(&b"y\n"[..pair.len()]);
            }
            Ok(buf.len())
        }
    }
    let e = read_all(Yes, 1 << 20).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("more than 1 MiB"), "{msg}");
    assert!(
        msg.contains("--file") && msg.contains(MAX_STDIN_ENV),
        "{msg}"
    );
    // The cap counts decompressed bytes: a small gzip of a big text is refused too.
    let big = line.repeat(32); // 2 MiB
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(big.as_bytes()).unwrap();
    let gz = enc.finish().unwrap();
    assert!(gz.len() < 1 << 20);
    assert!(read_all(&gz[..], 1 << 20).is_err());
    assert_eq!(read_all(&gz[..], 4 << 20).unwrap().len(), big.len());
    assert_eq!(max_stdin_bytes(), DEFAULT_MAX_STDIN_MB << 20);
}

/// What `LineCap` must write: each line cut at `max` bytes with the marker after a cut one.
fn capped_reference(input: &[u8], max: usize) -> Vec<u8> {
    let marker = truncation_marker(max).into_bytes();
    let mut out = Vec::new();
    for (i, line) in input.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        if line.len() > max {
            out.extend_from_slice(&line[..max]);
            out.extend_from_slice(&marker);
        } else {
            out.extend_from_slice(line);
        }
    }
    out
}

#[test]
fn line_cap_agrees_with_the_reference_at_every_edge_and_read_size() {
    // lines of exactly max, max ± 1, empty lines, a trailing newline or none, long runs
    let max = 16;
    let mut input = Vec::new();
    for len in [0, 1, 15, 16, 17, 40, 16, 0, 100, 3] {
        input.extend(std::iter::repeat_n(b'a' + (len % 26) as u8, len));
        input.push(b'\n');
    }
    for tail in [&b""[..], b"no-newline-at-the-end-of-it"] {
        let mut data = input.clone();
        data.extend_from_slice(tail);
        let want = capped_reference(&data, max);
        for chunk in [1, 2, 3, 7, 16, 17, 64, 4096] {
            let mut r = LineCap::new(&data[..], max);
            let mut got = Vec::new();
            let mut buf = vec![0u8; chunk];
            loop {
                let n = r.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                got.extend_from_slice(&buf[..n]);
            }
            assert_eq!(got, want, "reads of {chunk}");
        }
    }
}

/// What `fill` leaves in a buffer, target after target, until the input ends.
fn filled(f: &mut dyn FnMut(&mut Vec<u8>, usize) -> std::io::Result<bool>, step: usize) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut target = step;
    while f(&mut buf, target).unwrap() {
        assert_eq!(
            buf.len(),
            target,
            "a filled buffer holds exactly the target"
        );
        target += step;
    }
    buf
}

#[test]
fn capped_reads_the_same_bytes_as_line_cap_at_every_edge() {
    // Lines of max ± 1, an over-long line at the very start, at a fill boundary, at the end
    // without a newline, CRLF and blank lines: the direct reader hands over to a LineCap at
    // the first long line and must never differ from it.
    let max = 16;
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    let mut base = Vec::new();
    for len in [0, 1, 15, 16, 17, 40, 16, 0, 100, 3, 16] {
        base.extend(std::iter::repeat_n(b'a' + (len % 26) as u8, len));
        base.extend_from_slice(if len == 3 { b"\r\n" } else { b"\n" });
    }
    inputs.push(base.clone());
    inputs.push(base[40..].to_vec());
    inputs.push([&b"short\nlines\nonly\n"[..], &[b'z'; 16][..]].concat());
    inputs.push([&b"ok\n"[..], &[b'z'; 60][..]].concat());
    inputs.push(vec![b'q'; 200]);
    for data in &inputs {
        let want = capped_reference(data, max);
        for step in [1, 2, 5, 16, 17, 18, 33, 4096] {
            let mut reference = LineCap::new(&data[..], max);
            let mut direct = Capped::new(&data[..], max);
            let a = filled(&mut |b, t| Fill::fill(&mut reference, b, t), step);
            let b = filled(&mut |b, t| direct.fill(b, t), step);
            assert_eq!(a, want, "LineCap, fills of {step}");
            assert_eq!(b, want, "Capped, fills of {step}");
        }
    }
}

#[test]
fn blocks_of_a_plain_file_are_the_blocks_of_the_capped_stream() {
    // Over BLOCK bytes of short lines with one over-long line in the second block: the blocks
    // (where they are cut, what they hold) are the same as through the LineCap.
    let mut data = Vec::new();
    let mut i = 0;
    while data.len() < BLOCK + BLOCK / 3 {
        data.extend_from_slice(format!("{{\"n\":{i},\"level\":\"info\"}}\n").as_bytes());
        i += 1;
    }
    data.extend(std::iter::repeat_n(b'x', 3000));
    data.extend_from_slice(b"\nafter the long line\n");
    let mut reference = Blocks::new(LineCap::new(&data[..], 1024));
    let mut direct = Blocks::new(Capped::new(&data[..], 1024));
    let mut spare = Vec::new();
    loop {
        let a = reference.next_block().unwrap();
        let b = direct.next_block_in(std::mem::take(&mut spare)).unwrap();
        assert_eq!(a, b);
        match b {
            Some(b) => spare = b,
            None => break,
        }
    }
}
