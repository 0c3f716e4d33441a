//! Every encoding must be what a real gunzip reads back byte for byte.

use proptest::prelude::*;
use std::io::Write;
use std::process::{Command, Stdio};

fn gunzip(gz: &[u8]) -> Vec<u8> {
    let mut child =
        Command::new("gzip").arg("-dc").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("gzip on the host");
    let mut stdin = child.stdin.take().unwrap();
    let input = gz.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "gzip -dc refused the stream");
    out.stdout
}

#[test]
fn empty_and_block_boundaries() {
    for len in [0usize, 1, 65534, 65535, 65536, 2 * 65535, 2 * 65535 + 7] {
        let data: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
        assert_eq!(gunzip(&gzip_stored::encode(&data)), data, "length {len}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn round_trips_through_gunzip(data in proptest::collection::vec(any::<u8>(), 0..200_000)) {
        prop_assert_eq!(gunzip(&gzip_stored::encode(&data)), data);
    }
}
