//! /proc/<pid>/*: what ps, top, python and glibc read about a process.

use super::system::ticks;
use crate::task::process::Process;
use crate::task::thread::Thread;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;
use kernel_ops::SignalHandler;

pub fn comm(p: &Process) -> String {
    let name = p.main_thread().map(|t| *t.name.lock()).unwrap_or([0; 16]);
    let end = name.iter().position(|&b| b == 0).unwrap_or(16);
    String::from_utf8_lossy(&name[..end]).into_owned()
}

/// A thread's own name (prctl PR_SET_NAME), as its task/<tid>/comm shows.
pub fn thread_comm(t: &Thread) -> String {
    let name = *t.name.lock();
    let end = name.iter().position(|&b| b == 0).unwrap_or(16);
    String::from_utf8_lossy(&name[..end]).into_owned()
}

fn thread_state(p: &Process, t: &Thread) -> (char, &'static str) {
    use crate::task::thread::ThreadState;
    match t.state() {
        _ if p.is_zombie() => ('Z', "Z (zombie)"),
        ThreadState::Running | ThreadState::Runnable => ('R', "R (running)"),
        ThreadState::Dead => ('X', "X (dead)"),
        ThreadState::Blocked => ('S', "S (sleeping)"),
    }
}

/// /proc/<pid>/task/<tid>/stat: the process's line with the thread's id,
/// name and state.
pub fn thread_stat(p: &Process, t: &Thread) -> String {
    let whole = stat(p.pid, p);
    // "pid (comm) S rest": everything after the process's state.
    let after = whole.rfind(')').map_or("", |i| &whole[i + 1..]).trim_start();
    let rest = after.get(1..).unwrap_or("");
    alloc::format!("{} ({}) {}{}", t.tid, thread_comm(t), thread_state(p, t).0, rest)
}

/// /proc/<pid>/task/<tid>/status: the process's, with the thread's name,
/// state and id.
pub fn thread_status(p: &Process, t: &Thread) -> String {
    let mut out = String::new();
    for line in status(p.pid, p).lines() {
        let field = line.split(':').next().unwrap_or("");
        match field {
            "Name" => out.push_str(&alloc::format!("Name:\t{}", thread_comm(t))),
            "State" => out.push_str(&alloc::format!("State:\t{}", thread_state(p, t).1)),
            "Pid" => out.push_str(&alloc::format!("Pid:\t{}", t.tid)),
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
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

/// Sizes in bytes of the process's mappings by kind, as status reports them.
#[derive(Default)]
struct Layout {
    size: u64,
    data: u64,
    stack: u64,
    exe: u64,
    resident: u64,
    locked: u64,
}

fn layout(p: &Process) -> Layout {
    let mm = p.mm();
    let a = mm.lock();
    let mut l = Layout::default();
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

pub fn stat(pid: u32, p: &Process) -> String {
    let l = layout(p);
    let threads = p.threads.lock().len().max(1);
    let own = crate::task::usage::of_process(p, 0);
    let children = crate::task::usage::of_children(p);
    let ctty = crate::fs::tty::controlling(p.sid());
    let tty = ctty.as_ref().map_or(0, |t| t.tty_nr());
    let tpgid = ctty.as_ref().map_or(-1, |t| t.foreground() as i32);
    let nice = p.nice.load(core::sync::atomic::Ordering::Relaxed);
    let sched = p.main_thread().map_or(kernel_ops::Scheduling::NORMAL, |t| t.settings.scheduling.get());
    // priority as Linux shows it: 20 + nice for a normal task, -1 - the
    // real-time priority for FIFO and RR, -101 for deadline.
    let priority = match sched.policy {
        kernel_ops::SchedPolicy::Fifo | kernel_ops::SchedPolicy::RoundRobin => -1 - sched.priority as i32,
        kernel_ops::SchedPolicy::Deadline => -101,
        _ => 20 + nice,
    };
    let policy = personality_linux::policy_number(sched.policy);
    // Fields 1-52 of Linux's format (proc(5)); what does not exist here is 0.
    // Field 39 is the CPU the process last ran on.
    alloc::format!(
        "{} ({}) {} {} {} {} {} {} 4194304 {} {} {} {} {} {} {} {} {} {} {} 0 {} {} {} 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 {} {} {} 0 0 0 0 0 0 0 0 0 0 0\n",
        pid,
        comm(p),
        state_char(p),
        p.parent_pid(),
        p.pgid(),
        p.sid(),
        tty,
        tpgid,
        own.minor_faults,
        children.minor_faults,
        own.major_faults,
        children.major_faults,
        ticks(own.user_ns),
        ticks(own.system_ns),
        ticks(children.user_ns),
        ticks(children.system_ns),
        priority,
        nice,
        threads,
        ticks(p.start_ns),
        l.size,
        l.resident / 4096,
        p.main_thread().and_then(|t| t.last_cpu()).unwrap_or(0),
        sched.priority,
        policy
    )
}

pub fn statm(p: &Process) -> String {
    let l = layout(p);
    alloc::format!("{} {} 0 {} 0 {} 0\n", l.size / 4096, l.resident / 4096, l.exe / 4096, (l.data + l.stack) / 4096)
}

/// A signal set as status prints it: 16 hex digits, signal 1 in bit 0.
fn sigset(bits: u64) -> String {
    alloc::format!("{bits:016x}")
}

pub fn status(pid: u32, p: &Process) -> String {
    crate::task::usage::sample_peak_rss(p);
    let creds = *p.creds.lock();
    let l = layout(p);
    let usage = crate::task::usage::of_process(p, 0);
    let state = match state_char(p) {
        'R' => "R (running)",
        'Z' => "Z (zombie)",
        _ => "S (sleeping)",
    };
    let fds = p.files().lock().iter().last().map_or(0, |(fd, _)| *fd as u64 + 1);
    let main = p.main_thread();
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
    let caps = creds.privileges;
    let kb = |bytes: u64| bytes / 1024;
    let cpus = crate::arch::percpu::online_cpus().max(1);
    let mut s = String::new();
    let _ = write!(
        s,
        "Name:\t{}\nUmask:\t{:04o}\nState:\t{}\nTgid:\t{}\nNgid:\t0\nPid:\t{}\nPPid:\t{}\nTracerPid:\t{}\n",
        comm(p),
        p.fs().lock().umask,
        state,
        pid,
        pid,
        p.parent_pid(),
        crate::task::ptrace::tracer_pid(p)
    );
    let _ = write!(
        s,
        "Uid:\t{}\t{}\t{}\t{}\nGid:\t{}\t{}\t{}\t{}\n",
        creds.uid, creds.euid, creds.suid, creds.fsuid, creds.gid, creds.egid, creds.sgid, creds.fsgid
    );
    // Each group followed by a space, as Linux writes the line.
    let groups: String = p.groups().iter().map(|g| alloc::format!("{g} ")).collect();
    let _ = write!(
        s,
        "FDSize:\t{}\nGroups:\t{}\n",
        fds.div_ceil(64).max(1) * 64,
        if groups.is_empty() { " " } else { &groups }
    );
    let _ = write!(s, "NStgid:\t{pid}\nNSpid:\t{pid}\nNSpgid:\t{}\nNSsid:\t{}\n", p.pgid(), p.sid());
    for (name, bytes) in [
        ("VmPeak", l.size),
        ("VmSize", l.size),
        ("VmLck", l.locked),
        ("VmPin", 0),
        ("VmHWM", usage.max_rss_bytes.max(l.resident)),
        ("VmRSS", l.resident),
        ("RssAnon", l.resident),
        ("RssFile", 0),
        ("RssShmem", 0),
        ("VmData", l.data),
        ("VmStk", l.stack),
        ("VmExe", l.exe),
        ("VmLib", 0),
        ("VmPTE", 0),
        ("VmSwap", 0),
    ] {
        let label = alloc::format!("{name}:");
        let _ = writeln!(s, "{label}\t{:8} kB", kb(bytes));
    }
    let _ = write!(
        s,
        "Threads:\t{}\nSigQ:\t0/{}\n",
        p.threads.lock().len().max(1),
        p.limit(kernel_ops::Resource::PendingSignals).soft
    );
    let _ = write!(
        s,
        "SigPnd:\t{}\nShdPnd:\t{}\nSigBlk:\t{}\nSigIgn:\t{}\nSigCgt:\t{}\n",
        sigset(pending),
        sigset(p.shared_pending()),
        sigset(blocked),
        sigset(ignored),
        sigset(caught)
    );
    let _ = write!(
        s,
        "CapInh:\t{}\nCapPrm:\t{}\nCapEff:\t{}\nCapBnd:\t{}\nCapAmb:\t{}\n",
        sigset(caps.inheritable.0),
        sigset(caps.permitted.0),
        sigset(caps.effective.0),
        sigset(caps.bounding.0),
        sigset(caps.ambient.0)
    );
    let nnp = crate::task::settings::get(
        &p.settings,
        &crate::task::settings::ThreadSettings::new(),
        kernel_ops::TaskSetting::NoNewPrivileges,
    );
    let _ = write!(s, "NoNewPrivs:\t{nnp}\nSeccomp:\t0\nSeccomp_filters:\t0\n");
    let mask = if cpus >= 64 { u64::MAX } else { (1u64 << cpus) - 1 };
    let list = if cpus == 1 { String::from("0") } else { alloc::format!("0-{}", cpus - 1) };
    let _ = write!(s, "Cpus_allowed:\t{mask:x}\nCpus_allowed_list:\t{list}\nMems_allowed:\t1\nMems_allowed_list:\t0\n");
    let _ = write!(
        s,
        "voluntary_ctxt_switches:\t{}\nnonvoluntary_ctxt_switches:\t{}\n",
        usage.voluntary_switches, usage.involuntary_switches
    );
    s
}

/// One line of maps for `[start, end)` of the region that starts at
/// `region_start`.
fn map_line(a: &crate::mm::AddressSpace, region_start: u64, start: u64, end: u64, vma: &crate::mm::Vma) -> String {
    let perms = [
        if vma.prot.read { 'r' } else { '-' },
        if vma.prot.write { 'w' } else { '-' },
        if vma.prot.execute { 'x' } else { '-' },
    ];
    let shared = if vma.backing.is_shared() { 's' } else { 'p' };
    let into = start - region_start;
    let (offset, dev, ino, name) = match &vma.backing {
        crate::mm::Backing::File { node: hold, offset, .. } => {
            (*offset + into, hold.node.fs.0 + 1, hold.node.ino, String::from_utf8_lossy(&hold.path).into_owned())
        }
        crate::mm::Backing::SharedFile { file, offset } => (
            *offset + into,
            file.hold.node.fs.0 + 1,
            file.hold.node.ino,
            String::from_utf8_lossy(&file.hold.path).into_owned(),
        ),
        crate::mm::Backing::Kernel(pages) => (0, 0, 0, pages.name.into()),
        // Linux names a segment by its key; its inode is the id's.
        crate::mm::Backing::SysvShm(s) => (
            vma.pgoff * 4096 + into,
            0,
            s.meta.id.load(core::sync::atomic::Ordering::Relaxed) as u64,
            alloc::format!("/SYSV{:08x} (deleted)", s.meta.key as u32),
        ),
        _ if vma.is_stack => (0, 0, 0, "[stack]".into()),
        _ if region_start >= a.brk_base && region_start < a.brk.max(a.brk_base + 1) => (0, 0, 0, "[heap]".into()),
        _ => (0, 0, 0, String::new()),
    };
    // Linux pads the line to 73 columns before a name.
    let line = alloc::format!(
        "{:08x}-{:08x} {}{}{}{} {:08x} 00:{:02x} {}",
        start,
        end,
        perms[0],
        perms[1],
        perms[2],
        shared,
        offset,
        dev,
        ino
    );
    if name.is_empty() {
        alloc::format!("{line} \n")
    } else {
        alloc::format!("{line:<72} {name}\n")
    }
}

pub fn maps(p: &Process) -> String {
    let mm = p.mm();
    let a = mm.lock();
    let mut s = String::new();
    // Split where a lock starts or ends, as Linux splits a partly locked VMA.
    for piece in crate::mm::memory_lock::pieces(&a) {
        s.push_str(&map_line(&a, piece.region_start, piece.start, piece.end, piece.vma));
    }
    s
}

/// smaps: each maps line followed by its sizes in kB. Resident pages are
/// counted from the page table; every resident page counts as private and
/// dirty (no sharing is tracked per page), and as locked in a locked piece.
pub fn smaps(p: &Process) -> String {
    let mm = p.mm();
    let a = mm.lock();
    let mut s = String::new();
    for crate::mm::memory_lock::Piece { start, end, region_start, vma, locked } in crate::mm::memory_lock::pieces(&a) {
        s.push_str(&map_line(&a, region_start, start, end, vma));
        let rss = a.resident_pages(start, end).iter().filter(|r| **r).count() as u64 * 4;
        let size = (end - start) / 1024;
        let anon = if matches!(vma.backing, crate::mm::Backing::Anonymous) { rss } else { 0 };
        let (shared, private) = if vma.backing.is_shared() { (rss, 0) } else { (0, rss) };
        let _ = write!(s, "Size:           {size:8} kB\nKernelPageSize:        4 kB\nMMUPageSize:           4 kB\nRss:            {rss:8} kB\nPss:            {rss:8} kB\nPss_Dirty:      {rss:8} kB\n");
        let _ = write!(s, "Shared_Clean:          0 kB\nShared_Dirty:   {shared:8} kB\nPrivate_Clean:         0 kB\nPrivate_Dirty:  {private:8} kB\nReferenced:     {rss:8} kB\nAnonymous:      {anon:8} kB\n");
        let _ = write!(s, "KSM:                   0 kB\nLazyFree:              0 kB\nAnonHugePages:         0 kB\nShmemPmdMapped:        0 kB\nFilePmdMapped:         0 kB\nShared_Hugetlb:        0 kB\nPrivate_Hugetlb:       0 kB\nSwap:                  0 kB\nSwapPss:               0 kB\n");
        let _ = write!(s, "Locked:         {:8} kB\nTHPeligible:           0\n", if locked { rss } else { 0 });
        let flags = [
            (vma.prot.read, "rd"),
            (vma.prot.write, "wr"),
            (vma.prot.execute, "ex"),
            (vma.backing.is_shared(), "sh"),
            (true, "mr"),
            (true, "mw"),
            (true, "me"),
            (vma.is_stack, "gd"),
            (locked, "lo"),
        ];
        let names: Vec<&str> = flags.iter().filter(|(on, _)| *on).map(|(_, n)| *n).collect();
        let _ = writeln!(s, "VmFlags: {} ", names.join(" "));
    }
    s
}

/// mountinfo (proc(5)), from the mount table (`fs::mount_table::render_info`).
pub fn mountinfo() -> String {
    let mut s = String::new();
    if let Some(root) = crate::sched::current().try_process().map(|p| p.fs().lock().root) {
        crate::fs::mount_table::render_info(root, &mut s);
    }
    s
}

pub fn cmdline(p: &Process) -> Vec<u8> {
    p.cmdline.lock().clone()
}

pub fn environ(p: &Process) -> Vec<u8> {
    p.environ.lock().clone()
}
