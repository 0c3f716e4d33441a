//! /proc/mounts and /proc/<pid>/mountinfo (proc(5)): a line per mount the
//! reader sees. Mount points are printed as they are (Linux escapes
//! spaces as \040; the kernel has not done so, and this keeps its text).

use alloc::string::String;
use core::fmt::Write;
use kernel_ops::MountRecord;

fn options(m: &MountRecord) -> &'static str {
    if m.read_only {
        "ro"
    } else {
        "rw"
    }
}

/// fstab's layout: source, mount point, type, options, dump and pass (0).
pub fn mounts(table: &[MountRecord]) -> String {
    let mut s = String::new();
    for m in table {
        let _ = writeln!(s, "{} {} {} {} 0 0", m.source, m.point, m.fstype, options(m));
    }
    s
}

/// Mount id, parent id, major:minor (what stat gives as st_dev), root
/// within the file system, mount point, options, the separator, type,
/// source, super-block options.
pub fn mountinfo(table: &[MountRecord]) -> String {
    let mut s = String::new();
    for m in table {
        let opts = options(m);
        let _ = writeln!(
            s,
            "{} {} {}:{} / {} {opts} - {} {} {opts}",
            m.id, m.parent_id, m.major, m.minor, m.point, m.fstype, m.source
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use proptest::prelude::*;

    fn table() -> alloc::vec::Vec<MountRecord> {
        vec![
            MountRecord {
                id: 21,
                parent_id: 1,
                major: 0,
                minor: 1,
                point: "/".into(),
                fstype: "ramfs".into(),
                source: "rootfs".into(),
                read_only: false,
            },
            MountRecord {
                id: 23,
                parent_id: 21,
                major: 0,
                minor: 3,
                point: "/proc".into(),
                fstype: "proc".into(),
                source: "proc".into(),
                read_only: true,
            },
        ]
    }

    #[test]
    fn mounts_in_fstab_layout() {
        assert_eq!(mounts(&table()), "rootfs / ramfs rw 0 0\nproc /proc proc ro 0 0\n");
    }

    #[test]
    fn mountinfo_fields_in_order() {
        assert_eq!(mountinfo(&table()), "21 1 0:1 / / rw - ramfs rootfs rw\n23 21 0:3 / /proc ro - proc proc ro\n");
        for line in mountinfo(&table()).lines() {
            let fields: alloc::vec::Vec<&str> = line.split(' ').collect();
            assert_eq!(fields.len(), 10);
            assert_eq!(fields[6], "-");
        }
    }

    proptest! {
        #[test]
        fn never_panics(ids in any::<[u32; 4]>(), point in ".*", read_only in any::<bool>()) {
            let m = MountRecord {
                id: ids[0],
                parent_id: ids[1],
                major: ids[2],
                minor: ids[3],
                point,
                fstype: String::new(),
                source: String::new(),
                read_only,
            };
            prop_assert!(mounts(core::slice::from_ref(&m)).ends_with('\n'));
            prop_assert!(mountinfo(&[m]).ends_with('\n'));
        }
    }
}
