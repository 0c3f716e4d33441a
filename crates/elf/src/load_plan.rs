//! The loader's gate: validate every `PT_LOAD` segment once, then map freely.

use crate::header::ElfType;
use crate::program_header::{SegmentType, PROGRAM_HEADER_SIZE};
use crate::{ElfFile, Error, Result};

/// The facts a loader needs after [`ElfFile::load_plan`] has checked every
/// loadable segment. Once a plan exists, each segment from
/// [`ElfFile::load_segments`] satisfies:
///
/// - `p_filesz <= p_memsz`;
/// - its file bytes lie inside the file (unless `p_filesz` is 0);
/// - `p_align` is 0, 1 or a power of two, and when it is above 1,
///   `p_vaddr % p_align == p_offset % p_align`;
/// - `p_offset + p_filesz` and `p_vaddr + p_memsz` do not overflow;
/// - segments are in ascending `p_vaddr` order and no two with a non-zero
///   `p_memsz` share a byte of virtual address space. (Two segments may
///   still share a *page*; mapping that page with both permissions is the
///   loader's policy, not a format error.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadPlan {
    /// `Executable` (fixed addresses) or `SharedObject` (movable).
    pub kind: ElfType,
    /// `e_entry`, unrelocated.
    pub entry: u64,
    /// The lowest `p_vaddr` of any loadable segment.
    pub lowest_vaddr: u64,
    /// One past the highest `p_vaddr + p_memsz`.
    pub highest_vaddr_end: u64,
    /// The largest `p_align` of any loadable segment (at least 1). A
    /// movable image must be placed at a bias that is a multiple of it.
    pub max_align: u64,
    /// How many `PT_LOAD` segments there are.
    pub load_segments: usize,
    /// Where the program header table is once loaded (for `AT_PHDR`;
    /// unrelocated, so add the bias for a movable image):
    /// `PT_PHDR`'s address, else found through the loadable segment that
    /// contains the table's file bytes; `None` if the table is not loaded.
    pub phdr_vaddr: Option<u64>,
    /// Whether the program names a dynamic linker (`PT_INTERP`).
    pub has_interpreter: bool,
}

impl LoadPlan {
    /// The number of bytes of address space the image covers.
    pub fn span(&self) -> u64 {
        self.highest_vaddr_end.saturating_sub(self.lowest_vaddr)
    }

    /// `ET_DYN`: the image may be placed anywhere suitably aligned.
    pub fn is_position_independent(&self) -> bool {
        self.kind == ElfType::SharedObject
    }

    /// `ET_DYN` without `PT_INTERP`: a program that relocates itself, which
    /// the kernel must place at a base of its own choosing.
    pub fn is_static_pie(&self) -> bool {
        self.is_position_independent() && !self.has_interpreter
    }

    /// The bias to add (wrapping) to every `p_vaddr` and to `e_entry` so
    /// that the lowest segment lands at `base`; `None` if the image cannot
    /// go there: a fixed-address image anywhere but its own address, or a
    /// movable one at a misaligned base or where its span would overflow.
    pub fn bias_for_base(&self, base: u64) -> Option<u64> {
        base.checked_add(self.span())?;
        let bias = base.wrapping_sub(self.lowest_vaddr);
        match self.kind {
            ElfType::Executable => (bias == 0).then_some(0),
            _ => (bias.checked_rem(self.max_align)? == 0).then_some(bias),
        }
    }
}

/// Accepts alignments the ELF specification allows: 0 and 1 (none) or a
/// positive power of two.
pub(crate) fn check_alignment(align: u64) -> Result<()> {
    if align <= 1 || align.is_power_of_two() {
        Ok(())
    } else {
        Err(Error::BadAlignment)
    }
}

impl ElfFile<'_> {
    /// Checks everything about the loadable segments that a loader relies
    /// on (see [`LoadPlan`]) and summarises them.
    ///
    /// The checks are linear in the number of program headers, so a hostile
    /// file with 65535 of them costs no more than reading them; overlap
    /// detection relies on the specification's ascending-order rule.
    pub fn load_plan(&self) -> Result<LoadPlan> {
        let file_len = u64::try_from(self.bytes().len()).map_err(|_| Error::Overflow)?;
        self.load_plan_for_size(file_len)
    }

    /// [`ElfFile::load_plan`] for an `ElfFile` parsed from the head of a
    /// file (see [`crate::loader_extent`]) whose whole size is `file_len`:
    /// segments are checked against the file, not against the bytes read.
    pub fn load_plan_for_size(&self, file_len: u64) -> Result<LoadPlan> {
        let header = self.header();
        match header.kind {
            ElfType::Executable | ElfType::SharedObject => {}
            other => return Err(Error::UnsupportedType(other.raw())),
        }
        let mut load_segments = 0usize;
        let mut lowest_vaddr = u64::MAX;
        let mut highest_vaddr_end = 0u64;
        let mut max_align = 1u64;
        let mut previous: Option<(u64, u64)> = None;

        for ph in self.load_segments() {
            if ph.filesz > ph.memsz {
                return Err(Error::FileszExceedsMemsz);
            }
            let file_end = ph.file_end().ok_or(Error::Overflow)?;
            if ph.filesz != 0 && file_end > file_len {
                return Err(Error::SegmentOutOfFile);
            }
            let vaddr_end = ph.vaddr_end().ok_or(Error::Overflow)?;
            check_alignment(ph.align)?;
            if ph.align > 1 && ph.vaddr.checked_rem(ph.align) != ph.offset.checked_rem(ph.align) {
                return Err(Error::Misaligned);
            }
            if let Some((previous_start, previous_end)) = previous {
                if ph.vaddr < previous_start {
                    return Err(Error::Unsorted);
                }
                if ph.memsz != 0 && ph.vaddr < previous_end {
                    return Err(Error::Overlap);
                }
            }
            if ph.memsz != 0 {
                previous = Some((ph.vaddr, vaddr_end));
            }
            lowest_vaddr = lowest_vaddr.min(ph.vaddr);
            highest_vaddr_end = highest_vaddr_end.max(vaddr_end);
            max_align = max_align.max(ph.align);
            load_segments = load_segments.checked_add(1).ok_or(Error::Overflow)?;
        }
        if load_segments == 0 {
            return Err(Error::NoLoadSegments);
        }

        Ok(LoadPlan {
            kind: header.kind,
            entry: header.entry,
            lowest_vaddr,
            highest_vaddr_end,
            max_align,
            load_segments,
            phdr_vaddr: self.phdr_vaddr(),
            has_interpreter: self.first_segment(SegmentType::Interp).is_some(),
        })
    }

    /// See [`LoadPlan::phdr_vaddr`].
    fn phdr_vaddr(&self) -> Option<u64> {
        if let Some(ph) = self.first_segment(SegmentType::Phdr) {
            return Some(ph.vaddr);
        }
        let table_start = self.header().phoff;
        let table_size = u64::try_from(self.program_header_count()).ok()?.checked_mul(PROGRAM_HEADER_SIZE as u64)?;
        let table_end = table_start.checked_add(table_size)?;
        self.load_segments()
            .find(|ph| ph.offset <= table_start && ph.file_end().is_some_and(|end| table_end <= end))
            .and_then(|ph| ph.vaddr.checked_add(table_start.checked_sub(ph.offset)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(kind: ElfType, lowest: u64, end: u64, align: u64) -> LoadPlan {
        LoadPlan {
            kind,
            entry: lowest,
            lowest_vaddr: lowest,
            highest_vaddr_end: end,
            max_align: align,
            load_segments: 1,
            phdr_vaddr: None,
            has_interpreter: false,
        }
    }

    #[test]
    fn alignment_rule() {
        for ok in [0, 1, 2, 4, 0x1000, 1 << 63] {
            assert_eq!(check_alignment(ok), Ok(()));
        }
        for bad in [3, 6, 0x1001, u64::MAX] {
            assert_eq!(check_alignment(bad), Err(Error::BadAlignment));
        }
    }

    #[test]
    fn fixed_image_only_goes_where_it_was_linked() {
        let p = plan(ElfType::Executable, 0x40_0000, 0x40_3000, 0x1000);
        assert_eq!(p.bias_for_base(0x40_0000), Some(0));
        assert_eq!(p.bias_for_base(0x50_0000), None);
        assert!(!p.is_position_independent());
    }

    #[test]
    fn movable_image_needs_an_aligned_base_and_room() {
        let p = plan(ElfType::SharedObject, 0, 0x5000, 0x1000);
        assert!(p.is_static_pie());
        assert_eq!(p.span(), 0x5000);
        assert_eq!(p.bias_for_base(0x7f00_0000_0000), Some(0x7f00_0000_0000));
        assert_eq!(p.bias_for_base(0x7f00_0000_0800), None);
        assert_eq!(p.bias_for_base(u64::MAX - 0x1000), None);
        let shifted = plan(ElfType::SharedObject, 0x1000, 0x5000, 0x1000);
        assert_eq!(shifted.bias_for_base(0x1_0000), Some(0xf000));
    }
}
