//! Cross-checks this crate against the real Linux UAPI headers of the host.
//!
//! The host is x86_64 Linux with `linux-libc-dev` installed, so its C
//! compiler sees the kernel's own definitions. This test writes a C program
//! that prints every constant, struct size and field offset listed below as
//! the headers define it, runs it, and compares each line with the crate.
//! It also takes every `__NR_*` and every errno straight out of the headers
//! (via `gcc -dM -E`) and compares both ways, so an entry missing from the
//! crate is caught too.
//!
//! The kernel headers (`<asm/stat.h>`, `<asm/termbits.h>`, ...) and glibc's
//! (`<sys/stat.h>`, ...) define different structures under the same names,
//! so they are compiled as two separate programs. Values that only glibc
//! defines (socket families, `F_OK`, `DT_*`) come from the glibc program;
//! glibc and the kernel agree on them.
//!
//! Headers older than the newest kernel lack some names (the host's may be
//! Linux 6.1); those are reported and must be in [`NEWER_THAN_HOST_OK`].
//! Without a C compiler or kernel headers the test says so and passes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

use linux_abi::arch::*;
use linux_abi::*;

/// One value to compare: a C expression and what the crate says it is.
struct Check {
    expr: String,
    value: i64,
    /// Guard the expression with `#ifdef` (a macro that old headers may lack).
    ifdef: bool,
}

/// A macro constant whose C name is the Rust constant's name.
macro_rules! k {
    ($($m:ident :: $n:ident),* $(,)?) => {
        vec![$(Check { expr: stringify!($n).to_string(), value: $m::$n as i64, ifdef: true }),*]
    };
}

/// An arbitrary C expression (enum value, sizeof, offsetof, macro call).
fn e(expr: &str, value: impl TryInto<i64> + Copy) -> Check {
    let value = value.try_into().unwrap_or_else(|_| panic!("{expr} does not fit i64"));
    Check { expr: expr.to_string(), value, ifdef: false }
}

/// A macro whose C name differs from the Rust path.
fn m(name: &str, value: i64) -> Check {
    Check { expr: name.to_string(), value, ifdef: true }
}

fn size(ty: &str, v: usize) -> Check {
    e(&format!("sizeof({ty})"), v as i64)
}

fn off(ty: &str, field: &str, v: usize) -> Check {
    e(&format!("offsetof({ty}, {field})"), v as i64)
}

/// Names newer than Linux 6.1 headers: allowed to be missing on the host.
const NEWER_THAN_HOST_OK: &[&str] = &[
    "RWF_NOAPPEND",
    "MAP_ABOVE4G",
    "MADV_GUARD_INSTALL",
    "MADV_GUARD_REMOVE",
    "STATX_MNT_ID_UNIQUE",
    "STATX_SUBVOL",
    "STATX_WRITE_ATOMIC",
    "STATX_DIO_READ_ALIGN",
    "STATX_ATTR_WRITE_ATOMIC",
    "AT_RSEQ_FEATURE_SIZE",
    "AT_RSEQ_ALIGN",
    "AT_HWCAP3",
    "AT_HWCAP4",
    "F_SEAL_EXEC",
    "MFD_NOEXEC_SEAL",
    "MFD_EXEC",
    "F_DUPFD_QUERY",
    "F_CREATED_QUERY",
    "PR_SET_MDWE",
    "PR_GET_MDWE",
    "PR_SET_MEMORY_MERGE",
    "PR_GET_MEMORY_MERGE",
    "ARCH_XCOMP_TILECFG",
    "ARCH_XCOMP_TILEDATA",
    "ARCH_GET_UNTAG_MASK",
    "ARCH_ENABLE_TAGGED_ADDR",
    "ARCH_GET_MAX_TAG_BITS",
    "ARCH_FORCE_TAGGED_SVA",
    "ARCH_SHSTK_ENABLE",
    "ARCH_SHSTK_DISABLE",
    "ARCH_SHSTK_LOCK",
    "ARCH_SHSTK_UNLOCK",
    "ARCH_SHSTK_STATUS",
    "ARCH_SHSTK_SHSTK",
    "ARCH_SHSTK_WRSS",
    "SEGV_CPERR",
    "FUTEX2_SIZE_U8",
    "FUTEX2_SIZE_U16",
    "FUTEX2_SIZE_U32",
    "FUTEX2_SIZE_U64",
    "FUTEX2_NUMA",
    "FUTEX2_SIZE_MASK",
    "FUTEX2_PRIVATE",
];

/// Values that grew after Linux 6.1: older headers may show the old value.
const OLDER_VALUE_OK: &[(&str, i64)] = &[
    // SEGV_CPERR (10) arrived with user shadow stacks in Linux 6.6.
    ("NSIGSEGV", 9),
];

fn kernel_checks() -> Vec<Check> {
    let mut v = Vec::new();

    v.extend(fd_kind_checks());

    // errno: every name in the crate's table, plus the aliases.
    for &(n, name) in errno::ERRNOS {
        v.push(m(name, n as i64));
    }
    v.extend(k![errno::EWOULDBLOCK, errno::EDEADLOCK]);

    // syscalls: every table entry by its __NR_ name.
    for &(nr, name) in syscall_names::SYSCALLS {
        v.push(m(&format!("__NR_{name}"), nr as i64));
    }

    // stat
    v.extend(k![
        stat::S_IFMT,
        stat::S_IFSOCK,
        stat::S_IFLNK,
        stat::S_IFREG,
        stat::S_IFBLK,
        stat::S_IFDIR,
        stat::S_IFCHR,
        stat::S_IFIFO,
        stat::S_ISUID,
        stat::S_ISGID,
        stat::S_ISVTX,
        stat::S_IRWXU,
        stat::S_IRUSR,
        stat::S_IWUSR,
        stat::S_IXUSR,
        stat::S_IRWXG,
        stat::S_IRGRP,
        stat::S_IWGRP,
        stat::S_IXGRP,
        stat::S_IRWXO,
        stat::S_IROTH,
        stat::S_IWOTH,
        stat::S_IXOTH,
    ]);
    use stat::Stat;
    v.push(size("struct stat", Stat::SIZE));
    for (f, o) in [
        ("st_dev", Stat::OFF_DEV),
        ("st_ino", Stat::OFF_INO),
        ("st_nlink", Stat::OFF_NLINK),
        ("st_mode", Stat::OFF_MODE),
        ("st_uid", Stat::OFF_UID),
        ("st_gid", Stat::OFF_GID),
        ("st_rdev", Stat::OFF_RDEV),
        ("st_size", Stat::OFF_SIZE),
        ("st_blksize", Stat::OFF_BLKSIZE),
        ("st_blocks", Stat::OFF_BLOCKS),
        ("st_atime", Stat::OFF_ATIME),
        ("st_atime_nsec", Stat::OFF_ATIME_NSEC),
        ("st_mtime", Stat::OFF_MTIME),
        ("st_mtime_nsec", Stat::OFF_MTIME_NSEC),
        ("st_ctime", Stat::OFF_CTIME),
        ("st_ctime_nsec", Stat::OFF_CTIME_NSEC),
    ] {
        v.push(off("struct stat", f, o));
    }

    // statx
    v.extend(k![
        statx::STATX_TYPE,
        statx::STATX_MODE,
        statx::STATX_NLINK,
        statx::STATX_UID,
        statx::STATX_GID,
        statx::STATX_ATIME,
        statx::STATX_MTIME,
        statx::STATX_CTIME,
        statx::STATX_INO,
        statx::STATX_SIZE,
        statx::STATX_BLOCKS,
        statx::STATX_BASIC_STATS,
        statx::STATX_BTIME,
        statx::STATX_ALL,
        statx::STATX_MNT_ID,
        statx::STATX_DIOALIGN,
        statx::STATX_MNT_ID_UNIQUE,
        statx::STATX_SUBVOL,
        statx::STATX_WRITE_ATOMIC,
        statx::STATX_DIO_READ_ALIGN,
        statx::STATX__RESERVED,
        statx::STATX_ATTR_COMPRESSED,
        statx::STATX_ATTR_IMMUTABLE,
        statx::STATX_ATTR_APPEND,
        statx::STATX_ATTR_NODUMP,
        statx::STATX_ATTR_ENCRYPTED,
        statx::STATX_ATTR_AUTOMOUNT,
        statx::STATX_ATTR_MOUNT_ROOT,
        statx::STATX_ATTR_VERITY,
        statx::STATX_ATTR_DAX,
        statx::STATX_ATTR_WRITE_ATOMIC,
        statx::AT_STATX_SYNC_TYPE,
        statx::AT_STATX_SYNC_AS_STAT,
        statx::AT_STATX_FORCE_SYNC,
        statx::AT_STATX_DONT_SYNC,
    ]);
    use statx::{Statx, StatxTimestamp};
    v.push(size("struct statx", Statx::SIZE));
    v.push(size("struct statx_timestamp", StatxTimestamp::SIZE));
    v.push(off("struct statx_timestamp", "tv_nsec", 8));
    // Fields up to stx_dio_offset_align exist in Linux 6.1 headers; the
    // later ones (stx_subvol and the atomic-write fields) are checked by the
    // unit tests' layout and the documented offsets only.
    for (f, o) in [
        ("stx_mask", Statx::OFF_MASK),
        ("stx_blksize", Statx::OFF_BLKSIZE),
        ("stx_attributes", Statx::OFF_ATTRIBUTES),
        ("stx_nlink", Statx::OFF_NLINK),
        ("stx_uid", Statx::OFF_UID),
        ("stx_gid", Statx::OFF_GID),
        ("stx_mode", Statx::OFF_MODE),
        ("stx_ino", Statx::OFF_INO),
        ("stx_size", Statx::OFF_SIZE),
        ("stx_blocks", Statx::OFF_BLOCKS),
        ("stx_attributes_mask", Statx::OFF_ATTRIBUTES_MASK),
        ("stx_atime", Statx::OFF_ATIME),
        ("stx_btime", Statx::OFF_BTIME),
        ("stx_ctime", Statx::OFF_CTIME),
        ("stx_mtime", Statx::OFF_MTIME),
        ("stx_rdev_major", Statx::OFF_RDEV_MAJOR),
        ("stx_rdev_minor", Statx::OFF_RDEV_MINOR),
        ("stx_dev_major", Statx::OFF_DEV_MAJOR),
        ("stx_dev_minor", Statx::OFF_DEV_MINOR),
        ("stx_mnt_id", Statx::OFF_MNT_ID),
        ("stx_dio_mem_align", Statx::OFF_DIO_MEM_ALIGN),
        ("stx_dio_offset_align", Statx::OFF_DIO_OFFSET_ALIGN),
    ] {
        v.push(off("struct statx", f, o));
    }

    // time
    v.extend(k![
        time::CLOCK_REALTIME,
        time::CLOCK_MONOTONIC,
        time::CLOCK_PROCESS_CPUTIME_ID,
        time::CLOCK_THREAD_CPUTIME_ID,
        time::CLOCK_MONOTONIC_RAW,
        time::CLOCK_REALTIME_COARSE,
        time::CLOCK_MONOTONIC_COARSE,
        time::CLOCK_BOOTTIME,
        time::CLOCK_REALTIME_ALARM,
        time::CLOCK_BOOTTIME_ALARM,
        time::CLOCK_SGI_CYCLE,
        time::CLOCK_TAI,
        time::MAX_CLOCKS,
        time::TIMER_ABSTIME,
        time::ITIMER_REAL,
        time::ITIMER_VIRTUAL,
        time::ITIMER_PROF,
    ]);
    v.push(size("struct __kernel_timespec", time::Timespec::SIZE));
    v.push(size("struct timespec", time::Timespec::SIZE));
    v.push(off("struct timespec", "tv_nsec", 8));
    v.push(size("struct timeval", time::Timeval::SIZE));
    v.push(off("struct timeval", "tv_usec", 8));
    v.push(size("struct timezone", time::Timezone::SIZE));
    v.push(off("struct timezone", "tz_dsttime", 4));
    v.push(size("struct itimerval", time::Itimerval::SIZE));
    v.push(off("struct itimerval", "it_value", 16));
    v.push(size("struct itimerspec", time::Itimerspec::SIZE));
    v.push(off("struct itimerspec", "it_value", 16));
    v.push(size("struct __kernel_itimerspec", time::Itimerspec::SIZE));
    v.push(size("struct tms", times::Tms::SIZE));
    v.push(off("struct tms", "tms_stime", 8));
    v.push(off("struct tms", "tms_cutime", 16));
    v.push(off("struct tms", "tms_cstime", 24));

    // utsname, sysinfo
    v.push(size("struct new_utsname", utsname::Utsname::SIZE));
    v.push(off("struct new_utsname", "nodename", 65));
    v.push(off("struct new_utsname", "release", 130));
    v.push(off("struct new_utsname", "version", 195));
    v.push(off("struct new_utsname", "machine", 260));
    v.push(off("struct new_utsname", "domainname", 325));
    v.push(m("__NEW_UTS_LEN", utsname::UTS_FIELD_LEN as i64 - 1));
    use sysinfo::Sysinfo;
    v.push(size("struct sysinfo", Sysinfo::SIZE));
    v.extend(k![sysinfo::SI_LOAD_SHIFT]);
    for (f, o) in [
        ("uptime", Sysinfo::OFF_UPTIME),
        ("loads", Sysinfo::OFF_LOADS),
        ("totalram", Sysinfo::OFF_TOTALRAM),
        ("freeram", Sysinfo::OFF_FREERAM),
        ("sharedram", Sysinfo::OFF_SHAREDRAM),
        ("bufferram", Sysinfo::OFF_BUFFERRAM),
        ("totalswap", Sysinfo::OFF_TOTALSWAP),
        ("freeswap", Sysinfo::OFF_FREESWAP),
        ("procs", Sysinfo::OFF_PROCS),
        ("pad", Sysinfo::OFF_PAD),
        ("totalhigh", Sysinfo::OFF_TOTALHIGH),
        ("freehigh", Sysinfo::OFF_FREEHIGH),
        ("mem_unit", Sysinfo::OFF_MEM_UNIT),
    ] {
        v.push(off("struct sysinfo", f, o));
    }

    // statfs
    use statfs::Statfs;
    v.push(size("struct statfs", Statfs::SIZE));
    for (f, o) in [
        ("f_type", Statfs::OFF_TYPE),
        ("f_bsize", Statfs::OFF_BSIZE),
        ("f_blocks", Statfs::OFF_BLOCKS),
        ("f_bfree", Statfs::OFF_BFREE),
        ("f_bavail", Statfs::OFF_BAVAIL),
        ("f_files", Statfs::OFF_FILES),
        ("f_ffree", Statfs::OFF_FFREE),
        ("f_fsid", Statfs::OFF_FSID),
        ("f_namelen", Statfs::OFF_NAMELEN),
        ("f_frsize", Statfs::OFF_FRSIZE),
        ("f_flags", Statfs::OFF_FLAGS),
        ("f_spare", Statfs::OFF_SPARE),
    ] {
        v.push(off("struct statfs", f, o));
    }
    v.extend(k![
        statfs::EXT2_SUPER_MAGIC,
        statfs::TMPFS_MAGIC,
        statfs::RAMFS_MAGIC,
        statfs::PROC_SUPER_MAGIC,
        statfs::PIPEFS_MAGIC,
        statfs::DEVPTS_SUPER_MAGIC,
        statfs::ANON_INODE_FS_MAGIC
    ]);

    // resource
    v.extend(k![
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
        resource::RLIM_NLIMITS,
        resource::RLIM_INFINITY,
        resource::RUSAGE_SELF,
        resource::RUSAGE_CHILDREN,
        resource::RUSAGE_BOTH,
        resource::RUSAGE_THREAD,
        resource::PRIO_PROCESS,
        resource::PRIO_PGRP,
        resource::PRIO_USER,
        resource::PRIO_MIN,
        resource::PRIO_MAX,
    ]);
    v.push(size("struct rlimit", resource::Rlimit::SIZE));
    v.push(size("struct rlimit64", resource::Rlimit::SIZE));
    v.push(off("struct rlimit", "rlim_max", 8));
    v.push(size("struct rusage", resource::Rusage::SIZE));
    v.push(off("struct rusage", "ru_stime", resource::Rusage::OFF_STIME));
    v.push(off("struct rusage", "ru_maxrss", resource::Rusage::OFF_MAXRSS));
    v.push(off("struct rusage", "ru_nivcsw", resource::Rusage::OFF_MAXRSS + 13 * 8));

    // iovec, poll, epoll
    v.push(size("struct iovec", iovec::Iovec::SIZE));
    v.push(off("struct iovec", "iov_len", 8));
    v.extend(k![iovec::UIO_MAXIOV, iovec::UIO_FASTIOV]);
    v.extend(k![
        iovec::RWF_HIPRI,
        iovec::RWF_DSYNC,
        iovec::RWF_SYNC,
        iovec::RWF_NOWAIT,
        iovec::RWF_APPEND,
        iovec::RWF_NOAPPEND,
    ]);
    v.extend(k![
        poll::POLLIN,
        poll::POLLPRI,
        poll::POLLOUT,
        poll::POLLERR,
        poll::POLLHUP,
        poll::POLLNVAL,
        poll::POLLRDNORM,
        poll::POLLRDBAND,
        poll::POLLWRNORM,
        poll::POLLWRBAND,
        poll::POLLMSG,
        poll::POLLREMOVE,
        poll::POLLRDHUP,
    ]);
    v.push(size("struct pollfd", poll::Pollfd::SIZE));
    v.push(off("struct pollfd", "events", 4));
    v.push(off("struct pollfd", "revents", poll::Pollfd::OFF_REVENTS));
    v.extend(k![
        epoll::EPOLL_CTL_ADD,
        epoll::EPOLL_CTL_DEL,
        epoll::EPOLL_CTL_MOD,
        epoll::EPOLL_CLOEXEC,
        epoll::EPOLLIN,
        epoll::EPOLLPRI,
        epoll::EPOLLOUT,
        epoll::EPOLLERR,
        epoll::EPOLLHUP,
        epoll::EPOLLNVAL,
        epoll::EPOLLRDNORM,
        epoll::EPOLLRDBAND,
        epoll::EPOLLWRNORM,
        epoll::EPOLLWRBAND,
        epoll::EPOLLMSG,
        epoll::EPOLLRDHUP,
        epoll::EPOLLEXCLUSIVE,
        epoll::EPOLLWAKEUP,
        epoll::EPOLLONESHOT,
        epoll::EPOLLET,
    ]);
    v.push(size("struct epoll_event", epoll::EpollEvent::SIZE));
    v.push(off("struct epoll_event", "data", 4));

    // termios and ioctls
    v.extend(k![
        termios::NCCS,
        termios::VINTR,
        termios::VQUIT,
        termios::VERASE,
        termios::VKILL,
        termios::VEOF,
        termios::VTIME,
        termios::VMIN,
        termios::VSWTC,
        termios::VSTART,
        termios::VSTOP,
        termios::VSUSP,
        termios::VEOL,
        termios::VREPRINT,
        termios::VDISCARD,
        termios::VWERASE,
        termios::VLNEXT,
        termios::VEOL2,
        termios::IGNBRK,
        termios::BRKINT,
        termios::IGNPAR,
        termios::PARMRK,
        termios::INPCK,
        termios::ISTRIP,
        termios::INLCR,
        termios::IGNCR,
        termios::ICRNL,
        termios::IUCLC,
        termios::IXON,
        termios::IXANY,
        termios::IXOFF,
        termios::IMAXBEL,
        termios::IUTF8,
        termios::OPOST,
        termios::OLCUC,
        termios::ONLCR,
        termios::OCRNL,
        termios::ONOCR,
        termios::ONLRET,
        termios::OFILL,
        termios::OFDEL,
        termios::NLDLY,
        termios::NL0,
        termios::NL1,
        termios::CRDLY,
        termios::CR0,
        termios::CR1,
        termios::CR2,
        termios::CR3,
        termios::TABDLY,
        termios::TAB0,
        termios::TAB1,
        termios::TAB2,
        termios::TAB3,
        termios::XTABS,
        termios::BSDLY,
        termios::BS0,
        termios::BS1,
        termios::VTDLY,
        termios::VT0,
        termios::VT1,
        termios::FFDLY,
        termios::FF0,
        termios::FF1,
        termios::CBAUD,
        termios::B0,
        termios::B50,
        termios::B75,
        termios::B110,
        termios::B134,
        termios::B150,
        termios::B200,
        termios::B300,
        termios::B600,
        termios::B1200,
        termios::B1800,
        termios::B2400,
        termios::B4800,
        termios::B9600,
        termios::B19200,
        termios::B38400,
        termios::EXTA,
        termios::EXTB,
        termios::CSIZE,
        termios::CS5,
        termios::CS6,
        termios::CS7,
        termios::CS8,
        termios::CSTOPB,
        termios::CREAD,
        termios::PARENB,
        termios::PARODD,
        termios::HUPCL,
        termios::CLOCAL,
        termios::CBAUDEX,
        termios::BOTHER,
        termios::B57600,
        termios::B115200,
        termios::B230400,
        termios::B460800,
        termios::B500000,
        termios::B576000,
        termios::B921600,
        termios::B1000000,
        termios::B1152000,
        termios::B1500000,
        termios::B2000000,
        termios::B2500000,
        termios::B3000000,
        termios::B3500000,
        termios::B4000000,
        termios::CIBAUD,
        termios::IBSHIFT,
        termios::CMSPAR,
        termios::CRTSCTS,
        termios::ISIG,
        termios::ICANON,
        termios::XCASE,
        termios::ECHO,
        termios::ECHOE,
        termios::ECHOK,
        termios::ECHONL,
        termios::NOFLSH,
        termios::TOSTOP,
        termios::ECHOCTL,
        termios::ECHOPRT,
        termios::ECHOKE,
        termios::FLUSHO,
        termios::PENDIN,
        termios::IEXTEN,
        termios::EXTPROC,
        termios::TCOOFF,
        termios::TCOON,
        termios::TCIOFF,
        termios::TCION,
        termios::TCIFLUSH,
        termios::TCOFLUSH,
        termios::TCIOFLUSH,
        termios::TCSANOW,
        termios::TCSADRAIN,
        termios::TCSAFLUSH,
    ]);
    v.push(size("struct termios", termios::Termios::SIZE));
    v.push(off("struct termios", "c_oflag", 4));
    v.push(off("struct termios", "c_cflag", 8));
    v.push(off("struct termios", "c_lflag", 12));
    v.push(off("struct termios", "c_line", 16));
    v.push(off("struct termios", "c_cc", 17));
    v.push(size("struct termios2", termios::Termios2::SIZE));
    v.push(off("struct termios2", "c_ispeed", 36));
    v.push(off("struct termios2", "c_ospeed", 40));
    v.push(size("struct winsize", termios::Winsize::SIZE));
    v.push(off("struct winsize", "ws_col", 2));
    v.push(off("struct winsize", "ws_xpixel", 4));
    v.push(off("struct winsize", "ws_ypixel", 6));
    v.extend(k![
        ioctl::TCGETS,
        ioctl::TCSETS,
        ioctl::TCSETSW,
        ioctl::TCSETSF,
        ioctl::TCGETA,
        ioctl::TCSETA,
        ioctl::TCSETAW,
        ioctl::TCSETAF,
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
        ioctl::TIOCMBIS,
        ioctl::TIOCMBIC,
        ioctl::TIOCMSET,
        ioctl::TIOCGSOFTCAR,
        ioctl::TIOCSSOFTCAR,
        ioctl::FIONREAD,
        ioctl::TIOCINQ,
        ioctl::TIOCLINUX,
        ioctl::TIOCCONS,
        ioctl::TIOCGSERIAL,
        ioctl::TIOCSSERIAL,
        ioctl::TIOCPKT,
        ioctl::FIONBIO,
        ioctl::TIOCNOTTY,
        ioctl::TIOCSETD,
        ioctl::TIOCGETD,
        ioctl::TCSBRKP,
        ioctl::TIOCSBRK,
        ioctl::TIOCCBRK,
        ioctl::TIOCGSID,
        ioctl::TCGETS2,
        ioctl::TCSETS2,
        ioctl::TCSETSW2,
        ioctl::TCSETSF2,
        ioctl::TIOCGRS485,
        ioctl::TIOCSRS485,
        ioctl::TIOCGPTN,
        ioctl::TIOCSPTLCK,
        ioctl::TIOCGDEV,
        ioctl::TCGETX,
        ioctl::TCSETX,
        ioctl::TCSETXF,
        ioctl::TCSETXW,
        ioctl::TIOCSIG,
        ioctl::TIOCVHANGUP,
        ioctl::TIOCGPKT,
        ioctl::TIOCGPTLCK,
        ioctl::TIOCGEXCL,
        ioctl::TIOCGPTPEER,
        ioctl::FIONCLEX,
        ioctl::FIOCLEX,
        ioctl::FIOASYNC,
        ioctl::TIOCSERCONFIG,
        ioctl::TIOCSERGWILD,
        ioctl::TIOCSERSWILD,
        ioctl::TIOCGLCKTRMIOS,
        ioctl::TIOCSLCKTRMIOS,
        ioctl::TIOCSERGSTRUCT,
        ioctl::TIOCSERGETLSR,
        ioctl::TIOCSERGETMULTI,
        ioctl::TIOCSERSETMULTI,
        ioctl::TIOCMIWAIT,
        ioctl::TIOCGICOUNT,
        ioctl::FIOQSIZE,
        ioctl::TIOCPKT_DATA,
        ioctl::TIOCPKT_FLUSHREAD,
        ioctl::TIOCPKT_FLUSHWRITE,
        ioctl::TIOCPKT_STOP,
        ioctl::TIOCPKT_START,
        ioctl::TIOCPKT_NOSTOP,
        ioctl::TIOCPKT_DOSTOP,
        ioctl::TIOCPKT_IOCTL,
        ioctl::TIOCSER_TEMT,
        ioctl::FIGETBSZ,
        ioctl::FICLONE,
    ]);
    v.push(m("_IOC_NONE", ioctl::IOC_NONE as i64));
    v.push(m("_IOC_WRITE", ioctl::IOC_WRITE as i64));
    v.push(m("_IOC_READ", ioctl::IOC_READ as i64));
    v.push(m("_IOC_SIZESHIFT", ioctl::IOC_SIZESHIFT as i64));
    v.push(m("_IOC_DIRSHIFT", ioctl::IOC_DIRSHIFT as i64));
    v.push(e("_IOWR('X', 1, long)", ioctl::iowr(b'X', 1, 8)));

    // signals
    v.extend(k![
        signal::SIGHUP,
        signal::SIGINT,
        signal::SIGQUIT,
        signal::SIGILL,
        signal::SIGTRAP,
        signal::SIGABRT,
        signal::SIGIOT,
        signal::SIGBUS,
        signal::SIGFPE,
        signal::SIGKILL,
        signal::SIGUSR1,
        signal::SIGSEGV,
        signal::SIGUSR2,
        signal::SIGPIPE,
        signal::SIGALRM,
        signal::SIGTERM,
        signal::SIGSTKFLT,
        signal::SIGCHLD,
        signal::SIGCONT,
        signal::SIGSTOP,
        signal::SIGTSTP,
        signal::SIGTTIN,
        signal::SIGTTOU,
        signal::SIGURG,
        signal::SIGXCPU,
        signal::SIGXFSZ,
        signal::SIGVTALRM,
        signal::SIGPROF,
        signal::SIGWINCH,
        signal::SIGIO,
        signal::SIGPOLL,
        signal::SIGPWR,
        signal::SIGSYS,
        signal::SIGUNUSED,
        signal::SIGRTMIN,
        signal::SA_NOCLDSTOP,
        signal::SA_NOCLDWAIT,
        signal::SA_SIGINFO,
        signal::SA_UNSUPPORTED,
        signal::SA_EXPOSE_TAGBITS,
        signal::SA_RESTORER,
        signal::SA_ONSTACK,
        signal::SA_RESTART,
        signal::SA_NODEFER,
        signal::SA_RESETHAND,
        signal::SA_NOMASK,
        signal::SA_ONESHOT,
        signal::SIG_BLOCK,
        signal::SIG_UNBLOCK,
        signal::SIG_SETMASK,
    ]);
    v.push(e("(unsigned long)SIG_DFL", signal::SIG_DFL as i64));
    v.push(e("(unsigned long)SIG_IGN", signal::SIG_IGN as i64));
    v.push(e("(unsigned long)SIG_ERR", signal::SIG_ERR as i64));
    use signal::KernelSigaction as KSA;
    v.push(size("struct sigaction", KSA::SIZE));
    v.push(off("struct sigaction", "sa_handler", KSA::OFF_HANDLER));
    v.push(off("struct sigaction", "sa_flags", KSA::OFF_FLAGS));
    v.push(off("struct sigaction", "sa_restorer", KSA::OFF_RESTORER));
    v.push(off("struct sigaction", "sa_mask", KSA::OFF_MASK));
    v.extend(k![
        sigaltstack::SS_ONSTACK,
        sigaltstack::SS_DISABLE,
        sigaltstack::SS_AUTODISARM,
        sigaltstack::SS_FLAG_BITS,
        sigaltstack::MINSIGSTKSZ,
        sigaltstack::SIGSTKSZ,
    ]);
    use sigaltstack::StackT;
    v.push(size("stack_t", StackT::SIZE));
    v.push(off("stack_t", "ss_sp", StackT::OFF_SP));
    v.push(off("stack_t", "ss_flags", StackT::OFF_FLAGS));
    v.push(off("stack_t", "ss_size", StackT::OFF_SIZE));

    // siginfo
    v.extend(k![
        siginfo::SI_USER,
        siginfo::SI_KERNEL,
        siginfo::SI_QUEUE,
        siginfo::SI_TIMER,
        siginfo::SI_MESGQ,
        siginfo::SI_ASYNCIO,
        siginfo::SI_SIGIO,
        siginfo::SI_TKILL,
        siginfo::SI_DETHREAD,
        siginfo::SI_ASYNCNL,
        siginfo::ILL_ILLOPC,
        siginfo::ILL_ILLOPN,
        siginfo::ILL_ILLADR,
        siginfo::ILL_ILLTRP,
        siginfo::ILL_PRVOPC,
        siginfo::ILL_PRVREG,
        siginfo::ILL_COPROC,
        siginfo::ILL_BADSTK,
        siginfo::ILL_BADIADDR,
        siginfo::NSIGILL,
        siginfo::FPE_INTDIV,
        siginfo::FPE_INTOVF,
        siginfo::FPE_FLTDIV,
        siginfo::FPE_FLTOVF,
        siginfo::FPE_FLTUND,
        siginfo::FPE_FLTRES,
        siginfo::FPE_FLTINV,
        siginfo::FPE_FLTSUB,
        siginfo::FPE_FLTUNK,
        siginfo::FPE_CONDTRAP,
        siginfo::NSIGFPE,
        siginfo::SEGV_MAPERR,
        siginfo::SEGV_ACCERR,
        siginfo::SEGV_BNDERR,
        siginfo::SEGV_PKUERR,
        siginfo::SEGV_ACCADI,
        siginfo::SEGV_ADIDERR,
        siginfo::SEGV_ADIPERR,
        siginfo::SEGV_MTEAERR,
        siginfo::SEGV_MTESERR,
        siginfo::SEGV_CPERR,
        siginfo::NSIGSEGV,
        siginfo::BUS_ADRALN,
        siginfo::BUS_ADRERR,
        siginfo::BUS_OBJERR,
        siginfo::BUS_MCEERR_AR,
        siginfo::BUS_MCEERR_AO,
        siginfo::NSIGBUS,
        siginfo::TRAP_BRKPT,
        siginfo::TRAP_TRACE,
        siginfo::TRAP_BRANCH,
        siginfo::TRAP_HWBKPT,
        siginfo::TRAP_UNK,
        siginfo::TRAP_PERF,
        siginfo::NSIGTRAP,
        siginfo::CLD_EXITED,
        siginfo::CLD_KILLED,
        siginfo::CLD_DUMPED,
        siginfo::CLD_TRAPPED,
        siginfo::CLD_STOPPED,
        siginfo::CLD_CONTINUED,
        siginfo::NSIGCHLD,
        siginfo::POLL_IN,
        siginfo::POLL_OUT,
        siginfo::POLL_MSG,
        siginfo::POLL_ERR,
        siginfo::POLL_PRI,
        siginfo::POLL_HUP,
        siginfo::NSIGPOLL,
        siginfo::SYS_SECCOMP,
        siginfo::SYS_USER_DISPATCH,
        siginfo::NSIGSYS,
        siginfo::SIGEV_SIGNAL,
        siginfo::SIGEV_NONE,
        siginfo::SIGEV_THREAD,
        siginfo::SIGEV_THREAD_ID,
    ]);
    use siginfo::Siginfo as SI;
    v.push(size("siginfo_t", SI::SIZE));
    for (f, o) in [
        ("si_signo", SI::OFF_SIGNO),
        ("si_errno", SI::OFF_ERRNO),
        ("si_code", SI::OFF_CODE),
        ("_sifields", SI::OFF_FIELDS),
        ("si_pid", SI::OFF_PID),
        ("si_uid", SI::OFF_UID),
        ("si_value", SI::OFF_VALUE),
        ("si_int", SI::OFF_VALUE),
        ("si_ptr", SI::OFF_VALUE),
        ("si_status", SI::OFF_STATUS),
        ("si_utime", SI::OFF_UTIME),
        ("si_stime", SI::OFF_STIME),
        ("si_addr", SI::OFF_ADDR),
        ("si_addr_lsb", SI::OFF_ADDR_LSB),
        ("si_lower", SI::OFF_LOWER),
        ("si_upper", SI::OFF_UPPER),
        ("si_pkey", SI::OFF_PKEY),
        ("si_perf_data", 24),
        ("si_perf_type", 32),
        ("si_perf_flags", 36),
        ("si_tid", SI::OFF_TID),
        ("si_overrun", SI::OFF_OVERRUN),
        ("si_band", SI::OFF_BAND),
        ("si_fd", SI::OFF_FD),
        ("si_call_addr", SI::OFF_CALL_ADDR),
        ("si_syscall", SI::OFF_SYSCALL),
        ("si_arch", SI::OFF_ARCH),
    ] {
        v.push(off("siginfo_t", f, o));
    }
    v.push(size("sigevent_t", siginfo::Sigevent::SIZE));
    v.push(off("sigevent_t", "sigev_signo", 8));
    v.push(off("sigevent_t", "sigev_notify", 12));
    v.push(off("sigevent_t", "_sigev_un._tid", 16));

    // signal frame
    use sigframe::{RtSigframe, Sigcontext as SC, Ucontext as UC};
    v.extend(k![
        sigframe::UC_FP_XSTATE,
        sigframe::UC_SIGCONTEXT_SS,
        sigframe::UC_STRICT_RESTORE_SS,
        sigframe::FP_XSTATE_MAGIC1,
        sigframe::FP_XSTATE_MAGIC2,
        sigframe::FP_XSTATE_MAGIC2_SIZE,
    ]);
    v.push(size("struct sigcontext", SC::SIZE));
    for (f, o) in [
        ("r8", SC::OFF_R8),
        ("r9", SC::OFF_R9),
        ("r10", SC::OFF_R10),
        ("r11", SC::OFF_R11),
        ("r12", SC::OFF_R12),
        ("r13", SC::OFF_R13),
        ("r14", SC::OFF_R14),
        ("r15", SC::OFF_R15),
        ("rdi", SC::OFF_RDI),
        ("rsi", SC::OFF_RSI),
        ("rbp", SC::OFF_RBP),
        ("rbx", SC::OFF_RBX),
        ("rdx", SC::OFF_RDX),
        ("rax", SC::OFF_RAX),
        ("rcx", SC::OFF_RCX),
        ("rsp", SC::OFF_RSP),
        ("rip", SC::OFF_RIP),
        ("eflags", SC::OFF_EFLAGS),
        ("cs", SC::OFF_CS),
        ("gs", SC::OFF_GS),
        ("fs", SC::OFF_FS),
        ("ss", SC::OFF_SS),
        ("err", SC::OFF_ERR),
        ("trapno", SC::OFF_TRAPNO),
        ("oldmask", SC::OFF_OLDMASK),
        ("cr2", SC::OFF_CR2),
        ("fpstate", SC::OFF_FPSTATE),
        ("reserved1", SC::OFF_RESERVED1),
    ] {
        v.push(off("struct sigcontext", f, o));
    }
    v.push(size("struct ucontext", UC::SIZE));
    v.push(off("struct ucontext", "uc_flags", UC::OFF_FLAGS));
    v.push(off("struct ucontext", "uc_link", UC::OFF_LINK));
    v.push(off("struct ucontext", "uc_stack", UC::OFF_STACK));
    v.push(off("struct ucontext", "uc_mcontext", UC::OFF_MCONTEXT));
    v.push(off("struct ucontext", "uc_sigmask", UC::OFF_SIGMASK));
    v.push(size("struct rt_sigframe_check", RtSigframe::SIZE));
    v.push(off("struct rt_sigframe_check", "uc", RtSigframe::OFF_UC));
    v.push(off("struct rt_sigframe_check", "info", RtSigframe::OFF_INFO));
    v.push(off("struct rt_sigframe_check", "uc.uc_mcontext.fpstate", RtSigframe::OFF_FPSTATE_PTR));
    v.push(off("struct rt_sigframe_check", "uc.uc_sigmask", RtSigframe::OFF_UC_SIGMASK));
    v.push(size("struct _fpstate_64", sigframe::FXSAVE_SIZE as usize));
    v.push(off("struct _fpstate_64", "sw_reserved", sigframe::FPX_SW_BYTES_OFFSET));
    v.push(size("struct _fpx_sw_bytes", sigframe::FpxSwBytes::SIZE));
    v.push(off("struct _fpx_sw_bytes", "extended_size", 4));
    v.push(off("struct _fpx_sw_bytes", "xfeatures", 8));
    v.push(off("struct _fpx_sw_bytes", "xstate_size", 16));

    // fcntl
    v.extend(k![
        fcntl::O_ACCMODE,
        fcntl::O_RDONLY,
        fcntl::O_WRONLY,
        fcntl::O_RDWR,
        fcntl::O_CREAT,
        fcntl::O_EXCL,
        fcntl::O_NOCTTY,
        fcntl::O_TRUNC,
        fcntl::O_APPEND,
        fcntl::O_NONBLOCK,
        fcntl::O_NDELAY,
        fcntl::O_DSYNC,
        fcntl::FASYNC,
        fcntl::O_DIRECT,
        fcntl::O_LARGEFILE,
        fcntl::O_DIRECTORY,
        fcntl::O_NOFOLLOW,
        fcntl::O_NOATIME,
        fcntl::O_CLOEXEC,
        fcntl::__O_SYNC,
        fcntl::O_SYNC,
        fcntl::O_PATH,
        fcntl::__O_TMPFILE,
        fcntl::O_TMPFILE,
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
        fcntl::F_GETOWNER_UIDS,
        fcntl::F_OFD_GETLK,
        fcntl::F_OFD_SETLK,
        fcntl::F_OFD_SETLKW,
        fcntl::F_LINUX_SPECIFIC_BASE,
        fcntl::F_SETLEASE,
        fcntl::F_GETLEASE,
        fcntl::F_NOTIFY,
        fcntl::F_DUPFD_QUERY,
        fcntl::F_CREATED_QUERY,
        fcntl::F_CANCELLK,
        fcntl::F_DUPFD_CLOEXEC,
        fcntl::F_SETPIPE_SZ,
        fcntl::F_GETPIPE_SZ,
        fcntl::F_ADD_SEALS,
        fcntl::F_GET_SEALS,
        fcntl::F_GET_RW_HINT,
        fcntl::F_SET_RW_HINT,
        fcntl::F_GET_FILE_RW_HINT,
        fcntl::F_SET_FILE_RW_HINT,
        fcntl::FD_CLOEXEC,
        fcntl::F_RDLCK,
        fcntl::F_WRLCK,
        fcntl::F_UNLCK,
        fcntl::F_OWNER_TID,
        fcntl::F_OWNER_PID,
        fcntl::F_OWNER_PGRP,
        fcntl::LOCK_SH,
        fcntl::LOCK_EX,
        fcntl::LOCK_NB,
        fcntl::LOCK_UN,
        fcntl::F_SEAL_SEAL,
        fcntl::F_SEAL_SHRINK,
        fcntl::F_SEAL_GROW,
        fcntl::F_SEAL_WRITE,
        fcntl::F_SEAL_FUTURE_WRITE,
        fcntl::F_SEAL_EXEC,
        fcntl::AT_FDCWD,
        fcntl::AT_SYMLINK_NOFOLLOW,
        fcntl::AT_EACCESS,
        fcntl::AT_REMOVEDIR,
        fcntl::AT_SYMLINK_FOLLOW,
        fcntl::AT_NO_AUTOMOUNT,
        fcntl::AT_EMPTY_PATH,
        fcntl::AT_RECURSIVE,
        fcntl::RENAME_NOREPLACE,
        fcntl::RENAME_EXCHANGE,
        fcntl::RENAME_WHITEOUT,
        fcntl::CLOSE_RANGE_UNSHARE,
        fcntl::CLOSE_RANGE_CLOEXEC,
        fcntl::SYNC_FILE_RANGE_WAIT_BEFORE,
        fcntl::SYNC_FILE_RANGE_WRITE,
        fcntl::SYNC_FILE_RANGE_WAIT_AFTER,
        fcntl::SYNC_FILE_RANGE_WRITE_AND_WAIT,
        keyctl::KEY_SPEC_THREAD_KEYRING,
        keyctl::KEY_SPEC_PROCESS_KEYRING,
        keyctl::KEY_SPEC_SESSION_KEYRING,
        keyctl::KEY_SPEC_USER_KEYRING,
        keyctl::KEY_SPEC_USER_SESSION_KEYRING,
        keyctl::KEY_SPEC_GROUP_KEYRING,
        keyctl::KEY_SPEC_REQKEY_AUTH_KEY,
        keyctl::KEY_SPEC_REQUESTOR_KEYRING,
        keyctl::KEY_REQKEY_DEFL_NO_CHANGE,
        keyctl::KEY_REQKEY_DEFL_DEFAULT,
        keyctl::KEY_REQKEY_DEFL_THREAD_KEYRING,
        keyctl::KEY_REQKEY_DEFL_PROCESS_KEYRING,
        keyctl::KEY_REQKEY_DEFL_SESSION_KEYRING,
        keyctl::KEY_REQKEY_DEFL_USER_KEYRING,
        keyctl::KEY_REQKEY_DEFL_USER_SESSION_KEYRING,
        keyctl::KEY_REQKEY_DEFL_GROUP_KEYRING,
        keyctl::KEY_REQKEY_DEFL_REQUESTOR_KEYRING,
        keyctl::KEYCTL_GET_KEYRING_ID,
        keyctl::KEYCTL_JOIN_SESSION_KEYRING,
        keyctl::KEYCTL_UPDATE,
        keyctl::KEYCTL_REVOKE,
        keyctl::KEYCTL_CHOWN,
        keyctl::KEYCTL_SETPERM,
        keyctl::KEYCTL_DESCRIBE,
        keyctl::KEYCTL_CLEAR,
        keyctl::KEYCTL_LINK,
        keyctl::KEYCTL_UNLINK,
        keyctl::KEYCTL_SEARCH,
        keyctl::KEYCTL_READ,
        keyctl::KEYCTL_INSTANTIATE,
        keyctl::KEYCTL_NEGATE,
        keyctl::KEYCTL_SET_REQKEY_KEYRING,
        keyctl::KEYCTL_SET_TIMEOUT,
        keyctl::KEYCTL_ASSUME_AUTHORITY,
        keyctl::KEYCTL_GET_SECURITY,
        keyctl::KEYCTL_SESSION_TO_PARENT,
        keyctl::KEYCTL_REJECT,
        keyctl::KEYCTL_INSTANTIATE_IOV,
        keyctl::KEYCTL_INVALIDATE,
        keyctl::KEYCTL_GET_PERSISTENT,
        keyctl::KEYCTL_DH_COMPUTE,
        keyctl::KEYCTL_PKEY_QUERY,
        keyctl::KEYCTL_PKEY_ENCRYPT,
        keyctl::KEYCTL_PKEY_DECRYPT,
        keyctl::KEYCTL_PKEY_SIGN,
        keyctl::KEYCTL_PKEY_VERIFY,
        keyctl::KEYCTL_RESTRICT_KEYRING,
        keyctl::KEYCTL_MOVE,
        keyctl::KEYCTL_CAPABILITIES,
        keyctl::KEYCTL_WATCH_KEY,
        keyctl::KEYCTL_MOVE_EXCL,
        keyctl::KEYCTL_CAPS0_CAPABILITIES,
        keyctl::KEYCTL_CAPS0_PERSISTENT_KEYRINGS,
        keyctl::KEYCTL_CAPS0_DIFFIE_HELLMAN,
        keyctl::KEYCTL_CAPS0_PUBLIC_KEY,
        keyctl::KEYCTL_CAPS0_BIG_KEY,
        keyctl::KEYCTL_CAPS0_INVALIDATE,
        keyctl::KEYCTL_CAPS0_RESTRICT_KEYRING,
        keyctl::KEYCTL_CAPS0_MOVE,
        memfd::MFD_CLOEXEC,
        memfd::MFD_ALLOW_SEALING,
        memfd::MFD_HUGETLB,
        memfd::MFD_NOEXEC_SEAL,
        memfd::MFD_EXEC,
        memfd::MFD_HUGE_SHIFT,
        memfd::MFD_HUGE_MASK,
        limits::NGROUPS_MAX,
        limits::NAME_MAX,
        limits::PIPE_BUF,
        fcntl::RESOLVE_NO_XDEV,
        fcntl::RESOLVE_NO_MAGICLINKS,
        fcntl::RESOLVE_NO_SYMLINKS,
        fcntl::RESOLVE_BENEATH,
        fcntl::RESOLVE_IN_ROOT,
        fcntl::RESOLVE_CACHED,
    ]);
    v.push(size("struct flock", fcntl::Flock::SIZE));
    v.push(off("struct flock", "l_whence", 2));
    v.push(off("struct flock", "l_start", 8));
    v.push(off("struct flock", "l_len", 16));
    v.push(off("struct flock", "l_pid", 24));
    v.push(size("struct open_how", fcntl::OpenHow::SIZE));
    // (OPEN_HOW_SIZE_VER0 is kernel-internal; the struct size above is it.)
    v.push(off("struct open_how", "mode", 8));
    v.push(off("struct open_how", "resolve", 16));
    v.extend(k![seek::SEEK_SET, seek::SEEK_CUR, seek::SEEK_END, seek::SEEK_DATA, seek::SEEK_HOLE, seek::SEEK_MAX]);

    // mman
    v.extend(k![
        mman::PROT_NONE,
        mman::PROT_READ,
        mman::PROT_WRITE,
        mman::PROT_EXEC,
        mman::PROT_SEM,
        mman::PROT_GROWSDOWN,
        mman::PROT_GROWSUP,
        mman::MAP_SHARED,
        mman::MAP_PRIVATE,
        mman::MAP_SHARED_VALIDATE,
        mman::MAP_TYPE,
        mman::MAP_FIXED,
        mman::MAP_ANONYMOUS,
        mman::MAP_32BIT,
        mman::MAP_ABOVE4G,
        mman::MAP_GROWSDOWN,
        mman::MAP_DENYWRITE,
        mman::MAP_EXECUTABLE,
        mman::MAP_LOCKED,
        mman::MAP_NORESERVE,
        mman::MAP_POPULATE,
        mman::MAP_NONBLOCK,
        mman::MAP_STACK,
        mman::MAP_HUGETLB,
        mman::MAP_SYNC,
        mman::MAP_FIXED_NOREPLACE,
        mman::MAP_UNINITIALIZED,
        mman::MAP_HUGE_SHIFT,
        mman::MAP_HUGE_MASK,
        mman::MREMAP_MAYMOVE,
        mman::MREMAP_FIXED,
        mman::MREMAP_DONTUNMAP,
        mman::MS_ASYNC,
        mman::MS_INVALIDATE,
        mman::MS_SYNC,
        mman::MCL_CURRENT,
        mman::MCL_FUTURE,
        mman::MCL_ONFAULT,
        mman::MLOCK_ONFAULT,
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
        mman::MADV_UNMERGEABLE,
        mman::MADV_HUGEPAGE,
        mman::MADV_NOHUGEPAGE,
        mman::MADV_DONTDUMP,
        mman::MADV_DODUMP,
        mman::MADV_WIPEONFORK,
        mman::MADV_KEEPONFORK,
        mman::MADV_COLD,
        mman::MADV_PAGEOUT,
        mman::MADV_POPULATE_READ,
        mman::MADV_POPULATE_WRITE,
        mman::MADV_DONTNEED_LOCKED,
        mman::MADV_COLLAPSE,
        mman::MADV_HWPOISON,
        mman::MADV_SOFT_OFFLINE,
        mman::MADV_GUARD_INSTALL,
        mman::MADV_GUARD_REMOVE,
        mman::PKEY_DISABLE_ACCESS,
        mman::PKEY_DISABLE_WRITE,
    ]);

    // clone
    v.extend(k![
        clone::CSIGNAL,
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
        clone::CLONE_DETACHED,
        clone::CLONE_UNTRACED,
        clone::CLONE_CHILD_SETTID,
        clone::CLONE_NEWCGROUP,
        clone::CLONE_NEWUTS,
        clone::CLONE_NEWIPC,
        clone::CLONE_NEWUSER,
        clone::CLONE_NEWPID,
        clone::CLONE_NEWNET,
        clone::CLONE_IO,
        clone::CLONE_CLEAR_SIGHAND,
        clone::CLONE_INTO_CGROUP,
        clone::CLONE_NEWTIME,
        clone::CLONE_ARGS_SIZE_VER0,
        clone::CLONE_ARGS_SIZE_VER1,
        clone::CLONE_ARGS_SIZE_VER2,
    ]);
    v.push(size("struct clone_args", clone::CloneArgs::SIZE));
    for (i, f) in [
        "flags",
        "pidfd",
        "child_tid",
        "parent_tid",
        "exit_signal",
        "stack",
        "stack_size",
        "tls",
        "set_tid",
        "set_tid_size",
        "cgroup",
    ]
    .iter()
    .enumerate()
    {
        v.push(off("struct clone_args", f, 8 * i));
    }

    // futex
    v.extend(k![
        futex::FUTEX_WAIT,
        futex::FUTEX_WAKE,
        futex::FUTEX_FD,
        futex::FUTEX_REQUEUE,
        futex::FUTEX_CMP_REQUEUE,
        futex::FUTEX_WAKE_OP,
        futex::FUTEX_LOCK_PI,
        futex::FUTEX_UNLOCK_PI,
        futex::FUTEX_TRYLOCK_PI,
        futex::FUTEX_WAIT_BITSET,
        futex::FUTEX_WAKE_BITSET,
        futex::FUTEX_WAIT_REQUEUE_PI,
        futex::FUTEX_CMP_REQUEUE_PI,
        futex::FUTEX_LOCK_PI2,
        futex::FUTEX_PRIVATE_FLAG,
        futex::FUTEX_CLOCK_REALTIME,
        futex::FUTEX_WAIT_PRIVATE,
        futex::FUTEX_WAKE_PRIVATE,
        futex::FUTEX_REQUEUE_PRIVATE,
        futex::FUTEX_CMP_REQUEUE_PRIVATE,
        futex::FUTEX_WAKE_OP_PRIVATE,
        futex::FUTEX_LOCK_PI_PRIVATE,
        futex::FUTEX_UNLOCK_PI_PRIVATE,
        futex::FUTEX_TRYLOCK_PI_PRIVATE,
        futex::FUTEX_WAIT_BITSET_PRIVATE,
        futex::FUTEX_WAKE_BITSET_PRIVATE,
        futex::FUTEX_BITSET_MATCH_ANY,
        futex::FUTEX_WAITERS,
        futex::FUTEX_OWNER_DIED,
        futex::FUTEX_TID_MASK,
        futex::ROBUST_LIST_LIMIT,
        futex::FUTEX2_SIZE_U8,
        futex::FUTEX2_SIZE_U16,
        futex::FUTEX2_SIZE_U32,
        futex::FUTEX2_SIZE_U64,
        futex::FUTEX2_NUMA,
        futex::FUTEX2_SIZE_MASK,
        futex::FUTEX2_PRIVATE,
        futex::FUTEX_WAITV_MAX,
        futex::FUTEX_OP_SET,
        futex::FUTEX_OP_ADD,
        futex::FUTEX_OP_OR,
        futex::FUTEX_OP_ANDN,
        futex::FUTEX_OP_XOR,
        futex::FUTEX_OP_OPARG_SHIFT,
        futex::FUTEX_OP_CMP_EQ,
        futex::FUTEX_OP_CMP_NE,
        futex::FUTEX_OP_CMP_LT,
        futex::FUTEX_OP_CMP_LE,
        futex::FUTEX_OP_CMP_GT,
        futex::FUTEX_OP_CMP_GE,
    ]);
    // An `int` expression in C (negative); compare the bits.
    v.push(e("(unsigned int)FUTEX_CMD_MASK", futex::FUTEX_CMD_MASK));
    v.push(e(
        "FUTEX_OP(FUTEX_OP_XOR, 0x123, FUTEX_OP_CMP_GE, 0x456)",
        futex::futex_op(futex::FUTEX_OP_XOR, 0x123, futex::FUTEX_OP_CMP_GE, 0x456),
    ));
    v.push(size("struct robust_list_head", futex::RobustListHead::SIZE));
    v.push(off("struct robust_list_head", "futex_offset", 8));
    v.push(off("struct robust_list_head", "list_op_pending", 16));
    v.push(size("struct futex_waitv", futex::FutexWaitv::SIZE));
    v.push(off("struct futex_waitv", "uaddr", 8));
    v.push(off("struct futex_waitv", "flags", 16));
    v.push(off("struct futex_waitv", "__reserved", 20));

    // wait
    v.extend(k![
        wait::WNOHANG,
        wait::WUNTRACED,
        wait::WSTOPPED,
        wait::WEXITED,
        wait::WCONTINUED,
        wait::WNOWAIT,
        wait::__WNOTHREAD,
        wait::__WALL,
        wait::__WCLONE,
        wait::P_ALL,
        wait::P_PID,
        wait::P_PGID,
        wait::P_PIDFD,
    ]);

    // auxv
    v.extend(k![
        auxv::AT_NULL,
        auxv::AT_IGNORE,
        auxv::AT_EXECFD,
        auxv::AT_PHDR,
        auxv::AT_PHENT,
        auxv::AT_PHNUM,
        auxv::AT_PAGESZ,
        auxv::AT_BASE,
        auxv::AT_FLAGS,
        auxv::AT_ENTRY,
        auxv::AT_NOTELF,
        auxv::AT_UID,
        auxv::AT_EUID,
        auxv::AT_GID,
        auxv::AT_EGID,
        auxv::AT_PLATFORM,
        auxv::AT_HWCAP,
        auxv::AT_CLKTCK,
        auxv::AT_SECURE,
        auxv::AT_BASE_PLATFORM,
        auxv::AT_RANDOM,
        auxv::AT_HWCAP2,
        auxv::AT_RSEQ_FEATURE_SIZE,
        auxv::AT_RSEQ_ALIGN,
        auxv::AT_HWCAP3,
        auxv::AT_HWCAP4,
        auxv::AT_EXECFN,
        auxv::AT_SYSINFO_EHDR,
        auxv::AT_MINSIGSTKSZ,
        auxv::HWCAP2_RING3MWAIT,
        auxv::HWCAP2_FSGSBASE,
    ]);

    // arch_prctl, prctl
    v.extend(k![
        arch_prctl::ARCH_SET_GS,
        arch_prctl::ARCH_SET_FS,
        arch_prctl::ARCH_GET_FS,
        arch_prctl::ARCH_GET_GS,
        arch_prctl::ARCH_GET_CPUID,
        arch_prctl::ARCH_SET_CPUID,
        arch_prctl::ARCH_GET_XCOMP_SUPP,
        arch_prctl::ARCH_GET_XCOMP_PERM,
        arch_prctl::ARCH_REQ_XCOMP_PERM,
        arch_prctl::ARCH_GET_XCOMP_GUEST_PERM,
        arch_prctl::ARCH_REQ_XCOMP_GUEST_PERM,
        arch_prctl::ARCH_XCOMP_TILECFG,
        arch_prctl::ARCH_XCOMP_TILEDATA,
        arch_prctl::ARCH_MAP_VDSO_X32,
        arch_prctl::ARCH_MAP_VDSO_32,
        arch_prctl::ARCH_MAP_VDSO_64,
        arch_prctl::ARCH_GET_UNTAG_MASK,
        arch_prctl::ARCH_ENABLE_TAGGED_ADDR,
        arch_prctl::ARCH_GET_MAX_TAG_BITS,
        arch_prctl::ARCH_FORCE_TAGGED_SVA,
        arch_prctl::ARCH_SHSTK_ENABLE,
        arch_prctl::ARCH_SHSTK_DISABLE,
        arch_prctl::ARCH_SHSTK_LOCK,
        arch_prctl::ARCH_SHSTK_UNLOCK,
        arch_prctl::ARCH_SHSTK_STATUS,
        arch_prctl::ARCH_SHSTK_SHSTK,
        arch_prctl::ARCH_SHSTK_WRSS,
    ]);
    v.extend(k![
        prctl::PR_SET_PDEATHSIG,
        prctl::PR_GET_PDEATHSIG,
        prctl::PR_GET_DUMPABLE,
        prctl::PR_SET_DUMPABLE,
        prctl::PR_GET_UNALIGN,
        prctl::PR_SET_UNALIGN,
        prctl::PR_GET_KEEPCAPS,
        prctl::PR_SET_KEEPCAPS,
        prctl::PR_GET_FPEMU,
        prctl::PR_SET_FPEMU,
        prctl::PR_GET_FPEXC,
        prctl::PR_SET_FPEXC,
        prctl::PR_GET_TIMING,
        prctl::PR_SET_TIMING,
        prctl::PR_SET_NAME,
        prctl::PR_GET_NAME,
        prctl::PR_GET_ENDIAN,
        prctl::PR_SET_ENDIAN,
        prctl::PR_GET_SECCOMP,
        prctl::PR_SET_SECCOMP,
        prctl::PR_CAPBSET_READ,
        prctl::PR_CAPBSET_DROP,
        prctl::PR_GET_TSC,
        prctl::PR_SET_TSC,
        prctl::PR_GET_SECUREBITS,
        prctl::PR_SET_SECUREBITS,
        prctl::PR_SET_TIMERSLACK,
        prctl::PR_GET_TIMERSLACK,
        prctl::PR_TASK_PERF_EVENTS_DISABLE,
        prctl::PR_TASK_PERF_EVENTS_ENABLE,
        prctl::PR_MCE_KILL,
        prctl::PR_MCE_KILL_GET,
        prctl::PR_SET_MM,
        prctl::PR_SET_CHILD_SUBREAPER,
        prctl::PR_GET_CHILD_SUBREAPER,
        prctl::PR_SET_NO_NEW_PRIVS,
        prctl::PR_GET_NO_NEW_PRIVS,
        prctl::PR_GET_TID_ADDRESS,
        prctl::PR_SET_THP_DISABLE,
        prctl::PR_GET_THP_DISABLE,
        prctl::PR_MPX_ENABLE_MANAGEMENT,
        prctl::PR_MPX_DISABLE_MANAGEMENT,
        prctl::PR_SET_FP_MODE,
        prctl::PR_GET_FP_MODE,
        prctl::PR_CAP_AMBIENT,
        prctl::PR_SVE_SET_VL,
        prctl::PR_SVE_GET_VL,
        prctl::PR_GET_SPECULATION_CTRL,
        prctl::PR_SET_SPECULATION_CTRL,
        prctl::PR_PAC_RESET_KEYS,
        prctl::PR_SET_TAGGED_ADDR_CTRL,
        prctl::PR_GET_TAGGED_ADDR_CTRL,
        prctl::PR_SET_IO_FLUSHER,
        prctl::PR_GET_IO_FLUSHER,
        prctl::PR_SET_SYSCALL_USER_DISPATCH,
        prctl::PR_PAC_SET_ENABLED_KEYS,
        prctl::PR_PAC_GET_ENABLED_KEYS,
        prctl::PR_SCHED_CORE,
        prctl::PR_SME_SET_VL,
        prctl::PR_SME_GET_VL,
        prctl::PR_SET_MDWE,
        prctl::PR_GET_MDWE,
        prctl::PR_SET_MEMORY_MERGE,
        prctl::PR_GET_MEMORY_MERGE,
        prctl::PR_SET_VMA,
        prctl::PR_SET_VMA_ANON_NAME,
        prctl::PR_SET_PTRACER,
        prctl::PR_SET_PTRACER_ANY,
    ]);

    // scheduling policies and struct sched_attr, I/O priorities, kcmp
    v.extend(k![
        sched::SCHED_NORMAL,
        sched::SCHED_FIFO,
        sched::SCHED_RR,
        sched::SCHED_BATCH,
        sched::SCHED_IDLE,
        sched::SCHED_DEADLINE,
        sched::SCHED_RESET_ON_FORK,
        sched::SCHED_FLAG_RESET_ON_FORK,
        sched::SCHED_FLAG_RECLAIM,
        sched::SCHED_FLAG_DL_OVERRUN,
        sched::SCHED_FLAG_KEEP_POLICY,
        sched::SCHED_FLAG_KEEP_PARAMS,
        sched::SCHED_FLAG_UTIL_CLAMP_MIN,
        sched::SCHED_FLAG_UTIL_CLAMP_MAX,
        sched::SCHED_FLAG_ALL,
        sched::SCHED_ATTR_SIZE_VER0,
        sched::SCHED_ATTR_SIZE_VER1,
        sched::IOPRIO_CLASS_SHIFT,
        sched::IOPRIO_NR_LEVELS
    ]);
    v.push(size("struct sched_attr", sched::SchedAttr::SIZE));
    v.push(off("struct sched_attr", "sched_period", 40));
    v.push(off("struct sched_attr", "sched_util_max", 52));
    for (name, val) in [
        ("IOPRIO_CLASS_NONE", sched::IOPRIO_CLASS_NONE),
        ("IOPRIO_CLASS_RT", sched::IOPRIO_CLASS_RT),
        ("IOPRIO_CLASS_BE", sched::IOPRIO_CLASS_BE),
        ("IOPRIO_CLASS_IDLE", sched::IOPRIO_CLASS_IDLE),
        ("IOPRIO_WHO_PROCESS", sched::IOPRIO_WHO_PROCESS),
        ("IOPRIO_WHO_PGRP", sched::IOPRIO_WHO_PGRP),
        ("IOPRIO_WHO_USER", sched::IOPRIO_WHO_USER),
        ("KCMP_FILE", sched::KCMP_FILE),
        ("KCMP_VM", sched::KCMP_VM),
        ("KCMP_FILES", sched::KCMP_FILES),
        ("KCMP_FS", sched::KCMP_FS),
        ("KCMP_SIGHAND", sched::KCMP_SIGHAND),
        ("KCMP_IO", sched::KCMP_IO),
        ("KCMP_SYSVSEM", sched::KCMP_SYSVSEM),
        ("KCMP_EPOLL_TFD", sched::KCMP_EPOLL_TFD),
        ("KCMP_TYPES", sched::KCMP_TYPES),
    ] {
        v.push(e(name, val));
    }

    // membarrier (enumerators: no #ifdef), capabilities
    for (name, val) in [
        ("MEMBARRIER_CMD_QUERY", membarrier::MEMBARRIER_CMD_QUERY),
        ("MEMBARRIER_CMD_GLOBAL", membarrier::MEMBARRIER_CMD_GLOBAL),
        ("MEMBARRIER_CMD_GLOBAL_EXPEDITED", membarrier::MEMBARRIER_CMD_GLOBAL_EXPEDITED),
        ("MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED", membarrier::MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED),
        ("MEMBARRIER_CMD_PRIVATE_EXPEDITED", membarrier::MEMBARRIER_CMD_PRIVATE_EXPEDITED),
        ("MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED", membarrier::MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED),
        ("MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE", membarrier::MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE),
        (
            "MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE",
            membarrier::MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE,
        ),
        ("MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ", membarrier::MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ),
        ("MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ", membarrier::MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ),
        ("MEMBARRIER_CMD_SHARED", membarrier::MEMBARRIER_CMD_SHARED),
        ("MEMBARRIER_CMD_FLAG_CPU", membarrier::MEMBARRIER_CMD_FLAG_CPU),
    ] {
        v.push(e(name, val));
    }
    v.extend(k![capability::CAP_LAST_CAP]);

    // getrandom, personality, reboot
    v.extend(k![random::GRND_NONBLOCK, random::GRND_RANDOM, random::GRND_INSECURE]);
    for (name, val) in [
        ("UNAME26", personality::UNAME26),
        ("ADDR_NO_RANDOMIZE", personality::ADDR_NO_RANDOMIZE),
        ("FDPIC_FUNCPTRS", personality::FDPIC_FUNCPTRS),
        ("MMAP_PAGE_ZERO", personality::MMAP_PAGE_ZERO),
        ("ADDR_COMPAT_LAYOUT", personality::ADDR_COMPAT_LAYOUT),
        ("READ_IMPLIES_EXEC", personality::READ_IMPLIES_EXEC),
        ("ADDR_LIMIT_32BIT", personality::ADDR_LIMIT_32BIT),
        ("SHORT_INODE", personality::SHORT_INODE),
        ("WHOLE_SECONDS", personality::WHOLE_SECONDS),
        ("STICKY_TIMEOUTS", personality::STICKY_TIMEOUTS),
        ("ADDR_LIMIT_3GB", personality::ADDR_LIMIT_3GB),
        ("PER_LINUX", personality::PER_LINUX),
        ("PER_LINUX_32BIT", personality::PER_LINUX_32BIT),
        ("PER_LINUX_FDPIC", personality::PER_LINUX_FDPIC),
        ("PER_SVR4", personality::PER_SVR4),
        ("PER_SVR3", personality::PER_SVR3),
        ("PER_SCOSVR3", personality::PER_SCOSVR3),
        ("PER_OSR5", personality::PER_OSR5),
        ("PER_WYSEV386", personality::PER_WYSEV386),
        ("PER_ISCR4", personality::PER_ISCR4),
        ("PER_BSD", personality::PER_BSD),
        ("PER_SUNOS", personality::PER_SUNOS),
        ("PER_XENIX", personality::PER_XENIX),
        ("PER_LINUX32", personality::PER_LINUX32),
        ("PER_LINUX32_3GB", personality::PER_LINUX32_3GB),
        ("PER_IRIX32", personality::PER_IRIX32),
        ("PER_IRIXN32", personality::PER_IRIXN32),
        ("PER_IRIX64", personality::PER_IRIX64),
        ("PER_RISCOS", personality::PER_RISCOS),
        ("PER_SOLARIS", personality::PER_SOLARIS),
        ("PER_UW7", personality::PER_UW7),
        ("PER_OSF4", personality::PER_OSF4),
        ("PER_HPUX", personality::PER_HPUX),
        ("PER_MASK", personality::PER_MASK),
    ] {
        // These are enumerators, not macros: no #ifdef possible.
        v.push(e(name, val));
    }
    v.push(m("PER_CLEAR_ON_SETID", personality::PER_CLEAR_ON_SETID as i64));
    v.extend(k![
        reboot::LINUX_REBOOT_MAGIC1,
        reboot::LINUX_REBOOT_MAGIC2,
        reboot::LINUX_REBOOT_MAGIC2A,
        reboot::LINUX_REBOOT_MAGIC2B,
        reboot::LINUX_REBOOT_MAGIC2C,
        reboot::LINUX_REBOOT_CMD_RESTART,
        reboot::LINUX_REBOOT_CMD_HALT,
        reboot::LINUX_REBOOT_CMD_CAD_ON,
        reboot::LINUX_REBOOT_CMD_CAD_OFF,
        reboot::LINUX_REBOOT_CMD_POWER_OFF,
        reboot::LINUX_REBOOT_CMD_RESTART2,
        reboot::LINUX_REBOOT_CMD_SW_SUSPEND,
        reboot::LINUX_REBOOT_CMD_KEXEC,
    ]);

    // socket options and sizes the kernel headers define
    v.extend(k![
        socket::SOL_SOCKET,
        socket::SO_DEBUG,
        socket::SO_REUSEADDR,
        socket::SO_TYPE,
        socket::SO_ERROR,
        socket::SO_DONTROUTE,
        socket::SO_BROADCAST,
        socket::SO_SNDBUF,
        socket::SO_RCVBUF,
        socket::SO_KEEPALIVE,
        socket::SO_OOBINLINE,
        socket::SO_NO_CHECK,
        socket::SO_PRIORITY,
        socket::SO_LINGER,
        socket::SO_BSDCOMPAT,
        socket::SO_REUSEPORT,
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
        socket::UNIX_PATH_MAX,
        socket::NETLINK_ROUTE,
    ]);
    for (name, val) in [
        ("IPPROTO_IP", socket::IPPROTO_IP),
        ("IPPROTO_ICMP", socket::IPPROTO_ICMP),
        ("IPPROTO_TCP", socket::IPPROTO_TCP),
        ("IPPROTO_UDP", socket::IPPROTO_UDP),
        ("IPPROTO_IPV6", socket::IPPROTO_IPV6),
        ("IPPROTO_ICMPV6", socket::IPPROTO_ICMPV6),
    ] {
        v.push(e(name, val));
    }
    v.push(size("struct sockaddr_un", socket::SOCKADDR_UN_SIZE));
    v.push(size("struct sockaddr_in", socket::SOCKADDR_IN_SIZE));
    v.extend(k![netlink::MAX_LINKS, netlink::NETLINK_LIST_MEMBERSHIPS]);
    v.push(size("struct sockaddr_nl", netlink::SOCKADDR_NL_SIZE));
    v.push(off("struct sockaddr_nl", "nl_pid", 4));
    v.push(off("struct sockaddr_nl", "nl_groups", 8));
    v.push(size("struct sockaddr_in6", socket::SOCKADDR_IN6_SIZE));
    v.push(size("struct __kernel_sockaddr_storage", socket::SOCKADDR_STORAGE_SIZE));
    v
}

/// signalfd, timerfd and inotify: flags, event bits and record layouts.
fn fd_kind_checks() -> Vec<Check> {
    let mut v = Vec::new();
    v.extend(k![signalfd::SFD_CLOEXEC, signalfd::SFD_NONBLOCK]);
    use signalfd::SignalfdSiginfo as S;
    v.push(size("struct signalfd_siginfo", S::SIZE));
    for (f, o) in [
        ("ssi_signo", S::OFF_SIGNO),
        ("ssi_errno", S::OFF_ERRNO),
        ("ssi_code", S::OFF_CODE),
        ("ssi_pid", S::OFF_PID),
        ("ssi_uid", S::OFF_UID),
        ("ssi_fd", S::OFF_FD),
        ("ssi_tid", S::OFF_TID),
        ("ssi_band", S::OFF_BAND),
        ("ssi_overrun", S::OFF_OVERRUN),
        ("ssi_trapno", S::OFF_TRAPNO),
        ("ssi_status", S::OFF_STATUS),
        ("ssi_int", S::OFF_INT),
        ("ssi_ptr", S::OFF_PTR),
        ("ssi_utime", S::OFF_UTIME),
        ("ssi_stime", S::OFF_STIME),
        ("ssi_addr", S::OFF_ADDR),
        ("ssi_addr_lsb", S::OFF_ADDR_LSB),
        ("ssi_syscall", S::OFF_SYSCALL),
        ("ssi_call_addr", S::OFF_CALL_ADDR),
        ("ssi_arch", S::OFF_ARCH),
    ] {
        v.push(off("struct signalfd_siginfo", f, o));
    }
    v.extend(k![
        timerfd::TFD_TIMER_ABSTIME,
        timerfd::TFD_TIMER_CANCEL_ON_SET,
        timerfd::TFD_CLOEXEC,
        timerfd::TFD_NONBLOCK
    ]);
    v.extend(k![
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
        inotify::IN_UNMOUNT,
        inotify::IN_Q_OVERFLOW,
        inotify::IN_IGNORED,
        inotify::IN_CLOSE,
        inotify::IN_MOVE,
        inotify::IN_ALL_EVENTS,
        inotify::IN_ONLYDIR,
        inotify::IN_DONT_FOLLOW,
        inotify::IN_EXCL_UNLINK,
        inotify::IN_MASK_CREATE,
        inotify::IN_MASK_ADD,
        inotify::IN_ISDIR,
        inotify::IN_ONESHOT,
        inotify::IN_CLOEXEC,
        inotify::IN_NONBLOCK
    ]);
    use inotify::InotifyEvent as I;
    v.push(size("struct inotify_event", I::SIZE));
    v.push(off("struct inotify_event", "wd", I::OFF_WD));
    v.push(off("struct inotify_event", "mask", I::OFF_MASK));
    v.push(off("struct inotify_event", "cookie", I::OFF_COOKIE));
    v.push(off("struct inotify_event", "len", I::OFF_LEN));
    v.push(off("struct inotify_event", "name", I::SIZE));
    v
}

fn glibc_checks() -> Vec<Check> {
    let mut v = Vec::new();
    v.extend(k![fcntl::SPLICE_F_MOVE, fcntl::SPLICE_F_NONBLOCK, fcntl::SPLICE_F_MORE, fcntl::SPLICE_F_GIFT,]);
    v.extend(k![eventfd::EFD_SEMAPHORE, eventfd::EFD_CLOEXEC, eventfd::EFD_NONBLOCK]);
    v.extend(k![
        socket::AF_UNSPEC,
        socket::AF_UNIX,
        socket::AF_LOCAL,
        socket::AF_INET,
        socket::AF_INET6,
        socket::AF_NETLINK,
        socket::AF_PACKET,
        socket::SOCK_STREAM,
        socket::SOCK_DGRAM,
        socket::SOCK_RAW,
        socket::SOCK_RDM,
        socket::SOCK_SEQPACKET,
        socket::SOCK_DCCP,
        socket::SOCK_PACKET,
        socket::SOCK_NONBLOCK,
        socket::SOCK_CLOEXEC,
        socket::SHUT_RD,
        socket::SHUT_WR,
        socket::SHUT_RDWR,
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
        socket::SCM_RIGHTS,
        socket::SCM_CREDENTIALS,
    ]);
    use socket::Msghdr;
    v.push(size("struct msghdr", Msghdr::SIZE));
    v.push(off("struct msghdr", "msg_namelen", Msghdr::OFF_NAMELEN));
    v.push(off("struct msghdr", "msg_iov", 16));
    v.push(off("struct msghdr", "msg_iovlen", 24));
    v.push(off("struct msghdr", "msg_control", 32));
    v.push(off("struct msghdr", "msg_controllen", Msghdr::OFF_CONTROLLEN));
    v.push(off("struct msghdr", "msg_flags", Msghdr::OFF_FLAGS));
    v.push(size("struct mmsghdr", socket::MMSGHDR_SIZE));
    v.push(off("struct mmsghdr", "msg_len", socket::MMSGHDR_OFF_LEN));
    v.push(size("struct cmsghdr", socket::Cmsghdr::SIZE));
    v.push(off("struct cmsghdr", "cmsg_level", 8));
    v.push(off("struct cmsghdr", "cmsg_type", 12));
    v.push(e("CMSG_LEN(4)", socket::cmsg_len(4)));
    v.push(e("CMSG_SPACE(4)", socket::cmsg_space(4)));
    v.push(e("CMSG_SPACE(13)", socket::cmsg_space(13)));
    v.push(size("struct ucred", socket::Ucred::SIZE));
    v.push(off("struct ucred", "uid", 4));
    v.push(off("struct ucred", "gid", 8));
    v.push(size("struct sockaddr_storage", socket::SOCKADDR_STORAGE_SIZE));
    v.extend(k![access::F_OK, access::X_OK, access::W_OK, access::R_OK]);
    v.extend(k![
        dirent::DT_UNKNOWN,
        dirent::DT_FIFO,
        dirent::DT_CHR,
        dirent::DT_DIR,
        dirent::DT_BLK,
        dirent::DT_REG,
        dirent::DT_LNK,
        dirent::DT_SOCK,
        dirent::DT_WHT,
    ]);
    // glibc's struct dirent64 starts exactly like the kernel's linux_dirent64.
    v.push(off("struct dirent64", "d_off", 8));
    v.push(off("struct dirent64", "d_reclen", 16));
    v.push(off("struct dirent64", "d_type", 18));
    v.push(off("struct dirent64", "d_name", dirent::DIRENT64_NAME_OFFSET));
    v.push(e("IFTODT(S_IFSOCK | 0777)", dirent::dt_from_mode(stat::S_IFSOCK | 0o777)));
    v.extend(k![time::UTIME_NOW, time::UTIME_OMIT]);
    v.push(e("makedev(136, 0x1234)", stat::encode_dev(136, 0x1234)));
    v.push(e("makedev(4095, 0xfffff)", stat::encode_dev(4095, 0xfffff)));
    // Wait status encodings, by glibc's own macros.
    v.push(e("W_EXITCODE(3, 0)", wait::exited(3)));
    v.push(e("W_EXITCODE(0, 11) | WCOREFLAG", wait::signaled(11, true)));
    v.push(e("W_EXITCODE(0, 9)", wait::signaled(9, false)));
    v.push(e("W_STOPCODE(20)", wait::stopped(20)));
    v.push(e("__W_CONTINUED", wait::continued()));
    v.push(e("WCOREFLAG", wait::WCOREFLAG));
    v.push(size("Elf64_auxv_t", auxv::AuxvEntry::SIZE));
    // Network interfaces: struct ifreq and ifconf, the SIOC* requests.
    v.push(size("struct ifreq", net_device::IFREQ_SIZE));
    v.push(off("struct ifreq", "ifr_ifru", net_device::IFREQ_UNION_OFFSET));
    v.push(size("struct ifconf", net_device::IFCONF_SIZE));
    v.push(off("struct ifconf", "ifc_ifcu", net_device::IFCONF_BUF_OFFSET));
    v.extend(k![
        net_device::IFNAMSIZ,
        net_device::SIOCADDRT,
        net_device::SIOCDELRT,
        net_device::SIOCGIFNAME,
        net_device::SIOCSIFLINK,
        net_device::SIOCGIFCONF,
        net_device::SIOCGIFFLAGS,
        net_device::SIOCSIFFLAGS,
        net_device::SIOCGIFADDR,
        net_device::SIOCSIFADDR,
        net_device::SIOCGIFDSTADDR,
        net_device::SIOCSIFDSTADDR,
        net_device::SIOCGIFBRDADDR,
        net_device::SIOCSIFBRDADDR,
        net_device::SIOCGIFNETMASK,
        net_device::SIOCSIFNETMASK,
        net_device::SIOCGIFMETRIC,
        net_device::SIOCSIFMETRIC,
        net_device::SIOCGIFMTU,
        net_device::SIOCSIFMTU,
        net_device::SIOCSIFNAME,
        net_device::SIOCSIFHWADDR,
        net_device::SIOCGIFHWADDR,
        net_device::SIOCADDMULTI,
        net_device::SIOCDELMULTI,
        net_device::SIOCGIFINDEX,
        net_device::SIOCDIFADDR,
        net_device::SIOCSIFHWBROADCAST,
        net_device::SIOCGIFTXQLEN,
        net_device::SIOCSIFTXQLEN,
        net_device::ARPHRD_ETHER,
        net_device::ARPHRD_LOOPBACK,
    ]);
    v.extend(k![
        net_device::IFF_UP,
        net_device::IFF_BROADCAST,
        net_device::IFF_LOOPBACK,
        net_device::IFF_RUNNING,
        net_device::IFF_MULTICAST
    ]);
    v
}

const KERNEL_HEADERS: &[&str] = &[
    "stddef.h",
    "asm/stat.h",
    "linux/stat.h",
    "asm/termios.h",
    "linux/time_types.h",
    "linux/time.h",
    "linux/times.h",
    "linux/utsname.h",
    "linux/sysinfo.h",
    "asm/statfs.h",
    "linux/magic.h",
    "linux/resource.h",
    "linux/uio.h",
    "asm/poll.h",
    "linux/eventpoll.h",
    "linux/fcntl.h",
    "linux/openat2.h",
    "linux/close_range.h",
    "linux/fs.h",
    "linux/mman.h",
    "linux/sched.h",
    "linux/sched/types.h",
    "linux/ioprio.h",
    "linux/kcmp.h",
    "linux/futex.h",
    "linux/wait.h",
    "linux/auxvec.h",
    "asm/hwcap2.h",
    "asm/prctl.h",
    "linux/prctl.h",
    "linux/membarrier.h",
    "linux/capability.h",
    "linux/random.h",
    "linux/personality.h",
    "linux/reboot.h",
    "asm/signal.h",
    "linux/signal.h",
    "asm/siginfo.h",
    "asm/sigcontext.h",
    "asm/ucontext.h",
    "asm-generic/errno.h",
    "asm/unistd_64.h",
    "asm/socket.h",
    "linux/socket.h",
    "linux/un.h",
    "linux/in.h",
    "linux/in6.h",
    "linux/netlink.h",
    "linux/signalfd.h",
    "linux/timerfd.h",
    "linux/inotify.h",
    "linux/memfd.h",
    "linux/keyctl.h",
    "linux/limits.h",
];

/// The kernel does not export `struct rt_sigframe`; this is its x86_64
/// definition rebuilt from the exported parts.
const KERNEL_PRELUDE: &str = "struct rt_sigframe_check { char *pretcode; struct ucontext uc; siginfo_t info; };\n";

const GLIBC_HEADERS: &[&str] = &[
    "stddef.h",
    "sys/types.h",
    "sys/socket.h",
    "sys/un.h",
    "netinet/in.h",
    "unistd.h",
    "dirent.h",
    "sys/stat.h",
    "sys/sysmacros.h",
    "sys/wait.h",
    "sys/eventfd.h",
    "fcntl.h",
    "elf.h",
    "sys/ioctl.h",
    "net/if.h",
    "net/if_arp.h",
];

fn have_cc() -> Option<String> {
    for cc in ["gcc", "cc"] {
        if Command::new(cc).arg("--version").output().is_ok_and(|o| o.status.success()) {
            return Some(cc.to_string());
        }
    }
    None
}

fn scratch(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name)
}

/// Writes, compiles and runs a program printing each check's C value;
/// returns expression -> value (`None` when the macro is undefined).
fn run_c(
    cc: &str,
    tag: &str,
    defines: &str,
    headers: &[&str],
    prelude: &str,
    checks: &[Check],
) -> BTreeMap<String, Option<i64>> {
    let mut src = String::new();
    src.push_str(defines);
    for h in headers {
        writeln!(src, "#include <{h}>").unwrap();
    }
    src.push_str("#include <stdio.h>\n");
    src.push_str(prelude);
    src.push_str("int main(void) {\n");
    for c in checks {
        let key = c.expr.replace('"', "\\\"");
        if c.ifdef {
            writeln!(
                src,
                "#ifdef {e}\n  printf(\"%s\\t%lld\\n\", \"{key}\", (long long)({e}));\n#else\n  printf(\"%s\\tMISSING\\n\", \"{key}\");\n#endif",
                e = c.expr
            )
            .unwrap();
        } else {
            writeln!(src, "  printf(\"%s\\t%lld\\n\", \"{key}\", (long long)({e}));", e = c.expr).unwrap();
        }
    }
    src.push_str("  return 0;\n}\n");
    let c_path = scratch(&format!("linux_abi_{tag}.c"));
    let exe = scratch(&format!("linux_abi_{tag}"));
    std::fs::create_dir_all(c_path.parent().unwrap()).unwrap();
    std::fs::write(&c_path, &src).unwrap();
    let out = Command::new(cc).args(["-std=gnu11", "-w", "-o"]).arg(&exe).arg(&c_path).output().unwrap();
    assert!(out.status.success(), "compiling {} failed:\n{}", c_path.display(), String::from_utf8_lossy(&out.stderr));
    let out = Command::new(&exe).output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let (k, v) = l.rsplit_once('\t').unwrap();
            (k.to_string(), if v == "MISSING" { None } else { Some(v.parse().unwrap()) })
        })
        .collect()
}

fn compare(tag: &str, checks: &[Check], got: &BTreeMap<String, Option<i64>>, missing: &mut BTreeSet<String>) -> usize {
    let mut bad = Vec::new();
    let mut compared = 0;
    let mut seen = BTreeSet::new();
    for c in checks {
        assert!(seen.insert(&c.expr), "{tag}: {} listed twice", c.expr);
        match got.get(&c.expr) {
            Some(Some(v)) => {
                compared += 1;
                if *v != c.value && !OLDER_VALUE_OK.contains(&(c.expr.as_str(), *v)) {
                    bad.push(format!("{}: headers say {v} ({v:#x}), crate says {} ({:#x})", c.expr, c.value, c.value));
                }
            }
            Some(None) => {
                missing.insert(c.expr.clone());
            }
            None => bad.push(format!("{}: no output", c.expr)),
        }
    }
    assert!(bad.is_empty(), "{tag}: {} mismatches:\n{}", bad.len(), bad.join("\n"));
    compared
}

/// `#define NAME NUMBER` lines as the preprocessor sees them after including `header`.
fn macros(cc: &str, header: &str) -> BTreeMap<String, i64> {
    let src = scratch(&format!("linux_abi_dm_{}.c", header.replace(['/', '.'], "_")));
    std::fs::write(&src, format!("#include <{header}>\n")).unwrap();
    let out = Command::new(cc).args(["-E", "-dM"]).arg(&src).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| {
            let mut it = l.strip_prefix("#define ")?.split_whitespace();
            let name = it.next()?;
            let val: i64 = it.next()?.parse().ok()?;
            it.next().is_none().then(|| (name.to_string(), val))
        })
        .collect()
}

fn kernel_headers_present(cc: &str) -> bool {
    let src = scratch("linux_abi_probe.c");
    std::fs::create_dir_all(src.parent().unwrap()).unwrap();
    std::fs::write(&src, "#include <asm/unistd_64.h>\n#include <linux/version.h>\n").unwrap();
    Command::new(cc).arg("-E").arg(&src).output().is_ok_and(|o| o.status.success())
}

#[test]
fn matches_host_linux_headers() {
    let Some(cc) = have_cc() else {
        println!("linux_headers: no C compiler on this host, cross-check skipped");
        return;
    };
    if !kernel_headers_present(&cc) {
        println!("linux_headers: no Linux UAPI headers (install linux-libc-dev), cross-check skipped");
        return;
    }
    let version = macros(&cc, "linux/version.h").get("LINUX_VERSION_CODE").copied().unwrap_or(0);
    println!("linux_headers: host UAPI headers are Linux {}.{}", version >> 16, (version >> 8) & 0xff);

    let mut missing = BTreeSet::new();
    let kc = kernel_checks();
    let got = run_c(&cc, "kernel", "", KERNEL_HEADERS, KERNEL_PRELUDE, &kc);
    let n_kernel = compare("kernel headers", &kc, &got, &mut missing);
    let gc = glibc_checks();
    let got = run_c(&cc, "glibc", "#define _GNU_SOURCE 1\n", GLIBC_HEADERS, "", &gc);
    let n_glibc = compare("glibc headers", &gc, &got, &mut missing);

    // Syscalls: every __NR_ in the header must be in the table with the same
    // number; table entries the header lacks must be newer than it.
    let nr = macros(&cc, "asm/unistd_64.h");
    let header_nrs: BTreeMap<&str, i64> = nr.iter().filter_map(|(k, v)| Some((k.strip_prefix("__NR_")?, *v))).collect();
    assert!(header_nrs.len() > 300, "too few __NR_ macros: {}", header_nrs.len());
    for (name, n) in &header_nrs {
        assert_eq!(syscall_names::syscall_number(name).map(i64::from), Some(*n), "__NR_{name}");
    }
    let header_max = header_nrs.values().copied().max().unwrap();
    let mut newer_syscalls = Vec::new();
    for &(n, name) in syscall_names::SYSCALLS {
        if !header_nrs.contains_key(name) {
            assert!(
                i64::from(n) > header_max || (335..=423).contains(&n),
                "{name} ({n}) is not in the host's <asm/unistd_64.h> although older than it"
            );
            newer_syscalls.push(format!("{name}={n}"));
            missing.remove(&format!("__NR_{name}"));
        }
    }

    // Errnos: every E* number in the generic headers must be in the table.
    let errs = macros(&cc, "asm-generic/errno.h");
    let mut n_err = 0;
    for (name, n) in errs.iter().filter(|(k, _)| k.starts_with('E')) {
        assert_eq!(errno::errno_number(name).map(i64::from), Some(*n), "{name}");
        n_err += 1;
    }
    assert!(n_err >= 131, "only {n_err} errnos in the headers");

    let unexpected: Vec<_> = missing.iter().filter(|m| !NEWER_THAN_HOST_OK.contains(&m.as_str())).collect();
    assert!(unexpected.is_empty(), "the host headers lack names the crate assumes exist: {unexpected:?}");
    println!(
        "linux_headers: {} values matched ({} kernel-header checks, {} glibc-header checks); \
         {} __NR_ and {} errno macros matched both ways",
        n_kernel + n_glibc,
        n_kernel,
        n_glibc,
        header_nrs.len(),
        n_err
    );
    println!("linux_headers: newer than the host headers, not checked here: {missing:?}");
    println!("linux_headers: syscalls newer than the host headers: {newer_syscalls:?}");
}
