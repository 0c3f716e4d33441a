//! The fixed 110-byte newc header: its layout, and the hex text its numbers
//! are written in. Both the reader and the writer use this file, so the layout
//! is stated exactly once.
//!
//! A header is the 6-byte magic followed by thirteen fields of 8 ASCII hex
//! digits each, left-padded with `0`, in the order of [`Field`].

/// Length of a newc header in bytes: magic (6) + 13 fields × 8 hex digits.
pub const HEADER_LEN: usize = 6 + FIELD_COUNT * FIELD_LEN;

/// Magic of the plain newc format (`cpio -H newc`).
pub const MAGIC_NEWC: [u8; 6] = *b"070701";

/// Magic of the "crc" variant (`cpio -H crc`): newc plus a data checksum.
pub const MAGIC_CRC: [u8; 6] = *b"070702";

/// Name of the end-of-archive marker entry.
pub const TRAILER_NAME: &[u8] = b"TRAILER!!!";

/// Largest accepted `c_namesize` (which counts the terminating NUL). This is
/// Linux's `PATH_MAX`; Linux silently skips entries with longer names.
pub const MAX_NAME_SIZE: usize = 4096;

/// Largest accepted symlink target, in bytes. Linux skips symlinks whose
/// target is longer than `PATH_MAX`.
pub const MAX_SYMLINK_LEN: usize = 4096;

pub(crate) const FIELD_LEN: usize = 8;
pub(crate) const FIELD_COUNT: usize = 13;

/// Archive members start, and data starts, on multiples of this.
pub(crate) const ALIGN: usize = 4;

/// Which of the two newc magics an entry carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// `070701`: the checksum field is zero.
    Newc,
    /// `070702`: the checksum field is the 32-bit wrapping sum of the data
    /// bytes (cpio calls it "crc", though it is not one).
    Crc,
}

impl Format {
    /// The six magic bytes that start a header of this format.
    pub const fn magic(self) -> [u8; 6] {
        match self {
            Format::Newc => MAGIC_NEWC,
            Format::Crc => MAGIC_CRC,
        }
    }
}

/// The numeric header fields, in the order they appear after the magic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Ino = 0,
    Mode,
    Uid,
    Gid,
    Nlink,
    Mtime,
    FileSize,
    DevMajor,
    DevMinor,
    RdevMajor,
    RdevMinor,
    NameSize,
    Checksum,
}

impl Field {
    pub(crate) const ALL: [Field; FIELD_COUNT] = [
        Field::Ino,
        Field::Mode,
        Field::Uid,
        Field::Gid,
        Field::Nlink,
        Field::Mtime,
        Field::FileSize,
        Field::DevMajor,
        Field::DevMinor,
        Field::RdevMajor,
        Field::RdevMinor,
        Field::NameSize,
        Field::Checksum,
    ];

    /// Byte offset of this field within the header.
    pub const fn offset(self) -> usize {
        6 + (self as usize) * FIELD_LEN
    }

    /// The name the Linux buffer-format document gives this field.
    pub const fn name(self) -> &'static str {
        match self {
            Field::Ino => "c_ino",
            Field::Mode => "c_mode",
            Field::Uid => "c_uid",
            Field::Gid => "c_gid",
            Field::Nlink => "c_nlink",
            Field::Mtime => "c_mtime",
            Field::FileSize => "c_filesize",
            Field::DevMajor => "c_maj",
            Field::DevMinor => "c_min",
            Field::RdevMajor => "c_rmaj",
            Field::RdevMinor => "c_rmin",
            Field::NameSize => "c_namesize",
            Field::Checksum => "c_chksum",
        }
    }
}

/// Value of one ASCII hex digit (either case), or `None`.
const fn hex_value(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some((b - b'0') as u32),
        b'a'..=b'f' => Some((b - b'a' + 10) as u32),
        b'A'..=b'F' => Some((b - b'A' + 10) as u32),
        _ => None,
    }
}

/// Parses exactly eight hex digits. On failure returns the index (0..8) of
/// the first byte that is not a hex digit.
///
/// Linux uses `simple_strtoul`, which stops quietly at the first non-digit;
/// we insist on all eight, since anything else is a damaged header.
pub(crate) fn parse_hex8(digits: &[u8; FIELD_LEN]) -> Result<u32, usize> {
    let mut value: u32 = 0;
    for (i, &b) in digits.iter().enumerate() {
        let v = hex_value(b).ok_or(i)?;
        // Eight digits are exactly 32 bits: the shift never loses a set bit.
        value = (value << 4) | v;
    }
    Ok(value)
}

/// Number of zero bytes needed after `len` bytes to reach a 4-byte boundary.
pub(crate) const fn pad_len(len: usize) -> usize {
    (ALIGN - len % ALIGN) % ALIGN
}

/// `n` rounded up to a multiple of 4, or `None` on overflow.
pub(crate) fn align_up(n: usize) -> Option<usize> {
    n.checked_add(pad_len(n))
}

/// The wrapping 32-bit sum of `data`'s bytes: the `070702` checksum.
pub fn checksum(data: &[u8]) -> u32 {
    data.iter().fold(0u32, |sum, &b| sum.wrapping_add(u32::from(b)))
}

#[cfg(feature = "alloc")]
pub(crate) fn push_hex8(out: &mut alloc::vec::Vec<u8>, value: u32) {
    // Upper case, as GNU cpio and Linux's gen_init_cpio write it.
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    for shift in (0..FIELD_LEN).rev() {
        let nibble = (value >> (shift * 4)) & 0xf;
        out.push(DIGITS[nibble as usize]);
    }
}
