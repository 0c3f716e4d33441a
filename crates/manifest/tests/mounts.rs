//! Boot-time mounts and the vfs grant.

use manifest::{parse, Grant, Mount, Rights};

#[test]
fn mounts_and_vfs_grants_parse_and_render_back() {
    let text = b"endpoint blk\ntask ext2fs\n    grant vfs w\n    grant endpoint blk w\nmount vda ext2 /mnt\nmount vdb ext2 /srv/data ro\n";
    let m = parse(text).unwrap();
    assert_eq!(m.tasks[0].grants[0], Grant::Vfs { rights: Rights::WRITE });
    assert_eq!(
        m.mounts,
        vec![
            Mount { device: "vda".into(), fstype: "ext2".into(), path: "/mnt".into(), read_only: false },
            Mount { device: "vdb".into(), fstype: "ext2".into(), path: "/srv/data".into(), read_only: true },
        ]
    );
    assert_eq!(parse(m.render().as_bytes()).unwrap(), m);
}

#[test]
fn bad_mount_lines_are_refused() {
    for (line, message) in [
        (&b"mount vda ext2"[..], "usage: mount <device> <fstype> <path> [ro]"),
        (b"mount vda ext2 mnt", "mount path must be absolute"),
        (b"mount vda ext2 /mnt rw", "usage: mount <device> <fstype> <path> [ro]"),
        (b"mount vda ext2 /mnt ro extra", "usage: mount <device> <fstype> <path> [ro]"),
        (b"mount vda ext2 /a/../b", "path must be relative, without empty, . or .. components"),
        (b"mount VDA ext2 /mnt", "name may only contain a-z 0-9 _ -"),
    ] {
        let e = parse(line).unwrap_err();
        assert_eq!((e.line, e.message), (1, message), "{}", String::from_utf8_lossy(line));
    }
    let many: String = (0..9).map(|i| format!("mount vd{i} ext2 /m{i}\n")).collect();
    assert_eq!(parse(many.as_bytes()).unwrap_err().message, "too many mounts (at most 8)");
}

/// `mount vda ext2 /` (the disk as the root of the Linux namespace, as
/// `cargo xtask run --rootfs` boots): exactly "/" is a mount path; an
/// empty component after it is not.
#[test]
fn the_root_is_a_mount_path() {
    let m = parse(b"mount vda ext2 /\n").unwrap();
    assert_eq!(
        m.mounts,
        vec![Mount { device: "vda".into(), fstype: "ext2".into(), path: "/".into(), read_only: false }]
    );
    assert_eq!(m.render(), "mount vda ext2 /\n");
    assert_eq!(parse(m.render().as_bytes()).unwrap(), m);
    for line in [&b"mount vda ext2 //"[..], b"mount vda ext2 /./", b"mount vda ext2 /mnt/"] {
        assert!(parse(line).is_err(), "{} accepted", String::from_utf8_lossy(line));
    }
}

/// Every boot manifest the project ships parses, and the root mount of
/// rootfs.manifest is "/".
#[test]
fn the_shipped_manifests_parse() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../user/manifests");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "manifest") {
            let text = std::fs::read(&path).unwrap();
            parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            seen += 1;
        }
    }
    assert!(seen >= 5, "only {seen} manifests in {}", dir.display());
    let rootfs = parse(&std::fs::read(dir.join("rootfs.manifest")).unwrap()).unwrap();
    assert_eq!(rootfs.mounts.iter().map(|m| m.path.as_str()).collect::<Vec<_>>(), ["/"]);
}

#[test]
fn net_grants_parse_and_render_back() {
    let m = parse(b"task netstack\n    memory 16384\n    grant net w\n").unwrap();
    assert_eq!(m.tasks[0].grants, vec![Grant::Net { rights: Rights::WRITE }]);
    assert_eq!(parse(m.render().as_bytes()).unwrap(), m);
}
