//! Random sequences of lock, unlock, test, close and release by several
//! owners on two files, checked after every step against a reference model
//! that knows nothing of ranges: a map from every byte of a small file to
//! the owners locking it. Byte `TAIL` stands for "from 16 to the end of
//! the file", which requests reach only through length 0. The table's own
//! invariants are checked too: an owner's locks never overlap, and two of
//! its locks of one kind never touch (they would have been merged).

use file_locks::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

const BYTES: u64 = 16;
/// The cell standing for bytes BYTES..=MAX_OFFSET.
const TAIL: usize = BYTES as usize;
const FILES: u32 = 2;

type Cells = Vec<BTreeMap<RecordOwner, LockKind>>;

#[derive(Default)]
struct ModelFile {
    cells: Cells,
    flocks: BTreeMap<u64, LockKind>,
}

struct Model {
    files: Vec<ModelFile>,
}

fn cells_of(range: &Range) -> std::ops::RangeInclusive<usize> {
    let first = range.start() as usize;
    let last = if range.is_to_end() { TAIL } else { range.end() as usize };
    first..=last
}

impl Model {
    fn new() -> Self {
        Model {
            files: (0..FILES)
                .map(|_| ModelFile { cells: vec![BTreeMap::new(); TAIL + 1], flocks: BTreeMap::new() })
                .collect(),
        }
    }

    fn conflicts(&self, file: u32, owner: RecordOwner, kind: LockKind, range: &Range) -> bool {
        let f = &self.files[file as usize];
        cells_of(range).any(|c| f.cells[c].iter().any(|(&o, &k)| o != owner && k.conflicts_with(kind)))
    }

    fn set(&mut self, file: u32, owner: RecordOwner, kind: Option<LockKind>, range: &Range) -> bool {
        if let Some(k) = kind {
            if self.conflicts(file, owner, k, range) {
                return false;
            }
        }
        let f = &mut self.files[file as usize];
        for c in cells_of(range) {
            match kind {
                Some(k) => {
                    f.cells[c].insert(owner, k);
                }
                None => {
                    f.cells[c].remove(&owner);
                }
            }
        }
        true
    }

    fn release(&mut self, file: u32, owner: RecordOwner) {
        for cell in &mut self.files[file as usize].cells {
            cell.remove(&owner);
        }
    }

    /// (granted, released) as flock_lock_inode does it.
    fn flock(&mut self, file: u32, desc: u64, kind: LockKind) -> (bool, bool) {
        let f = &mut self.files[file as usize];
        if f.flocks.get(&desc) == Some(&kind) {
            return (true, false);
        }
        let released = f.flocks.remove(&desc).is_some();
        if f.flocks.values().any(|k| k.conflicts_with(kind)) {
            return (false, released);
        }
        f.flocks.insert(desc, kind);
        (true, released)
    }
}

#[derive(Clone, Copy, Debug)]
enum Op {
    Set {
        file: u32,
        owner: RecordOwner,
        kind: Option<LockKind>,
        start: u64,
        len: u64,
    },
    Test {
        file: u32,
        owner: RecordOwner,
        kind: LockKind,
        start: u64,
        len: u64,
    },
    /// The POSIX rule: a process closes a descriptor of the file.
    Close {
        file: u32,
        process: u64,
    },
    /// A description's last reference goes.
    Release {
        file: u32,
        desc: u64,
    },
    Flock {
        file: u32,
        desc: u64,
        kind: Option<LockKind>,
    },
}

fn owner() -> impl Strategy<Value = RecordOwner> {
    prop_oneof![(1u64..4).prop_map(RecordOwner::Process), (1u64..4).prop_map(RecordOwner::OpenFile)]
}

fn kind() -> impl Strategy<Value = LockKind> {
    prop_oneof![Just(LockKind::Shared), Just(LockKind::Exclusive)]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..FILES, owner(), proptest::option::weighted(0.75, kind()), 0..BYTES, 0..8u64)
            .prop_map(|(file, owner, kind, start, len)| Op::Set { file, owner, kind, start, len }),
        2 => (0..FILES, owner(), kind(), 0..BYTES, 0..8u64).prop_map(|(file, owner, kind, start, len)| Op::Test { file, owner, kind, start, len }),
        1 => (0..FILES, 1u64..4).prop_map(|(file, process)| Op::Close { file, process }),
        1 => (0..FILES, 1u64..4).prop_map(|(file, desc)| Op::Release { file, desc }),
        2 => (0..FILES, 1u64..4, proptest::option::weighted(0.75, kind())).prop_map(|(file, desc, kind)| Op::Flock { file, desc, kind }),
    ]
}

/// Length 0 reaches the end of the file; others stay inside the 16 bytes.
fn range(start: u64, len: u64) -> Range {
    if len == 0 {
        Range::to_end(start).unwrap()
    } else {
        Range::new(start, (start + len - 1).min(BYTES - 1)).unwrap()
    }
}

fn check_state(table: &LockTable<u32>, model: &Model) -> Result<(), TestCaseError> {
    for file in 0..FILES {
        let mut cells: Cells = vec![BTreeMap::new(); TAIL + 1];
        let locks: Vec<RecordLock> = table.records(file).copied().collect();
        for l in &locks {
            prop_assert!(l.range.is_to_end() || l.range.end() < BYTES, "a lock ends where no request ends: {l:?}");
            for c in cells_of(&l.range) {
                prop_assert!(cells[c].insert(l.owner, l.kind).is_none(), "one owner's locks overlap at {c}: {locks:?}");
            }
        }
        prop_assert_eq!(&cells, &model.files[file as usize].cells, "file {}: {:?}", file, locks);
        for a in &locks {
            for b in &locks {
                if a != b && a.owner == b.owner && a.kind == b.kind {
                    prop_assert!(!a.range.touches(&b.range), "unmerged neighbours {a:?} {b:?}");
                }
            }
        }
        prop_assert!(locks.windows(2).all(|w| w[0].range.start() <= w[1].range.start()), "not sorted: {locks:?}");
        let flocks: BTreeMap<u64, LockKind> = table.flocks(file).collect();
        prop_assert_eq!(&flocks, &model.files[file as usize].flocks);
    }
    let busy = (0..FILES).filter(|&f| table.records(f).next().is_some() || table.flocks(f).next().is_some()).count();
    prop_assert_eq!(table.file_count(), busy, "an empty file kept its entry");
    Ok(())
}

fn run(ops: &[Op]) -> Result<(), TestCaseError> {
    let mut table: LockTable<u32> = LockTable::new();
    let mut model = Model::new();
    for op in ops {
        match *op {
            Op::Set { file, owner, kind, start, len } => {
                let r = range(start, len);
                let got = table.set_record(file, &RecordRequest { owner, pid: 7, kind, range: r }, None).unwrap();
                let want = model.set(file, owner, kind, &r);
                match got {
                    Attempt::Granted => prop_assert!(want, "{op:?} granted, the model refuses"),
                    Attempt::Blocked(b) => {
                        prop_assert!(!want, "{op:?} refused by {b:?}, the model grants");
                        let k = kind.unwrap();
                        prop_assert!(
                            b.owner != owner && b.range.overlaps(&r) && b.kind.conflicts_with(k),
                            "{b:?} does not conflict with {op:?}"
                        );
                    }
                    Attempt::Deadlock => prop_assert!(false, "deadlock without waiting"),
                }
            }
            Op::Test { file, owner, kind, start, len } => {
                let r = range(start, len);
                let got = table.test_record(file, owner, kind, &r);
                prop_assert_eq!(got.is_some(), model.conflicts(file, owner, kind, &r), "{:?} gave {:?}", op, got);
                if let Some(b) = got {
                    prop_assert!(b.owner != owner && b.range.overlaps(&r) && b.kind.conflicts_with(kind));
                    prop_assert!(table.records(file).any(|l| *l == b), "reported a lock that is not held");
                    // The first: no conflicting lock starts earlier.
                    prop_assert!(!table.records(file).any(|l| l.owner != owner
                        && l.range.overlaps(&r)
                        && l.kind.conflicts_with(kind)
                        && l.range.start() < b.range.start()));
                }
            }
            Op::Close { file, process } => {
                table.close(file, process);
                model.release(file, RecordOwner::Process(process));
            }
            Op::Release { file, desc } => {
                table.release_description(file, desc);
                model.release(file, RecordOwner::OpenFile(desc));
                model.files[file as usize].flocks.remove(&desc);
            }
            Op::Flock { file, desc, kind: Some(k) } => {
                let got = table.flock(file, desc, k).unwrap();
                let (granted, released) = model.flock(file, desc, k);
                prop_assert_eq!((got.granted, got.released), (granted, released), "{:?}", op);
            }
            Op::Flock { file, desc, kind: None } => {
                let had = model.files[file as usize].flocks.remove(&desc).is_some();
                prop_assert_eq!(table.funlock(file, desc), had);
            }
        }
        check_state(&table, &model)?;
    }
    // Every owner going away leaves nothing behind.
    for file in 0..FILES {
        for id in 1..4 {
            table.close(file, id);
            table.release_description(file, id);
        }
    }
    prop_assert!(table.is_empty());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn table_matches_the_byte_model(ops in proptest::collection::vec(op(), 1..60)) {
        run(&ops)?;
    }
}
