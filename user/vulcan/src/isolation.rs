//! Isolation: a task reaches only what it was given.
//!
//! The attacker (role 3) is spawned with no capability beyond its own task,
//! address space and thread. It tries every slot from 3 to 63 with every
//! kind of call, large slot numbers, kernel addresses as buffers, and
//! mapping memory over the addresses of the suite's data in its own address
//! space; it reports a bit mask of what unexpectedly worked as its exit
//! code. The suite then checks its own data is untouched. A second helper
//! is given a Memory capability with READ only and must not map it
//! writable.

use crate::addr::{self, window};
use crate::check;
use crate::memory;
use crate::raw;
use crate::roles::{self, Spawn};
use alloc::vec;
use core::sync::atomic::{AtomicU64, Ordering::SeqCst};
use rt::abi::{
    Error, MsgInfo, Rights, SpawnSpec, Syscall, TaskStatusKind, ADDRESS_SPACE_SELF_SLOT as AS, NO_CAP, PAGE_SIZE,
    PROT_READ, PROT_WRITE,
};
use rt::sys;

/// A value in this program's data: the suite overwrites its copy with a
/// random one; the attacker's copy (its own address space) must still hold
/// the initial value.
static SENTINEL: AtomicU64 = AtomicU64::new(SENTINEL_INITIAL);
const SENTINEL_INITIAL: u64 = 0x5e57_1e15_0000_0001;
/// Where the attacker maps its own memory when the suite's heap page is
/// not given.
const ATTACKER_SCRATCH: u64 = 0x7000_4000_0000;

/// What each bit of the attacker's exit code means (set: it got further
/// than it should have).
const ATTACKS: &[(u32, &str)] = &[
    (1 << 0, "isolation.no_cap_info_on_slots_3_63"),
    (1 << 1, "isolation.no_ipc_on_slots_3_63"),
    (1 << 2, "isolation.no_notify_on_slots_3_63"),
    (1 << 3, "isolation.no_memory_calls_on_slots_3_63"),
    (1 << 4, "isolation.no_task_calls_on_slots_3_63"),
    (1 << 5, "isolation.no_file_or_device_calls_on_slots_3_63"),
    (1 << 6, "isolation.no_cap_calls_on_slots_3_63"),
    (1 << 7, "isolation.large_slots_invalid"),
    (1 << 8, "isolation.kernel_pointers_refused"),
    (1 << 9, "isolation.own_mapping_over_parent_heap_address"),
    (1 << 10, "isolation.own_copy_of_static_data"),
    (1 << 11, "isolation.cannot_map_over_own_data"),
    (1 << 12, "isolation.cannot_map_kernel_half"),
];

pub fn run() {
    attacker_run();
    readonly_memory();
}

fn attacker_run() {
    let mut r = [0u8; 8];
    let _ = sys::random(&mut r);
    let secret = u64::from_le_bytes(r) | 1;
    SENTINEL.store(secret, SeqCst);
    let heap = vec![secret ^ 0xa5a5; 1024].into_boxed_slice();
    let heap_page = heap.as_ptr() as u64 & !(PAGE_SIZE - 1);
    let task = roles::spawn(b"v-attacker", heap_page | roles::ATTACKER);
    let Some(task) = check::ok("isolation.spawn_attacker_without_caps", task) else { return };
    match roles::finish(task, roles::HELPER_TIMEOUT_NS) {
        Ok(s) if s.kind == TaskStatusKind::Exited && s.code >= 0 => {
            check::pass("isolation.attacker_exited");
            for &(bit, name) in ATTACKS {
                check::that(
                    name,
                    s.code as u32 & bit == 0,
                    format_args!("attacker exit code {:#x}: bit {bit:#x} set", s.code),
                );
            }
        }
        other => {
            check::fail("isolation.attacker_exited", format_args!("status {other:?}"));
        }
    }
    check::eq("isolation.parent_static_intact", SENTINEL.load(SeqCst), secret);
    let spoiled = heap.iter().position(|&v| v != secret ^ 0xa5a5);
    check::that("isolation.parent_heap_intact", spoiled.is_none(), format_args!("heap word {spoiled:?} changed"));
}

fn readonly_memory() {
    let Ok(m) = sys::mem_alloc(1, 0) else { return };
    let Ok(view) = memory::map(m, window(11), 0, 1, PROT_READ | PROT_WRITE) else {
        check::fail("isolation.readonly_memory_setup", format_args!("mem_map failed"));
        return;
    };
    view.write(0, roles::READONLY_PATTERN);
    let grants = [(m, Rights::READ)];
    let spawned = Spawn { grants: &grants, ..Spawn::new(b"v-readonly", roles::READONLY_MEM) }.start();
    let Some(task) = check::ok("isolation.spawn_readonly_holder", spawned) else { return };
    const PARTS: &[(u32, &str)] = &[
        (1, "isolation.readonly_grant_info"),
        (2, "isolation.readonly_cannot_map_writable"),
        (4, "isolation.readonly_cannot_map_exec"),
        (8, "isolation.readonly_may_map_readable"),
        (16, "isolation.readonly_sees_parent_data"),
        (32, "isolation.readonly_cannot_derive"),
        (64, "isolation.readonly_kernel_write_refused"),
    ];
    match roles::finish(task, roles::HELPER_TIMEOUT_NS) {
        Ok(s) if s.kind == TaskStatusKind::Exited && s.code >= 0 => {
            for &(bit, name) in PARTS {
                check::that(
                    name,
                    s.code as u32 & bit == 0,
                    format_args!("helper exit code {:#x}: bit {bit:#x} set", s.code),
                );
            }
        }
        other => {
            check::fail("isolation.readonly_holder_exited", format_args!("status {other:?}"));
        }
    }
    check::eq("isolation.readonly_data_unchanged", view.read(0), roles::READONLY_PATTERN);
}

// ---- the attacker (runs in its own task) ---------------------------------

/// Whether `r` is exactly `Err(want)`.
fn is(r: Result<u64, Error>, want: Error) -> bool {
    r == Err(want)
}

fn unit<T>(r: Result<T, Error>) -> Result<u64, Error> {
    r.map(|_| 0)
}

/// Role 3. Uses no heap: its heap window is where it maps memory over the
/// suite's heap address.
pub fn attacker(parent_heap_page: u64) -> i32 {
    let mut bad: u32 = 0;
    let nb = MsgInfo::new(1).nonblocking();
    let spec = SpawnSpec::new(b"x").encode();
    let mut buf = [0u8; 32];
    let v = ATTACKER_SCRATCH;
    for s in 3..64u64 {
        if !is(unit(sys::cap_info(s)), Error::InvalidCap) {
            bad |= 1 << 0;
        }
        let ipc = [
            unit(sys::ipc_send(s, nb, [0; 4])),
            unit(sys::ipc_call(s, nb, [0; 4])),
            unit(sys::ipc_recv(s, 0)),
            unit(sys::ipc_reply(s, MsgInfo::new(1), [0; 4])),
            // Our own endpoint could carry slot s as a capability.
            unit(sys::ipc_send(s, nb.with_cap(s), [0; 4])),
        ];
        if !ipc.iter().all(|&r| is(r, Error::InvalidCap)) {
            bad |= 1 << 1;
        }
        if !is(unit(sys::notify_signal(s, 1)), Error::InvalidCap) || !is(sys::notify_wait(s, 0), Error::InvalidCap) {
            bad |= 1 << 2;
        }
        // SAFETY: every mem_unmap names slot s as the address space, which
        // is refused; nothing is unmapped.
        let unmapped = unsafe { sys::mem_unmap(s, v, 1) };
        let mem = [
            unit(sys::mem_map(AS, s, v, 0, 1, PROT_READ)),
            unit(sys::mem_map(s, AS, v, 0, 1, PROT_READ)),
            unit(unmapped),
            sys::mem_phys(s, 0),
        ];
        if !mem.iter().all(|&r| is(r, Error::InvalidCap)) {
            bad |= 1 << 3;
        }
        // SAFETY: task_spawn only reads `spec`, ours.
        let spawned = unsafe { raw(Syscall::TaskSpawn.nr(), s, spec.as_ptr() as u64, 0, 0, 0, 0) };
        let task = [unit(sys::task_kill(s)), unit(sys::task_wait(s, 0)), unit(sys::thread_wait(s, 0)), spawned];
        if !task.iter().all(|&r| is(r, Error::InvalidCap)) {
            bad |= 1 << 4;
        }
        let dev = [
            sys::file_open(s, b"vulcan", Rights::READ),
            unit(sys::file_read(s, &mut buf, 0)),
            unit(sys::file_write(s, b"x", 0)),
            sys::port_in(s, 0x3f8, 1),
            unit(sys::port_out(s, 0x2f8, 1, 0)),
            unit(sys::irq_bind(s, s, 1)),
            unit(sys::irq_ack(s)),
        ];
        if !dev.iter().all(|&r| is(r, Error::InvalidCap)) {
            bad |= 1 << 5;
        }
        let caps = [sys::cap_derive(s, Rights::READ, 0, 0, 0), unit(sys::cap_delete(s)), sys::cap_revoke(s)];
        if !caps.iter().all(|&r| is(r, Error::InvalidCap)) {
            bad |= 1 << 6;
        }
    }
    for s in [64, 100, 1000, 4095, 4096, 65535, 1 << 20, 1 << 32, NO_CAP, u64::MAX - 1, u64::MAX] {
        let r = [
            unit(sys::cap_info(s)),
            sys::cap_derive(s, Rights::READ, 0, 0, 0),
            unit(sys::task_kill(s)),
            unit(sys::ipc_send(s, nb, [0; 4])),
            unit(sys::notify_signal(s, 1)),
            unit(sys::mem_map(AS, s, v, 0, 1, PROT_READ)),
        ];
        if !r.iter().all(|&r| is(r, Error::InvalidCap)) {
            bad |= 1 << 7;
        }
    }
    for k in [addr::KERNEL, addr::KERNEL_IMAGE, 0xffff_ffff_ffff_f000, addr::NON_CANONICAL, addr::NON_CANONICAL - 8] {
        // SAFETY: kernel and non-canonical pointers: the kernel must refuse
        // to read or write through them, so nothing of ours is touched.
        let r = unsafe {
            [
                raw(Syscall::CapInfo.nr(), 0, k, 0, 0, 0, 0),
                raw(Syscall::Random.nr(), k, 16, 0, 0, 0, 0),
                raw(Syscall::DebugWrite.nr(), k, 16, 0, 0, 0, 0),
            ]
        };
        if !r.iter().all(|&r| is(r, Error::BadAddress)) {
            bad |= 1 << 8;
        }
    }
    // Memory of our own at the address where the suite keeps its heap: in
    // our address space, not the suite's.
    match sys::mem_alloc(1, 0) {
        Ok(m) => {
            if sys::mem_map(AS, m, parent_heap_page, 0, 1, PROT_READ | PROT_WRITE).is_ok() {
                let p = parent_heap_page as *mut u64;
                // SAFETY: the page was just mapped writable in our own
                // address space and nothing else of ours uses it.
                let back = unsafe {
                    for i in 0..512 {
                        p.add(i).write_volatile(0xbad0_bad0_bad0_bad0);
                    }
                    p.add(7).read_volatile()
                };
                if back != 0xbad0_bad0_bad0_bad0 {
                    bad |= 1 << 9;
                }
            } else {
                bad |= 1 << 9;
            }
            let data_page = core::ptr::addr_of!(SENTINEL) as u64 & !(PAGE_SIZE - 1);
            if sys::mem_map(AS, m, data_page, 0, 1, PROT_READ | PROT_WRITE) != Err(Error::Busy) {
                bad |= 1 << 11;
            }
            if sys::mem_map(AS, m, addr::KERNEL, 0, 1, PROT_READ) != Err(Error::InvalidArgument) {
                bad |= 1 << 12;
            }
        }
        Err(_) => bad |= 1 << 9,
    }
    // The suite changed its copy before spawning us; ours is untouched.
    if SENTINEL.load(SeqCst) != SENTINEL_INITIAL {
        bad |= 1 << 10;
    }
    // Scribble on our copy: the suite checks its own afterwards.
    SENTINEL.store(0xbad, SeqCst);
    bad as i32
}
