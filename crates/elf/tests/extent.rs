//! `loader_extent`: a loader that reads only the head of a file must see
//! exactly what a reader of the whole file sees, and hostile heads must
//! never make it panic or ask for more than its limit.

#[path = "support/image_builder.rs"]
mod image_builder;

use elf::{loader_extent, ElfFile};
use image_builder::*;
use proptest::prelude::*;

const LIMIT: u64 = 64 << 10;

/// Reads the head the way the kernel does: 4 KiB, then as much as
/// `loader_extent` asks for, until it asks for no more.
fn head_of(file: &[u8]) -> &[u8] {
    let mut len = file.len().min(4096);
    for _ in 0..4 {
        match loader_extent(&file[..len], LIMIT) {
            Ok(want) if (want as usize) > len && len < file.len() => len = (want as usize).min(file.len()),
            _ => return &file[..len],
        }
    }
    panic!("loader_extent did not settle within 4 reads");
}

fn agree(whole: &[u8], what: &str) {
    let head = head_of(whole);
    let full = ElfFile::parse(whole).unwrap_or_else(|e| panic!("{what}: {e:?}"));
    let part = ElfFile::parse(head).unwrap_or_else(|e| panic!("{what} head ({} bytes): {e:?}", head.len()));
    assert_eq!(part.load_plan_for_size(whole.len() as u64), full.load_plan(), "{what}: load plan");
    // The interpreter path, read where the segment says (as the kernel
    // does when it lies past the head).
    let interp = part
        .interpreter_segment()
        .unwrap()
        .map(|ph| elf::interpreter_path(&whole[ph.offset as usize..(ph.offset + ph.filesz) as usize]).unwrap());
    assert_eq!(interp, full.interpreter().unwrap(), "{what}: interpreter");
    // Notes inside the head read the same (libc's lie past it).
    let notes = |f: &ElfFile<'_>| {
        f.notes().filter_map(|n| n.ok()).map(|n| (n.name.to_vec(), n.kind, n.desc.to_vec())).collect::<Vec<_>>()
    };
    let (p, f) = (notes(&part), notes(&full));
    assert!(f.starts_with(&p), "{what}: notes");
}

#[test]
fn built_images_read_from_their_head_agree_with_the_whole() {
    agree(&static_executable().build(), "static executable");
    agree(&dynamic_pie("/lib64/ld-linux-x86-64.so.2").build(), "dynamic PIE");
}

#[test]
fn host_binaries_read_from_their_head_agree_with_the_whole() {
    let mut seen = 0;
    for path in
        ["/bin/true", "/bin/bash", "/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2", "/usr/bin/python3"]
    {
        let Ok(bytes) = std::fs::read(path) else { continue };
        agree(&bytes, path);
        let head = head_of(&bytes);
        assert!(head.len() <= 8192, "{path}: a loader should need only the first pages, not {} bytes", head.len());
        seen += 1;
    }
    assert!(seen >= 2, "the host should have at least /bin/true and libc");
}

#[test]
fn a_table_past_the_limit_is_capped() {
    let mut image = static_executable().build();
    // e_phoff far beyond the file and the limit.
    image[0x20..0x28].copy_from_slice(&(1u64 << 40).to_le_bytes());
    assert_eq!(loader_extent(&image, LIMIT), Ok(LIMIT));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_heads_never_panic_nor_exceed_the_limit(
        tail in proptest::collection::vec(any::<u8>(), 0..2048),
        limit in 0u64..1 << 20,
    ) {
        let mut bytes = b"\x7fELF\x02\x01\x01\x00".to_vec();
        bytes.extend(tail);
        if let Ok(n) = loader_extent(&bytes, limit) {
            prop_assert!(n <= limit);
        }
    }

    #[test]
    fn every_truncation_settles(cut in 0usize..4096, flips in proptest::collection::vec((0usize..512, any::<u8>()), 0..6)) {
        let mut image = dynamic_pie("/lib64/ld-linux-x86-64.so.2").build();
        for (at, v) in flips {
            let len = image.len();
            image[at % len] = v;
        }
        let cut = cut.min(image.len());
        let head = head_of(&image[..cut]);
        prop_assert!(head.len() <= cut);
    }
}

/// Images whose head the kernel reads in one, two or three steps: the
/// built ones, and one whose `PT_INTERP` and note lie past the first 4 KiB.
fn samples() -> Vec<Vec<u8>> {
    vec![
        static_executable().build(),
        dynamic_pie("/lib64/ld-linux-x86-64.so.2").build(),
        ImageBuilder::new(ET_DYN)
            .segment(Segment::new(PT_PHDR, PF_R, 0x40, Vec::new()).with_align(8))
            .segment(Segment::headers(0))
            .segment(Segment::load(0x1000, PF_R | PF_X, vec![0x90; 6000]))
            .segment(Segment::interp("/lib/ld-musl-x86_64.so.1"))
            .segment(Segment::notes(gnu_abi_tag(0), 4))
            .build(),
    ]
}

/// What exec decides about a file it knows only by its head (and its size):
/// the load plan, and the `PT_INTERP` path read where the segment says.
fn decide_from_head(file: &[u8]) -> (Result<elf::LoadPlan, elf::Error>, Option<Vec<u8>>) {
    let head = head_of(file);
    let parsed = ElfFile::parse(head);
    let plan = parsed.and_then(|f| f.load_plan_for_size(file.len() as u64));
    let interp = parsed.ok().and_then(|f| f.interpreter_segment().ok().flatten()).and_then(|ph| {
        let end = usize::try_from(ph.file_end()?).ok()?;
        let bytes = file.get(usize::try_from(ph.offset).ok()?..end)?;
        elf::interpreter_path(bytes).ok().map(<[u8]>::to_vec)
    });
    (plan, interp)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// A truncated or damaged file gets the decision a reader of the whole
    /// file would make: the same load plan (so the same segments are
    /// mapped), or a refusal; and the same dynamic linker.
    #[test]
    fn truncated_files_are_decided_from_their_head_as_from_the_whole(
        sample in 0usize..3,
        cut in proptest::option::of(any::<usize>()),
        flips in proptest::collection::vec((0usize..8192, any::<u8>()), 0..4),
    ) {
        let mut image = samples().swap_remove(sample);
        let len = image.len();
        for (at, v) in flips {
            image[at % len] = v;
        }
        if let Some(cut) = cut {
            image.truncate(cut % (len + 1));
        }
        let (plan, interp) = decide_from_head(&image);
        let whole = ElfFile::parse(&image);
        let whole_plan = whole.and_then(|f| f.load_plan());
        match (&plan, &whole_plan) {
            (Ok(p), Ok(w)) => prop_assert_eq!(p, w),
            (Ok(_), Err(e)) => prop_assert!(false, "the head passed what the whole file refuses ({e:?})"),
            // Only a table or note past the read limit may make the head
            // refuse what the whole file allows; these files are small.
            (Err(e), Ok(_)) => prop_assert!(false, "the head refused ({e:?}) what the whole file allows"),
            (Err(_), Err(_)) => {}
        }
        if let Ok(Some(path)) = whole.and_then(|f| f.interpreter()) {
            prop_assert_eq!(interp.as_deref(), Some(path), "the dynamic linker read from the head");
        }
        // Every segment of an accepted plan lies inside the truncated file.
        if let (Ok(_), Ok(f)) = (&plan, whole) {
            for ph in f.load_segments().filter(|ph| ph.filesz > 0) {
                prop_assert!(ph.file_end().is_some_and(|end| end <= image.len() as u64));
            }
        }
    }
}
