//! /proc: process and kernel information generated on every read.
//!
//! Inode numbers encode what a node is: the machine-wide files and the
//! /proc/sys tree are a fixed table (`GLOBAL`, numbers below 0x10000); a
//! process's nodes are `pid << 32 | generation << 16 | kind`, its open
//! descriptors `pid << 32 | generation << 16 | 0x8000 | fd`. Nothing is stored: every read renders fresh
//! text from the live kernel state. The text of the files whose format
//! is Linux's comes from the Linux personality ([`linux_text`]).

mod config;
mod cpuinfo;
pub mod memory;
mod net;
mod process;
mod sysctl;
mod system;

pub use system::filesystem_types;

use super::fanotify::tunables as fan;
use super::generated_tree::{self, Entry, Node, Tree, ROOT};
use super::mqueue::tunables as mq;
use crate::fs::Vfs;
use crate::keys;
use crate::sysv;
use crate::task::process::{self as processes, Process};
use alloc::boxed::Box;
use alloc::format;
use alloc::sync::Arc;
use alloc::vec::Vec;
use vfs::{
    DirEntry, Error, FileSystem, FileType, FsStats, Ino, Metadata, MetadataChange, NewNode, NodeAttrs, Timestamp,
};

const SELF: Ino = 2;
const SYS: Ino = 12;
const SYS_KERNEL: Ino = 13;
const SYS_RANDOM: Ino = 14;
const SYS_VM: Ino = 15;
const SYS_FS: Ino = 16;
const SYS_FS_INOTIFY: Ino = 17;
const SYSVIPC: Ino = 0x408;
const SYS_FS_MQUEUE: Ino = 0x40c;
const SYS_KERNEL_KEYS: Ino = 0x500;
const SYS_FS_FANOTIFY: Ino = 0x430;
const NET: Ino = 0x600;

/// Where process directories start among /proc's directory positions
/// (after the fixed entries).
const PID_POSITION: u64 = 1 << 16;

const fn file(ino: Ino, parent: Ino, name: &'static str, render: fn() -> alloc::string::String) -> Entry {
    Entry { ino, parent, name, node: Node::File(render) }
}

const fn tunable(
    ino: Ino,
    parent: Ino,
    name: &'static str,
    render: fn() -> alloc::string::String,
    set: fn(&[u8]) -> Result<(), Error>,
) -> Entry {
    Entry { ino, parent, name, node: Node::Tunable(render, set) }
}

const fn dir(ino: Ino, parent: Ino, name: &'static str) -> Entry {
    Entry { ino, parent, name, node: Node::Dir }
}

/// Everything in /proc that is not about one process.
static GLOBAL: Tree = Tree(&[
    file(3, ROOT, "meminfo", system::meminfo),
    file(4, ROOT, "uptime", system::uptime),
    file(5, ROOT, "stat", system::stat),
    file(6, ROOT, "loadavg", system::loadavg),
    file(7, ROOT, "mounts", system::mounts),
    file(8, ROOT, "cpuinfo", cpuinfo::render),
    file(9, ROOT, "version", system::version),
    file(10, ROOT, "filesystems", system::filesystems),
    file(11, ROOT, "cmdline", system::cmdline),
    Entry { ino: 37, parent: ROOT, name: "config.gz", node: Node::Binary(config::gzipped) },
    dir(SYS, ROOT, "sys"),
    dir(SYS_KERNEL, SYS, "kernel"),
    dir(SYS_RANDOM, SYS_KERNEL, "random"),
    dir(SYS_VM, SYS, "vm"),
    dir(SYS_FS, SYS, "fs"),
    file(20, SYS_KERNEL, "ostype", sysctl::ostype),
    file(21, SYS_KERNEL, "osrelease", sysctl::osrelease),
    file(22, SYS_KERNEL, "version", sysctl::version),
    tunable(23, SYS_KERNEL, "hostname", sysctl::hostname, sysctl::set_hostname),
    tunable(24, SYS_KERNEL, "domainname", sysctl::domainname, sysctl::set_domainname),
    file(25, SYS_KERNEL, "pid_max", sysctl::pid_max),
    file(26, SYS_KERNEL, "threads-max", sysctl::threads_max),
    file(27, SYS_KERNEL, "ngroups_max", sysctl::ngroups_max),
    file(28, SYS_KERNEL, "cap_last_cap", sysctl::cap_last_cap),
    // System V IPC and POSIX message queues (crate::sysv): their limits,
    // and the listings LTP counts free ids from.
    tunable(0x400, SYS_KERNEL, "shmmax", sysv::tunables::shmmax, sysv::tunables::set_shmmax),
    tunable(0x401, SYS_KERNEL, "shmall", sysv::tunables::shmall, sysv::tunables::set_shmall),
    tunable(0x402, SYS_KERNEL, "shmmni", sysv::tunables::shmmni, sysv::tunables::set_shmmni),
    tunable(0x403, SYS_KERNEL, "shm_rmid_forced", sysv::tunables::shm_rmid_forced, sysv::tunables::set_shm_rmid_forced),
    tunable(0x404, SYS_KERNEL, "sem", sysv::tunables::sem, sysv::tunables::set_sem),
    tunable(0x405, SYS_KERNEL, "msgmax", sysv::tunables::msgmax, sysv::tunables::set_msgmax),
    tunable(0x406, SYS_KERNEL, "msgmnb", sysv::tunables::msgmnb, sysv::tunables::set_msgmnb),
    tunable(0x407, SYS_KERNEL, "msgmni", sysv::tunables::msgmni, sysv::tunables::set_msgmni),
    tunable(0x412, SYS_KERNEL, "shm_next_id", sysv::tunables::shm_next_id, sysv::tunables::set_shm_next_id),
    tunable(0x413, SYS_KERNEL, "sem_next_id", sysv::tunables::sem_next_id, sysv::tunables::set_sem_next_id),
    tunable(0x414, SYS_KERNEL, "msg_next_id", sysv::tunables::msg_next_id, sysv::tunables::set_msg_next_id),
    // The key retention service's quotas and collector delay (crate::keys).
    dir(SYS_KERNEL_KEYS, SYS_KERNEL, "keys"),
    tunable(0x501, SYS_KERNEL_KEYS, "maxkeys", keys::maxkeys, keys::set_maxkeys),
    tunable(0x502, SYS_KERNEL_KEYS, "maxbytes", keys::maxbytes, keys::set_maxbytes),
    tunable(0x503, SYS_KERNEL_KEYS, "root_maxkeys", keys::root_maxkeys, keys::set_root_maxkeys),
    tunable(0x504, SYS_KERNEL_KEYS, "root_maxbytes", keys::root_maxbytes, keys::set_root_maxbytes),
    tunable(0x505, SYS_KERNEL_KEYS, "gc_delay", keys::gc_delay, keys::set_gc_delay),
    tunable(
        0x506,
        SYS_KERNEL_KEYS,
        "persistent_keyring_expiry",
        keys::persistent_keyring_expiry,
        keys::set_persistent_keyring_expiry,
    ),
    dir(SYSVIPC, ROOT, "sysvipc"),
    file(0x409, SYSVIPC, "shm", sysv::proc_shm),
    file(0x40a, SYSVIPC, "sem", sysv::proc_sem),
    file(0x40b, SYSVIPC, "msg", sysv::proc_msg),
    dir(SYS_FS_MQUEUE, SYS_FS, "mqueue"),
    tunable(0x40d, SYS_FS_MQUEUE, "msg_max", mq::msg_max, mq::set_msg_max),
    tunable(0x40e, SYS_FS_MQUEUE, "msgsize_max", mq::msgsize_max, mq::set_msgsize_max),
    tunable(0x40f, SYS_FS_MQUEUE, "queues_max", mq::queues_max, mq::set_queues_max),
    tunable(0x410, SYS_FS_MQUEUE, "msg_default", mq::msg_default, mq::set_msg_default),
    tunable(0x411, SYS_FS_MQUEUE, "msgsize_default", mq::msgsize_default, mq::set_msgsize_default),
    file(29, SYS_RANDOM, "boot_id", sysctl::boot_id),
    file(30, SYS_RANDOM, "uuid", sysctl::random_uuid),
    file(65, SYS_RANDOM, "entropy_avail", sysctl::entropy_avail),
    file(66, SYS_RANDOM, "poolsize", sysctl::entropy_avail),
    file(31, SYS_VM, "overcommit_memory", sysctl::overcommit_memory),
    file(32, SYS_FS, "file-max", sysctl::file_max),
    dir(SYS_FS_INOTIFY, SYS_FS, "inotify"),
    file(33, SYS_FS_INOTIFY, "max_queued_events", sysctl::inotify_max_queued_events),
    file(34, SYS_FS_INOTIFY, "max_user_watches", sysctl::inotify_max_user_watches),
    file(35, SYS_FS_INOTIFY, "max_user_instances", sysctl::inotify_max_user_instances),
    file(36, SYS_FS, "pipe-max-size", sysctl::pipe_max_size),
    dir(SYS_FS_FANOTIFY, SYS_FS, "fanotify"),
    tunable(0x431, SYS_FS_FANOTIFY, "max_queued_events", fan::max_queued_events, fan::set_max_queued_events),
    tunable(0x432, SYS_FS_FANOTIFY, "max_user_groups", fan::max_user_groups, fan::set_max_user_groups),
    tunable(0x433, SYS_FS_FANOTIFY, "max_user_marks", fan::max_user_marks, fan::set_max_user_marks),
    file(0x4a0, SYS_FS, "aio-nr", crate::task::aio::aio_nr),
    tunable(0x4a1, SYS_FS, "aio-max-nr", crate::task::aio::aio_max_nr, crate::task::aio::set_aio_max_nr),
    file(60, SYS_KERNEL, "core_pattern", sysctl::core_pattern),
    file(62, SYS_KERNEL, "tainted", sysctl::tainted),
    tunable(63, SYS_KERNEL, "ns_last_pid", sysctl::ns_last_pid, sysctl::set_ns_last_pid),
    file(64, SYS_KERNEL, "printk", sysctl::printk),
    file(61, SYS_FS, "nr_open", sysctl::nr_open),
    // The network server's tables (net.rs); /proc/<pid>/net links here.
    dir(NET, ROOT, "net"),
    file(0x601, NET, "dev", net::dev),
    file(0x602, NET, "route", net::route),
    file(0x603, NET, "if_inet6", net::if_inet6),
    file(0x604, NET, "tcp", net::tcp),
    file(0x605, NET, "tcp6", net::tcp6),
    file(0x606, NET, "udp", net::udp),
    file(0x607, NET, "udp6", net::udp6),
]);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum PidNode {
    Dir,
    Stat,
    Status,
    Cmdline,
    Maps,
    Exe,
    Comm,
    FdDir,
    Statm,
    Environ,
    Mountinfo,
    Smaps,
    /// /proc/<pid>/mounts: what /proc/mounts shows (LTP's device helpers read /proc/self/mounts).
    Mounts,
    /// /proc/<pid>/task: a directory per thread.
    TaskDir,
    /// /proc/<pid>/auxv: the auxiliary vector the program started with.
    Auxv,
    /// /proc/<pid>/mem: the address space (memory.rs).
    Mem,
    /// /proc/<pid>/net: a link to /proc/net (one network for all).
    Net,
    Fd(u32),
    /// A node of /proc/<pid>/task/<tid>; its inode carries the tid where
    /// a process's nodes carry the pid.
    Thread(ThreadNode),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ThreadNode {
    Dir,
    Stat,
    Status,
    Comm,
    Maps,
    /// The thread's address space (its process's), as debuggers read it
    /// (gdb uses /proc/<pid>/task/<tid>/mem).
    Mem,
}

/// A thread's files (/proc/<pid>/task/<tid>/...) and their kind numbers,
/// under THREAD_KIND.
const THREAD_FILES: [(&str, ThreadNode, u64); 5] = [
    ("stat", ThreadNode::Stat, 2),
    ("status", ThreadNode::Status, 3),
    ("maps", ThreadNode::Maps, 5),
    ("comm", ThreadNode::Comm, 7),
    ("mem", ThreadNode::Mem, 16),
];
const THREAD_KIND: u64 = 0x4000;

/// A process's files and their kind numbers (the low bits of the inode).
const PID_FILES: [(&str, PidNode, u64); 16] = [
    ("stat", PidNode::Stat, 2),
    ("status", PidNode::Status, 3),
    ("cmdline", PidNode::Cmdline, 4),
    ("maps", PidNode::Maps, 5),
    ("exe", PidNode::Exe, 6),
    ("comm", PidNode::Comm, 7),
    ("fd", PidNode::FdDir, 8),
    ("statm", PidNode::Statm, 9),
    ("environ", PidNode::Environ, 10),
    ("mountinfo", PidNode::Mountinfo, 11),
    ("smaps", PidNode::Smaps, 12),
    ("mounts", PidNode::Mounts, 13),
    ("task", PidNode::TaskDir, 14),
    ("auxv", PidNode::Auxv, 15),
    ("mem", PidNode::Mem, 16),
    ("net", PidNode::Net, 17),
];

/// Bits 16-31 of a process's inode numbers: which process of that pid
/// (its serial), so that a node of a process that has ended never names
/// a later one given the same pid (Linux gives every /proc/<pid> a fresh
/// inode). In the low 32 bits, because programs keep st_ino in an int.
fn generation(p: &Process) -> u64 {
    p.serial & 0xffff
}

fn pid_ino(pid: u32, node: PidNode) -> Ino {
    let kind: u64 = match node {
        PidNode::Dir => 1,
        PidNode::Fd(fd) => 0x8000 | u64::from(fd & 0x7fff),
        PidNode::Thread(ThreadNode::Dir) => THREAD_KIND | 1,
        PidNode::Thread(t) => THREAD_KIND | THREAD_FILES.iter().find(|(_, n, _)| *n == t).map_or(0, |(_, _, k)| *k),
        other => PID_FILES.iter().find(|(_, n, _)| *n == other).map_or(0, |(_, _, k)| *k),
    };
    let generation = processes::find(pid).map_or(0, |p| generation(&p));
    (u64::from(pid) << 32) | (generation << 16) | kind
}

/// The pid and node an inode number names; None if it names nothing, or a
/// process that has ended (even if another now has its pid).
pub(crate) fn decode(ino: Ino) -> Option<(u32, PidNode)> {
    let pid = u32::try_from(ino >> 32).ok().filter(|p| *p > 0)?;
    if processes::find(pid).is_some_and(|p| generation(&p) != (ino >> 16) & 0xffff) {
        return None;
    }
    let kind = ino & 0xffff;
    let node = match kind {
        1 => PidNode::Dir,
        k if k & 0x8000 != 0 => PidNode::Fd((k & 0x7fff) as u32),
        k if k == THREAD_KIND | 1 => PidNode::Thread(ThreadNode::Dir),
        k if k & THREAD_KIND != 0 => PidNode::Thread(THREAD_FILES.iter().find(|(_, _, n)| *n == k & !THREAD_KIND)?.1),
        k => PID_FILES.iter().find(|(_, _, n)| *n == k)?.1,
    };
    Some((pid, node))
}

pub struct ProcFs;

/// The (pid, descriptor) a /proc/<pid>/fd/N node names, if `node` is one.
pub fn descriptor_of(v: &Vfs, node: vfs::NodeRef) -> Option<(u32, i32)> {
    if v.fs(node.fs).ok()?.lock().name() != "proc" {
        return None;
    }
    match decode(node.ino)? {
        (pid, PidNode::Fd(fd)) => Some((pid, fd as i32)),
        _ => None,
    }
}

/// Whether `node` is a /proc/<pid> directory, and if so its process while
/// that lives (pidfd_send_signal accepts such a directory's descriptor as
/// a pidfd; once its process has ended it names no process, even when a
/// new one has the same pid).
pub fn process_directory_of(v: &Vfs, node: vfs::NodeRef) -> Option<Option<Arc<Process>>> {
    if v.fs(node.fs).ok()?.lock().name() != "proc" || node.ino & 0xffff != 1 || node.ino >> 32 == 0 {
        return None;
    }
    Some(match decode(node.ino) {
        Some((pid, PidNode::Dir)) => processes::find(pid),
        _ => None,
    })
}

/// The reader and writer of each /proc/sys file a store of limits backs:
/// `tunable_files!(render, set; name, set_name, Tunable::Name; ...)` makes
/// `name()` render the value and `set_name(text)` parse and store it
/// (the store's own checks; a refusal is EINVAL).
macro_rules! tunable_files {
    ($render:expr, $set:expr; $($get:ident, $setter:ident, $t:expr);* $(;)?) => {
        $(
            pub fn $get() -> alloc::string::String {
                $render($t)
            }
            pub fn $setter(text: &[u8]) -> Result<(), vfs::Error> {
                $set($t, text).map_err(|_| vfs::Error::InvalidArgument)
            }
        )*
    };
}
pub(crate) use tunable_files;

/// Mounts /proc (creating the directory if the initramfs lacks it).
pub fn mount(v: &Vfs) {
    super::mount_generated(v, b"proc", Box::new(ProcFs));
    let ids = (0..).map(vfs::FsId).map_while(|id| v.fs(id).ok().map(|fs| (id, fs.lock().name() == "proc")));
    if let Some((id, _)) = ids.filter(|(_, proc)| *proc).last() {
        memory::mounted_as(id);
    }
}

/// The text of a file whose format is Linux's (stat, status, maps,
/// meminfo, ...). /proc is the Linux personality's file system, mounted by
/// the kernel on its behalf: the kernel decides which files exist and
/// gathers their records, the personality prints them
/// (`Personality::render_proc`, personality-linux's procfs). Every reader
/// gets Linux's text, whatever its own personality.
pub(crate) fn linux_text(file: kernel_ops::ProcFile<'_>) -> alloc::string::String {
    crate::personality::all()
        .iter()
        .find(|r| r.personality.name() == "linux")
        .and_then(|r| r.personality.render_proc(file))
        .unwrap_or_default()
}

fn boot_time() -> Timestamp {
    Timestamp { secs: system::boot_time_secs() as i64, nanos: 0 }
}

/// The directory holding `dir` (the walk asks for `..`, as when
/// /proc/<pid>/net's link, `../net`, is followed).
fn parent_of(dir: Ino) -> Result<Ino, Error> {
    if dir == ROOT {
        return Ok(ROOT);
    }
    if let Some(entry) = GLOBAL.get(dir) {
        return Ok(entry.parent);
    }
    match decode(dir).ok_or(Error::NotFound)? {
        (_, PidNode::Dir) => Ok(ROOT),
        (pid, PidNode::FdDir | PidNode::TaskDir) => Ok(pid_ino(pid, PidNode::Dir)),
        (tid, PidNode::Thread(ThreadNode::Dir)) => Ok(pid_ino(live_thread(tid)?.0.pid, PidNode::TaskDir)),
        _ => Err(Error::NotDirectory),
    }
}

fn live(pid: u32) -> Result<Arc<Process>, Error> {
    processes::find(pid).ok_or(Error::NotFound)
}

fn render_pid(pid: u32, node: PidNode) -> Result<Vec<u8>, Error> {
    if let PidNode::Thread(node) = node {
        return render_thread(pid, node);
    }
    let p = live(pid)?;
    Ok(match node {
        PidNode::Stat => process::stat(&p).into_bytes(),
        PidNode::Statm => process::statm(&p).into_bytes(),
        PidNode::Status => process::status(&p).into_bytes(),
        PidNode::Cmdline => process::cmdline(&p),
        PidNode::Environ => process::environ(&p),
        PidNode::Comm => format!("{}\n", process::comm(&p)).into_bytes(),
        PidNode::Maps => process::maps(&p).into_bytes(),
        PidNode::Smaps => process::smaps(&p).into_bytes(),
        PidNode::Mountinfo => process::mountinfo().into_bytes(),
        PidNode::Mounts => system::mounts().into_bytes(),
        PidNode::Auxv => p.auxv.lock().clone(),
        // Opened, it is read outside the VFS (FileObject, memory.rs).
        PidNode::Mem | PidNode::Thread(ThreadNode::Mem) => return Err(Error::InvalidArgument),
        PidNode::Dir
        | PidNode::FdDir
        | PidNode::TaskDir
        | PidNode::Thread(_)
        | PidNode::Exe
        | PidNode::Net
        | PidNode::Fd(_) => return Err(Error::IsDirectory),
    })
}

/// The live thread `tid` and its process.
fn live_thread(tid: u32) -> Result<(Arc<Process>, Arc<crate::task::thread::Thread>), Error> {
    let t = processes::find_thread(tid).ok_or(Error::NotFound)?;
    let p = t.try_process().cloned().ok_or(Error::NotFound)?;
    Ok((p, t))
}

fn render_thread(tid: u32, node: ThreadNode) -> Result<Vec<u8>, Error> {
    let (p, t) = live_thread(tid)?;
    Ok(match node {
        ThreadNode::Stat => process::thread_stat(&p, &t).into_bytes(),
        ThreadNode::Status => process::thread_status(&p, &t).into_bytes(),
        ThreadNode::Comm => format!("{}\n", process::thread_comm(&t)).into_bytes(),
        ThreadNode::Maps => process::maps(&p).into_bytes(),
        ThreadNode::Mem => return Err(Error::InvalidArgument),
        ThreadNode::Dir => return Err(Error::IsDirectory),
    })
}

impl FileSystem for ProcFs {
    fn name(&self) -> &str {
        "proc"
    }

    fn root(&self) -> Ino {
        ROOT
    }

    fn metadata(&self, ino: Ino) -> Result<Metadata, Error> {
        let meta = |ino, t, mode, uid| generated_tree::metadata(ino, t, mode, uid, boot_time());
        if ino == ROOT || GLOBAL.is_dir(ino) {
            return Ok(meta(ino, FileType::Directory, 0o555, 0));
        }
        if ino == SELF {
            return Ok(meta(SELF, FileType::Symlink, 0o777, 0));
        }
        if GLOBAL.setter(ino).is_some() {
            return Ok(meta(ino, FileType::Regular, 0o644, 0));
        }
        if GLOBAL.get(ino).is_some() {
            return Ok(meta(ino, FileType::Regular, 0o444, 0));
        }
        let (pid, node) = decode(ino).ok_or(Error::NotFound)?;
        let p = match node {
            PidNode::Thread(_) => live_thread(pid)?.0,
            _ => live(pid)?,
        };
        let uid = p.creds.lock().uid;
        Ok(match node {
            PidNode::Dir | PidNode::FdDir | PidNode::TaskDir | PidNode::Thread(ThreadNode::Dir) => {
                meta(ino, FileType::Directory, 0o555, uid)
            }
            PidNode::Exe | PidNode::Net | PidNode::Fd(_) => meta(ino, FileType::Symlink, 0o777, uid),
            PidNode::Environ | PidNode::Auxv => meta(ino, FileType::Regular, 0o400, uid),
            PidNode::Mem | PidNode::Thread(ThreadNode::Mem) => meta(ino, FileType::Regular, 0o600, uid),
            _ => meta(ino, FileType::Regular, 0o444, uid),
        })
    }

    fn lookup(&self, dir: Ino, name: &[u8]) -> Result<Ino, Error> {
        if name == b".." {
            return parent_of(dir);
        }
        if dir == ROOT && name == b"self" {
            return Ok(SELF);
        }
        if let Some(ino) = GLOBAL.lookup(dir, name) {
            return Ok(ino);
        }
        if dir == ROOT {
            let pid: u32 = core::str::from_utf8(name).ok().and_then(|s| s.parse().ok()).ok_or(Error::NotFound)?;
            live(pid)?;
            return Ok(pid_ino(pid, PidNode::Dir));
        }
        if GLOBAL.is_dir(dir) {
            return Err(Error::NotFound);
        }
        match decode(dir) {
            Some((pid, PidNode::Dir)) => {
                live(pid)?;
                PID_FILES
                    .iter()
                    .find(|(n, _, _)| n.as_bytes() == name)
                    .map(|(_, k, _)| pid_ino(pid, *k))
                    .ok_or(Error::NotFound)
            }
            Some((pid, PidNode::TaskDir)) => {
                let tid: u32 = core::str::from_utf8(name).ok().and_then(|s| s.parse().ok()).ok_or(Error::NotFound)?;
                let p = live(pid)?;
                if !p.threads.lock().iter().any(|t| t.tid == tid) {
                    return Err(Error::NotFound);
                }
                Ok(pid_ino(tid, PidNode::Thread(ThreadNode::Dir)))
            }
            Some((tid, PidNode::Thread(ThreadNode::Dir))) => {
                live_thread(tid)?;
                THREAD_FILES
                    .iter()
                    .find(|(n, _, _)| n.as_bytes() == name)
                    .map(|(_, k, _)| pid_ino(tid, PidNode::Thread(*k)))
                    .ok_or(Error::NotFound)
            }
            Some((pid, PidNode::FdDir)) => {
                let fd: u32 = core::str::from_utf8(name).ok().and_then(|s| s.parse().ok()).ok_or(Error::NotFound)?;
                let p = live(pid)?;
                let files = p.files();
                let exists = files.lock().get(fd as i32).is_some();
                if exists {
                    Ok(pid_ino(pid, PidNode::Fd(fd)))
                } else {
                    Err(Error::NotFound)
                }
            }
            Some(_) => Err(Error::NotDirectory),
            None => Err(Error::NotFound),
        }
    }

    fn create(&mut self, _: Ino, _: &[u8], _: NewNode<'_>, _: NodeAttrs, _: Timestamp) -> Result<Ino, Error> {
        Err(Error::NotPermitted)
    }

    fn link(&mut self, _: Ino, _: &[u8], _: Ino, _: Timestamp) -> Result<(), Error> {
        Err(Error::NotPermitted)
    }

    fn unlink(&mut self, _: Ino, _: &[u8], _: Timestamp) -> Result<(), Error> {
        Err(Error::NotPermitted)
    }

    fn rmdir(&mut self, _: Ino, _: &[u8], _: Timestamp) -> Result<(), Error> {
        Err(Error::NotPermitted)
    }

    fn rename(&mut self, _: Ino, _: &[u8], _: Ino, _: &[u8], _: Timestamp) -> Result<(), Error> {
        Err(Error::NotPermitted)
    }

    fn readlink(&self, ino: Ino) -> Result<Vec<u8>, Error> {
        if ino == SELF {
            let pid = crate::sched::current().try_process().map_or(0, |p| p.pid);
            return Ok(format!("{pid}").into_bytes());
        }
        match decode(ino) {
            Some((pid, PidNode::Exe)) => Ok(live(pid)?.exe.lock().clone()),
            Some((pid, PidNode::Net)) => live(pid).map(|_| b"../net".to_vec()),
            Some((pid, PidNode::Fd(fd))) => {
                let p = live(pid)?;
                let files = p.files();
                let entry = files.lock().get(fd as i32).ok_or(Error::NotFound)?;
                Ok(entry.file.describe())
            }
            _ => Err(Error::InvalidArgument),
        }
    }

    fn read(&self, ino: Ino, offset: u64, buf: &mut [u8]) -> Result<usize, Error> {
        let text = if ino < 0x10000 {
            GLOBAL.render(ino)?
        } else {
            let (pid, node) = decode(ino).ok_or(Error::NotFound)?;
            render_pid(pid, node)?
        };
        Ok(generated_tree::read_at(&text, offset, buf))
    }

    fn write(&mut self, ino: Ino, _: u64, data: &[u8], _: Timestamp) -> Result<usize, Error> {
        // A tunable takes each write whole, as Linux's sysctl files do.
        let set = GLOBAL.setter(ino).ok_or(Error::PermissionDenied)?;
        set(data)?;
        Ok(data.len())
    }

    fn truncate(&mut self, ino: Ino, _: u64, _: Timestamp) -> Result<(), Error> {
        // Opening a tunable with O_TRUNC (a shell's `>`) changes nothing.
        if GLOBAL.setter(ino).is_some() {
            return Ok(());
        }
        Err(Error::PermissionDenied)
    }

    fn read_dir(&self, dir: Ino, cookie: u64, emit: &mut dyn FnMut(DirEntry<'_>) -> bool) -> Result<(), Error> {
        // (name, inode, type, position): fixed entries count from 2; a
        // process's directory sits at PID_POSITION + pid and a descriptor
        // at 2 + its number, so a listing resumed after some of them went
        // away (a walker closing descriptors as it reads /proc/self/fd)
        // skips none of the rest.
        let mut names: Vec<(Vec<u8>, Ino, FileType, u64)> = Vec::new();
        let mut parent = ROOT;
        if dir == ROOT || GLOBAL.is_dir(dir) {
            if dir == ROOT {
                names.push((b"self".to_vec(), SELF, FileType::Symlink, 0));
            } else {
                parent = GLOBAL.get(dir).map_or(ROOT, |e| e.parent);
            }
            names.extend(GLOBAL.children(dir).map(|(n, i, t)| (n.as_bytes().to_vec(), i, t, 0)));
            for (i, entry) in names.iter_mut().enumerate() {
                entry.3 = i as u64 + 2;
            }
            if dir == ROOT {
                for p in processes::all() {
                    names.push((
                        format!("{}", p.pid).into_bytes(),
                        pid_ino(p.pid, PidNode::Dir),
                        FileType::Directory,
                        PID_POSITION + u64::from(p.pid),
                    ));
                }
            }
        } else {
            match decode(dir) {
                Some((pid, PidNode::Dir)) => {
                    live(pid)?;
                    for (i, (n, k, _)) in PID_FILES.iter().enumerate() {
                        let t = match k {
                            PidNode::FdDir | PidNode::TaskDir => FileType::Directory,
                            PidNode::Exe | PidNode::Net => FileType::Symlink,
                            _ => FileType::Regular,
                        };
                        names.push((n.as_bytes().to_vec(), pid_ino(pid, *k), t, i as u64 + 2));
                    }
                }
                Some((pid, PidNode::TaskDir)) => {
                    parent = pid_ino(pid, PidNode::Dir);
                    let p = live(pid)?;
                    let tids: Vec<u32> = p.threads.lock().iter().map(|t| t.tid).collect();
                    for tid in tids {
                        names.push((
                            format!("{tid}").into_bytes(),
                            pid_ino(tid, PidNode::Thread(ThreadNode::Dir)),
                            FileType::Directory,
                            u64::from(tid) + 2,
                        ));
                    }
                }
                Some((tid, PidNode::Thread(ThreadNode::Dir))) => {
                    let (p, _) = live_thread(tid)?;
                    parent = pid_ino(p.pid, PidNode::TaskDir);
                    for (i, (n, k, _)) in THREAD_FILES.iter().enumerate() {
                        names.push((
                            n.as_bytes().to_vec(),
                            pid_ino(tid, PidNode::Thread(*k)),
                            FileType::Regular,
                            i as u64 + 2,
                        ));
                    }
                }
                Some((pid, PidNode::FdDir)) => {
                    parent = pid_ino(pid, PidNode::Dir);
                    let p = live(pid)?;
                    let files = p.files();
                    let fds = files.lock().open_between(0, u32::MAX);
                    for fd in fds {
                        names.push((
                            format!("{fd}").into_bytes(),
                            pid_ino(pid, PidNode::Fd(fd)),
                            FileType::Symlink,
                            fd as u64 + 2,
                        ));
                    }
                }
                _ => return Err(Error::NotDirectory),
            }
        }
        let entries: Vec<(&[u8], Ino, FileType, u64)> =
            names.iter().map(|(n, i, t, p)| (n.as_slice(), *i, *t, *p)).collect();
        generated_tree::emit_positioned(dir, parent, &entries, cookie, emit);
        Ok(())
    }

    fn set_metadata(&mut self, _: Ino, _: MetadataChange, _: Timestamp) -> Result<(), Error> {
        Err(Error::NotPermitted)
    }

    fn statfs(&self) -> FsStats {
        FsStats::default()
    }
}
