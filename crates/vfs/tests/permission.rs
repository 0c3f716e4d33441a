//! Access checks and the rules for changing owners, modes and times.

use vfs::ownership::{check_chown, check_utimes, chmod_mode, mode_after_chown, mode_after_write, new_node_attrs};
use vfs::permission::{may_create, may_delete, may_lookup};
use vfs::{check_access, Access, Credentials, DeviceNumber, Error, FileType, Metadata, NodeAttrs, Timestamp};

fn meta(file_type: FileType, mode: u32, uid: u32, gid: u32) -> Metadata {
    Metadata {
        file_type,
        mode,
        uid,
        gid,
        nlink: 1,
        size: 0,
        rdev: DeviceNumber::default(),
        atime: Timestamp::EPOCH,
        mtime: Timestamp::EPOCH,
        ctime: Timestamp::EPOCH,
        ino: 1,
        blocks: 0,
        blksize: 4096,
    }
}

fn file(mode: u32) -> Metadata {
    meta(FileType::Regular, mode, 10, 20)
}

fn dir(mode: u32) -> Metadata {
    meta(FileType::Directory, mode, 10, 20)
}

const R: Access = Access::READ;
const W: Access = Access::WRITE;
const X: Access = Access::EXECUTE;

fn owner() -> Credentials {
    Credentials::new(10, 99)
}

fn member() -> Credentials {
    Credentials::new(11, 99).with_groups(&[20])
}

fn other() -> Credentials {
    Credentials::new(12, 99)
}

#[test]
fn each_class_uses_its_own_bits() {
    let m = file(0o640);
    assert_eq!(check_access(&m, &owner(), R | W), Ok(()));
    assert_eq!(check_access(&m, &owner(), X), Err(Error::PermissionDenied));
    assert_eq!(check_access(&m, &member(), R), Ok(()));
    assert_eq!(check_access(&m, &member(), W), Err(Error::PermissionDenied));
    assert_eq!(check_access(&m, &other(), R), Err(Error::PermissionDenied));
    assert_eq!(check_access(&m, &other(), Access::NONE), Ok(()));
    // The primary group counts like a supplementary one.
    assert_eq!(check_access(&m, &Credentials::new(11, 20), R), Ok(()));
}

#[test]
fn the_most_specific_class_wins_even_when_it_grants_less() {
    let m = file(0o077);
    assert_eq!(check_access(&m, &owner(), R), Err(Error::PermissionDenied));
    assert_eq!(check_access(&m, &other(), R | W | X), Ok(()));
    let m = file(0o707);
    assert_eq!(check_access(&m, &member(), R), Err(Error::PermissionDenied));
}

#[test]
fn root_passes_everything_but_exec_without_any_x_bit() {
    let root = Credentials::root();
    assert_eq!(check_access(&file(0o000), &root, R | W), Ok(()));
    assert_eq!(check_access(&file(0o000), &root, X), Err(Error::PermissionDenied));
    assert_eq!(check_access(&file(0o001), &root, X), Ok(()));
    assert_eq!(check_access(&file(0o010), &root, R | X), Ok(()));
    assert_eq!(check_access(&dir(0o000), &root, R | W | X), Ok(()));
}

#[test]
fn lookup_and_create_need_a_directory_with_the_right_bits() {
    assert_eq!(may_lookup(&dir(0o711), &other()), Ok(()));
    assert_eq!(may_lookup(&dir(0o700), &other()), Err(Error::PermissionDenied));
    assert_eq!(may_lookup(&file(0o777), &other()), Err(Error::NotDirectory));
    assert_eq!(may_create(&dir(0o733), &other()), Ok(()));
    assert_eq!(may_create(&dir(0o755), &other()), Err(Error::PermissionDenied));
    assert_eq!(may_create(&dir(0o722), &other()), Err(Error::PermissionDenied), "write without search");
}

#[test]
fn the_sticky_bit_limits_deletion_to_owners() {
    let tmp = meta(FileType::Directory, 0o1777, 0, 0);
    let mine = meta(FileType::Regular, 0o644, 12, 12);
    let theirs = meta(FileType::Regular, 0o666, 13, 13);
    assert_eq!(may_delete(&tmp, &mine, &other()), Ok(()));
    assert_eq!(may_delete(&tmp, &theirs, &other()), Err(Error::NotPermitted));
    assert_eq!(may_delete(&tmp, &theirs, &Credentials::root()), Ok(()));
    let owned_tmp = meta(FileType::Directory, 0o1777, 12, 0);
    assert_eq!(may_delete(&owned_tmp, &theirs, &other()), Ok(()), "the directory's owner");
    let plain = meta(FileType::Directory, 0o777, 0, 0);
    assert_eq!(may_delete(&plain, &theirs, &other()), Ok(()));
    let closed = meta(FileType::Directory, 0o755, 0, 0);
    assert_eq!(may_delete(&closed, &mine, &other()), Err(Error::PermissionDenied));
}

#[test]
fn access_bits_round_trip() {
    assert_eq!(Access::from_bits(0o7), R | W | X);
    assert_eq!((R | X).bits(), 5);
    assert!((R | W).contains(W));
    assert!(!R.contains(W));
}

#[test]
fn new_nodes_take_the_callers_ids_or_the_set_gid_directorys_group() {
    let plain = dir(0o755);
    assert_eq!(new_node_attrs(&plain, &other(), false, 0o644), NodeAttrs::new(0o644, 12, 99));
    let sgid = meta(FileType::Directory, 0o2775, 0, 50);
    assert_eq!(new_node_attrs(&sgid, &other(), false, 0o644), NodeAttrs::new(0o644, 12, 50));
    assert_eq!(new_node_attrs(&sgid, &other(), true, 0o755), NodeAttrs::new(0o2755, 12, 50));
    // A set-gid executable for a group the caller is not in loses the bit.
    assert_eq!(new_node_attrs(&sgid, &other(), false, 0o2755), NodeAttrs::new(0o755, 12, 50));
    let in_group = Credentials::new(12, 99).with_groups(&[50]);
    assert_eq!(new_node_attrs(&sgid, &in_group, false, 0o2755), NodeAttrs::new(0o2755, 12, 50));
    assert_eq!(new_node_attrs(&plain, &other(), false, 0o170_644), NodeAttrs::new(0o644, 12, 99));
}

#[test]
fn chmod_is_for_owners_and_drops_foreign_set_gid() {
    let m = file(0o644);
    assert_eq!(chmod_mode(&m, &other(), 0o600), Err(Error::NotPermitted));
    assert_eq!(chmod_mode(&m, &owner(), 0o4755), Ok(0o4755));
    assert_eq!(chmod_mode(&m, &owner(), 0o2755), Ok(0o755), "owner not in group 20");
    let owner_in_group = Credentials::new(10, 20);
    assert_eq!(chmod_mode(&m, &owner_in_group, 0o2755), Ok(0o2755));
    assert_eq!(chmod_mode(&m, &Credentials::root(), 0o172_755), Ok(0o2755));
}

#[test]
fn chown_rules() {
    let m = file(0o644);
    let root = Credentials::root();
    assert_eq!(check_chown(&m, &root, Some(0), Some(0)), Ok(()));
    assert_eq!(check_chown(&m, &owner(), Some(11), None), Err(Error::NotPermitted));
    assert_eq!(check_chown(&m, &owner(), Some(10), None), Ok(()), "no change");
    assert_eq!(check_chown(&m, &other(), Some(10), None), Err(Error::NotPermitted));
    assert_eq!(check_chown(&m, &owner(), None, Some(99)), Ok(()), "to the owner's own group");
    assert_eq!(check_chown(&m, &owner(), None, Some(20)), Ok(()), "to the current group");
    assert_eq!(check_chown(&m, &owner(), None, Some(21)), Err(Error::NotPermitted));
    assert_eq!(check_chown(&m, &member(), None, Some(20)), Err(Error::NotPermitted));
    assert_eq!(check_chown(&m, &other(), None, None), Ok(()));
}

#[test]
fn set_id_bits_are_dropped_by_chown_and_unprivileged_writes() {
    assert_eq!(mode_after_chown(&file(0o6755)), Some(0o755));
    assert_eq!(mode_after_chown(&file(0o6745)), Some(0o2745), "set-gid without group x stays");
    assert_eq!(mode_after_chown(&file(0o755)), None);
    assert_eq!(mode_after_chown(&dir(0o6755)), None);
    assert_eq!(mode_after_write(&file(0o4755), &other()), Some(0o755));
    assert_eq!(mode_after_write(&file(0o4755), &Credentials::root()), None);
    assert_eq!(mode_after_write(&file(0o644), &other()), None);
    assert_eq!(mode_after_write(&dir(0o4755), &other()), None);
}

#[test]
fn utimes_rules() {
    let m = file(0o646);
    assert_eq!(check_utimes(&m, &owner(), true), Ok(()));
    assert_eq!(check_utimes(&m, &other(), true), Err(Error::NotPermitted));
    assert_eq!(check_utimes(&m, &other(), false), Ok(()), "others may write");
    assert_eq!(check_utimes(&m, &member(), false), Err(Error::PermissionDenied));
    assert_eq!(check_utimes(&m, &Credentials::root(), true), Ok(()));
}

#[test]
fn overrides_split_the_superuser() {
    use vfs::Overrides;
    let locked = file(0o000);
    let nobody = |o| Credentials::new(50, 50).with_overrides(o);
    assert_eq!(check_access(&locked, &nobody(Overrides::DAC), R | W), Ok(()));
    assert_eq!(check_access(&locked, &nobody(Overrides::DAC), X), Err(Error::PermissionDenied), "no x bit at all");
    assert_eq!(check_access(&file(0o001), &nobody(Overrides::DAC), X), Ok(()));
    // Read-and-search reads files and reads and searches directories, no more.
    assert_eq!(check_access(&locked, &nobody(Overrides::READ_SEARCH), R), Ok(()));
    assert_eq!(check_access(&locked, &nobody(Overrides::READ_SEARCH), W), Err(Error::PermissionDenied));
    assert_eq!(check_access(&dir(0o000), &nobody(Overrides::READ_SEARCH), R | X), Ok(()));
    assert_eq!(check_access(&dir(0o000), &nobody(Overrides::READ_SEARCH), W | X), Err(Error::PermissionDenied));
    // Uid 0 without overrides is an ordinary user.
    assert_eq!(
        check_access(&locked, &Credentials::new(0, 0).with_overrides(Overrides::NONE), R),
        Err(Error::PermissionDenied)
    );
    // Owner override: chmod and sticky deletes; chown needs its own.
    assert!(chmod_mode(&file(0o644), &nobody(Overrides::OWNER), 0o600).is_ok());
    assert_eq!(chmod_mode(&file(0o644), &nobody(Overrides::CHOWN), 0o600), Err(Error::NotPermitted));
    assert!(check_chown(&file(0o644), &nobody(Overrides::CHOWN), Some(1), None).is_ok());
    assert_eq!(check_chown(&file(0o644), &nobody(Overrides::OWNER), Some(1), None), Err(Error::NotPermitted));
    assert_eq!(may_delete(&dir(0o1777), &file(0o644), &nobody(Overrides::OWNER)), Ok(()));
    assert_eq!(may_delete(&dir(0o1777), &file(0o644), &nobody(Overrides::NONE)), Err(Error::NotPermitted));
}
