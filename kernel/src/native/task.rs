//! Tasks and threads of the native personality: spawn from a file
//! capability with exactly the capabilities the spawner lists, kill, wait,
//! exit; and supervision: when a task ends (exit, kill, or a fault the
//! kernel turned into a kill) its supervisor's notification is signalled
//! and `task_wait` reports how it ended.

use super::misc::{copy_in, copy_out, task_name};
use crate::arch::context::{self, Context};
use crate::cap::{self, KObject};
use crate::fs::FdTable;
use crate::ipc::{table_of, Notification};
use crate::mm::kernel_stack::KernelStack;
use crate::mm::Mm;
use crate::sched;
use crate::sync::SpinLock;
use crate::task::process::{self, NewProcess, Process};
use crate::task::thread::Thread;
use abi::{CapType, Error, Rights, SpawnSpec, TaskStatus, TaskStatusKind, FIRST_GRANTED_SLOT, NO_CAP};
use alloc::sync::Arc;
use captable::Placement;
use core::sync::atomic::{AtomicBool, AtomicU64};
use kernel_ops::{ChildStatus, Signal, SignalCause};

/// What the kernel keeps about a native task beyond its process.
pub struct NativeTask {
    /// Signalled with these bits when the task ends.
    pub supervisor: Option<(Arc<Notification>, u64)>,
    /// The full exit code (processes keep only 8 bits).
    pub exit_code: SpinLock<Option<i32>>,
    /// The fault that killed it: (vector, address, instruction).
    pub fault: SpinLock<Option<(u8, u64, u64)>>,
    pub status: SpinLock<Option<TaskStatus>>,
    /// Pages `mem_alloc` may still hand out (u64::MAX: no limit).
    pub memory_budget: Arc<AtomicU64>,
    pub logged_unknown: AtomicBool,
    /// The last debug_write did not end its line.
    pub line_open: AtomicBool,
}

impl NativeTask {
    fn new(supervisor: Option<(Arc<Notification>, u64)>, memory_limit_pages: u64) -> Arc<NativeTask> {
        let budget = if memory_limit_pages == 0 { u64::MAX } else { memory_limit_pages };
        Arc::new(NativeTask {
            supervisor,
            exit_code: SpinLock::new(None),
            fault: SpinLock::new(None),
            status: SpinLock::new(None),
            memory_budget: Arc::new(AtomicU64::new(budget)),
            logged_unknown: AtomicBool::new(false),
            line_open: AtomicBool::new(false),
        })
    }
}

fn native_of(p: &Process) -> Option<Arc<NativeTask>> {
    p.native.lock().clone()
}

/// After exec loaded a native program into `t`'s process: the descriptor
/// table (now a capability table) is emptied and the task gets itself, its
/// address space and its thread in the fixed slots.
pub fn on_exec(t: &Arc<Thread>) -> Result<(), Error> {
    let p = t.process().clone();
    if p.native.lock().is_none() {
        *p.native.lock() = Some(NativeTask::new(None, 0));
    }
    let files = p.files();
    let closing = files.lock().take_all();
    drop(closing);
    let table = p.cap_table();
    cap::with_space(|s| s.set_limit(table, abi::MAX_SLOTS as u32))?;
    let self_caps = [KObject::Task(p.clone()), KObject::AddressSpace(p.mm()), KObject::Thread(t.clone())];
    for (slot, object) in self_caps.into_iter().enumerate() {
        cap::with_space(|s| s.insert_root(table, Placement::Exactly(slot as u32), object, Rights::ALL, 0))?;
    }
    p.set_exit_signal(None);
    Ok(())
}

pub fn spawn(t: &Arc<Thread>, image: u64, spec_ptr: u64) -> Result<u64, Error> {
    let table = table_of(t);
    let (file, _, _) = cap::lookup(table, image, CapType::File, Rights::EXEC)?;
    let KObject::File(file) = file else { return Err(Error::WrongType) };
    let node = file.node().ok_or(Error::InvalidArgument)?;
    let bytes = copy_in(t, spec_ptr, SpawnSpec::SIZE as u64)?;
    let spec = SpawnSpec::decode(&bytes).map_err(|_| Error::InvalidArgument)?;
    // Check every grant before anything is built.
    for &(slot, _) in &spec.caps[..spec.cap_count] {
        let (_, rights, _) = cap::lookup_any(table, slot)?;
        if !rights.contains(Rights::TRANSFER) {
            return Err(Error::MissingRights);
        }
    }
    let supervisor = if spec.supervisor == NO_CAP {
        None
    } else {
        let (n, _, _) = cap::lookup(table, spec.supervisor, CapType::Notification, Rights::WRITE)?;
        let KObject::Notification(n) = n else { return Err(Error::WrongType) };
        Some((n, spec.supervisor_bits))
    };
    let parent = t.process().clone();
    let fs_context = parent.fs().lock().clone();
    let name = spec.name_bytes().to_vec();
    let grants = &spec.caps[..spec.cap_count];
    let created = create(
        Creation {
            name,
            fs: fs_context,
            supervisor,
            memory_limit_pages: spec.memory_limit_pages,
            node,
            path: &file.path,
            arg: spec.arg,
        },
        |child_table| {
            for (i, &(slot, rights)) in grants.iter().enumerate() {
                let at = Placement::Exactly((FIRST_GRANTED_SLOT + i as u64) as u32);
                cap::with_space(|s| s.copy(table, slot, child_table, rights, at))?;
            }
            Ok(())
        },
    )?;
    let (p, child) = created;
    let slot = match cap::insert(table, KObject::Task(p.clone()), Rights::ALL) {
        Ok(slot) => slot,
        Err(e) => {
            abandon(&p);
            return Err(e);
        }
    };
    crate::debug!(
        "native: pid {} spawned task {} (pid {})",
        parent.pid,
        alloc::string::String::from_utf8_lossy(&p.exe.lock().clone()),
        p.pid
    );
    sched::enqueue(child);
    Ok(slot)
}

/// What a new task is made from.
struct Creation<'a> {
    name: alloc::vec::Vec<u8>,
    fs: crate::fs::FsContext,
    supervisor: Option<(Arc<Notification>, u64)>,
    memory_limit_pages: u64,
    node: vfs::NodeRef,
    path: &'a [u8],
    arg: u64,
}

/// Builds a task from its program and gives it its capabilities
/// (`install` fills its table), ready to be enqueued.
fn create(
    c: Creation<'_>,
    install: impl FnOnce(captable::TableId) -> Result<(), Error>,
) -> Result<(Arc<Process>, Arc<Thread>), Error> {
    if !crate::mm::frames::user_may_allocate(16) {
        return Err(Error::NoMemory);
    }
    let pid = process::allocate_id();
    let mm = Mm::new().map_err(|_| Error::NoMemory)?;
    let files = FdTable::new().map_err(|_| Error::NoMemory)?;
    let name = c.name;
    let p = Process::new(NewProcess {
        pid,
        personality: crate::personality::native(),
        mm,
        files: Arc::new(SpinLock::ranked(crate::sync::Rank::FdTable, files)),
        fs: Arc::new(SpinLock::new(c.fs)),
        creds: kernel_ops::Credentials::default(),
        groups: Arc::new(alloc::vec::Vec::new()),
        nice: 0,
        actions: Arc::new(SpinLock::new([kernel_ops::SignalAction::default(); 64])),
        parent: alloc::sync::Weak::new(),
        pgid: pid,
        sid: pid,
        exe: name.clone(),
        cmdline: name.clone(),
        limits: process::default_limits(),
    });
    p.set_exit_signal(None);
    *p.native.lock() = Some(NativeTask::new(c.supervisor, c.memory_limit_pages));
    let kstack = KernelStack::new().map_err(|_| Error::NoMemory)?;
    let mut frame = kernel_ops::UserContext::new_program(0, 0);
    let top = kstack.top();
    let mut thread_name = [0u8; 16];
    thread_name[..name.len().min(15)].copy_from_slice(&name[..name.len().min(15)]);
    let child = Thread::new_user(
        pid,
        p.clone(),
        kstack,
        Context::new_user(top, &frame, context::FpuState::initial(), 0),
        0,
        thread_name,
    );
    p.threads.lock().push(child.clone());

    let result = (|| -> Result<(), Error> {
        crate::task::exec::exec_node(&child, &mut frame, c.node, c.path, core::slice::from_ref(&name), &[])
            .map_err(|_| Error::InvalidArgument)?;
        if !p.is_native() {
            return Err(Error::InvalidArgument);
        }
        // exec named the thread after the file; the spawner's name wins.
        *child.name.lock() = thread_name;
        install(p.cap_table())
    })();
    match result {
        Ok(()) => {
            super::arch::set_start_argument(&mut frame, c.arg);
            child.context().set_initial_frame(top, &frame);
            Ok((p, child))
        }
        Err(e) => {
            abandon(&p);
            Err(e)
        }
    }
}

/// A task that never ran: its capabilities (which name itself) go so
/// that the process can be freed.
fn abandon(p: &Arc<Process>) {
    p.threads.lock().clear();
    let closing = p.files().lock().take_all();
    drop(closing);
    *p.native.lock() = None;
}

/// Starts a server the kernel itself needs (an ext2 server for a loop
/// device's mount: fs/loop_mount.rs) from the program at `path` in the
/// root file system, with `grants` at slots 3, 4, ... No task supervises
/// it: the kernel ends it with `kill_service` when it is done with it.
pub fn spawn_service(
    path: &[u8],
    name: &[u8],
    arg: u64,
    grants: alloc::vec::Vec<(KObject, Rights)>,
) -> Result<Arc<Process>, Error> {
    let creds = vfs::Credentials::root();
    let (node, root) = crate::fs::with_vfs(|v| {
        let root = v.root();
        v.resolve(root, root, path, true, &creds).map(|n| (n, root))
    })
    .map_err(|_| Error::NotFound)?;
    let fs = crate::fs::FsContext { cwd: root, root, umask: 0o022 };
    let (p, child) = create(
        Creation { name: name.to_vec(), fs, supervisor: None, memory_limit_pages: 0, node, path, arg },
        |table| {
            for (i, (object, rights)) in grants.into_iter().enumerate() {
                let at = Placement::Exactly((FIRST_GRANTED_SLOT + i as u64) as u32);
                cap::with_space(|s| s.insert_root(table, at, object, rights, 0))?;
            }
            Ok(())
        },
    )?;
    crate::debug!("native: the kernel started {} (pid {})", alloc::string::String::from_utf8_lossy(name), p.pid);
    sched::enqueue(child);
    Ok(p)
}

/// Ends a task started with `spawn_service`.
pub fn kill_service(p: &Arc<Process>) {
    if p.exit.lock().is_none() {
        crate::task::signal::send_to_process(p, Signal::KILL, SignalCause::Kernel);
    }
}

pub fn kill(t: &Arc<Thread>, task: u64) -> Result<u64, Error> {
    let (obj, _, _) = cap::lookup(table_of(t), task, CapType::Task, Rights::WRITE)?;
    let KObject::Task(p) = obj else { return Err(Error::WrongType) };
    if p.exit.lock().is_none() {
        crate::task::signal::send_to_process(&p, Signal::KILL, SignalCause::Kernel);
    }
    Ok(0)
}

fn wait_status(
    t: &Arc<Thread>,
    queue: &crate::sched::WaitQueue,
    timeout: u64,
    status: u64,
    get: impl Fn() -> Option<TaskStatus>,
) -> Result<u64, Error> {
    let mut found = get();
    if found.is_none() {
        if timeout == 0 {
            return Err(Error::WouldBlock);
        }
        let deadline = crate::ipc::deadline(timeout);
        let r = queue.wait_until(true, deadline, || {
            found = get();
            found.is_some()
        });
        if let Err(e) = r {
            return Err(match e {
                crate::sched::WaitError::TimedOut => Error::TimedOut,
                crate::sched::WaitError::Interrupted => Error::InvalidState,
            });
        }
    }
    let s = found.ok_or(Error::InvalidState)?;
    copy_out(t, status, &s.encode())?;
    Ok(0)
}

pub fn wait_task(t: &Arc<Thread>, task: u64, timeout: u64, status: u64) -> Result<u64, Error> {
    let (obj, _, _) = cap::lookup(table_of(t), task, CapType::Task, Rights::READ)?;
    let KObject::Task(p) = obj else { return Err(Error::WrongType) };
    let get = || native_of(&p).and_then(|n| *n.status.lock());
    wait_status(t, &p.ended, timeout, status, get)
}

pub fn wait_thread(t: &Arc<Thread>, thread: u64, timeout: u64, status: u64) -> Result<u64, Error> {
    let (obj, _, _) = cap::lookup(table_of(t), thread, CapType::Thread, Rights::READ)?;
    let KObject::Thread(th) = obj else { return Err(Error::WrongType) };
    if Arc::ptr_eq(&th, t) {
        return Err(Error::InvalidArgument); // would wait for itself forever
    }
    let get = || *th.end.lock();
    wait_status(t, &th.ended, timeout, status, get)
}

pub fn exit_task(t: &Arc<Thread>, code: u64) -> Result<u64, Error> {
    let code = code as i32;
    if let Some(n) = native_of(t.process()) {
        *n.exit_code.lock() = Some(code);
    }
    crate::task::lifecycle::exit_group(t, ChildStatus::Exited(code as u8));
    Ok(0)
}

pub fn thread_exit(t: &Arc<Thread>, code: u64) -> Result<u64, Error> {
    *t.end.lock() = Some(TaskStatus { kind: TaskStatusKind::Exited, code: code as i32, fault_addr: 0, fault_ip: 0 });
    if let Some(n) = native_of(t.process()) {
        n.exit_code.lock().get_or_insert(code as i32);
    }
    crate::task::lifecycle::exit_thread(t, ChildStatus::Exited(code as u8));
    Ok(0)
}

pub fn thread_create(t: &Arc<Thread>, entry: u64, stack: u64, arg: u64) -> Result<u64, Error> {
    let user = abi::USER_MIN..abi::USER_END;
    if !user.contains(&entry) || !user.contains(&stack) || !stack.is_multiple_of(16) {
        return Err(Error::InvalidArgument);
    }
    if !crate::mm::frames::user_may_allocate(8) {
        return Err(Error::NoMemory);
    }
    let p = t.process().clone();
    let tid = process::allocate_id();
    let kstack = KernelStack::new().map_err(|_| Error::NoMemory)?;
    let mut frame = kernel_ops::UserContext::new_program(entry, stack);
    super::arch::set_start_argument(&mut frame, arg);
    let ctx = Context::new_user(kstack.top(), &frame, context::FpuState::initial(), 0);
    let name = *t.name.lock();
    let th = Thread::new_user(tid, p.clone(), kstack, ctx, 0, name);
    let slot = cap::insert(table_of(t), KObject::Thread(th.clone()), Rights::ALL)?;
    p.threads.lock().push(th.clone());
    sched::enqueue(th);
    Ok(slot)
}

/// A thread has ended (exit_thread): record how, for `thread_wait`.
pub fn thread_ended(t: &Arc<Thread>, status: ChildStatus) {
    if !t.process().is_native() {
        return;
    }
    {
        let mut end = t.end.lock();
        if end.is_none() {
            *end = Some(status_of(t.process(), status));
        }
    }
    t.ended.wake_all();
}

fn status_of(p: &Process, status: ChildStatus) -> TaskStatus {
    let native = native_of(p);
    if let Some((vector, addr, ip)) = native.as_ref().and_then(|n| *n.fault.lock()) {
        return TaskStatus { kind: TaskStatusKind::Faulted, code: i32::from(vector), fault_addr: addr, fault_ip: ip };
    }
    match status {
        ChildStatus::Exited(c) => {
            let code = native.and_then(|n| *n.exit_code.lock()).unwrap_or(i32::from(c));
            TaskStatus { kind: TaskStatusKind::Exited, code, fault_addr: 0, fault_ip: 0 }
        }
        _ => TaskStatus { kind: TaskStatusKind::Killed, code: 0, fault_addr: 0, fault_ip: 0 },
    }
}

/// The process has ended: record the status and tell the supervisor.
pub fn task_ended(p: &Arc<Process>, status: ChildStatus) {
    let Some(n) = native_of(p) else { return };
    let s = status_of(p, status);
    *n.status.lock() = Some(s);
    crate::debug!("native: task pid {} ended: {:?}", p.pid, s);
    if let Some((ntfn, bits)) = &n.supervisor {
        ntfn.signal(*bits);
    }
}

/// A native task raised an exception the kernel cannot resolve: it is
/// killed (there are no signal handlers to run) and its supervisor told.
pub fn record_fault(t: &Arc<Thread>, vector: u8, address: u64, ip: u64) {
    let p = t.process().clone();
    if let Some(n) = native_of(&p) {
        n.fault.lock().get_or_insert((vector, address, ip));
    }
    crate::warn!(
        "native: task {} (pid {}) faulted: trap {} at {:#x}, pc {:#x}; killed",
        task_name(t),
        p.pid,
        vector,
        address,
        ip
    );
    crate::task::signal::send_to_process(&p, Signal::KILL, SignalCause::Kernel);
}
