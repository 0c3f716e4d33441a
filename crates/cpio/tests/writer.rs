//! The writer: exact bytes, round trips through the reader, parents created on
//! demand, refusals.

mod common;

use common::{archive, collect_strict, Raw};
use cpio::{BuildError, Builder, Field, FileType, Format, Metadata};

/// The archive `golden_bytes` spells out.
fn golden_builder(format: Format) -> Builder {
    let mut b = Builder::with_format(format);
    b.dir("d", Metadata::new(0o755)).unwrap();
    b.file("/d/f", Metadata::new(0o644).with_owner(1000, 100).with_mtime(0x1234_5678), b"hi").unwrap();
    b.symlink("./l", Metadata::new(0o777), "d/f").unwrap();
    b.char_device("c", Metadata::new(0o600), 5, 1).unwrap();
    b
}

#[test]
fn golden_bytes() {
    // Each header: magic, then ino, mode, uid, gid, nlink, mtime, filesize,
    // maj, min, rmaj, rmin, namesize, chksum.
    let expected: Vec<u8> = [
        // "d": 110 + 2 = 112 bytes, aligned; no data.
        &b"070701"[..],
        b"00000001",
        b"000041ED",
        b"00000000",
        b"00000000",
        b"00000002",
        b"00000000",
        b"00000000",
        b"00000000",
        b"00000000",
        b"00000000",
        b"00000000",
        b"00000002",
        b"00000000",
        b"d\0",
        // "d/f": 110 + 4 = 114, 2 bytes of padding; "hi" and 2 more.
        b"070701",
        b"00000002",
        b"000081A4",
        b"000003E8",
        b"00000064",
        b"00000001",
        b"12345678",
        b"00000002",
        b"00000000",
        b"00000000",
        b"00000000",
        b"00000000",
        b"00000004",
        b"00000000",
        b"d/f\0",
        b"\0\0",
        b"hi",
        b"\0\0",
        // "l": 112, aligned; target "d/f" and 1 byte of padding.
        b"070701",
        b"00000003",
        b"0000A1FF",
        b"00000000",
        b"00000000",
        b"00000001",
        b"00000000",
        b"00000003",
        b"00000000",
        b"00000000",
        b"00000000",
        b"00000000",
        b"00000002",
        b"00000000",
        b"l\0",
        b"d/f",
        b"\0",
        // "c": device 5:1 in the rdev fields.
        b"070701",
        b"00000004",
        b"00002180",
        b"00000000",
        b"00000000",
        b"00000001",
        b"00000000",
        b"00000000",
        b"00000000",
        b"00000000",
        b"00000005",
        b"00000001",
        b"00000002",
        b"00000000",
        b"c\0",
        // Trailer: 110 + 11 = 121, 3 bytes of padding.
        b"070701",
        b"00000000",
        b"00000000",
        b"00000000",
        b"00000000",
        b"00000001",
        b"00000000",
        b"00000000",
        b"00000000",
        b"00000000",
        b"00000000",
        b"00000000",
        b"0000000B",
        b"00000000",
        b"TRAILER!!!\0",
        b"\0\0\0",
    ]
    .concat();
    let got = golden_builder(Format::Newc).finish();
    assert_eq!(String::from_utf8_lossy(&got), String::from_utf8_lossy(&expected), "byte layout differs");
    assert_eq!(got.len(), 112 + 120 + 116 + 112 + 124);

    // The same archive assembled field by field by the test helper.
    let helper = archive(&[
        Raw::dir("d").set(Field::Ino, 1),
        Raw::file("d/f", b"hi")
            .set(Field::Ino, 2)
            .set(Field::Uid, 1000)
            .set(Field::Gid, 100)
            .set(Field::Mtime, 0x1234_5678),
        Raw::symlink("l", b"d/f").set(Field::Ino, 3),
        Raw::file("c", b"")
            .set(Field::Ino, 4)
            .set(Field::Mode, 0o20600)
            .set(Field::RdevMajor, 5)
            .set(Field::RdevMinor, 1),
        Raw::trailer(),
    ]);
    assert_eq!(got, helper);
}

#[test]
fn golden_crc_checksums() {
    let got = golden_builder(Format::Crc).finish();
    let (e, err) = collect_strict(&got);
    assert_eq!(err, None);
    let sums: Vec<u32> = e.iter().map(|e| e.checksum()).collect();
    assert_eq!(sums, [0, 0x68 + 0x69, 0x64 + 0x2f + 0x66, 0]);
    assert!(e.iter().all(|e| e.format() == Format::Crc));
    assert_eq!(&got[..6], b"070702");
}

/// name, type, permissions, uid, gid, mtime, data, rdev
type Row<'a> = (&'a str, FileType, u32, u32, u32, u32, &'a [u8], (u32, u32));

#[test]
fn round_trip_every_kind() {
    for format in [Format::Newc, Format::Crc] {
        let mut b = Builder::with_format(format);
        let m = Metadata::new(0o750).with_owner(7, 8).with_mtime(1_700_000_000);
        b.dir("etc", m).unwrap();
        b.file("etc/motd", Metadata::new(0o4644).with_mtime(3), b"welcome\n").unwrap();
        b.file("etc/empty", Metadata::new(0o600), b"").unwrap();
        b.symlink("etc/link", Metadata::new(0o777), "motd").unwrap();
        b.char_device("dev/console", Metadata::new(0o600), 5, 1).unwrap();
        b.block_device("dev/vda", Metadata::new(0o660).with_owner(0, 6), 254, 0).unwrap();
        b.fifo("run/initctl", Metadata::new(0o600)).unwrap();
        let image = b.finish();
        let (e, err) = collect_strict(&image);
        assert_eq!(err, None);
        let got: Vec<_> = e
            .iter()
            .map(|e| {
                (
                    e.name_str().unwrap(),
                    e.file_type(),
                    e.permissions(),
                    e.uid(),
                    e.gid(),
                    e.mtime(),
                    e.data(),
                    (e.rdev_major(), e.rdev_minor()),
                )
            })
            .collect();
        use FileType::*;
        let want: Vec<Row> = vec![
            ("etc", Directory, 0o750, 7, 8, 1_700_000_000, b"", (0, 0)),
            ("etc/motd", Regular, 0o4644, 0, 0, 3, b"welcome\n", (0, 0)),
            ("etc/empty", Regular, 0o600, 0, 0, 0, b"", (0, 0)),
            ("etc/link", Symlink, 0o777, 0, 0, 0, b"motd", (0, 0)),
            ("dev", Directory, 0o755, 0, 0, 0, b"", (0, 0)),
            ("dev/console", CharDevice, 0o600, 0, 0, 0, b"", (5, 1)),
            ("dev/vda", BlockDevice, 0o660, 0, 6, 0, b"", (254, 0)),
            ("run", Directory, 0o755, 0, 0, 0, b"", (0, 0)),
            ("run/initctl", Fifo, 0o600, 0, 0, 0, b"", (0, 0)),
        ];
        assert_eq!(got, want);
        // Inodes 1, 2, … ; nlink 2 for directories, else 1; no link keys.
        for (i, e) in e.iter().enumerate() {
            assert_eq!(e.ino(), i as u32 + 1);
            assert_eq!(e.nlink(), if e.file_type() == Directory { 2 } else { 1 });
            assert_eq!(e.link_key(), None);
            assert_eq!(e.format(), format);
        }
    }
}

#[test]
fn output_is_deterministic() {
    let a = golden_builder(Format::Newc).finish();
    let b = golden_builder(Format::Newc).finish();
    assert_eq!(a, b);
}

#[test]
fn parents_are_created_on_demand_with_parent_metadata() {
    let mut b = Builder::new();
    b.parent_metadata(Metadata::new(0o700).with_owner(1, 2).with_mtime(9));
    b.dir("a", Metadata::new(0o711)).unwrap();
    b.file("a/b/c/d", Metadata::new(0o644), b"x").unwrap();
    b.file("a/b/e", Metadata::new(0o644), b"y").unwrap();
    let image = b.finish();
    let (e, _) = collect_strict(&image);
    let got: Vec<_> = e.iter().map(|e| (e.name_str().unwrap(), e.permissions(), e.uid(), e.mtime())).collect();
    assert_eq!(
        got,
        [
            ("a", 0o711, 0, 0),
            ("a/b", 0o700, 1, 9),
            ("a/b/c", 0o700, 1, 9),
            ("a/b/c/d", 0o644, 0, 0),
            ("a/b/e", 0o644, 0, 0)
        ]
    );
}

#[test]
fn refusals_write_nothing() {
    let mut b = Builder::new();
    b.file("f", Metadata::new(0o644), b"").unwrap();
    let before = b.clone().finish();
    let m = Metadata::new(0o644);
    for (result, want) in [
        (b.file("", m, b""), BuildError::InvalidPath),
        (b.file("/", m, b""), BuildError::InvalidPath),
        (b.file(".", m, b""), BuildError::InvalidPath),
        (b.file("a//b", m, b""), BuildError::InvalidPath),
        (b.file("a/", m, b""), BuildError::InvalidPath),
        (b.file("a/./b", m, b""), BuildError::InvalidPath),
        (b.file("a/../b", m, b""), BuildError::InvalidPath),
        (b.file("..", m, b""), BuildError::InvalidPath),
        (b.file("a\0b", m, b""), BuildError::InvalidPath),
        (b.file("TRAILER!!!", m, b""), BuildError::ReservedName),
        (b.file("/TRAILER!!!", m, b""), BuildError::ReservedName),
        (b.file("n".repeat(4096), m, b""), BuildError::NameTooLong),
        (b.file("f", m, b""), BuildError::AlreadyExists),
        (b.dir("/f", m), BuildError::AlreadyExists),
        (b.file("f/g", m, b""), BuildError::ParentNotDirectory),
        (b.file("f/x/g", m, b""), BuildError::ParentNotDirectory),
        (b.file("g", Metadata::new(0o10644), b""), BuildError::InvalidPermissions),
        (b.symlink("s", m, ""), BuildError::InvalidSymlinkTarget),
        (b.symlink("s", m, "a\0"), BuildError::InvalidSymlinkTarget),
        (b.symlink("s", m, "t".repeat(4097)), BuildError::InvalidSymlinkTarget),
    ] {
        assert_eq!(result, Err(want));
    }
    assert_eq!(b.finish(), before);
}

#[test]
fn longest_path_is_accepted() {
    let mut b = Builder::new();
    b.file("n".repeat(4095), Metadata::new(0o644), b"").unwrap();
    b.symlink("s", Metadata::new(0o777), "t".repeat(4096)).unwrap();
    let image = b.finish();
    assert_eq!(collect_strict(&image).0.len(), 2);
}

#[test]
fn explicit_dir_after_implicit_one_is_refused() {
    let mut b = Builder::new();
    b.file("bin/sh", Metadata::new(0o755), b"").unwrap();
    assert_eq!(b.dir("bin", Metadata::new(0o700)), Err(BuildError::AlreadyExists));
}

#[test]
fn empty_builder_is_just_a_trailer() {
    let image = Builder::new().finish();
    assert_eq!(image.len(), 124);
    let (e, err) = collect_strict(&image);
    assert!(e.is_empty());
    assert_eq!(err, None);
}

#[test]
fn build_errors_display() {
    assert_eq!(BuildError::AlreadyExists.to_string(), "path already in the archive");
}
