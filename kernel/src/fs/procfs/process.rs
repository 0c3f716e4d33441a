//! /proc/<pid>/*: what ps, top, python and glibc read about a process.
//! The kernel gathers it here into `kernel_ops` records; the Linux
//! personality prints them (personality-linux's procfs), as the format is
//! Linux's ABI.

use super::linux_text;
use crate::task::process::Process;
use crate::task::thread::{Thread, ThreadState};
use alloc::string::String;
use alloc::vec::Vec;
use kernel_ops::{
    MappingName, MappingRecord, MemoryLayout, ProcFile, ProcessRecord, SignalHandler, SignalSet, TaskState, TaskTimes,
    ThreadRecord,
};

/// A name as threads keep it: up to 16 bytes, ended by a zero if shorter.
fn name_bytes(name: &[u8; 16]) -> Vec<u8> {
    let end = name.iter().position(|&b| b == 0).unwrap_or(16);
    name[..end].to_vec()
}

fn name_of(p: &Process) -> Vec<u8> {
    name_bytes(&p.main_thread().map(|t| *t.name.lock()).unwrap_or([0; 16]))
}

pub fn comm(p: &Process) -> String {
    String::from_utf8_lossy(&name_of(p)).into_owned()
}

/// A thread's own name (prctl PR_SET_NAME), as its task/<tid>/comm shows.
pub fn thread_comm(t: &Thread) -> String {
    String::from_utf8_lossy(&name_bytes(&t.name.lock())).into_owned()
}

fn thread_state(p: &Process, t: &Thread) -> TaskState {
    match t.state() {
        _ if p.is_zombie() => TaskState::Zombie,
        ThreadState::Running | ThreadState::Runnable => TaskState::Running,
        ThreadState::Dead => TaskState::Dead,
        ThreadState::Blocked => TaskState::Sleeping,
    }
}

/// The process's state: its main thread's, running or not.
fn process_state(p: &Process) -> TaskState {
    if p.is_zombie() {
        return TaskState::Zombie;
    }
    match p.main_thread().map(|t| t.state()) {
        Some(ThreadState::Running) | Some(ThreadState::Runnable) => TaskState::Running,
        _ => TaskState::Sleeping,
    }
}

/// Sizes in bytes of the process's mappings by kind, as status reports them.
fn layout(p: &Process) -> MemoryLayout {
    let mm = p.mm();
    let a = mm.lock();
    let mut l = MemoryLayout::default();
    for (start, vma) in a.regions() {
        let len = vma.end - start;
        l.size += len;
        if vma.is_stack {
            l.stack += len;
        } else if vma.prot.execute && !vma.prot.write {
            l.exe += len;
        } else if vma.prot.write && !vma.backing.is_shared() {
            l.data += len;
        }
    }
    l.resident = a.sizes().1;
    l.locked = a.locks.ranges.total();
    l
}

fn times(u: &kernel_ops::ResourceUsage) -> TaskTimes {
    TaskTimes { user_ns: u.user_ns, system_ns: u.system_ns, minor_faults: u.minor_faults, major_faults: u.major_faults }
}

/// Everything stat, status and statm show about `p`, from its live state.
fn record(p: &Process) -> ProcessRecord {
    let own = crate::task::usage::of_process(p, 0);
    let children = crate::task::usage::of_children(p);
    let ctty = crate::fs::tty::controlling(p.sid());
    let main = p.main_thread();
    let creds = *p.creds.lock();
    let (pending, blocked) = main.as_ref().map_or((0, 0), |t| {
        let s = t.signals.lock();
        (s.pending, s.mask)
    });
    let (mut ignored, mut caught) = (0u64, 0u64);
    for (i, a) in p.actions().lock().iter().enumerate() {
        match a.handler {
            SignalHandler::Ignore => ignored |= 1 << i,
            SignalHandler::User(_) => caught |= 1 << i,
            SignalHandler::Default => {}
        }
    }
    let no_new_privileges = crate::task::settings::get(
        &p.settings,
        &crate::task::settings::ThreadSettings::new(),
        kernel_ops::TaskSetting::NoNewPrivileges,
    ) != 0;
    let mut layout = layout(p);
    layout.peak_resident = own.max_rss_bytes;
    // Each lock taken and let go here: a guard made inside the record's
    // literal would live until the whole literal is built, and the
    // thread list is taken again by some of the calls in it.
    let threads = p.threads.lock().len();
    let umask = p.fs().lock().umask;
    let descriptors = p.files().lock().iter().last().map_or(0, |(fd, _)| *fd as u64 + 1);
    let tracer_pid = crate::task::ptrace::tracer_pid(p);
    ProcessRecord {
        pid: p.pid,
        name: name_of(p),
        state: process_state(p),
        parent_pid: p.parent_pid(),
        pgid: p.pgid(),
        sid: p.sid(),
        tty: ctty.as_ref().map_or(0, |t| t.tty_nr()),
        foreground_pgid: ctty.as_ref().map_or(-1, |t| t.foreground() as i32),
        own: times(&own),
        children: times(&children),
        nice: p.nice.load(core::sync::atomic::Ordering::Relaxed),
        scheduling: main.as_ref().map_or(kernel_ops::Scheduling::NORMAL, |t| t.settings.scheduling.get()),
        threads,
        start_ns: p.start_ns,
        layout,
        last_cpu: main.as_ref().and_then(|t| t.last_cpu()).unwrap_or(0) as u32,
        umask,
        tracer_pid,
        uids: [creds.uid, creds.euid, creds.suid, creds.fsuid],
        gids: [creds.gid, creds.egid, creds.sgid, creds.fsgid],
        groups: p.groups().to_vec(),
        descriptors,
        signal_queue_limit: p.limit(kernel_ops::Resource::PendingSignals).soft,
        pending: SignalSet(pending),
        shared_pending: SignalSet(p.shared_pending()),
        blocked: SignalSet(blocked),
        ignored: SignalSet(ignored),
        caught: SignalSet(caught),
        privileges: creds.privileges,
        no_new_privileges,
        cpus: crate::arch::percpu::online_cpus().max(1),
        voluntary_switches: own.voluntary_switches,
        involuntary_switches: own.involuntary_switches,
        thread: None,
        personality: p.personality().name(),
    }
}

/// The process's record with the thread's id, name and state in place of
/// the process's (a thread's files under task/).
fn thread_record(p: &Process, t: &Thread) -> ProcessRecord {
    let mut r = record(p);
    let name = name_bytes(&t.name.lock());
    r.thread = Some(ThreadRecord { tid: t.tid, name, state: thread_state(p, t) });
    r
}

pub fn stat(p: &Process) -> String {
    linux_text(ProcFile::Stat(&record(p)))
}

/// /proc/<pid>/task/<tid>/stat: the process's line with the thread's id,
/// name and state.
pub fn thread_stat(p: &Process, t: &Thread) -> String {
    linux_text(ProcFile::Stat(&thread_record(p, t)))
}

pub fn statm(p: &Process) -> String {
    linux_text(ProcFile::Statm(&record(p)))
}

pub fn status(p: &Process) -> String {
    crate::task::usage::sample_peak_rss(p);
    linux_text(ProcFile::Status(&record(p)))
}

/// /proc/<pid>/task/<tid>/status: the process's, with the thread's name,
/// state and id.
pub fn thread_status(p: &Process, t: &Thread) -> String {
    crate::task::usage::sample_peak_rss(p);
    linux_text(ProcFile::Status(&thread_record(p, t)))
}

/// `[start, end)` of the region that starts at `region_start`, as maps
/// shows it (`resident`: count its pages in memory, for smaps).
fn mapping(a: &crate::mm::AddressSpace, piece: &crate::mm::memory_lock::Piece<'_>, resident: bool) -> MappingRecord {
    let (vma, start, end, region_start) = (piece.vma, piece.start, piece.end, piece.region_start);
    let into = start - region_start;
    let (offset, minor, inode, name) = match &vma.backing {
        // The device is the file system's number, plus one (0 is none).
        crate::mm::Backing::File { node: hold, offset, .. } => {
            (*offset + into, hold.node.fs.0 + 1, hold.node.ino, MappingName::Path(hold.path.to_vec()))
        }
        crate::mm::Backing::SharedFile { file, offset } => {
            (*offset + into, file.hold.node.fs.0 + 1, file.hold.node.ino, MappingName::Path(file.hold.path.to_vec()))
        }
        crate::mm::Backing::Kernel(pages) => (0, 0, 0, MappingName::Kernel(pages.name)),
        // Linux names a segment by its key; its inode is the id's.
        crate::mm::Backing::SysvShm(s) => (
            vma.pgoff * 4096 + into,
            0,
            s.meta.id.load(core::sync::atomic::Ordering::Relaxed) as u64,
            MappingName::SharedMemory { key: s.meta.key as u32 },
        ),
        _ if vma.is_stack => (0, 0, 0, MappingName::Stack),
        _ if region_start >= a.brk_base && region_start < a.brk.max(a.brk_base + 1) => (0, 0, 0, MappingName::Heap),
        _ => (0, 0, 0, MappingName::None),
    };
    MappingRecord {
        start,
        end,
        read: vma.prot.read,
        write: vma.prot.write,
        execute: vma.prot.execute,
        shared: vma.backing.is_shared(),
        offset,
        major: 0,
        minor,
        inode,
        name,
        resident: if resident { a.resident_pages(start, end).iter().filter(|r| **r).count() as u64 * 4096 } else { 0 },
        anonymous: matches!(vma.backing, crate::mm::Backing::Anonymous),
        stack: vma.is_stack,
        locked: piece.locked,
    }
}

/// The process's mappings, split where a lock starts or ends, as Linux
/// splits a partly locked VMA.
fn mappings(p: &Process, resident: bool) -> Vec<MappingRecord> {
    let mm = p.mm();
    let a = mm.lock();
    crate::mm::memory_lock::pieces(&a).iter().map(|piece| mapping(&a, piece, resident)).collect()
}

pub fn maps(p: &Process) -> String {
    linux_text(ProcFile::Maps(&mappings(p, false)))
}

/// smaps: maps with each mapping's resident pages, counted from the page
/// table.
pub fn smaps(p: &Process) -> String {
    linux_text(ProcFile::Smaps(&mappings(p, true)))
}

/// mountinfo (proc(5)), from the mount table as the reader sees it.
pub fn mountinfo() -> String {
    linux_text(ProcFile::Mountinfo(&super::system::visible_mounts()))
}

pub fn cmdline(p: &Process) -> Vec<u8> {
    p.cmdline.lock().clone()
}

pub fn environ(p: &Process) -> Vec<u8> {
    p.environ.lock().clone()
}
