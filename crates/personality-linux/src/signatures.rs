//! The argument types of every call in the syscall table, by name (so
//! `table.rs` stays the one list of calls). Two readers use them: the
//! system-call log (`trace.rs`), which shows each argument by its kind,
//! and the typed fuzzer (`cargo xtask fuzz`), whose C header xtask
//! generates from this list, so it draws each argument from what the call
//! really takes: descriptors the process has, mapped buffers with their
//! lengths, structures of the right size, flags from the call's own set.
//! A test fails when a row of the table with a handler has no signature.

use linux_abi::{
    access, clone, epoll, eventfd, fcntl, futex, inotify, ioctl, ipc, loop_dev, membarrier, memfd, mman, prctl, ptrace,
    random, resource, sched, seek, signal, socket, time, timerfd, wait,
};

/// What an argument is. Kinds the log shows alike (an output buffer and a
/// pointer) stay apart because the fuzzer draws them differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    /// A plain integer (shown in decimal).
    Int,
    /// A plain integer shown in hex (an argument whose meaning depends on
    /// another one, such as fcntl's third).
    Hex,
    Fd,
    /// A directory descriptor (AT_FDCWD by name).
    DirFd,
    /// A NUL-terminated string in user memory.
    Path,
    /// A buffer the kernel reads; its length is the next argument.
    Buf,
    /// A buffer the kernel writes; its length is the next argument.
    OutBuf,
    /// An array of `struct iovec`; its count is the next argument.
    Iov,
    /// A size or count (the fuzzer's edges: 0, 1, page-1, page, huge, negative).
    Len,
    /// An address used as such (mapped, unmapped, kernel, misaligned).
    Ptr,
    /// A pointer to a structure of this many bytes that the kernel reads.
    In(u32),
    /// A pointer to a structure of this many bytes that the kernel writes.
    Out(u32),
    Mode,
    /// A process, thread or process-group id.
    Pid,
    /// A user or group id.
    Uid,
    OpenFlags,
    Prot,
    MapFlags,
    Signal,
    /// A value from the call's own set of flags or commands.
    Flags(Set),
}

impl Arg {
    /// The set a flags argument draws from (the log's own kinds included).
    pub fn set(self) -> Option<Set> {
        match self {
            Flags(s) => Some(s),
            OpenFlags => Some(Set::Open),
            Prot => Some(Set::Prot),
            MapFlags => Some(Set::Map),
            _ => None,
        }
    }
}

/// What the result is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ret {
    Int,
    Ptr,
}

/// The sets of flags and commands calls take. A `bits` set is combined
/// (flags are OR-ed), any other names one choice (a command).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Set {
    Open,
    Prot,
    Map,
    Clone,
    SocketDomain,
    SocketType,
    SocketLevel,
    SocketOption,
    MsgFlags,
    Shutdown,
    Ioctl,
    Fcntl,
    Flock,
    Prctl,
    Ptrace,
    ArchPrctl,
    AtFlags,
    Whence,
    Futex,
    EpollCtl,
    EpollFlags,
    Wait,
    IdType,
    Clock,
    TimerFlags,
    Itimer,
    Rlimit,
    Rusage,
    Madvise,
    Mremap,
    Msync,
    Mlockall,
    Membarrier,
    SchedPolicy,
    PrioWhich,
    IpcFlags,
    IpcCmd,
    SigHow,
    Access,
    Rename,
    Splice,
    Memfd,
    Eventfd,
    Timerfd,
    InotifyMask,
    InotifyInit,
    Kcmp,
    Random,
    CloseRange,
    Mount,
    Umount,
    Fallocate,
    Fadvise,
    Xattr,
    Rwf,
}

macro_rules! named {
    ($($m:ident :: $c:ident),* $(,)?) => { &[$(($m::$c as u64, stringify!($c))),*] };
}

impl Set {
    pub fn name(self) -> &'static str {
        match self {
            Set::Open => "open",
            Set::Prot => "prot",
            Set::Map => "map",
            Set::Clone => "clone",
            Set::SocketDomain => "socket_domain",
            Set::SocketType => "socket_type",
            Set::SocketLevel => "socket_level",
            Set::SocketOption => "socket_option",
            Set::MsgFlags => "msg_flags",
            Set::Shutdown => "shutdown",
            Set::Ioctl => "ioctl",
            Set::Fcntl => "fcntl",
            Set::Flock => "flock",
            Set::Prctl => "prctl",
            Set::Ptrace => "ptrace",
            Set::ArchPrctl => "arch_prctl",
            Set::AtFlags => "at_flags",
            Set::Whence => "whence",
            Set::Futex => "futex",
            Set::EpollCtl => "epoll_ctl",
            Set::EpollFlags => "epoll_flags",
            Set::Wait => "wait",
            Set::IdType => "id_type",
            Set::Clock => "clock",
            Set::TimerFlags => "timer_flags",
            Set::Itimer => "itimer",
            Set::Rlimit => "rlimit",
            Set::Rusage => "rusage",
            Set::Madvise => "madvise",
            Set::Mremap => "mremap",
            Set::Msync => "msync",
            Set::Mlockall => "mlockall",
            Set::Membarrier => "membarrier",
            Set::SchedPolicy => "sched_policy",
            Set::PrioWhich => "prio_which",
            Set::IpcFlags => "ipc_flags",
            Set::IpcCmd => "ipc_cmd",
            Set::SigHow => "sig_how",
            Set::Access => "access",
            Set::Rename => "rename",
            Set::Splice => "splice",
            Set::Memfd => "memfd",
            Set::Eventfd => "eventfd",
            Set::Timerfd => "timerfd",
            Set::InotifyMask => "inotify_mask",
            Set::InotifyInit => "inotify_init",
            Set::Kcmp => "kcmp",
            Set::Random => "random",
            Set::CloseRange => "close_range",
            Set::Mount => "mount",
            Set::Umount => "umount",
            Set::Fallocate => "fallocate",
            Set::Fadvise => "fadvise",
            Set::Xattr => "xattr",
            Set::Rwf => "rwf",
        }
    }

    /// Flags are OR-ed together; commands are one value each.
    pub fn is_bits(self) -> bool {
        !matches!(
            self,
            Set::SocketDomain
                | Set::SocketLevel
                | Set::SocketOption
                | Set::Shutdown
                | Set::Ioctl
                | Set::Fcntl
                | Set::Prctl
                | Set::Ptrace
                | Set::ArchPrctl
                | Set::Whence
                | Set::Futex
                | Set::EpollCtl
                | Set::IdType
                | Set::Clock
                | Set::Itimer
                | Set::Rlimit
                | Set::Rusage
                | Set::Madvise
                | Set::Membarrier
                | Set::SchedPolicy
                | Set::PrioWhich
                | Set::IpcCmd
                | Set::SigHow
                | Set::Kcmp
                | Set::Fadvise
        )
    }

    pub fn values(self) -> &'static [(u64, &'static str)] {
        match self {
            Set::Open => named!(
                fcntl::O_WRONLY,
                fcntl::O_RDWR,
                fcntl::O_CREAT,
                fcntl::O_EXCL,
                fcntl::O_NOCTTY,
                fcntl::O_TRUNC,
                fcntl::O_APPEND,
                fcntl::O_NONBLOCK,
                fcntl::O_DSYNC,
                fcntl::O_ASYNC,
                fcntl::O_DIRECT,
                fcntl::O_LARGEFILE,
                fcntl::O_DIRECTORY,
                fcntl::O_NOFOLLOW,
                fcntl::O_NOATIME,
                fcntl::O_CLOEXEC,
                fcntl::O_SYNC,
                fcntl::O_PATH,
                fcntl::O_TMPFILE,
            ),
            Set::Prot => {
                named!(mman::PROT_READ, mman::PROT_WRITE, mman::PROT_EXEC, mman::PROT_SEM, mman::PROT_GROWSDOWN)
            }
            Set::Map => named!(
                mman::MAP_SHARED,
                mman::MAP_PRIVATE,
                mman::MAP_FIXED,
                mman::MAP_ANONYMOUS,
                mman::MAP_32BIT,
                mman::MAP_GROWSDOWN,
                mman::MAP_DENYWRITE,
                mman::MAP_LOCKED,
                mman::MAP_NORESERVE,
                mman::MAP_POPULATE,
                mman::MAP_NONBLOCK,
                mman::MAP_STACK,
                mman::MAP_HUGETLB,
                mman::MAP_SYNC,
                mman::MAP_FIXED_NOREPLACE,
            ),
            Set::Clone => named!(
                clone::CLONE_VM,
                clone::CLONE_FS,
                clone::CLONE_FILES,
                clone::CLONE_SIGHAND,
                clone::CLONE_PIDFD,
                clone::CLONE_PTRACE,
                clone::CLONE_VFORK,
                clone::CLONE_PARENT,
                clone::CLONE_THREAD,
                clone::CLONE_NEWNS,
                clone::CLONE_SYSVSEM,
                clone::CLONE_SETTLS,
                clone::CLONE_PARENT_SETTID,
                clone::CLONE_CHILD_CLEARTID,
                clone::CLONE_UNTRACED,
                clone::CLONE_CHILD_SETTID,
                clone::CLONE_NEWUTS,
                clone::CLONE_NEWIPC,
                clone::CLONE_NEWUSER,
                clone::CLONE_NEWPID,
                clone::CLONE_NEWNET,
                clone::CLONE_IO,
                clone::CLONE_CLEAR_SIGHAND,
                signal::SIGCHLD,
            ),
            Set::SocketDomain => named!(
                socket::AF_UNSPEC,
                socket::AF_UNIX,
                socket::AF_INET,
                socket::AF_INET6,
                socket::AF_NETLINK,
                socket::AF_PACKET
            ),
            Set::SocketType => named!(
                socket::SOCK_STREAM,
                socket::SOCK_DGRAM,
                socket::SOCK_RAW,
                socket::SOCK_SEQPACKET,
                socket::SOCK_NONBLOCK,
                socket::SOCK_CLOEXEC
            ),
            Set::SocketLevel => named!(
                socket::SOL_SOCKET,
                socket::IPPROTO_IP,
                socket::IPPROTO_TCP,
                socket::IPPROTO_UDP,
                socket::IPPROTO_IPV6
            ),
            Set::SocketOption => named!(
                socket::SO_DEBUG,
                socket::SO_REUSEADDR,
                socket::SO_TYPE,
                socket::SO_ERROR,
                socket::SO_BROADCAST,
                socket::SO_SNDBUF,
                socket::SO_RCVBUF,
                socket::SO_KEEPALIVE,
                socket::SO_OOBINLINE,
                socket::SO_PRIORITY,
                socket::SO_LINGER,
                socket::SO_PASSCRED,
                socket::SO_PEERCRED,
                socket::SO_RCVLOWAT,
                socket::SO_SNDLOWAT,
                socket::SO_RCVTIMEO_OLD,
                socket::SO_SNDTIMEO_OLD,
                socket::SO_ACCEPTCONN,
                socket::SO_PEERSEC,
                socket::SO_SNDBUFFORCE,
                socket::SO_RCVBUFFORCE,
                socket::SO_PROTOCOL,
                socket::SO_DOMAIN,
            ),
            Set::MsgFlags => named!(
                socket::MSG_OOB,
                socket::MSG_PEEK,
                socket::MSG_DONTROUTE,
                socket::MSG_CTRUNC,
                socket::MSG_TRUNC,
                socket::MSG_DONTWAIT,
                socket::MSG_EOR,
                socket::MSG_WAITALL,
                socket::MSG_ERRQUEUE,
                socket::MSG_NOSIGNAL,
                socket::MSG_MORE,
                socket::MSG_CMSG_CLOEXEC,
            ),
            Set::Shutdown => named!(socket::SHUT_RD, socket::SHUT_WR, socket::SHUT_RDWR),
            // The requests Helctic answers (terminals, pseudo-terminals,
            // descriptors, loop and block devices).
            Set::Ioctl => named!(
                ioctl::TCGETS,
                ioctl::TCSETS,
                ioctl::TCSETSW,
                ioctl::TCSETSF,
                ioctl::TCGETA,
                ioctl::TCSETA,
                ioctl::TCSBRK,
                ioctl::TCXONC,
                ioctl::TCFLSH,
                ioctl::TIOCEXCL,
                ioctl::TIOCNXCL,
                ioctl::TIOCSCTTY,
                ioctl::TIOCGPGRP,
                ioctl::TIOCSPGRP,
                ioctl::TIOCOUTQ,
                ioctl::TIOCSTI,
                ioctl::TIOCGWINSZ,
                ioctl::TIOCSWINSZ,
                ioctl::TIOCMGET,
                ioctl::FIONREAD,
                ioctl::TIOCPKT,
                ioctl::FIONBIO,
                ioctl::TIOCNOTTY,
                ioctl::TIOCSETD,
                ioctl::TIOCGETD,
                ioctl::TIOCGSID,
                ioctl::TCGETS2,
                ioctl::TCSETS2,
                ioctl::TIOCGPTN,
                ioctl::TIOCSPTLCK,
                ioctl::TIOCSIG,
                ioctl::TIOCVHANGUP,
                ioctl::TIOCGPKT,
                ioctl::TIOCGPTLCK,
                ioctl::TIOCGEXCL,
                ioctl::TIOCGPTPEER,
                ioctl::FIONCLEX,
                ioctl::FIOCLEX,
                ioctl::FIOASYNC,
                ioctl::FIOQSIZE,
                ioctl::FIGETBSZ,
                ioctl::FICLONE,
                loop_dev::BLKROSET,
                loop_dev::BLKROGET,
                loop_dev::BLKGETSIZE,
                loop_dev::BLKFLSBUF,
                loop_dev::BLKSSZGET,
                loop_dev::BLKBSZGET,
                loop_dev::BLKGETSIZE64,
                loop_dev::LOOP_SET_FD,
                loop_dev::LOOP_CLR_FD,
                loop_dev::LOOP_SET_STATUS,
                loop_dev::LOOP_GET_STATUS,
                loop_dev::LOOP_SET_STATUS64,
                loop_dev::LOOP_GET_STATUS64,
                loop_dev::LOOP_CHANGE_FD,
                loop_dev::LOOP_SET_CAPACITY,
                loop_dev::LOOP_SET_BLOCK_SIZE,
                loop_dev::LOOP_CONFIGURE,
                loop_dev::LOOP_CTL_ADD,
                loop_dev::LOOP_CTL_REMOVE,
                loop_dev::LOOP_CTL_GET_FREE,
            ),
            Set::Fcntl => named!(
                fcntl::F_DUPFD,
                fcntl::F_GETFD,
                fcntl::F_SETFD,
                fcntl::F_GETFL,
                fcntl::F_SETFL,
                fcntl::F_GETLK,
                fcntl::F_SETLK,
                fcntl::F_SETLKW,
                fcntl::F_SETOWN,
                fcntl::F_GETOWN,
                fcntl::F_SETSIG,
                fcntl::F_GETSIG,
                fcntl::F_SETOWN_EX,
                fcntl::F_GETOWN_EX,
                fcntl::F_OFD_GETLK,
                fcntl::F_OFD_SETLK,
                fcntl::F_OFD_SETLKW,
                fcntl::F_SETLEASE,
                fcntl::F_GETLEASE,
                fcntl::F_NOTIFY,
                fcntl::F_DUPFD_CLOEXEC,
                fcntl::F_SETPIPE_SZ,
                fcntl::F_GETPIPE_SZ,
                fcntl::F_ADD_SEALS,
                fcntl::F_GET_SEALS,
                fcntl::F_GET_RW_HINT,
                fcntl::F_SET_RW_HINT,
            ),
            Set::Flock => named!(fcntl::LOCK_SH, fcntl::LOCK_EX, fcntl::LOCK_NB, fcntl::LOCK_UN),
            Set::Prctl => named!(
                prctl::PR_SET_PDEATHSIG,
                prctl::PR_GET_PDEATHSIG,
                prctl::PR_GET_DUMPABLE,
                prctl::PR_SET_DUMPABLE,
                prctl::PR_GET_KEEPCAPS,
                prctl::PR_SET_KEEPCAPS,
                prctl::PR_SET_NAME,
                prctl::PR_GET_NAME,
                prctl::PR_GET_SECCOMP,
                prctl::PR_SET_SECCOMP,
                prctl::PR_CAPBSET_READ,
                prctl::PR_CAPBSET_DROP,
                prctl::PR_GET_SECUREBITS,
                prctl::PR_SET_SECUREBITS,
                prctl::PR_SET_TIMERSLACK,
                prctl::PR_GET_TIMERSLACK,
                prctl::PR_SET_MM,
                prctl::PR_SET_CHILD_SUBREAPER,
                prctl::PR_GET_CHILD_SUBREAPER,
                prctl::PR_SET_NO_NEW_PRIVS,
                prctl::PR_GET_NO_NEW_PRIVS,
                prctl::PR_GET_TID_ADDRESS,
                prctl::PR_SET_THP_DISABLE,
                prctl::PR_GET_THP_DISABLE,
                prctl::PR_CAP_AMBIENT,
                prctl::PR_GET_SPECULATION_CTRL,
                prctl::PR_SET_SPECULATION_CTRL,
                prctl::PR_SET_VMA,
                prctl::PR_SET_PTRACER,
                prctl::PR_GET_TSC,
                prctl::PR_SET_TSC,
            ),
            Set::Ptrace => named!(
                ptrace::PTRACE_TRACEME,
                ptrace::PTRACE_PEEKTEXT,
                ptrace::PTRACE_PEEKDATA,
                ptrace::PTRACE_PEEKUSER,
                ptrace::PTRACE_POKETEXT,
                ptrace::PTRACE_POKEDATA,
                ptrace::PTRACE_POKEUSER,
                ptrace::PTRACE_CONT,
                ptrace::PTRACE_KILL,
                ptrace::PTRACE_SINGLESTEP,
                ptrace::PTRACE_GETREGS,
                ptrace::PTRACE_SETREGS,
                ptrace::PTRACE_GETFPREGS,
                ptrace::PTRACE_SETFPREGS,
                ptrace::PTRACE_ATTACH,
                ptrace::PTRACE_DETACH,
                ptrace::PTRACE_SYSCALL,
                ptrace::PTRACE_SETOPTIONS,
                ptrace::PTRACE_GETEVENTMSG,
                ptrace::PTRACE_GETSIGINFO,
                ptrace::PTRACE_SETSIGINFO,
                ptrace::PTRACE_GETREGSET,
                ptrace::PTRACE_SETREGSET,
                ptrace::PTRACE_SEIZE,
                ptrace::PTRACE_INTERRUPT,
                ptrace::PTRACE_LISTEN,
                ptrace::PTRACE_GET_SYSCALL_INFO,
            ),
            Set::ArchPrctl => &[
                (0x1001, "ARCH_SET_GS"),
                (0x1002, "ARCH_SET_FS"),
                (0x1003, "ARCH_GET_FS"),
                (0x1004, "ARCH_GET_GS"),
                (0x1011, "ARCH_GET_CPUID"),
                (0x1012, "ARCH_SET_CPUID"),
            ],
            Set::AtFlags => named!(
                fcntl::AT_SYMLINK_NOFOLLOW,
                fcntl::AT_EACCESS,
                fcntl::AT_REMOVEDIR,
                fcntl::AT_SYMLINK_FOLLOW,
                fcntl::AT_NO_AUTOMOUNT,
                fcntl::AT_EMPTY_PATH,
                fcntl::AT_RECURSIVE
            ),
            Set::Whence => named!(seek::SEEK_SET, seek::SEEK_CUR, seek::SEEK_END, seek::SEEK_DATA, seek::SEEK_HOLE),
            Set::Futex => named!(
                futex::FUTEX_WAIT,
                futex::FUTEX_WAKE,
                futex::FUTEX_REQUEUE,
                futex::FUTEX_CMP_REQUEUE,
                futex::FUTEX_WAKE_OP,
                futex::FUTEX_LOCK_PI,
                futex::FUTEX_UNLOCK_PI,
                futex::FUTEX_TRYLOCK_PI,
                futex::FUTEX_WAIT_BITSET,
                futex::FUTEX_WAKE_BITSET,
                futex::FUTEX_WAIT_PRIVATE,
                futex::FUTEX_WAKE_PRIVATE,
                futex::FUTEX_WAIT_BITSET_PRIVATE,
                futex::FUTEX_CMP_REQUEUE_PRIVATE,
            ),
            Set::EpollCtl => named!(epoll::EPOLL_CTL_ADD, epoll::EPOLL_CTL_DEL, epoll::EPOLL_CTL_MOD),
            Set::EpollFlags => named!(epoll::EPOLL_CLOEXEC),
            Set::Wait => named!(
                wait::WNOHANG,
                wait::WUNTRACED,
                wait::WEXITED,
                wait::WCONTINUED,
                wait::WNOWAIT,
                wait::__WNOTHREAD,
                wait::__WALL,
                wait::__WCLONE
            ),
            Set::IdType => named!(wait::P_ALL, wait::P_PID, wait::P_PGID, wait::P_PIDFD),
            Set::Clock => named!(
                time::CLOCK_REALTIME,
                time::CLOCK_MONOTONIC,
                time::CLOCK_PROCESS_CPUTIME_ID,
                time::CLOCK_THREAD_CPUTIME_ID,
                time::CLOCK_MONOTONIC_RAW,
                time::CLOCK_REALTIME_COARSE,
                time::CLOCK_MONOTONIC_COARSE,
                time::CLOCK_BOOTTIME,
                time::CLOCK_REALTIME_ALARM,
                time::CLOCK_TAI,
            ),
            Set::TimerFlags => named!(time::TIMER_ABSTIME),
            Set::Itimer => named!(time::ITIMER_REAL, time::ITIMER_VIRTUAL, time::ITIMER_PROF),
            Set::Rlimit => named!(
                resource::RLIMIT_CPU,
                resource::RLIMIT_FSIZE,
                resource::RLIMIT_DATA,
                resource::RLIMIT_STACK,
                resource::RLIMIT_CORE,
                resource::RLIMIT_RSS,
                resource::RLIMIT_NPROC,
                resource::RLIMIT_NOFILE,
                resource::RLIMIT_MEMLOCK,
                resource::RLIMIT_AS,
                resource::RLIMIT_LOCKS,
                resource::RLIMIT_SIGPENDING,
                resource::RLIMIT_MSGQUEUE,
                resource::RLIMIT_NICE,
                resource::RLIMIT_RTPRIO,
                resource::RLIMIT_RTTIME,
            ),
            Set::Rusage => &[(0, "RUSAGE_SELF"), (u64::MAX, "RUSAGE_CHILDREN"), (1, "RUSAGE_THREAD")],
            Set::Madvise => named!(
                mman::MADV_NORMAL,
                mman::MADV_RANDOM,
                mman::MADV_SEQUENTIAL,
                mman::MADV_WILLNEED,
                mman::MADV_DONTNEED,
                mman::MADV_FREE,
                mman::MADV_REMOVE,
                mman::MADV_DONTFORK,
                mman::MADV_DOFORK,
                mman::MADV_MERGEABLE,
                mman::MADV_HUGEPAGE,
                mman::MADV_DONTDUMP,
                mman::MADV_WIPEONFORK,
                mman::MADV_KEEPONFORK,
                mman::MADV_COLD,
                mman::MADV_PAGEOUT,
                mman::MADV_POPULATE_READ,
                mman::MADV_POPULATE_WRITE,
                mman::MADV_COLLAPSE,
            ),
            Set::Mremap => named!(mman::MREMAP_MAYMOVE, mman::MREMAP_FIXED, mman::MREMAP_DONTUNMAP),
            Set::Msync => named!(mman::MS_ASYNC, mman::MS_INVALIDATE, mman::MS_SYNC),
            Set::Mlockall => named!(mman::MCL_CURRENT, mman::MCL_FUTURE, mman::MCL_ONFAULT),
            Set::Membarrier => named!(
                membarrier::MEMBARRIER_CMD_QUERY,
                membarrier::MEMBARRIER_CMD_GLOBAL,
                membarrier::MEMBARRIER_CMD_GLOBAL_EXPEDITED,
                membarrier::MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED,
                membarrier::MEMBARRIER_CMD_PRIVATE_EXPEDITED,
                membarrier::MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED,
                membarrier::MEMBARRIER_CMD_GET_REGISTRATIONS,
            ),
            Set::SchedPolicy => named!(
                sched::SCHED_NORMAL,
                sched::SCHED_FIFO,
                sched::SCHED_RR,
                sched::SCHED_BATCH,
                sched::SCHED_IDLE,
                sched::SCHED_DEADLINE,
                sched::SCHED_RESET_ON_FORK
            ),
            Set::PrioWhich => named!(resource::PRIO_PROCESS, resource::PRIO_PGRP, resource::PRIO_USER),
            Set::IpcFlags => named!(ipc::IPC_CREAT, ipc::IPC_EXCL, ipc::IPC_NOWAIT),
            Set::IpcCmd => named!(
                ipc::IPC_RMID,
                ipc::IPC_SET,
                ipc::IPC_STAT,
                ipc::IPC_INFO,
                ipc::SHM_LOCK,
                ipc::SHM_UNLOCK,
                ipc::SHM_STAT,
                ipc::SHM_INFO,
                ipc::GETPID,
                ipc::GETVAL,
                ipc::GETALL,
                ipc::GETNCNT,
                ipc::GETZCNT,
                ipc::SETVAL,
                ipc::SETALL,
                ipc::SEM_STAT,
                ipc::SEM_INFO,
                ipc::MSG_STAT,
                ipc::MSG_INFO,
            ),
            Set::SigHow => named!(signal::SIG_BLOCK, signal::SIG_UNBLOCK, signal::SIG_SETMASK),
            Set::Access => named!(access::R_OK, access::W_OK, access::X_OK),
            Set::Rename => named!(fcntl::RENAME_NOREPLACE, fcntl::RENAME_EXCHANGE, fcntl::RENAME_WHITEOUT),
            Set::Splice => {
                named!(fcntl::SPLICE_F_MOVE, fcntl::SPLICE_F_NONBLOCK, fcntl::SPLICE_F_MORE, fcntl::SPLICE_F_GIFT)
            }
            Set::Memfd => named!(
                memfd::MFD_CLOEXEC,
                memfd::MFD_ALLOW_SEALING,
                memfd::MFD_HUGETLB,
                memfd::MFD_NOEXEC_SEAL,
                memfd::MFD_EXEC
            ),
            Set::Eventfd => named!(eventfd::EFD_SEMAPHORE, eventfd::EFD_CLOEXEC, eventfd::EFD_NONBLOCK),
            Set::Timerfd => named!(
                timerfd::TFD_TIMER_ABSTIME,
                timerfd::TFD_TIMER_CANCEL_ON_SET,
                timerfd::TFD_CLOEXEC,
                timerfd::TFD_NONBLOCK
            ),
            Set::InotifyMask => named!(
                inotify::IN_ACCESS,
                inotify::IN_MODIFY,
                inotify::IN_ATTRIB,
                inotify::IN_CLOSE_WRITE,
                inotify::IN_CLOSE_NOWRITE,
                inotify::IN_OPEN,
                inotify::IN_MOVED_FROM,
                inotify::IN_MOVED_TO,
                inotify::IN_CREATE,
                inotify::IN_DELETE,
                inotify::IN_DELETE_SELF,
                inotify::IN_MOVE_SELF,
                inotify::IN_ONLYDIR,
                inotify::IN_DONT_FOLLOW,
                inotify::IN_EXCL_UNLINK,
                inotify::IN_MASK_CREATE,
                inotify::IN_MASK_ADD,
                inotify::IN_ONESHOT,
            ),
            Set::InotifyInit => named!(inotify::IN_CLOEXEC, inotify::IN_NONBLOCK),
            Set::Kcmp => named!(
                sched::KCMP_FILE,
                sched::KCMP_VM,
                sched::KCMP_FILES,
                sched::KCMP_FS,
                sched::KCMP_SIGHAND,
                sched::KCMP_IO,
                sched::KCMP_SYSVSEM,
                sched::KCMP_EPOLL_TFD
            ),
            Set::Random => named!(random::GRND_NONBLOCK, random::GRND_RANDOM, random::GRND_INSECURE),
            Set::CloseRange => named!(fcntl::CLOSE_RANGE_UNSHARE, fcntl::CLOSE_RANGE_CLOEXEC),
            Set::Mount => &[
                (1, "MS_RDONLY"),
                (2, "MS_NOSUID"),
                (4, "MS_NODEV"),
                (8, "MS_NOEXEC"),
                (16, "MS_SYNCHRONOUS"),
                (32, "MS_REMOUNT"),
                (1024, "MS_NOATIME"),
                (4096, "MS_BIND"),
                (8192, "MS_MOVE"),
                (16384, "MS_REC"),
                (1 << 18, "MS_PRIVATE"),
                (1 << 20, "MS_SHARED"),
            ],
            Set::Umount => &[(1, "MNT_FORCE"), (2, "MNT_DETACH"), (4, "MNT_EXPIRE"), (8, "UMOUNT_NOFOLLOW")],
            Set::Fallocate => &[
                (1, "FALLOC_FL_KEEP_SIZE"),
                (2, "FALLOC_FL_PUNCH_HOLE"),
                (8, "FALLOC_FL_COLLAPSE_RANGE"),
                (16, "FALLOC_FL_ZERO_RANGE"),
                (32, "FALLOC_FL_INSERT_RANGE"),
            ],
            Set::Fadvise => &[
                (0, "POSIX_FADV_NORMAL"),
                (1, "POSIX_FADV_RANDOM"),
                (2, "POSIX_FADV_SEQUENTIAL"),
                (3, "POSIX_FADV_WILLNEED"),
                (4, "POSIX_FADV_DONTNEED"),
                (5, "POSIX_FADV_NOREUSE"),
            ],
            Set::Xattr => &[(1, "XATTR_CREATE"), (2, "XATTR_REPLACE")],
            Set::Rwf => &[
                (1, "RWF_HIPRI"),
                (2, "RWF_DSYNC"),
                (4, "RWF_SYNC"),
                (8, "RWF_NOWAIT"),
                (16, "RWF_APPEND"),
                (32, "RWF_NOAPPEND"),
            ],
        }
    }
}

pub const ALL_SETS: &[Set] = &[
    Set::Open,
    Set::Prot,
    Set::Map,
    Set::Clone,
    Set::SocketDomain,
    Set::SocketType,
    Set::SocketLevel,
    Set::SocketOption,
    Set::MsgFlags,
    Set::Shutdown,
    Set::Ioctl,
    Set::Fcntl,
    Set::Flock,
    Set::Prctl,
    Set::Ptrace,
    Set::ArchPrctl,
    Set::AtFlags,
    Set::Whence,
    Set::Futex,
    Set::EpollCtl,
    Set::EpollFlags,
    Set::Wait,
    Set::IdType,
    Set::Clock,
    Set::TimerFlags,
    Set::Itimer,
    Set::Rlimit,
    Set::Rusage,
    Set::Madvise,
    Set::Mremap,
    Set::Msync,
    Set::Mlockall,
    Set::Membarrier,
    Set::SchedPolicy,
    Set::PrioWhich,
    Set::IpcFlags,
    Set::IpcCmd,
    Set::SigHow,
    Set::Access,
    Set::Rename,
    Set::Splice,
    Set::Memfd,
    Set::Eventfd,
    Set::Timerfd,
    Set::InotifyMask,
    Set::InotifyInit,
    Set::Kcmp,
    Set::Random,
    Set::CloseRange,
    Set::Mount,
    Set::Umount,
    Set::Fallocate,
    Set::Fadvise,
    Set::Xattr,
    Set::Rwf,
];

use Arg::*;

// Sizes of the structures calls read or write (x86_64).
const STAT: u32 = 144;
const STATX: u32 = 256;
const STATFS: u32 = 120;
const TIMESPEC: u32 = 16;
const TIMEVAL: u32 = 16;
const ITIMERSPEC: u32 = 32;
const ITIMERVAL: u32 = 32;
const SIGACTION: u32 = 32;
const SIGSET: u32 = 8;
const SIGINFO: u32 = 128;
const SIGEVENT: u32 = 64;
const STACK: u32 = 24;
const RLIMIT: u32 = 16;
const RUSAGE: u32 = 144;
const SYSINFO: u32 = 112;
const TMS: u32 = 32;
const UTSNAME: u32 = 390;
const SOCKADDR: u32 = 110;
const MSGHDR: u32 = 56;
const MMSGHDR: u32 = 64;
const EPOLL_EVENT: u32 = 12;
const POLLFD: u32 = 8;
const FD_SET: u32 = 128;
const CAP_HEADER: u32 = 8;
const CAP_DATA: u32 = 24;
const SCHED_ATTR: u32 = 56;
const SCHED_PARAM: u32 = 4;
const CLONE_ARGS: u32 = 88;
const OPEN_HOW: u32 = 24;
const MQ_ATTR: u32 = 64;
const ROBUST_LIST: u32 = 24;
const TIMEX: u32 = 208;
const IPC_DS: u32 = 120;
const SEMBUF: u32 = 6;
const UTIMBUF: u32 = 16;
const INT: u32 = 4;
const LONG: u32 = 8;
const PIPE_FDS: u32 = 8;
const SIGNALFD_MASK: u32 = 8;
const PAGE: u32 = 4096;

/// Argument types of every call (by name, so the table in `table.rs`
/// stays the one list of calls).
pub const SIGNATURES: &[(&str, &[Arg], Ret)] = &[
    ("read", &[Fd, OutBuf, Len], Ret::Int),
    ("write", &[Fd, Buf, Len], Ret::Int),
    ("open", &[Path, OpenFlags, Mode], Ret::Int),
    ("close", &[Fd], Ret::Int),
    ("stat", &[Path, Out(STAT)], Ret::Int),
    ("fstat", &[Fd, Out(STAT)], Ret::Int),
    ("lstat", &[Path, Out(STAT)], Ret::Int),
    ("poll", &[In(POLLFD * 4), Len, Int], Ret::Int),
    ("lseek", &[Fd, Int, Flags(Set::Whence)], Ret::Int),
    ("mmap", &[Ptr, Len, Prot, MapFlags, Fd, Hex], Ret::Ptr),
    ("mprotect", &[Ptr, Len, Prot], Ret::Int),
    ("munmap", &[Ptr, Len], Ret::Int),
    ("brk", &[Ptr], Ret::Ptr),
    ("rt_sigaction", &[Signal, In(SIGACTION), Out(SIGACTION), Len], Ret::Int),
    ("rt_sigprocmask", &[Flags(Set::SigHow), In(SIGSET), Out(SIGSET), Len], Ret::Int),
    ("rt_sigreturn", &[], Ret::Int),
    ("ioctl", &[Fd, Flags(Set::Ioctl), Hex], Ret::Int),
    ("pread64", &[Fd, OutBuf, Len, Int], Ret::Int),
    ("pwrite64", &[Fd, Buf, Len, Int], Ret::Int),
    ("readv", &[Fd, Iov, Len], Ret::Int),
    ("writev", &[Fd, Iov, Len], Ret::Int),
    ("access", &[Path, Flags(Set::Access)], Ret::Int),
    ("pipe", &[Out(PIPE_FDS)], Ret::Int),
    ("select", &[Len, In(FD_SET), In(FD_SET), In(FD_SET), In(TIMEVAL)], Ret::Int),
    ("sched_yield", &[], Ret::Int),
    ("mremap", &[Ptr, Len, Len, Flags(Set::Mremap), Ptr], Ret::Ptr),
    ("msync", &[Ptr, Len, Flags(Set::Msync)], Ret::Int),
    ("mincore", &[Ptr, Len, Out(PAGE)], Ret::Int),
    ("madvise", &[Ptr, Len, Flags(Set::Madvise)], Ret::Int),
    ("shmget", &[Int, Len, Flags(Set::IpcFlags)], Ret::Int),
    ("shmat", &[Int, Ptr, Hex], Ret::Ptr),
    ("shmctl", &[Int, Flags(Set::IpcCmd), Out(IPC_DS)], Ret::Int),
    ("dup", &[Fd], Ret::Int),
    ("dup2", &[Fd, Fd], Ret::Int),
    ("pause", &[], Ret::Int),
    ("nanosleep", &[In(TIMESPEC), Out(TIMESPEC)], Ret::Int),
    ("getitimer", &[Flags(Set::Itimer), Out(ITIMERVAL)], Ret::Int),
    ("alarm", &[Int], Ret::Int),
    ("setitimer", &[Flags(Set::Itimer), In(ITIMERVAL), Out(ITIMERVAL)], Ret::Int),
    ("getpid", &[], Ret::Int),
    ("sendfile", &[Fd, Fd, In(LONG), Len], Ret::Int),
    ("socket", &[Flags(Set::SocketDomain), Flags(Set::SocketType), Int], Ret::Int),
    ("connect", &[Fd, Buf, Len], Ret::Int),
    ("accept", &[Fd, Out(SOCKADDR), In(INT)], Ret::Int),
    ("sendto", &[Fd, Buf, Len, Flags(Set::MsgFlags), Buf, Len], Ret::Int),
    ("recvfrom", &[Fd, OutBuf, Len, Flags(Set::MsgFlags), Out(SOCKADDR), In(INT)], Ret::Int),
    ("sendmsg", &[Fd, In(MSGHDR), Flags(Set::MsgFlags)], Ret::Int),
    ("recvmsg", &[Fd, In(MSGHDR), Flags(Set::MsgFlags)], Ret::Int),
    ("shutdown", &[Fd, Flags(Set::Shutdown)], Ret::Int),
    ("bind", &[Fd, Buf, Len], Ret::Int),
    ("listen", &[Fd, Int], Ret::Int),
    ("getsockname", &[Fd, Out(SOCKADDR), In(INT)], Ret::Int),
    ("getpeername", &[Fd, Out(SOCKADDR), In(INT)], Ret::Int),
    ("socketpair", &[Flags(Set::SocketDomain), Flags(Set::SocketType), Int, Out(PIPE_FDS)], Ret::Int),
    ("setsockopt", &[Fd, Flags(Set::SocketLevel), Flags(Set::SocketOption), Buf, Len], Ret::Int),
    ("getsockopt", &[Fd, Flags(Set::SocketLevel), Flags(Set::SocketOption), Out(PAGE), In(INT)], Ret::Int),
    ("clone", &[Flags(Set::Clone), Ptr, Out(INT), Out(INT), Ptr], Ret::Int),
    ("fork", &[], Ret::Int),
    ("vfork", &[], Ret::Int),
    ("execve", &[Path, In(3 * LONG), In(3 * LONG)], Ret::Int),
    ("exit", &[Int], Ret::Int),
    ("wait4", &[Pid, Out(INT), Flags(Set::Wait), Out(RUSAGE)], Ret::Int),
    ("kill", &[Pid, Signal], Ret::Int),
    ("uname", &[Out(UTSNAME)], Ret::Int),
    ("semget", &[Int, Len, Flags(Set::IpcFlags)], Ret::Int),
    ("semop", &[Int, In(SEMBUF * 4), Len], Ret::Int),
    ("semctl", &[Int, Int, Flags(Set::IpcCmd), Hex], Ret::Int),
    ("shmdt", &[Ptr], Ret::Int),
    ("msgget", &[Int, Flags(Set::IpcFlags)], Ret::Int),
    ("msgsnd", &[Int, Buf, Len, Flags(Set::IpcFlags)], Ret::Int),
    ("msgrcv", &[Int, OutBuf, Len, Int, Flags(Set::IpcFlags)], Ret::Int),
    ("msgctl", &[Int, Flags(Set::IpcCmd), Out(IPC_DS)], Ret::Int),
    ("fcntl", &[Fd, Flags(Set::Fcntl), Hex], Ret::Int),
    ("flock", &[Fd, Flags(Set::Flock)], Ret::Int),
    ("fsync", &[Fd], Ret::Int),
    ("fdatasync", &[Fd], Ret::Int),
    ("truncate", &[Path, Len], Ret::Int),
    ("ftruncate", &[Fd, Len], Ret::Int),
    ("getdents", &[Fd, OutBuf, Len], Ret::Int),
    ("getcwd", &[OutBuf, Len], Ret::Int),
    ("chdir", &[Path], Ret::Int),
    ("fchdir", &[Fd], Ret::Int),
    ("rename", &[Path, Path], Ret::Int),
    ("mkdir", &[Path, Mode], Ret::Int),
    ("rmdir", &[Path], Ret::Int),
    ("creat", &[Path, Mode], Ret::Int),
    ("link", &[Path, Path], Ret::Int),
    ("unlink", &[Path], Ret::Int),
    ("symlink", &[Path, Path], Ret::Int),
    ("readlink", &[Path, OutBuf, Len], Ret::Int),
    ("chmod", &[Path, Mode], Ret::Int),
    ("fchmod", &[Fd, Mode], Ret::Int),
    ("chown", &[Path, Uid, Uid], Ret::Int),
    ("fchown", &[Fd, Uid, Uid], Ret::Int),
    ("lchown", &[Path, Uid, Uid], Ret::Int),
    ("umask", &[Mode], Ret::Int),
    ("gettimeofday", &[Out(TIMEVAL), Out(8)], Ret::Int),
    ("getrlimit", &[Flags(Set::Rlimit), Out(RLIMIT)], Ret::Int),
    ("getrusage", &[Flags(Set::Rusage), Out(RUSAGE)], Ret::Int),
    ("sysinfo", &[Out(SYSINFO)], Ret::Int),
    ("times", &[Out(TMS)], Ret::Int),
    ("ptrace", &[Flags(Set::Ptrace), Pid, Ptr, Hex], Ret::Int),
    ("getuid", &[], Ret::Int),
    ("getgid", &[], Ret::Int),
    ("setuid", &[Uid], Ret::Int),
    ("setgid", &[Uid], Ret::Int),
    ("geteuid", &[], Ret::Int),
    ("getegid", &[], Ret::Int),
    ("setpgid", &[Pid, Pid], Ret::Int),
    ("getppid", &[], Ret::Int),
    ("getpgrp", &[], Ret::Int),
    ("setsid", &[], Ret::Int),
    ("setreuid", &[Uid, Uid], Ret::Int),
    ("setregid", &[Uid, Uid], Ret::Int),
    ("getgroups", &[Len, Out(64 * INT)], Ret::Int),
    ("setgroups", &[Len, In(64 * INT)], Ret::Int),
    ("setresuid", &[Uid, Uid, Uid], Ret::Int),
    ("getresuid", &[Out(INT), Out(INT), Out(INT)], Ret::Int),
    ("setresgid", &[Uid, Uid, Uid], Ret::Int),
    ("getresgid", &[Out(INT), Out(INT), Out(INT)], Ret::Int),
    ("getpgid", &[Pid], Ret::Int),
    ("setfsuid", &[Uid], Ret::Int),
    ("setfsgid", &[Uid], Ret::Int),
    ("getsid", &[Pid], Ret::Int),
    ("capget", &[In(CAP_HEADER), Out(2 * CAP_DATA)], Ret::Int),
    ("capset", &[In(CAP_HEADER), In(2 * CAP_DATA)], Ret::Int),
    ("rt_sigpending", &[Out(SIGSET), Len], Ret::Int),
    ("rt_sigtimedwait", &[In(SIGSET), Out(SIGINFO), In(TIMESPEC), Len], Ret::Int),
    ("rt_sigqueueinfo", &[Pid, Signal, In(SIGINFO)], Ret::Int),
    ("rt_sigsuspend", &[In(SIGSET), Len], Ret::Int),
    ("sigaltstack", &[In(STACK), Out(STACK)], Ret::Int),
    ("utime", &[Path, In(UTIMBUF)], Ret::Int),
    ("mknod", &[Path, Mode, Hex], Ret::Int),
    ("personality", &[Hex], Ret::Int),
    ("statfs", &[Path, Out(STATFS)], Ret::Int),
    ("fstatfs", &[Fd, Out(STATFS)], Ret::Int),
    ("sysfs", &[Int, Hex, Out(PAGE)], Ret::Int),
    ("getpriority", &[Flags(Set::PrioWhich), Pid], Ret::Int),
    ("setpriority", &[Flags(Set::PrioWhich), Pid, Int], Ret::Int),
    ("sched_setparam", &[Pid, In(SCHED_PARAM)], Ret::Int),
    ("sched_getparam", &[Pid, Out(SCHED_PARAM)], Ret::Int),
    ("sched_setscheduler", &[Pid, Flags(Set::SchedPolicy), In(SCHED_PARAM)], Ret::Int),
    ("sched_getscheduler", &[Pid], Ret::Int),
    ("sched_get_priority_max", &[Flags(Set::SchedPolicy)], Ret::Int),
    ("sched_get_priority_min", &[Flags(Set::SchedPolicy)], Ret::Int),
    ("sched_rr_get_interval", &[Pid, Out(TIMESPEC)], Ret::Int),
    ("mlock", &[Ptr, Len], Ret::Int),
    ("munlock", &[Ptr, Len], Ret::Int),
    ("mlockall", &[Flags(Set::Mlockall)], Ret::Int),
    ("munlockall", &[], Ret::Int),
    ("prctl", &[Flags(Set::Prctl), Hex, Hex, Hex, Hex], Ret::Int),
    ("arch_prctl", &[Flags(Set::ArchPrctl), Ptr], Ret::Int),
    ("adjtimex", &[In(TIMEX)], Ret::Int),
    ("setrlimit", &[Flags(Set::Rlimit), In(RLIMIT)], Ret::Int),
    ("chroot", &[Path], Ret::Int),
    ("sync", &[], Ret::Int),
    ("settimeofday", &[In(TIMEVAL), In(8)], Ret::Int),
    ("mount", &[Path, Path, Path, Flags(Set::Mount), In(64)], Ret::Int),
    ("umount2", &[Path, Flags(Set::Umount)], Ret::Int),
    ("reboot", &[Hex, Hex, Hex, Ptr], Ret::Int),
    ("sethostname", &[Buf, Len], Ret::Int),
    ("setdomainname", &[Buf, Len], Ret::Int),
    ("gettid", &[], Ret::Int),
    ("readahead", &[Fd, Int, Len], Ret::Int),
    ("setxattr", &[Path, Path, Buf, Len, Flags(Set::Xattr)], Ret::Int),
    ("lsetxattr", &[Path, Path, Buf, Len, Flags(Set::Xattr)], Ret::Int),
    ("fsetxattr", &[Fd, Path, Buf, Len, Flags(Set::Xattr)], Ret::Int),
    ("getxattr", &[Path, Path, OutBuf, Len], Ret::Int),
    ("lgetxattr", &[Path, Path, OutBuf, Len], Ret::Int),
    ("fgetxattr", &[Fd, Path, OutBuf, Len], Ret::Int),
    ("listxattr", &[Path, OutBuf, Len], Ret::Int),
    ("llistxattr", &[Path, OutBuf, Len], Ret::Int),
    ("flistxattr", &[Fd, OutBuf, Len], Ret::Int),
    ("removexattr", &[Path, Path], Ret::Int),
    ("lremovexattr", &[Path, Path], Ret::Int),
    ("fremovexattr", &[Fd, Path], Ret::Int),
    ("tkill", &[Pid, Signal], Ret::Int),
    ("time", &[Out(LONG)], Ret::Int),
    ("futex", &[Ptr, Flags(Set::Futex), Int, In(TIMESPEC), Ptr, Int], Ret::Int),
    ("sched_setaffinity", &[Pid, Len, In(128)], Ret::Int),
    ("sched_getaffinity", &[Pid, Len, Out(128)], Ret::Int),
    ("epoll_create", &[Int], Ret::Int),
    ("getdents64", &[Fd, OutBuf, Len], Ret::Int),
    ("set_tid_address", &[Out(INT)], Ret::Int),
    ("semtimedop", &[Int, In(SEMBUF * 4), Len, In(TIMESPEC)], Ret::Int),
    ("fadvise64", &[Fd, Int, Len, Flags(Set::Fadvise)], Ret::Int),
    ("timer_create", &[Flags(Set::Clock), In(SIGEVENT), Out(INT)], Ret::Int),
    ("timer_settime", &[Int, Flags(Set::TimerFlags), In(ITIMERSPEC), Out(ITIMERSPEC)], Ret::Int),
    ("timer_gettime", &[Int, Out(ITIMERSPEC)], Ret::Int),
    ("timer_getoverrun", &[Int], Ret::Int),
    ("timer_delete", &[Int], Ret::Int),
    ("clock_settime", &[Flags(Set::Clock), In(TIMESPEC)], Ret::Int),
    ("clock_gettime", &[Flags(Set::Clock), Out(TIMESPEC)], Ret::Int),
    ("clock_getres", &[Flags(Set::Clock), Out(TIMESPEC)], Ret::Int),
    ("clock_nanosleep", &[Flags(Set::Clock), Flags(Set::TimerFlags), In(TIMESPEC), Out(TIMESPEC)], Ret::Int),
    ("exit_group", &[Int], Ret::Int),
    ("epoll_wait", &[Fd, Out(EPOLL_EVENT * 8), Len, Int], Ret::Int),
    ("epoll_ctl", &[Fd, Flags(Set::EpollCtl), Fd, In(EPOLL_EVENT)], Ret::Int),
    ("tgkill", &[Pid, Pid, Signal], Ret::Int),
    ("utimes", &[Path, In(2 * TIMEVAL)], Ret::Int),
    ("mq_open", &[Path, OpenFlags, Mode, In(MQ_ATTR)], Ret::Int),
    ("mq_unlink", &[Path], Ret::Int),
    ("mq_timedsend", &[Fd, Buf, Len, Int, In(TIMESPEC)], Ret::Int),
    ("mq_timedreceive", &[Fd, OutBuf, Len, Out(INT), In(TIMESPEC)], Ret::Int),
    ("mq_notify", &[Fd, In(SIGEVENT)], Ret::Int),
    ("mq_getsetattr", &[Fd, In(MQ_ATTR), Out(MQ_ATTR)], Ret::Int),
    ("waitid", &[Flags(Set::IdType), Pid, Out(SIGINFO), Flags(Set::Wait), Out(RUSAGE)], Ret::Int),
    ("ioprio_set", &[Flags(Set::PrioWhich), Pid, Hex], Ret::Int),
    ("ioprio_get", &[Flags(Set::PrioWhich), Pid], Ret::Int),
    ("inotify_init", &[], Ret::Int),
    ("inotify_add_watch", &[Fd, Path, Flags(Set::InotifyMask)], Ret::Int),
    ("inotify_rm_watch", &[Fd, Int], Ret::Int),
    ("openat", &[DirFd, Path, OpenFlags, Mode], Ret::Int),
    ("mkdirat", &[DirFd, Path, Mode], Ret::Int),
    ("mknodat", &[DirFd, Path, Mode, Hex], Ret::Int),
    ("fchownat", &[DirFd, Path, Uid, Uid, Flags(Set::AtFlags)], Ret::Int),
    ("futimesat", &[DirFd, Path, In(2 * TIMEVAL)], Ret::Int),
    ("newfstatat", &[DirFd, Path, Out(STAT), Flags(Set::AtFlags)], Ret::Int),
    ("unlinkat", &[DirFd, Path, Flags(Set::AtFlags)], Ret::Int),
    ("renameat", &[DirFd, Path, DirFd, Path], Ret::Int),
    ("linkat", &[DirFd, Path, DirFd, Path, Flags(Set::AtFlags)], Ret::Int),
    ("symlinkat", &[Path, DirFd, Path], Ret::Int),
    ("readlinkat", &[DirFd, Path, OutBuf, Len], Ret::Int),
    ("fchmodat", &[DirFd, Path, Mode], Ret::Int),
    ("faccessat", &[DirFd, Path, Flags(Set::Access)], Ret::Int),
    ("pselect6", &[Len, In(FD_SET), In(FD_SET), In(FD_SET), In(TIMESPEC), In(16)], Ret::Int),
    ("ppoll", &[In(POLLFD * 4), Len, In(TIMESPEC), In(SIGSET), Len], Ret::Int),
    ("unshare", &[Flags(Set::Clone)], Ret::Int),
    ("set_robust_list", &[In(ROBUST_LIST), Len], Ret::Int),
    ("get_robust_list", &[Pid, Out(LONG), Out(LONG)], Ret::Int),
    ("splice", &[Fd, In(LONG), Fd, In(LONG), Len, Flags(Set::Splice)], Ret::Int),
    ("tee", &[Fd, Fd, Len, Flags(Set::Splice)], Ret::Int),
    ("sync_file_range", &[Fd, Int, Len, Hex], Ret::Int),
    ("vmsplice", &[Fd, Iov, Len, Flags(Set::Splice)], Ret::Int),
    ("utimensat", &[DirFd, Path, In(2 * TIMESPEC), Flags(Set::AtFlags)], Ret::Int),
    ("epoll_pwait", &[Fd, Out(EPOLL_EVENT * 8), Len, Int, In(SIGSET), Len], Ret::Int),
    ("signalfd", &[Fd, In(SIGNALFD_MASK), Len], Ret::Int),
    ("timerfd_create", &[Flags(Set::Clock), Flags(Set::Timerfd)], Ret::Int),
    ("eventfd", &[Int], Ret::Int),
    ("fallocate", &[Fd, Flags(Set::Fallocate), Int, Len], Ret::Int),
    ("timerfd_settime", &[Fd, Flags(Set::Timerfd), In(ITIMERSPEC), Out(ITIMERSPEC)], Ret::Int),
    ("timerfd_gettime", &[Fd, Out(ITIMERSPEC)], Ret::Int),
    ("accept4", &[Fd, Out(SOCKADDR), In(INT), Flags(Set::SocketType)], Ret::Int),
    ("signalfd4", &[Fd, In(SIGNALFD_MASK), Len, Flags(Set::InotifyInit)], Ret::Int),
    ("eventfd2", &[Int, Flags(Set::Eventfd)], Ret::Int),
    ("epoll_create1", &[Flags(Set::EpollFlags)], Ret::Int),
    ("dup3", &[Fd, Fd, OpenFlags], Ret::Int),
    ("pipe2", &[Out(PIPE_FDS), OpenFlags], Ret::Int),
    ("inotify_init1", &[Flags(Set::InotifyInit)], Ret::Int),
    ("preadv", &[Fd, Iov, Len, Int, Int], Ret::Int),
    ("pwritev", &[Fd, Iov, Len, Int, Int], Ret::Int),
    ("rt_tgsigqueueinfo", &[Pid, Pid, Signal, In(SIGINFO)], Ret::Int),
    ("recvmmsg", &[Fd, In(MMSGHDR * 2), Len, Flags(Set::MsgFlags), In(TIMESPEC)], Ret::Int),
    ("prlimit64", &[Pid, Flags(Set::Rlimit), In(RLIMIT), Out(RLIMIT)], Ret::Int),
    ("clock_adjtime", &[Flags(Set::Clock), In(TIMEX)], Ret::Int),
    ("syncfs", &[Fd], Ret::Int),
    ("sendmmsg", &[Fd, In(MMSGHDR * 2), Len, Flags(Set::MsgFlags)], Ret::Int),
    ("getcpu", &[Out(INT), Out(INT), Ptr], Ret::Int),
    ("process_vm_readv", &[Pid, Iov, Len, Iov, Len, Int], Ret::Int),
    ("process_vm_writev", &[Pid, Iov, Len, Iov, Len, Int], Ret::Int),
    ("kcmp", &[Pid, Pid, Flags(Set::Kcmp), Fd, Fd], Ret::Int),
    ("sched_setattr", &[Pid, In(SCHED_ATTR), Hex], Ret::Int),
    ("sched_getattr", &[Pid, Out(SCHED_ATTR), Len, Hex], Ret::Int),
    ("renameat2", &[DirFd, Path, DirFd, Path, Flags(Set::Rename)], Ret::Int),
    ("getrandom", &[OutBuf, Len, Flags(Set::Random)], Ret::Int),
    ("memfd_create", &[Path, Flags(Set::Memfd)], Ret::Int),
    ("execveat", &[DirFd, Path, In(3 * LONG), In(3 * LONG), Flags(Set::AtFlags)], Ret::Int),
    ("membarrier", &[Flags(Set::Membarrier), Hex, Int], Ret::Int),
    ("mlock2", &[Ptr, Len, Hex], Ret::Int),
    ("copy_file_range", &[Fd, In(LONG), Fd, In(LONG), Len, Hex], Ret::Int),
    ("preadv2", &[Fd, Iov, Len, Int, Int, Flags(Set::Rwf)], Ret::Int),
    ("pwritev2", &[Fd, Iov, Len, Int, Int, Flags(Set::Rwf)], Ret::Int),
    ("statx", &[DirFd, Path, Flags(Set::AtFlags), Hex, Out(STATX)], Ret::Int),
    ("pidfd_send_signal", &[Fd, Signal, In(SIGINFO), Hex], Ret::Int),
    ("pidfd_open", &[Pid, Hex], Ret::Int),
    ("clone3", &[In(CLONE_ARGS), Len], Ret::Int),
    ("close_range", &[Fd, Fd, Flags(Set::CloseRange)], Ret::Int),
    ("openat2", &[DirFd, Path, In(OPEN_HOW), Len], Ret::Int),
    ("pidfd_getfd", &[Fd, Fd, Hex], Ret::Int),
    ("faccessat2", &[DirFd, Path, Flags(Set::Access), Flags(Set::AtFlags)], Ret::Int),
    ("epoll_pwait2", &[Fd, Out(EPOLL_EVENT * 8), Len, In(TIMESPEC), In(SIGSET), Len], Ret::Int),
    ("io_setup", &[Len, Out(LONG)], Ret::Int),
    ("io_destroy", &[Ptr], Ret::Int),
    ("io_submit", &[Ptr, Len, In(LONG * 4)], Ret::Int),
    ("io_cancel", &[Ptr, In(64), Out(32)], Ret::Int),
    ("io_getevents", &[Ptr, Len, Len, Out(32 * 8), In(TIMESPEC)], Ret::Int),
    ("io_pgetevents", &[Ptr, Len, Len, Out(32 * 8), In(TIMESPEC), In(24)], Ret::Int),
    ("add_key", &[Path, Path, Buf, Len, Int], Ret::Int),
    ("request_key", &[Path, Path, Path, Int], Ret::Int),
    ("keyctl", &[Int, Hex, Hex, Hex, Hex], Ret::Int),
    ("fanotify_init", &[Hex, OpenFlags], Ret::Int),
    ("fanotify_mark", &[Fd, Hex, Hex, DirFd, Path], Ret::Int),
    ("name_to_handle_at", &[DirFd, Path, Out(128), Out(4), Flags(Set::AtFlags)], Ret::Int),
    ("open_by_handle_at", &[Fd, In(128), OpenFlags], Ret::Int),
    ("fchmodat2", &[DirFd, Path, Mode, Flags(Set::AtFlags)], Ret::Int),
    // Not in the table (ENOSYS), but glibc calls it at every start: the
    // log shows its arguments.
    ("rseq", &[Ptr, Len, Hex, Hex], Ret::Int),
];

/// The argument types and result of `name`, if it has a row.
pub fn signature(name: &str) -> Option<(&'static [Arg], Ret)> {
    SIGNATURES.iter().find(|(n, ..)| *n == name).map(|&(_, a, r)| (a, r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::TABLE;

    #[test]
    fn every_call_with_a_handler_has_a_signature() {
        let missing: alloc::vec::Vec<&str> =
            TABLE.iter().filter(|e| e.handler.is_some() && signature(e.name).is_none()).map(|e| e.name).collect();
        assert!(missing.is_empty(), "calls without argument types in signatures.rs: {missing:?}");
    }

    #[test]
    fn every_signature_names_a_call_in_the_table_once() {
        for (i, (name, args, _)) in SIGNATURES.iter().enumerate() {
            assert!(TABLE.iter().any(|e| e.name == *name) || *name == "rseq", "{name} is not in the table");
            assert!(args.len() <= 6, "{name} has more than six arguments");
            assert!(!SIGNATURES[..i].iter().any(|(n, ..)| n == name), "{name} has two rows");
        }
    }

    #[test]
    fn a_buffer_is_followed_by_its_length() {
        for (name, args, _) in SIGNATURES {
            for (i, a) in args.iter().enumerate() {
                if matches!(a, Buf | OutBuf | Iov) {
                    assert_eq!(args.get(i + 1), Some(&Len), "{name}: argument {i} needs a length after it");
                }
            }
        }
    }

    #[test]
    fn every_set_is_listed_and_named_once() {
        for (i, s) in ALL_SETS.iter().enumerate() {
            assert!(!s.values().is_empty(), "{s:?} is empty");
            assert!(!ALL_SETS[..i].iter().any(|t| t.name() == s.name()), "{s:?} twice");
        }
        for (_, args, _) in SIGNATURES {
            for a in *args {
                if let Flags(s) = a {
                    assert!(ALL_SETS.contains(s), "{s:?} is not in ALL_SETS");
                }
            }
        }
    }
}
