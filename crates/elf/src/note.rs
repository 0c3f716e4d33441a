//! Notes (`PT_NOTE` segments and `SHT_NOTE` sections): small tagged records
//! a toolchain leaves for the loader, such as the OS ABI tag or build ID.
//!
//! Layout of one note: `namesz`, `descsz` and `type` as three 4-byte words
//! (also in ELF64, whatever the gABI says about 8-byte words: no toolchain
//! ever followed that), then `namesz` bytes of owner name padded to the note
//! alignment, then `descsz` bytes of descriptor padded likewise. The
//! alignment is 4 for nearly every note (GNU ABI tag, build ID, FreeBSD,
//! NetBSD, OpenBSD and Go notes all use 4 in ELF64) and 8 only for notes
//! that live in an 8-aligned segment, i.e. `.note.gnu.property`; readers
//! take it from `p_align` / `sh_addralign`, as binutils and LLVM do.

use crate::bytes::{align_up, u32_at};
use crate::program_header::{ProgramHeader, ProgramHeaders, SegmentType};
use crate::section_header::SectionHeader;
use crate::{ElfFile, Error, Result};

/// Size of the three header words.
const NOTE_HEADER_SIZE: usize = 12;

/// The padding alignment for notes in a segment or section whose declared
/// alignment is `declared`: 8 stays 8, anything up to 4 (including the 0 that
/// old core dumps used) means 4, and any other value is malformed.
pub fn note_alignment(declared: u64) -> Result<usize> {
    match declared {
        0..=4 => Ok(4),
        8 => Ok(8),
        _ => Err(Error::BadNoteAlignment),
    }
}

/// One note.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Note<'a> {
    /// The owner ("GNU", "FreeBSD", ...) up to its first NUL.
    pub name: &'a [u8],
    /// `n_type`, whose meaning depends on the owner.
    pub kind: u32,
    /// The descriptor, exactly `descsz` bytes, without padding.
    pub desc: &'a [u8],
}

impl Note<'_> {
    /// Whether this note has the given owner and type.
    pub fn is(&self, owner: &[u8], kind: u32) -> bool {
        self.name == owner && self.kind == kind
    }

    /// The `index`th little-endian 4-byte word of the descriptor.
    pub fn desc_word(&self, index: usize) -> Option<u32> {
        u32_at(self.desc, index.checked_mul(4)?)
    }
}

/// Iterator over the notes in one segment or section. Yields `Err(BadNote)`
/// once and stops if a note runs past the end, since the framing of
/// everything after it is then unknown.
#[derive(Clone, Debug)]
pub struct Notes<'a> {
    data: &'a [u8],
    align: usize,
    position: usize,
    done: bool,
}

impl<'a> Notes<'a> {
    /// Notes packed in `data` with the declared alignment `declared_align`.
    pub fn new(data: &'a [u8], declared_align: u64) -> Result<Notes<'a>> {
        Ok(Notes { data, align: note_alignment(declared_align)?, position: 0, done: false })
    }

    fn read_one(&self) -> Option<(Note<'a>, usize)> {
        let at = self.position;
        let name_size = usize::try_from(u32_at(self.data, at)?).ok()?;
        let desc_size = usize::try_from(u32_at(self.data, at.checked_add(4)?)?).ok()?;
        let kind = u32_at(self.data, at.checked_add(8)?)?;
        let name_start = at.checked_add(NOTE_HEADER_SIZE)?;
        let name_end = name_start.checked_add(name_size)?;
        let raw_name = self.data.get(name_start..name_end)?;
        let desc_start = align_up(name_end, self.align)?;
        let desc_end = desc_start.checked_add(desc_size)?;
        let desc = self.data.get(desc_start..desc_end)?;
        // The last note's trailing padding may be cut off by the segment size.
        let next = align_up(desc_end, self.align)?.min(self.data.len());
        let name = raw_name.split(|&b| b == 0).next().unwrap_or(raw_name);
        Some((Note { name, kind, desc }, next))
    }
}

impl<'a> Iterator for Notes<'a> {
    type Item = Result<Note<'a>>;

    fn next(&mut self) -> Option<Result<Note<'a>>> {
        if self.done || self.position >= self.data.len() {
            return None;
        }
        match self.read_one() {
            Some((note, next)) => {
                self.position = next;
                Some(Ok(note))
            }
            None => {
                self.done = true;
                Some(Err(Error::BadNote))
            }
        }
    }
}

/// Iterator over the notes of every `PT_NOTE` segment in table order. A
/// segment that cannot be read yields one error and is skipped, so one bad
/// segment does not hide the notes of the others.
#[derive(Clone, Debug)]
pub struct AllNotes<'a> {
    file: ElfFile<'a>,
    segments: ProgramHeaders<'a>,
    current: Option<Notes<'a>>,
}

impl<'a> Iterator for AllNotes<'a> {
    type Item = Result<Note<'a>>;

    fn next(&mut self) -> Option<Result<Note<'a>>> {
        loop {
            if let Some(note) = self.current.as_mut().and_then(Iterator::next) {
                return Some(note);
            }
            self.current = None;
            let ph = self.segments.next()?;
            if ph.kind != SegmentType::Note {
                continue;
            }
            match self.file.segment_notes(&ph) {
                Ok(notes) => self.current = Some(notes),
                Err(error) => return Some(Err(error)),
            }
        }
    }
}

impl<'a> ElfFile<'a> {
    /// The notes in one `PT_NOTE` segment.
    pub fn segment_notes(&self, ph: &ProgramHeader) -> Result<Notes<'a>> {
        Notes::new(self.segment_data(ph)?, ph.align)
    }

    /// The notes in one `SHT_NOTE` section.
    pub fn section_notes(&self, sh: &SectionHeader) -> Result<Notes<'a>> {
        Notes::new(self.section_data(sh)?, sh.addralign)
    }

    /// The notes of every `PT_NOTE` segment: what a loader sees, and so what
    /// OS identification must use.
    pub fn notes(&self) -> AllNotes<'a> {
        AllNotes { file: *self, segments: self.program_headers(), current: None }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;
    use std::vec::Vec;

    fn note(name: &[u8], kind: u32, desc: &[u8], align: usize) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&(name.len() as u32).to_le_bytes());
        out.extend_from_slice(&(desc.len() as u32).to_le_bytes());
        out.extend_from_slice(&kind.to_le_bytes());
        out.extend_from_slice(name);
        out.resize(out.len().next_multiple_of(align), 0);
        out.extend_from_slice(desc);
        out.resize(out.len().next_multiple_of(align), 0);
        out
    }

    #[test]
    fn reads_4_aligned_notes() {
        let mut data = note(b"NetBSD\0", 1, &[0x00, 0x5b, 0xb9, 0x29], 4);
        data.extend(note(b"GNU\0", 3, &[1, 2, 3, 4, 5], 4));
        let notes: Vec<_> = Notes::new(&data, 4).unwrap().collect();
        assert_eq!(notes.len(), 2);
        let first = notes[0].unwrap();
        assert_eq!(first.name, b"NetBSD");
        assert!(first.is(b"NetBSD", 1));
        assert_eq!(first.desc_word(0), Some(0x29b9_5b00));
        assert_eq!(first.desc_word(1), None);
        let second = notes[1].unwrap();
        assert_eq!(second.desc, &[1, 2, 3, 4, 5]);
    }

    #[test]
    fn reads_8_aligned_property_note() {
        // .note.gnu.property as emitted for x86_64: desc padded to 8.
        let mut data = note(b"GNU\0", 5, &[2, 0, 0, 0xc0, 4, 0, 0, 0, 1, 0, 0, 0], 8);
        data.extend(note(b"XY\0", 7, &[9], 8));
        let notes: Vec<_> = Notes::new(&data, 8).unwrap().map(Result::unwrap).collect();
        assert_eq!(notes.len(), 2);
        assert_eq!(notes[0].desc.len(), 12);
        assert!(notes[1].is(b"XY", 7));
        assert_eq!(notes[1].desc, &[9]);
    }

    #[test]
    fn missing_final_padding_is_accepted() {
        let mut data = note(b"GNU\0", 3, &[1, 2, 3], 4);
        data.truncate(data.len() - 1);
        let notes: Vec<_> = Notes::new(&data, 4).unwrap().collect();
        assert_eq!(notes, [Ok(Note { name: b"GNU", kind: 3, desc: &[1, 2, 3] })]);
    }

    #[test]
    fn overrun_is_reported_once() {
        let mut data = note(b"GNU\0", 1, &[0; 16], 4);
        data.truncate(data.len() - 2);
        let mut notes = Notes::new(&data, 4).unwrap();
        assert_eq!(notes.next(), Some(Err(Error::BadNote)));
        assert_eq!(notes.next(), None);
        let mut huge = note(b"GNU\0", 1, &[], 4);
        huge[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        let mut notes = Notes::new(&huge, 4).unwrap();
        assert_eq!(notes.next(), Some(Err(Error::BadNote)));
        assert_eq!(notes.next(), None);
    }

    #[test]
    fn alignment_rule() {
        assert_eq!(note_alignment(0), Ok(4));
        assert_eq!(note_alignment(1), Ok(4));
        assert_eq!(note_alignment(4), Ok(4));
        assert_eq!(note_alignment(8), Ok(8));
        assert_eq!(note_alignment(16), Err(Error::BadNoteAlignment));
    }
}
