//! `PT_INTERP`: the path of the dynamic linker a program asks for.

use crate::bytes::until_nul;
use crate::program_header::{ProgramHeader, SegmentType};
use crate::{ElfFile, Error, Result};

/// The longest `PT_INTERP` segment accepted, NUL included: `PATH_MAX`, the
/// same bound Linux applies, so a hostile file cannot make exec copy an
/// arbitrarily long "path".
pub const MAX_INTERPRETER_LEN: u64 = 4096;
/// The shortest `PT_INTERP` segment accepted: room for one character and
/// its NUL. Linux refuses shorter ones before reading them.
pub const MIN_INTERPRETER_LEN: u64 = 2;

impl<'a> ElfFile<'a> {
    /// The interpreter path without its NUL, or `None` for a statically linked
    /// program (including a static PIE).
    ///
    /// Like Linux, only the first `PT_INTERP` counts, it holds 2 to
    /// `PATH_MAX` bytes, its last byte must be NUL, and the path ends at
    /// the first NUL (so `"\0\0"` is an empty path: [`Error::InterpreterEmpty`]).
    pub fn interpreter(&self) -> Result<Option<&'a [u8]>> {
        let Some(ph) = self.interpreter_segment()? else {
            return Ok(None);
        };
        interpreter_path(self.segment_data(&ph)?).map(Some)
    }

    /// The `PT_INTERP` segment, for a loader that reads its bytes itself
    /// (it lies outside the head of the file it read), checked for size
    /// before anything is read, as Linux does.
    pub fn interpreter_segment(&self) -> Result<Option<ProgramHeader>> {
        let Some(ph) = self.first_segment(SegmentType::Interp) else {
            return Ok(None);
        };
        check_size(ph.filesz)?;
        Ok(Some(ph))
    }
}

/// The path in the bytes of a `PT_INTERP` segment, by the rules of
/// [`ElfFile::interpreter`].
pub fn interpreter_path(data: &[u8]) -> Result<&[u8]> {
    check_size(u64::try_from(data.len()).map_err(|_| Error::InterpreterTooLong)?)?;
    if data.last() != Some(&0) {
        return Err(Error::InterpreterNotTerminated);
    }
    match until_nul(data) {
        Some(path) if !path.is_empty() => Ok(path),
        _ => Err(Error::InterpreterEmpty),
    }
}

fn check_size(filesz: u64) -> Result<()> {
    if filesz > MAX_INTERPRETER_LEN {
        return Err(Error::InterpreterTooLong);
    }
    if filesz < MIN_INTERPRETER_LEN {
        return Err(Error::InterpreterTooShort);
    }
    Ok(())
}
