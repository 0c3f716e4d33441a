//! gzip (RFC 1952) with a deflate (RFC 1951) stream of stored blocks.
//!
//! The kernel offers a few generated files that Linux offers gzipped
//! (`/proc/config.gz`); readers only ever decompress them, so the stream
//! needs to be valid, not small. Stored blocks make it a framing exercise:
//! no compressor in the trusted base, and the output is trivially checked
//! by any `gunzip`.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

use alloc::vec::Vec;

/// The most a stored block holds (its length field is 16 bits).
const MAX_STORED: usize = 0xffff;

/// CRC-32 (IEEE 802.3, reflected, as gzip's trailer uses) of `data`.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc = TABLE[((crc ^ u32::from(byte)) & 0xff) as usize] ^ (crc >> 8);
    }
    !crc
}

const TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xedb8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// `data` as a gzip member: a fixed header (no name, mtime 0, OS Unix),
/// stored deflate blocks, then CRC-32 and length modulo 2^32.
pub fn encode(data: &[u8]) -> Vec<u8> {
    let blocks = data.len().div_ceil(MAX_STORED).max(1);
    let mut out = Vec::with_capacity(10 + data.len() + 5 * blocks + 8);
    // ID1 ID2, CM=8 (deflate), FLG=0, MTIME=0, XFL=0, OS=3 (Unix).
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
    let mut chunks = data.chunks(MAX_STORED).peekable();
    if chunks.peek().is_none() {
        // An empty input is one final empty block.
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(chunk) = chunks.next() {
        // BFINAL in bit 0, BTYPE=00 in bits 1-2; a stored block then starts
        // on the next byte boundary, which it already is.
        out.push(u8::from(chunks.peek().is_none()));
        let len = chunk.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_of_known_strings() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(b"The quick brown fox jumps over the lazy dog"), 0x414f_a339);
    }

    #[test]
    fn framing_of_a_short_input() {
        let gz = encode(b"abc");
        assert_eq!(&gz[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
        assert_eq!(&gz[10..15], &[1, 3, 0, 0xfc, 0xff]);
        assert_eq!(&gz[15..18], b"abc");
        assert_eq!(gz.len(), 18 + 8);
    }
}
