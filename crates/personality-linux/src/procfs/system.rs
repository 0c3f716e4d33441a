//! Machine-wide /proc files: stat, uptime, loadavg, version.

use super::ticks;
use alloc::format;
use alloc::string::String;
use core::fmt::Write;
use kernel_ops::{CpuTimes, SystemRecord};

/// A cpu line's ten figures (user nice system idle iowait irq softirq
/// steal guest guest_nice) in USER_HZ ticks.
fn cpu_line(t: &CpuTimes) -> String {
    format!("{} 0 {} {} 0 0 0 0 0 0", ticks(t.user_ns), ticks(t.system_ns), ticks(t.idle_ns))
}

/// /proc/stat: the sum over CPUs ("cpu  ", two spaces), a line per CPU,
/// then the counters ps and top read.
pub fn stat(r: &SystemRecord) -> String {
    let total = r.cpus.iter().fold(CpuTimes::default(), |a, c| CpuTimes {
        user_ns: a.user_ns.saturating_add(c.user_ns),
        system_ns: a.system_ns.saturating_add(c.system_ns),
        idle_ns: a.idle_ns.saturating_add(c.idle_ns),
    });
    let mut s = format!("cpu  {}\n", cpu_line(&total));
    for (cpu, times) in r.cpus.iter().enumerate() {
        let _ = writeln!(s, "cpu{cpu} {}", cpu_line(times));
    }
    let _ = write!(
        s,
        "intr 0\nctxt 0\nbtime {}\nprocesses {}\nprocs_running {}\nprocs_blocked 0\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n",
        r.boot_time_secs,
        r.processes_created,
        r.running.max(1)
    );
    s
}

/// Seconds up, and idle seconds summed over the CPUs, to hundredths.
pub fn uptime(r: &SystemRecord) -> String {
    let up = r.uptime_ns;
    let idle = r.cpus.iter().fold(0u64, |a, c| a.saturating_add(c.idle_ns));
    format!(
        "{}.{:02} {}.{:02}\n",
        up / 1_000_000_000,
        up / 10_000_000 % 100,
        idle / 1_000_000_000,
        idle / 10_000_000 % 100
    )
}

/// No load averages are kept: they read 0; then running/existing
/// processes (1 running: the reader) and the last pid handed out.
pub fn loadavg(r: &SystemRecord) -> String {
    format!("0.00 0.00 0.00 1/{} {}\n", r.processes, r.processes_created)
}

/// The release Linux programs are told (uname -r), and the kernel's own
/// version in place of Linux's build details.
pub fn version(kernel_version: &str) -> String {
    format!("Linux version {} (helctic) #1 SMP Helctic {}\n", crate::RELEASE, kernel_version)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    fn sample() -> SystemRecord {
        SystemRecord {
            cpus: vec![
                CpuTimes { user_ns: 10_000_000, system_ns: 80_000_000, idle_ns: 400_000_000 },
                CpuTimes { user_ns: 20_000_000, system_ns: 0, idle_ns: 5_129_000_000 },
            ],
            boot_time_secs: 1_796_593_127,
            processes_created: 9,
            running: 0,
            processes: 3,
            uptime_ns: 3_456_000_000,
        }
    }

    #[test]
    fn stat_sums_the_cpus_first() {
        let s = stat(&sample());
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0], "cpu  3 0 8 552 0 0 0 0 0 0");
        assert_eq!(lines[1], "cpu0 1 0 8 40 0 0 0 0 0 0");
        assert_eq!(lines[2], "cpu1 2 0 0 512 0 0 0 0 0 0");
        assert_eq!(
            lines[3..],
            [
                "intr 0",
                "ctxt 0",
                "btime 1796593127",
                "processes 9",
                // The reader itself runs.
                "procs_running 1",
                "procs_blocked 0",
                "softirq 0 0 0 0 0 0 0 0 0 0 0"
            ]
        );
    }

    #[test]
    fn uptime_loadavg_version() {
        assert_eq!(uptime(&sample()), "3.45 5.52\n");
        assert_eq!(loadavg(&sample()), "0.00 0.00 0.00 1/3 9\n");
        assert_eq!(version("0.1.0"), "Linux version 6.1.0-helctic (helctic) #1 SMP Helctic 0.1.0\n");
    }

    proptest! {
        #[test]
        fn never_panics(n in any::<[u64; 6]>(), cpus in 0usize..5, counts in any::<(usize, usize)>()) {
            let r = SystemRecord {
                cpus: vec![CpuTimes { user_ns: n[0], system_ns: n[1], idle_ns: n[2] }; cpus],
                boot_time_secs: n[3],
                processes_created: n[4],
                running: counts.0,
                processes: counts.1,
                uptime_ns: n[5],
            };
            let s = stat(&r);
            prop_assert_eq!(s.lines().filter(|l| l.starts_with("cpu")).count(), cpus + 1);
            for line in s.lines().filter(|l| l.starts_with("cpu")) {
                prop_assert_eq!(line.split_whitespace().count(), 11);
            }
            prop_assert_eq!(uptime(&r).split(' ').count(), 2);
            prop_assert!(loadavg(&r).ends_with('\n'));
        }
    }
}
