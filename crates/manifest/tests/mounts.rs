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
