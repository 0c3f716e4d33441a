//! `identify` on hostile input: never a panic, whatever the bytes.

mod support;

use binfmt::{identify, Identity};
use proptest::prelude::*;
use support::samples::every_format;

/// Touches everything an identity exposes, so lazily read parts (the
/// slices of a universal file) are exercised too.
fn identify_fully(bytes: &[u8]) -> Identity<'_> {
    let identity = identify(bytes);
    if let Identity::FatMachO(fat) = identity {
        for arch in fat.arches() {
            if let Some(slice) = fat.slice(&arch) {
                identify_fully(slice);
            }
        }
    }
    identity
}

#[test]
fn samples_are_recognised() {
    for (index, sample) in every_format().iter().enumerate() {
        let identity = identify_fully(sample);
        assert!(!matches!(identity, Identity::Unknown | Identity::Malformed(_)), "sample {index}: {identity:?}");
    }
}

#[test]
fn every_truncation_of_every_sample_is_handled() {
    for sample in every_format() {
        for len in 0..=sample.len() {
            identify_fully(&sample[..len]);
        }
    }
}

/// A truncated header must never be mistaken for a whole one: for the
/// formats whose header `identify` reads completely, a prefix shorter than
/// that header is `Malformed` or `Unknown`.
#[test]
fn truncated_headers_are_never_accepted() {
    let samples = every_format();
    // (sample index, bytes identify needs): PE up to the end of the fields
    // it reads, Mach-O header plus commands, the whole universal file.
    let needs = [(3, 0x98 + 72), (4, 0x98 + 72), (5, 32 + 64), (6, 28 + 8), (7, samples[7].len())];
    for (index, needed) in needs {
        for len in 0..needed {
            let identity = identify(&samples[index][..len]);
            assert!(
                matches!(identity, Identity::Malformed(_) | Identity::Unknown),
                "sample {index} cut to {len}: {identity:?}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        identify_fully(&bytes);
    }

    #[test]
    fn random_bytes_behind_each_magic_never_panic(
        magic in prop::sample::select(vec![
            &b"\x7fELF\x02\x01\x01"[..],
            b"MZ",
            b"#!",
            b"\xcf\xfa\xed\xfe",
            b"\xce\xfa\xed\xfe",
            b"\xfe\xed\xfa\xcf",
            b"\xca\xfe\xba\xbe\x00\x00\x00",
            b"\xca\xfe\xba\xbf\x00\x00\x00",
        ]),
        tail in proptest::collection::vec(any::<u8>(), 0..600),
    ) {
        let mut bytes = magic.to_vec();
        bytes.extend(tail);
        identify_fully(&bytes);
    }

    #[test]
    fn mutated_samples_never_panic(
        sample in 0usize..9,
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..12),
        cut in any::<usize>(),
    ) {
        let mut bytes = every_format().swap_remove(sample);
        let len = bytes.len();
        for (at, value) in flips {
            // Mostly aim at the headers, where the decisions are made.
            let at = if at % 4 == 0 { at % len } else { at % len.min(300) };
            bytes[at] = value;
        }
        bytes.truncate(cut % (len + 1));
        identify_fully(&bytes);
    }
}
