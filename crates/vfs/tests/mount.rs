//! Mounts: crossing into and out of mounted file systems, stacking,
//! unmounting, listing; and `path_of` across them.

mod common;

use common::mock_fs::{MockFs, HELLO};
use common::Vfs;
use common::{file, mkdir, new_vfs, ramfs, read_all, root_creds, symlink, T0};
use vfs::{Error, FsId, MountInfo, NewNode, NodeAttrs, NodeRef};

fn get(vfs: &Vfs, path: &str) -> Result<NodeRef, Error> {
    let root = vfs.root();
    vfs.resolve(root, root, path.as_bytes(), true, &root_creds())
}

fn from(vfs: &Vfs, start: NodeRef, path: &str) -> Result<NodeRef, Error> {
    let root = vfs.root();
    vfs.resolve(start, root, path.as_bytes(), true, &root_creds())
}

/// A ramfs namespace with /mnt and the mock file system mounted on it.
fn with_mock() -> (Vfs, FsId, NodeRef) {
    let vfs = new_vfs();
    let mnt = mkdir(&vfs, "/mnt");
    file(&vfs, "/mnt/hidden", b"under the mount");
    let mock = vfs.add_filesystem(Box::new(MockFs));
    vfs.mount(mnt, mock).unwrap();
    (vfs, mock, mnt)
}

#[test]
fn walking_into_a_mount_point_lands_on_the_mounted_root() {
    let (vfs, mock, mnt) = with_mock();
    let mock_root = NodeRef::new(mock, 1);
    assert_eq!(get(&vfs, "/mnt"), Ok(mock_root));
    assert_eq!(get(&vfs, "/mnt/"), Ok(mock_root));
    assert_eq!(get(&vfs, "/mnt/hello"), Ok(NodeRef::new(mock, 2)));
    assert_eq!(get(&vfs, "/mnt/hidden"), Err(Error::NotFound));
    let hello = get(&vfs, "/mnt/hello").unwrap();
    assert_eq!(read_all(&**vfs.fs(mock).unwrap().lock(), hello.ino), HELLO);
    // The covered directory itself is still reachable as a raw entry.
    assert_eq!(vfs.lookup_entry(vfs.root(), b"mnt"), Ok(mnt));
    assert_eq!(from(&vfs, mnt, "hidden").map(|n| n.fs), Ok(FsId::ROOT));
}

#[test]
fn dotdot_from_a_mount_root_climbs_to_the_mount_points_parent() {
    let (vfs, mock, _) = with_mock();
    let root = vfs.root();
    mkdir(&vfs, "/a");
    let a = get(&vfs, "/a").unwrap();
    assert_eq!(get(&vfs, "/mnt/.."), Ok(root));
    assert_eq!(get(&vfs, "/mnt/../a"), Ok(a));
    assert_eq!(get(&vfs, "/mnt/sub/deep/../../.."), Ok(root));
    assert_eq!(from(&vfs, NodeRef::new(mock, 4), "../../../a"), Ok(a));
    // A relative symlink inside the mount ("up" -> "..").
    assert_eq!(get(&vfs, "/mnt/sub/up"), Ok(NodeRef::new(mock, 1)));
    assert_eq!(get(&vfs, "/mnt/sub/up/hello"), Ok(NodeRef::new(mock, 2)));
    assert_eq!(get(&vfs, "/mnt/sub/up/../a"), Ok(a));
}

#[test]
fn a_root_inside_a_mount_confines_dotdot() {
    let (vfs, mock, _) = with_mock();
    let jail = NodeRef::new(mock, 1);
    let r = |start, path: &str| vfs.resolve(start, jail, path.as_bytes(), true, &root_creds());
    assert_eq!(r(jail, ".."), Ok(jail));
    assert_eq!(r(NodeRef::new(mock, 4), "../../../hello"), Ok(NodeRef::new(mock, 2)));
    assert_eq!(r(jail, "/hello"), Ok(NodeRef::new(mock, 2)));
}

#[test]
fn mount_refuses_bad_requests() {
    let (vfs, mock, mnt) = with_mock();
    let f = file(&vfs, "/f", b"");
    let other = vfs.add_filesystem(Box::new(ramfs()));
    assert_eq!(vfs.mount(mnt, mock), Err(Error::Busy), "already mounted");
    assert_eq!(vfs.mount(mnt, FsId::ROOT), Err(Error::Busy));
    assert_eq!(vfs.mount(f, other), Err(Error::NotDirectory));
    assert_eq!(vfs.mount(mnt, FsId(99)), Err(Error::InvalidArgument));
    // A directory in a file system that is not mounted is not in the namespace.
    let detached = vfs.add_filesystem(Box::new(ramfs()));
    let detached_root = NodeRef::new(detached, vfs.fs(detached).unwrap().root());
    assert_eq!(vfs.mount(detached_root, other), Err(Error::InvalidArgument));
    // A removed directory cannot become a mount point.
    let gone = mkdir(&vfs, "/gone");
    vfs.retain(gone).unwrap();
    let root_ino = vfs.root().ino;
    vfs.fs(FsId::ROOT).unwrap().lock().rmdir(root_ino, b"gone", T0).unwrap();
    assert_eq!(vfs.mount(gone, other), Err(Error::NotFound));
    // The mock refuses changes.
    let mock_root = get(&vfs, "/mnt").unwrap();
    let made = vfs.fs(mock).unwrap().lock().create(mock_root.ino, b"x", NewNode::File, NodeAttrs::new(0o644, 0, 0), T0);
    assert_eq!(made, Err(Error::ReadOnly));
}

#[test]
fn stacked_mounts_show_the_last_one() {
    let (vfs, mock, mnt) = with_mock();
    let top = vfs.add_filesystem(Box::new(ramfs()));
    // Mount on the covered directory itself: it stacks on top.
    vfs.mount(mnt, top).unwrap();
    let top_root = NodeRef::new(top, vfs.fs(top).unwrap().root());
    assert_eq!(get(&vfs, "/mnt"), Ok(top_root));
    assert_eq!(get(&vfs, "/mnt/hello"), Err(Error::NotFound));
    assert_eq!(get(&vfs, "/mnt/.."), Ok(vfs.root()));
    assert_eq!(vfs.path_of(top_root, vfs.root()).unwrap(), b"/mnt");
    // The lower mount has one above it.
    assert_eq!(vfs.unmount(NodeRef::new(mock, 1)), Err(Error::Busy));
    assert_eq!(vfs.unmount(get(&vfs, "/mnt").unwrap()), Ok(top));
    assert_eq!(get(&vfs, "/mnt/hello"), Ok(NodeRef::new(mock, 2)));
    // Unmounting by the mount point takes the topmost mount.
    vfs.mount(mnt, top).unwrap();
    assert_eq!(vfs.unmount(mnt), Ok(top));
    assert_eq!(vfs.unmount(mnt), Ok(mock));
    assert_eq!(get(&vfs, "/mnt/hidden").map(|n| n.fs), Ok(FsId::ROOT));
    // And the file systems can be mounted again.
    vfs.mount(mnt, top).unwrap();
    assert_eq!(get(&vfs, "/mnt"), Ok(top_root));
}

#[test]
fn a_mount_with_submounts_is_busy() {
    let (vfs, mock, _) = with_mock();
    let inner = vfs.add_filesystem(Box::new(ramfs()));
    let deep = get(&vfs, "/mnt/sub/deep").unwrap();
    vfs.mount(deep, inner).unwrap();
    let inner_root = get(&vfs, "/mnt/sub/deep").unwrap();
    assert_eq!(inner_root.fs, inner);
    assert_eq!(from(&vfs, inner_root, "../../hello"), Ok(NodeRef::new(mock, 2)));
    assert_eq!(vfs.unmount(get(&vfs, "/mnt").unwrap()), Err(Error::Busy));
    assert_eq!(vfs.unmount(inner_root), Ok(inner));
    assert_eq!(vfs.unmount(get(&vfs, "/mnt").unwrap()), Ok(mock));
}

#[test]
fn unmount_refuses_what_is_not_a_mount() {
    let (vfs, _, _) = with_mock();
    let root = vfs.root();
    let plain = mkdir(&vfs, "/plain");
    assert_eq!(vfs.unmount(root), Err(Error::Busy));
    assert_eq!(vfs.unmount(plain), Err(Error::InvalidArgument));
    assert_eq!(vfs.unmount(get(&vfs, "/mnt/sub").unwrap()), Err(Error::InvalidArgument));
}

#[test]
fn mounts_are_listed_in_mount_order() {
    let (vfs, mock, mnt) = with_mock();
    let tmp = mkdir(&vfs, "/tmp");
    let t = vfs.add_filesystem(Box::new(ramfs().with_name("tmpfs")));
    vfs.mount(tmp, t).unwrap();
    let list: Vec<MountInfo> = vfs.mounts();
    let root = vfs.root();
    assert_eq!(
        list,
        [
            MountInfo { fs: FsId::ROOT, mount_point: root, root, parent: None },
            MountInfo { fs: mock, mount_point: mnt, root: NodeRef::new(mock, 1), parent: Some(FsId::ROOT) },
            MountInfo { fs: t, mount_point: tmp, root: NodeRef::new(t, 1), parent: Some(FsId::ROOT) },
        ]
    );
    let names: Vec<String> = list.iter().map(|m| vfs.fs(m.fs).unwrap().lock().name().to_string()).collect();
    assert_eq!(names, ["ramfs", "mock", "tmpfs"]);
    let paths: Vec<Vec<u8>> = list.iter().map(|m| vfs.path_of(m.root, root).unwrap()).collect();
    assert_eq!(paths, [&b"/"[..], b"/mnt", b"/tmp"]);
}

#[test]
fn mount_points_and_mount_roots_are_busy_for_removal() {
    let (vfs, mock, mnt) = with_mock();
    let plain = mkdir(&vfs, "/plain");
    assert!(vfs.is_mount_point(mnt));
    assert!(vfs.is_mount_point(NodeRef::new(mock, 1)));
    assert!(vfs.is_mount_point(vfs.root()));
    assert!(!vfs.is_mount_point(plain));
    assert!(!vfs.is_mount_point(NodeRef::new(mock, 3)));
    assert!(vfs.is_mount_root(NodeRef::new(mock, 1)));
    assert!(!vfs.is_mount_root(mnt));
}

#[test]
fn a_working_directory_under_a_new_mount_keeps_seeing_the_old_tree() {
    let vfs = new_vfs();
    let a = mkdir(&vfs, "/a");
    let b = mkdir(&vfs, "/a/b");
    file(&vfs, "/a/b/old", b"");
    let over = vfs.add_filesystem(Box::new(ramfs()));
    vfs.mount(a, over).unwrap();
    let over_root = NodeRef::new(over, 1);
    // The cwd /a/b was reached before the mount and stays in the old tree.
    assert!(from(&vfs, b, "old").is_ok());
    assert_eq!(get(&vfs, "/a/b/old"), Err(Error::NotFound));
    // `..` from it reaches the covered /a and steps into the mount on it.
    assert_eq!(from(&vfs, b, ".."), Ok(over_root));
    assert_eq!(from(&vfs, b, "../.."), Ok(vfs.root()));
}

#[test]
fn path_of_walks_back_up_through_mounts() {
    let (vfs, mock, _) = with_mock();
    let root = vfs.root();
    assert_eq!(vfs.path_of(root, root).unwrap(), b"/");
    let usr = mkdir(&vfs, "/usr");
    let local = mkdir(&vfs, "/usr/local");
    assert_eq!(vfs.path_of(local, root).unwrap(), b"/usr/local");
    assert_eq!(vfs.path_of(local, usr).unwrap(), b"/local");
    assert_eq!(vfs.path_of(NodeRef::new(mock, 4), root).unwrap(), b"/mnt/sub/deep");
    assert_eq!(vfs.path_of(NodeRef::new(mock, 4), NodeRef::new(mock, 1)).unwrap(), b"/sub/deep");
    assert_eq!(vfs.path_of(NodeRef::new(mock, 2), root), Err(Error::NotDirectory));
    // An entry's path: the directory's, a slash and the name (the root's
    // entries have one slash, not two).
    assert_eq!(vfs.path_of_entry(local, b"bin", root).unwrap(), b"/usr/local/bin");
    assert_eq!(vfs.path_of_entry(root, b"etc", root).unwrap(), b"/etc");
    assert_eq!(vfs.path_of_entry(NodeRef::new(mock, 4), b"f", root).unwrap(), b"/mnt/sub/deep/f");
    assert_eq!(vfs.path_of_entry(NodeRef::new(mock, 2), b"f", root), Err(Error::NotDirectory));
    // Outside the caller's root: unreachable.
    assert_eq!(vfs.path_of(usr, local), Err(Error::NotFound));
    assert_eq!(vfs.path_of(usr, NodeRef::new(mock, 1)), Err(Error::NotFound));
    // A removed directory has no path.
    let gone = mkdir(&vfs, "/usr/local/gone");
    vfs.retain(gone).unwrap();
    vfs.fs(FsId::ROOT).unwrap().lock().rmdir(local.ino, b"gone", T0).unwrap();
    assert_eq!(vfs.path_of(gone, root), Err(Error::NotFound));
    // Names with odd bytes come back as they are.
    let odd = mkdir(&vfs, "/usr/a b\u{e9}");
    assert_eq!(vfs.path_of(odd, root).unwrap(), "/usr/a b\u{e9}".as_bytes());
}

#[test]
fn path_of_and_resolve_agree() {
    let vfs = new_vfs();
    let root = vfs.root();
    let mut path = String::new();
    for i in 0..20 {
        path.push_str(&format!("/d{i}"));
        let dir = mkdir(&vfs, &path);
        assert_eq!(vfs.path_of(dir, root).unwrap(), path.as_bytes());
        assert_eq!(get(&vfs, &path), Ok(dir));
    }
    symlink(&vfs, "/short", &path[1..]);
    let end = get(&vfs, "/short").unwrap();
    assert_eq!(vfs.path_of(end, root).unwrap(), path.as_bytes());
}

#[test]
fn path_of_refuses_paths_too_long_for_getcwd() {
    let vfs = new_vfs();
    let root = vfs.root();
    let name = "x".repeat(255);
    let mut path = String::new();
    let mut last = root;
    for _ in 0..16 {
        let parent = last;
        let ino = vfs
            .fs(FsId::ROOT)
            .unwrap()
            .lock()
            .create(parent.ino, name.as_bytes(), NewNode::Directory, NodeAttrs::new(0o755, 0, 0), T0)
            .unwrap();
        last = NodeRef::new(FsId::ROOT, ino);
        path.push('/');
        path.push_str(&name);
    }
    assert!(path.len() >= vfs::PATH_MAX);
    assert_eq!(vfs.path_of(last, root), Err(Error::NameTooLong));
    // Reaching it relative to a deeper start still works.
    let fs = vfs.fs(FsId::ROOT).unwrap();
    assert!(fs.lock().metadata(last.ino).unwrap().is_dir());
}

#[test]
fn symlinks_a_file_system_should_not_hold_are_refused() {
    let (vfs, mock, _) = with_mock();
    assert_eq!(get(&vfs, "/mnt/empty"), Err(Error::NotFound));
    assert_eq!(get(&vfs, "/mnt/empty/x"), Err(Error::NotFound));
    assert_eq!(get(&vfs, "/mnt/huge"), Err(Error::NameTooLong));
    let root = vfs.root();
    let link = vfs.resolve(root, root, b"/mnt/empty", false, &root_creds());
    assert_eq!(link, Ok(NodeRef::new(mock, 7)));
}

#[test]
fn unmount_refuses_a_file_system_with_open_nodes() {
    let (vfs, mock, _) = with_mock();
    let hello = get(&vfs, "/mnt/hello").unwrap();
    let _ = vfs.retain(hello);
    let _ = vfs.retain(hello);
    assert!(vfs.has_open_nodes(mock));
    assert_eq!(vfs.unmount(get(&vfs, "/mnt").unwrap()), Err(Error::Busy));
    let _ = vfs.release(hello);
    assert_eq!(vfs.unmount(get(&vfs, "/mnt").unwrap()), Err(Error::Busy));
    let _ = vfs.release(hello);
    assert!(!vfs.has_open_nodes(mock));
    assert_eq!(vfs.unmount(get(&vfs, "/mnt").unwrap()), Ok(mock));
}

#[test]
fn unmount_unless_asks_about_the_file_system_it_would_unmount() {
    let (vfs, mock, mnt) = with_mock();
    let top = vfs.add_filesystem(Box::new(ramfs()));
    vfs.mount(mnt, top).unwrap();
    // The mount point names the topmost mount: that one is asked about.
    let asked = std::cell::Cell::new(None);
    let refuse = |fs| {
        asked.set(Some(fs));
        true
    };
    assert_eq!(vfs.unmount_unless(mnt, refuse), Err(Error::Busy));
    assert_eq!(asked.get(), Some(top));
    assert_eq!(vfs.unmount_unless(mnt, |fs| fs == mock), Ok(top));
    assert_eq!(vfs.unmount_unless(mnt, |fs| fs == mock), Err(Error::Busy));
    assert_eq!(vfs.unmount_unless(mnt, |_| false), Ok(mock));
}

#[test]
fn a_discarded_file_system_is_gone() {
    let (vfs, mock, mnt) = with_mock();
    let hello = get(&vfs, "/mnt/hello").unwrap();
    assert_eq!(vfs.discard(mock), Err(Error::Busy), "still mounted");
    assert_eq!(vfs.unmount(mnt), Ok(mock));
    let _ = vfs.retain(hello);
    assert_eq!(vfs.discard(mock), Err(Error::Busy), "a node is open");
    let _ = vfs.release(hello);
    assert_eq!(vfs.discard(mock), Ok(()));
    assert_eq!(vfs.metadata(hello), Err(Error::NotFound));
    assert_eq!(vfs.fs(mock).unwrap().lock().name(), "detached");
    assert_eq!(vfs.discard(FsId::ROOT), Err(Error::InvalidArgument));
    assert_eq!(get(&vfs, "/mnt/hidden").map(|_| ()), Ok(()), "the covered directory shows again");
}
