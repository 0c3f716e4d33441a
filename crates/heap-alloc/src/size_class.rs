//! Size classes for small allocations, and the geometry of their slabs.
//!
//! Classes step by about 1.5x (16, 32, 48, 64, 96, ...), so rounding a
//! request up to its class wastes at most about a third, where power-of-two
//! classes could waste half.
//!
//! Objects are laid out back to back from an offset that is a multiple of the
//! class's *natural alignment*, the largest power of two dividing its size
//! (16 for 48, 32 for 96, 2048 for 2048). Every object is therefore aligned
//! to that, and a layout goes to the smallest class that is both big enough
//! and aligned enough.
//!
//! A slab is a power-of-two block, aligned to its own size, so that the slab
//! holding an object is found by masking the object's address. It is at
//! least a page and at least 16 objects' worth, which bounds the space lost to
//! the header and the tail at about one object in sixteen.

use core::alloc::Layout;

use crate::slab_cache::SLAB_HEADER_SIZE;

/// Object sizes of the classes, smallest first.
const OBJECT_SIZES: [usize; CLASS_COUNT] = [16, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048];

/// Number of size classes.
pub(crate) const CLASS_COUNT: usize = 14;

/// The largest request served by a size class; bigger ones go to the free list.
pub(crate) const LARGEST_SMALL_SIZE: usize = OBJECT_SIZES[CLASS_COUNT - 1];

/// Smallest slab, in bytes: one page.
const MIN_SLAB_SIZE: usize = 4096;

/// Slabs hold at least this many objects' worth of bytes.
const SLAB_OBJECTS_TARGET: usize = 16;

/// One size class, by index into [`OBJECT_SIZES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SizeClass(usize);

impl SizeClass {
    /// The class with index `index`; panics (at compile time, in the const
    /// table that uses it) if `index >= CLASS_COUNT`.
    pub(crate) const fn from_index(index: usize) -> Self {
        assert!(index < CLASS_COUNT);
        Self(index)
    }

    /// The smallest class whose objects are at least as big and as aligned as
    /// `layout` asks, or `None` if the layout needs the free list. Zero-size
    /// layouts are the caller's business and are treated here as size one.
    pub(crate) fn for_layout(layout: Layout) -> Option<Self> {
        if layout.size() > LARGEST_SMALL_SIZE {
            return None;
        }
        // The smallest class big enough, from a table (this is on every
        // allocation); then up from there while not aligned enough.
        let first = SMALLEST_FOR_GRANULES[layout.size().div_ceil(GRANULE)] as usize;
        (first..CLASS_COUNT).map(Self).find(|class| class.object_align() >= layout.align())
    }

    pub(crate) fn index(self) -> usize {
        self.0
    }

    /// Bytes per object.
    pub(crate) const fn object_size(self) -> usize {
        OBJECT_SIZES[self.0]
    }

    /// Alignment every object of the class has: the largest power of two
    /// dividing the object size.
    pub(crate) const fn object_align(self) -> usize {
        1 << self.object_size().trailing_zeros()
    }

    /// Bytes per slab, which is also the slab's alignment.
    pub(crate) const fn slab_size(self) -> usize {
        GEOMETRY[self.0].slab_size
    }

    /// Offset of the first object from the slab's start.
    pub(crate) const fn first_object_offset(self) -> usize {
        GEOMETRY[self.0].first_object_offset
    }

    /// Objects that fit in one slab.
    pub(crate) const fn objects_per_slab(self) -> usize {
        GEOMETRY[self.0].objects_per_slab
    }

    const fn compute_slab_size(self) -> usize {
        let wanted = self.object_size() * SLAB_OBJECTS_TARGET;
        if wanted < MIN_SLAB_SIZE {
            MIN_SLAB_SIZE
        } else {
            wanted.next_power_of_two()
        }
    }

    /// Past the header, rounded up to the object alignment.
    const fn compute_first_object_offset(self) -> usize {
        SLAB_HEADER_SIZE.next_multiple_of(self.object_align())
    }
}

use crate::granule::GRANULE;

/// A class's slab geometry, worked out once at compile time (it is
/// consulted on every allocation and free).
#[derive(Clone, Copy)]
struct Geometry {
    slab_size: usize,
    first_object_offset: usize,
    objects_per_slab: usize,
}

const GEOMETRY: [Geometry; CLASS_COUNT] = {
    let mut g = [Geometry { slab_size: 0, first_object_offset: 0, objects_per_slab: 0 }; CLASS_COUNT];
    let mut i = 0;
    while i < CLASS_COUNT {
        let class = SizeClass(i);
        let slab_size = class.compute_slab_size();
        let first_object_offset = class.compute_first_object_offset();
        g[i] = Geometry {
            slab_size,
            first_object_offset,
            objects_per_slab: (slab_size - first_object_offset) / class.object_size(),
        };
        i += 1;
    }
    g
};

/// For a size of n granules, the smallest class at least that big.
const SMALLEST_FOR_GRANULES: [u8; LARGEST_SMALL_SIZE / GRANULE + 1] = {
    let mut t = [0u8; LARGEST_SMALL_SIZE / GRANULE + 1];
    let mut n = 0;
    while n < t.len() {
        let mut class = 0;
        while OBJECT_SIZES[class] < n * GRANULE {
            class += 1;
        }
        t[n] = class as u8;
        n += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> impl Iterator<Item = SizeClass> {
        (0..CLASS_COUNT).map(SizeClass::from_index)
    }

    #[test]
    fn the_class_table_picks_the_smallest_class_big_and_aligned_enough() {
        for size in 0..=LARGEST_SMALL_SIZE + 1 {
            for align in (0..13).map(|s| 1usize << s) {
                let layout = Layout::from_size_align(size, align).unwrap();
                let slow = if size > LARGEST_SMALL_SIZE {
                    None
                } else {
                    all().find(|c| c.object_size() >= size.max(1) && c.object_align() >= align)
                };
                assert_eq!(SizeClass::for_layout(layout), slow, "{layout:?}");
            }
        }
    }

    #[test]
    fn sizes_increase_and_are_granule_multiples() {
        for pair in OBJECT_SIZES.windows(2) {
            assert!(pair[0] < pair[1]);
        }
        assert!(OBJECT_SIZES.iter().all(|size| size % crate::granule::GRANULE == 0));
    }

    #[test]
    fn slab_geometry_is_sound_for_every_class() {
        for class in all() {
            let slab = class.slab_size();
            assert!(slab.is_power_of_two() && slab >= 4096, "{class:?}");
            assert!(class.first_object_offset() >= SLAB_HEADER_SIZE, "{class:?}");
            assert_eq!(class.first_object_offset() % class.object_align(), 0, "{class:?}");
            let objects = class.objects_per_slab();
            assert!(objects >= 15, "{class:?} holds only {objects}");
            let used = class.first_object_offset() + objects * class.object_size();
            assert!(used <= slab, "{class:?} overflows its slab");
            // Less than a sixth of the slab is lost to header and tail.
            assert!((slab - objects * class.object_size()) * 6 < slab, "{class:?} wastes too much");
            // The object count must fit the header's u32 counters.
            assert!(u32::try_from(objects).is_ok());
        }
    }

    #[test]
    fn natural_alignment_is_the_largest_power_of_two_divisor() {
        let aligns: [usize; CLASS_COUNT] = [16, 32, 16, 64, 32, 128, 64, 256, 128, 512, 256, 1024, 512, 2048];
        for (class, expected) in all().zip(aligns) {
            assert_eq!(class.object_align(), expected);
        }
    }

    #[test]
    fn for_layout_picks_the_smallest_fitting_class() {
        let class =
            |size, align| SizeClass::for_layout(Layout::from_size_align(size, align).unwrap()).map(|c| c.object_size());
        assert_eq!(class(1, 1), Some(16));
        assert_eq!(class(17, 8), Some(32));
        assert_eq!(class(40, 16), Some(48));
        assert_eq!(class(40, 32), Some(64));
        assert_eq!(class(100, 64), Some(128));
        assert_eq!(class(2048, 2048), Some(2048));
        assert_eq!(class(16, 4096), None, "no class is page aligned");
        assert_eq!(class(2049, 1), None);
    }

    #[test]
    fn for_layout_agrees_with_brute_force() {
        for size in 1..=LARGEST_SMALL_SIZE + 1 {
            for align in (0..14).map(|shift| 1usize << shift) {
                let Ok(layout) = Layout::from_size_align(size, align) else {
                    continue;
                };
                let fits = |c: &SizeClass| c.object_size() >= size && c.object_align() >= align;
                let expected = all().filter(fits).min_by_key(|c| c.object_size());
                assert_eq!(SizeClass::for_layout(layout), expected, "size {size} align {align}");
            }
        }
    }
}
