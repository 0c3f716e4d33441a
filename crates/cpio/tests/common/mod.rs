//! Test helpers: a hand-assembled member, written independently of the
//! crate's `Builder` so that the two can check each other, and free to be
//! malformed on purpose.
#![allow(dead_code)]

use cpio::Field;

/// One member, field by field. `name` includes whatever terminator the test
/// wants (normally a NUL); `bytes()` pads with `pad` bytes (normally 0).
#[derive(Clone, Debug)]
pub struct Raw {
    pub magic: Vec<u8>,
    pub fields: [u32; 13],
    pub name: Vec<u8>,
    pub data: Vec<u8>,
    pub pad: u8,
}

impl Raw {
    fn new(mode: u32, nlink: u32, name: &str, data: &[u8]) -> Raw {
        let mut fields = [0u32; 13];
        fields[Field::Ino as usize] = 7;
        fields[Field::Mode as usize] = mode;
        fields[Field::Nlink as usize] = nlink;
        fields[Field::FileSize as usize] = data.len() as u32;
        fields[Field::NameSize as usize] = name.len() as u32 + 1;
        let mut n = name.as_bytes().to_vec();
        n.push(0);
        Raw { magic: b"070701".to_vec(), fields, name: n, data: data.to_vec(), pad: 0 }
    }

    pub fn file(name: &str, data: &[u8]) -> Raw {
        Raw::new(0o100644, 1, name, data)
    }

    pub fn dir(name: &str) -> Raw {
        Raw::new(0o40755, 2, name, b"")
    }

    pub fn symlink(name: &str, target: &[u8]) -> Raw {
        Raw::new(0o120777, 1, name, target)
    }

    pub fn trailer() -> Raw {
        let mut t = Raw::new(0, 1, "TRAILER!!!", b"");
        t.fields[Field::Ino as usize] = 0;
        t
    }

    pub fn set(mut self, field: Field, value: u32) -> Raw {
        self.fields[field as usize] = value;
        self
    }

    /// Switches to `070702` with the correct checksum of the data.
    pub fn crc(mut self) -> Raw {
        self.magic = b"070702".to_vec();
        let sum = self.data.iter().map(|&b| b as u32).sum();
        self.fields[Field::Checksum as usize] = sum;
        self
    }

    pub fn header(&self) -> Vec<u8> {
        let mut out = self.magic.clone();
        for v in self.fields {
            out.extend_from_slice(format!("{v:08X}").as_bytes());
        }
        out
    }

    pub fn bytes(&self) -> Vec<u8> {
        let mut out = self.header();
        out.extend_from_slice(&self.name);
        while !out.len().is_multiple_of(4) {
            out.push(self.pad);
        }
        out.extend_from_slice(&self.data);
        while !out.len().is_multiple_of(4) {
            out.push(self.pad);
        }
        out
    }
}

/// Concatenates members.
pub fn archive(members: &[Raw]) -> Vec<u8> {
    members.iter().flat_map(|m| m.bytes()).collect()
}

/// Collects every item, checking that the iterator stays finished after the
/// first error (or the end).
pub fn collect(archive: &[u8]) -> (Vec<cpio::Entry<'_>>, Option<cpio::Error>) {
    collect_from(cpio::entries(archive))
}

pub fn collect_strict(archive: &[u8]) -> (Vec<cpio::Entry<'_>>, Option<cpio::Error>) {
    collect_from(cpio::entries(archive).require_trailer())
}

fn collect_from(mut it: cpio::Entries<'_>) -> (Vec<cpio::Entry<'_>>, Option<cpio::Error>) {
    let mut entries = Vec::new();
    let mut error = None;
    for item in it.by_ref() {
        match item {
            Ok(e) => entries.push(e),
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    assert!(it.next().is_none(), "iterator yielded more after the end or an error");
    assert!(it.next().is_none());
    (entries, error)
}

/// The single error that parsing `archive` ends with.
pub fn error_of(archive: &[u8]) -> cpio::Error {
    collect(archive).1.expect("expected an error")
}
