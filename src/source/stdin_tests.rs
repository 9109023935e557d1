use std::io::{Read, Write};

use super::*;

fn lines(n: usize) -> Vec<u8> {
    (0..n)
        .map(|i| format!("{{\"event\":\"e{i}\",\"level\":\"info\"}}\n"))
        .collect::<String>()
        .into_bytes()
}

fn read_back(path: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    File::open(path).unwrap().read_to_end(&mut out).unwrap();
    out
}

#[test]
fn a_small_stdin_stays_in_memory() {
    let data = lines(100);
    match keep(&data[..], u64::MAX, 1 << 20).unwrap() {
        Kept::Memory(bytes) => assert_eq!(bytes, data),
        Kept::Spooled(_) => panic!("spooled a small input"),
    }
}

#[test]
fn a_big_stdin_is_spooled_and_reads_back_whole_from_every_open() {
    let data = lines(20_000); // about 700 KB
    let Kept::Spooled(spool) = keep(&data[..], u64::MAX, 64 << 10).unwrap() else {
        panic!("kept in memory past the spill size");
    };
    // Two opens read independently (each scan of a run opens the copy again).
    let mut a = File::open(spool.path()).unwrap();
    let mut first = [0u8; 10];
    a.read_exact(&mut first).unwrap();
    assert_eq!(read_back(spool.path()), data);
    assert_eq!(&first, &data[..10]);
}

#[test]
fn compressed_stdin_is_spooled_decompressed() {
    let data = lines(20_000);
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(&data).unwrap();
    let gz = enc.finish().unwrap();
    assert!(gz.len() < 64 << 10);
    let Kept::Spooled(spool) = keep(&gz[..], u64::MAX, 64 << 10).unwrap() else {
        panic!("a 700 KB decompressed input stayed in memory");
    };
    assert_eq!(read_back(spool.path()), data);
}

#[test]
fn the_cap_counts_spooled_bytes_and_names_the_flag() {
    struct Yes;
    impl Read for Yes {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            for pair in buf.chunks_mut(2) {
                pair.copy_from_slice(&b"y\n"[..pair.len()]);
            }
            Ok(buf.len())
        }
    }
    // An endless pipe stops at the cap, in memory and on disk alike.
    for spill in [64 << 10, 4 << 20] {
        let e = keep(Yes, 1 << 20, spill).unwrap_err().to_string();
        assert!(e.contains("more than 1 MiB"), "{e}");
        assert!(
            e.contains("--max-stdin-mb") && e.contains("VS_LOGS_MAX_STDIN_MB"),
            "{e}"
        );
    }
    // Exactly the cap is fine on disk too.
    let data = vec![b'x'; 1 << 20];
    assert!(matches!(
        keep(&data[..], 1 << 20, 64 << 10).unwrap(),
        Kept::Spooled(_)
    ));
}

#[test]
fn lines_are_capped_on_the_way_to_the_spool() {
    let long = vec![b'a'; 3 * crate::model::limits::DEFAULT_MAX_LINE_BYTES];
    let mut data = long.clone();
    data.extend_from_slice(b"\nnext\n");
    let Kept::Spooled(spool) = keep(&data[..], u64::MAX, 64 << 10).unwrap() else {
        panic!("not spooled");
    };
    let back = read_back(spool.path());
    assert!(back.len() < crate::model::limits::DEFAULT_MAX_LINE_BYTES + 200);
    assert!(back.ends_with(b"\nnext\n"));
}
