//! The global physical frame allocator (logic in `crates/frame-alloc`).

use crate::boot::BootInfo;
use crate::sync::SpinLock;
use frame_alloc::FrameAllocator;

static FRAMES: SpinLock<Option<FrameAllocator<'static>>> = SpinLock::new(None);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfMemory;

pub fn init(boot: &BootInfo) {
    let usable = boot.usable_ranges();
    let (Some(first), Some(last)) = (usable.first(), usable.last()) else {
        panic!("the boot memory map has no usable RAM");
    };
    let span = first.start..last.end;
    let words = FrameAllocator::words_needed(span.start, span.end).expect("memory span too large for the frame bitmap");
    let bytes = (words * 8) as u64;
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
    let storage = unsafe { crate::arch::layout::claim_phys_words(storage_phys, words) };
    let mut alloc = FrameAllocator::new(storage, span.start, span.end).expect("frame allocator rejected its span");
    for r in usable {
        alloc.add_free_range(r.start, r.end);
    }
    alloc.reserve_range(storage_phys, storage_phys + bytes);
    *FRAMES.lock() = Some(alloc);
}

/// One frame, contents undefined.
pub fn alloc() -> Result<u64, OutOfMemory> {
    FRAMES.lock().as_mut().ok_or(OutOfMemory)?.alloc().map_err(|_| OutOfMemory)
}

/// One frame, filled with zeros.
pub fn alloc_zeroed() -> Result<u64, OutOfMemory> {
    let frame = alloc()?;
    crate::arch::layout::zero_frame(frame);
    Ok(frame)
}

/// `count` contiguous frames aligned to `align` frames.
pub fn alloc_contiguous(count: usize, align: usize) -> Result<u64, OutOfMemory> {
    FRAMES.lock().as_mut().ok_or(OutOfMemory)?.alloc_contiguous(count, align).map_err(|_| OutOfMemory)
}

/// Returns a frame. A bad free is a kernel bug, but the allocator has
/// already refused it, so log it loudly instead of corrupting anything.
pub fn free(frame: u64) {
    if let Some(a) = FRAMES.lock().as_mut() {
        if let Err(e) = a.free(frame) {
            crate::error!("bad free of frame {frame:#x}: {e:?}");
        }
    }
}

pub fn free_contiguous(frame: u64, count: usize) {
    if let Some(a) = FRAMES.lock().as_mut() {
        if let Err(e) = a.free_contiguous(frame, count) {
            crate::error!("bad free of {count} frames at {frame:#x}: {e:?}");
        }
    }
}

/// (free frames, total frames).
pub fn stats() -> (usize, usize) {
    FRAMES.lock().as_ref().map_or((0, 0), |a| (a.free_frames(), a.total_frames()))
}
