//! The kernel configuration Helctic shows Linux programs (/proc/config.gz),
//! in Linux's option names.
//!
//! Programs and test suites (LTP's `tst_kconfig`) read it to decide what
//! to test, so it must claim nothing Helctic does not do: an option that
//! stands for system calls is set exactly when the syscall table handles
//! every one of them, so the file follows the table as calls land; an
//! option that stands for something outside the table (a device, a file
//! system feature) is set when the kernel says it has it. Everything else
//! listed is "not set", which makes such tests skip instead of failing to
//! parse the file.

use crate::table::TABLE;
use alloc::string::String;
use core::fmt::Write;

/// What decides whether an option is set.
#[derive(Clone, Copy, Debug)]
pub enum Basis {
    /// Part of what this kernel is, whatever the table says.
    Always,
    /// Set when every named call has a handler in the table.
    Calls(&'static [&'static str]),
    /// Set when the kernel reports the named feature (`render`'s argument).
    Feature(&'static str),
    /// Not offered (no such subsystem yet).
    Never,
}

pub struct Option {
    pub name: &'static str,
    pub basis: Basis,
}

const fn always(name: &'static str) -> Option {
    Option { name, basis: Basis::Always }
}

const fn calls(name: &'static str, calls: &'static [&'static str]) -> Option {
    Option { name, basis: Basis::Calls(calls) }
}

const fn feature(name: &'static str, feature: &'static str) -> Option {
    Option { name, basis: Basis::Feature(feature) }
}

const fn never(name: &'static str) -> Option {
    Option { name, basis: Basis::Never }
}

/// The options, in the order the file lists them.
pub const OPTIONS: &[Option] = &[
    always("CONFIG_64BIT"),
    always("CONFIG_X86_64"),
    always("CONFIG_X86"),
    always("CONFIG_MMU"),
    always("CONFIG_MULTIUSER"),
    always("CONFIG_BINFMT_ELF"),
    always("CONFIG_BINFMT_SCRIPT"),
    always("CONFIG_PROC_FS"),
    always("CONFIG_PROC_SYSCTL"),
    always("CONFIG_SYSFS"),
    always("CONFIG_TMPFS"),
    always("CONFIG_SHMEM"),
    always("CONFIG_TTY"),
    always("CONFIG_UNIX98_PTYS"),
    always("CONFIG_EXT2_FS"),
    calls("CONFIG_FUTEX", &["futex", "set_robust_list"]),
    calls("CONFIG_EPOLL", &["epoll_create", "epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait"]),
    calls("CONFIG_SIGNALFD", &["signalfd", "signalfd4"]),
    calls("CONFIG_TIMERFD", &["timerfd_create", "timerfd_settime", "timerfd_gettime"]),
    calls("CONFIG_EVENTFD", &["eventfd", "eventfd2"]),
    calls("CONFIG_INOTIFY_USER", &["inotify_init", "inotify_init1", "inotify_add_watch", "inotify_rm_watch"]),
    feature("CONFIG_FANOTIFY_ACCESS_PERMISSIONS", "fanotify-permissions"),
    calls("CONFIG_MEMFD_CREATE", &["memfd_create"]),
    calls("CONFIG_MEMBARRIER", &["membarrier"]),
    calls("CONFIG_ADVISE_SYSCALLS", &["madvise", "fadvise64"]),
    calls("CONFIG_FILE_LOCKING", &["flock"]),
    calls(
        "CONFIG_POSIX_TIMERS",
        &["timer_create", "timer_settime", "timer_gettime", "timer_getoverrun", "timer_delete", "clock_settime"],
    ),
    calls(
        "CONFIG_SYSVIPC",
        &[
            "shmget",
            "shmat",
            "shmdt",
            "shmctl",
            "semget",
            "semop",
            "semctl",
            "semtimedop",
            "msgget",
            "msgsnd",
            "msgrcv",
            "msgctl",
        ],
    ),
    calls(
        "CONFIG_POSIX_MQUEUE",
        &["mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify", "mq_getsetattr"],
    ),
    calls(
        "CONFIG_NET",
        &[
            "socket",
            "socketpair",
            "bind",
            "listen",
            "accept",
            "accept4",
            "connect",
            "sendto",
            "recvfrom",
            "sendmsg",
            "recvmsg",
            "shutdown",
            "getsockname",
            "getpeername",
            "setsockopt",
            "getsockopt",
        ],
    ),
    calls(
        "CONFIG_UNIX",
        &[
            "socket",
            "socketpair",
            "bind",
            "listen",
            "accept",
            "accept4",
            "connect",
            "sendto",
            "recvfrom",
            "sendmsg",
            "recvmsg",
            "shutdown",
            "getsockname",
            "getpeername",
            "setsockopt",
            "getsockopt",
        ],
    ),
    calls("CONFIG_AIO", &["io_setup", "io_destroy", "io_submit", "io_cancel", "io_getevents"]),
    calls("CONFIG_IO_URING", &["io_uring_setup", "io_uring_enter", "io_uring_register"]),
    calls("CONFIG_FANOTIFY", &["fanotify_init", "fanotify_mark"]),
    calls("CONFIG_USERFAULTFD", &["userfaultfd"]),
    calls("CONFIG_SECCOMP", &["seccomp"]),
    calls("CONFIG_KEYS", &["add_key", "request_key", "keyctl"]),
    calls("CONFIG_CROSS_MEMORY_ATTACH", &["process_vm_readv", "process_vm_writev"]),
    calls("CONFIG_BSD_PROCESS_ACCT", &["acct"]),
    calls("CONFIG_SWAP", &["swapon", "swapoff"]),
    calls("CONFIG_QUOTA", &["quotactl"]),
    calls("CONFIG_FHANDLE", &["name_to_handle_at", "open_by_handle_at"]),
    calls("CONFIG_BPF_SYSCALL", &["bpf"]),
    calls("CONFIG_PERF_EVENTS", &["perf_event_open"]),
    calls("CONFIG_RSEQ", &["rseq"]),
    calls("CONFIG_NUMA", &["mbind", "set_mempolicy", "get_mempolicy"]),
    calls("CONFIG_SYSFS_SYSCALL", &["sysfs"]),
    calls("CONFIG_KCMP", &["kcmp"]),
    calls("CONFIG_SECURITY_LANDLOCK", &["landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self"]),
    calls("CONFIG_MODULES", &["init_module", "finit_module", "delete_module"]),
    feature("CONFIG_BLK_DEV", "block-devices"),
    feature("CONFIG_BLK_DEV_LOOP", "loop"),
    feature("CONFIG_TMPFS_XATTR", "tmpfs-xattr"),
    feature("CONFIG_CHECKPOINT_RESTORE", "checkpoint-restore"),
    never("CONFIG_SMP"),
    never("CONFIG_NAMESPACES"),
    never("CONFIG_UTS_NS"),
    never("CONFIG_IPC_NS"),
    never("CONFIG_USER_NS"),
    never("CONFIG_PID_NS"),
    never("CONFIG_NET_NS"),
    never("CONFIG_TIME_NS"),
    never("CONFIG_CGROUPS"),
    never("CONFIG_INET"),
    never("CONFIG_IPV6"),
    never("CONFIG_HUGETLBFS"),
    never("CONFIG_TRANSPARENT_HUGEPAGE"),
    never("CONFIG_IA32_EMULATION"),
    never("CONFIG_DNOTIFY"),
    never("CONFIG_MANDATORY_FILE_LOCKING"),
    never("CONFIG_TMPFS_POSIX_ACL"),
    never("CONFIG_EXT2_FS_XATTR"),
    never("CONFIG_FS_VERITY"),
    never("CONFIG_MEMORY_FAILURE"),
    never("CONFIG_KEXEC"),
    never("CONFIG_PREEMPT_RT"),
];

/// Whether `call` has a handler in the table (implemented, partial or an
/// honest stub).
fn handled(call: &str) -> bool {
    TABLE.iter().any(|e| e.name == call && e.handler.is_some())
}

/// Whether `option` holds on a kernel that has `features`.
pub fn is_set(option: &Option, features: &[&str]) -> bool {
    match option.basis {
        Basis::Always => true,
        Basis::Calls(names) => names.iter().all(|c| handled(c)),
        Basis::Feature(f) => features.contains(&f),
        Basis::Never => false,
    }
}

/// The configuration file as Linux's `scripts/config` writes it.
pub fn render(features: &[&str]) -> String {
    let mut s = String::from("#\n# Helctic: the Linux kernel configuration it answers to\n#\n");
    let _ = writeln!(s, "CONFIG_LOCALVERSION=\"{}\"", crate::RELEASE.find('-').map_or("", |i| &crate::RELEASE[i..]));
    for option in OPTIONS {
        if is_set(option, features) {
            let _ = writeln!(s, "{}=y", option.name);
        } else {
            let _ = writeln!(s, "# {} is not set", option.name);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn every_named_call_is_in_the_table() {
        for option in OPTIONS {
            if let Basis::Calls(names) = option.basis {
                for name in names {
                    assert!(
                        linux_abi::syscall_names::syscall_number(name).is_some(),
                        "{}: Linux has no call {name}",
                        option.name
                    );
                }
            }
        }
    }

    #[test]
    fn options_are_listed_once_with_linux_names() {
        let mut names: Vec<&str> = OPTIONS.iter().map(|o| o.name).collect();
        assert!(names.iter().all(|n| n.starts_with("CONFIG_")
            && n[7..].bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')));
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len());
    }

    #[test]
    fn options_follow_the_table_and_the_features() {
        let text = render(&["loop"]);
        assert!(text.lines().any(|l| l == "CONFIG_EVENTFD=y"), "eventfd and eventfd2 are in the table");
        assert!(text.lines().any(|l| l == "CONFIG_AIO=y"), "io_setup and friends are in the table");
        assert!(
            text.lines().any(|l| l == "CONFIG_FHANDLE=y"),
            "name_to_handle_at and open_by_handle_at are in the table"
        );
        assert!(text.lines().any(|l| l == "CONFIG_BLK_DEV_LOOP=y"));
        assert!(text.lines().any(|l| l == "# CONFIG_TMPFS_XATTR is not set"));
        assert!(text.lines().any(|l| l == "# CONFIG_USER_NS is not set"));
        // An option for calls the table lacks is not set.
        assert!(!handled("kexec_load"));
        assert!(!is_set(&calls("CONFIG_TEST", &["eventfd", "kexec_load"]), &[]));
        assert!(text.contains("CONFIG_LOCALVERSION=\"-helctic\""));
        // Every line is an assignment or a comment, as tst_kconfig parses.
        for line in text.lines() {
            assert!(line.starts_with('#') || line.starts_with("CONFIG_"), "{line}");
        }
    }
}
