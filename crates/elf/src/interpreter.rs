//! `PT_INTERP`: the path of the dynamic linker a program asks for.

use crate::bytes::until_nul;
use crate::program_header::{ProgramHeader, SegmentType};
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
        let Some(ph) = self.interpreter_segment()? else {
            return Ok(None);
        };
        interpreter_path(self.segment_data(&ph)?).map(Some)
    }

    /// The `PT_INTERP` segment, for a loader that reads its bytes itself
    /// (it lies outside the head of the file it read), checked for size.
    pub fn interpreter_segment(&self) -> Result<Option<ProgramHeader>> {
        let Some(ph) = self.first_segment(SegmentType::Interp) else {
            return Ok(None);
        };
        if ph.filesz > MAX_INTERPRETER_LEN {
            return Err(Error::InterpreterTooLong);
        }
        Ok(Some(ph))
    }
}

/// The path in the bytes of a `PT_INTERP` segment, by the rules of
/// [`ElfFile::interpreter`].
pub fn interpreter_path(data: &[u8]) -> Result<&[u8]> {
    if data.len() as u64 > MAX_INTERPRETER_LEN {
        return Err(Error::InterpreterTooLong);
    }
    if data.last() != Some(&0) {
        return Err(Error::InterpreterNotTerminated);
    }
    match until_nul(data) {
        Some(path) if !path.is_empty() => Ok(path),
        _ => Err(Error::InterpreterEmpty),
    }
}
