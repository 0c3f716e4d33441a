//! The kernel's random numbers (getrandom, /dev/urandom, AT_RANDOM): a
//! ChaCha20 keystream (RFC 8439 block function) keyed from RDRAND when the
//! CPU has it and from TSC jitter always, rekeyed from its own output after
//! every request so earlier output cannot be reconstructed.

use crate::sync::SpinLock;

struct ChaCha {
    key: [u32; 8],
    counter: u64,
}

static RNG: SpinLock<ChaCha> = SpinLock::new(ChaCha { key: [0; 8], counter: 0 });

fn quarter(s: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    s[a] = s[a].wrapping_add(s[b]);
    s[d] = (s[d] ^ s[a]).rotate_left(16);
    s[c] = s[c].wrapping_add(s[d]);
    s[b] = (s[b] ^ s[c]).rotate_left(12);
    s[a] = s[a].wrapping_add(s[b]);
    s[d] = (s[d] ^ s[a]).rotate_left(8);
    s[c] = s[c].wrapping_add(s[d]);
    s[b] = (s[b] ^ s[c]).rotate_left(7);
}

/// One 64-byte ChaCha20 block for (key, block counter, nonce).
pub fn chacha20_block(key: &[u32; 8], counter: u32, nonce: [u32; 3]) -> [u8; 64] {
    let mut init = [0u32; 16];
    init[..4].copy_from_slice(&[0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574]);
    init[4..12].copy_from_slice(key);
    init[12] = counter;
    init[13..16].copy_from_slice(&nonce);
    let mut s = init;
    for _ in 0..10 {
        quarter(&mut s, 0, 4, 8, 12);
        quarter(&mut s, 1, 5, 9, 13);
        quarter(&mut s, 2, 6, 10, 14);
        quarter(&mut s, 3, 7, 11, 15);
        quarter(&mut s, 0, 5, 10, 15);
        quarter(&mut s, 1, 6, 11, 12);
        quarter(&mut s, 2, 7, 8, 13);
        quarter(&mut s, 3, 4, 9, 14);
    }
    let mut out = [0u8; 64];
    for i in 0..16 {
        out[i * 4..i * 4 + 4].copy_from_slice(&s[i].wrapping_add(init[i]).to_le_bytes());
    }
    out
}

impl ChaCha {
    fn block(&mut self) -> [u8; 64] {
        self.counter += 1;
        let c = self.counter;
        chacha20_block(&self.key, c as u32, [(c >> 32) as u32, 0x4865_6c63, 0x7469_6321])
    }
}

/// Mixes boot entropy into the key.
pub fn init() {
    let mut rng = RNG.lock();
    for (i, word) in rng.key.iter_mut().enumerate() {
        let mut v = crate::arch::cpu::hardware_random().unwrap_or(0) as u32;
        // TSC low bits jitter under any hypervisor: a few bits per read.
        for _ in 0..8 {
            v = v.rotate_left(5) ^ crate::arch::cpu::rdtsc() as u32 ^ (i as u32).wrapping_mul(0x9e37_79b9);
        }
        *word ^= v;
    }
}

pub fn fill(buf: &mut [u8]) {
    let mut rng = RNG.lock();
    for chunk in buf.chunks_mut(64) {
        let b = rng.block();
        chunk.copy_from_slice(&b[..chunk.len()]);
    }
    // Fast key erasure: the next key comes from the stream itself.
    let next = rng.block();
    for (i, w) in rng.key.iter_mut().enumerate() {
        *w = u32::from_le_bytes([next[i * 4], next[i * 4 + 1], next[i * 4 + 2], next[i * 4 + 3]]);
    }
}
