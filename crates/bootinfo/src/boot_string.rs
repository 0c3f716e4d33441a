//! NUL-terminated strings left in memory by the boot loader (the kernel
//! command line, module command lines).

use crate::phys_reader::{PhysReader, ReadError};

/// A string copied out of boot memory into a caller's buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BootString<'b> {
    /// The text, with every byte of an invalid UTF-8 sequence replaced by `?`
    /// (so offsets still match the original bytes).
    pub text: &'b str,
    /// No NUL was found within the buffer: `text` is its whole length and the
    /// rest of the string was not read.
    pub truncated: bool,
    /// Some bytes were not valid UTF-8 and were replaced.
    pub had_invalid_utf8: bool,
}

/// Copies the NUL-terminated string at `paddr` into `buf`, reading at most
/// `buf.len()` bytes (the caller's bound, e.g. 4 KiB).
///
/// Reads one byte at a time: the length is unknown until the NUL, and reading
/// ahead could touch memory that does not exist (a string may end right at
/// the edge of what the reader allows). That is at most `buf.len()` calls,
/// once per boot.
pub fn read_boot_string<'b, R: PhysReader + ?Sized>(
    reader: &R,
    paddr: u64,
    buf: &'b mut [u8],
) -> Result<BootString<'b>, ReadError> {
    let mut len = 0;
    let mut found_nul = false;
    while len < buf.len() {
        let addr = paddr.checked_add(len as u64).ok_or(ReadError)?;
        reader.read(addr, &mut buf[len..len + 1])?;
        if buf[len] == 0 {
            found_nul = true;
            break;
        }
        len += 1;
    }
    let bytes = &mut buf[..len];
    let had_invalid_utf8 = replace_invalid_utf8(bytes);
    // After replacement the bytes are valid UTF-8; the fallback is never taken.
    let text = core::str::from_utf8(bytes).unwrap_or("");
    Ok(BootString { text, truncated: !found_nul, had_invalid_utf8 })
}

/// Overwrites each byte of every invalid UTF-8 sequence with `?`. Returns
/// whether anything was replaced.
fn replace_invalid_utf8(bytes: &mut [u8]) -> bool {
    let mut replaced = false;
    let mut checked = 0;
    while let Err(error) = core::str::from_utf8(&bytes[checked..]) {
        let bad_start = checked + error.valid_up_to();
        // `None`: the input ends in the middle of a sequence.
        let bad_len = error.error_len().unwrap_or(bytes.len() - bad_start);
        bytes[bad_start..bad_start + bad_len].fill(b'?');
        replaced = true;
        checked = bad_start + bad_len;
    }
    replaced
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacement_keeps_valid_text_and_length() {
        let mut bytes = *b"ok \xff\xfe caf\xc3\xa9 \xe2\x82";
        assert!(replace_invalid_utf8(&mut bytes));
        assert_eq!(core::str::from_utf8(&bytes).unwrap(), "ok ?? café ??");
        let mut clean = *b"plain";
        assert!(!replace_invalid_utf8(&mut clean));
        assert_eq!(&clean, b"plain");
        let mut empty: [u8; 0] = [];
        assert!(!replace_invalid_utf8(&mut empty));
    }
}
