//! /proc: process and kernel information generated on every read.
//!
//! Inode numbers encode what a node is: the root and global files have small
//! numbers; a process's nodes are `pid << 16 | kind`, its open descriptors
//! `pid << 16 | 0x8000 | fd`. Nothing is stored: every read renders fresh
//! text from the live kernel state.

use crate::task::process::{self, Process};
use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt::Write;
use vfs::{DeviceNumber, DirEntry, Error, FileSystem, FileType, FsStats, Ino, Metadata, MetadataChange, NewNode, NodeAttrs, Timestamp, Vfs};

const ROOT: Ino = 1;
const SELF: Ino = 2;
const GLOBAL_FILES: [(&str, Ino); 9] = [
    ("meminfo", 3),
    ("uptime", 4),
    ("stat", 5),
    ("loadavg", 6),
    ("mounts", 7),
    ("cpuinfo", 8),
    ("version", 9),
    ("filesystems", 10),
    ("cmdline", 11),
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum PidNode {
    Dir,
    Stat,
    Status,
    Cmdline,
    Maps,
    Exe,
    Comm,
    FdDir,
    Statm,
    Fd(u32),
}

const PID_FILES: [(&str, PidNode); 8] = [
    ("stat", PidNode::Stat),
    ("status", PidNode::Status),
    ("cmdline", PidNode::Cmdline),
    ("maps", PidNode::Maps),
    ("exe", PidNode::Exe),
    ("comm", PidNode::Comm),
    ("fd", PidNode::FdDir),
    ("statm", PidNode::Statm),
];

fn pid_ino(pid: u32, node: PidNode) -> Ino {
    let kind: u64 = match node {
        PidNode::Dir => 1,
        PidNode::Stat => 2,
        PidNode::Status => 3,
        PidNode::Cmdline => 4,
        PidNode::Maps => 5,
        PidNode::Exe => 6,
        PidNode::Comm => 7,
        PidNode::FdDir => 8,
        PidNode::Statm => 9,
        PidNode::Fd(fd) => 0x8000 | u64::from(fd & 0x7fff),
    };
    (u64::from(pid) << 16) | kind
}

fn decode(ino: Ino) -> Option<(u32, PidNode)> {
    let pid = u32::try_from(ino >> 16).ok().filter(|p| *p > 0)?;
    let kind = ino & 0xffff;
    let node = match kind {
        1 => PidNode::Dir,
        2 => PidNode::Stat,
        3 => PidNode::Status,
        4 => PidNode::Cmdline,
        5 => PidNode::Maps,
        6 => PidNode::Exe,
        7 => PidNode::Comm,
        8 => PidNode::FdDir,
        9 => PidNode::Statm,
        k if k & 0x8000 != 0 => PidNode::Fd((k & 0x7fff) as u32),
        _ => return None,
    };
    Some((pid, node))
}

pub struct ProcFs;

/// The (pid, descriptor) a /proc/<pid>/fd/N node names, if `node` is one.
pub fn descriptor_of(v: &Vfs, node: vfs::NodeRef) -> Option<(u32, i32)> {
    if v.fs(node.fs).ok()?.name() != "proc" {
        return None;
    }
    match decode(node.ino)? {
        (pid, PidNode::Fd(fd)) => Some((pid, fd as i32)),
        _ => None,
    }
}

/// Mounts /proc (creating the directory if the initramfs lacks it).
pub fn mount(v: &mut Vfs) {
    let root = v.root();
    let dir = match v.fs_mut(root.fs).and_then(|fs| match fs.lookup(root.ino, b"proc") {
        Ok(ino) => Ok(ino),
        Err(_) => fs.create(root.ino, b"proc", NewNode::Directory, NodeAttrs::new(0o555, 0, 0), super::now()),
    }) {
        Ok(ino) => ino,
        Err(e) => {
            crate::error!("cannot create /proc: {e:?}");
            return;
        }
    };
    let id = v.add_filesystem(Box::new(ProcFs));
    if let Err(e) = v.mount(vfs::NodeRef { fs: root.fs, ino: dir }, id) {
        crate::error!("cannot mount /proc: {e:?}");
    }
}

fn boot_time() -> Timestamp {
    let ns = crate::time::realtime_ns().saturating_sub(crate::time::now_ns());
    Timestamp { secs: (ns / 1_000_000_000) as i64, nanos: 0 }
}

fn meta(ino: Ino, file_type: FileType, mode: u32, uid: u32, size: u64) -> Metadata {
    let t = boot_time();
    Metadata {
        file_type,
        mode,
        uid,
        gid: uid,
        nlink: if file_type == FileType::Directory { 2 } else { 1 },
        size,
        rdev: DeviceNumber { major: 0, minor: 0 },
        atime: t,
        mtime: t,
        ctime: t,
        ino,
        blocks: 0,
        blksize: 1024,
    }
}

fn live(pid: u32) -> Result<Arc<Process>, Error> {
    process::find(pid).ok_or(Error::NotFound)
}

fn ticks(ns: u64) -> u64 {
    ns / 10_000_000 // USER_HZ = 100
}

fn comm(p: &Process) -> String {
    let name = p.main_thread().map(|t| *t.name.lock()).unwrap_or([0; 16]);
    let end = name.iter().position(|&b| b == 0).unwrap_or(16);
    String::from_utf8_lossy(&name[..end]).into_owned()
}

fn state_char(p: &Process) -> char {
    if p.is_zombie() {
        return 'Z';
    }
    match p.main_thread().map(|t| t.state()) {
        Some(crate::task::thread::ThreadState::Running) | Some(crate::task::thread::ThreadState::Runnable) => 'R',
        _ => 'S',
    }
}

fn render_pid(pid: u32, node: PidNode) -> Result<Vec<u8>, Error> {
    let p = live(pid)?;
    let mut s = String::new();
    match node {
        PidNode::Stat => {
            let (vsize, rss) = p.mm().lock().sizes();
            let threads = p.threads.lock().len().max(1);
            let cpu = p.cpu_ns.load(core::sync::atomic::Ordering::Relaxed);
            let tty = if p.sid() == super::tty::console().session() && p.sid() != 0 { (4 << 8) | 64 } else { 0 };
            let _ = writeln!(
                s,
                "{} ({}) {} {} {} {} {} {} 4194304 0 0 0 0 {} 0 0 0 20 0 {} 0 {} {} {} 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
                pid,
                comm(&p),
                state_char(&p),
                p.parent_pid(),
                p.pgid(),
                p.sid(),
                tty,
                super::tty::console().foreground() as i32,
                ticks(cpu),
                threads,
                ticks(p.start_ns),
                vsize,
                rss / 4096
            );
        }
        PidNode::Statm => {
            let (vsize, rss) = p.mm().lock().sizes();
            let _ = writeln!(s, "{} {} 0 0 0 0 0", vsize / 4096, rss / 4096);
        }
        PidNode::Status => {
            let creds = *p.creds.lock();
            let (vsize, rss) = p.mm().lock().sizes();
            let state = match state_char(&p) {
                'R' => "R (running)",
                'Z' => "Z (zombie)",
                _ => "S (sleeping)",
            };
            let _ = write!(
                s,
                "Name:\t{}\nUmask:\t{:04o}\nState:\t{}\nTgid:\t{}\nPid:\t{}\nPPid:\t{}\nUid:\t{}\t{}\t{}\t{}\nGid:\t{}\t{}\t{}\t{}\nVmSize:\t{} kB\nVmRSS:\t{} kB\nThreads:\t{}\n",
                comm(&p),
                p.fs().lock().umask,
                state,
                pid,
                pid,
                p.parent_pid(),
                creds.uid,
                creds.euid,
                creds.suid,
                creds.euid,
                creds.gid,
                creds.egid,
                creds.sgid,
                creds.egid,
                vsize / 1024,
                rss / 1024,
                p.threads.lock().len().max(1)
            );
        }
        PidNode::Cmdline => return Ok(p.cmdline.lock().clone()),
        PidNode::Comm => {
            let _ = writeln!(s, "{}", comm(&p));
        }
        PidNode::Maps => {
            let exe = String::from_utf8_lossy(&p.exe.lock()).into_owned();
            let mm = p.mm();
            let a = mm.lock();
            for (start, vma) in a.regions() {
                let perms = [if vma.prot.read { 'r' } else { '-' }, if vma.prot.write { 'w' } else { '-' }, if vma.prot.execute { 'x' } else { '-' }];
                let shared = if vma.backing.is_shared() { 's' } else { 'p' };
                let (offset, name) = match &vma.backing {
                    crate::mm::Backing::File { offset, .. } | crate::mm::Backing::SharedFile { offset, .. } => (*offset, exe.as_str()),
                    _ if vma.is_stack => (0, "[stack]"),
                    _ if start >= a.brk_base && start < a.brk.max(a.brk_base + 1) => (0, "[heap]"),
                    _ => (0, ""),
                };
                let _ = writeln!(s, "{:08x}-{:08x} {}{}{}{} {:08x} 00:00 0 {}", start, vma.end, perms[0], perms[1], perms[2], shared, offset, name);
            }
        }
        PidNode::Dir | PidNode::FdDir | PidNode::Exe | PidNode::Fd(_) => return Err(Error::IsDirectory),
    }
    Ok(s.into_bytes())
}

fn render_global(ino: Ino) -> Result<Vec<u8>, Error> {
    let mut s = String::new();
    let info = crate::task::system_info();
    match ino {
        3 => {
            let total = info.total_ram / 1024;
            let free = info.free_ram / 1024;
            let _ = write!(s, "MemTotal:       {total:8} kB\nMemFree:        {free:8} kB\nMemAvailable:   {free:8} kB\nBuffers:        {:8} kB\nCached:         {:8} kB\nSwapCached:     {:8} kB\nSwapTotal:      {:8} kB\nSwapFree:       {:8} kB\nShmem:          {:8} kB\n", 0, 0, 0, 0, 0, 0);
        }
        4 => {
            let up = info.uptime_ns;
            let _ = writeln!(s, "{}.{:02} {}.{:02}", up / 1_000_000_000, up / 10_000_000 % 100, up / 1_000_000_000, up / 10_000_000 % 100);
        }
        5 => {
            let _ = write!(s, "cpu  0 0 0 {} 0 0 0 0 0 0\ncpu0 0 0 0 {} 0 0 0 0 0 0\nbtime {}\nprocesses {}\nprocs_running 1\nprocs_blocked 0\n", ticks(info.uptime_ns), ticks(info.uptime_ns), boot_time().secs, info.processes);
        }
        6 => {
            let _ = writeln!(s, "0.00 0.00 0.00 1/{} {}", info.processes, process::all().last().map_or(1, |p| p.pid));
        }
        7 => {
            s.push_str("rootfs / rootfs rw 0 0\nproc /proc proc rw,nosuid,nodev,noexec 0 0\n");
            super::served::mounts_text(&mut s);
        }
        8 => {
            let mhz = crate::time::tsc_frequency() / 1_000_000;
            let _ = write!(s, "processor\t: 0\nvendor_id\t: {}\nmodel name\t: QEMU Virtual CPU\ncpu MHz\t\t: {mhz}.000\nflags\t\t: fpu tsc msr pae apic sse sse2 syscall nx lm\n\n", "GenuineIntel");
        }
        9 => {
            let _ = writeln!(s, "Linux version {} (helctic) #1 SMP Helctic {}", personality_linux::RELEASE, env!("CARGO_PKG_VERSION"));
        }
        10 => s.push_str("nodev\trootfs\nnodev\tramfs\nnodev\tproc\n"),
        11 => s.push_str("helctic\n"),
        _ => return Err(Error::NotFound),
    }
    Ok(s.into_bytes())
}

impl FileSystem for ProcFs {
    fn name(&self) -> &str {
        "proc"
    }

    fn root(&self) -> Ino {
        ROOT
    }

    fn metadata(&self, ino: Ino) -> Result<Metadata, Error> {
        if ino == ROOT {
            return Ok(meta(ROOT, FileType::Directory, 0o555, 0, 0));
        }
        if ino == SELF {
            return Ok(meta(SELF, FileType::Symlink, 0o777, 0, 0));
        }
        if GLOBAL_FILES.iter().any(|(_, i)| *i == ino) {
            return Ok(meta(ino, FileType::Regular, 0o444, 0, 0));
        }
        let (pid, node) = decode(ino).ok_or(Error::NotFound)?;
        let p = live(pid)?;
        let uid = p.creds.lock().uid;
        Ok(match node {
            PidNode::Dir | PidNode::FdDir => meta(ino, FileType::Directory, 0o555, uid, 0),
            PidNode::Exe | PidNode::Fd(_) => meta(ino, FileType::Symlink, 0o777, uid, 0),
            _ => meta(ino, FileType::Regular, 0o444, uid, 0),
        })
    }

    fn lookup(&self, dir: Ino, name: &[u8]) -> Result<Ino, Error> {
        if dir == ROOT {
            if name == b"self" {
                return Ok(SELF);
            }
            if let Some((_, ino)) = GLOBAL_FILES.iter().find(|(n, _)| n.as_bytes() == name) {
                return Ok(*ino);
            }
            let pid: u32 = core::str::from_utf8(name).ok().and_then(|s| s.parse().ok()).ok_or(Error::NotFound)?;
            live(pid)?;
            return Ok(pid_ino(pid, PidNode::Dir));
        }
        match decode(dir) {
            Some((pid, PidNode::Dir)) => {
                live(pid)?;
                PID_FILES.iter().find(|(n, _)| n.as_bytes() == name).map(|(_, k)| pid_ino(pid, *k)).ok_or(Error::NotFound)
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
            render_global(ino)?
        } else {
            let (pid, node) = decode(ino).ok_or(Error::NotFound)?;
            render_pid(pid, node)?
        };
        let start = usize::try_from(offset).unwrap_or(usize::MAX).min(text.len());
        let n = buf.len().min(text.len() - start);
        buf[..n].copy_from_slice(&text[start..start + n]);
        Ok(n)
    }

    fn write(&mut self, _: Ino, _: u64, _: &[u8], _: Timestamp) -> Result<usize, Error> {
        Err(Error::PermissionDenied)
    }

    fn truncate(&mut self, _: Ino, _: u64, _: Timestamp) -> Result<(), Error> {
        Err(Error::PermissionDenied)
    }

    fn read_dir(&self, dir: Ino, cookie: u64, emit: &mut dyn FnMut(DirEntry<'_>) -> bool) -> Result<(), Error> {
        // Entries are numbered: 0 ".", 1 "..", then the directory's own.
        let mut names: Vec<(Vec<u8>, Ino, FileType)> = Vec::new();
        match dir {
            ROOT => {
                names.push((b"self".to_vec(), SELF, FileType::Symlink));
                for (n, i) in GLOBAL_FILES {
                    names.push((n.as_bytes().to_vec(), i, FileType::Regular));
                }
                for p in process::all() {
                    names.push((format!("{}", p.pid).into_bytes(), pid_ino(p.pid, PidNode::Dir), FileType::Directory));
                }
            }
            _ => match decode(dir) {
                Some((pid, PidNode::Dir)) => {
                    live(pid)?;
                    for (n, k) in PID_FILES {
                        let t = match k {
                            PidNode::FdDir => FileType::Directory,
                            PidNode::Exe => FileType::Symlink,
                            _ => FileType::Regular,
                        };
                        names.push((n.as_bytes().to_vec(), pid_ino(pid, k), t));
                    }
                }
                Some((pid, PidNode::FdDir)) => {
                    let p = live(pid)?;
                    let files = p.files();
                    let fds = files.lock().iter();
                    for (fd, _) in fds {
                        names.push((format!("{fd}").into_bytes(), pid_ino(pid, PidNode::Fd(fd as u32)), FileType::Symlink));
                    }
                }
                _ => return Err(Error::NotDirectory),
            },
        }
        let mut index = cookie;
        loop {
            let (name, ino, t): (&[u8], Ino, FileType) = match index {
                0 => (b".", dir, FileType::Directory),
                1 => (b"..", ROOT, FileType::Directory),
                i => match names.get((i - 2) as usize) {
                    Some((n, ino, t)) => (n.as_slice(), *ino, *t),
                    None => return Ok(()),
                },
            };
            if !emit(DirEntry { name, ino, file_type: t, next_cookie: index + 1 }) {
                return Ok(());
            }
            index += 1;
        }
    }

    fn set_metadata(&mut self, _: Ino, _: MetadataChange, _: Timestamp) -> Result<(), Error> {
        Err(Error::NotPermitted)
    }

    fn statfs(&self) -> FsStats {
        FsStats::default()
    }
}
