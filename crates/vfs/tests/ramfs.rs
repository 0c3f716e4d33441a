//! ramfs operations, called directly through the `FileSystem` trait.

mod common;

use common::{at, list_from, ramfs, read_all, T0};
use vfs::{
    DeviceNumber, Error, FileSystem, FileType, Ino, MetadataChange, NewNode, NodeAttrs, Ramfs, RamfsLimits, Timestamp,
    NAME_MAX,
};

const A: NodeAttrs = NodeAttrs { mode: 0o644, uid: 5, gid: 6 };

fn mk(fs: &mut Ramfs, dir: Ino, name: &str, node: NewNode<'_>) -> Ino {
    fs.create(dir, name.as_bytes(), node, A, T0).unwrap()
}

fn nlink(fs: &Ramfs, ino: Ino) -> u32 {
    fs.metadata(ino).unwrap().nlink
}

fn ok(fs: &Ramfs) {
    fs.check_consistency().unwrap();
}

#[test]
fn creates_each_kind_of_node() {
    let mut fs = ramfs();
    let root = fs.root();
    let f = mk(&mut fs, root, "f", NewNode::File);
    let d = mk(&mut fs, root, "d", NewNode::Directory);
    let l = mk(&mut fs, root, "l", NewNode::Symlink(b"f"));
    let c = mk(&mut fs, root, "c", NewNode::Device { char: true, major: 4, minor: 64 });
    let b = mk(&mut fs, root, "b", NewNode::Device { char: false, major: 8, minor: 1 });
    let p = mk(&mut fs, root, "p", NewNode::Fifo);
    let s = mk(&mut fs, root, "s", NewNode::Socket);
    let kinds = [
        (f, FileType::Regular),
        (d, FileType::Directory),
        (l, FileType::Symlink),
        (c, FileType::CharDevice),
        (b, FileType::BlockDevice),
        (p, FileType::Fifo),
        (s, FileType::Socket),
    ];
    for (ino, kind) in kinds {
        let meta = fs.metadata(ino).unwrap();
        assert_eq!(meta.file_type, kind);
        assert_eq!(meta.ino, ino);
        assert_eq!((meta.uid, meta.gid, meta.mode), (5, 6, 0o644));
        assert_eq!(fs.lookup(root, name_of(&fs, root, ino).as_slice()).unwrap(), ino);
    }
    assert_eq!(fs.metadata(c).unwrap().rdev, DeviceNumber { major: 4, minor: 64 });
    assert_eq!(fs.metadata(l).unwrap().size, 1);
    assert_eq!(fs.readlink(l).unwrap(), b"f");
    assert_eq!(fs.readlink(f), Err(Error::InvalidArgument));
    assert_eq!(nlink(&fs, d), 2);
    assert_eq!(nlink(&fs, root), 3);
    assert_eq!(fs.lookup(d, b"..").unwrap(), root);
    assert_eq!(fs.lookup(d, b".").unwrap(), d);
    assert_eq!(fs.lookup(root, b"..").unwrap(), root);
    assert_eq!(fs.lookup(f, b"x"), Err(Error::NotDirectory));
    ok(&fs);
}

fn name_of(fs: &Ramfs, dir: Ino, ino: Ino) -> Vec<u8> {
    list_from(fs, dir, 2).into_iter().find(|e| e.1 == ino).unwrap().0
}

#[test]
fn create_refuses_bad_and_taken_names() {
    let mut fs = ramfs();
    let root = fs.root();
    let f = mk(&mut fs, root, "f", NewNode::File);
    let create = |fs: &mut Ramfs, dir, name: &[u8], node| fs.create(dir, name, node, A, T0);
    assert_eq!(create(&mut fs, root, b"f", NewNode::Directory), Err(Error::Exists));
    assert_eq!(create(&mut fs, root, b".", NewNode::Directory), Err(Error::Exists));
    assert_eq!(create(&mut fs, root, b"..", NewNode::File), Err(Error::Exists));
    assert_eq!(create(&mut fs, root, b"", NewNode::File), Err(Error::InvalidArgument));
    assert_eq!(create(&mut fs, root, b"a/b", NewNode::File), Err(Error::InvalidArgument));
    assert_eq!(create(&mut fs, root, b"a\0b", NewNode::File), Err(Error::InvalidArgument));
    assert_eq!(create(&mut fs, f, b"x", NewNode::File), Err(Error::NotDirectory));
    assert_eq!(create(&mut fs, 999, b"x", NewNode::File), Err(Error::NotFound));
    let long = vec![b'n'; NAME_MAX + 1];
    assert_eq!(create(&mut fs, root, &long, NewNode::File), Err(Error::NameTooLong));
    assert!(create(&mut fs, root, &long[..NAME_MAX], NewNode::File).is_ok());
    assert_eq!(create(&mut fs, root, b"l", NewNode::Symlink(b"")), Err(Error::NotFound));
    let huge = vec![b'x'; vfs::PATH_MAX];
    assert_eq!(create(&mut fs, root, b"l", NewNode::Symlink(&huge)), Err(Error::NameTooLong));
    assert!(create(&mut fs, root, b"l", NewNode::Symlink(&huge[1..])).is_ok());
    ok(&fs);
}

#[test]
fn directory_link_counts_follow_subdirectories() {
    let mut fs = ramfs();
    let root = fs.root();
    let a = mk(&mut fs, root, "a", NewNode::Directory);
    let b = mk(&mut fs, a, "b", NewNode::Directory);
    mk(&mut fs, a, "c", NewNode::Directory);
    mk(&mut fs, a, "f", NewNode::File);
    assert_eq!(nlink(&fs, a), 4);
    assert_eq!(nlink(&fs, root), 3);
    fs.rmdir(a, b"c", T0).unwrap();
    assert_eq!(nlink(&fs, a), 3);
    fs.rename(a, b"b", root, b"b", T0).unwrap();
    assert_eq!(nlink(&fs, a), 2);
    assert_eq!(nlink(&fs, root), 4);
    assert_eq!(fs.lookup(b, b"..").unwrap(), root);
    ok(&fs);
}

#[test]
fn hard_links_share_the_node_and_count_names() {
    let mut fs = ramfs();
    let root = fs.root();
    let d = mk(&mut fs, root, "d", NewNode::Directory);
    let f = mk(&mut fs, root, "f", NewNode::File);
    fs.write(f, 0, b"shared", T0).unwrap();
    fs.link(d, b"g", f, T0).unwrap();
    fs.link(root, b"h", f, T0).unwrap();
    assert_eq!(nlink(&fs, f), 3);
    assert_eq!(fs.lookup(d, b"g").unwrap(), f);
    assert_eq!(fs.link(root, b"h", f, T0), Err(Error::Exists));
    assert_eq!(fs.link(root, b"dd", d, T0), Err(Error::NotPermitted));
    fs.unlink(root, b"f", T0).unwrap();
    fs.unlink(root, b"h", T0).unwrap();
    assert_eq!(nlink(&fs, f), 1);
    assert_eq!(read_all(&fs, f), b"shared");
    fs.unlink(d, b"g", T0).unwrap();
    assert_eq!(fs.metadata(f), Err(Error::NotFound));
    assert_eq!(fs.link(root, b"again", f, T0), Err(Error::NotFound));
    ok(&fs);
}

#[test]
fn unlink_and_rmdir_check_the_kind() {
    let mut fs = ramfs();
    let root = fs.root();
    let d = mk(&mut fs, root, "d", NewNode::Directory);
    mk(&mut fs, d, "x", NewNode::File);
    mk(&mut fs, root, "f", NewNode::File);
    assert_eq!(fs.unlink(root, b"d", T0), Err(Error::IsDirectory));
    assert_eq!(fs.rmdir(root, b"f", T0), Err(Error::NotDirectory));
    assert_eq!(fs.rmdir(root, b"d", T0), Err(Error::NotEmpty));
    assert_eq!(fs.unlink(root, b"nope", T0), Err(Error::NotFound));
    assert_eq!(fs.rmdir(root, b".", T0), Err(Error::InvalidArgument));
    assert_eq!(fs.unlink(root, b"..", T0), Err(Error::InvalidArgument));
    fs.unlink(d, b"x", T0).unwrap();
    fs.rmdir(root, b"d", T0).unwrap();
    assert_eq!(fs.lookup(root, b"d"), Err(Error::NotFound));
    assert_eq!(fs.metadata(d), Err(Error::NotFound));
    assert_eq!(nlink(&fs, root), 2);
    ok(&fs);
}

#[test]
fn unlinked_open_file_stays_readable_until_released() {
    let mut fs = ramfs();
    let root = fs.root();
    let f = mk(&mut fs, root, "f", NewNode::File);
    fs.write(f, 0, &[7; 10_000], T0).unwrap();
    let before = fs.inode_count();
    fs.retain(f).unwrap();
    fs.retain(f).unwrap();
    fs.unlink(root, b"f", T0).unwrap();
    assert_eq!(fs.lookup(root, b"f"), Err(Error::NotFound));
    assert_eq!(nlink(&fs, f), 0);
    assert_eq!(read_all(&fs, f), vec![7; 10_000]);
    fs.write(f, 10_000, b"more", T0).unwrap();
    ok(&fs);
    fs.release(f).unwrap();
    assert_eq!(fs.metadata(f).unwrap().size, 10_004);
    fs.release(f).unwrap();
    assert_eq!(fs.metadata(f), Err(Error::NotFound));
    assert_eq!(fs.inode_count(), before - 1);
    assert_eq!(fs.bytes_used(), 0);
    assert_eq!(fs.release(f), Err(Error::NotFound));
    ok(&fs);
}

#[test]
fn release_without_retain_is_refused() {
    let mut fs = ramfs();
    let root = fs.root();
    let f = mk(&mut fs, root, "f", NewNode::File);
    assert_eq!(fs.release(f), Err(Error::InvalidArgument));
    fs.retain(f).unwrap();
    assert_eq!(fs.open_count(f).unwrap(), 1);
    fs.release(f).unwrap();
    assert_eq!(nlink(&fs, f), 1, "an open count never frees a named node");
}

#[test]
fn removed_open_directory_is_empty_and_closed_to_new_names() {
    let mut fs = ramfs();
    let root = fs.root();
    let d = mk(&mut fs, root, "d", NewNode::Directory);
    fs.retain(d).unwrap();
    fs.rmdir(root, b"d", T0).unwrap();
    assert_eq!(nlink(&fs, d), 0);
    assert_eq!(fs.lookup(d, b"x"), Err(Error::NotFound));
    assert_eq!(fs.lookup(d, b"..").unwrap(), root);
    assert_eq!(fs.create(d, b"x", NewNode::File, A, T0), Err(Error::NotFound));
    assert_eq!(fs.read_dir(d, 0, &mut |_| true), Err(Error::NotFound));
    ok(&fs);
    fs.release(d).unwrap();
    assert_eq!(fs.metadata(d), Err(Error::NotFound));
    ok(&fs);
}

#[test]
fn rename_over_an_existing_file_replaces_it() {
    let mut fs = ramfs();
    let root = fs.root();
    let a = mk(&mut fs, root, "a", NewNode::File);
    let b = mk(&mut fs, root, "b", NewNode::File);
    fs.write(a, 0, b"A", T0).unwrap();
    fs.write(b, 0, b"B", T0).unwrap();
    fs.retain(b).unwrap();
    fs.rename(root, b"a", root, b"b", at(2000)).unwrap();
    assert_eq!(fs.lookup(root, b"a"), Err(Error::NotFound));
    assert_eq!(fs.lookup(root, b"b").unwrap(), a);
    assert_eq!(nlink(&fs, b), 0);
    assert_eq!(read_all(&fs, b), b"B", "the replaced file is still open");
    assert_eq!(fs.metadata(a).unwrap().ctime, at(2000));
    fs.release(b).unwrap();
    assert_eq!(fs.metadata(b), Err(Error::NotFound));
    ok(&fs);
}

#[test]
fn rename_type_rules() {
    let mut fs = ramfs();
    let root = fs.root();
    let d = mk(&mut fs, root, "d", NewNode::Directory);
    let full = mk(&mut fs, root, "full", NewNode::Directory);
    mk(&mut fs, full, "x", NewNode::File);
    let empty = mk(&mut fs, root, "empty", NewNode::Directory);
    mk(&mut fs, root, "f", NewNode::File);
    assert_eq!(fs.rename(root, b"d", root, b"full", T0), Err(Error::NotEmpty));
    assert_eq!(fs.rename(root, b"d", root, b"f", T0), Err(Error::NotDirectory));
    assert_eq!(fs.rename(root, b"f", root, b"d", T0), Err(Error::IsDirectory));
    assert_eq!(fs.rename(root, b"nope", root, b"z", T0), Err(Error::NotFound));
    assert_eq!(fs.rename(root, b"f", root, b".", T0), Err(Error::InvalidArgument));
    assert_eq!(fs.rename(root, b"f", d, b"..", T0), Err(Error::InvalidArgument));
    assert_eq!(nlink(&fs, root), 5);
    fs.rename(root, b"d", root, b"empty", T0).unwrap();
    assert_eq!(fs.lookup(root, b"empty").unwrap(), d);
    assert_eq!(fs.metadata(empty), Err(Error::NotFound));
    assert_eq!(nlink(&fs, root), 4);
    ok(&fs);
}

#[test]
fn rename_to_itself_or_another_name_of_the_same_node_does_nothing() {
    let mut fs = ramfs();
    let root = fs.root();
    let f = mk(&mut fs, root, "f", NewNode::File);
    fs.link(root, b"g", f, T0).unwrap();
    let before = fs.metadata(root).unwrap();
    fs.rename(root, b"f", root, b"f", at(5000)).unwrap();
    fs.rename(root, b"f", root, b"g", at(5000)).unwrap();
    assert_eq!(fs.lookup(root, b"f").unwrap(), f);
    assert_eq!(fs.lookup(root, b"g").unwrap(), f);
    assert_eq!(nlink(&fs, f), 2);
    assert_eq!(fs.metadata(root).unwrap(), before);
    let d = mk(&mut fs, root, "d", NewNode::Directory);
    fs.rename(root, b"d", root, b"d", T0).unwrap();
    assert_eq!(fs.lookup(root, b"d").unwrap(), d);
    ok(&fs);
}

#[test]
fn rename_of_a_directory_into_its_own_subtree_is_invalid() {
    let mut fs = ramfs();
    let root = fs.root();
    let a = mk(&mut fs, root, "a", NewNode::Directory);
    let b = mk(&mut fs, a, "b", NewNode::Directory);
    let c = mk(&mut fs, b, "c", NewNode::Directory);
    assert_eq!(fs.rename(root, b"a", c, b"a", T0), Err(Error::InvalidArgument));
    assert_eq!(fs.rename(root, b"a", a, b"x", T0), Err(Error::InvalidArgument));
    assert_eq!(fs.rename(a, b"b", b, b"b2", T0), Err(Error::InvalidArgument));
    // Onto an ancestor: the ancestor holds the source, so it is not empty.
    assert_eq!(fs.rename(b, b"c", root, b"a", T0), Err(Error::NotEmpty));
    // Moving down a level beside itself is fine.
    fs.rename(a, b"b", root, b"b", T0).unwrap();
    fs.rename(root, b"a", b, b"a", T0).unwrap();
    assert_eq!(fs.lookup(b, b"a").unwrap(), a);
    assert_eq!(fs.lookup(a, b"..").unwrap(), b);
    ok(&fs);
}

#[test]
fn rename_across_directories_moves_link_counts_and_times() {
    let mut fs = ramfs();
    let root = fs.root();
    let x = mk(&mut fs, root, "x", NewNode::Directory);
    let y = mk(&mut fs, root, "y", NewNode::Directory);
    let d = mk(&mut fs, x, "d", NewNode::Directory);
    let f = mk(&mut fs, x, "f", NewNode::File);
    fs.rename(x, b"d", y, b"d2", at(3000)).unwrap();
    fs.rename(x, b"f", y, b"f2", at(3000)).unwrap();
    assert_eq!((nlink(&fs, x), nlink(&fs, y)), (2, 3));
    assert_eq!(fs.lookup(d, b"..").unwrap(), y);
    assert_eq!(nlink(&fs, f), 1);
    for ino in [x, y, d, f] {
        assert_eq!(fs.metadata(ino).unwrap().ctime, at(3000));
    }
    assert_eq!(fs.metadata(x).unwrap().mtime, at(3000));
    assert_eq!(fs.metadata(d).unwrap().mtime, T0);
    ok(&fs);
}

#[test]
fn read_dir_lists_dots_first_then_entries_in_creation_order() {
    let mut fs = ramfs();
    let root = fs.root();
    let d = mk(&mut fs, root, "d", NewNode::Directory);
    for name in ["zeta", "alpha", "mid"] {
        mk(&mut fs, d, name, NewNode::File);
    }
    let listing = list_from(&fs, d, 0);
    let names: Vec<&[u8]> = listing.iter().map(|e| e.0.as_slice()).collect();
    assert_eq!(names, [&b"."[..], b"..", b"zeta", b"alpha", b"mid"]);
    assert_eq!(listing[0].1, d);
    assert_eq!(listing[1].1, root);
    // Resuming from each cookie gives the rest.
    for (i, entry) in listing.iter().enumerate() {
        assert_eq!(list_from(&fs, d, entry.2), listing[i + 1..].to_vec());
    }
    let mut kinds = Vec::new();
    fs.read_dir(root, 0, &mut |e| {
        kinds.push(e.file_type);
        true
    })
    .unwrap();
    assert_eq!(kinds, [FileType::Directory; 3]);
}

#[test]
fn read_dir_stops_without_consuming_a_refused_entry() {
    let mut fs = ramfs();
    let root = fs.root();
    for name in ["a", "b", "c"] {
        mk(&mut fs, root, name, NewNode::File);
    }
    // Take two entries at a time, as a small getdents buffer would.
    let mut cookie = 0;
    let mut seen = Vec::new();
    loop {
        let mut taken = 0;
        fs.read_dir(root, cookie, &mut |e| {
            if taken == 2 {
                return false;
            }
            taken += 1;
            seen.push(e.name.to_vec());
            cookie = e.next_cookie;
            true
        })
        .unwrap();
        if taken == 0 {
            break;
        }
    }
    assert_eq!(seen, [&b"."[..], b"..", b"a", b"b", b"c"]);
}

#[test]
fn read_dir_cookies_survive_removals_during_a_listing() {
    let mut fs = ramfs();
    let root = fs.root();
    let names: Vec<String> = (0..20).map(|i| format!("e{i:02}")).collect();
    for name in &names {
        mk(&mut fs, root, name, NewNode::File);
    }
    let first = list_from(&fs, root, 0);
    let cookie = first[7].2; // after ".", "..", e00..e04
                             // Remove the entry just listed, one ahead, and some already listed.
    for name in ["e04", "e05", "e00", "e10"] {
        fs.unlink(root, name.as_bytes(), T0).unwrap();
    }
    mk(&mut fs, root, "late", NewNode::File);
    let rest: Vec<Vec<u8>> = list_from(&fs, root, cookie).into_iter().map(|e| e.0).collect();
    let mut expected: Vec<Vec<u8>> = names[6..].iter().filter(|n| *n != "e10").map(|n| n.as_bytes().to_vec()).collect();
    expected.push(b"late".to_vec());
    assert_eq!(rest, expected);
    // A cookie of a removed entry still resumes after it.
    let removed_cookie = first[6].2; // after e04, which is gone
    assert_eq!(list_from(&fs, root, removed_cookie).first().unwrap().0, b"e06");
    // A cookie past the end lists nothing.
    assert!(list_from(&fs, root, u64::MAX).is_empty());
}

#[test]
fn sparse_writes_cost_only_the_pages_written() {
    let mut fs = ramfs();
    let root = fs.root();
    let f = mk(&mut fs, root, "f", NewNode::File);
    let far = 1 << 30;
    assert_eq!(fs.write(f, far, b"end", T0).unwrap(), 3);
    let meta = fs.metadata(f).unwrap();
    assert_eq!(meta.size, far + 3);
    assert_eq!(meta.blocks, 8, "one 4 KiB page in 512-byte blocks");
    assert_eq!(fs.bytes_used(), 4096);
    let mut buf = [1u8; 16];
    assert_eq!(fs.read(f, 5000, &mut buf).unwrap(), 16);
    assert_eq!(buf, [0; 16]);
    let mut tail = [0u8; 8];
    assert_eq!(fs.read(f, far - 2, &mut tail).unwrap(), 5);
    assert_eq!(&tail[..5], b"\0\0end");
    assert_eq!(fs.read(f, far + 3, &mut tail).unwrap(), 0);
    assert_eq!(fs.read(f, u64::MAX, &mut tail).unwrap(), 0);
    // A write straddling a page boundary.
    let data: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    fs.write(f, 4000, &data, T0).unwrap();
    let mut back = vec![0; 5000];
    assert_eq!(fs.read(f, 4000, &mut back).unwrap(), 5000);
    assert_eq!(back, data);
    assert_eq!(fs.metadata(f).unwrap().blocks, 8 * 4);
    ok(&fs);
}

#[test]
fn truncate_down_drops_data_and_up_adds_zeros() {
    let mut fs = ramfs();
    let root = fs.root();
    let f = mk(&mut fs, root, "f", NewNode::File);
    fs.write(f, 0, &[0xaa; 10_000], T0).unwrap();
    assert_eq!(fs.metadata(f).unwrap().blocks, 24);
    fs.truncate(f, 5000, at(2000)).unwrap();
    let meta = fs.metadata(f).unwrap();
    assert_eq!((meta.size, meta.blocks, meta.mtime, meta.ctime), (5000, 16, at(2000), at(2000)));
    ok(&fs);
    fs.truncate(f, 9000, T0).unwrap();
    let data = read_all(&fs, f);
    assert_eq!(&data[..5000], &[0xaa; 5000][..]);
    assert_eq!(&data[5000..], &[0; 4000][..], "the old bytes past 5000 are gone");
    fs.truncate(f, 0, T0).unwrap();
    assert_eq!(fs.metadata(f).unwrap().blocks, 0);
    assert_eq!(fs.bytes_used(), 0);
    // Writing past the end after shrinking shows zeros in between.
    fs.write(f, 0, &[1; 100], T0).unwrap();
    fs.truncate(f, 10, T0).unwrap();
    fs.write(f, 50, &[2], T0).unwrap();
    let data = read_all(&fs, f);
    assert_eq!(data.len(), 51);
    assert!(data[10..50].iter().all(|&b| b == 0));
    ok(&fs);
}

#[test]
fn data_operations_check_the_node_kind() {
    let mut fs = ramfs();
    let root = fs.root();
    let l = mk(&mut fs, root, "l", NewNode::Symlink(b"x"));
    let c = mk(&mut fs, root, "c", NewNode::Device { char: true, major: 1, minor: 3 });
    let mut buf = [0; 4];
    assert_eq!(fs.read(root, 0, &mut buf), Err(Error::IsDirectory));
    assert_eq!(fs.write(root, 0, b"x", T0), Err(Error::IsDirectory));
    assert_eq!(fs.truncate(root, 0, T0), Err(Error::IsDirectory));
    assert_eq!(fs.read(c, 0, &mut buf), Err(Error::BadFileType));
    assert_eq!(fs.write(l, 0, b"x", T0), Err(Error::BadFileType));
    assert_eq!(fs.truncate(l, 0, T0), Err(Error::InvalidArgument));
    assert_eq!(fs.read(999, 0, &mut buf), Err(Error::NotFound));
}

#[test]
fn sizes_beyond_the_largest_offset_are_refused() {
    let mut fs = ramfs();
    let root = fs.root();
    let f = mk(&mut fs, root, "f", NewNode::File);
    let max = vfs::ramfs::MAX_FILE_SIZE;
    assert_eq!(fs.write(f, max, b"x", T0), Err(Error::FileTooBig));
    assert_eq!(fs.write(f, max - 2, b"xyz", T0), Ok(2));
    assert_eq!(fs.metadata(f).unwrap().size, max);
    assert_eq!(fs.truncate(f, max + 1, T0), Err(Error::FileTooBig));
    assert_eq!(fs.write(f, 0, b"", T0), Ok(0));
    ok(&fs);
}

#[test]
fn timestamps_follow_posix() {
    let mut fs = ramfs();
    let root = fs.root();
    let t = |fs: &Ramfs, ino| {
        let m = fs.metadata(ino).unwrap();
        (m.atime.secs, m.mtime.secs, m.ctime.secs)
    };
    let f = fs.create(root, b"f", NewNode::File, A, at(10)).unwrap();
    assert_eq!(t(&fs, f), (10, 10, 10));
    assert_eq!(t(&fs, root), (1000, 10, 10), "create changes the parent");
    fs.write(f, 0, b"data", at(20)).unwrap();
    assert_eq!(t(&fs, f), (10, 20, 20));
    let mut buf = [0; 4];
    fs.read(f, 0, &mut buf).unwrap();
    assert_eq!(t(&fs, f), (10, 20, 20), "reads do not touch atime");
    fs.write(f, 0, b"", at(25)).unwrap();
    assert_eq!(t(&fs, f), (10, 20, 20), "empty writes change nothing");
    let d = fs.create(root, b"d", NewNode::Directory, A, at(30)).unwrap();
    fs.link(d, b"g", f, at(40)).unwrap();
    assert_eq!(t(&fs, f), (10, 20, 40), "link changes the target's ctime");
    assert_eq!(t(&fs, d), (30, 40, 40));
    fs.unlink(d, b"g", at(50)).unwrap();
    assert_eq!(t(&fs, f), (10, 20, 50));
    assert_eq!(t(&fs, d), (30, 50, 50));
    fs.set_metadata(f, MetadataChange { mode: Some(0o600), ..Default::default() }, at(60)).unwrap();
    assert_eq!(t(&fs, f), (10, 20, 60));
    assert_eq!(fs.metadata(f).unwrap().mode, 0o600);
    let change = MetadataChange {
        atime: Some(Timestamp::new(1, 5)),
        mtime: Some(Timestamp::new(-2, 7)),
        uid: Some(9),
        gid: Some(8),
        ..Default::default()
    };
    fs.set_metadata(f, change, at(70)).unwrap();
    let m = fs.metadata(f).unwrap();
    assert_eq!((m.atime, m.mtime, m.ctime, m.uid, m.gid), (Timestamp::new(1, 5), Timestamp::new(-2, 7), at(70), 9, 8));
    fs.truncate(f, 2, at(80)).unwrap();
    assert_eq!(t(&fs, f), (1, 80, 80));
    fs.rmdir(root, b"d", at(90)).unwrap();
    assert_eq!(t(&fs, root), (1000, 90, 90));
    let m = fs.metadata(f).unwrap();
    fs.set_metadata(f, MetadataChange { mode: Some(0o107777), ..Default::default() }, at(95)).unwrap();
    assert_eq!(fs.metadata(f).unwrap().mode, 0o7777, "only permission bits are stored");
    assert_eq!(m.nlink, 1);
}

#[test]
fn byte_limit_gives_no_space_and_short_writes() {
    let limits = RamfsLimits { max_bytes: Some(3 * 4096), max_inodes: None };
    let mut fs = Ramfs::with_limits(A, T0, limits);
    let root = fs.root();
    let f = mk(&mut fs, root, "f", NewNode::File);
    assert_eq!(fs.write(f, 0, &[1; 5 * 4096], T0), Ok(3 * 4096));
    assert_eq!(fs.write(f, 3 * 4096, b"x", T0), Err(Error::NoSpace));
    assert_eq!(fs.write(f, 100, b"overwrite fits", T0), Ok(14));
    assert_eq!(fs.create(root, b"l", NewNode::Symlink(b"target"), A, T0), Err(Error::NoSpace));
    let stats = fs.statfs();
    assert_eq!((stats.block_size, stats.total_blocks, stats.free_blocks), (4096, 3, 0));
    fs.truncate(f, 4096, T0).unwrap();
    assert_eq!(fs.statfs().free_blocks, 2);
    fs.create(root, b"l", NewNode::Symlink(b"target"), A, T0).unwrap();
    assert_eq!(fs.bytes_used(), 4096 + 6);
    fs.unlink(root, b"l", T0).unwrap();
    fs.unlink(root, b"f", T0).unwrap();
    assert_eq!(fs.bytes_used(), 0);
    ok(&fs);
}

#[test]
fn inode_limit_gives_no_space() {
    let limits = RamfsLimits { max_bytes: None, max_inodes: Some(3) };
    let mut fs = Ramfs::with_limits(A, T0, limits);
    let root = fs.root();
    mk(&mut fs, root, "a", NewNode::File);
    mk(&mut fs, root, "b", NewNode::Directory);
    assert_eq!(fs.create(root, b"c", NewNode::Fifo, A, T0), Err(Error::NoSpace));
    assert_eq!(fs.statfs().free_inodes, 0);
    fs.unlink(root, b"a", T0).unwrap();
    assert_eq!(fs.statfs().free_inodes, 1);
    mk(&mut fs, root, "c", NewNode::Fifo);
    ok(&fs);
}

#[test]
fn reports_its_name_and_limits() {
    let fs = ramfs().with_name("tmpfs");
    assert_eq!(fs.name(), "tmpfs");
    let stats = fs.statfs();
    assert_eq!((stats.name_max, stats.total_blocks), (255, 0));
    let meta = fs.metadata(fs.root()).unwrap();
    assert_eq!((meta.mode, meta.nlink, meta.blksize), (0o755, 2, 4096));
}

#[test]
fn timestamps_normalise_nanoseconds() {
    assert_eq!(Timestamp::new(1, 2_500_000_000), Timestamp { secs: 3, nanos: 500_000_000 });
    assert_eq!(Timestamp::new(i64::MAX, 1_000_000_000).secs, i64::MAX);
    assert!(Timestamp::new(-1, 0) < Timestamp::EPOCH);
}

#[test]
fn extended_attributes_are_stored_charged_and_freed() {
    use vfs::XattrSet;
    let limits = RamfsLimits { max_bytes: Some(100), max_inodes: None };
    let mut fs = Ramfs::with_limits(A, T0, limits);
    let root = fs.root();
    let f = mk(&mut fs, root, "f", NewNode::File);
    assert_eq!(fs.get_xattr(f, b"user.a"), Err(Error::NoAttribute));
    assert_eq!(fs.list_xattr(f), Ok(vec![]));
    let t1 = Timestamp { secs: 5, nanos: 0 };
    fs.set_xattr(f, b"user.a", b"one", XattrSet::Any, t1).unwrap();
    assert_eq!(fs.metadata(f).unwrap().ctime, t1, "a set is a status change");
    assert_eq!(fs.set_xattr(f, b"user.a", b"x", XattrSet::Create, T0), Err(Error::Exists));
    assert_eq!(fs.set_xattr(f, b"user.b", b"x", XattrSet::Replace, T0), Err(Error::NoAttribute));
    fs.set_xattr(f, b"user.b", b"", XattrSet::Create, T0).unwrap();
    fs.set_xattr(f, b"user.a", b"three", XattrSet::Replace, T0).unwrap();
    assert_eq!(fs.get_xattr(f, b"user.a").unwrap(), b"three");
    assert_eq!(fs.get_xattr(f, b"user.b").unwrap(), b"");
    assert_eq!(fs.list_xattr(f).unwrap(), vec![b"user.a".to_vec(), b"user.b".to_vec()], "in the order first set");
    ok(&fs);
    // The byte budget covers names and values.
    assert_eq!(fs.set_xattr(f, b"user.big", &[0u8; 100], XattrSet::Any, T0), Err(Error::NoSpace));
    assert_eq!(fs.remove_xattr(f, b"user.none", T0), Err(Error::NoAttribute));
    fs.remove_xattr(f, b"user.a", T0).unwrap();
    assert_eq!(fs.list_xattr(f).unwrap(), vec![b"user.b".to_vec()]);
    ok(&fs);
    // Freeing the node gives its attributes' bytes back.
    fs.unlink(root, b"f", T0).unwrap();
    ok(&fs);
    assert_eq!(fs.bytes_used(), 0);
}
