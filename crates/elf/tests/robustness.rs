//! Hostile input: the reader must never panic, and a truncated file must
//! never pass as a whole one.

#[path = "support/image_builder.rs"]
mod image_builder;
#[path = "support/walk.rs"]
mod walk;

use elf::{DynamicEntries, StringTable, SymbolVersions, VersionDefinitions};
use image_builder::*;
use proptest::prelude::*;

/// Images covering every feature the reader has: notes of both alignments,
/// interpreter, TLS, symbols, and one with no sections at all (where only
/// the segments can notice a truncation).
fn samples() -> Vec<Vec<u8>> {
    let mut property_and_tag = note(b"GNU\0", 5, &[2, 0, 0, 0xc0, 4, 0, 0, 0, 3, 0, 0, 0], 8);
    property_and_tag.extend(note(b"FreeBSD\0", 1, &1_400_000u32.to_le_bytes(), 8));
    vec![
        static_executable().build(),
        static_executable().without_sections().build(),
        dynamic_pie("/lib/ld-musl-x86_64.so.1").build(),
        ImageBuilder::new(ET_EXEC)
            .segment(Segment::notes(property_and_tag, 8))
            .segment(Segment::headers(0x40_0000))
            .segment(Segment::load(0x40_1000, PF_R | PF_X, vec![1; 100]))
            .symbol(Sym::func("f", 0x40_1000, 100))
            .build(),
    ]
}

#[test]
fn samples_are_valid() {
    for (index, sample) in samples().iter().enumerate() {
        assert_eq!(walk::walk(sample), Ok(()), "sample {index}");
    }
}

#[test]
fn every_truncation_of_a_valid_image_is_an_error() {
    for (index, sample) in samples().iter().enumerate() {
        for len in 0..sample.len() {
            assert!(walk::walk(&sample[..len]).is_err(), "sample {index} cut to {len} bytes passed");
        }
    }
}

#[test]
fn truncations_of_host_binaries_are_errors() {
    // libdl.so.2 is small and has version definitions and needs.
    for path in ["/bin/true", "/bin/busybox", "/lib/x86_64-linux-gnu/libdl.so.2"] {
        let Ok(bytes) = std::fs::read(path) else {
            eprintln!("skipping: {path} not readable");
            continue;
        };
        assert_eq!(walk::walk(&bytes), Ok(()), "{path} itself");
        // Every length for small files; about 4000 spread lengths plus the
        // interesting short prefixes for large ones.
        let step = (bytes.len() / 4000).max(1);
        let lengths = (0..bytes.len()).step_by(step).chain(0..bytes.len().min(4096)).chain([bytes.len() - 1]);
        for len in lengths {
            assert!(walk::walk(&bytes[..len]).is_err(), "{path} cut to {len} bytes passed");
        }
    }
}

/// Header and program header fields worth aiming random values at: counts,
/// table offsets, entry sizes, and every field of every segment.
fn interesting_offsets(image: &[u8]) -> Vec<(usize, usize)> {
    let mut fields = vec![
        (ehdr::PHOFF, 8),
        (ehdr::SHOFF, 8),
        (ehdr::PHENTSIZE, 2),
        (ehdr::PHNUM, 2),
        (ehdr::SHENTSIZE, 2),
        (ehdr::SHNUM, 2),
        (ehdr::SHSTRNDX, 2),
    ];
    let phnum = u16::from_le_bytes([image[ehdr::PHNUM], image[ehdr::PHNUM + 1]]) as usize;
    for index in 0..phnum {
        fields.push((phdr_field(index, phdr::TYPE), 4));
        fields.push((phdr_field(index, phdr::FLAGS), 4));
        for field in [phdr::OFFSET, phdr::VADDR, phdr::FILESZ, phdr::MEMSZ, phdr::ALIGN] {
            fields.push((phdr_field(index, field), 8));
        }
    }
    fields
}

/// Values that sit on the edges of every check.
fn edgy_value() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0u64),
        Just(1),
        Just(u64::MAX),
        Just(u64::MAX - 7),
        Just(0xffff),
        Just(0xffff_ffff),
        0u64..0x4000,
        any::<u64>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The loader-side tables on their own: random bytes and counts give
    /// errors or entries, never a panic or an endless iteration.
    #[test]
    fn random_dynamic_and_version_tables_never_panic(
        data in proptest::collection::vec(any::<u8>(), 0..256),
        names in proptest::collection::vec(any::<u8>(), 0..64),
        count in any::<u32>(),
        index in any::<usize>(),
    ) {
        if let Ok(entries) = DynamicEntries::new(&data) {
            prop_assert!(entries.count() <= data.len() / 16);
        }
        let definitions = VersionDefinitions::new(&data, StringTable::new(&names), count);
        // Each definition is at least 20 bytes further on, so a chain in
        // 256 bytes has at most 13 of them (plus one error).
        prop_assert!(definitions.count() <= 14);
        if let Ok(versions) = SymbolVersions::new(&data) {
            prop_assert_eq!(versions.get(index).is_some(), index < versions.len());
        }
    }

    /// A version chain whose links are random: still at most one error
    /// and an end.
    #[test]
    fn random_version_chains_end(
        links in proptest::collection::vec((any::<u16>(), any::<u32>(), any::<u32>(), any::<u32>()), 1..12),
        count in any::<u32>(),
    ) {
        let names = b"\0A\0BB\0";
        let mut data = Vec::new();
        for (flags, aux, next, name) in &links {
            for half in [1u16, *flags, 1, 1] {
                data.extend_from_slice(&half.to_le_bytes());
            }
            for word in [0u32, aux % 64, next % 64, name % 8, 0] {
                data.extend_from_slice(&word.to_le_bytes());
            }
        }
        let results: Vec<_> = VersionDefinitions::new(&data, StringTable::new(names), count).collect();
        prop_assert!(results.len() <= data.len());
        prop_assert!(results.iter().filter(|r| r.is_err()).count() <= 1);
        if let Some(position) = results.iter().position(Result::is_err) {
            prop_assert_eq!(position, results.len() - 1, "an error ends the iteration");
        }
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = walk::walk(&bytes);
    }

    #[test]
    fn random_bytes_behind_a_valid_identification_never_panic(
        tail in proptest::collection::vec(any::<u8>(), 0..1024),
    ) {
        let mut bytes = b"\x7fELF\x02\x01\x01\x00".to_vec();
        bytes.extend(tail);
        let _ = walk::walk(&bytes);
    }

    #[test]
    fn flipped_bytes_never_panic(
        sample in 0usize..4,
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..16),
    ) {
        let mut image = samples().swap_remove(sample);
        let len = image.len();
        for (at, value) in flips {
            image[at % len] = value;
        }
        let _ = walk::walk(&image);
    }

    #[test]
    fn flipped_header_bytes_never_panic(
        sample in 0usize..4,
        flips in proptest::collection::vec((0usize..400, any::<u8>()), 1..8),
    ) {
        let mut image = samples().swap_remove(sample);
        let len = image.len();
        for (at, value) in flips {
            image[at % len] = value;
        }
        let _ = walk::walk(&image);
    }

    #[test]
    fn rewritten_counts_offsets_and_sizes_never_panic(
        sample in 0usize..4,
        edits in proptest::collection::vec((any::<usize>(), edgy_value()), 1..6),
    ) {
        let mut image = samples().swap_remove(sample);
        let fields = interesting_offsets(&image);
        for (pick, value) in edits {
            let (at, width) = fields[pick % fields.len()];
            image[at..at + width].copy_from_slice(&value.to_le_bytes()[..width]);
        }
        let _ = walk::walk(&image);
    }

    #[test]
    fn truncated_and_mutated_never_panics(
        sample in 0usize..4,
        cut in any::<usize>(),
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..4),
    ) {
        let mut image = samples().swap_remove(sample);
        image.truncate(cut % (image.len() + 1));
        let len = image.len().max(1);
        for (at, value) in flips {
            if let Some(byte) = image.get_mut(at % len) {
                *byte = value;
            }
        }
        let _ = walk::walk(&image);
    }
}
