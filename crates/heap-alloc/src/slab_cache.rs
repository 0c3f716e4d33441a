//! The slabs of one size class.
//!
//! A slab is a block from the free list, `slab_size` bytes and aligned to
//! that, holding a [`SlabHeader`] followed by equal objects. Objects are
//! handed out in two ways: first from the slab's list of freed objects, then
//! by carving the next never-used object off the end, so a new slab is ready
//! in O(1) without threading all its objects onto a list.
//!
//! Slabs with some free objects and some in use sit on the *partial* list;
//! full slabs sit on no list and are found again through the address of an
//! object being freed. A slab that becomes empty is kept as the class's one
//! *spare* (so that an alloc/free pair at a slab boundary does not split and
//! merge free-list blocks every time) or, if there already is a spare, goes
//! back to the free list at once. The heap also reclaims the spares before it
//! reports running out of memory, so empty slabs never cause a failure.

use core::ptr::NonNull;

use crate::size_class::SizeClass;

/// Bookkeeping at the start of every slab.
#[derive(Clone, Copy)]
#[repr(C)]
struct SlabHeader {
    /// Neighbours on the partial list.
    prev: Option<NonNull<SlabHeader>>,
    next: Option<NonNull<SlabHeader>>,
    /// Objects freed since they were carved, linked through their first word.
    free_objects: Option<NonNull<FreeObject>>,
    /// Objects handed out and not yet freed.
    in_use: u32,
    /// Objects `0..carved` have been handed out at least once; the rest have
    /// never been touched.
    carved: u32,
}

/// The first word of a freed object.
#[repr(C)]
struct FreeObject {
    next: Option<NonNull<FreeObject>>,
}

/// Bytes the header occupies at the start of each slab.
pub(crate) const SLAB_HEADER_SIZE: usize = core::mem::size_of::<SlabHeader>();

// A freed object must hold its link, and slab starts must suit the header.
const _: () = assert!(core::mem::size_of::<FreeObject>() <= 16);
const _: () = assert!(core::mem::align_of::<FreeObject>() <= 16);
const _: () = assert!(core::mem::align_of::<SlabHeader>() <= 4096);

/// The slabs of one size class.
///
/// Invariants (relied on by every `unsafe` block in this file):
/// - every slab reachable from `partial` or `spare` is a block of
///   `class.slab_size()` bytes, aligned to that, owned by this cache and
///   starting with an initialised header; so is the slab of every object this
///   cache has handed out and not yet had back;
/// - in each slab, `in_use` counts objects handed out and not freed; every
///   other object below `carved` is on `free_objects`, exactly once;
/// - `partial` holds exactly the slabs with `0 < in_use < objects_per_slab`,
///   doubly linked; full slabs and the spare are on no list;
/// - the spare has `in_use == 0`, `carved == 0` and no free objects;
/// - `slab_count` counts all slabs, the spare included.
pub(crate) struct SlabCache {
    class: SizeClass,
    partial: Option<NonNull<SlabHeader>>,
    spare: Option<NonNull<SlabHeader>>,
    slab_count: usize,
}

impl SlabCache {
    pub(crate) const fn new(class: SizeClass) -> Self {
        Self { class, partial: None, spare: None, slab_count: 0 }
    }

    pub(crate) fn class(&self) -> SizeClass {
        self.class
    }

    /// Bytes held by this cache's slabs, whether their objects are used or not.
    pub(crate) fn slab_bytes(&self) -> usize {
        self.slab_count * self.class.slab_size()
    }

    /// An object from a slab the cache already has, or `None` if every slab
    /// is full and there is no spare (the caller then fetches a block and
    /// calls [`alloc_from_new_slab`](Self::alloc_from_new_slab)).
    pub(crate) fn alloc(&mut self) -> Option<NonNull<u8>> {
        if self.partial.is_none() {
            let spare = self.spare.take()?;
            self.push_partial(spare);
        }
        let slab = self.partial?;
        Some(self.take_object(slab))
    }

    /// Makes `memory` a new slab of this cache and returns an object from it.
    ///
    /// # Safety
    /// `memory` must be `class.slab_size()` bytes, aligned to that, valid for
    /// reads and writes and handed over to this cache until it gives the
    /// block back (from [`dealloc`](Self::dealloc) or
    /// [`release_spare`](Self::release_spare)).
    pub(crate) unsafe fn alloc_from_new_slab(&mut self, memory: NonNull<u8>) -> NonNull<u8> {
        debug_assert_eq!(memory.addr().get() % self.class.slab_size(), 0);
        let slab = memory.cast::<SlabHeader>();
        let header = SlabHeader { prev: None, next: None, free_objects: None, in_use: 0, carved: 0 };
        // SAFETY: the caller hands us the block; it is aligned far beyond the
        // header's needs and larger than the header.
        unsafe { slab.as_ptr().write(header) };
        self.slab_count += 1;
        self.push_partial(slab);
        self.take_object(slab)
    }

    /// Takes back an object. Returns the slab's block if the slab became
    /// empty and is not kept as the spare; the caller gives it to the free
    /// list.
    ///
    /// # Panics
    /// On some double frees (the object is the last one freed in its slab,
    /// or its slab has nothing in use), which would otherwise corrupt the
    /// slab's free list.
    ///
    /// # Safety
    /// `object` must have come from [`alloc`](Self::alloc) or
    /// [`alloc_from_new_slab`](Self::alloc_from_new_slab) on this cache, and
    /// not have been given back since. The caller must not use it afterwards.
    pub(crate) unsafe fn dealloc(&mut self, object: NonNull<u8>) -> Option<NonNull<u8>> {
        let slab_size = self.class.slab_size();
        let slab = object.map_addr(|addr| {
            // The slab start is below the object, inside memory we own, so
            // it is not zero; the fallback is unreachable.
            core::num::NonZeroUsize::new(addr.get() & !(slab_size - 1)).unwrap_or(addr)
        });
        debug_assert_eq!(
            (object.addr().get() - slab.addr().get()) % self.class.object_size(),
            self.class.first_object_offset() % self.class.object_size(),
            "pointer is not at an object boundary"
        );
        let slab = slab.cast::<SlabHeader>();
        let capacity = self.class.objects_per_slab() as u32;
        // SAFETY: the caller promises `object` came from this cache, so its
        // slab is one of ours with an initialised header.
        let header = unsafe { slab.as_ptr().read() };
        assert!(header.in_use > 0, "heap object {object:p} freed twice");
        assert!(header.free_objects != Some(object.cast()), "heap object {object:p} freed twice");
        let freed = object.cast::<FreeObject>();
        // SAFETY: the object is ours again and at least 16 bytes, aligned to 16.
        unsafe { freed.as_ptr().write(FreeObject { next: header.free_objects }) };
        let in_use = header.in_use - 1;
        // SAFETY: `slab` is one of ours (see above).
        unsafe {
            (*slab.as_ptr()).free_objects = Some(freed);
            (*slab.as_ptr()).in_use = in_use;
        }
        let was_full = header.in_use == capacity;
        if in_use > 0 {
            if was_full {
                self.push_partial(slab);
            }
            return None;
        }
        if !was_full {
            self.unlink_partial(slab);
        }
        if self.spare.is_none() {
            let fresh = SlabHeader { prev: None, next: None, free_objects: None, in_use: 0, carved: 0 };
            // SAFETY: `slab` is one of ours and has no object in use.
            unsafe { slab.as_ptr().write(fresh) };
            self.spare = Some(slab);
            None
        } else {
            self.slab_count -= 1;
            Some(slab.cast())
        }
    }

    /// Gives up the spare slab, if any, returning its block.
    pub(crate) fn release_spare(&mut self) -> Option<NonNull<u8>> {
        let spare = self.spare.take()?;
        self.slab_count -= 1;
        Some(spare.cast())
    }

    /// Hands out one object of `slab`, which must be on the partial list or
    /// about to join it, and takes the slab off the list if it fills.
    fn take_object(&mut self, slab: NonNull<SlabHeader>) -> NonNull<u8> {
        // SAFETY: `slab` is one of ours (the callers got it from the partial
        // list or just initialised it).
        let header = unsafe { slab.as_ptr().read() };
        let capacity = self.class.objects_per_slab() as u32;
        debug_assert!(header.in_use < capacity);
        let (object, free_objects, carved) = match header.free_objects {
            Some(free) => {
                // SAFETY: objects on the slab's free list are ours and start
                // with a link written when they were freed.
                let next = unsafe { free.as_ptr().read() }.next;
                (free.cast::<u8>(), next, header.carved)
            }
            None => {
                // Every carved object is in use, so `carved < capacity`.
                let offset = self.class.first_object_offset() + header.carved as usize * self.class.object_size();
                let object = slab.cast::<u8>().map_addr(|addr| addr.saturating_add(offset));
                (object, None, header.carved + 1)
            }
        };
        let in_use = header.in_use + 1;
        // SAFETY: `slab` is one of ours.
        unsafe {
            (*slab.as_ptr()).free_objects = free_objects;
            (*slab.as_ptr()).carved = carved;
            (*slab.as_ptr()).in_use = in_use;
        }
        if in_use == capacity {
            self.unlink_partial(slab);
        }
        object
    }

    /// Puts `slab` at the front of the partial list.
    fn push_partial(&mut self, slab: NonNull<SlabHeader>) {
        let old_head = self.partial;
        // SAFETY: `slab` and the old head are ours (invariant).
        unsafe {
            (*slab.as_ptr()).prev = None;
            (*slab.as_ptr()).next = old_head;
            if let Some(old_head) = old_head {
                (*old_head.as_ptr()).prev = Some(slab);
            }
        }
        self.partial = Some(slab);
    }

    /// Takes `slab`, which is on the partial list, off it.
    fn unlink_partial(&mut self, slab: NonNull<SlabHeader>) {
        // SAFETY: `slab` and its neighbours are ours (invariant).
        unsafe {
            let SlabHeader { prev, next, .. } = slab.as_ptr().read();
            match prev {
                Some(prev) => (*prev.as_ptr()).next = next,
                None => self.partial = next,
            }
            if let Some(next) = next {
                (*next.as_ptr()).prev = prev;
            }
            (*slab.as_ptr()).prev = None;
            (*slab.as_ptr()).next = None;
        }
    }

    /// Slabs on the partial list (tests only).
    #[cfg(test)]
    pub(crate) fn partial_count(&self) -> usize {
        let mut count = 0;
        let mut cursor = self.partial;
        while let Some(slab) = cursor {
            count += 1;
            // SAFETY: slabs on the partial list are ours.
            cursor = unsafe { slab.as_ptr().read() }.next;
        }
        count
    }

    /// Whether the cache holds a spare slab (tests only).
    #[cfg(test)]
    pub(crate) fn has_spare(&self) -> bool {
        self.spare.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_memory::TestMemory;
    use std::collections::HashSet;
    use std::vec::Vec;

    const CLASS_48: SizeClass = SizeClass::from_index(2);

    /// Fills slabs from `memory` (one slab-sized piece at a time) until
    /// `count` objects are out.
    fn allocate(cache: &mut SlabCache, memory: &TestMemory, slabs_used: &mut usize, count: usize) -> Vec<NonNull<u8>> {
        (0..count)
            .map(|_| {
                cache.alloc().unwrap_or_else(|| {
                    let block = memory.at(*slabs_used * cache.class.slab_size());
                    *slabs_used += 1;
                    // SAFETY: each slab-sized, slab-aligned piece of `memory` is handed over once.
                    unsafe { cache.alloc_from_new_slab(block) }
                })
            })
            .collect()
    }

    #[test]
    fn objects_are_distinct_aligned_and_inside_their_slab() {
        let class = CLASS_48;
        let memory = TestMemory::new(4 * class.slab_size(), class.slab_size());
        let mut cache = SlabCache::new(class);
        let mut slabs_used = 0;
        let per_slab = class.objects_per_slab();
        let objects = allocate(&mut cache, &memory, &mut slabs_used, 3 * per_slab + 1);
        assert_eq!(slabs_used, 4);
        assert_eq!(cache.slab_bytes(), 4 * class.slab_size());
        assert_eq!(cache.partial_count(), 1, "three full slabs and one partial");
        let mut seen = HashSet::new();
        for object in &objects {
            let offset = object.addr().get() - memory.addr();
            let within_slab = offset % class.slab_size();
            assert!(within_slab >= class.first_object_offset());
            assert!(within_slab + class.object_size() <= class.slab_size());
            assert_eq!(object.addr().get() % class.object_align(), 0);
            assert!(seen.insert(object.addr()), "object handed out twice");
        }
    }

    #[test]
    fn freed_objects_are_reused_before_new_slabs() {
        let class = CLASS_48;
        let memory = TestMemory::new(2 * class.slab_size(), class.slab_size());
        let mut cache = SlabCache::new(class);
        let mut slabs_used = 0;
        let objects = allocate(&mut cache, &memory, &mut slabs_used, class.objects_per_slab());
        assert_eq!(cache.partial_count(), 0, "the one slab is full");
        // SAFETY: handed out by this cache and given back once.
        assert_eq!(unsafe { cache.dealloc(objects[5]) }, None);
        assert_eq!(cache.partial_count(), 1, "a full slab rejoins the partial list");
        assert_eq!(cache.alloc(), Some(objects[5]));
        assert_eq!(cache.alloc(), None, "full again, and no spare");
        assert_eq!(slabs_used, 1);
    }

    #[test]
    fn empty_slabs_become_the_spare_then_go_back() {
        let class = CLASS_48;
        let per_slab = class.objects_per_slab();
        let memory = TestMemory::new(2 * class.slab_size(), class.slab_size());
        let mut cache = SlabCache::new(class);
        let mut slabs_used = 0;
        let objects = allocate(&mut cache, &memory, &mut slabs_used, 2 * per_slab);
        let mut returned = Vec::new();
        for object in objects {
            // SAFETY: handed out by this cache and given back once.
            returned.extend(unsafe { cache.dealloc(object) });
        }
        assert!(cache.has_spare());
        assert_eq!(returned, [memory.at(class.slab_size())], "the second slab went back");
        assert_eq!(cache.slab_bytes(), class.slab_size());
        assert_eq!(cache.partial_count(), 0);
        // The spare serves the next allocation, from its first object again.
        let object = cache.alloc().unwrap();
        assert_eq!(object, memory.at(class.first_object_offset()));
        assert!(!cache.has_spare());
        // SAFETY: as above.
        assert_eq!(unsafe { cache.dealloc(object) }, None);
        assert_eq!(cache.release_spare(), Some(memory.at(0)));
        assert_eq!(cache.release_spare(), None);
        assert_eq!(cache.slab_bytes(), 0);
    }

    #[test]
    fn partial_list_survives_removal_from_the_middle() {
        let class = SizeClass::from_index(13); // 2048-byte objects, 15 per slab
        let per_slab = class.objects_per_slab();
        let memory = TestMemory::new(3 * class.slab_size(), class.slab_size());
        let mut cache = SlabCache::new(class);
        let mut slabs_used = 0;
        let objects = allocate(&mut cache, &memory, &mut slabs_used, 3 * per_slab);
        // Free one object of each slab: all three join the partial list.
        for slab in 0..3 {
            // SAFETY: handed out by this cache and given back once.
            unsafe { cache.dealloc(objects[slab * per_slab]) };
        }
        assert_eq!(cache.partial_count(), 3);
        // Slab 1 joined second, so it sits in the middle of the list. Empty
        // it: it must leave the list and the other two stay linked.
        for object in &objects[per_slab + 1..2 * per_slab] {
            // SAFETY: as above.
            unsafe { cache.dealloc(*object) };
        }
        assert_eq!(cache.partial_count(), 2);
        assert!(cache.has_spare());
        // The two remaining partial slabs each have exactly one free object.
        assert!(cache.alloc().is_some());
        assert!(cache.alloc().is_some());
        assert_eq!(cache.partial_count(), 0);
    }

    #[test]
    #[should_panic(expected = "freed twice")]
    fn immediate_double_free_panics() {
        let class = CLASS_48;
        let memory = TestMemory::new(class.slab_size(), class.slab_size());
        let mut cache = SlabCache::new(class);
        let mut slabs_used = 0;
        let objects = allocate(&mut cache, &memory, &mut slabs_used, 2);
        // SAFETY: deliberately wrong, to see the check fire; the slab stays
        // valid memory throughout.
        unsafe {
            cache.dealloc(objects[1]);
            cache.dealloc(objects[1]);
        }
    }
}
