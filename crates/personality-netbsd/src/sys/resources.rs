//! Resource limits and usage (sys/kern/kern_resource.c,
//! sys/sys/resource.h).
//!
//! NetBSD numbers its limits as FreeBSD does up to RLIMIT_AS (10) and
//! adds RLIMIT_NTHR (11); two of the twelve are not kept by the core
//! (RLIMIT_SBSIZE, RLIMIT_NTHR). Nothing here enforces those, so they
//! read as RLIM_INFINITY; setting one to anything but infinity/infinity
//! would promise a limit nothing keeps, and is EINVAL.

use kernel_ops::{Error, KResult, KernelOps, Limit, Resource, ResourceUsage, UsageTarget, UNLIMITED};

/// RLIM_INFINITY: `~((u_quad_t)1 << 63)`.
pub const RLIM_INFINITY: u64 = i64::MAX as u64;
/// RLIM_NLIMITS.
const RLIM_NLIMITS: u64 = 12;

/// A NetBSD limit number as the core's resource; `None` for the ones it
/// does not keep; EINVAL from RLIM_NLIMITS on (the number is compared as
/// unsigned, so a negative one too).
pub fn resource(raw: u64) -> KResult<Option<Resource>> {
    use Resource::*;
    const ORDER: [Option<Resource>; RLIM_NLIMITS as usize] = [
        Some(Cpu),          // RLIMIT_CPU
        Some(FileSize),     // RLIMIT_FSIZE
        Some(Data),         // RLIMIT_DATA
        Some(Stack),        // RLIMIT_STACK
        Some(Core),         // RLIMIT_CORE
        Some(Rss),          // RLIMIT_RSS
        Some(LockedMemory), // RLIMIT_MEMLOCK
        Some(Processes),    // RLIMIT_NPROC
        Some(OpenFiles),    // RLIMIT_NOFILE
        None,               // RLIMIT_SBSIZE: socket buffer bytes per user
        Some(AddressSpace), // RLIMIT_AS (RLIMIT_VMEM)
        None,               // RLIMIT_NTHR: threads per user
    ];
    ORDER.get(raw as u32 as usize).copied().ok_or(Error::InvalidArgument)
}

fn to_rlim(v: u64) -> u64 {
    if v == UNLIMITED {
        RLIM_INFINITY
    } else {
        v.min(RLIM_INFINITY)
    }
}

/// A NetBSD `rlim_t` (unsigned) as the core's: RLIM_INFINITY and above
/// mean none.
fn from_rlim(v: u64) -> u64 {
    if v >= RLIM_INFINITY {
        UNLIMITED
    } else {
        v
    }
}

/// `struct rlimit` {rlim_cur, rlim_max} for the core's limit.
pub fn rlimit_bytes(l: Limit) -> [u8; 16] {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&to_rlim(l.soft).to_le_bytes());
    b[8..].copy_from_slice(&to_rlim(l.hard).to_le_bytes());
    b
}

/// The core's limit for a `struct rlimit`; a soft limit above the hard
/// one (compared as NetBSD's unsigned rlim_t) is EINVAL (dosetrlimit,
/// after SUSv2).
pub fn limit_of(b: &[u8; 16]) -> KResult<Limit> {
    let word =
        |i: usize| u64::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3], b[i + 4], b[i + 5], b[i + 6], b[i + 7]]);
    let (cur, max) = (word(0), word(8));
    if cur > max {
        return Err(Error::InvalidArgument);
    }
    Ok(Limit { soft: from_rlim(cur), hard: from_rlim(max) })
}

const NO_LIMIT: Limit = Limit { soft: UNLIMITED, hard: UNLIMITED };

/// getrlimit(which, rlp).
pub fn getrlimit(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let l = match resource(a[0])? {
        Some(r) => ops.limit(r),
        None => NO_LIMIT,
    };
    ops.copy_out(a[1], &rlimit_bytes(l)).map(|_| 0)
}

/// setrlimit(which, rlp).
pub fn setrlimit(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let r = resource(a[0])?;
    let mut b = [0u8; 16];
    ops.copy_in(a[1], &mut b)?;
    let l = limit_of(&b)?;
    match r {
        Some(r) => ops.set_limit(r, l).map(|_| 0),
        // Not changing the value is fine (dosetrlimit returns early).
        None if l == NO_LIMIT => Ok(0),
        None => {
            ops.log_unsupported(format_args!("netbsd: setrlimit of resource {} (not kept)", a[0]));
            Err(Error::InvalidArgument)
        }
    }
}

/// `struct rusage` (144 bytes): ru_utime and ru_stime as timevals
/// (tv_sec i64, tv_usec an int and 4 bytes of padding), then fourteen
/// longs; ru_maxrss in KiB. Counters the core does not keep (shared and
/// unshared sizes, swaps, block and message counts, signals) are 0.
pub fn rusage_bytes(u: &ResourceUsage) -> [u8; 144] {
    let mut b = [0u8; 144];
    let mut put = |at: usize, v: u64| b[at..at + 8].copy_from_slice(&v.min(i64::MAX as u64).to_le_bytes());
    put(0, u.user_ns / 1_000_000_000);
    put(8, u.user_ns % 1_000_000_000 / 1000);
    put(16, u.system_ns / 1_000_000_000);
    put(24, u.system_ns % 1_000_000_000 / 1000);
    put(32, u.max_rss_bytes / 1024); // ru_maxrss
    put(64, u.minor_faults); // ru_minflt
    put(72, u.major_faults); // ru_majflt
    put(128, u.voluntary_switches); // ru_nvcsw
    put(136, u.involuntary_switches); // ru_nivcsw
    b
}

/// __getrusage50(who, rusage): RUSAGE_SELF 0 and RUSAGE_CHILDREN -1 only
/// (getrusage1; NetBSD has no RUSAGE_THREAD).
pub fn getrusage(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let target = match a[0] as i32 {
        0 => UsageTarget::Process,
        -1 => UsageTarget::Children,
        _ => return Err(Error::InvalidArgument),
    };
    let u = ops.resource_usage(target);
    ops.copy_out(a[1], &rusage_bytes(&u)).map(|_| 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn netbsd_numbers_name_the_right_limits() {
        assert_eq!(resource(8), Ok(Some(Resource::OpenFiles)), "RLIMIT_NOFILE is 8 on NetBSD");
        assert_eq!(resource(7), Ok(Some(Resource::Processes)));
        assert_eq!(resource(3), Ok(Some(Resource::Stack)));
        assert_eq!(resource(10), Ok(Some(Resource::AddressSpace)));
        assert_eq!(resource(9), Ok(None), "RLIMIT_SBSIZE");
        assert_eq!(resource(11), Ok(None), "RLIMIT_NTHR");
        assert_eq!(resource(12), Err(Error::InvalidArgument));
        assert_eq!(resource(0xffff_ffff), Err(Error::InvalidArgument), "-1 as an int");
    }

    #[test]
    fn infinity_and_order() {
        let b = rlimit_bytes(Limit { soft: 1024, hard: UNLIMITED });
        assert_eq!(u64::from_le_bytes(b[8..].try_into().unwrap()), (1 << 63) - 1);
        assert_eq!(limit_of(&b), Ok(Limit { soft: 1024, hard: UNLIMITED }));
        let mut big = [0xffu8; 16];
        big[..8].copy_from_slice(&5u64.to_le_bytes());
        assert_eq!(limit_of(&big), Ok(Limit { soft: 5, hard: UNLIMITED }), "past RLIM_INFINITY is none");
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&100u64.to_le_bytes());
        b[8..].copy_from_slice(&50u64.to_le_bytes());
        assert_eq!(limit_of(&b), Err(Error::InvalidArgument), "soft above hard");
    }

    #[test]
    fn rusage_layout() {
        let u = ResourceUsage {
            user_ns: 1_500_000_000,
            system_ns: 2_000_003_000,
            max_rss_bytes: 8192,
            minor_faults: 3,
            major_faults: 4,
            voluntary_switches: 5,
            involuntary_switches: 6,
        };
        let b = rusage_bytes(&u);
        let w = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap());
        assert_eq!((w(0), w(8), w(16), w(24)), (1, 500_000, 2, 3));
        assert_eq!((w(32), w(64), w(72), w(128), w(136)), (8, 3, 4, 5, 6));
        assert_eq!((w(40), w(56), w(80), w(120)), (0, 0, 0, 0));
    }

    proptest! {
        #[test]
        fn limits_round_trip(soft in any::<u64>(), hard in any::<u64>()) {
            let l = Limit { soft: soft.min(hard), hard };
            let back = limit_of(&rlimit_bytes(l)).unwrap();
            let clip = |v: u64| if v >= RLIM_INFINITY { UNLIMITED } else { v };
            prop_assert_eq!(back, Limit { soft: clip(l.soft), hard: clip(l.hard) });
        }
    }
}
