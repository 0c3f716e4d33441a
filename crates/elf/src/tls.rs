//! `PT_TLS`: the initial image of each thread's thread-local storage block.

use crate::load_plan::check_alignment;
use crate::program_header::SegmentType;
use crate::{ElfFile, Error, Result};

/// What a thread needs to set up its static TLS block: copy `image`
/// (`.tdata`), zero the rest up to `memsz` (`.tbss`), and place the block at
/// a multiple of `align`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TlsTemplate<'a> {
    pub image: &'a [u8],
    /// Where the template sits in the (unrelocated) program image.
    pub vaddr: u64,
    pub memsz: u64,
    /// 0 or 1 mean no constraint; otherwise a power of two.
    pub align: u64,
}

impl<'a> ElfFile<'a> {
    /// The first `PT_TLS` segment, checked, or `None` if the program uses no
    /// static TLS.
    pub fn tls_template(&self) -> Result<Option<TlsTemplate<'a>>> {
        let Some(ph) = self.first_segment(SegmentType::Tls) else {
            return Ok(None);
        };
        if ph.filesz > ph.memsz {
            return Err(Error::FileszExceedsMemsz);
        }
        ph.vaddr_end().ok_or(Error::Overflow)?;
        check_alignment(ph.align)?;
        let image = self.segment_data(&ph)?;
        Ok(Some(TlsTemplate { image, vaddr: ph.vaddr, memsz: ph.memsz, align: ph.align }))
    }
}
