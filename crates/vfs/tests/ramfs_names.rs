//! A ramfs directory knows its own name (`known_name`), which `path_of`
//! uses instead of searching the parent: the name must follow renames and
//! be gone once the directory is removed.

mod common;

use common::{ramfs, T0};
use vfs::{FileSystem, NewNode, NodeAttrs};

fn mkdir(fs: &mut impl FileSystem, dir: u64, name: &[u8]) -> u64 {
    fs.create(dir, name, NewNode::Directory, NodeAttrs::new(0o755, 0, 0), T0).unwrap()
}

#[test]
fn a_directory_knows_its_name_through_renames_and_forgets_it_when_removed() {
    let mut fs = ramfs();
    let root = fs.root();
    let a = mkdir(&mut fs, root, b"a");
    let b = mkdir(&mut fs, root, b"b");
    let c = mkdir(&mut fs, a, b"c");
    assert_eq!(fs.known_name(root, a).as_deref(), Some(&b"a"[..]));
    assert_eq!(fs.known_name(a, c).as_deref(), Some(&b"c"[..]));
    // Asked about the wrong parent, it does not answer.
    assert_eq!(fs.known_name(b, c), None);
    // Renamed within its parent, and moved to another.
    fs.rename(a, b"c", a, b"c2", T0).unwrap();
    assert_eq!(fs.known_name(a, c).as_deref(), Some(&b"c2"[..]));
    fs.rename(a, b"c2", b, b"c3", T0).unwrap();
    assert_eq!(fs.known_name(a, c), None);
    assert_eq!(fs.known_name(b, c).as_deref(), Some(&b"c3"[..]));
    // Replacing an empty directory of the same name.
    let d = mkdir(&mut fs, root, b"d");
    fs.rename(b, b"c3", root, b"d", T0).unwrap();
    assert_eq!(fs.known_name(root, c).as_deref(), Some(&b"d"[..]));
    assert_eq!(fs.known_name(root, d), None);
    // Removed: no name, so path_of reports it gone.
    fs.rmdir(root, b"d", T0).unwrap();
    assert_eq!(fs.known_name(root, c), None);
    // A file has no name of its own (it may have many).
    let f = fs.create(a, b"f", NewNode::File, NodeAttrs::new(0o644, 0, 0), T0).unwrap();
    assert_eq!(fs.known_name(a, f), None);
    fs.check_consistency().unwrap();
}
