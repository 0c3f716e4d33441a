//! /proc/<pid>/stat, status and statm, and a thread's stat and status
//! (task/<tid>/): what ps, top and python's psutil read about a process.

use super::{text, ticks};
use alloc::format;
use alloc::string::String;
use core::fmt::Write;
use kernel_ops::{ProcessRecord, SchedPolicy, SignalSet, TaskState};

/// The id, name and state a file shows: the thread's in its own files.
fn who(r: &ProcessRecord) -> (u32, String, TaskState) {
    match &r.thread {
        Some(t) => (t.tid, text(&t.name), t.state),
        None => (r.pid, text(&r.name), r.state),
    }
}

/// The one-letter state of stat's third field.
fn state_letter(s: TaskState) -> char {
    match s {
        TaskState::Running => 'R',
        TaskState::Sleeping => 'S',
        TaskState::Zombie => 'Z',
        TaskState::Dead => 'X',
    }
}

/// status's State line.
fn state_words(s: TaskState) -> &'static str {
    match s {
        TaskState::Running => "R (running)",
        TaskState::Sleeping => "S (sleeping)",
        TaskState::Zombie => "Z (zombie)",
        TaskState::Dead => "X (dead)",
    }
}

/// The priority as Linux shows it: 20 + nice for a normal task, -1 - the
/// real-time priority for FIFO and RR, -101 for deadline.
fn priority(r: &ProcessRecord) -> i64 {
    match r.scheduling.policy {
        SchedPolicy::Fifo | SchedPolicy::RoundRobin => -1 - i64::from(r.scheduling.priority as i32),
        SchedPolicy::Deadline => -101,
        _ => 20 + i64::from(r.nice),
    }
}

/// Fields 1-52 of Linux's format (proc(5), fs/proc/array.c's
/// do_task_stat); what does not exist here is 0. The name is between
/// parentheses as it is, spaces and ')' included: readers find its end by
/// the last ')'.
pub fn stat(r: &ProcessRecord) -> String {
    let (id, name, state) = who(r);
    let (own, children) = (&r.own, &r.children);
    format!(
        "{} ({}) {} {} {} {} {} {} 4194304 {} {} {} {} {} {} {} {} {} {} {} 0 {} {} {} 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 {} {} {} 0 0 0 0 0 0 0 0 0 0 0\n",
        id,
        name,
        state_letter(state),
        r.parent_pid,
        r.pgid,
        r.sid,
        r.tty,
        r.foreground_pgid,
        own.minor_faults,
        children.minor_faults,
        own.major_faults,
        children.major_faults,
        ticks(own.user_ns),
        ticks(own.system_ns),
        ticks(children.user_ns),
        ticks(children.system_ns),
        priority(r),
        r.nice,
        r.threads.max(1),
        ticks(r.start_ns),
        r.layout.size,
        r.layout.resident / 4096,
        r.last_cpu,
        r.scheduling.priority,
        crate::policy_number(r.scheduling.policy)
    )
}

/// Sizes in pages: total, resident, shared (0), text, library (0), data
/// and stack, dirty (0).
pub fn statm(r: &ProcessRecord) -> String {
    let l = &r.layout;
    format!(
        "{} {} 0 {} 0 {} 0\n",
        l.size / 4096,
        l.resident / 4096,
        l.exe / 4096,
        l.data.saturating_add(l.stack) / 4096
    )
}

/// A set as status prints it: 16 hex digits, bit n-1 for number n.
fn mask(bits: u64) -> String {
    format!("{bits:016x}")
}

fn signals(set: SignalSet) -> String {
    mask(crate::signals::set_to_linux(set))
}

/// "Name:\tvalue" lines, each label followed by a tab (fs/proc/array.c).
pub fn status(r: &ProcessRecord) -> String {
    let (id, name, state) = who(r);
    let pid = r.pid;
    let l = &r.layout;
    let mut s = String::new();
    let _ = write!(
        s,
        "Name:\t{}\nUmask:\t{:04o}\nState:\t{}\nTgid:\t{}\nNgid:\t0\nPid:\t{}\nPPid:\t{}\nTracerPid:\t{}\n",
        name,
        r.umask,
        state_words(state),
        pid,
        id,
        r.parent_pid,
        r.tracer_pid
    );
    let (u, g) = (r.uids, r.gids);
    let _ = write!(s, "Uid:\t{}\t{}\t{}\t{}\nGid:\t{}\t{}\t{}\t{}\n", u[0], u[1], u[2], u[3], g[0], g[1], g[2], g[3]);
    // Each group followed by a space, as Linux writes the line.
    let groups: String = r.groups.iter().map(|g| format!("{g} ")).collect();
    let _ = write!(
        s,
        "FDSize:\t{}\nGroups:\t{}\n",
        r.descriptors.div_ceil(64).max(1).saturating_mul(64),
        if groups.is_empty() { " " } else { &groups }
    );
    let _ = write!(s, "NStgid:\t{pid}\nNSpid:\t{pid}\nNSpgid:\t{}\nNSsid:\t{}\n", r.pgid, r.sid);
    for (label, bytes) in [
        ("VmPeak", l.size),
        ("VmSize", l.size),
        ("VmLck", l.locked),
        ("VmPin", 0),
        ("VmHWM", l.peak_resident.max(l.resident)),
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
        let _ = writeln!(s, "{label}:\t{:8} kB", bytes / 1024);
    }
    let _ = write!(s, "Threads:\t{}\nSigQ:\t0/{}\n", r.threads.max(1), r.signal_queue_limit);
    let _ = write!(
        s,
        "SigPnd:\t{}\nShdPnd:\t{}\nSigBlk:\t{}\nSigIgn:\t{}\nSigCgt:\t{}\n",
        signals(r.pending),
        signals(r.shared_pending),
        signals(r.blocked),
        signals(r.ignored),
        signals(r.caught)
    );
    // The core numbers privileges as Linux numbers capabilities.
    let caps = &r.privileges;
    let _ = write!(
        s,
        "CapInh:\t{}\nCapPrm:\t{}\nCapEff:\t{}\nCapBnd:\t{}\nCapAmb:\t{}\n",
        mask(caps.inheritable.0),
        mask(caps.permitted.0),
        mask(caps.effective.0),
        mask(caps.bounding.0),
        mask(caps.ambient.0)
    );
    let _ = write!(s, "NoNewPrivs:\t{}\nSeccomp:\t0\nSeccomp_filters:\t0\n", u8::from(r.no_new_privileges));
    let cpus = r.cpus.max(1);
    let cpu_mask = if cpus >= 64 { u64::MAX } else { (1u64 << cpus) - 1 };
    let list = if cpus == 1 { String::from("0") } else { format!("0-{}", cpus - 1) };
    let _ =
        write!(s, "Cpus_allowed:\t{cpu_mask:x}\nCpus_allowed_list:\t{list}\nMems_allowed:\t1\nMems_allowed_list:\t0\n");
    let _ = write!(
        s,
        "voluntary_ctxt_switches:\t{}\nnonvoluntary_ctxt_switches:\t{}\n",
        r.voluntary_switches, r.involuntary_switches
    );
    // Helctic's own line, last (programs read status by label): which
    // system's programs this one is, as processes of several share a tree.
    let _ = writeln!(s, "Personality:\t{}", r.personality);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;
    use kernel_ops::{MemoryLayout, PrivilegeSet, Scheduling, Signal, TaskTimes, ThreadRecord};
    use proptest::prelude::*;

    fn sample() -> ProcessRecord {
        ProcessRecord {
            pid: 42,
            name: b"sh".to_vec(),
            state: TaskState::Sleeping,
            parent_pid: 1,
            pgid: 40,
            sid: 30,
            tty: 0x8800,
            foreground_pgid: 40,
            own: TaskTimes { user_ns: 1_230_000_000, system_ns: 450_000_000, minor_faults: 7, major_faults: 2 },
            children: TaskTimes { user_ns: 20_000_000, system_ns: 30_000_000, minor_faults: 9, major_faults: 3 },
            nice: 5,
            threads: 3,
            start_ns: 2_000_000_000,
            layout: MemoryLayout {
                size: 0x10_0000,
                data: 0x2000,
                stack: 0x1000,
                exe: 0x3000,
                resident: 0x5000,
                locked: 0,
                peak_resident: 0x8000,
            },
            last_cpu: 2,
            umask: 0o022,
            uids: [1, 2, 3, 4],
            gids: [5, 6, 7, 8],
            groups: vec![10, 20],
            descriptors: 3,
            signal_queue_limit: 7823,
            blocked: SignalSet::EMPTY.with(Signal::CHLD),
            ignored: SignalSet::EMPTY.with(Signal::PIPE),
            cpus: 4,
            voluntary_switches: 11,
            involuntary_switches: 12,
            personality: "linux",
            ..ProcessRecord::default()
        }
    }

    /// Fields 3.. of a stat line: everything after the name's last ')'.
    fn fields_after_name(line: &str) -> Vec<&str> {
        let close = line.rfind(')').expect("a name in parentheses");
        line[close + 1..].split_whitespace().collect()
    }

    #[test]
    fn stat_has_linux_52_fields_in_order() {
        let line = stat(&sample());
        assert!(line.starts_with("42 (sh) S "));
        assert!(line.ends_with('\n') && line.matches('\n').count() == 1);
        let f = fields_after_name(&line);
        assert_eq!(f.len() + 2, 52);
        // proc(5) numbers fields from 1; f[0] is field 3.
        let field = |n: usize| f[n - 3];
        assert_eq!(field(3), "S");
        assert_eq!(field(4), "1"); // ppid
        assert_eq!(field(5), "40"); // pgrp
        assert_eq!(field(6), "30"); // session
        assert_eq!(field(7), "34816"); // tty_nr
        assert_eq!(field(8), "40"); // tpgid
        assert_eq!(field(10), "7"); // minflt
        assert_eq!(field(11), "9"); // cminflt
        assert_eq!(field(12), "2"); // majflt
        assert_eq!(field(13), "3"); // cmajflt
        assert_eq!(field(14), "123"); // utime, USER_HZ ticks
        assert_eq!(field(15), "45"); // stime
        assert_eq!(field(16), "2"); // cutime
        assert_eq!(field(17), "3"); // cstime
        assert_eq!(field(18), "25"); // priority: 20 + nice
        assert_eq!(field(19), "5"); // nice
        assert_eq!(field(20), "3"); // num_threads
        assert_eq!(field(22), "200"); // starttime
        assert_eq!(field(23), "1048576"); // vsize, bytes
        assert_eq!(field(24), "5"); // rss, pages
        assert_eq!(field(25), "18446744073709551615"); // rsslim
        assert_eq!(field(38), "17"); // exit_signal: SIGCHLD
        assert_eq!(field(39), "2"); // processor
        assert_eq!(field(40), "0"); // rt_priority
        assert_eq!(field(41), "0"); // policy: SCHED_NORMAL
    }

    #[test]
    fn real_time_and_deadline_priorities() {
        let mut r = sample();
        r.scheduling = Scheduling { policy: SchedPolicy::Fifo, priority: 10, ..Scheduling::NORMAL };
        let line = stat(&r);
        let f = fields_after_name(&line);
        assert_eq!((f[18 - 3], f[40 - 3], f[41 - 3]), ("-11", "10", "1"));
        r.scheduling = Scheduling { policy: SchedPolicy::Deadline, priority: 0, ..Scheduling::NORMAL };
        let line = stat(&r);
        assert_eq!(fields_after_name(&line)[18 - 3], "-101");
    }

    #[test]
    fn name_with_spaces_and_parentheses_stays_whole() {
        let mut r = sample();
        r.name = b"a) b (c)".to_vec();
        let line = stat(&r);
        assert!(line.starts_with("42 (a) b (c)) S "));
        assert_eq!(fields_after_name(&line).len() + 2, 52);
        assert!(status(&r).starts_with("Name:\ta) b (c)\n"));
    }

    #[test]
    fn a_thread_shows_its_own_id_name_and_state() {
        let mut r = sample();
        r.thread = Some(ThreadRecord { tid: 43, name: b"worker".to_vec(), state: TaskState::Dead });
        let line = stat(&r);
        assert!(line.starts_with("43 (worker) X 1 40 30 "));
        // Everything after the state is the process's.
        let process = stat(&sample());
        assert_eq!(fields_after_name(&line)[1..], fields_after_name(&process)[1..]);
        let s = status(&r);
        assert!(s.contains("Name:\tworker\n"));
        assert!(s.contains("State:\tX (dead)\n"));
        assert!(s.contains("Tgid:\t42\n"));
        assert!(s.ends_with("Personality:\tlinux\n"), "the personality is status's last line");
        assert!(s.contains("\nPid:\t43\n"));
        assert!(s.contains("NSpid:\t42\n"));
    }

    #[test]
    fn status_lines_are_label_colon_tab_value() {
        let s = status(&sample());
        for line in s.lines() {
            let (label, value) = line.split_once(":\t").unwrap_or_else(|| panic!("{line:?}"));
            assert!(!label.is_empty() && !label.contains(' '), "{line:?}");
            assert!(!value.is_empty(), "{line:?}");
        }
        let labels: Vec<&str> = s.lines().map(|l| l.split(':').next().unwrap()).collect();
        assert_eq!(labels[..8], ["Name", "Umask", "State", "Tgid", "Ngid", "Pid", "PPid", "TracerPid"]);
        assert_eq!(labels[labels.len() - 2..], ["nonvoluntary_ctxt_switches", "Personality"]);
        for expected in [
            "Umask:\t0022\n",
            "State:\tS (sleeping)\n",
            "Uid:\t1\t2\t3\t4\n",
            "Gid:\t5\t6\t7\t8\n",
            "FDSize:\t64\n",
            "Groups:\t10 20 \n",
            "VmSize:\t    1024 kB\n",
            "VmHWM:\t      32 kB\n",
            "VmRSS:\t      20 kB\n",
            "VmData:\t       8 kB\n",
            "Threads:\t3\n",
            "SigQ:\t0/7823\n",
            "SigBlk:\t0000000000010000\n",
            "SigIgn:\t0000000000001000\n",
            "CapEff:\t0000000000000000\n",
            "NoNewPrivs:\t0\n",
            "Cpus_allowed:\tf\nCpus_allowed_list:\t0-3\n",
            "voluntary_ctxt_switches:\t11\n",
        ] {
            assert!(s.contains(expected), "{expected:?} in\n{s}");
        }
    }

    #[test]
    fn status_edge_cases() {
        let mut r = sample();
        r.groups.clear();
        r.cpus = 1;
        r.privileges.effective = PrivilegeSet::FULL;
        let s = status(&r);
        assert!(s.contains("Groups:\t \n"));
        assert!(s.contains("Cpus_allowed:\t1\nCpus_allowed_list:\t0\n"));
        assert!(s.contains(&alloc::format!("CapEff:\t{:016x}\n", PrivilegeSet::FULL.0)));
        r.cpus = 64;
        assert!(status(&r).contains("Cpus_allowed:\tffffffffffffffff\n"));
    }

    #[test]
    fn statm_counts_pages() {
        assert_eq!(statm(&sample()), "256 5 0 3 0 3 0\n");
    }

    fn state() -> impl Strategy<Value = TaskState> {
        prop_oneof![Just(TaskState::Running), Just(TaskState::Sleeping), Just(TaskState::Zombie), Just(TaskState::Dead)]
    }

    fn policy() -> impl Strategy<Value = SchedPolicy> {
        prop_oneof![
            Just(SchedPolicy::Normal),
            Just(SchedPolicy::Fifo),
            Just(SchedPolicy::RoundRobin),
            Just(SchedPolicy::Batch),
            Just(SchedPolicy::Idle),
            Just(SchedPolicy::Deadline)
        ]
    }

    proptest! {
        /// Any values, extremes included: no panic, and stat keeps its 52
        /// fields whatever the name holds.
        #[test]
        fn never_panics(
            name in proptest::collection::vec(any::<u8>(), 0..20),
            ids in any::<(u32, u32, u32, u32, u32, i32)>(),
            big in any::<[u64; 10]>(),
            nice in any::<i32>(),
            priority in any::<u32>(),
            cpus in any::<u32>(),
            threads in any::<usize>(),
            state in state(),
            policy in policy(),
            groups in proptest::collection::vec(any::<u32>(), 0..4),
            thread in proptest::option::of((any::<u32>(), proptest::collection::vec(any::<u8>(), 0..20), state())),
        ) {
            let r = ProcessRecord {
                pid: ids.0,
                name,
                state,
                parent_pid: ids.1,
                pgid: ids.2,
                sid: ids.3,
                tty: ids.4,
                foreground_pgid: ids.5,
                own: TaskTimes { user_ns: big[0], system_ns: big[1], minor_faults: big[2], major_faults: big[3] },
                children: TaskTimes { user_ns: big[4], system_ns: big[5], minor_faults: u64::MAX, major_faults: 0 },
                nice,
                scheduling: Scheduling { policy, priority, ..Scheduling::NORMAL },
                threads,
                start_ns: big[6],
                layout: MemoryLayout {
                    size: big[7],
                    data: big[8],
                    stack: big[9],
                    exe: u64::MAX,
                    resident: big[0],
                    locked: big[1],
                    peak_resident: big[2],
                },
                umask: ids.4,
                descriptors: big[3],
                signal_queue_limit: big[4],
                pending: SignalSet(big[5]),
                blocked: SignalSet(u64::MAX),
                groups,
                cpus,
                thread: thread.map(|(tid, name, state)| ThreadRecord { tid, name, state }),
                ..ProcessRecord::default()
            };
            let line = stat(&r);
            prop_assert_eq!(fields_after_name(&line).len() + 2, 52);
            prop_assert!(status(&r).ends_with('\n'));
            prop_assert_eq!(statm(&r).split_whitespace().count(), 7);
        }
    }
}
