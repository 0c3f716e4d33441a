//! System information, limits, resource usage, randomness, power.

use kernel_ops::{Clock, Error, KResult, KernelOps, Limit, Resource, ResourceUsage, UsageTarget, UNLIMITED};
use linux_abi::resource::{Rlimit, Rusage, RLIM_INFINITY};
use linux_abi::time::Timeval;

pub fn uname(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let host = ops.hostname();
    let domain = ops.domain_name();
    let release = if ops.task_setting(kernel_ops::TaskSetting::Persona) & UNAME26 != 0 {
        release_2_6(crate::RELEASE)
    } else {
        alloc::string::String::from(crate::RELEASE)
    };
    let u =
        linux_abi::utsname::Utsname::new(b"Linux", &host, release.as_bytes(), b"#1 SMP Helctic", b"x86_64", &domain);
    ops.copy_out(a[0], &u.to_bytes()).map(|_| 0)
}

pub fn sethostname(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if !ops.credentials().has(kernel_ops::Privilege::SysAdmin) {
        return Err(Error::NotPermitted);
    }
    if a[1] > 64 {
        return Err(Error::InvalidArgument);
    }
    let mut name = crate::util::buffer(a[1] as usize)?;
    ops.copy_in(a[0], &mut name)?;
    ops.set_hostname(&name).map(|_| 0)
}

/// setdomainname: privilege first (EPERM), then the length (EINVAL beyond
/// 64 bytes or negative), then the name.
pub fn setdomainname(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    if !ops.credentials().has(kernel_ops::Privilege::SysAdmin) {
        return Err(Error::NotPermitted);
    }
    if a[1] > 64 {
        return Err(Error::InvalidArgument);
    }
    let mut name = crate::util::buffer(a[1] as usize)?;
    ops.copy_in(a[0], &mut name)?;
    ops.set_domain_name(&name).map(|_| 0)
}

pub fn sysinfo(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let i = ops.system_info();
    let s = linux_abi::sysinfo::Sysinfo {
        uptime: (i.uptime_ns / 1_000_000_000) as i64,
        loads: i.load,
        totalram: i.total_ram,
        freeram: i.free_ram,
        sharedram: 0,
        bufferram: 0,
        totalswap: 0,
        freeswap: 0,
        procs: i.processes.min(u32::from(u16::MAX)) as u16,
        totalhigh: 0,
        freehigh: 0,
        mem_unit: 1,
    };
    ops.copy_out(a[0], &s.to_bytes()).map(|_| 0)
}

fn resource(raw: u64) -> KResult<Resource> {
    use Resource::*;
    const ORDER: [Resource; Resource::COUNT] = [
        Cpu,
        FileSize,
        Data,
        Stack,
        Core,
        Rss,
        Processes,
        OpenFiles,
        LockedMemory,
        AddressSpace,
        Locks,
        PendingSignals,
        MessageQueue,
        Nice,
        RealtimePriority,
        RealtimeTime,
    ];
    ORDER.get(raw as usize).copied().ok_or(Error::InvalidArgument)
}

fn to_rlimit(l: Limit) -> Rlimit {
    let conv = |v: u64| if v == UNLIMITED { RLIM_INFINITY } else { v };
    Rlimit { rlim_cur: conv(l.soft), rlim_max: conv(l.hard) }
}

fn from_rlimit(r: Rlimit) -> Limit {
    let conv = |v: u64| if v == RLIM_INFINITY { UNLIMITED } else { v };
    Limit { soft: conv(r.rlim_cur), hard: conv(r.rlim_max) }
}

pub fn getrlimit(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let l = ops.limit(resource(a[0])?);
    ops.copy_out(a[1], &to_rlimit(l).to_bytes()).map(|_| 0)
}

pub fn setrlimit(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let r = resource(a[0])?;
    let mut b = [0u8; Rlimit::SIZE];
    ops.copy_in(a[1], &mut b)?;
    ops.set_limit(r, from_rlimit(Rlimit::from_bytes(&b).ok_or(Error::Fault)?)).map(|_| 0)
}

pub fn prlimit64(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    // The resource is checked before the process is looked for, as Linux.
    let r = resource(a[1])?;
    if a[0] != 0 && a[0] as u32 != ops.pid() {
        ops.log_unsupported(format_args!("linux: prlimit64 on another process"));
        return Err(Error::NotPermitted);
    }
    let old = ops.limit(r);
    if a[2] != 0 {
        let mut b = [0u8; Rlimit::SIZE];
        ops.copy_in(a[2], &mut b)?;
        ops.set_limit(r, from_rlimit(Rlimit::from_bytes(&b).ok_or(Error::Fault)?))?;
    }
    if a[3] != 0 {
        ops.copy_out(a[3], &to_rlimit(old).to_bytes())?;
    }
    Ok(0)
}

/// Linux's `struct rusage` for the core's figures (ru_maxrss in KiB; the
/// counters Linux itself leaves at zero stay zero).
pub fn rusage_of(u: &ResourceUsage) -> Rusage {
    let count = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    Rusage {
        ru_utime: Timeval::from_nanos(u.user_ns),
        ru_stime: Timeval::from_nanos(u.system_ns),
        ru_maxrss: count(u.max_rss_bytes / 1024),
        ru_minflt: count(u.minor_faults),
        ru_majflt: count(u.major_faults),
        ru_nvcsw: count(u.voluntary_switches),
        ru_nivcsw: count(u.involuntary_switches),
        ..Rusage::default()
    }
}

pub fn getrusage(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    use linux_abi::resource::{RUSAGE_CHILDREN, RUSAGE_SELF, RUSAGE_THREAD};
    let target = match a[0] as i32 {
        RUSAGE_SELF => UsageTarget::Process,
        RUSAGE_THREAD => UsageTarget::Thread,
        RUSAGE_CHILDREN => UsageTarget::Children,
        _ => return Err(Error::InvalidArgument),
    };
    let usage = ops.resource_usage(target);
    ops.copy_out(a[1], &rusage_of(&usage).to_bytes()).map(|_| 0)
}

pub fn times(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    let ticks = |ns: u64| (ns / 10_000_000) as i64;
    let (u, s) = ops.cpu_times(false);
    let (cu, cs) = ops.cpu_times(true);
    if a[0] != 0 {
        let t = linux_abi::times::Tms {
            tms_utime: ticks(u),
            tms_stime: ticks(s),
            tms_cutime: ticks(cu),
            tms_cstime: ticks(cs),
        };
        ops.copy_out(a[0], &t.to_bytes())?;
    }
    Ok(ticks(ops.clock(Clock::Monotonic)?) as u64)
}

pub fn getrandom(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    use linux_abi::random::*;
    let flags = a[2] as u32;
    // Insecure and blocking randomness together make no sense (Linux 5.6).
    if flags & !(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) != 0
        || flags & (GRND_RANDOM | GRND_INSECURE) == GRND_RANDOM | GRND_INSECURE
    {
        return Err(Error::InvalidArgument);
    }
    let len = a[1].min(1 << 25) as usize;
    let mut done = 0;
    let mut buf = [0u8; 256];
    while done < len {
        let n = (len - done).min(buf.len());
        ops.random_bytes(&mut buf[..n]);
        ops.copy_out(a[0].wrapping_add(done as u64), &buf[..n])?;
        done += n;
    }
    Ok(done as u64)
}

/// personality(2): returns the old execution domain and, unless asked
/// 0xffffffff, sets the new one. Linux takes any value; what Helctic acts
/// on: UNAME26 (uname reports a 2.6 release) and STICKY_TIMEOUTS (select
/// leaves its timeout alone). ADDR_NO_RANDOMIZE changes nothing because
/// nothing is randomized; the other flags are only kept. A domain other
/// than PER_LINUX runs as PER_LINUX.
pub fn personality(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    const QUERY: u32 = 0xffff_ffff;
    let old = ops.task_setting(kernel_ops::TaskSetting::Persona);
    if a[0] as u32 != QUERY {
        ops.set_task_setting(kernel_ops::TaskSetting::Persona, u64::from(a[0] as u32))?;
    }
    Ok(old)
}

/// personality(2) flags with an effect here.
pub const UNAME26: u64 = 0x0020000;
pub const STICKY_TIMEOUTS: u64 = 0x4000000;

/// The release uname gives under UNAME26: "2.6.(60 + minor)" and the
/// rest after the version numbers, as Linux's override_release.
fn release_2_6(release: &str) -> alloc::string::String {
    let mut dots = 0;
    let end = release
        .char_indices()
        .find(|(_, c)| {
            if *c == '.' {
                dots += 1;
            }
            dots >= 3 || !(c.is_ascii_digit() || *c == '.')
        })
        .map_or(release.len(), |(i, _)| i);
    let minor: u32 = release.split('.').nth(1).and_then(|m| m.parse().ok()).unwrap_or(0);
    alloc::format!("2.6.{}{}", 60 + minor, &release[end..])
}

pub fn reboot(ops: &mut dyn KernelOps, a: [u64; 6]) -> KResult<u64> {
    use linux_abi::reboot::*;
    // Privilege first, then the magic numbers, as Linux checks them.
    if !ops.credentials().has(kernel_ops::Privilege::SysBoot) {
        return Err(Error::NotPermitted);
    }
    if a[0] as u32 != LINUX_REBOOT_MAGIC1
        || ![LINUX_REBOOT_MAGIC2, LINUX_REBOOT_MAGIC2A, LINUX_REBOOT_MAGIC2B, LINUX_REBOOT_MAGIC2C]
            .contains(&(a[1] as u32))
    {
        return Err(Error::InvalidArgument);
    }
    match a[2] as u32 {
        LINUX_REBOOT_CMD_POWER_OFF | LINUX_REBOOT_CMD_HALT => ops.power_off(false).map(|_| 0),
        LINUX_REBOOT_CMD_RESTART => ops.power_off(true).map(|_| 0),
        LINUX_REBOOT_CMD_CAD_ON | LINUX_REBOOT_CMD_CAD_OFF => Ok(0),
        _ => Err(Error::InvalidArgument),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn uname26_release_is_2_6_sixty_plus_minor() {
        assert_eq!(super::release_2_6("6.1.0-helctic"), "2.6.61-helctic");
        assert_eq!(super::release_2_6("3.19"), "2.6.79");
        assert_eq!(super::release_2_6("5.10.1.2-x"), "2.6.70.2-x");
    }
}
