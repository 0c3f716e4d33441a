//! Why each Linux system call without a row in the table is ENOSYS here.
//!
//! `docs/linux-syscalls.md` shows the reason beside the call, and a test
//! fails when a call has neither a row nor a reason (or has both), so no
//! call a program (or the Linux Test Project) reaches is ENOSYS unexplained.

const NO_MODULES: &str = "Helctic loads no kernel modules: its kernel is one image, and drivers are user-space servers";
const OBSOLETE: &str = "removed from Linux too (ENOSYS there since long ago)";
const NEVER: &str = "reserved by Linux and never implemented there either (ENOSYS)";
const NAMESPACES: &str =
    "no namespaces yet (mount, PID, user, network, UTS, IPC, time); CONFIG_NAMESPACES is not set in /proc/config.gz";
const NEW_MOUNT_API: &str = "the new mount API (fsopen, fsconfig, fsmount, fspick, open_tree, move_mount, mount_setattr) is not implemented; mount(2) and umount2(2) are";
const NUMA: &str = "one memory node: no NUMA placement (CONFIG_NUMA is not set), as Linux without it";
const LANDLOCK: &str = "no Landlock sandboxing yet (CONFIG_SECURITY_LANDLOCK is not set); the capability core is meant to give such confinement natively";
const IO_URING: &str = "io_uring is not implemented (CONFIG_IO_URING is not set); Linux native AIO is";
const QUOTA: &str = "no disk quotas: the ext2 server and tmpfs keep none (CONFIG_QUOTA is not set)";
const KEXEC: &str = "no kexec: Helctic cannot load another kernel";
const SWAP: &str = "no swap: memory is never paged out (CONFIG_SWAP is not set)";
const PKEYS: &str = "no memory protection keys: the kernel does not enable PKU";
const XATTR_AT: &str = "the *xattrat calls (Linux 6.13) are not implemented; setxattr, getxattr, listxattr, removexattr and their l/f forms are";
const FILE_ATTR: &str = "file_getattr/file_setattr (Linux 6.17, inode flags and project ids) are not implemented: the file systems keep no inode flags";
const LSM: &str = "no Linux security modules (CONFIG_SECURITY is not set)";
const FUTEX2: &str = "the futex2 calls (futex_waitv, futex_wake, futex_wait, futex_requeue) are not implemented; futex(2) with every operation programs use is";
const MOUNT_LISTING: &str =
    "statmount/listmount (Linux 6.8) are not implemented; /proc/self/mountinfo shows the mounts";
const X86_LEGACY: &str = "32-bit x86 descriptor tables and I/O-port access are not offered to Linux programs (user-space drivers get ports through native capabilities)";
const UPROBES: &str = "no uprobes: Linux's kernel-internal trampolines, never called by programs";

/// (call, why it is ENOSYS here).
pub const REASONS: &[(&str, &str)] = &[
    ("syslog", "no kernel log buffer for programs yet (dmesg): the kernel's log goes to the serial console"),
    ("uselib", OBSOLETE),
    ("ustat", "obsolete (Linux keeps it for old programs); statfs and fstatfs give the same information"),
    ("vhangup", "virtual hang-up of the controlling terminal is not implemented; closing the terminal's master hangs it up"),
    ("modify_ldt", X86_LEGACY),
    ("pivot_root", NAMESPACES),
    ("_sysctl", OBSOLETE),
    ("acct", "no process accounting (CONFIG_BSD_PROCESS_ACCT is not set)"),
    ("swapon", SWAP),
    ("swapoff", SWAP),
    ("iopl", X86_LEGACY),
    ("ioperm", X86_LEGACY),
    ("create_module", OBSOLETE),
    ("init_module", NO_MODULES),
    ("delete_module", NO_MODULES),
    ("get_kernel_syms", OBSOLETE),
    ("query_module", OBSOLETE),
    ("quotactl", QUOTA),
    ("nfsservctl", OBSOLETE),
    ("getpmsg", NEVER),
    ("putpmsg", NEVER),
    ("afs_syscall", NEVER),
    ("tuxcall", NEVER),
    ("security", NEVER),
    ("set_thread_area", "32-bit TLS descriptors: not offered to 64-bit programs (arch_prctl ARCH_SET_FS is how they set TLS)"),
    ("get_thread_area", "32-bit TLS descriptors: not offered to 64-bit programs (arch_prctl ARCH_GET_FS is how they read TLS)"),
    ("lookup_dcookie", OBSOLETE),
    ("epoll_ctl_old", NEVER),
    ("epoll_wait_old", NEVER),
    ("remap_file_pages", "deprecated in Linux (emulated there with mmap since 4.0) and not implemented here"),
    ("restart_syscall", "restarted calls start over through the personality's own marker instead; nothing calls this by number"),
    ("vserver", NEVER),
    ("mbind", NUMA),
    ("set_mempolicy", NUMA),
    ("get_mempolicy", NUMA),
    ("kexec_load", KEXEC),
    ("migrate_pages", NUMA),
    ("move_pages", NUMA),
    ("perf_event_open", "no performance counters for programs (CONFIG_PERF_EVENTS is not set); the kernel's own sampling profiler (`cargo xtask bench --profile HZ`) samples Helctic instead"),
    ("setns", NAMESPACES),
    ("finit_module", NO_MODULES),
    ("seccomp", "no seccomp filters yet (CONFIG_SECCOMP is not set); prctl(PR_GET_SECCOMP) answers 0"),
    ("kexec_file_load", KEXEC),
    ("bpf", "no eBPF (CONFIG_BPF_SYSCALL is not set)"),
    ("userfaultfd", "no userfaultfd yet (CONFIG_USERFAULTFD is not set): page faults are resolved in the kernel only"),
    ("pkey_mprotect", PKEYS),
    ("pkey_alloc", PKEYS),
    ("pkey_free", PKEYS),
    ("rseq", "no restartable sequences (CONFIG_RSEQ is not set); glibc falls back when registration is ENOSYS"),
    ("uretprobe", UPROBES),
    ("uprobe", UPROBES),
    ("io_uring_setup", IO_URING),
    ("io_uring_enter", IO_URING),
    ("io_uring_register", IO_URING),
    ("open_tree", NEW_MOUNT_API),
    ("move_mount", NEW_MOUNT_API),
    ("fsopen", NEW_MOUNT_API),
    ("fsconfig", NEW_MOUNT_API),
    ("fsmount", NEW_MOUNT_API),
    ("fspick", NEW_MOUNT_API),
    ("process_madvise", "advice to another process's memory is not implemented; madvise for one's own is"),
    ("mount_setattr", NEW_MOUNT_API),
    ("quotactl_fd", QUOTA),
    ("landlock_create_ruleset", LANDLOCK),
    ("landlock_add_rule", LANDLOCK),
    ("landlock_restrict_self", LANDLOCK),
    ("memfd_secret", "no memory removed from the kernel's direct map (CONFIG_SECRETMEM is not set)"),
    ("process_mrelease", "no early release of a killed process's memory: it is freed when the process is reaped, at once"),
    ("futex_waitv", FUTEX2),
    ("set_mempolicy_home_node", NUMA),
    ("cachestat", "page-cache statistics per file range (Linux 6.5) are not implemented; mincore is"),
    ("map_shadow_stack", "no user shadow stacks (CET) are enabled"),
    ("futex_wake", FUTEX2),
    ("futex_wait", FUTEX2),
    ("futex_requeue", FUTEX2),
    ("statmount", MOUNT_LISTING),
    ("listmount", MOUNT_LISTING),
    ("lsm_get_self_attr", LSM),
    ("lsm_set_self_attr", LSM),
    ("lsm_list_modules", LSM),
    ("mseal", "sealing of mappings (Linux 6.10) is not implemented"),
    ("setxattrat", XATTR_AT),
    ("getxattrat", XATTR_AT),
    ("listxattrat", XATTR_AT),
    ("removexattrat", XATTR_AT),
    ("open_tree_attr", NEW_MOUNT_API),
    ("file_getattr", FILE_ATTR),
    ("file_setattr", FILE_ATTR),
    ("listns", NAMESPACES),
    ("rseq_slice_yield", "restartable sequences are not implemented (see rseq)"),
];

/// Why `name` is ENOSYS, if it has no row in the table.
pub fn reason(name: &str) -> Option<&'static str> {
    REASONS.iter().find(|(n, _)| *n == name).map(|(_, r)| *r)
}
