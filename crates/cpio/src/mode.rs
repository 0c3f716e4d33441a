//! The `c_mode` field: Linux's `st_mode`, a file type in the top bits and
//! permission bits (including set-user-ID, set-group-ID and sticky) below.

/// Mask of the file-type bits of a mode (`S_IFMT`).
pub const TYPE_MASK: u32 = 0o170_000;

/// Mask of the permission bits of a mode: `rwx` for user, group and other
/// plus set-user-ID, set-group-ID and sticky (`07777`).
pub const PERMISSION_MASK: u32 = 0o7777;

/// The kind of file an entry describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileType {
    /// `S_IFREG`: the data is the file's contents.
    Regular,
    /// `S_IFDIR`.
    Directory,
    /// `S_IFLNK`: the data is the link target (without a NUL).
    Symlink,
    /// `S_IFCHR`: the rdev fields name the device.
    CharDevice,
    /// `S_IFBLK`: the rdev fields name the device.
    BlockDevice,
    /// `S_IFIFO`.
    Fifo,
    /// `S_IFSOCK`.
    Socket,
}

impl FileType {
    /// The type bits (`S_IF*`) of this file type.
    pub const fn bits(self) -> u32 {
        match self {
            FileType::Fifo => 0o010_000,
            FileType::CharDevice => 0o020_000,
            FileType::Directory => 0o040_000,
            FileType::BlockDevice => 0o060_000,
            FileType::Regular => 0o100_000,
            FileType::Symlink => 0o120_000,
            FileType::Socket => 0o140_000,
        }
    }

    /// The file type encoded in `mode`, or `None` if its type bits name none
    /// of the seven Linux types.
    pub const fn from_mode(mode: u32) -> Option<FileType> {
        match mode & TYPE_MASK {
            0o010_000 => Some(FileType::Fifo),
            0o020_000 => Some(FileType::CharDevice),
            0o040_000 => Some(FileType::Directory),
            0o060_000 => Some(FileType::BlockDevice),
            0o100_000 => Some(FileType::Regular),
            0o120_000 => Some(FileType::Symlink),
            0o140_000 => Some(FileType::Socket),
            _ => None,
        }
    }

    /// Whether entries of this type may carry data: a regular file's
    /// contents or a symlink's target. Every other type must have
    /// `c_filesize == 0`.
    pub const fn has_data(self) -> bool {
        matches!(self, FileType::Regular | FileType::Symlink)
    }
}
