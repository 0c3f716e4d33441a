//! Tasks and threads: task_spawn, task_wait, task_kill, task_exit,
//! thread_create, thread_exit, thread_wait; supervision (a notification
//! signalled when a child ends, whatever the way).

use crate::addr::{self, window};
use crate::caps::{expect_info, EMPTY};
use crate::check;
use crate::memory;
use crate::raw;
use crate::roles::{self, Spawn};
use core::sync::atomic::{AtomicU64, Ordering::SeqCst};
use rt::abi::{
    CapType, Error, Rights, SpawnSpec, Syscall, TaskStatus, TaskStatusKind, FOREVER, PAGE_SIZE, PROT_READ, PROT_WRITE,
    THREAD_SELF_SLOT, USER_END,
};
use rt::sys;

const R: Rights = Rights::READ;
const W: Rights = Rights::WRITE;
const D: Rights = Rights::DERIVE;
const T: Rights = Rights::TRANSFER;
const WAIT_NS: u64 = roles::HELPER_TIMEOUT_NS;

pub fn run() {
    exit_codes();
    faults_and_supervision();
    kill();
    spawn_errors();
    spawn_grants();
    threads();
    raw_threads();
    thread_roles();
}

fn status_is(name: &str, got: Result<TaskStatus, Error>, kind: TaskStatusKind, code: i32) -> Option<TaskStatus> {
    match got {
        Ok(s) if s.kind == kind && s.code == code => {
            check::pass(name);
            Some(s)
        }
        other => {
            check::fail(name, format_args!("expected {kind:?} {code}, got {other:?}"));
            None
        }
    }
}

fn exit_codes() {
    let Some(t) = check::ok("task.spawn", roles::spawn(b"v-exit", roles::EXIT_CODE)) else { return };
    expect_info("task.spawn_gives_task_cap", t, CapType::Task, Rights::ALL, 0, 0, 0);
    status_is(
        "task.exit_code_full_32_bits",
        sys::task_wait(t, WAIT_NS),
        TaskStatusKind::Exited,
        roles::EXIT_CODE_VALUE,
    );
    status_is("task.status_kept_after_wait", sys::task_wait(t, 0), TaskStatusKind::Exited, roles::EXIT_CODE_VALUE);
    check::ok("task.kill_ended_task", sys::task_kill(t));
    status_is("task.kill_after_end_keeps_status", sys::task_wait(t, 0), TaskStatusKind::Exited, roles::EXIT_CODE_VALUE);
    let nr = Syscall::TaskWait.nr();
    // SAFETY: the status pointers are unwritable; the kernel writes nothing.
    let (null, ro, kernel) = unsafe {
        (raw(nr, t, 0, 0, 0, 0, 0), raw(nr, t, 0, addr::READ_ONLY, 0, 0, 0), raw(nr, t, 0, addr::KERNEL, 0, 0, 0))
    };
    check::err("task.wait_status_null", null, Error::BadAddress);
    check::err("task.wait_status_read_only", ro, Error::BadAddress);
    check::err("task.wait_status_kernel", kernel, Error::BadAddress);
    check::err("task.wait_self_poll", sys::task_wait(0, 0), Error::WouldBlock);
}

fn faults_and_supervision() {
    let Ok(n) = sys::notification_create() else { return };
    // The crasher: a write to address 8.
    let sup = Spawn { supervisor: Some((n, 0x20)), ..Spawn::new(b"v-crasher", roles::CRASHER) };
    if let Some(t) = check::ok("task.spawn_supervised", sup.start()) {
        if let Some(s) = status_is("task.null_write_faults_14", roles::finish(t, WAIT_NS), TaskStatusKind::Faulted, 14)
        {
            check::eq("task.fault_address", s.fault_addr, roles::CRASH_ADDR);
            check::that(
                "task.fault_ip_in_program",
                (0x40_0000..0x100_0000).contains(&s.fault_ip),
                format_args!("rip {:#x}", s.fault_ip),
            );
        }
        check::ok_eq("task.supervisor_told_of_fault", sys::notify_wait(n, WAIT_NS), 0x20);
    }
    // ud2: vector 6, reported at the instruction.
    let sup = Spawn { supervisor: Some((n, 0x1)), ..Spawn::new(b"v-faulter", roles::FAULTER) };
    if let Ok(t) = sup.start() {
        check::ok_eq("task.supervisor_told_of_ud2", sys::notify_wait(n, WAIT_NS), 0x1);
        if let Some(s) = status_is("task.ud2_faults_6", roles::finish(t, WAIT_NS), TaskStatusKind::Faulted, 6) {
            check::that(
                "task.ud2_at_its_ip",
                s.fault_addr == s.fault_ip && s.fault_ip >= 0x40_0000,
                format_args!("{s:?}"),
            );
        }
    } else {
        check::fail("task.supervisor_told_of_ud2", format_args!("spawn failed"));
    }
    // A normal exit tells the supervisor too.
    let sup = Spawn { supervisor: Some((n, 0x400)), ..Spawn::new(b"v-exit2", roles::EXIT_CODE) };
    if let Ok(t) = sup.start() {
        let _ = roles::finish(t, WAIT_NS);
        check::ok_eq("task.supervisor_told_of_exit", sys::notify_wait(n, WAIT_NS), 0x400);
    }
}

fn kill() {
    let Ok(n) = sys::notification_create() else { return };
    let sup = Spawn { supervisor: Some((n, 0x8)), ..Spawn::new(b"v-sleeper", roles::SLEEPER) };
    let Some(t) = check::ok("task.spawn_sleeper", sup.start()) else { return };
    check::err("task.wait_poll_running", sys::task_wait(t, 0), Error::WouldBlock);
    const NS: u64 = 20_000_000;
    let start = sys::clock_ns();
    let r = sys::task_wait(t, NS);
    let waited = sys::clock_ns() - start;
    check::err("task.wait_times_out", r, Error::TimedOut);
    check::that("task.wait_timeout_waited", waited >= NS, format_args!("waited {waited} of {NS} ns"));
    check::err("task.no_supervisor_signal_yet", sys::notify_wait(n, 0), Error::WouldBlock);
    if let Ok(reader) = sys::cap_derive(t, R | D, 0, 0, 0) {
        check::err("task.kill_needs_write", sys::task_kill(reader), Error::MissingRights);
    }
    if let Ok(killer) = sys::cap_derive(t, W, 0, 0, 0) {
        check::err("task.wait_needs_read", sys::task_wait(killer, 0), Error::MissingRights);
        check::ok("task.kill", sys::task_kill(killer));
    } else {
        check::ok("task.kill", sys::task_kill(t));
    }
    status_is("task.killed_status", sys::task_wait(t, WAIT_NS), TaskStatusKind::Killed, 0);
    check::ok_eq("task.supervisor_told_of_kill", sys::notify_wait(n, WAIT_NS), 0x8);
    check::err("task.kill_endpoint", sys::task_kill(4), Error::WrongType);
    check::err("task.wait_endpoint", sys::task_wait(4, 0), Error::WrongType);
    check::err("task.kill_thread_cap", sys::task_kill(THREAD_SELF_SLOT), Error::WrongType);
    check::err("task.kill_empty_slot", sys::task_kill(EMPTY), Error::InvalidCap);
    check::err("task.wait_slot_max", sys::task_wait(u64::MAX, 0), Error::InvalidCap);
    if let Ok(gone) = sys::cap_derive(t, Rights::ALL, 0, 0, 0) {
        let _ = sys::cap_revoke(t);
        check::err("task.kill_revoked", sys::task_kill(gone), Error::Revoked);
        check::err("task.wait_revoked", sys::task_wait(gone, 0), Error::Revoked);
    }
}

/// Spawns from `image` with `spec` given as raw bytes.
fn spawn_bytes(image: u64, bytes: &[u8; SpawnSpec::SIZE]) -> Result<u64, Error> {
    // SAFETY: task_spawn only reads the spec, from our own buffer.
    unsafe { raw(Syscall::TaskSpawn.nr(), image, bytes.as_ptr() as u64, 0, 0, 0, 0) }
}

fn spawn_errors() {
    let img = roles::image();
    let plain = Spawn::new(b"v-never", roles::EXIT_CODE).spec();
    let nr = Syscall::TaskSpawn.nr();
    // SAFETY: the spec pointers are unreadable; nothing is read or spawned.
    let (null, kernel, unmapped) = unsafe {
        (raw(nr, img, 0, 0, 0, 0, 0), raw(nr, img, addr::KERNEL, 0, 0, 0, 0), raw(nr, img, addr::UNMAPPED, 0, 0, 0, 0))
    };
    check::err("task.spawn_spec_null", null, Error::BadAddress);
    check::err("task.spawn_spec_kernel", kernel, Error::BadAddress);
    check::err("task.spawn_spec_unmapped", unmapped, Error::BadAddress);
    let mut b = plain.encode();
    b[28] = 17;
    check::err("task.spawn_17_caps", spawn_bytes(img, &b), Error::InvalidArgument);
    let mut b = plain.encode();
    b[28] = 1;
    b[48..52].copy_from_slice(&4u32.to_le_bytes());
    b[52..56].copy_from_slice(&0x40u32.to_le_bytes());
    check::err("task.spawn_bad_rights_bits", spawn_bytes(img, &b), Error::InvalidArgument);
    let mut b = plain.encode();
    b[..16].copy_from_slice(b"sixteen-bytes-xx");
    check::err("task.spawn_name_unterminated", spawn_bytes(img, &b), Error::InvalidArgument);

    check::err("task.spawn_image_empty_slot", sys::task_spawn(EMPTY, &plain), Error::InvalidCap);
    check::err("task.spawn_image_endpoint", sys::task_spawn(4, &plain), Error::WrongType);
    check::err("task.spawn_directory", sys::task_spawn(3, &plain), Error::InvalidArgument);
    match sys::file_open(3, b"boot.manifest", R | Rights::EXEC) {
        Ok(text) => check::err("task.spawn_not_an_elf", sys::task_spawn(text, &plain), Error::InvalidArgument),
        Err(e) => check::fail("task.spawn_not_an_elf", format_args!("file_open: {e:?}")),
    };
    match sys::file_open(3, b"vulcan", R) {
        Ok(no_exec) => check::err("task.spawn_needs_exec", sys::task_spawn(no_exec, &plain), Error::MissingRights),
        Err(e) => check::fail("task.spawn_needs_exec", format_args!("file_open: {e:?}")),
    };
    let with = |grants: &[(u64, Rights)], supervisor: Option<(u64, u64)>| {
        Spawn { grants, supervisor, ..Spawn::new(b"v-never", roles::EXIT_CODE) }.start()
    };
    check::err("task.spawn_grant_empty_slot", with(&[(EMPTY, R)], None), Error::InvalidCap);
    // The serial endpoint was granted without TRANSFER.
    check::err("task.spawn_grant_needs_transfer", with(&[(4, W)], None), Error::MissingRights);
    check::err("task.spawn_supervisor_endpoint", with(&[], Some((4, 1))), Error::WrongType);
    check::err("task.spawn_supervisor_empty", with(&[], Some((EMPTY, 1))), Error::InvalidCap);
    if let Ok(n) = sys::notification_create() {
        if let Ok(reader) = sys::cap_derive(n, R | T, 0, 0, 0) {
            check::err("task.spawn_supervisor_needs_write", with(&[], Some((reader, 1))), Error::MissingRights);
        }
        if let Ok(gone) = sys::cap_derive(n, Rights::ALL, 0, 0, 0) {
            let _ = sys::cap_revoke(n);
            check::err("task.spawn_grant_revoked", with(&[(gone, R)], None), Error::Revoked);
        }
    }
}

/// A child gets exactly the listed capabilities, narrowed to the listed
/// rights, and a memory limit.
fn spawn_grants() {
    let (Ok(ep), Ok(n)) = (sys::endpoint_create(), sys::notification_create()) else { return };
    if let Ok(badged) = sys::cap_derive(ep, Rights::ALL, roles::INSPECT_BADGE, 0, 0) {
        let grants = [(badged, W | T), (n, R)];
        match (Spawn { grants: &grants, ..Spawn::new(b"v-inspect", roles::INSPECT) }).start() {
            Ok(t) => status_is("task.spawn_grants_exactly", roles::finish(t, WAIT_NS), TaskStatusKind::Exited, 0),
            Err(e) => {
                check::fail("task.spawn_grants_exactly", format_args!("spawn: {e:?}"));
                None
            }
        };
    }
    let limited = Spawn { memory_limit_pages: roles::MEM_LIMIT_PAGES, ..Spawn::new(b"v-memlimit", roles::MEM_LIMIT) };
    match limited.start() {
        Ok(t) => status_is("task.memory_limit_applies", roles::finish(t, WAIT_NS), TaskStatusKind::Exited, 0),
        Err(e) => {
            check::fail("task.memory_limit_applies", format_args!("spawn: {e:?}"));
            None
        }
    };
    match roles::spawn(b"v-tablefull", roles::TABLE_FULL) {
        Ok(t) => status_is("task.table_full_at_max_slots", roles::finish(t, WAIT_NS), TaskStatusKind::Exited, 0),
        Err(e) => {
            check::fail("task.table_full_at_max_slots", format_args!("spawn: {e:?}"));
            None
        }
    };
}

// ---- threads ----------------------------------------------------------------

fn forty_two(_: u64) -> i32 {
    42
}

static COUNTER: AtomicU64 = AtomicU64::new(0);
const INCREMENTS: u64 = 10_000;

fn counter(_: u64) -> i32 {
    for _ in 0..INCREMENTS {
        COUNTER.fetch_add(1, SeqCst);
    }
    0
}

static GATE: AtomicU64 = AtomicU64::new(0);

/// Waits on the notification `n` (so the main thread can observe it
/// blocked), then exits with 5.
fn gated(n: u64) -> i32 {
    match sys::notify_wait(n, FOREVER) {
        Ok(bits) => {
            GATE.store(bits, SeqCst);
            5
        }
        Err(e) => 1000 + i32::from(e.code()),
    }
}

fn threads() {
    let Some(t) = check::ok("thread.spawn", rt::thread::spawn(forty_two, 0)) else { return };
    expect_info("thread.cap_info", t, CapType::Thread, Rights::ALL, 0, 0, 0);
    status_is("thread.exit_code", sys::thread_wait(t, WAIT_NS), TaskStatusKind::Exited, 42);
    status_is("thread.status_kept", sys::thread_wait(t, 0), TaskStatusKind::Exited, 42);
    let nr = Syscall::ThreadWait.nr();
    // SAFETY: unwritable status pointers; nothing is written.
    let (null, ro) = unsafe { (raw(nr, t, 0, 0, 0, 0, 0), raw(nr, t, 0, addr::READ_ONLY, 0, 0, 0)) };
    check::err("thread.wait_status_null", null, Error::BadAddress);
    check::err("thread.wait_status_read_only", ro, Error::BadAddress);

    COUNTER.store(0, SeqCst);
    let workers: [Result<u64, Error>; 4] = core::array::from_fn(|_| rt::thread::spawn(counter, 0));
    let mut all_ok = true;
    for w in workers {
        match w.and_then(|w| sys::thread_wait(w, WAIT_NS)) {
            Ok(s) if s.kind == TaskStatusKind::Exited && s.code == 0 => {}
            _ => all_ok = false,
        }
    }
    let total = COUNTER.load(SeqCst);
    check::that(
        "thread.share_memory",
        all_ok && total == 4 * INCREMENTS,
        format_args!("counted {total} of {}", 4 * INCREMENTS),
    );

    let Ok(n) = sys::notification_create() else { return };
    GATE.store(0, SeqCst);
    let Ok(g) = rt::thread::spawn(gated, n) else { return };
    sys::sleep(10_000_000);
    check::err("thread.wait_poll_running", sys::thread_wait(g, 0), Error::WouldBlock);
    let start = sys::clock_ns();
    let r = sys::thread_wait(g, 20_000_000);
    let waited = sys::clock_ns() - start;
    check::err("thread.wait_times_out", r, Error::TimedOut);
    check::that("thread.wait_timeout_waited", waited >= 20_000_000, format_args!("waited {waited} ns"));
    if let Ok(no_read) = sys::cap_derive(g, W | D, 0, 0, 0) {
        check::err("thread.wait_needs_read", sys::thread_wait(no_read, 0), Error::MissingRights);
    }
    let _ = sys::notify_signal(n, 0x3);
    status_is("thread.woken_thread_exits", sys::thread_wait(g, WAIT_NS), TaskStatusKind::Exited, 5);
    check::eq("thread.woken_thread_saw_bits", GATE.load(SeqCst), 0x3);
    check::err("thread.wait_own_thread", sys::thread_wait(THREAD_SELF_SLOT, 0), Error::InvalidArgument);
    check::err("thread.wait_task_cap", sys::thread_wait(0, 0), Error::WrongType);
    check::err("thread.wait_endpoint", sys::thread_wait(4, 0), Error::WrongType);
    check::err("thread.wait_empty_slot", sys::thread_wait(EMPTY, 0), Error::InvalidCap);
}

// A thread started with the bare call: our own entry stub aligns the stack
// as a call would and runs `raw_thread_main(rdi)`.
core::arch::global_asm!(
    ".pushsection .text.vulcan_raw_thread, \"ax\", @progbits",
    ".globl vulcan_raw_thread",
    ".type vulcan_raw_thread, @function",
    "vulcan_raw_thread:",
    "    xor ebp, ebp",
    "    and rsp, -16",
    "    call {main}",
    "    ud2",
    ".size vulcan_raw_thread, . - vulcan_raw_thread",
    ".popsection",
    main = sym raw_thread_main,
);

extern "C" {
    fn vulcan_raw_thread();
}

static RAW_THREAD_SAW: AtomicU64 = AtomicU64::new(0);

extern "C" fn raw_thread_main(arg: u64) -> ! {
    RAW_THREAD_SAW.store(arg, SeqCst);
    sys::thread_exit(arg as i32 + 1)
}

fn raw_threads() {
    let entry = vulcan_raw_thread as *const () as u64;
    let Ok(mem) = sys::mem_alloc(4, 0) else { return };
    let stack = match memory::map(mem, window(20), 0, 4, PROT_READ | PROT_WRITE) {
        Ok(m) => m,
        Err(e) => {
            check::fail("thread.raw_create", format_args!("stack mem_map: {e:?}"));
            return;
        }
    };
    let top = stack.base() + 4 * PAGE_SIZE;
    RAW_THREAD_SAW.store(0, SeqCst);
    // SAFETY: `entry` is our stub, which runs `raw_thread_main` and never
    // returns; the stack is 4 fresh pages used by nothing else (the
    // `Mapped` is kept alive and never read).
    let created = unsafe { sys::thread_create(entry, top, 77) };
    if let Some(t) = check::ok("thread.raw_create", created) {
        status_is("thread.raw_thread_exit_code", sys::thread_wait(t, WAIT_NS), TaskStatusKind::Exited, 78);
        check::eq("thread.raw_thread_got_arg", RAW_THREAD_SAW.load(SeqCst), 77);
    }
    let nr = Syscall::ThreadCreate.nr();
    // SAFETY: every one of these is refused before a thread starts (entry
    // or stack outside the user range, or a misaligned stack).
    let bad = unsafe {
        [
            ("thread.create_entry_null", raw(nr, 0, top, 0, 0, 0, 0)),
            ("thread.create_entry_kernel", raw(nr, addr::KERNEL, top, 0, 0, 0, 0)),
            ("thread.create_entry_past_user_end", raw(nr, USER_END, top, 0, 0, 0, 0)),
            ("thread.create_stack_misaligned", raw(nr, entry, top - 8, 0, 0, 0, 0)),
            ("thread.create_stack_null", raw(nr, entry, 0, 0, 0, 0, 0)),
            ("thread.create_stack_kernel", raw(nr, entry, addr::KERNEL, 0, 0, 0, 0)),
        ]
    };
    for (name, got) in bad {
        check::err(name, got, Error::InvalidArgument);
    }
    // The stack stays mapped (a `Mapped` going out of scope does not
    // unmap): the thread may still be winding down on it.
}

fn thread_roles() {
    match roles::spawn(b"v-threadfault", roles::THREAD_FAULT) {
        Ok(t) => {
            if let Some(s) = status_is("thread.fault_ends_task", roles::finish(t, WAIT_NS), TaskStatusKind::Faulted, 14)
            {
                check::eq("thread.fault_address", s.fault_addr, roles::THREAD_FAULT_ADDR);
            }
        }
        Err(e) => {
            check::fail("thread.fault_ends_task", format_args!("spawn: {e:?}"));
        }
    }
    let start = sys::clock_ns();
    match roles::spawn(b"v-lastthread", roles::THREAD_EXIT_LAST) {
        Ok(t) => {
            let s = roles::finish(t, WAIT_NS);
            let lived = sys::clock_ns() - start;
            check::that(
                "thread.task_ends_with_last_thread",
                matches!(s, Ok(st) if st.kind == TaskStatusKind::Exited) && lived >= roles::THREAD_EXIT_LAST_NS,
                format_args!("status {s:?} after {lived} ns (other thread sleeps {} ns)", roles::THREAD_EXIT_LAST_NS),
            );
        }
        Err(e) => {
            check::fail("thread.task_ends_with_last_thread", format_args!("spawn: {e:?}"));
        }
    }
}
