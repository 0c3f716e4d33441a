//! Property tests: random namespace operations against a simple model tree,
//! random paths that must never panic, file data against a plain vector,
//! and directory listings under concurrent removals.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::Vfs;
use common::{new_vfs, root_creds, user, T0};
use proptest::prelude::*;
use vfs::{
    CreateLookup, Error, FileSystem, FileType, FsId, LastComponent, NewNode, NodeAttrs, NodeRef, Ramfs, RamfsLimits,
    MAX_SYMLINKS,
};

// ---------------------------------------------------------------------------
// The model: a tree of names. Files and symlinks carry an identity so that
// hard links can be told apart from copies.

#[derive(Clone, Debug)]
enum M {
    File(u32),
    Link(u32, String),
    Dir(BTreeMap<String, M>),
}

type Canon = Vec<String>;

struct Model {
    root: M,
    next_id: u32,
}

impl Model {
    fn get(&self, path: &[String]) -> Option<&M> {
        let mut node = &self.root;
        for name in path {
            match node {
                M::Dir(entries) => node = entries.get(name)?,
                _ => return None,
            }
        }
        Some(node)
    }

    fn dir_mut(&mut self, path: &[String]) -> &mut BTreeMap<String, M> {
        let mut node = &mut self.root;
        for name in path {
            match node {
                M::Dir(entries) => node = entries.get_mut(name).unwrap(),
                _ => unreachable!(),
            }
        }
        match node {
            M::Dir(entries) => entries,
            _ => unreachable!(),
        }
    }

    fn is_dir(&self, path: &[String]) -> bool {
        matches!(self.get(path), Some(M::Dir(_)))
    }

    /// Path resolution written the recursive way: a followed symlink's
    /// target is resolved on its own, from the link's directory.
    fn resolve(&self, start: &Canon, path: &str, follow_last: bool, links: &mut u32) -> Result<Canon, Error> {
        if path.is_empty() {
            return Err(Error::NotFound);
        }
        let comps: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
        let trailing = path.ends_with('/');
        let mut cur: Canon = if path.starts_with('/') { Vec::new() } else { start.clone() };
        if !self.is_dir(&cur) {
            return Err(Error::NotDirectory);
        }
        for (i, comp) in comps.iter().enumerate() {
            let last = i + 1 == comps.len();
            let mut next = cur.clone();
            match *comp {
                "." => {}
                ".." => {
                    next.pop();
                }
                name => {
                    next.push(name.to_string());
                    if self.get(&next).is_none() {
                        return Err(Error::NotFound);
                    }
                }
            }
            if let Some(M::Link(_, target)) = self.get(&next) {
                if !last || trailing || follow_last {
                    *links += 1;
                    if *links > MAX_SYMLINKS {
                        return Err(Error::Loop);
                    }
                    next = self.resolve(&cur, target, true, links)?;
                } else {
                    return Ok(next);
                }
            }
            let is_dir = self.is_dir(&next);
            if last {
                if trailing && !is_dir {
                    return Err(Error::NotDirectory);
                }
                return Ok(next);
            }
            if !is_dir {
                return Err(Error::NotDirectory);
            }
            cur = next;
        }
        Ok(cur)
    }

    /// The directory and name of the last component of `path`, which the
    /// generator makes an ordinary name.
    fn parent(&self, path: &str) -> Result<(Canon, String), Error> {
        let (dir_part, name) = path.rsplit_once('/').unwrap();
        let dir = if dir_part.is_empty() {
            Vec::new()
        } else {
            self.resolve(&Vec::new(), &format!("{dir_part}/"), true, &mut 0)?
        };
        Ok((dir, name.to_string()))
    }

    fn identity(node: &M) -> Option<u32> {
        match node {
            M::File(id) | M::Link(id, _) => Some(*id),
            M::Dir(_) => None,
        }
    }

    fn apply(&mut self, op: &Op) -> Result<(), Error> {
        match op {
            Op::Create(path, kind) => {
                let (dir, name) = self.parent(path)?;
                if self.get(&dir).and_then(|d| if let M::Dir(e) = d { e.get(&name) } else { None }).is_some() {
                    return Err(Error::Exists);
                }
                let node = match kind {
                    Kind::File => M::File(self.take_id()),
                    Kind::Dir => M::Dir(BTreeMap::new()),
                    Kind::Symlink(target) => M::Link(self.take_id(), target.clone()),
                };
                self.dir_mut(&dir).insert(name, node);
                Ok(())
            }
            Op::Unlink(path) => {
                let (dir, name) = self.parent(path)?;
                match self.dir_mut(&dir).get(&name) {
                    None => Err(Error::NotFound),
                    Some(M::Dir(_)) => Err(Error::IsDirectory),
                    Some(_) => {
                        self.dir_mut(&dir).remove(&name);
                        Ok(())
                    }
                }
            }
            Op::Rmdir(path) => {
                let (dir, name) = self.parent(path)?;
                match self.dir_mut(&dir).get(&name) {
                    None => Err(Error::NotFound),
                    Some(M::Dir(entries)) if !entries.is_empty() => Err(Error::NotEmpty),
                    Some(M::Dir(_)) => {
                        self.dir_mut(&dir).remove(&name);
                        Ok(())
                    }
                    Some(_) => Err(Error::NotDirectory),
                }
            }
            Op::Link(from, to) => {
                let source = self.resolve(&Vec::new(), from, false, &mut 0)?;
                let (dir, name) = self.parent(to)?;
                if self.dir_mut(&dir).contains_key(&name) {
                    return Err(Error::Exists);
                }
                let node = self.get(&source).unwrap().clone();
                if let M::Dir(_) = node {
                    return Err(Error::NotPermitted);
                }
                self.dir_mut(&dir).insert(name, node);
                Ok(())
            }
            Op::Rename(from, to) => {
                let (from_dir, from_name) = self.parent(from)?;
                let (to_dir, to_name) = self.parent(to)?;
                let moving = self.dir_mut(&from_dir).get(&from_name).cloned().ok_or(Error::NotFound)?;
                let replaced = self.dir_mut(&to_dir).get(&to_name).cloned();
                let mut moving_path = from_dir.clone();
                moving_path.push(from_name.clone());
                let mut replaced_path = to_dir.clone();
                replaced_path.push(to_name.clone());
                if let Some(replaced) = &replaced {
                    let same = moving_path == replaced_path
                        || (Model::identity(&moving).is_some()
                            && Model::identity(&moving) == Model::identity(replaced));
                    if same {
                        return Ok(());
                    }
                }
                let moving_is_dir = matches!(moving, M::Dir(_));
                if moving_is_dir && to_dir.starts_with(&moving_path) {
                    return Err(Error::InvalidArgument);
                }
                if let Some(replaced) = &replaced {
                    let replaced_is_dir = matches!(replaced, M::Dir(_));
                    if replaced_is_dir && from_dir.starts_with(&replaced_path) {
                        return Err(Error::NotEmpty);
                    }
                    match (moving_is_dir, replaced) {
                        (true, M::Dir(e)) if !e.is_empty() => return Err(Error::NotEmpty),
                        (true, M::Dir(_)) => {}
                        (true, _) => return Err(Error::NotDirectory),
                        (false, M::Dir(_)) => return Err(Error::IsDirectory),
                        (false, _) => {}
                    }
                }
                self.dir_mut(&from_dir).remove(&from_name);
                self.dir_mut(&to_dir).insert(to_name, moving);
                Ok(())
            }
        }
    }

    fn take_id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    /// Every node with its canonical path, parents before children.
    fn walk(&self) -> Vec<(Canon, &M)> {
        fn go<'a>(node: &'a M, path: &mut Canon, out: &mut Vec<(Canon, &'a M)>) {
            out.push((path.clone(), node));
            if let M::Dir(entries) = node {
                for (name, child) in entries {
                    path.push(name.clone());
                    go(child, path, out);
                    path.pop();
                }
            }
        }
        let mut out = Vec::new();
        go(&self.root, &mut Vec::new(), &mut out);
        out
    }
}

// ---------------------------------------------------------------------------
// Operations, performed on the real namespace the way system calls would.

#[derive(Clone, Debug)]
enum Kind {
    File,
    Dir,
    Symlink(String),
}

#[derive(Clone, Debug)]
enum Op {
    Create(String, Kind),
    Unlink(String),
    Rmdir(String),
    Rename(String, String),
    Link(String, String),
}

const ATTRS: NodeAttrs = NodeAttrs { mode: 0o755, uid: 0, gid: 0 };

fn real_parent(vfs: &Vfs, path: &str) -> Result<(NodeRef, Vec<u8>), Error> {
    let root = vfs.root();
    let parent = vfs.resolve_parent(root, root, path.as_bytes(), &root_creds())?;
    match parent.last {
        LastComponent::Name(name) => Ok((parent.dir, name)),
        other => panic!("generator made a path ending in {other:?}"),
    }
}

fn real_apply(vfs: &Vfs, op: &Op, ids: &mut BTreeMap<u32, u64>, next_id: u32) -> Result<(), Error> {
    let root = vfs.root();
    match op {
        Op::Create(path, kind) => {
            let (dir, name) = real_parent(vfs, path)?;
            let node = match kind {
                Kind::File => NewNode::File,
                Kind::Dir => NewNode::Directory,
                Kind::Symlink(target) => NewNode::Symlink(target.as_bytes()),
            };
            let ino = vfs.fs(dir.fs)?.lock().create(dir.ino, &name, node, ATTRS, T0)?;
            if !matches!(kind, Kind::Dir) {
                ids.insert(next_id + 1, ino);
            }
            Ok(())
        }
        Op::Unlink(path) => {
            let (dir, name) = real_parent(vfs, path)?;
            vfs.fs(dir.fs)?.lock().unlink(dir.ino, &name, T0)
        }
        Op::Rmdir(path) => {
            let (dir, name) = real_parent(vfs, path)?;
            vfs.fs(dir.fs)?.lock().rmdir(dir.ino, &name, T0)
        }
        Op::Link(from, to) => {
            let source = vfs.resolve(root, root, from.as_bytes(), false, &root_creds())?;
            let (dir, name) = real_parent(vfs, to)?;
            vfs.fs(dir.fs)?.lock().link(dir.ino, &name, source.ino, T0)
        }
        Op::Rename(from, to) => {
            let (from_dir, from_name) = real_parent(vfs, from)?;
            let (to_dir, to_name) = real_parent(vfs, to)?;
            vfs.fs(from_dir.fs)?.lock().rename(from_dir.ino, &from_name, to_dir.ino, &to_name, T0)
        }
    }
}

fn canon_str(path: &[String]) -> String {
    format!("/{}", path.join("/"))
}

/// The real namespace agrees with the model: same names everywhere, same
/// kinds, same identities and link counts, nothing else alive.
fn check_agreement(vfs: &Vfs, model: &Model, ids: &BTreeMap<u32, u64>) {
    let root = vfs.root();
    let fs = vfs.fs(FsId::ROOT).unwrap();
    fs.lock().check_consistency().unwrap();
    let mut names_per_id: BTreeMap<u32, u32> = BTreeMap::new();
    let mut dirs = 0;
    for (path, node) in model.walk() {
        let real = vfs
            .resolve(root, root, canon_str(&path).as_bytes(), false, &root_creds())
            .unwrap_or_else(|e| panic!("{path:?} is in the model but resolves to {e:?}"));
        let meta = vfs.metadata(real).unwrap();
        match node {
            M::Dir(entries) => {
                dirs += 1;
                assert_eq!(meta.file_type, FileType::Directory);
                let subdirs = entries.values().filter(|c| matches!(c, M::Dir(_))).count() as u32;
                assert_eq!(meta.nlink, 2 + subdirs, "{path:?}");
                let mut listed = BTreeSet::new();
                fs.lock()
                    .read_dir(real.ino, 0, &mut |e| {
                        listed.insert(String::from_utf8(e.name.to_vec()).unwrap());
                        true
                    })
                    .unwrap();
                let mut expected: BTreeSet<String> = entries.keys().cloned().collect();
                expected.insert(".".into());
                expected.insert("..".into());
                assert_eq!(listed, expected, "{path:?}");
            }
            M::File(id) | M::Link(id, _) => {
                *names_per_id.entry(*id).or_default() += 1;
                assert_eq!(Some(&real.ino), ids.get(id), "{path:?} is not the node created as #{id}");
                let expected = if matches!(node, M::File(_)) { FileType::Regular } else { FileType::Symlink };
                assert_eq!(meta.file_type, expected);
            }
        }
    }
    for (id, count) in &names_per_id {
        assert_eq!(vfs.metadata(NodeRef::new(FsId::ROOT, ids[id])).unwrap().nlink, *count, "#{id}");
    }
    // No orphans: every inode alive is one the model names.
    let stats = fs.lock().statfs();
    let used = stats.total_inodes - stats.free_inodes;
    assert_eq!(used, dirs + names_per_id.len() as u64);
}

// ---------------------------------------------------------------------------
// Generators.

fn name() -> impl Strategy<Value = String> {
    prop_oneof![Just("a"), Just("b"), Just("c")].prop_map(String::from)
}

fn middle_component() -> impl Strategy<Value = String> {
    prop_oneof![6 => name(), 1 => Just(".".to_string()), 1 => Just("..".to_string())]
}

/// An absolute path whose last component is an ordinary name.
fn op_path() -> impl Strategy<Value = String> {
    (prop::collection::vec(middle_component(), 0..3), name()).prop_map(|(dirs, last)| {
        let mut path = String::new();
        for d in dirs {
            path.push('/');
            path.push_str(&d);
        }
        path.push('/');
        path.push_str(&last);
        path
    })
}

/// A symlink target or query path: absolute or relative, with dots and an
/// occasional trailing slash.
fn any_path() -> impl Strategy<Value = String> {
    (any::<bool>(), prop::collection::vec(middle_component(), 1..4), any::<bool>()).prop_map(
        |(absolute, comps, trailing)| {
            let mut path = comps.join("/");
            if absolute {
                path.insert(0, '/');
            }
            if trailing {
                path.push('/');
            }
            path
        },
    )
}

fn op() -> impl Strategy<Value = Op> {
    let kind = prop_oneof![
        2 => Just(Kind::File),
        3 => Just(Kind::Dir),
        2 => any_path().prop_map(Kind::Symlink),
    ];
    prop_oneof![
        6 => (op_path(), kind).prop_map(|(p, k)| Op::Create(p, k)),
        2 => op_path().prop_map(Op::Unlink),
        2 => op_path().prop_map(Op::Rmdir),
        3 => (op_path(), op_path()).prop_map(|(a, b)| Op::Rename(a, b)),
        1 => (op_path(), op_path()).prop_map(|(a, b)| Op::Link(a, b)),
    ]
}

fn model_vfs() -> Vfs {
    let limits = RamfsLimits { max_bytes: None, max_inodes: Some(1 << 40) };
    Vfs::new(Box::new(Ramfs::with_limits(ATTRS, T0, limits)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn namespace_matches_the_model(ops in prop::collection::vec(op(), 1..40), queries in prop::collection::vec((any_path(), any::<bool>()), 1..20)) {
        let vfs = model_vfs();
        let mut model = Model { root: M::Dir(BTreeMap::new()), next_id: 0 };
        let mut ids = BTreeMap::new();
        for op in &ops {
            let next_id = model.next_id;
            let expected = model.apply(op);
            let got = real_apply(&vfs, op, &mut ids, next_id);
            prop_assert_eq!(got, expected, "{:?}", op);
            check_agreement(&vfs, &model, &ids);
        }
        let root = vfs.root();
        for (path, follow) in &queries {
            let expected = model.resolve(&Vec::new(), path, *follow, &mut 0);
            let got = vfs.resolve(root, root, path.as_bytes(), *follow, &root_creds());
            match expected {
                Ok(canon) => {
                    let node = vfs.resolve(root, root, canon_str(&canon).as_bytes(), false, &root_creds());
                    prop_assert_eq!(got, node, "{} resolves to {:?} in the model", path, canon);
                }
                Err(e) => prop_assert_eq!(got, Err(e), "{}", path),
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Random bytes as paths: never a panic, and every answer is a live node.

fn path_bytes() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        4 => Just(b"/".to_vec()),
        2 => Just(b".".to_vec()),
        2 => Just(b"..".to_vec()),
        4 => prop_oneof![Just(b"a".to_vec()), Just(b"dir".to_vec()), Just(b"f".to_vec()), Just(b"loop".to_vec()), Just(b"up".to_vec()), Just(b"abs".to_vec()), Just(b"locked".to_vec())],
        1 => (200usize..300).prop_map(|n| vec![b'x'; n]),
        1 => prop::collection::vec(any::<u8>(), 0..8),
    ];
    prop::collection::vec(token, 0..40).prop_map(|tokens| tokens.concat())
}

fn messy_tree() -> Vfs {
    let vfs = new_vfs();
    let root = vfs.root();
    let fs = vfs.fs(FsId::ROOT).unwrap();
    let r = root.ino;
    let dir = fs.lock().create(r, b"dir", NewNode::Directory, ATTRS, T0).unwrap();
    fs.lock().create(dir, b"f", NewNode::File, ATTRS, T0).unwrap();
    fs.lock().create(dir, b"a", NewNode::Directory, ATTRS, T0).unwrap();
    fs.lock().create(r, b"locked", NewNode::Directory, NodeAttrs::new(0o700, 0, 0), T0).unwrap();
    fs.lock().create(dir, b"loop", NewNode::Symlink(b"loop/a"), ATTRS, T0).unwrap();
    fs.lock().create(dir, b"up", NewNode::Symlink(b"../.."), ATTRS, T0).unwrap();
    fs.lock().create(dir, b"abs", NewNode::Symlink(b"/dir/a/"), ATTRS, T0).unwrap();
    fs.lock().create(r, b"a", NewNode::Symlink(b"dir//up/dir/f/"), ATTRS, T0).unwrap();
    let other = vfs.add_filesystem(Box::new(common::mock_fs::MockFs));
    let a = vfs.resolve(root, root, b"/dir/a", false, &root_creds()).unwrap();
    vfs.mount(a, other).unwrap();
    vfs
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn random_paths_never_panic(path in path_bytes(), follow in any::<bool>(), as_user in any::<bool>(), start_dir in any::<bool>()) {
        let vfs = messy_tree();
        let root = vfs.root();
        let creds = if as_user { user() } else { root_creds() };
        let start = if start_dir { vfs.resolve(root, root, b"/dir", true, &root_creds()).unwrap() } else { root };
        if let Ok(node) = vfs.resolve(start, root, &path, follow, &creds) {
            prop_assert!(vfs.metadata(node).is_ok());
            if vfs.metadata(node).unwrap().is_dir() {
                let _ = vfs.path_of(node, root);
            }
        }
        if let Ok(parent) = vfs.resolve_parent(start, root, &path, &creds) {
            prop_assert!(vfs.metadata(parent.dir).unwrap().is_dir());
            if let LastComponent::Name(name) = parent.last {
                prop_assert!(!name.is_empty() && name.len() <= 255 && !name.contains(&b'/'));
            }
        }
        if let Ok(CreateLookup::Missing { dir, name, .. }) = vfs.resolve_for_create(start, root, &path, follow, &creds) {
            prop_assert!(vfs.metadata(dir).unwrap().is_dir());
            prop_assert!(!name.is_empty());
        }
    }
}

// ---------------------------------------------------------------------------
// File data against a plain vector.

#[derive(Clone, Debug)]
enum DataOp {
    Write(u64, Vec<u8>),
    Truncate(u64),
}

fn data_op() -> impl Strategy<Value = DataOp> {
    prop_oneof![
        3 => (0u64..40_000, prop::collection::vec(any::<u8>(), 0..9000)).prop_map(|(o, d)| DataOp::Write(o, d)),
        1 => (0u64..45_000).prop_map(DataOp::Truncate),
    ]
}

proptest! {
    #[test]
    fn file_data_matches_a_vector(ops in prop::collection::vec(data_op(), 1..30)) {
        let mut fs = Ramfs::new(ATTRS, T0);
        let root = fs.root();
        let f = fs.create(root, b"f", NewNode::File, ATTRS, T0).unwrap();
        let mut model: Vec<u8> = Vec::new();
        for op in &ops {
            match op {
                DataOp::Write(offset, data) => {
                    let n = fs.write(f, *offset, data, T0).unwrap();
                    prop_assert_eq!(n, data.len());
                    if !data.is_empty() {
                        let end = *offset as usize + data.len();
                        if model.len() < end {
                            model.resize(end, 0);
                        }
                        model[*offset as usize..end].copy_from_slice(data);
                    }
                }
                DataOp::Truncate(len) => {
                    fs.truncate(f, *len, T0).unwrap();
                    model.resize(*len as usize, 0);
                }
            }
            let meta = fs.metadata(f).unwrap();
            prop_assert_eq!(meta.size, model.len() as u64);
            prop_assert!(meta.blocks * 512 <= (model.len() as u64).div_ceil(4096) * 4096);
            let mut buf = vec![0xee; model.len() + 10];
            let n = fs.read(f, 0, &mut buf).unwrap();
            prop_assert_eq!(n, model.len());
            prop_assert!(buf[..n] == model[..]);
            fs.check_consistency().unwrap();
        }
        // Reads at odd offsets and sizes.
        for start in [0usize, 1, 4095, 4096, 4097, 10_000] {
            let mut buf = vec![0; 5000];
            let n = fs.read(f, start as u64, &mut buf).unwrap();
            let expected = model.get(start..).map(|s| &s[..s.len().min(5000)]).unwrap_or(&[]);
            prop_assert_eq!(&buf[..n], expected);
        }
    }
}

// ---------------------------------------------------------------------------
// Listing a directory in small batches while entries are removed and added:
// every entry present throughout is listed exactly once, nothing twice.

proptest! {
    #[test]
    fn listings_survive_concurrent_changes(
        count in 1usize..60,
        batch in 1usize..7,
        changes in prop::collection::vec((0usize..60, any::<bool>()), 0..40),
    ) {
        let mut fs = Ramfs::new(ATTRS, T0);
        let root = fs.root();
        let name = |i: usize| format!("n{i}").into_bytes();
        for i in 0..count {
            fs.create(root, &name(i), NewNode::File, ATTRS, T0).unwrap();
        }
        let mut touched = BTreeSet::new();
        let mut seen: Vec<Vec<u8>> = Vec::new();
        let mut cookie = 0;
        let mut changes = changes.into_iter();
        loop {
            let mut taken = 0;
            fs.read_dir(root, cookie, &mut |e| {
                if taken == batch {
                    return false;
                }
                taken += 1;
                seen.push(e.name.to_vec());
                cookie = e.next_cookie;
                true
            }).unwrap();
            if taken == 0 {
                break;
            }
            // Between batches, remove or add an entry.
            if let Some((i, add)) = changes.next() {
                touched.insert(name(i));
                if add {
                    let _ = fs.create(root, &name(i), NewNode::File, ATTRS, T0);
                } else {
                    let _ = fs.unlink(root, &name(i), T0);
                }
            }
        }
        // A name removed and made again is a new entry and may show up
        // again; the others are listed once each.
        for i in 0..count {
            if !touched.contains(&name(i)) {
                let times = seen.iter().filter(|n| **n == name(i)).count();
                prop_assert_eq!(times, 1, "n{} listed {} times", i, times);
            }
        }
        let distinct: BTreeSet<&Vec<u8>> = seen.iter().collect();
        prop_assert!(distinct.len() + touched.len() >= seen.len());
        prop_assert_eq!(&seen[..2], &[b".".to_vec(), b"..".to_vec()]);
    }
}

#[test]
fn the_model_agrees_on_a_fixed_example() {
    let vfs = model_vfs();
    let mut model = Model { root: M::Dir(BTreeMap::new()), next_id: 0 };
    let mut ids = BTreeMap::new();
    let ops = [
        Op::Create("/a".into(), Kind::Dir),
        Op::Create("/a/b".into(), Kind::File),
        Op::Create("/c".into(), Kind::Symlink("a/".into())),
        Op::Link("/c/b".into(), "/a/c".into()),
        Op::Rename("/a/b".into(), "/c/a".into()),
        Op::Rename("/a".into(), "/a/a".into()),
        Op::Unlink("/c".into()),
        Op::Rmdir("/a".into()),
    ];
    for op in &ops {
        let next_id = model.next_id;
        let expected = model.apply(op);
        assert_eq!(real_apply(&vfs, op, &mut ids, next_id), expected, "{op:?}");
        check_agreement(&vfs, &model, &ids);
    }
}
