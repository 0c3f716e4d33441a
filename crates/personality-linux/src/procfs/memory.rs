//! /proc/meminfo: every field procps `free` and `top` read, in Linux's
//! order, in kB; what the kernel does not have (swap, the page-cache
//! split, slabs but the heap) reads 0.

use alloc::string::String;
use core::fmt::Write;
use kernel_ops::MemoryRecord;

pub fn meminfo(m: &MemoryRecord) -> String {
    let total = m.total / 1024;
    let free = m.free / 1024;
    let in_use = total.saturating_sub(free);
    let mut s = String::new();
    // "Label:" padded to 15 columns, the figure to 8, then the unit.
    let mut line = |label: &str, kib: u64, unit: &str| {
        let label = alloc::format!("{label}:");
        let _ = writeln!(s, "{label:<15} {kib:8}{unit}");
    };
    for (label, kib) in [
        ("MemTotal", total),
        ("MemFree", free),
        ("MemAvailable", free),
        ("Buffers", 0),
        ("Cached", m.cached / 1024),
        ("SwapCached", 0),
        ("Active", 0),
        ("Inactive", 0),
        ("Active(anon)", 0),
        ("Inactive(anon)", 0),
        ("Active(file)", 0),
        ("Inactive(file)", 0),
        ("Unevictable", 0),
        ("Mlocked", 0),
        ("SwapTotal", 0),
        ("SwapFree", 0),
        ("Dirty", 0),
        ("Writeback", 0),
        ("AnonPages", in_use),
        ("Mapped", 0),
        ("Shmem", 0),
        ("SReclaimable", 0),
        // The kernel heap in use: Linux's unreclaimable slab is the
        // nearest field (the fuzz campaign compares it before and after).
        ("SUnreclaim", m.kernel_heap / 1024),
        ("KernelStack", 0),
        ("PageTables", 0),
        ("CommitLimit", total),
        ("Committed_AS", in_use),
        ("VmallocTotal", 0),
    ] {
        line(label, kib, " kB");
    }
    // The huge-page counts are pages, not kB.
    for label in ["HugePages_Total", "HugePages_Free", "HugePages_Rsvd", "HugePages_Surp"] {
        line(label, 0, "");
    }
    line("Hugepagesize", 2048, " kB");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    #[test]
    fn kb_lines_in_linux_order() {
        let m = MemoryRecord { total: 127_136 * 1024, free: 125_288 * 1024, cached: 8 * 4096, kernel_heap: 166 * 1024 };
        let s = meminfo(&m);
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines.len(), 33);
        assert_eq!(lines[0], "MemTotal:         127136 kB");
        assert_eq!(lines[1], "MemFree:          125288 kB");
        assert_eq!(lines[2], "MemAvailable:     125288 kB");
        assert_eq!(lines[4], "Cached:               32 kB");
        assert_eq!(lines[18], "AnonPages:          1848 kB");
        assert_eq!(lines[22], "SUnreclaim:          166 kB");
        assert_eq!(lines[28], "HugePages_Total:        0");
        assert_eq!(lines[32], "Hugepagesize:       2048 kB");
        for line in &lines {
            let (label, rest) = line.split_once(':').unwrap();
            assert!(!label.contains(' '));
            let figure = rest.trim().trim_end_matches(" kB");
            assert!(figure.parse::<u64>().is_ok(), "{line:?}");
            assert_eq!(line.ends_with(" kB"), !label.starts_with("HugePages_"), "{line:?}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(n in any::<[u64; 4]>()) {
            let s = meminfo(&MemoryRecord { total: n[0], free: n[1], cached: n[2], kernel_heap: n[3] });
            prop_assert_eq!(s.lines().count(), 33);
            let extreme = meminfo(&MemoryRecord { total: 0, free: u64::MAX, cached: u64::MAX, kernel_heap: u64::MAX });
            prop_assert!(extreme.contains("AnonPages:             0 kB\n"));
        }
    }
}
