//! Memory: mem_alloc, mem_map, mem_unmap, mem_phys, and the manifest's
//! memory limit (16384 pages).
//!
//! Memory written through one mapping is read through another of the same
//! object; a read-only capability cannot be mapped writable; DMA memory is
//! physically contiguous; a budget comes back when the last capability
//! and mapping of an object are gone. Touching unmapped memory is tested
//! in a helper task (it must die), never here.

use crate::addr::{self, window};
use crate::caps::{expect_info, EMPTY};
use crate::check;
use crate::raw;
use crate::roles;
use rt::abi::{
    CapType, Error, Rights, Syscall, TaskStatus, TaskStatusKind, ADDRESS_SPACE_SELF_SLOT as AS, MEM_DMA, PAGE_SIZE,
    PROT_EXEC, PROT_READ, PROT_WRITE, USER_END,
};
use rt::sys;

const RW: u64 = PROT_READ | PROT_WRITE;
const ALL: Rights = Rights::ALL;

/// A range of this task's own address space the suite mapped itself.
#[derive(Debug)]
pub struct Mapped {
    base: u64,
    len: u64,
    writable: bool,
}

impl Mapped {
    /// # Safety
    ///
    /// `[base, base + len)` is mapped in this task, readable (and writable
    /// if `writable`), used by nothing else (no Rust reference points
    /// there), and stays mapped while the value lives.
    pub unsafe fn new(base: u64, len: u64, writable: bool) -> Mapped {
        Mapped { base, len, writable }
    }

    pub fn base(&self) -> u64 {
        self.base
    }

    fn at(&self, off: u64, size: u64) -> u64 {
        assert!(off.is_multiple_of(size) && off + size <= self.len, "offset {off:#x} outside the mapping");
        self.base + off
    }

    pub fn read(&self, off: u64) -> u64 {
        let p = self.at(off, 8) as *const u64;
        // SAFETY: inside the mapping (checked), aligned, readable (`new`).
        unsafe { p.read_volatile() }
    }

    pub fn read32(&self, off: u64) -> u32 {
        let p = self.at(off, 4) as *const u32;
        // SAFETY: as in `read`.
        unsafe { p.read_volatile() }
    }

    pub fn write(&self, off: u64, v: u64) {
        assert!(self.writable, "write to a read-only mapping");
        let p = self.at(off, 8) as *mut u64;
        // SAFETY: inside the mapping, aligned, writable, aliased by no
        // Rust reference (`new`).
        unsafe { p.write_volatile(v) }
    }

    /// Unmaps it; nothing can use it after this.
    pub fn unmap(self) -> Result<(), Error> {
        // SAFETY: `self` is consumed, and only it used the range.
        unsafe { sys::mem_unmap(AS, self.base, self.len / PAGE_SIZE) }
    }
}

/// Maps pages of `mem` at `vaddr` (one of the suite's test windows) in
/// this task.
pub fn map(mem: u64, vaddr: u64, offset: u64, pages: u64, prot: u64) -> Result<Mapped, Error> {
    assert!((addr::WINDOWS..addr::WINDOWS + 0x8_0000_0000).contains(&vaddr), "map outside the test windows");
    sys::mem_map(AS, mem, vaddr, offset, pages, prot)?;
    // SAFETY: just mapped with `prot`, in a test window nothing else in
    // this program uses (each test has its own window).
    Ok(unsafe { Mapped::new(vaddr, pages * PAGE_SIZE, prot & PROT_WRITE != 0) })
}

pub fn run() {
    alloc_errors();
    map_and_share();
    dma();
    unmapped_access_faults();
    limit();
}

fn alloc_errors() {
    check::err("mem.alloc_0_pages", sys::mem_alloc(0, 0), Error::InvalidArgument);
    check::err("mem.alloc_65537_pages", sys::mem_alloc(65537, 0), Error::InvalidArgument);
    check::err("mem.alloc_flag_bit1", sys::mem_alloc(1, 2), Error::InvalidArgument);
    check::err("mem.alloc_flag_bit63", sys::mem_alloc(1, 1 << 63), Error::InvalidArgument);
}

const P1: u64 = 0x1111_2222_3333_4444;
const P2: u64 = 0x5555_6666_7777_8888;
const P3: u64 = 0x9999_aaaa_bbbb_cccc;
const P4: u64 = 0xdddd_eeee_ffff_0001;

fn map_and_share() {
    let Some(m) = check::ok("mem.alloc_4_pages", sys::mem_alloc(4, 0)) else { return };
    expect_info("mem.alloc_info", m, CapType::Memory, ALL, 0, 0, 4 * PAGE_SIZE);
    let Some(a) = check::ok("mem.map_rw", map(m, window(0), 0, 4, RW)) else { return };
    let nonzero = (0..4 * PAGE_SIZE / 8).find(|&i| a.read(i * 8) != 0);
    check::that("mem.fresh_memory_zeroed", nonzero.is_none(), format_args!("word {nonzero:?} is not zero"));
    let Some(b) = check::ok("mem.map_second_view", map(m, window(1), 0, 4, RW)) else { return };
    a.write(0, P1);
    a.write(3 * PAGE_SIZE + 8, P2);
    let (b0, b3) = (b.read(0), b.read(3 * PAGE_SIZE + 8));
    check::that("mem.write_a_read_b", b0 == P1 && b3 == P2, format_args!("read {b0:#x} {b3:#x}"));
    b.write(PAGE_SIZE, P3);
    check::eq("mem.write_b_read_a", a.read(PAGE_SIZE), P3);

    check::err("mem.map_busy", sys::mem_map(AS, m, window(0), 0, 1, PROT_READ), Error::Busy);
    check::err("mem.map_busy_partial", sys::mem_map(AS, m, window(0) + 3 * PAGE_SIZE, 0, 2, PROT_READ), Error::Busy);
    check::err("mem.map_over_program", sys::mem_map(AS, m, addr::READ_ONLY, 0, 1, PROT_READ), Error::Busy);

    let w6 = window(6);
    /// name, aspace, mem, vaddr, offset, pages, prot, error
    type Case = (&'static str, u64, u64, u64, u64, u64, u64, Error);
    let bad: &[Case] = &[
        ("mem.map_unaligned", AS, m, w6 + 8, 0, 1, RW, Error::InvalidArgument),
        ("mem.map_0_pages", AS, m, w6, 0, 0, RW, Error::InvalidArgument),
        ("mem.map_at_null", AS, m, 0, 0, 1, RW, Error::InvalidArgument),
        ("mem.map_below_user_min", AS, m, 0x1000, 0, 1, RW, Error::InvalidArgument),
        ("mem.map_past_user_end", AS, m, USER_END - PAGE_SIZE, 0, 2, RW, Error::InvalidArgument),
        ("mem.map_kernel_half", AS, m, addr::KERNEL, 0, 1, RW, Error::InvalidArgument),
        ("mem.map_wraps", AS, m, 0xffff_ffff_ffff_f000, 0, 2, RW, Error::InvalidArgument),
        ("mem.map_huge_pages", AS, m, w6, 0, u64::MAX, RW, Error::InvalidArgument),
        ("mem.map_offset_past_end", AS, m, w6, 3, 2, RW, Error::InvalidArgument),
        ("mem.map_offset_huge", AS, m, w6, u64::MAX, 1, RW, Error::InvalidArgument),
        ("mem.map_prot_0", AS, m, w6, 0, 1, 0, Error::InvalidArgument),
        ("mem.map_prot_bit3", AS, m, w6, 0, 1, 8 | PROT_READ, Error::InvalidArgument),
        ("mem.map_endpoint_as_memory", AS, 4, w6, 0, 1, PROT_READ, Error::WrongType),
        ("mem.map_file_as_memory", AS, 3, w6, 0, 1, PROT_READ, Error::WrongType),
        ("mem.map_task_as_aspace", 0, m, w6, 0, 1, PROT_READ, Error::WrongType),
        ("mem.map_empty_aspace", EMPTY, m, w6, 0, 1, PROT_READ, Error::InvalidCap),
        ("mem.map_empty_memory", AS, EMPTY, w6, 0, 1, PROT_READ, Error::InvalidCap),
    ];
    for &(name, aspace, mem, vaddr, offset, pages, prot, want) in bad {
        check::err(name, sys::mem_map(aspace, mem, vaddr, offset, pages, prot), want);
    }
    if let Ok(aspace_ro) = sys::cap_derive(AS, Rights::READ | Rights::DERIVE, 0, 0, 0) {
        check::err(
            "mem.map_aspace_without_write",
            sys::mem_map(aspace_ro, m, w6, 0, 1, PROT_READ),
            Error::MissingRights,
        );
        // SAFETY: fails (no WRITE on the address space); nothing is unmapped.
        let r = unsafe { sys::mem_unmap(aspace_ro, window(0), 1) };
        check::err("mem.unmap_aspace_without_write", r, Error::MissingRights);
    }
    let m_ro = sys::cap_derive(m, Rights::READ | Rights::DERIVE, 0, 0, 0);
    let m_rw = sys::cap_derive(m, Rights::READ | Rights::WRITE, 0, 0, 0);
    if let (Ok(m_ro), Ok(m_rw)) = (m_ro, m_rw) {
        check::err("mem.map_read_only_cap_writable", sys::mem_map(AS, m_ro, w6, 0, 1, RW), Error::MissingRights);
        check::err(
            "mem.map_exec_without_exec",
            sys::mem_map(AS, m_rw, w6, 0, 1, PROT_READ | PROT_EXEC),
            Error::MissingRights,
        );
        if let Some(c) = check::ok("mem.map_read_only", map(m_ro, window(2), 0, 1, PROT_READ)) {
            check::eq("mem.read_only_view_sees_data", c.read(0), P1);
            // SAFETY: both target the read-only mapping: the kernel must
            // refuse to write there, so nothing is written.
            let (rnd, info) = unsafe {
                (
                    raw(Syscall::Random.nr(), c.base(), 8, 0, 0, 0, 0),
                    raw(Syscall::CapInfo.nr(), 0, c.base(), 0, 0, 0, 0),
                )
            };
            check::err("mem.kernel_refuses_write_to_read_only", rnd, Error::BadAddress);
            check::err("mem.cap_info_into_read_only", info, Error::BadAddress);
            // Reading from it is fine: the 8 bytes of P1 as a path name
            // are read (no BadAddress) and name no file.
            // SAFETY: file_open only reads the path, from our own mapping.
            let open = unsafe { raw(Syscall::FileOpen.nr(), 3, c.base(), 8, 1, 0, 0) };
            check::err("mem.kernel_reads_read_only", open, Error::NotFound);
        }
    } else {
        check::fail("mem.derive_views", format_args!("derive failed: {m_ro:?} {m_rw:?}"));
    }
    check::ok("mem.map_exec", sys::mem_map(AS, m, window(7), 0, 1, PROT_READ | PROT_EXEC));

    // Unmapping frees the range (and is the only way to).
    check::ok("mem.unmap", b.unmap());
    match map(m, window(1), 0, 4, PROT_READ) {
        Ok(again) => {
            check::eq("mem.remap_after_unmap", again.read(0), P1);
            let _ = again.unmap();
        }
        Err(e) => {
            check::fail("mem.remap_after_unmap", format_args!("mem_map: {e:?}"));
        }
    }
    // SAFETY: nothing is mapped in window 6 (every map there failed).
    let r = unsafe { sys::mem_unmap(AS, w6, 16) };
    check::ok("mem.unmap_nothing_mapped", r);
    let nr = Syscall::MemUnmap.nr();
    // SAFETY: each is refused before anything is unmapped (bad alignment,
    // size, address, or capability).
    let bad_unmaps = unsafe {
        [
            ("mem.unmap_unaligned", raw(nr, AS, w6 + 1, 1, 0, 0, 0), Error::InvalidArgument),
            ("mem.unmap_0_pages", raw(nr, AS, w6, 0, 0, 0, 0), Error::InvalidArgument),
            ("mem.unmap_kernel_half", raw(nr, AS, addr::KERNEL, 1, 0, 0, 0), Error::InvalidArgument),
            ("mem.unmap_below_user_min", raw(nr, AS, 0, 1, 0, 0, 0), Error::InvalidArgument),
            ("mem.unmap_task_as_aspace", raw(nr, 0, w6, 1, 0, 0, 0), Error::WrongType),
            ("mem.unmap_endpoint_as_aspace", raw(nr, 4, w6, 1, 0, 0, 0), Error::WrongType),
            ("mem.unmap_empty_slot", raw(nr, EMPTY, w6, 1, 0, 0, 0), Error::InvalidCap),
        ]
    };
    for (name, got, want) in bad_unmaps {
        check::err(name, got, want);
    }

    // A derived sub-range maps only its own pages.
    if let Some(child) = check::ok("mem.derive_subrange_for_map", sys::cap_derive(m, ALL, 0, 1, 2)) {
        if let Some(d) = check::ok("mem.map_subrange", map(child, window(3), 0, 2, RW)) {
            check::eq("mem.subrange_page0_is_parent_page1", d.read(0), P3);
            d.write(PAGE_SIZE, P4);
            check::eq("mem.subrange_write_seen_by_parent", a.read(2 * PAGE_SIZE), P4);
        }
        check::err("mem.map_subrange_past_end", sys::mem_map(AS, child, w6, 1, 2, PROT_READ), Error::InvalidArgument);
    }
    // Revoking the parent's children: their tombstones refuse to map.
    if let Ok(extra) = sys::cap_derive(m, ALL, 0, 0, 0) {
        match sys::cap_revoke(m) {
            Ok(n) => {
                check::that("mem.revoke_memory_children", n >= 4, format_args!("revoked {n}, expected at least 4"))
            }
            Err(e) => check::fail("mem.revoke_memory_children", format_args!("{e:?}")),
        };
        check::err("mem.map_revoked", sys::mem_map(AS, extra, w6, 0, 1, PROT_READ), Error::Revoked);
        check::ok("mem.delete_revoked", sys::cap_delete(extra));
    }
}

fn dma() {
    let Some(d) = check::ok("mem.dma_alloc", sys::mem_alloc(4, MEM_DMA)) else { return };
    expect_info("mem.dma_info", d, CapType::Dma, ALL, 0, 0, 4 * PAGE_SIZE);
    let phys: [Result<u64, Error>; 4] = core::array::from_fn(|i| sys::mem_phys(d, i as u64));
    let Some(p0) = check::ok("mem.dma_phys", phys[0]) else { return };
    check::that("mem.dma_phys_page_aligned", p0 % PAGE_SIZE == 0 && p0 != 0, format_args!("phys {p0:#x}"));
    check::that("mem.dma_phys_below_4g", p0 + 4 * PAGE_SIZE <= 1 << 32, format_args!("phys {p0:#x}"));
    let contiguous = (1..4).all(|i| phys[i] == Ok(p0 + i as u64 * PAGE_SIZE));
    check::that("mem.dma_phys_contiguous", contiguous, format_args!("pages at {phys:x?}"));
    check::err("mem.dma_phys_past_end", sys::mem_phys(d, 4), Error::InvalidArgument);
    check::err("mem.dma_phys_page_max", sys::mem_phys(d, u64::MAX), Error::InvalidArgument);
    if let Ok(sub) = sys::cap_derive(d, ALL, 0, 2, 2) {
        expect_info("mem.dma_subrange_info", sub, CapType::Dma, ALL, 0, 2 * PAGE_SIZE, 2 * PAGE_SIZE);
        check::ok_eq("mem.dma_subrange_phys", sys::mem_phys(sub, 0), p0 + 2 * PAGE_SIZE);
        check::err("mem.dma_subrange_phys_past_end", sys::mem_phys(sub, 2), Error::InvalidArgument);
    }
    if let Ok(no_read) = sys::cap_derive(d, Rights::WRITE | Rights::DERIVE, 0, 0, 0) {
        check::err("mem.dma_phys_without_read", sys::mem_phys(no_read, 0), Error::MissingRights);
    }
    if let Ok(plain) = sys::mem_alloc(1, 0) {
        check::err("mem.phys_of_plain_memory", sys::mem_phys(plain, 0), Error::WrongType);
        let _ = sys::cap_delete(plain);
    }
    check::err("mem.phys_of_endpoint", sys::mem_phys(4, 0), Error::WrongType);
    check::err("mem.phys_of_mmio", sys::mem_phys(9, 0), Error::WrongType);
    check::err("mem.phys_empty_slot", sys::mem_phys(EMPTY, 0), Error::InvalidCap);
    if let Some(e) = check::ok("mem.dma_map", map(d, window(4), 0, 4, RW)) {
        let nonzero = (0..4 * PAGE_SIZE / 8).find(|&i| e.read(i * 8) != 0);
        check::that("mem.dma_zeroed", nonzero.is_none(), format_args!("word {nonzero:?} is not zero"));
        e.write(2 * PAGE_SIZE + 16, P2);
        match map(d, window(5), 2, 1, PROT_READ) {
            Ok(f) => check::eq("mem.dma_second_view", f.read(16), P2),
            Err(err) => check::fail("mem.dma_second_view", format_args!("mem_map: {err:?}")),
        };
    }
}

fn unmapped_access_faults() {
    let task = roles::spawn(b"v-unmapped", roles::UNMAP_FAULT);
    let Some(task) = check::ok("mem.spawn_unmap_helper", task) else { return };
    let want = TaskStatus {
        kind: TaskStatusKind::Faulted,
        code: 14,
        fault_addr: roles::UNMAP_FAULT_ADDR + roles::UNMAP_FAULT_OFFSET,
        fault_ip: 0,
    };
    match roles::finish(task, roles::HELPER_TIMEOUT_NS) {
        Ok(s) => check::that(
            "mem.touch_after_unmap_faults",
            s.kind == want.kind && s.code == want.code && s.fault_addr == want.fault_addr,
            format_args!("expected Faulted 14 at {:#x}, got {s:?}", want.fault_addr),
        ),
        Err(e) => check::fail("mem.touch_after_unmap_faults", format_args!("task_wait: {e:?}")),
    };
}

/// The manifest's `memory 16384`. Runs with the budget exhausted for a
/// while, so nothing here may grow the heap.
fn limit() {
    const LIMIT: u64 = 16384;
    check::err("mem.limit_more_than_manifest", sys::mem_alloc(LIMIT + 1, 0), Error::NoMemory);
    // What is left of the budget: the largest allocation that succeeds
    // (plain memory is allocated lazily, so asking costs no frames).
    let (mut lo, mut hi) = (0u64, LIMIT);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        match sys::mem_alloc(mid, 0) {
            Ok(s) => {
                let _ = sys::cap_delete(s);
                lo = mid;
            }
            Err(_) => hi = mid - 1,
        }
    }
    let left = lo;
    // The heap, thread stacks and the memory above are charged already.
    check::that("mem.limit_budget_partly_used", left > 0 && left < LIMIT, format_args!("{left} pages left of {LIMIT}"));
    let Some(big) = check::ok("mem.limit_take_the_rest", sys::mem_alloc(left, 0)) else { return };
    check::err("mem.limit_exhausted", sys::mem_alloc(1, 0), Error::NoMemory);
    // A mapping keeps the object, and its charge, after the capability goes.
    let mapped = sys::mem_map(AS, big, window(8), 0, 1, PROT_READ);
    let _ = sys::cap_delete(big);
    if check::ok("mem.limit_map_part", mapped).is_some() {
        check::err("mem.limit_mapping_keeps_charge", sys::mem_alloc(1, 0), Error::NoMemory);
        // SAFETY: window 8 was never read or referenced.
        let r = unsafe { sys::mem_unmap(AS, window(8), 1) };
        check::ok("mem.limit_unmap_last_use", r);
    }
    match sys::mem_alloc(left, 0) {
        Ok(s) => {
            check::pass("mem.limit_budget_comes_back");
            let _ = sys::cap_delete(s);
        }
        Err(e) => {
            check::fail("mem.limit_budget_comes_back", format_args!("mem_alloc({left}) after freeing: {e:?}"));
        }
    }
}
