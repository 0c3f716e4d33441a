//! The protocols native servers speak over IPC: labels and what the four
//! data words mean. A message carries at most 32 bytes inline
//! (`pack`/`unpack`); bulk data would go through shared memory.
#![no_std]
#![forbid(unsafe_code)]

/// The serial driver (`user/serial`), served on an endpoint.
pub mod serial {
    /// Write bytes: label = WRITE | (len << 8), len <= 32, bytes packed
    /// little-endian into w0..w3. Reply: label 0, w0 = bytes written.
    pub const WRITE: u32 = 1;
    /// Read: label = READ. Blocks until at least one byte has arrived;
    /// reply: label = len << 8 (1..=32), bytes packed in w0..w3.
    pub const READ: u32 = 2;
    /// Reply label for an unknown request.
    pub const ERROR: u32 = 0xff;
}

/// Most bytes one message carries inline.
pub const INLINE_BYTES: usize = 32;

/// The request code of a label (low 8 bits).
pub fn code(label: u32) -> u32 {
    label & 0xff
}

/// The byte count of a label (bits 8-15).
pub fn len(label: u32) -> usize {
    ((label >> 8) & 0xff) as usize
}

pub fn label(code: u32, len: usize) -> u32 {
    code | ((len.min(INLINE_BYTES) as u32) << 8)
}

/// Packs up to 32 bytes into four words.
pub fn pack(bytes: &[u8]) -> [u64; 4] {
    let mut w = [0u64; 4];
    for (i, b) in bytes.iter().take(INLINE_BYTES).enumerate() {
        w[i / 8] |= u64::from(*b) << (8 * (i % 8));
    }
    w
}

/// The first `len` bytes packed in `words`.
pub fn unpack(words: [u64; 4], len: usize, out: &mut [u8; INLINE_BYTES]) -> usize {
    let n = len.min(INLINE_BYTES);
    for (i, slot) in out.iter_mut().enumerate().take(n) {
        *slot = (words[i / 8] >> (8 * (i % 8))) as u8;
    }
    n
}
