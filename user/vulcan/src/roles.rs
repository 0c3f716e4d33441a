//! The roles this program plays, chosen by the low 8 bits of its argument,
//! and how the suite spawns itself in one of them.
//!
//! Helper tasks report through their exit code (a bit mask of what went
//! wrong, 0 when all is as expected) or through IPC replies, never by
//! printing check lines: only the suite prints `VULCAN` lines and counts.
//! Helpers must not touch the heap before their test is done where the
//! test depends on their address space or memory budget being untouched
//! (attacker, memory limit).

use crate::code_of;
use core::sync::atomic::{AtomicU64, Ordering};
use rt::abi::{
    Error, MsgInfo, Rights, SpawnSpec, TaskStatus, ADDRESS_SPACE_SELF_SLOT, FIRST_GRANTED_SLOT, FOREVER, MAX_SLOTS,
    NO_CAP, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE,
};
use rt::sys;

pub const SUITE: u64 = 0;
/// Faults at once (init's `crasher` task, and the suite's own fault test).
pub const CRASHER: u64 = 1;
/// Serves `echo::*` on the endpoint at slot 3.
pub const ECHO: u64 = 2;
/// Tries to reach what it was not given (`isolation.rs`); the parameter is
/// a page of the suite's heap.
pub const ATTACKER: u64 = 3;
/// Executes `ud2`: an invalid-opcode fault (vector 6).
pub const FAULTER: u64 = 4;
/// Sleeps until killed.
pub const SLEEPER: u64 = 5;
/// The native ABI fuzzer (`fuzz.rs`).
pub const FUZZ: u64 = 6;
/// Receives one call on slot 3, signals the notification at slot 4 and
/// sleeps without ever replying (so its caller sees PeerGone when it dies).
pub const HOLD: u64 = 7;
/// Maps a page, unmaps it and touches it: must die at `UNMAP_FAULT_ADDR`.
pub const UNMAP_FAULT: u64 = 8;
/// Given a read-only Memory cap at slot 3, tries to map it writable.
pub const READONLY_MEM: u64 = 9;
/// Spawned with a 32-page memory limit; checks the limit.
pub const MEM_LIMIT: u64 = 10;
/// Exits with `EXIT_CODE_VALUE` (a full 32-bit code).
pub const EXIT_CODE: u64 = 11;
/// A second thread faults at `THREAD_FAULT_ADDR` while the first sleeps.
pub const THREAD_FAULT: u64 = 12;
/// The main thread exits first; the task lives until its other thread ends.
pub const THREAD_EXIT_LAST: u64 = 13;
/// Derives capabilities until the table is full.
pub const TABLE_FULL: u64 = 14;
/// Checks the exact capabilities a spawn gave it.
pub const INSPECT: u64 = 15;

/// The crasher writes here (a null-page access).
pub const CRASH_ADDR: u64 = 0x8;
pub const EXIT_CODE_VALUE: i32 = -123_456_789;
pub const THREAD_FAULT_ADDR: u64 = 0x10;
/// Where UNMAP_FAULT maps, unmaps, then touches (at `+ UNMAP_FAULT_OFFSET`).
pub const UNMAP_FAULT_ADDR: u64 = 0x7000_2000_0000;
pub const UNMAP_FAULT_OFFSET: u64 = 0x18;
/// What the suite writes into the memory it hands READONLY_MEM.
pub const READONLY_PATTERN: u64 = 0x5a5a_0123_4567_a5a5;
/// How long THREAD_EXIT_LAST's second thread outlives the first.
pub const THREAD_EXIT_LAST_NS: u64 = 30_000_000;
/// MEM_LIMIT's limit in pages.
pub const MEM_LIMIT_PAGES: u64 = 32;
/// The badge INSPECT's endpoint carries.
pub const INSPECT_BADGE: u64 = 0x99;

/// The echo server's protocol (labels).
pub mod echo {
    /// Reply: `[w0 + 1, w1 + 1, w2 + 1, badge]`.
    pub const ECHO: u32 = 1;
    /// A capability comes with the call; the server keeps it. Reply:
    /// `[slot where it arrived, its CapType code]`.
    pub const XFER: u32 = 2;
    /// Signal the kept capability (a notification) with `w0`. Reply:
    /// `[error code or 0]`.
    pub const USE: u32 = 3;
    /// Reply, then exit 0.
    pub const QUIT: u32 = 4;
    /// Reply with a new notification capability attached.
    pub const GIVE: u32 = 5;
    /// Reply label to anything else.
    pub const UNKNOWN: u32 = 0xff;
}

/// Runs the role `arg` names.
pub fn dispatch(arg: u64) -> i32 {
    match arg & 0xff {
        SUITE => crate::suite(),
        CRASHER => crasher(),
        ECHO => echo_server(),
        ATTACKER => crate::isolation::attacker(arg & !(PAGE_SIZE - 1)),
        FAULTER => faulter(),
        SLEEPER => sleep_forever(),
        FUZZ => crate::fuzz::fuzzer(),
        HOLD => hold(),
        UNMAP_FAULT => unmap_fault(),
        READONLY_MEM => readonly_mem(),
        MEM_LIMIT => mem_limit(),
        EXIT_CODE => EXIT_CODE_VALUE,
        THREAD_FAULT => thread_fault(),
        THREAD_EXIT_LAST => thread_exit_last(),
        TABLE_FULL => table_full(),
        INSPECT => inspect(),
        _ => 99,
    }
}

// ---- spawning helpers -------------------------------------------------

/// The slot of this program's image (a File capability with EXEC), opened
/// by `files::run`; NO_CAP until then.
static IMAGE: AtomicU64 = AtomicU64::new(NO_CAP);

pub fn set_image(slot: u64) {
    IMAGE.store(slot, Ordering::Relaxed);
}

pub fn image() -> u64 {
    IMAGE.load(Ordering::Relaxed)
}

/// What to give a helper beyond its role.
pub struct Spawn<'a> {
    pub name: &'a [u8],
    pub arg: u64,
    pub grants: &'a [(u64, Rights)],
    /// (notification slot, bits) signalled when it ends.
    pub supervisor: Option<(u64, u64)>,
    pub memory_limit_pages: u64,
}

impl<'a> Spawn<'a> {
    pub fn new(name: &'a [u8], arg: u64) -> Spawn<'a> {
        Spawn { name, arg, grants: &[], supervisor: None, memory_limit_pages: 0 }
    }

    pub fn spec(&self) -> SpawnSpec {
        let mut spec = SpawnSpec::new(self.name);
        spec.arg = self.arg;
        for &(slot, rights) in self.grants {
            spec.grant(slot, rights);
        }
        if let Some((n, bits)) = self.supervisor {
            spec.supervisor = n;
            spec.supervisor_bits = bits;
        }
        spec.memory_limit_pages = self.memory_limit_pages;
        spec
    }

    /// Spawns it from this program's image; the Task capability's slot.
    pub fn start(&self) -> Result<u64, Error> {
        sys::task_spawn(image(), &self.spec())
    }
}

/// Starts a helper with no capabilities beyond its own.
pub fn spawn(name: &[u8], arg: u64) -> Result<u64, Error> {
    Spawn::new(name, arg).start()
}

/// How long the suite waits for a helper that should end by itself.
pub const HELPER_TIMEOUT_NS: u64 = 20_000_000_000;

/// Waits for a helper to end, killing it if it outlives `timeout` (so a
/// broken helper costs one failed check, not the run). Returns its status,
/// or the error of the wait (TimedOut if it had to be killed).
pub fn finish(task: u64, timeout: u64) -> Result<TaskStatus, Error> {
    match sys::task_wait(task, timeout) {
        Err(Error::TimedOut) => {
            let _ = sys::task_kill(task);
            let _ = sys::task_wait(task, HELPER_TIMEOUT_NS);
            Err(Error::TimedOut)
        }
        other => other,
    }
}

// ---- the roles ----------------------------------------------------------

/// Writes to address 8: a page fault in the null page, vector 14.
pub fn crasher() -> i32 {
    // SAFETY: deliberately faults; the store never completes and the task
    // is killed, so no Rust-visible state is affected.
    unsafe {
        core::arch::asm!("mov qword ptr [{a}], 1", a = in(reg) CRASH_ADDR, options(nostack));
    }
    2
}

fn faulter() -> i32 {
    // SAFETY: raises #UD; the task is killed before anything else runs.
    unsafe {
        core::arch::asm!("ud2", options(nostack, nomem));
    }
    2
}

fn sleep_forever() -> i32 {
    loop {
        sys::sleep(1_000_000_000);
    }
}

fn echo_server() -> i32 {
    const EP: u64 = FIRST_GRANTED_SLOT;
    let mut msg = match sys::ipc_recv(EP, FOREVER) {
        Ok(m) => m,
        Err(e) => return 1000 + i32::from(e.code()),
    };
    let mut held: Option<u64> = None;
    loop {
        let w = msg.words;
        let mut attach = None;
        let (label, words) = match msg.info.label() {
            echo::ECHO => (echo::ECHO, [w[0].wrapping_add(1), w[1].wrapping_add(1), w[2].wrapping_add(1), msg.badge]),
            echo::XFER => match msg.info.cap() {
                Some(slot) => {
                    held = Some(slot);
                    let ty = sys::cap_info(slot).map_or(0, |i| i.cap_type as u64);
                    (echo::XFER, [slot, ty, 0, 0])
                }
                None => (echo::XFER, [u64::MAX, 0, 0, 0]),
            },
            echo::USE => {
                let r = match held {
                    Some(slot) => sys::notify_signal(slot, w[0]),
                    None => Err(Error::InvalidState),
                };
                (echo::USE, [code_of(r), 0, 0, 0])
            }
            echo::GIVE => match sys::notification_create() {
                Ok(n) => {
                    attach = Some(n);
                    (echo::GIVE, [n, 0, 0, 0])
                }
                Err(e) => (echo::GIVE, [u64::MAX, u64::from(e.code()), 0, 0]),
            },
            echo::QUIT => {
                let _ = sys::ipc_reply(NO_CAP, MsgInfo::new(echo::QUIT), [0; 4]);
                return 0;
            }
            other => (echo::UNKNOWN, [u64::from(other), 0, 0, 0]),
        };
        let info = match attach {
            Some(slot) => MsgInfo::new(label).with_cap(slot),
            None => MsgInfo::new(label),
        };
        match sys::ipc_reply_recv(EP, info, words) {
            Ok(m) => msg = m,
            Err(e) => return 1000 + i32::from(e.code()),
        }
    }
}

fn hold() -> i32 {
    if let Err(e) = sys::ipc_recv(FIRST_GRANTED_SLOT, FOREVER) {
        return 1000 + i32::from(e.code());
    }
    // The reply right stays pending with this thread until it dies.
    if sys::notify_signal(FIRST_GRANTED_SLOT + 1, 1).is_err() {
        return 2;
    }
    sleep_forever()
}

fn unmap_fault() -> i32 {
    let Ok(mem) = sys::mem_alloc(1, 0) else { return 2 };
    if sys::mem_map(ADDRESS_SPACE_SELF_SLOT, mem, UNMAP_FAULT_ADDR, 0, 1, PROT_READ | PROT_WRITE).is_err() {
        return 3;
    }
    let p = UNMAP_FAULT_ADDR as *mut u64;
    // SAFETY: the page was just mapped writable and nothing else uses it.
    let back = unsafe {
        p.write_volatile(0x1234);
        p.read_volatile()
    };
    if back != 0x1234 {
        return 4;
    }
    // SAFETY: no reference points into the page (only the raw pointer
    // above, which is not used again by Rust code).
    if unsafe { sys::mem_unmap(ADDRESS_SPACE_SELF_SLOT, UNMAP_FAULT_ADDR, 1) }.is_err() {
        return 5;
    }
    // SAFETY: deliberately touches the unmapped page in assembly, outside
    // Rust's memory model: the task must die here.
    unsafe {
        core::arch::asm!("mov rax, qword ptr [{a}]", a = in(reg) UNMAP_FAULT_ADDR + UNMAP_FAULT_OFFSET, out("rax") _, options(nostack));
    }
    6
}

fn readonly_mem() -> i32 {
    const MEM: u64 = FIRST_GRANTED_SLOT;
    const AT: u64 = 0x7000_3000_0000;
    let mut bad = 0;
    match sys::cap_info(MEM) {
        Ok(i) if i.cap_type == rt::abi::CapType::Memory && i.rights == Rights::READ && i.len == PAGE_SIZE => {}
        _ => bad |= 1,
    }
    if sys::mem_map(ADDRESS_SPACE_SELF_SLOT, MEM, AT, 0, 1, PROT_READ | PROT_WRITE) != Err(Error::MissingRights) {
        bad |= 2;
    }
    if sys::mem_map(ADDRESS_SPACE_SELF_SLOT, MEM, AT, 0, 1, PROT_READ | PROT_EXEC) != Err(Error::MissingRights) {
        bad |= 4;
    }
    if sys::mem_map(ADDRESS_SPACE_SELF_SLOT, MEM, AT, 0, 1, PROT_READ).is_ok() {
        // SAFETY: mapped readable just now; a plain read of our own mapping.
        let v = unsafe { (AT as *const u64).read_volatile() };
        if v != READONLY_PATTERN {
            bad |= 16;
        }
        // The kernel must not write through a read-only mapping on our behalf.
        // SAFETY: the buffer is read-only, so the call fails without writing.
        let r = unsafe { crate::raw(rt::abi::Syscall::Random.nr(), AT, 8, 0, 0, 0, 0) };
        if r != Err(Error::BadAddress) {
            bad |= 64;
        }
    } else {
        bad |= 8;
    }
    if sys::cap_derive(MEM, Rights::READ, 0, 0, 0) != Err(Error::MissingRights) {
        bad |= 32;
    }
    bad
}

fn mem_limit() -> i32 {
    let mut bad = 0;
    if sys::mem_alloc(MEM_LIMIT_PAGES + 1, 0) != Err(Error::NoMemory) {
        bad |= 1;
    }
    match sys::mem_alloc(MEM_LIMIT_PAGES, 0) {
        Ok(all) => {
            if sys::mem_alloc(1, 0) != Err(Error::NoMemory) {
                bad |= 4;
            }
            if sys::cap_delete(all).is_err() {
                bad |= 8;
            }
            // Freed: the whole budget is back.
            if sys::mem_alloc(MEM_LIMIT_PAGES, 0).is_err() {
                bad |= 16;
            }
        }
        Err(_) => bad |= 2,
    }
    bad
}

fn fault_thread(_: u64) -> i32 {
    // SAFETY: deliberately faults (null page); the whole task dies.
    unsafe {
        core::arch::asm!("mov qword ptr [{a}], 1", a = in(reg) THREAD_FAULT_ADDR, options(nostack));
    }
    2
}

fn thread_fault() -> i32 {
    if rt::thread::spawn(fault_thread, 0).is_err() {
        return 2;
    }
    sleep_forever()
}

fn late_thread(_: u64) -> i32 {
    sys::sleep(THREAD_EXIT_LAST_NS);
    0
}

fn thread_exit_last() -> i32 {
    if rt::thread::spawn(late_thread, 0).is_err() {
        return 2;
    }
    sys::thread_exit(0)
}

/// 0: the table filled exactly at `MAX_SLOTS` and a freed slot was reused;
/// otherwise what went wrong (see the arms).
fn table_full() -> i32 {
    let mut last = 0u64;
    let mut made = 0u64;
    loop {
        match sys::cap_derive(0, Rights::READ, 0, 0, 0) {
            Ok(slot) => {
                last = slot;
                made += 1;
                if made > MAX_SLOTS + 1000 {
                    return 1; // no TableFull: the table grew past MAX_SLOTS
                }
            }
            Err(Error::TableFull) => break,
            Err(e) => return 100 + i32::from(e.code()),
        }
    }
    if last != MAX_SLOTS - 1 {
        return 20_000 + last as i32;
    }
    if sys::cap_delete(100).is_err() {
        return 3;
    }
    match sys::cap_derive(0, Rights::READ, 0, 0, 0) {
        Ok(100) => {}
        Ok(other) => return 30_000 + other as i32,
        Err(_) => return 4,
    }
    if sys::cap_derive(0, Rights::READ, 0, 0, 0) != Err(Error::TableFull) {
        return 5;
    }
    0
}

/// Granted: slot 3 an endpoint (WRITE|TRANSFER, badge `INSPECT_BADGE`),
/// slot 4 a notification (READ). Nothing else.
fn inspect() -> i32 {
    use rt::abi::CapType;
    let mut bad = 0;
    match sys::cap_info(3) {
        Ok(i)
            if i.cap_type == CapType::Endpoint
                && i.rights == Rights::WRITE | Rights::TRANSFER
                && i.badge == INSPECT_BADGE => {}
        _ => bad |= 1,
    }
    match sys::cap_info(4) {
        Ok(i) if i.cap_type == CapType::Notification && i.rights == Rights::READ => {}
        _ => bad |= 2,
    }
    for slot in 5..16 {
        if sys::cap_info(slot) != Err(Error::InvalidCap) {
            bad |= 4;
        }
    }
    if sys::ipc_recv(3, 0) != Err(Error::MissingRights) {
        bad |= 8;
    }
    if sys::notify_signal(4, 1) != Err(Error::MissingRights) {
        bad |= 16;
    }
    if sys::notify_wait(4, 0) != Err(Error::WouldBlock) {
        bad |= 32;
    }
    if sys::ipc_send(3, MsgInfo::new(1).nonblocking(), [0; 4]) != Err(Error::WouldBlock) {
        bad |= 64;
    }
    if sys::cap_derive(3, Rights::WRITE, 0, 0, 0) != Err(Error::MissingRights) {
        bad |= 128;
    }
    bad
}
