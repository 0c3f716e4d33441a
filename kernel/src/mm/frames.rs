//! The global physical frame allocator (logic in `crates/frame-alloc`).

use crate::boot::BootInfo;
use crate::sync::SpinLock;
use frame_alloc::FrameAllocator;

static FRAMES: SpinLock<Option<Frames>> = SpinLock::ranked(crate::sync::Rank::Frames, None);

/// The allocator plus a reference count per frame: a frame shared by
/// copy-on-write or shared mappings is freed when its last user lets go.
struct Frames {
    alloc: FrameAllocator<'static>,
    refs: &'static mut [u16],
    base: u64,
}

impl Frames {
    fn slot(&mut self, frame: u64) -> Option<&mut u16> {
        let i = frame.checked_sub(self.base)? / 4096;
        self.refs.get_mut(usize::try_from(i).ok()?)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfMemory;

pub fn init(boot: &BootInfo) {
    let usable = boot.usable_ranges();
    let (Some(first), Some(last)) = (usable.first(), usable.last()) else {
        panic!("the boot memory map has no usable RAM");
    };
    let span = first.start..last.end;
    let words = FrameAllocator::words_needed(span.start, span.end).expect("memory span too large for the frame bitmap");
    let frames_in_span = ((span.end - span.start) / 4096) as usize;
    // Bitmap words, then one u16 reference count per frame (4 per word).
    let ref_words = frames_in_span.div_ceil(4);
    let bytes = ((words + ref_words) * 8) as u64;
    // The bitmap lives in the first usable range that fits it and is reached
    // by the boot-time direct map (which covers the first 4 GiB).
    let storage_phys = usable
        .iter()
        .find(|r| r.end - r.start >= bytes && r.start + bytes <= 4 << 30)
        .map(|r| r.start)
        .expect("no usable range can hold the frame bitmap");
    // SAFETY: [storage_phys, +bytes) is usable RAM (from the sanitized boot map,
    // with the kernel image, modules and boot data already removed) that nothing
    // else owns; it is reserved in the allocator right below, so it is never
    // handed out, and it stays mapped by the direct map for the kernel's life.
    let storage = unsafe { crate::arch::layout::claim_phys_words(storage_phys, words + ref_words) };
    let (bitmap, ref_storage) = storage.split_at_mut(words);
    let refs = crate::arch::layout::words_as_u16(ref_storage);
    let mut alloc = FrameAllocator::new(bitmap, span.start, span.end).expect("frame allocator rejected its span");
    for r in usable {
        alloc.add_free_range(r.start, r.end);
    }
    alloc.reserve_range(storage_phys, storage_phys + bytes);
    *FRAMES.lock() = Some(Frames { alloc, refs, base: span.start });
}

/// Frames kept back for the kernel itself (heap growth, page tables,
/// kernel stacks): user memory and new processes may not dip below this,
/// so a program that exhausts memory is refused or killed while the kernel
/// keeps working.
fn reserve(total: usize) -> usize {
    (total / 32).max(256)
}

/// Whether user-facing allocations (user pages, new processes) may go on.
/// When memory is short, file pages that only the page cache holds are
/// given back first. (Never called with the page-cache lock held: the
/// cache allocates only outside it.)
pub fn user_may_allocate(frames: usize) -> bool {
    let room = || {
        let g = FRAMES.lock();
        g.as_ref().is_some_and(|f| f.alloc.free_frames() >= frames + reserve(f.alloc.total_frames()))
    };
    if room() {
        return true;
    }
    // Some slack, so that the next few faults do not each reclaim.
    super::page_cache::reclaim(frames + RECLAIM_SLACK);
    room()
}

/// Frames reclaimed beyond what an allocation needs.
const RECLAIM_SLACK: usize = 64;

/// A zeroed frame for user memory, refused once only the reserve is left.
pub fn alloc_user_zeroed() -> Result<u64, OutOfMemory> {
    if !user_may_allocate(1) {
        return Err(OutOfMemory);
    }
    alloc_zeroed()
}

/// One frame, contents undefined, with a reference count of one.
pub fn alloc() -> Result<u64, OutOfMemory> {
    let mut g = FRAMES.lock();
    let f = g.as_mut().ok_or(OutOfMemory)?;
    let frame = f.alloc.alloc().map_err(|_| OutOfMemory)?;
    if let Some(r) = f.slot(frame) {
        *r = 1;
    }
    Ok(frame)
}

/// Adds a user to a frame (a copy-on-write or shared mapping).
pub fn share(frame: u64) {
    if let Some(r) = FRAMES.lock().as_mut().and_then(|f| f.slot(frame)) {
        *r = r.saturating_add(1);
    }
}

/// Drops one reference to a frame that a user mapping held, which may be
/// device memory (a native driver's MMIO) rather than RAM: that belongs to
/// no allocator and is left alone.
pub fn release_mapped(frame: u64) {
    let mut g = FRAMES.lock();
    let Some(f) = g.as_mut() else { return };
    let Some(r) = f.slot(frame) else { return };
    if *r > 1 {
        *r -= 1;
        return;
    }
    *r = 0;
    if let Err(e) = f.alloc.free(frame) {
        crate::error!("bad free of frame {frame:#x}: {e:?}");
    }
}

/// Whether the frame is RAM this allocator hands out (not device memory).
pub fn is_managed(frame: u64) -> bool {
    FRAMES.lock().as_mut().is_some_and(|f| f.slot(frame).is_some())
}

/// How many users a frame has (1 means the caller owns it alone).
pub fn ref_count(frame: u64) -> u16 {
    FRAMES.lock().as_mut().and_then(|f| f.slot(frame).map(|r| *r)).unwrap_or(0)
}

/// One frame, filled with zeros.
pub fn alloc_zeroed() -> Result<u64, OutOfMemory> {
    let frame = alloc()?;
    crate::arch::layout::zero_frame(frame);
    Ok(frame)
}

/// `count` contiguous frames aligned to `align` frames.
pub fn alloc_contiguous(count: usize, align: usize) -> Result<u64, OutOfMemory> {
    let mut g = FRAMES.lock();
    let f = g.as_mut().ok_or(OutOfMemory)?;
    let first = f.alloc.alloc_contiguous(count, align).map_err(|_| OutOfMemory)?;
    for i in 0..count as u64 {
        if let Some(r) = f.slot(first + i * 4096) {
            *r = 1;
        }
    }
    Ok(first)
}

/// Drops one reference to a frame, returning it to the allocator with the
/// last. A bad free is a kernel bug, but the allocator refuses it, so log it
/// loudly instead of corrupting anything.
pub fn free(frame: u64) {
    let mut g = FRAMES.lock();
    let Some(f) = g.as_mut() else { return };
    if let Some(r) = f.slot(frame) {
        if *r > 1 {
            *r -= 1;
            return;
        }
        *r = 0;
    }
    if let Err(e) = f.alloc.free(frame) {
        crate::error!("bad free of frame {frame:#x}: {e:?}");
    }
}

/// (free frames, total frames).
pub fn stats() -> (usize, usize) {
    FRAMES.lock().as_ref().map_or((0, 0), |f| (f.alloc.free_frames(), f.alloc.total_frames()))
}
