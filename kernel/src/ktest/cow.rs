//! Copy-on-write after fork, on real page tables and frames: what each
//! side reads after the other writes, and, through the free-frame count,
//! that a private page is copied exactly when a side writes it while it
//! is still shared (and not when it already has it alone), that shared
//! mappings stay shared, and that tearing both sides down returns every
//! frame.

use super::TestResult;
use crate::check;
use crate::mm::{frames, Backing, Mm, SharedPages, Vma};
use alloc::string::String;
use alloc::sync::Arc;
use kernel_ops::Protection;

const PAGE: u64 = 4096;
/// Where the test regions go: any user address will do in a fresh space.
const BASE: u64 = 0x4000_0000;

fn free() -> usize {
    frames::stats().0
}

/// A fresh address space with `pages` read-write pages at BASE.
fn space_with(backing: Backing, pages: u64) -> Result<Arc<Mm>, String> {
    let mm = Mm::new().map_err(|_| String::from("no memory for an address space"))?;
    let prot = Protection { read: true, write: true, execute: false };
    mm.lock()
        .insert(BASE, Vma { end: BASE + pages * PAGE, prot, backing, pgoff: 0, is_stack: false, grows_down: false });
    Ok(mm)
}

fn write(mm: &Mm, addr: u64, data: &[u8]) -> Result<(), String> {
    mm.copy_out(addr, data).map_err(|e| alloc::format!("write at {addr:#x}: {e:?}"))
}

fn read8(mm: &Mm, addr: u64) -> Result<[u8; 8], String> {
    let mut buf = [0u8; 8];
    mm.copy_in(addr, &mut buf).map_err(|e| alloc::format!("read at {addr:#x}: {e:?}"))?;
    Ok(buf)
}

/// Heap growth takes frames and never gives them back; growing it now,
/// before the counts are taken, keeps it out of them.
fn settle_heap() {
    drop(alloc::vec::Vec::<u64>::with_capacity(32 * 1024));
}

/// A private page after fork: reading it copies nothing; the first side to
/// write gets its own copy (one frame), the other side then owns the
/// original alone and writes it in place (no frame); neither side ever
/// sees the other's writes; and with both spaces gone every frame is back.
pub fn fork_copies_private_page_on_first_write() -> TestResult {
    settle_heap();
    let start = free();
    {
        let parent = space_with(Backing::Anonymous, 2)?;
        write(&parent, BASE, b"parent-0")?;
        write(&parent, BASE + PAGE, b"parent-1")?;
        let child = parent.fork().map_err(|_| String::from("fork: out of memory"))?;
        let forked = free();

        check!(read8(&child, BASE)? == *b"parent-0", "the child does not see the parent's page");
        check!(free() == forked, "reading a shared page allocated {} frames", forked as i64 - free() as i64);

        write(&child, BASE, b"child-0!")?;
        check!(free() == forked - 1, "the child's write took {} frames, not one copy", forked as i64 - free() as i64);
        check!(read8(&parent, BASE)? == *b"parent-0", "the child's write reached the parent");
        check!(read8(&child, BASE)? == *b"child-0!");

        // The parent is the original's only user now: written in place.
        write(&parent, BASE, b"PARENT-0")?;
        check!(free() == forked - 1, "writing a page no longer shared copied it");
        check!(read8(&child, BASE)? == *b"child-0!", "the parent's write reached the child");

        // The other page is still shared; this time the parent writes first.
        write(&parent, BASE + PAGE, b"PARENT-1")?;
        check!(free() == forked - 2, "the parent's write to a shared page did not copy it");
        check!(read8(&child, BASE + PAGE)? == *b"parent-1", "the parent's write reached the child");
        write(&child, BASE + PAGE, b"child-1!")?;
        check!(free() == forked - 2, "the child copied a page it owned alone");
        check!(read8(&parent, BASE + PAGE)? == *b"PARENT-1");
        drop(child);
        check!(read8(&parent, BASE)? == *b"PARENT-0", "the parent's pages went with the child");
    }
    check!(free() == start, "{} frames not returned after both spaces went", start as i64 - free() as i64);
    Ok(())
}

/// A shared anonymous mapping is not copy-on-write: after fork a write
/// from either side is seen by the other, and no frame is copied.
pub fn fork_keeps_shared_mapping_shared() -> TestResult {
    settle_heap();
    let start = free();
    {
        let parent = space_with(Backing::Shared(SharedPages::new()), 1)?;
        write(&parent, BASE, b"before!!")?;
        let child = parent.fork().map_err(|_| String::from("fork: out of memory"))?;
        let forked = free();
        write(&child, BASE, b"from-kid")?;
        check!(read8(&parent, BASE)? == *b"from-kid", "the child's write to a shared page is not seen");
        write(&parent, BASE, b"from-dad")?;
        check!(read8(&child, BASE)? == *b"from-dad", "the parent's write to a shared page is not seen");
        check!(free() == forked, "writes to a shared page took {} frames", forked as i64 - free() as i64);
    }
    check!(free() == start, "{} frames not returned", start as i64 - free() as i64);
    Ok(())
}
