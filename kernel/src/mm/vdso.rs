//! The Linux vDSO: the shared object `cargo xtask` builds from
//! `user/linux-vdso` (embedded here through `HELCTIC_VDSO`, see build.rs),
//! copied once at boot into frames that every Linux process maps
//! read+execute, and the vvar page beside it, which the kernel keeps
//! current so that the vDSO answers `clock_gettime` and friends without a
//! system call.
//!
//! In a process (the layout `user/linux-vdso/vdso.lds` fixes and
//! `xtask/src/vdso.rs` checks):
//!
//! ```text
//!     base - 4096   [vvar]   one page, read-only, the same frame everywhere
//!     base          [vdso]   the image, read+execute; AT_SYSINFO_EHDR = base
//! ```
//!
//! Both are `Backing::Kernel` regions: the frames belong to the kernel
//! forever and are lent to each mapping (a reference each), so fork shares
//! them and exec maps them afresh. They are mapped read-only whatever the
//! region's protection says; a debugger that makes the image writable gets
//! a private copy on its first write, as on Linux, and nobody can write to
//! what other processes see.
//!
//! This file is one of the kernel's documented `unsafe` sites: it copies
//! the image into its frames and views the vvar frame as atomics, both
//! through the direct map.

use super::address_space::{AddressSpace, Backing, Vma};
use super::frames;
use crate::arch::layout::{self, PAGE_SIZE};
use crate::sync::{Once, SpinLock};
use alloc::vec::Vec;
use core::sync::atomic::{fence, AtomicU64, Ordering};
use kernel_ops::Protection;
use vdso_data::{Publication, VvarData, FLAG_CLOCKS_USABLE};

/// The image as built (empty when the kernel was built without one).
static IMAGE: &[u8] = include_bytes!(env!("HELCTIC_VDSO_IMAGE"));
/// The largest image accepted (as `xtask/src/vdso.rs` MAX_IMAGE).
const MAX_IMAGE: usize = 64 << 10;

/// Frames the kernel owns for its whole life and lends, read-only, to every
/// address space that maps them: a mapping adds and drops references, the
/// last reference is this object's and is never dropped.
pub struct KernelPages {
    /// How /proc/<pid>/maps names a mapping of them.
    pub name: &'static str,
    frames: Vec<u64>,
}

impl KernelPages {
    /// The frame of page `index`, if there is one.
    pub fn frame(&self, index: u64) -> Option<u64> {
        self.frames.get(usize::try_from(index).ok()?).copied()
    }

    fn bytes(&self) -> u64 {
        self.frames.len() as u64 * PAGE_SIZE
    }
}

struct Vdso {
    image: KernelPages,
    vvar: KernelPages,
    /// The start of the vvar frame, seen through the direct map.
    vvar_words: &'static [AtomicU64],
}

static VDSO: Once<Option<Vdso>> = Once::new();
/// Serialises publications; holds the sequence counter the last one left.
static VVAR_SEQ: SpinLock<u64> = SpinLock::new(0);

/// The embedded image (for the in-kernel tests).
#[cfg(feature = "ktest")]
pub fn image() -> &'static [u8] {
    IMAGE
}

/// Copies the image into frames and publishes the clock; without an image
/// (or the memory for it) Linux programs simply get no vDSO.
pub fn init() {
    let vdso = VDSO.call_once(|| match load() {
        Ok(vdso) => Some(vdso),
        Err(why) => {
            crate::warn!("vdso: {why}; Linux programs get no vDSO");
            None
        }
    });
    if let Some(v) = vdso {
        crate::info!(
            "vdso: {} bytes in {} page(s), vvar page at {:#x}",
            IMAGE.len(),
            v.image.frames.len(),
            v.vvar.frames.first().copied().unwrap_or(0)
        );
    }
    publish_clock();
}

fn load() -> Result<Vdso, &'static str> {
    if IMAGE.is_empty() {
        return Err("the kernel was built without an image (HELCTIC_VDSO unset)");
    }
    if IMAGE.len() > MAX_IMAGE {
        return Err("the image is larger than 64 KiB");
    }
    let mut image = Vec::new();
    image.try_reserve_exact(IMAGE.len().div_ceil(PAGE_SIZE as usize)).map_err(|_| "out of memory")?;
    let mut vvar = Vec::new();
    vvar.try_reserve_exact(1).map_err(|_| "out of memory")?;
    let release = |frames: &[u64]| frames.iter().for_each(|&f| frames::free(f));
    for chunk in IMAGE.chunks(PAGE_SIZE as usize) {
        let Ok(frame) = frames::alloc_zeroed() else {
            release(&image);
            return Err("out of memory");
        };
        // SAFETY: `frame` was just allocated for us alone and `chunk` is at
        // most one page long.
        unsafe { layout::copy_to_phys(frame, chunk) };
        image.push(frame);
    }
    let Ok(frame) = frames::alloc_zeroed() else {
        release(&image);
        return Err("out of memory");
    };
    vvar.push(frame);
    // SAFETY: the frame is this module's for the kernel's whole life (its
    // reference is never dropped), the direct map covers it, it is page
    // aligned, zeroed, and `AtomicU64` has the size and alignment of `u64`;
    // the kernel writes it only through these atomics, user space only
    // reads it through its own read-only mappings.
    let vvar_words =
        unsafe { core::slice::from_raw_parts(layout::phys_to_virt(frame) as *const AtomicU64, VvarData::WORDS) };
    Ok(Vdso {
        image: KernelPages { name: "[vdso]", frames: image },
        vvar: KernelPages { name: "[vvar]", frames: vvar },
        vvar_words,
    })
}

/// Writes the clock parameters `crate::time` uses now into the vvar page,
/// under its sequence counter (crates/vdso-data's seqlock). Called at
/// boot and whenever the TSC factor or the wall-clock offset changes.
pub fn publish_clock() {
    let Some(vdso) = VDSO.get().and_then(Option::as_ref) else { return };
    let mut seq = VVAR_SEQ.lock();
    // Read under the lock, so the last of two racing publications carries
    // the newest values.
    let (ns_per_tick_fp, realtime_offset_ns) = crate::time::clock_parameters();
    let data = VvarData {
        seq: 0,
        flags: if ns_per_tick_fp != 0 { FLAG_CLOCKS_USABLE } else { 0 },
        ns_per_tick_fp,
        realtime_offset_ns,
        resolution_ns: crate::time::CLOCK_RESOLUTION_NS,
    };
    let publication = Publication::new(*seq, &data);
    let store = |word: usize, value: u64| {
        if let Some(slot) = vdso.vvar_words.get(word) {
            slot.store(value, Ordering::Relaxed);
        }
    };
    store(VvarData::SEQ, publication.begin);
    fence(Ordering::Release);
    for (i, &value) in publication.body.iter().enumerate() {
        store(VvarData::BODY + i, value);
    }
    fence(Ordering::Release);
    store(VvarData::SEQ, publication.end);
    *seq = publication.end;
}

/// Maps the vvar page and the vDSO into a new address space at the highest
/// free address and returns the vDSO's base (for AT_SYSINFO_EHDR), or
/// `None` if there is no vDSO or no room.
pub fn map_into(space: &mut AddressSpace) -> Option<u64> {
    let vdso = VDSO.get()?.as_ref()?;
    let vvar_len = vdso.vvar.bytes();
    let start = space.find_free(vvar_len + vdso.image.bytes())?;
    let base = start + vvar_len;
    let region = |end: u64, prot: Protection, pages: &'static KernelPages| Vma {
        end,
        prot,
        backing: Backing::Kernel(pages),
        pgoff: 0,
        is_stack: false,
        grows_down: false,
    };
    space.insert(start, region(base, Protection { read: true, write: false, execute: false }, &vdso.vvar));
    space.insert(
        base,
        region(base + vdso.image.bytes(), Protection { read: true, write: false, execute: true }, &vdso.image),
    );
    Some(base)
}
