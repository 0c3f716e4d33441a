//! One entry of a directory listing.

use crate::{FileType, Ino};

/// A directory entry as `read_dir` offers it.
#[derive(Copy, Clone, Eq, PartialEq, Debug)]
pub struct DirEntry<'a> {
    pub name: &'a [u8],
    pub ino: Ino,
    pub file_type: FileType,
    /// The cookie that resumes the listing just after this entry.
    pub next_cookie: u64,
}
