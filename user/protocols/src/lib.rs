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

/// The block device driver (`user/virtio-blk`), served on an endpoint.
///
/// Data never travels in messages: the driver owns one DMA buffer, hands
/// every client a capability to it (`BUFFER`), and the device reads and
/// writes that buffer directly (zero-copy). A request names sectors on the
/// disk and a byte offset in the buffer. Sectors are always 512 bytes,
/// whatever block size the device prefers.
///
/// Requests are served one at a time, in arrival order; a reply means the
/// device has finished with the buffer range the request named. The buffer
/// is shared by every client of the endpoint: clients that use it at the
/// same time must agree on who uses which part.
///
/// The label of a request is exactly one of the codes below (no length
/// bits); a reply's label is [`DONE`] or one of the error labels. A
/// capability sent along with a request is deleted unused.
pub mod block {
    /// Bytes in a sector: the unit of `READ`/`WRITE` and of the capacity.
    pub const SECTOR: u64 = 512;

    /// Describe the disk. Reply: label `DONE`, w0 = capacity in sectors,
    /// w1 = size of the shared buffer in bytes (a multiple of 4096),
    /// w2 = flags ([`FLAG_READ_ONLY`], [`FLAG_FLUSH`]), w3 = the device's
    /// preferred block size in bytes (512 if it does not say).
    pub const INFO: u32 = 1;
    /// Get the shared buffer. Reply: label `DONE` carrying a capability to
    /// the driver's DMA buffer (type Dma, READ|WRITE|TRANSFER), w0 = its
    /// size in bytes. The client maps it with `mem_map`. Every call hands
    /// out another copy of the same buffer.
    pub const BUFFER: u32 = 2;
    /// Read sectors into the buffer: w0 = first sector, w1 = sector count
    /// (1 or more), w2 = byte offset in the buffer (a multiple of 512).
    /// Reply: label `DONE`, w0 = sectors read.
    pub const READ: u32 = 3;
    /// Write sectors from the buffer; words as for `READ`. Reply: label
    /// `DONE`, w0 = sectors written. A write is on the disk (or in its
    /// cache, see `FLUSH`) once answered.
    pub const WRITE: u32 = 4;
    /// Make every completed write durable (the device's cache flush). A
    /// device without a write cache to flush answers `DONE` at once.
    pub const FLUSH: u32 = 5;

    /// Reply: the request was done.
    pub const DONE: u32 = 0;
    /// Reply: the device reported an I/O error (or stopped answering).
    pub const IO_ERROR: u32 = 1;
    /// Reply: the sectors lie past the end of the disk, or the bytes past
    /// the end of the buffer (also when the sizes overflow).
    pub const OUT_OF_RANGE: u32 = 2;
    /// Reply: the request is not supported: an unknown label, or a write to
    /// a read-only disk.
    pub const UNSUPPORTED: u32 = 3;
    /// Reply: the request is malformed: a count of 0, or an offset that is
    /// not a multiple of 512.
    pub const MALFORMED: u32 = 4;

    /// `INFO` flag: the disk is read-only (`WRITE` fails with `UNSUPPORTED`).
    pub const FLAG_READ_ONLY: u64 = 1 << 0;
    /// `INFO` flag: the device has a write cache that `FLUSH` flushes.
    pub const FLAG_FLUSH: u64 = 1 << 1;
}

pub mod net;
pub mod sockets;

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
