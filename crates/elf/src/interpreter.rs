//! `PT_INTERP`: the path of the dynamic linker a program asks for.

use crate::bytes::until_nul;
use crate::program_header::SegmentType;
use crate::{ElfFile, Error, Result};

/// The longest `PT_INTERP` segment accepted, NUL included: `PATH_MAX`, the
/// same bound Linux applies, so a hostile file cannot make exec copy an
/// arbitrarily long "path".
pub const MAX_INTERPRETER_LEN: u64 = 4096;

impl<'a> ElfFile<'a> {
    /// The interpreter path without its NUL, or `None` for a statically linked
    /// program (including a static PIE).
    ///
    /// Like Linux, only the first `PT_INTERP` counts, its last byte must be
    /// NUL, and the path ends at the first NUL.
    pub fn interpreter(&self) -> Result<Option<&'a [u8]>> {
        let Some(ph) = self.first_segment(SegmentType::Interp) else {
            return Ok(None);
        };
        if ph.filesz > MAX_INTERPRETER_LEN {
            return Err(Error::InterpreterTooLong);
        }
        let data = self.segment_data(&ph)?;
        if data.last() != Some(&0) {
            return Err(Error::InterpreterNotTerminated);
        }
        match until_nul(data) {
            Some(path) if !path.is_empty() => Ok(Some(path)),
            _ => Err(Error::InterpreterEmpty),
        }
    }
}
