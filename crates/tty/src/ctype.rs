//! Character classes as Linux's line discipline sees them.
//!
//! Linux classifies bytes with the kernel's own Latin-1 table, not the C
//! library's locale: 0x00-0x1f and 0x7f are control characters, 0x80-0x9f
//! are nothing at all (so UTF-8 continuation bytes are never echoed as
//! `^X`), and 0xc0-0xff are letters apart from × (0xd7) and ÷ (0xf7).

/// A control character: echoed as `^X` under `ECHOCTL`, takes no column
/// on output.
pub(crate) const fn is_control(byte: u8) -> bool {
    byte < 0x20 || byte == 0x7f
}

/// A character that belongs to a word for `VWERASE`: letters, digits and
/// `_`, with Latin-1 letters counted as letters (so the lead byte of most
/// UTF-8 sequences is a word character).
pub(crate) const fn is_word(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || (byte >= 0xc0 && byte != 0xd7 && byte != 0xf7)
}

/// The second and later bytes of a UTF-8 sequence.
pub(crate) const fn is_utf8_continuation(byte: u8) -> bool {
    byte & 0xc0 == 0x80
}
