//! The protocol end to end on the host: a `RemoteFs` forwarding to a
//! `Ramfs` through `server::handle` must behave exactly like the `Ramfs`
//! itself; every decoder survives random and truncated input; a lying
//! server makes calls fail with `Io`, never panic or loop.

use std::sync::Mutex;

use fsproto::{server, RemoteFs, Request, Response, Transport};
use proptest::prelude::*;
use vfs::{DirEntry, Error, FileSystem, Ino, MetadataChange, NewNode, NodeAttrs, Ramfs, Timestamp};

const T0: Timestamp = Timestamp { secs: 1_000, nanos: 0 };

fn ramfs() -> Ramfs {
    Ramfs::new(NodeAttrs::new(0o755, 0, 0), T0)
}

/// A server in the same process: a ramfs behind `server::handle`, with a
/// buffer of `capacity` bytes (small, so that reads, writes and listings
/// are split into several exchanges).
struct Loopback {
    fs: Mutex<Ramfs>,
    capacity: usize,
    exchanges: Mutex<usize>,
}

impl Transport for Loopback {
    fn capacity(&self) -> usize {
        self.capacity
    }

    fn exchange(&self, request: &[u8], answer: &mut Vec<u8>) -> Result<(), Error> {
        assert!(request.len() <= self.capacity, "request larger than the buffer");
        *self.exchanges.lock().unwrap() += 1;
        let req = Request::decode(request).expect("the client sent a malformed request");
        let mut out = vec![0u8; self.capacity];
        let mut fs = self.fs.lock().unwrap();
        let len = match req {
            Request::Mount { read_only, .. } => {
                server::answer(&mut out, &Response::Mounted { root: fs.root(), read_only })
            }
            Request::Sync { .. } | Request::Unmount { .. } => server::answer(&mut out, &Response::Done),
            other => server::handle(&mut *fs, &other, &mut out),
        };
        out.truncate(len);
        *answer = out;
        Ok(())
    }
}

fn remote(capacity: usize) -> RemoteFs<Loopback> {
    let t = Loopback { fs: Mutex::new(ramfs()), capacity, exchanges: Mutex::new(0) };
    RemoteFs::mount(t, "loopfs", false, T0).expect("mount")
}

fn list(fs: &dyn FileSystem, dir: Ino) -> Vec<(Vec<u8>, Ino)> {
    let mut out = Vec::new();
    fs.read_dir(dir, 0, &mut |e: DirEntry<'_>| {
        out.push((e.name.to_vec(), e.ino));
        true
    })
    .unwrap();
    out.sort();
    out
}

#[test]
fn basic_operations_go_through() {
    let mut fs = remote(8192);
    let root = fs.root();
    let f = fs.create(root, b"file", NewNode::File, NodeAttrs::new(0o644, 1, 2), T0).unwrap();
    assert_eq!(fs.lookup(root, b"file"), Ok(f));
    assert_eq!(fs.lookup(root, b"nope"), Err(Error::NotFound));
    // Larger than the buffer: split into several writes and reads.
    let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
    assert_eq!(fs.write(f, 3, &data, T0), Ok(data.len()));
    let mut back = vec![0xffu8; data.len() + 3];
    assert_eq!(fs.read(f, 0, &mut back), Ok(data.len() + 3));
    assert_eq!(&back[..3], &[0, 0, 0]);
    assert_eq!(&back[3..], &data[..]);
    let m = fs.metadata(f).unwrap();
    assert_eq!((m.size, m.mode, m.uid, m.gid), (100_003, 0o644, 1, 2));
    // Reads past the end are short.
    let mut tail = [0u8; 10];
    assert_eq!(fs.read(f, 100_000, &mut tail), Ok(3));
    assert_eq!(fs.read(f, 200_000, &mut tail), Ok(0));
    let l = fs.create(root, b"link", NewNode::Symlink(b"file"), NodeAttrs::new(0o777, 0, 0), T0).unwrap();
    assert_eq!(fs.readlink(l).unwrap(), b"file");
    assert_eq!(fs.readlink(f), Err(Error::InvalidArgument));
    fs.set_metadata(
        f,
        MetadataChange { mode: Some(0o600), mtime: Some(Timestamp::from_secs(5)), ..Default::default() },
        T0,
    )
    .unwrap();
    let m = fs.metadata(f).unwrap();
    assert_eq!((m.mode, m.mtime), (0o600, Timestamp::from_secs(5)));
    fs.truncate(f, 10, T0).unwrap();
    assert_eq!(fs.metadata(f).unwrap().size, 10);
    let d = fs.create(root, b"dir", NewNode::Directory, NodeAttrs::new(0o755, 0, 0), T0).unwrap();
    fs.rename(root, b"file", d, b"moved", T0).unwrap();
    fs.link(root, b"hard", f, T0).unwrap();
    assert_eq!(fs.metadata(f).unwrap().nlink, 2);
    assert_eq!(fs.rmdir(root, b"dir", T0), Err(Error::NotEmpty));
    fs.unlink(d, b"moved", T0).unwrap();
    fs.rmdir(root, b"dir", T0).unwrap();
    let names: Vec<Vec<u8>> = list(&fs, root).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, vec![b".".to_vec(), b"..".to_vec(), b"hard".to_vec(), b"link".to_vec()]);
    assert!(fs.statfs().block_size > 0);
    fs.sync(T0).unwrap();
    fs.unmount(T0).unwrap();
}

#[test]
fn listings_span_several_exchanges_and_resume() {
    let mut fs = remote(4600);
    let root = fs.root();
    for i in 0..500 {
        let name = format!("a-rather-long-file-name-to-fill-the-buffer-{i:04}");
        fs.create(root, name.as_bytes(), NewNode::File, NodeAttrs::new(0o644, 0, 0), T0).unwrap();
    }
    let before = *fs.transport().exchanges.lock().unwrap();
    let all = list(&fs, root);
    assert_eq!(all.len(), 502);
    assert!(*fs.transport().exchanges.lock().unwrap() - before > 3, "the listing should need several exchanges");
    // Stopping part way and resuming from the cookie lists every entry once.
    let mut seen = Vec::new();
    let mut cookie = 0;
    loop {
        let mut batch = 0;
        let mut next = cookie;
        fs.read_dir(root, cookie, &mut |e| {
            if batch == 7 {
                return false;
            }
            batch += 1;
            seen.push(e.name.to_vec());
            next = e.next_cookie;
            true
        })
        .unwrap();
        if batch == 0 {
            break;
        }
        cookie = next;
    }
    seen.sort();
    let mut expected: Vec<Vec<u8>> = all.into_iter().map(|(n, _)| n).collect();
    expected.sort();
    assert_eq!(seen, expected);
}

#[test]
fn a_buffer_too_small_for_a_path_is_refused() {
    let t = Loopback { fs: Mutex::new(ramfs()), capacity: 1024, exchanges: Mutex::new(0) };
    assert_eq!(RemoteFs::mount(t, "x", false, T0).err(), Some(Error::InvalidArgument));
}

/// A server that answers with whatever it is given.
struct Liar {
    answers: Mutex<Vec<Vec<u8>>>,
}

impl Transport for Liar {
    fn capacity(&self) -> usize {
        8192
    }
    fn exchange(&self, _request: &[u8], answer: &mut Vec<u8>) -> Result<(), Error> {
        let mut a = self.answers.lock().unwrap();
        *answer = if a.len() > 1 { a.remove(0) } else { a[0].clone() };
        Ok(())
    }
}

fn encoded(r: &Response<'_>) -> Vec<u8> {
    let mut b = vec![0u8; 8192];
    let n = r.encode(&mut b).unwrap();
    b.truncate(n);
    b
}

fn liar(answers: Vec<Vec<u8>>) -> RemoteFs<Liar> {
    let mut all = vec![encoded(&Response::Mounted { root: 2, read_only: false })];
    all.extend(answers);
    RemoteFs::mount(Liar { answers: Mutex::new(all) }, "liar", false, T0).unwrap()
}

#[test]
fn wrong_answers_are_io_errors() {
    // An Ino where Metadata was asked.
    let fs = liar(vec![encoded(&Response::Ino(5))]);
    assert_eq!(fs.metadata(2), Err(Error::Io));
    // More bytes than were asked for.
    let fs = liar(vec![encoded(&Response::Bytes(&[1u8; 64]))]);
    let mut small = [0u8; 8];
    assert_eq!(fs.read(2, 0, &mut small), Err(Error::Io));
    // Garbage.
    let fs = liar(vec![vec![0xff; 40]]);
    assert_eq!(fs.lookup(2, b"x"), Err(Error::Io));
    // An empty listing that claims more follows would loop forever.
    let mut b = vec![0u8; 64];
    let n = fsproto::EntriesWriter::new(&mut b, 64).unwrap().finish(false);
    b.truncate(n);
    let fs = liar(vec![b]);
    assert_eq!(fs.read_dir(2, 0, &mut |_| true), Err(Error::Io));
    // More written than sent.
    let mut fs = liar(vec![encoded(&Response::Written(100))]);
    assert_eq!(fs.write(2, 0, b"abc", T0), Err(Error::Io));
    // Errors pass through.
    let fs = liar(vec![encoded(&Response::Error(Error::Corrupted))]);
    assert_eq!(fs.lookup(2, b"x"), Err(Error::Corrupted));
}

/// Every `vfs::Error`; the match fails to compile when a variant is added,
/// so that this list (and the wire table it checks) cannot fall behind.
fn all_errors() -> Vec<Error> {
    use Error::*;
    let all = vec![
        NotFound,
        NotDirectory,
        IsDirectory,
        Exists,
        NotEmpty,
        Loop,
        NameTooLong,
        PermissionDenied,
        NotPermitted,
        CrossDevice,
        Busy,
        NoSpace,
        InvalidArgument,
        ReadOnly,
        NotSupported,
        BadFileType,
        FileTooBig,
        TooManyLinks,
        Io,
        Corrupted,
        NoMemory,
        NoAttribute,
        OutOfRange,
    ];
    for e in &all {
        match e {
            NotFound | NotDirectory | IsDirectory | Exists | NotEmpty | Loop | NameTooLong | PermissionDenied
            | NotPermitted | CrossDevice | Busy | NoSpace | InvalidArgument | ReadOnly | NotSupported | BadFileType
            | FileTooBig | TooManyLinks | Io | Corrupted | NoMemory | NoAttribute | OutOfRange => {}
        }
    }
    all
}

#[test]
fn every_error_has_a_code_and_back() {
    let all = all_errors();
    let mut codes: Vec<u32> = all.iter().map(|&e| fsproto::error_code(e)).collect();
    for (&e, &code) in all.iter().zip(&codes) {
        assert_ne!(code, 0, "{e:?} has no wire code");
        assert_eq!(fsproto::error_of(code), Some(e));
    }
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), all.len(), "two errors share a code");
    assert_eq!(fsproto::error_of(0), None);
    assert_eq!(fsproto::error_of(all.len() as u32 + 1), None);
}

fn sample_requests() -> Vec<Vec<u8>> {
    let now = Timestamp::new(77, 5);
    let reqs = [
        Request::Mount { read_only: true, now },
        Request::Sync { now },
        Request::Lookup { dir: 2, name: b"name" },
        Request::Create {
            dir: 2,
            name: b"n",
            node: NewNode::Symlink(b"target"),
            attrs: NodeAttrs::new(0o777, 1, 2),
            now,
        },
        Request::Create {
            dir: 2,
            name: b"d",
            node: NewNode::Device { char: false, major: 8, minor: 1 },
            attrs: NodeAttrs::new(0o600, 0, 0),
            now,
        },
        Request::Rename { from_dir: 2, from_name: b"a", to_dir: 3, to_name: b"b", now },
        Request::Read { ino: 9, offset: 1 << 40, len: 4096 },
        Request::Write { ino: 9, offset: 3, data: b"data", now },
        Request::ReadDir { dir: 2, cookie: 17, max_bytes: 300 },
        Request::SetMetadata {
            ino: 4,
            change: MetadataChange { mode: Some(0o4755), uid: None, gid: Some(7), atime: Some(now), mtime: None },
            now,
        },
        Request::Statfs,
        Request::Release { ino: 12 },
    ];
    reqs.iter()
        .map(|r| {
            let mut b = vec![0u8; 512];
            let n = r.encode(&mut b).unwrap();
            assert!(n <= fsproto::FIXED_FIELDS_MAX + r.payload_len(), "{r:?} takes {n} bytes");
            b.truncate(n);
            assert_eq!(Request::decode(&b).unwrap(), *r, "round trip of {r:?}");
            b
        })
        .collect()
}

#[test]
fn truncated_requests_are_malformed() {
    for b in sample_requests() {
        for cut in 0..b.len() {
            assert!(Request::decode(&b[..cut]).is_err(), "a request cut at {cut} decoded");
        }
        let mut longer = b.clone();
        longer.push(0);
        assert!(Request::decode(&longer).is_err(), "trailing bytes accepted");
    }
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = Request::decode(&bytes);
        let _ = Response::decode(&bytes);
        if let Ok(Response::Entries(e)) = Response::decode(&bytes) {
            prop_assert_eq!(e.iter().count(), e.len());
        }
    }

    #[test]
    fn mutated_requests_never_panic(which in 0usize..12, at in 0usize..200, byte in any::<u8>()) {
        let mut b = sample_requests().swap_remove(which);
        let at = at % b.len();
        b[at] = byte;
        let _ = Request::decode(&b);
    }
}

/// One step of the model test.
#[derive(Debug, Clone)]
enum Op {
    Create(u8, u8, bool),
    Write(u8, u16, u16),
    Truncate(u8, u16),
    Unlink(u8, u8),
    Rmdir(u8, u8),
    Rename(u8, u8, u8, u8),
    Link(u8, u8, u8),
    Chmod(u8, u16),
    /// Reads, which fill RemoteFs's cache before the next change.
    Stat(u8),
    Lookup(u8, u8),
    /// A hold (an open file, a mapping) taken and dropped: RemoteFs counts
    /// them itself and parks released nodes (crate::holds), which must
    /// never keep an unlinked node alive on the server.
    Open(u8),
    Close(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (any::<u8>(), any::<u8>(), any::<bool>()).prop_map(|(d, n, dir)| Op::Create(d, n, dir)),
        (any::<u8>(), any::<u16>(), any::<u16>()).prop_map(|(f, o, l)| Op::Write(f, o, l)),
        (any::<u8>(), any::<u16>()).prop_map(|(f, l)| Op::Truncate(f, l)),
        (any::<u8>(), any::<u8>()).prop_map(|(d, n)| Op::Unlink(d, n)),
        (any::<u8>(), any::<u8>()).prop_map(|(d, n)| Op::Rmdir(d, n)),
        (any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>()).prop_map(|(a, b, c, d)| Op::Rename(a, b, c, d)),
        (any::<u8>(), any::<u8>(), any::<u8>()).prop_map(|(a, b, c)| Op::Link(a, b, c)),
        (any::<u8>(), any::<u16>()).prop_map(|(f, m)| Op::Chmod(f, m)),
        any::<u8>().prop_map(Op::Stat),
        (any::<u8>(), any::<u8>()).prop_map(|(d, n)| Op::Lookup(d, n)),
        any::<u8>().prop_map(Op::Open),
        any::<u8>().prop_map(Op::Close),
    ]
}

/// Applies `op` to `fs`, picking nodes from `known` (the same picks on
/// both file systems, as inode numbers agree) and names from a small set.
fn apply(fs: &mut dyn FileSystem, known: &mut Vec<Ino>, opened: &mut Vec<Ino>, op: &Op) -> Result<String, Error> {
    let pick = |i: u8, known: &Vec<Ino>| known[i as usize % known.len()];
    let name = |n: u8| format!("n{}", n % 6).into_bytes();
    let now = Timestamp::from_secs(2_000);
    Ok(match *op {
        Op::Create(d, n, dir) => {
            let node = if dir { NewNode::Directory } else { NewNode::File };
            let ino = fs.create(pick(d, known), &name(n), node, NodeAttrs::new(0o755, 0, 0), now)?;
            known.push(ino);
            format!("{ino}")
        }
        Op::Write(f, o, l) => {
            let data: Vec<u8> = (0..l % 20_000).map(|i| (i as u8) ^ (o as u8)).collect();
            format!("{}", fs.write(pick(f, known), o as u64, &data, now)?)
        }
        Op::Truncate(f, l) => {
            fs.truncate(pick(f, known), l as u64, now)?;
            String::new()
        }
        Op::Unlink(d, n) => {
            fs.unlink(pick(d, known), &name(n), now)?;
            String::new()
        }
        Op::Rmdir(d, n) => {
            fs.rmdir(pick(d, known), &name(n), now)?;
            String::new()
        }
        Op::Rename(a, b, c, d) => {
            fs.rename(pick(a, known), &name(b), pick(c, known), &name(d), now)?;
            String::new()
        }
        Op::Link(d, n, t) => {
            fs.link(pick(d, known), &name(n), pick(t, known), now)?;
            String::new()
        }
        Op::Chmod(f, m) => {
            fs.set_metadata(
                pick(f, known),
                MetadataChange { mode: Some(m as u32 & 0o7777), ..Default::default() },
                now,
            )?;
            String::new()
        }
        Op::Stat(f) => format!("{:?}", fs.metadata(pick(f, known))?),
        Op::Lookup(d, n) => format!("{}", fs.lookup(pick(d, known), &name(n))?),
        Op::Open(f) => {
            let ino = pick(f, known);
            fs.retain(ino)?;
            opened.push(ino);
            format!("{ino}")
        }
        Op::Close(i) if !opened.is_empty() => {
            let ino = opened.remove(i as usize % opened.len());
            fs.release(ino)?;
            format!("{ino}")
        }
        Op::Close(_) => String::new(),
    })
}

/// What every node ever created looks like now, and what every name in
/// every such directory leads to: after each step, so that an answer
/// RemoteFs remembered from before a change cannot hide.
fn everything_known(fs: &dyn FileSystem, known: &[Ino]) -> Vec<String> {
    let mut out = Vec::new();
    for &ino in known {
        out.push(format!("{ino}: {:?}", fs.metadata(ino)));
        for n in 0..6u8 {
            out.push(format!("{ino}/n{n}: {:?}", fs.lookup(ino, format!("n{n}").as_bytes())));
        }
        out.push(format!("{ino}/..: {:?}", fs.lookup(ino, b"..")));
    }
    out
}

/// Everything observable about a tree, walked from the root.
fn snapshot(fs: &dyn FileSystem) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![(fs.root(), String::from("/"))];
    while let Some((dir, path)) = todo.pop() {
        for (name, ino) in list(fs, dir) {
            if name == b"." || name == b".." {
                continue;
            }
            let p = format!("{path}{}", String::from_utf8_lossy(&name));
            let m = fs.metadata(ino).unwrap();
            let mut content = vec![0u8; m.size as usize];
            if m.is_dir() {
                todo.push((ino, format!("{p}/")));
            } else {
                assert_eq!(fs.read(ino, 0, &mut content), Ok(m.size as usize));
            }
            out.push(format!("{p} {ino} {:?} {:o} {} {} {:?}", m.file_type, m.mode, m.nlink, m.size, m.mtime));
            out.push(format!("{:x}", content.iter().fold(0u64, |h, &b| h.wrapping_mul(31).wrapping_add(b as u64))));
        }
    }
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn remote_behaves_like_local(ops in proptest::collection::vec(op(), 1..60)) {
        let mut local = ramfs();
        let mut remote = remote(4600);
        let mut known_l = vec![local.root()];
        let mut known_r = vec![remote.root()];
        let (mut opened_l, mut opened_r) = (Vec::new(), Vec::new());
        for op in &ops {
            let a = apply(&mut local, &mut known_l, &mut opened_l, op);
            let b = apply(&mut remote, &mut known_r, &mut opened_r, op);
            prop_assert_eq!(a, b, "{:?}", op);
            prop_assert_eq!(everything_known(&local, &known_l), everything_known(&remote, &known_r), "after {:?}", op);
        }
        prop_assert_eq!(snapshot(&local), snapshot(&remote));
    }
}

#[test]
fn repeated_questions_are_answered_from_memory() {
    let mut fs = remote(8192);
    let root = fs.root();
    let f = fs.create(root, b"file", NewNode::File, NodeAttrs::new(0o644, 0, 0), T0).unwrap();
    let exchanges = |fs: &RemoteFs<Loopback>| *fs.transport().exchanges.lock().unwrap();
    let before = exchanges(&fs);
    for _ in 0..10 {
        assert_eq!(fs.lookup(root, b"file"), Ok(f));
        assert_eq!(fs.lookup(root, b"nope"), Err(Error::NotFound));
        assert_eq!(fs.metadata(f).unwrap().size, 0);
    }
    // The create told "file"; "nope" and the metadata were asked once.
    assert_eq!(exchanges(&fs) - before, 2);
    // A write makes the size be asked again, and it is the new one.
    fs.write(f, 0, b"abc", T0).unwrap();
    assert_eq!(fs.metadata(f).unwrap().size, 3);
}

#[test]
fn names_found_by_lookups_are_known_until_they_change() {
    let mut fs = remote(8192);
    let root = fs.root();
    let d = fs.create(root, b"dir", NewNode::Directory, NodeAttrs::new(0o755, 0, 0), T0).unwrap();
    let e = fs.create(d, b"sub", NewNode::Directory, NodeAttrs::new(0o755, 0, 0), T0).unwrap();
    assert_eq!(fs.known_name(root, d), Some(b"dir".to_vec()));
    assert_eq!(fs.known_name(d, e), Some(b"sub".to_vec()));
    assert_eq!(fs.lookup(e, b".."), Ok(d));
    assert_eq!(fs.known_name(e, d), None, "'..' is not a name of the parent");
    fs.rename(root, b"dir", root, b"moved", T0).unwrap();
    assert_eq!(fs.known_name(root, d), None, "renamed: forgotten");
    assert_eq!(fs.lookup(root, b"moved"), Ok(d));
    assert_eq!(fs.known_name(root, d), Some(b"moved".to_vec()));
}
