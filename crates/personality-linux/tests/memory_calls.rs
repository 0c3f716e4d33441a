//! Memory calls against the fake core: mmap's protection and flag words
//! turned into the core's, MAP_SHARED_VALIDATE and MAP_LOCKED, mprotect,
//! munmap, brk, mremap's flags, msync's flags, madvise's advice and range
//! checks, munlock's page rounding, and futex's operations, timeouts and
//! counts (crates/personality-linux/src/sys/memory.rs, memlock.rs, futex.rs).

mod fake_core;

use fake_core::proc_state::MmapCall;
use fake_core::{FakeCore, MEM_BASE};
use kernel_ops::{Clock, MapFlags, MemoryRegion, Protection};

const MMAP: u64 = 9;
const MPROTECT: u64 = 10;
const MUNMAP: u64 = 11;
const BRK: u64 = 12;
const MREMAP: u64 = 25;
const MSYNC: u64 = 26;
const MADVISE: u64 = 28;
const MUNLOCK: u64 = 150;
const MUNLOCKALL: u64 = 152;
const FUTEX: u64 = 202;

const EACCES: i64 = 13;
const EFAULT: i64 = 14;
const EINVAL: i64 = 22;
const ENOMEM: i64 = 12;
const ENOSYS: i64 = 38;
const EOPNOTSUPP: i64 = 95;
const ETIMEDOUT: i64 = 110;

const PROT_READ: u64 = 1;
const PROT_WRITE: u64 = 2;
const PROT_EXEC: u64 = 4;
const MAP_SHARED: u64 = 1;
const MAP_PRIVATE: u64 = 2;
const MAP_SHARED_VALIDATE: u64 = 3;
const MAP_FIXED: u64 = 0x10;
const MAP_ANONYMOUS: u64 = 0x20;
const MAP_GROWSDOWN: u64 = 0x100;
const MAP_LOCKED: u64 = 0x2000;
const MAP_NORESERVE: u64 = 0x4000;
const MAP_POPULATE: u64 = 0x8000;
const MAP_SYNC: u64 = 0x8_0000;
const MAP_FIXED_NOREPLACE: u64 = 0x10_0000;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

const RW: Protection = Protection { read: true, write: true, execute: false };

#[test]
fn mmap_decodes_protection_flags_fd_and_offset() {
    let mut k = FakeCore::new();
    let anon = MAP_PRIVATE | MAP_ANONYMOUS;
    assert_eq!(k.syscall(MMAP, [0, 0x3000, PROT_READ | PROT_WRITE, anon, u64::MAX, 0x5000]), 0x7000_0000);
    assert_eq!(
        k.syscall(MMAP, [0x4000_0000, 0x2000, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED, 5, 0x1000]),
        0x4000_0000
    );
    assert_eq!(
        k.syscall(MMAP, [0x5000_0000, 0x1000, 0, anon | MAP_FIXED_NOREPLACE | MAP_POPULATE | MAP_GROWSDOWN, 0, 0]),
        0x5000_0000
    );
    let none = MapFlags::default();
    assert_eq!(
        k.proc_state.mmaps,
        vec![
            MmapCall {
                addr: 0,
                len: 0x3000,
                prot: RW,
                flags: MapFlags { anonymous: true, ..none },
                fd: None,
                offset: 0
            },
            MmapCall {
                addr: 0x4000_0000,
                len: 0x2000,
                prot: Protection { read: true, write: false, execute: true },
                flags: MapFlags { shared: true, fixed: true, ..none },
                fd: Some(5),
                offset: 0x1000
            },
            MmapCall {
                addr: 0x5000_0000,
                len: 0x1000,
                prot: Protection::default(),
                flags: MapFlags { anonymous: true, fixed_no_replace: true, populate: true, grows_down: true, ..none },
                fd: None,
                offset: 0
            },
        ]
    );
}

#[test]
fn mmap_type_validate_and_locked() {
    let mut k = FakeCore::new();
    assert_eq!(errno(k.syscall(MMAP, [0, 0x1000, PROT_READ, MAP_ANONYMOUS, 0, 0])), EINVAL, "no mapping type");
    assert_eq!(errno(k.syscall(MMAP, [0, 0x1000, PROT_READ, 0xf | MAP_ANONYMOUS, 0, 0])), EINVAL, "type 0xf");
    assert!(k.proc_state.mmaps.is_empty());
    // MAP_SHARED_VALIDATE: an unknown flag on a file is EOPNOTSUPP; known
    // ones and anonymous mappings pass, as shared.
    assert_eq!(errno(k.syscall(MMAP, [0, 0x1000, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, 5, 0])), EOPNOTSUPP);
    assert_eq!(k.syscall(MMAP, [0, 0x1000, PROT_READ, MAP_SHARED_VALIDATE | MAP_NORESERVE, 5, 0]), 0x7000_0000);
    assert_eq!(
        k.syscall(MMAP, [0, 0x1000, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC | MAP_ANONYMOUS, 0, 0]),
        0x7000_0000
    );
    assert!(k.proc_state.mmaps.iter().all(|m| m.flags.shared));
    assert_eq!(k.proc_state.mmaps.len(), 2);
    // MAP_LOCKED locks what was mapped.
    assert_eq!(k.syscall(MMAP, [0, 0x2000, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, 0, 0]), 0x7000_0000);
    assert_eq!(k.log, vec!["lock_memory 0x70000000 0x2000 false".to_string()]);
    assert_eq!(errno(k.syscall(MMAP, [0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, 0, 0])), EINVAL, "the core's");
}

/// mmap, unlike mprotect, ignores prot bits it does not know (Linux's
/// calc_vm_prot_bits keeps read, write and execute).
#[test]
fn mmap_ignores_unknown_prot_bits() {
    let mut k = FakeCore::new();
    let anon = MAP_PRIVATE | MAP_ANONYMOUS;
    for extra in [0x8, 0x10, 0x0100_0000, 0x0200_0000, 0x8000_0000] {
        assert_eq!(k.syscall(MMAP, [0, 0x1000, PROT_READ | extra, anon, 0, 0]), 0x7000_0000, "prot bit {extra:#x}");
    }
    assert!(k.proc_state.mmaps.iter().all(|m| m.prot == Protection { read: true, write: false, execute: false }));
}

#[test]
fn mprotect_munmap_and_brk() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(MPROTECT, [0x4000_0000, 0x2000, PROT_READ | PROT_EXEC, 0, 0, 0]), 0);
    assert_eq!(k.syscall(MPROTECT, [0x4000_0000, 0x1000, 0, 0, 0, 0]), 0, "PROT_NONE");
    assert_eq!(errno(k.syscall(MPROTECT, [0x4000_0000, 0x1000, 0x10, 0, 0, 0])), EINVAL, "unknown bit");
    // Linux's order: both grow directions, alignment, an empty range (any
    // protection), a wrapping range, then the bits.
    const PROT_SEM: u64 = 0x8;
    const GROWSDOWN: u64 = 0x0100_0000;
    const GROWSUP: u64 = 0x0200_0000;
    assert_eq!(errno(k.syscall(MPROTECT, [0x4000_0000, 0, GROWSDOWN | GROWSUP, 0, 0, 0])), EINVAL, "both ways");
    assert_eq!(errno(k.syscall(MPROTECT, [0x4000_0001, 0, 0x10, 0, 0, 0])), EINVAL, "unaligned, even empty");
    assert_eq!(k.syscall(MPROTECT, [0x4000_0000, 0, 0x10, 0, 0, 0]), 0, "empty: the bits are not looked at");
    assert_eq!(errno(k.syscall(MPROTECT, [0x4000_0000, u64::MAX - 0x100, 0x10, 0, 0, 0])), ENOMEM, "wraps");
    assert_eq!(errno(k.syscall(MPROTECT, [0x4000_0000, 0x1000, 0x8000_0000, 0, 0, 0])), EINVAL, "high bit");
    assert_eq!(errno(k.syscall(MPROTECT, [0x4000_0000, 0x1000, PROT_READ | GROWSUP, 0, 0, 0])), EINVAL, "x86_64");
    assert_eq!(k.syscall(MPROTECT, [0x4000_0000, 0x1000, PROT_READ | PROT_SEM, 0, 0, 0]), 0, "PROT_SEM is known");
    assert_eq!(k.syscall(MUNMAP, [0x4000_0000, 0x3000, 0, 0, 0, 0]), 0);
    assert_eq!(
        k.proc_state.memory_log,
        vec![
            "mprotect 0x40000000 0x2000 rtrue wfalse xtrue",
            "mprotect 0x40000000 0x1000 rfalse wfalse xfalse",
            "mprotect 0x40000000 0x1000 rtrue wfalse xfalse",
            "munmap 0x40000000 0x3000"
        ]
    );
    assert_eq!(k.syscall(BRK, [0, 0, 0, 0, 0, 0]), 0x60_0000, "brk(0) asks");
    assert_eq!(k.syscall(BRK, [0x70_0000, 0, 0, 0, 0, 0]), 0x70_0000);
    assert_eq!(k.syscall(BRK, [0x1000, 0, 0, 0, 0, 0]), 0x70_0000, "refused: the old break, not an error");
}

#[test]
fn mprotect_growsdown_extends_to_the_mapping_start() {
    const GROWSDOWN: u64 = 0x0100_0000;
    let mut k = FakeCore::new();
    let start = fake_core::memory::GROWS_DOWN_START;
    let at = start + 0x2000;
    assert_eq!(k.syscall(MPROTECT, [at, 0x1000, PROT_READ | PROT_EXEC | GROWSDOWN, 0, 0, 0]), 0);
    assert_eq!(
        errno(k.syscall(MPROTECT, [0x4000_0000, 0x1000, PROT_READ | GROWSDOWN, 0, 0, 0])),
        EINVAL,
        "not growing down"
    );
    assert_eq!(
        k.proc_state.memory_log,
        vec![
            format!("grows_down_start {at:#x}"),
            format!("mprotect {start:#x} 0x3000 rtrue wfalse xtrue"),
            "grows_down_start 0x40000000".to_string(),
        ]
    );
}

#[test]
fn mremap_flags_reach_the_core() {
    const MAYMOVE: u64 = 1;
    const FIXED: u64 = 2;
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(MREMAP, [0x4000_0000, 0x1000, 0x3000, MAYMOVE, 0x5000_0000, 0]), 0x4000_0000);
    assert_eq!(k.syscall(MREMAP, [0x4000_0000, 0x1000, 0x3000, MAYMOVE | FIXED, 0x5000_0000, 0]), 0x5000_0000);
    assert_eq!(k.syscall(MREMAP, [0x4000_0000, 0x3000, 0x1000, 0, 0x5000_0000, 0]), 0x4000_0000);
    assert_eq!(
        k.proc_state.mremaps,
        vec![
            (0x4000_0000, 0x1000, 0x3000, true, None, false),
            (0x4000_0000, 0x1000, 0x3000, true, Some(0x5000_0000), false),
            (0x4000_0000, 0x3000, 0x1000, false, None, false),
        ]
    );
    assert_eq!(errno(k.syscall(MREMAP, [0x4000_0000, 0x1000, 0x3000, 8, 0, 0])), EINVAL, "unknown flag");
    assert_eq!(k.proc_state.mremaps.len(), 3);
    assert_eq!(errno(k.syscall(MREMAP, [0x4000_0000, 0x1000, 0x3000, FIXED, 0x5000_0000, 0])), EINVAL);
}

/// MREMAP_DONTUNMAP's rules are checked before the core is asked: it needs
/// MREMAP_MAYMOVE, equal lengths, and a page-aligned new address (a hint
/// without MREMAP_FIXED) not overlapping the old range.
#[test]
fn mremap_dont_unmap_rules() {
    const MAYMOVE: u64 = 1;
    const FIXED: u64 = 2;
    const DONTUNMAP: u64 = 4;
    let mut k = FakeCore::new();
    let old = 0x4000_0000;
    let refused = [
        ([old, 0x2000, 0x2000, DONTUNMAP, 0, 0], "without MREMAP_MAYMOVE"),
        ([old, 0x2000, 0x1000, DONTUNMAP | MAYMOVE, 0, 0], "shrinking"),
        ([old, 0x1000, 0x2000, DONTUNMAP | MAYMOVE, 0, 0], "growing"),
        ([old, 0x1000, 0x1000, DONTUNMAP | MAYMOVE, 0x5000_0001, 0], "unaligned hint"),
        ([old, 0x2000, 0x2000, DONTUNMAP | MAYMOVE, old + 0x1000, 0], "overlapping hint"),
        ([old, 0x2000, 0x2000, DONTUNMAP | MAYMOVE | FIXED, old, 0], "onto itself"),
        ([old + 1, 0x1000, 0x1000, DONTUNMAP | MAYMOVE, 0, 0], "unaligned old address"),
        ([old, 0x1000, 0x1000, DONTUNMAP | MAYMOVE | 8, 0, 0], "unknown flag"),
    ];
    for (args, what) in refused {
        assert_eq!(errno(k.syscall(MREMAP, args)), EINVAL, "{what}");
    }
    assert!(k.proc_state.mremaps.is_empty(), "none reached the core");
    assert_eq!(k.syscall(MREMAP, [old, 0x1800, 0x2000, DONTUNMAP | MAYMOVE, 0, 0]), old, "lengths equal once rounded");
    assert_eq!(k.syscall(MREMAP, [old, 0x2000, 0x2000, DONTUNMAP | MAYMOVE | FIXED, 0x5000_0000, 0]), 0x5000_0000);
    assert_eq!(
        k.proc_state.mremaps,
        vec![(old, 0x1800, 0x2000, true, None, true), (old, 0x2000, 0x2000, true, Some(0x5000_0000), true)]
    );
}

#[test]
fn msync_flags() {
    const MS_ASYNC: u64 = 1;
    const MS_INVALIDATE: u64 = 2;
    const MS_SYNC: u64 = 4;
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(MSYNC, [0x4000_0000, 0x1000, MS_SYNC, 0, 0, 0]), 0);
    assert_eq!(k.syscall(MSYNC, [0x4000_0000, 0x2000, MS_ASYNC | MS_INVALIDATE, 0, 0, 0]), 0);
    assert_eq!(k.syscall(MSYNC, [0x4000_0000, 0x2000, 0, 0, 0, 0]), 0, "no flags is allowed");
    assert_eq!(errno(k.syscall(MSYNC, [0x4000_0000, 0x1000, MS_ASYNC | MS_SYNC, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(MSYNC, [0x4000_0000, 0x1000, 8, 0, 0, 0])), EINVAL);
    assert_eq!(errno(k.syscall(MSYNC, [0x4000_0010, 0x1000, MS_SYNC, 0, 0, 0])), EINVAL, "unaligned");
    assert_eq!(
        k.proc_state.memory_log,
        vec!["sync 0x40000000 0x1000 false", "sync 0x40000000 0x2000 true", "sync 0x40000000 0x2000 false"]
    );
}

fn region(start: u64, end: u64, file: bool, shared: bool, locked: bool) -> MemoryRegion {
    MemoryRegion { start, end, file, shared, locked }
}

#[test]
fn madvise_checks_advice_and_range_then_acts_per_region() {
    const DONTNEED: u64 = 4;
    const FREE: u64 = 8;
    const REMOVE: u64 = 9;
    const MERGEABLE: u64 = 12;
    const WIPEONFORK: u64 = 18;
    const KEEPONFORK: u64 = 19;
    let mut k = FakeCore::new();
    k.proc_state.regions = vec![
        region(0x40_0000, 0x40_2000, false, false, false),
        region(0x40_2000, 0x40_3000, true, false, false),
        region(0x40_5000, 0x40_6000, true, true, true),
    ];
    assert_eq!(errno(k.syscall(MADVISE, [0x40_0000, 0x1000, 5, 0, 0, 0])), EINVAL, "advice 5");
    assert_eq!(errno(k.syscall(MADVISE, [0x40_0000, 0x1000, MERGEABLE, 0, 0, 0])), EINVAL, "no KSM");
    assert_eq!(errno(k.syscall(MADVISE, [0x40_0010, 0x1000, DONTNEED, 0, 0, 0])), EINVAL, "unaligned");
    assert_eq!(errno(k.syscall(MADVISE, [0x40_0000, u64::MAX - 100, DONTNEED, 0, 0, 0])), EINVAL, "wraps");
    assert_eq!(k.syscall(MADVISE, [0x40_0000, 0, DONTNEED, 0, 0, 0]), 0, "empty");
    // DONTNEED drops whole regions met; the length is rounded up.
    assert_eq!(k.syscall(MADVISE, [0x40_0000, 0x2001, DONTNEED, 0, 0, 0]), 0);
    assert_eq!(k.proc_state.memory_log, vec!["discard 0x400000 0x2000", "discard 0x402000 0x1000"]);
    // A hole: what is mapped is advised, then ENOMEM.
    k.proc_state.memory_log.clear();
    assert_eq!(errno(k.syscall(MADVISE, [0x40_2000, 0x2000, DONTNEED, 0, 0, 0])), ENOMEM);
    assert_eq!(k.proc_state.memory_log, vec!["discard 0x402000 0x1000"]);
    // Per-region refusals.
    assert_eq!(errno(k.syscall(MADVISE, [0x40_5000, 0x1000, DONTNEED, 0, 0, 0])), EINVAL, "locked");
    assert_eq!(errno(k.syscall(MADVISE, [0x40_2000, 0x1000, FREE, 0, 0, 0])), EINVAL, "FREE on a file");
    assert_eq!(errno(k.syscall(MADVISE, [0x40_2000, 0x1000, REMOVE, 0, 0, 0])), EACCES, "REMOVE, private file");
    assert_eq!(errno(k.syscall(MADVISE, [0x40_0000, 0x1000, REMOVE, 0, 0, 0])), EINVAL, "REMOVE, anonymous");
    assert_eq!(errno(k.syscall(MADVISE, [0x40_2000, 0x1000, WIPEONFORK, 0, 0, 0])), EINVAL, "WIPEONFORK, file");
    k.proc_state.memory_log.clear();
    assert_eq!(k.syscall(MADVISE, [0x40_0000, 0x2000, WIPEONFORK, 0, 0, 0]), 0);
    assert_eq!(k.syscall(MADVISE, [0x40_0000, 0x2000, KEEPONFORK, 0, 0, 0]), 0);
    assert_eq!(k.syscall(MADVISE, [0x40_0000, 0x2000, 0, 0, 0, 0]), 0, "MADV_NORMAL: nothing to do");
    assert_eq!(
        k.proc_state.memory_log,
        vec!["wipe_on_fork 0x400000 0x402000 true", "wipe_on_fork 0x400000 0x402000 false"]
    );
    assert_eq!(errno(k.syscall(MADVISE, [0x90_0000, 0x1000, 0, 0, 0, 0])), ENOMEM, "nothing mapped");
}

#[test]
fn munlock_rounds_to_pages_and_munlockall_unlocks_everything() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(MUNLOCK, [0x40_0010, 0x1000, 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(MUNLOCK, [0x40_0000, 0, 0, 0, 0, 0]), 0, "nothing");
    assert_eq!(errno(k.syscall(MUNLOCK, [0x40_0000, u64::MAX - 10, 0, 0, 0, 0])), EINVAL, "wraps");
    assert_eq!(k.syscall(MUNLOCKALL, [0; 6]), 0);
    assert_eq!(k.proc_state.memory_log, vec!["unlock 0x400000 0x2000", "unlock_all"]);
}

const UADDR: u64 = MEM_BASE + 0x40;
const TS: u64 = MEM_BASE + 0x80;
const NOW: u64 = 1_700_000_000_123_456_789;

fn put_ts(k: &mut FakeCore, sec: i64, nsec: i64) {
    k.put(TS, &sec.to_le_bytes());
    k.put(TS + 8, &nsec.to_le_bytes());
}

#[test]
fn futex_wait_timeouts_and_bitsets() {
    const WAIT: u64 = 0;
    const WAIT_BITSET: u64 = 9;
    const PRIVATE: u64 = 128;
    const CLOCK_REALTIME: u64 = 256;
    let mut k = FakeCore::new();
    put_ts(&mut k, 1, 5);
    // FUTEX_WAIT: relative, on the monotonic clock, any bit.
    assert_eq!(errno(k.syscall(FUTEX, [UADDR, WAIT | PRIVATE, 42, TS, 0, 0])), ETIMEDOUT);
    assert_eq!(errno(k.syscall(FUTEX, [UADDR, WAIT, 43, 0, 0, 0])), ETIMEDOUT, "no timeout");
    // FUTEX_WAIT_BITSET: absolute, on the clock the op names.
    assert_eq!(errno(k.syscall(FUTEX, [UADDR, WAIT_BITSET, 44, TS, 0, 0x0f])), ETIMEDOUT);
    assert_eq!(errno(k.syscall(FUTEX, [UADDR, WAIT_BITSET | CLOCK_REALTIME, 45, TS, 0, 0xf0])), ETIMEDOUT);
    assert_eq!(
        k.proc_state.futex_waits,
        vec![
            (UADDR, 42, Some((Clock::Monotonic, NOW + 1_000_000_005)), u32::MAX),
            (UADDR, 43, None, u32::MAX),
            (UADDR, 44, Some((Clock::Monotonic, 1_000_000_005)), 0x0f),
            (UADDR, 45, Some((Clock::Realtime, 1_000_000_005)), 0xf0),
        ]
    );
    assert_eq!(errno(k.syscall(FUTEX, [UADDR, WAIT_BITSET, 44, TS, 0, 0])), EINVAL, "bitset 0");
    put_ts(&mut k, 0, 1_000_000_000);
    assert_eq!(errno(k.syscall(FUTEX, [UADDR, WAIT, 42, TS, 0, 0])), EINVAL, "tv_nsec a whole second");
    put_ts(&mut k, -1, 0);
    assert_eq!(errno(k.syscall(FUTEX, [UADDR, WAIT, 42, TS, 0, 0])), EINVAL, "negative");
    assert_eq!(errno(k.syscall(FUTEX, [UADDR, WAIT, 42, 8, 0, 0])), EFAULT, "timeout unreadable");
    assert_eq!(k.proc_state.futex_waits.len(), 4);
}

#[test]
fn futex_wake_and_requeue_counts() {
    const WAKE: u64 = 1;
    const REQUEUE: u64 = 3;
    const CMP_REQUEUE: u64 = 4;
    const WAKE_OP: u64 = 5;
    const WAKE_BITSET: u64 = 10;
    const PRIVATE: u64 = 128;
    const CLOCK_REALTIME: u64 = 256;
    let other = UADDR + 8;
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(FUTEX, [UADDR, WAKE | PRIVATE, 5, 0, 0, 0]), 1, "the number woken");
    assert_eq!(k.syscall(FUTEX, [UADDR, WAKE_BITSET, 5, 0, 0, 0x3]), 1);
    assert_eq!(errno(k.syscall(FUTEX, [UADDR, WAKE_BITSET, 5, 0, 0, 0])), EINVAL, "bitset 0");
    assert_eq!(k.proc_state.futex_wakes, vec![(UADDR, 5, u32::MAX), (UADDR, 5, 0x3)]);
    // REQUEUE: wake count in val, requeue count in the timeout slot.
    assert_eq!(k.syscall(FUTEX, [UADDR, REQUEUE, 1, 10, other, 0]), 3);
    assert_eq!(k.syscall(FUTEX, [UADDR, CMP_REQUEUE | PRIVATE, 0, 10, other, 77]), 2);
    assert_eq!(k.proc_state.futex_requeues, vec![(UADDR, 1, other, 10, None), (UADDR, 0, other, 10, Some(77))]);
    // Negative counts are EINVAL (futex_requeue), before the core.
    assert_eq!(errno(k.syscall(FUTEX, [UADDR, REQUEUE, u64::MAX, 1, other, 0])), EINVAL);
    assert_eq!(errno(k.syscall(FUTEX, [UADDR, CMP_REQUEUE, 1, 0xffff_ffff, other, 0])), EINVAL);
    assert_eq!(k.proc_state.futex_requeues.len(), 2);
    // FUTEX_CLOCK_REALTIME belongs to the waits only; WAKE_OP is not here.
    assert_eq!(errno(k.syscall(FUTEX, [UADDR, WAKE | CLOCK_REALTIME, 1, 0, 0, 0])), ENOSYS);
    assert_eq!(errno(k.syscall(FUTEX, [UADDR, WAKE_OP, 1, 1, other, 0])), ENOSYS);
    assert_eq!(k.proc_state.futex_wakes.len(), 2);
}
