//! /proc/<pid>/maps and smaps: a line per mapping (fs/proc/task_mmu.c's
//! show_map_vma), smaps adding each one's sizes in kB.

use super::text;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;
use kernel_ops::{MappingName, MappingRecord};

/// What Linux prints after the inode: a file's path, or its names for the
/// stack, the heap, the vDSO and System V segments.
fn name(m: &MappingRecord) -> String {
    match &m.name {
        MappingName::None => String::new(),
        MappingName::Path(path) => text(path),
        MappingName::Stack => String::from("[stack]"),
        MappingName::Heap => String::from("[heap]"),
        MappingName::Kernel(name) => String::from(*name),
        MappingName::SharedMemory { key } => format!("/SYSV{key:08x} (deleted)"),
    }
}

/// "start-end perms offset major:minor inode", then the name in column 74
/// (Linux pads to 73 columns before a name; a line without one ends in a
/// space).
fn line(m: &MappingRecord) -> String {
    let flag = |on: bool, c: char| if on { c } else { '-' };
    let line = format!(
        "{:08x}-{:08x} {}{}{}{} {:08x} {:02x}:{:02x} {}",
        m.start,
        m.end,
        flag(m.read, 'r'),
        flag(m.write, 'w'),
        flag(m.execute, 'x'),
        if m.shared { 's' } else { 'p' },
        m.offset,
        m.major,
        m.minor,
        m.inode
    );
    let name = name(m);
    if name.is_empty() {
        format!("{line} \n")
    } else {
        format!("{line:<72} {name}\n")
    }
}

pub fn maps(mappings: &[MappingRecord]) -> String {
    mappings.iter().map(line).collect()
}

/// Each maps line followed by its sizes. Every resident page counts as
/// dirty (the kernel tracks no sharing per page), and as locked in a
/// locked mapping.
pub fn smaps(mappings: &[MappingRecord]) -> String {
    let mut s = String::new();
    for m in mappings {
        s.push_str(&line(m));
        let rss = m.resident / 1024;
        let size = m.end.saturating_sub(m.start) / 1024;
        let anon = if m.anonymous { rss } else { 0 };
        let (shared, private) = if m.shared { (rss, 0) } else { (0, rss) };
        let _ = write!(s, "Size:           {size:8} kB\nKernelPageSize:        4 kB\nMMUPageSize:           4 kB\nRss:            {rss:8} kB\nPss:            {rss:8} kB\nPss_Dirty:      {rss:8} kB\n");
        let _ = write!(s, "Shared_Clean:          0 kB\nShared_Dirty:   {shared:8} kB\nPrivate_Clean:         0 kB\nPrivate_Dirty:  {private:8} kB\nReferenced:     {rss:8} kB\nAnonymous:      {anon:8} kB\n");
        let _ = write!(s, "KSM:                   0 kB\nLazyFree:              0 kB\nAnonHugePages:         0 kB\nShmemPmdMapped:        0 kB\nFilePmdMapped:         0 kB\nShared_Hugetlb:        0 kB\nPrivate_Hugetlb:       0 kB\nSwap:                  0 kB\nSwapPss:               0 kB\n");
        let _ = write!(s, "Locked:         {:8} kB\nTHPeligible:           0\n", if m.locked { rss } else { 0 });
        // The VM flags Linux names in two letters (show_smap_vma_flags):
        // the may-read/write/exec ones are always set here.
        let flags = [
            (m.read, "rd"),
            (m.write, "wr"),
            (m.execute, "ex"),
            (m.shared, "sh"),
            (true, "mr"),
            (true, "mw"),
            (true, "me"),
            (m.stack, "gd"),
            (m.locked, "lo"),
        ];
        let names: Vec<&str> = flags.iter().filter(|(on, _)| *on).map(|(_, n)| *n).collect();
        let _ = writeln!(s, "VmFlags: {} ", names.join(" "));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use proptest::prelude::*;

    fn program() -> MappingRecord {
        MappingRecord {
            start: 0x40_1000,
            end: 0x40_7000,
            read: true,
            execute: true,
            offset: 0x1000,
            minor: 1,
            inode: 12,
            name: MappingName::Path(b"/bin/procdump".to_vec()),
            resident: 0x6000,
            ..MappingRecord::default()
        }
    }

    #[test]
    fn a_file_line_pads_to_the_name() {
        let line = maps(&[program()]);
        assert_eq!(line, "00401000-00407000 r-xp 00001000 00:01 12                                 /bin/procdump\n");
        // The name starts in column 74 (after 72 columns and a space).
        assert_eq!(line.find('/'), Some(73));
    }

    #[test]
    fn anonymous_lines_end_in_a_space() {
        let m = MappingRecord {
            start: 0x7fff_bf7d_c000,
            end: 0x7fff_bf7f_d000,
            read: true,
            write: true,
            anonymous: true,
            ..MappingRecord::default()
        };
        assert_eq!(maps(&[m]), "7fffbf7dc000-7fffbf7fd000 rw-p 00000000 00:00 0 \n");
    }

    #[test]
    fn special_names() {
        let named = |name| maps(&[MappingRecord { name, ..MappingRecord::default() }]);
        assert!(named(MappingName::Stack).ends_with(" [stack]\n"));
        assert!(named(MappingName::Heap).ends_with(" [heap]\n"));
        assert!(named(MappingName::Kernel("[vdso]")).ends_with(" [vdso]\n"));
        assert!(named(MappingName::SharedMemory { key: 0xbeef }).ends_with(" /SYSV0000beef (deleted)\n"));
        let shared = MappingRecord { shared: true, major: 0x08, minor: 0x11, ..MappingRecord::default() };
        assert_eq!(maps(&[shared]), "00000000-00000000 ---s 00000000 08:11 0 \n");
    }

    #[test]
    fn smaps_adds_sizes_and_flags() {
        let mut m = program();
        m.locked = true;
        let s = smaps(&[m]);
        let lines: vec::Vec<&str> = s.lines().collect();
        assert_eq!(lines.len(), 1 + 23 + 1);
        assert_eq!(lines[1], "Size:                 24 kB");
        assert_eq!(lines[4], "Rss:                  24 kB");
        assert!(s.contains("Private_Dirty:        24 kB\n"));
        assert!(s.contains("Anonymous:             0 kB\n"));
        assert!(s.contains("Locked:               24 kB\n"));
        assert_eq!(lines[24], "VmFlags: rd ex mr mw me lo ");
        // Every size line: a label, a figure right-aligned to column 24, kB.
        for line in &lines[1..23] {
            assert!(line.len() == 27 && line.ends_with(" kB"), "{line:?}");
        }
    }

    fn name() -> impl Strategy<Value = MappingName> {
        prop_oneof![
            Just(MappingName::None),
            proptest::collection::vec(any::<u8>(), 0..100).prop_map(MappingName::Path),
            Just(MappingName::Stack),
            Just(MappingName::Heap),
            Just(MappingName::Kernel("[vvar]")),
            any::<u32>().prop_map(|key| MappingName::SharedMemory { key }),
        ]
    }

    proptest! {
        /// Any addresses and sizes: no panic, one maps line each, its
        /// first five fields where readers look.
        #[test]
        fn never_panics(
            nums in any::<[u64; 4]>(),
            ids in any::<(u32, u32)>(),
            flags in any::<[bool; 7]>(),
            name in name(),
        ) {
            let m = MappingRecord {
                start: nums[0],
                end: nums[1],
                offset: nums[2],
                resident: nums[3],
                major: ids.0,
                minor: ids.1,
                inode: nums[3],
                read: flags[0],
                write: flags[1],
                execute: flags[2],
                shared: flags[3],
                anonymous: flags[4],
                stack: flags[5],
                locked: flags[6],
                name,
            };
            let line = maps(core::slice::from_ref(&m));
            prop_assert!(line.ends_with('\n'));
            prop_assert!(line.split(' ').count() >= 6);
            prop_assert!(smaps(&[m]).starts_with(line.as_str()));
        }
    }
}
