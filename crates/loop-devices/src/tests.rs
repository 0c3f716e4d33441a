use super::*;
use proptest::prelude::*;

fn bound(size: u64) -> Binding<u32> {
    Binding { backing: 7, status: LoopStatus::default(), backing_size: size, block_size: 512 }
}

#[test]
fn free_devices_are_handed_out_lowest_first_and_made_when_all_are_bound() {
    let mut t: LoopTable<u32> = LoopTable::new(2);
    assert_eq!(t.get_free(), Ok(0));
    t.bind(0, bound(4096)).unwrap();
    assert_eq!(t.get_free(), Ok(1));
    t.bind(1, bound(4096)).unwrap();
    assert_eq!(t.get_free(), Ok(2));
    assert!(t.exists(2));
    assert_eq!(t.numbers().collect::<Vec<_>>(), [0, 1, 2]);
}

#[test]
fn binding_and_clearing_follow_linux_errnos() {
    let mut t: LoopTable<u32> = LoopTable::new(1);
    assert_eq!(t.clear(0), Err(Error::NoSuchDeviceOrAddress));
    assert_eq!(t.binding(0).map(|_| ()), Err(Error::NoSuchDeviceOrAddress));
    t.bind(0, bound(10_000)).unwrap();
    assert_eq!(t.bind(0, bound(1)).unwrap_err(), Error::Busy);
    assert_eq!(t.size(0), 9728);
    t.set_mounted(0, true).unwrap();
    assert_eq!(t.clear(0), Err(Error::Busy));
    assert_eq!(t.remove(0), Err(Error::Busy));
    t.set_mounted(0, false).unwrap();
    assert_eq!(t.clear(0), Ok(7));
    assert_eq!(t.clear(0), Err(Error::NoSuchDeviceOrAddress));
    assert_eq!(t.size(0), 0);
    assert_eq!(t.bind(5, bound(1)).unwrap_err(), Error::NoSuchDeviceOrAddress);
}

#[test]
fn control_add_and_remove() {
    let mut t: LoopTable<u32> = LoopTable::new(1);
    assert_eq!(t.add(0), Err(Error::Exists));
    assert_eq!(t.add(5), Ok(5));
    assert_eq!(t.remove(5), Ok(5));
    assert_eq!(t.remove(5), Err(Error::NoDevice));
    assert_eq!(t.add(MAX_DEVICES), Err(Error::InvalidArgument));
    assert_eq!(t.remove(3), Err(Error::NoDevice));
    // A removed number is the first made again.
    t.bind(0, bound(512)).unwrap();
    assert_eq!(t.get_free(), Ok(1));
}

#[test]
fn status_changes_the_geometry_but_not_read_only() {
    let mut t: LoopTable<u32> = LoopTable::new(1);
    let mut b = bound(1 << 20);
    b.status.flags.read_only = true;
    t.bind(0, b).unwrap();
    let s = LoopStatus {
        offset: 4096,
        size_limit: 8192 + 100,
        flags: LoopFlags { auto_clear: true, ..LoopFlags::default() },
        ..LoopStatus::default()
    };
    t.set_status(0, &s).unwrap();
    let got = t.binding(0).unwrap().status;
    assert!(got.flags.read_only && got.flags.auto_clear);
    assert_eq!(t.size(0), 8192);
    assert_eq!(t.locate(0, 8000, 1000), Ok((7, 12096, 192)));
    assert_eq!(t.locate(0, 8192, 10), Ok((7, 12288, 0)));
    t.set_mounted(0, true).unwrap();
    assert_eq!(t.set_status(0, &LoopStatus::default()), Err(Error::Busy));
}

#[test]
fn block_size_capacity_and_direct_io() {
    let mut t: LoopTable<u32> = LoopTable::new(1);
    assert_eq!(t.set_block_size(0, 4096), Err(Error::NoSuchDeviceOrAddress));
    t.bind(0, bound(1024)).unwrap();
    assert_eq!(t.set_block_size(0, 1000), Err(Error::InvalidArgument));
    assert_eq!(t.set_block_size(0, 8192), Err(Error::InvalidArgument));
    t.set_block_size(0, 4096).unwrap();
    assert_eq!(t.binding(0).unwrap().block_size, 4096);
    t.set_capacity(0, 1 << 20).unwrap();
    assert_eq!(t.size(0), 1 << 20);
    t.set_direct_io(0, true).unwrap();
    assert!(t.binding(0).unwrap().status.flags.direct_io);
    let mut bad = bound(1);
    bad.block_size = 300;
    assert_eq!(t.bind(0, bad).unwrap_err(), Error::Busy);
}

/// A model: which numbers exist and which are bound.
#[derive(Debug, Clone)]
enum Op {
    GetFree,
    Add(u32),
    Remove(u32),
    Bind(u32),
    Clear(u32),
    Mount(u32, bool),
}

fn op() -> impl Strategy<Value = Op> {
    let n = 0u32..12;
    prop_oneof![
        Just(Op::GetFree),
        n.clone().prop_map(Op::Add),
        n.clone().prop_map(Op::Remove),
        n.clone().prop_map(Op::Bind),
        n.clone().prop_map(Op::Clear),
        (n, any::<bool>()).prop_map(|(n, m)| Op::Mount(n, m)),
    ]
}

proptest! {
    #[test]
    fn the_table_agrees_with_a_model(ops in proptest::collection::vec(op(), 0..60)) {
        let mut t: LoopTable<u32> = LoopTable::new(4);
        // number -> (bound, mounted)
        let mut model: alloc::collections::BTreeMap<u32, (bool, bool)> = (0..4).map(|n| (n, (false, false))).collect();
        for op in ops {
            match op {
                Op::GetFree => {
                    let want = model.iter().find(|(_, (b, m))| !b && !m).map(|(n, _)| *n)
                        .unwrap_or_else(|| (0..).find(|n| !model.contains_key(n)).unwrap());
                    prop_assert_eq!(t.get_free(), Ok(want));
                    model.entry(want).or_insert((false, false));
                }
                Op::Add(n) => {
                    let r = t.add(n);
                    match model.entry(n) {
                        alloc::collections::btree_map::Entry::Occupied(_) => prop_assert_eq!(r, Err(Error::Exists)),
                        alloc::collections::btree_map::Entry::Vacant(slot) => {
                            prop_assert_eq!(r, Ok(n));
                            slot.insert((false, false));
                        }
                    }
                }
                Op::Remove(n) => {
                    let r = t.remove(n);
                    match model.get(&n) {
                        None => prop_assert_eq!(r, Err(Error::NoDevice)),
                        Some((b, m)) if *b || *m => prop_assert_eq!(r, Err(Error::Busy)),
                        Some(_) => { prop_assert_eq!(r, Ok(n)); model.remove(&n); }
                    }
                }
                Op::Bind(n) => {
                    let r = t.bind(n, bound(4096));
                    match model.get_mut(&n) {
                        None => prop_assert_eq!(r, Err(Error::NoSuchDeviceOrAddress)),
                        Some((true, _)) => prop_assert_eq!(r, Err(Error::Busy)),
                        Some(s) => { prop_assert_eq!(r, Ok(())); s.0 = true; }
                    }
                }
                Op::Clear(n) => {
                    let r = t.clear(n);
                    match model.get_mut(&n) {
                        Some((_, true)) => prop_assert_eq!(r, Err(Error::Busy)),
                        Some(s) if s.0 => { prop_assert_eq!(r, Ok(7)); s.0 = false; }
                        _ => prop_assert_eq!(r, Err(Error::NoSuchDeviceOrAddress)),
                    }
                }
                Op::Mount(n, m) => {
                    let r = t.set_mounted(n, m);
                    match model.get_mut(&n) {
                        None => prop_assert_eq!(r, Err(Error::NoSuchDeviceOrAddress)),
                        Some(s) if m && !s.0 => prop_assert_eq!(r, Err(Error::NoSuchDeviceOrAddress)),
                        Some(s) if m && s.1 => prop_assert_eq!(r, Err(Error::Busy)),
                        Some(s) => { prop_assert_eq!(r, Ok(())); s.1 = m; }
                    }
                }
            }
            for n in 0..16 {
                prop_assert_eq!(t.exists(n), model.contains_key(&n));
                prop_assert_eq!(t.size(n), if model.get(&n).is_some_and(|s| s.0) { 4096 } else { 0 });
            }
        }
    }
}
