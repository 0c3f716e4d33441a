//! The test locks' order check itself (`common::StdLocks`), which every
//! other test relies on to catch a lock taken out of the crate's order.

mod common;

use common::StdLocks;
use vfs::{LockClass, Locking};

#[test]
fn in_order_and_nested_pass() {
    let fs = StdLocks::new_lock(LockClass::FileSystem, 1);
    let other_fs = StdLocks::new_lock(LockClass::FileSystem, 2);
    let mounts = StdLocks::new_lock(LockClass::MountTable, ());
    let table = StdLocks::new_lock(LockClass::FsTable, ());
    let a = StdLocks::lock(&fs);
    let b = StdLocks::lock_nested(&other_fs);
    let m = StdLocks::lock(&mounts);
    let t = StdLocks::lock(&table);
    assert_eq!(*a + *b, 3);
    drop((t, m, b, a));
    // Released, each may be taken again on its own.
    drop(StdLocks::lock(&table));
    drop(StdLocks::lock(&fs));
}

#[test]
#[should_panic(expected = "lock order: FileSystem taken while holding FsTable")]
fn file_system_under_the_table_is_caught() {
    let fs = StdLocks::new_lock(LockClass::FileSystem, ());
    let table = StdLocks::new_lock(LockClass::FsTable, ());
    let _t = StdLocks::lock(&table);
    let _f = StdLocks::lock(&fs);
}

#[test]
#[should_panic(expected = "lock order: FileSystem taken while holding FileSystem")]
fn two_file_systems_without_nested_are_caught() {
    let a = StdLocks::new_lock(LockClass::FileSystem, ());
    let b = StdLocks::new_lock(LockClass::FileSystem, ());
    let _a = StdLocks::lock(&a);
    let _b = StdLocks::lock(&b);
}
