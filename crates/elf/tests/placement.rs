//! `check_placement`: once it accepts an image at a bias, the loader's
//! arithmetic (the kernel's `map_segments` and the program break) cannot
//! overflow and every page it maps lies in the range, whatever the file.

#[path = "support/image_builder.rs"]
mod image_builder;

use elf::{AddressRange, ElfFile, Error};
use image_builder::*;
use proptest::prelude::*;

const PAGE: u64 = 0x1000;
/// Helctic's user range on x86_64: above the first 64 KiB, below the stack.
const RANGE: AddressRange = AddressRange { min: 0x1_0000, limit: 0x7fff_ff7f_f000, page: PAGE };

/// What the kernel computes for each segment, each step checked: `None` if
/// any step would overflow or leave the range.
fn mapped_pages(file: &ElfFile<'_>, bias: u64) -> Option<Vec<(u64, u64, Option<u64>)>> {
    let mut pages = Vec::new();
    for seg in file.load_segments() {
        let vaddr = seg.vaddr.checked_add(bias)?;
        if seg.memsz == 0 {
            if vaddr > RANGE.limit {
                return None;
            }
            continue;
        }
        let start = vaddr & !(PAGE - 1);
        let mem_end = vaddr.checked_add(seg.memsz)?.checked_next_multiple_of(PAGE)?;
        let file_offset = if seg.filesz > 0 { Some(seg.offset.checked_sub(vaddr - start)?) } else { None };
        if start < RANGE.min || mem_end > RANGE.limit {
            return None;
        }
        pages.push((start, mem_end, file_offset));
    }
    Some(pages)
}

fn agree(image: &[u8], bias: u64) -> Result<(), TestCaseError> {
    let Ok(file) = ElfFile::parse(image) else { return Ok(()) };
    let Ok(plan) = file.load_plan() else { return Ok(()) };
    match file.check_placement(bias, RANGE) {
        Ok(()) => {
            let pages = mapped_pages(&file, bias);
            prop_assert!(pages.is_some(), "accepted at bias {bias:#x} but the arithmetic fails");
            let brk = plan.highest_vaddr_end.checked_add(bias);
            prop_assert!(brk.is_some_and(|b| b <= RANGE.limit), "program break {brk:?} outside the range");
        }
        Err(m) => {
            prop_assert!(matches!(m.reason, Error::SegmentOutsideAddressRange | Error::SegmentBeforeItsPage));
            prop_assert!(mapped_pages(&file, bias).is_none(), "refused at bias {bias:#x} ({m:?}) but every step fits");
        }
    }
    Ok(())
}

fn samples() -> Vec<Vec<u8>> {
    vec![
        static_executable().build(),
        dynamic_pie("/lib64/ld-linux-x86-64.so.2").build(),
        ImageBuilder::new(ET_DYN)
            .segment(Segment::load(0, PF_R | PF_X, vec![0x90; 300]).with_align(0))
            .segment(Segment::load(0x2010, PF_R | PF_W, vec![1; 10]).with_memsz(0x3000).with_align(1))
            .build(),
        // An empty PT_LOAD last: it maps nothing but moves the program break.
        ImageBuilder::new(ET_EXEC)
            .segment(Segment::load(0x40_0000, PF_R | PF_X, vec![0x90; 16]))
            .segment(Segment::load(0x60_0000, PF_R, Vec::new()))
            .build(),
    ]
}

fn edgy_u64() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0u64),
        Just(u64::MAX),
        Just(u64::MAX - PAGE),
        Just(RANGE.limit),
        Just(RANGE.limit - 1),
        Just(RANGE.min),
        Just(1u64 << 63),
        0u64..0x2_0000,
        (0u64..1 << 47).prop_map(|v| v & !(PAGE - 1)),
        any::<u64>(),
    ]
}

#[test]
fn built_images_fit_where_the_kernel_puts_them() {
    for image in samples() {
        let file = ElfFile::parse(&image).unwrap();
        let plan = file.load_plan().unwrap();
        let bias =
            if plan.is_position_independent() { plan.bias_at_or_above(0x5555_5555_4000, PAGE).unwrap() } else { 0 };
        assert_eq!(file.check_placement(bias, RANGE), Ok(()));
    }
}

#[test]
fn segments_at_the_edges() {
    let at = |vaddr: u64, memsz: u64| {
        ImageBuilder::new(ET_EXEC)
            .segment(Segment::load(0x40_0000, PF_R | PF_X, vec![0x90; 16]))
            .segment(Segment::load(vaddr, PF_R, Vec::new()).with_memsz(memsz))
            .build()
    };
    let check = |image: &[u8]| ElfFile::parse(image).unwrap().check_placement(0, RANGE).map_err(|m| m.reason);
    // An empty segment beyond the range still counts (the program break).
    assert_eq!(check(&at(!(PAGE - 1), 0)), Err(Error::SegmentOutsideAddressRange));
    assert_eq!(check(&at(RANGE.limit, 0)), Ok(()));
    assert_eq!(check(&at(RANGE.limit - PAGE, PAGE)), Ok(()));
    assert_eq!(check(&at(RANGE.limit - PAGE, PAGE + 1)), Err(Error::SegmentOutsideAddressRange));
    // The kernel's half and the first page.
    assert_eq!(check(&at(0xffff_8000_0000_0000, PAGE)), Err(Error::SegmentOutsideAddressRange));
    let low = ImageBuilder::new(ET_EXEC).segment(Segment::load(0x1000, PF_R, vec![1; 8])).build();
    assert_eq!(check(&low), Err(Error::SegmentOutsideAddressRange));
    // p_offset smaller than the address's offset in its page (p_align 1).
    let mut early =
        ImageBuilder::new(ET_EXEC).segment(Segment::load(0x40_0000, PF_R, vec![1; 64]).with_align(1)).build();
    let offset = get_u64(&early, phdr_field(0, phdr::OFFSET));
    assert!(offset + 8 < PAGE);
    put_u64(&mut early, phdr_field(0, phdr::VADDR), 0x40_0000 + offset + 8);
    assert_eq!(check(&early), Err(Error::SegmentBeforeItsPage));
    // A bias that wraps the address space.
    let pie = dynamic_pie("/lib/ld.so").build();
    let file = ElfFile::parse(&pie).unwrap();
    assert_eq!(
        file.check_placement(u64::MAX - PAGE, RANGE).map_err(|m| m.reason),
        Err(Error::SegmentOutsideAddressRange)
    );
}

#[test]
fn bias_and_room_for_movable_images() {
    let pie = dynamic_pie("/lib/ld.so").build();
    let plan = ElfFile::parse(&pie).unwrap().load_plan().unwrap();
    let bias = plan.bias_at_or_above(0x7f00_0000_0123, PAGE).unwrap();
    let lowest = (plan.lowest_vaddr & !(PAGE - 1)).wrapping_add(bias);
    assert!(lowest >= 0x7f00_0000_0123 && lowest.is_multiple_of(plan.max_align.max(PAGE)));
    assert_eq!(plan.bias_at_or_above(u64::MAX - 5, PAGE), None);
    assert!(plan.room_needed(PAGE).unwrap() >= plan.span() + PAGE);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn accepted_placements_never_overflow(
        sample in 0usize..4,
        edits in proptest::collection::vec((0usize..64, edgy_u64()), 0..5),
        bias in edgy_u64(),
    ) {
        let mut image = samples().swap_remove(sample);
        let phnum = usize::from(u16::from_le_bytes([image[ehdr::PHNUM], image[ehdr::PHNUM + 1]]));
        for (pick, value) in edits {
            let field = [phdr::OFFSET, phdr::VADDR, phdr::FILESZ, phdr::MEMSZ, phdr::ALIGN][pick % 5];
            let at = phdr_field((pick / 5) % phnum.max(1), field);
            if at + 8 <= image.len() {
                put_u64(&mut image, at, value);
            }
        }
        agree(&image, bias)?;
    }

    /// Where the kernel would put a movable image, the bias it computes
    /// keeps the alignment and, with the room it asked for, fits.
    #[test]
    fn bias_at_or_above_keeps_alignment(
        lowest in edgy_u64(),
        span in edgy_u64(),
        align_log in 0u32..64,
        base in edgy_u64(),
    ) {
        let image = dynamic_pie("/lib/ld.so").build();
        let mut plan = ElfFile::parse(&image).unwrap().load_plan().unwrap();
        plan.lowest_vaddr = lowest;
        plan.highest_vaddr_end = lowest.saturating_add(span);
        plan.max_align = 1u64 << align_log;
        if let Some(bias) = plan.bias_at_or_above(base, PAGE) {
            let placed = (lowest & !(PAGE - 1)).wrapping_add(bias);
            prop_assert!(placed >= base);
            prop_assert_eq!(placed % plan.max_align.max(PAGE), 0);
            // A free, page-aligned range [base, base + room) holds the
            // whole image from its lowest page to its end.
            if let (Some(room), true) = (plan.room_needed(PAGE), base % PAGE == 0) {
                let size = u128::from(plan.highest_vaddr_end - (lowest & !(PAGE - 1)));
                let skipped = u128::from(placed - base);
                prop_assert!(skipped + size <= u128::from(room), "skipped {skipped:#x} + size {size:#x} > room {room:#x}");
            }
        }
    }
}
