//! Reading well-formed archives, including the Linux initramfs rules:
//! NUL padding between members, concatenated archives, optional trailer,
//! hard links.

mod common;

use common::{archive, collect, collect_strict, Raw};
use cpio::{entries, Field, FileType, Format};

#[test]
fn empty_input_is_an_empty_archive() {
    assert_eq!(entries(&[]).count(), 0);
    assert_eq!(entries(&[0; 512]).count(), 0);
}

#[test]
fn empty_input_lacks_a_trailer_when_one_is_required() {
    let (e, err) = collect_strict(&[]);
    assert!(e.is_empty());
    assert_eq!(err, Some(cpio::Error::MissingTrailer { offset: 0 }));
}

#[test]
fn every_header_field_is_exposed() {
    let raw = Raw::file("etc/passwd", b"root:x:0:0::/root:/bin/sh\n")
        .set(Field::Ino, 0x1234_5678)
        .set(Field::Mode, 0o104755)
        .set(Field::Uid, 1000)
        .set(Field::Gid, 0xffff_ffff)
        .set(Field::Nlink, 1)
        .set(Field::Mtime, 0x6000_0000)
        .set(Field::DevMajor, 0xfe)
        .set(Field::DevMinor, 3);
    let a = archive(&[raw, Raw::trailer()]);
    let (e, err) = collect_strict(&a);
    assert_eq!(err, None);
    let e = e[0];
    assert_eq!(e.raw_name(), b"etc/passwd");
    assert_eq!(e.name(), b"etc/passwd");
    assert_eq!(e.name_str(), Some("etc/passwd"));
    assert_eq!(e.ino(), 0x1234_5678);
    assert_eq!(e.mode(), 0o104755);
    assert_eq!(e.file_type(), FileType::Regular);
    assert_eq!(e.permissions(), 0o4755);
    assert_eq!(e.uid(), 1000);
    assert_eq!(e.gid(), 0xffff_ffff);
    assert_eq!(e.nlink(), 1);
    assert_eq!(e.mtime(), 0x6000_0000);
    assert_eq!((e.dev_major(), e.dev_minor()), (0xfe, 3));
    assert_eq!((e.rdev_major(), e.rdev_minor()), (0, 0));
    assert_eq!(e.data(), b"root:x:0:0::/root:/bin/sh\n");
    assert_eq!(e.symlink_target(), None);
    assert_eq!(e.format(), Format::Newc);
    assert_eq!(e.offset(), 0);
    assert_eq!(e.archive_index(), 0);
    assert_eq!(e.link_key(), None);
    assert_eq!(e.checksum(), 0);
}

#[test]
fn lower_case_hex_is_accepted() {
    let mut bytes = Raw::dir("d").set(Field::Mode, 0o40755).bytes();
    // "000041ED" -> "000041ed"
    let at = Field::Mode.offset();
    bytes[at..at + 8].copy_from_slice(b"000041ed");
    let (e, err) = collect(&bytes);
    assert_eq!(err, None);
    assert_eq!(e[0].mode(), 0o40755);
}

#[test]
fn all_file_types() {
    let types = [
        (0o100000, FileType::Regular),
        (0o040000, FileType::Directory),
        (0o120000, FileType::Symlink),
        (0o020000, FileType::CharDevice),
        (0o060000, FileType::BlockDevice),
        (0o010000, FileType::Fifo),
        (0o140000, FileType::Socket),
    ];
    for (bits, ty) in types {
        let data: &[u8] = if ty == FileType::Symlink { b"target" } else { b"" };
        let raw = Raw::file("x", data).set(Field::Mode, bits | 0o640).set(Field::RdevMajor, 8).set(Field::RdevMinor, 1);
        let a = archive(&[raw]);
        let (e, err) = collect(&a);
        assert_eq!(err, None, "{ty:?}");
        assert_eq!(e[0].file_type(), ty);
        assert_eq!(FileType::from_mode(e[0].mode()), Some(ty));
        assert_eq!(ty.bits(), bits);
        assert_eq!(e[0].permissions(), 0o640);
        assert_eq!((e[0].rdev_major(), e[0].rdev_minor()), (8, 1));
        if ty == FileType::Symlink {
            assert_eq!(e[0].symlink_target(), Some(&b"target"[..]));
            assert_eq!(e[0].data(), b"target");
        }
    }
}

#[test]
fn name_normalisation() {
    for (raw, norm) in [
        ("bin/sh", "bin/sh"),
        ("/bin/sh", "bin/sh"),
        ("./bin/sh", "bin/sh"),
        ("//.//./bin/sh", "bin/sh"),
        (".", ""),
        ("./", ""),
        ("/", ""),
        ("/.", ""),
        ("..", ".."),
        ("a/../b/", "a/../b/"),
        (".hidden", ".hidden"),
        ("./.hidden", ".hidden"),
    ] {
        let a = archive(&[Raw::dir(raw)]);
        let (e, err) = collect(&a);
        assert_eq!(err, None);
        assert_eq!(e[0].raw_name(), raw.as_bytes());
        assert_eq!(e[0].name(), norm.as_bytes(), "{raw}");
        assert_eq!(e[0].is_root(), norm.is_empty());
    }
}

#[test]
fn non_utf8_names_are_bytes() {
    let mut raw = Raw::file("xx", b"");
    raw.name = vec![0xff, 0xfe, 0];
    let a = archive(&[raw]);
    let (e, err) = collect(&a);
    assert_eq!(err, None);
    assert_eq!(e[0].name(), [0xff, 0xfe]);
    assert_eq!(e[0].name_str(), None);
}

#[test]
fn padding_for_every_name_and_data_length() {
    // Name lengths 1..=8 and data lengths 0..=8 cover every alignment case.
    let mut members = Vec::new();
    for n in 1..=8 {
        for d in 0..=8u8 {
            let name = "n".repeat(n) + &d.to_string();
            let data: Vec<u8> = (1..=d).collect();
            members.push(Raw::file(&name, &data));
        }
    }
    members.push(Raw::trailer());
    let a = archive(&members);
    let (e, err) = collect_strict(&a);
    assert_eq!(err, None);
    assert_eq!(e.len(), members.len() - 1);
    for (e, m) in e.iter().zip(&members) {
        assert_eq!(e.data(), &m.data[..]);
        assert_eq!(e.offset() % 4, 0);
    }
}

#[test]
fn trailer_is_not_yielded_and_input_may_end_without_it() {
    let with = archive(&[Raw::dir("a"), Raw::trailer()]);
    let without = archive(&[Raw::dir("a")]);
    for a in [&with, &without] {
        let (e, err) = collect(a);
        assert_eq!(err, None);
        assert_eq!(e.len(), 1);
    }
    assert_eq!(collect_strict(&with).1, None);
    assert_eq!(collect_strict(&without).1, Some(cpio::Error::MissingTrailer { offset: without.len() }));
}

#[test]
fn nul_padding_between_members_and_after_the_end() {
    // GNU cpio pads the whole archive to 512 bytes; Linux skips NUL runs
    // between any two members as long as the next one starts 4-aligned.
    let mut a = Raw::dir("a").bytes();
    a.extend_from_slice(&[0; 8]);
    a.extend(Raw::file("b", b"x").bytes());
    a.extend(Raw::trailer().bytes());
    a.extend_from_slice(&[0; 400]);
    let (e, err) = collect_strict(&a);
    assert_eq!(err, None);
    assert_eq!(e.iter().map(|e| e.name()).collect::<Vec<_>>(), [b"a", b"b"]);

    let mut lead = vec![0u8; 12];
    lead.extend(Raw::dir("a").bytes());
    let (e, err) = collect(&lead);
    assert_eq!(err, None);
    assert_eq!(e[0].offset(), 12);
}

#[test]
fn concatenated_archives() {
    let first = archive(&[Raw::dir("a"), Raw::file("a/x", b"1"), Raw::trailer()]);
    let second = archive(&[Raw::crc(Raw::file("a/y", b"22")), Raw::trailer()]);
    let mut a = first.clone();
    a.extend_from_slice(&[0; 4]);
    a.extend_from_slice(&second);
    let mut it = entries(&a).require_trailer();
    let names: Vec<_> = it
        .by_ref()
        .map(|e| {
            let e = e.unwrap();
            (e.name_str().unwrap(), e.archive_index(), e.format())
        })
        .collect();
    assert_eq!(names, [("a", 0, Format::Newc), ("a/x", 0, Format::Newc), ("a/y", 1, Format::Crc)]);
    assert_eq!(it.trailers_seen(), 2);
    assert_eq!(it.offset(), a.len());

    // Back to back with no padding at all is fine too.
    let mut b = first.clone();
    b.extend_from_slice(&second);
    assert_eq!(collect_strict(&b).0.len(), 3);
}

#[test]
fn hard_links_share_a_key_and_data_may_sit_on_any_entry() {
    // GNU cpio's layout: the same inode twice, nlink 2, data on the last.
    let first = Raw::file("bin/a", b"").set(Field::Ino, 42).set(Field::Nlink, 2);
    let last = Raw::file("bin/b", b"payload").set(Field::Ino, 42).set(Field::Nlink, 2);
    let other = Raw::file("bin/c", b"other").set(Field::Ino, 43).set(Field::Nlink, 1);
    let dir = Raw::dir("bin").set(Field::Ino, 42).set(Field::Nlink, 3);
    let a = archive(&[dir, first, last, other, Raw::trailer()]);
    let (e, err) = collect_strict(&a);
    assert_eq!(err, None);
    assert_eq!(e[0].link_key(), None, "directories are never hard links");
    let k1 = e[1].link_key().unwrap();
    let k2 = e[2].link_key().unwrap();
    assert_eq!(k1, k2);
    assert_eq!((k1.ino, k1.file_type, k1.archive_index), (42, FileType::Regular, 0));
    assert_eq!(e[1].data(), b"");
    assert_eq!(e[2].data(), b"payload");
    assert_eq!(e[3].link_key(), None, "nlink 1 is not a link");
    let sym = Raw::symlink("s", b"t").set(Field::Nlink, 2);
    let a = archive(&[sym]);
    assert_eq!(collect(&a).0[0].link_key(), None, "symlinks are never hard links");
}

#[test]
fn hard_link_keys_are_scoped_by_trailer_and_device_and_type() {
    let f = |ino, maj| Raw::file("f", b"").set(Field::Ino, ino).set(Field::Nlink, 2).set(Field::DevMajor, maj);
    let fifo = Raw::file("p", b"").set(Field::Mode, 0o10644).set(Field::Ino, 1).set(Field::Nlink, 2);
    let a = archive(&[f(1, 0), f(1, 8), fifo, Raw::trailer(), f(1, 0)]);
    let (e, err) = collect(&a);
    assert_eq!(err, None);
    let keys: Vec<_> = e.iter().map(|e| e.link_key().unwrap()).collect();
    assert_ne!(keys[0], keys[1], "different device");
    assert_ne!(keys[0], keys[2], "different file type");
    assert_ne!(keys[0], keys[3], "different archive");
    assert_eq!(keys[3].archive_index, 1);
}

#[test]
fn crc_checksums_are_verified() {
    let a = archive(&[
        Raw::file("f", b"hello").crc(),
        Raw::dir("d").crc(),
        Raw::symlink("l", b"f").crc(),
        // GNU cpio writes a zero checksum for symlinks; Linux accepts it.
        Raw::symlink("m", b"f").crc().set(Field::Checksum, 0),
        Raw::trailer().crc(),
    ]);
    let (e, err) = collect_strict(&a);
    assert_eq!(err, None);
    assert_eq!(e[0].checksum(), cpio::checksum(b"hello"));
    assert_eq!(e[0].format(), Format::Crc);
    assert_eq!(e.len(), 4);
}

#[test]
fn checksum_is_a_wrapping_byte_sum() {
    assert_eq!(cpio::checksum(b""), 0);
    assert_eq!(cpio::checksum(&[0xff; 4]), 0x3fc);
    let big = vec![0xffu8; (1 << 24) + 2];
    assert_eq!(cpio::checksum(&big), 0xffu32.wrapping_mul((1 << 24) + 2));
}

#[test]
fn longest_name_and_symlink_are_accepted() {
    let name = "n".repeat(cpio::MAX_NAME_SIZE - 1);
    let target = vec![b't'; cpio::MAX_SYMLINK_LEN];
    let a = archive(&[Raw::symlink(&name, &target)]);
    let (e, err) = collect(&a);
    assert_eq!(err, None);
    assert_eq!(e[0].name().len(), cpio::MAX_NAME_SIZE - 1);
    assert_eq!(e[0].symlink_target().unwrap().len(), cpio::MAX_SYMLINK_LEN);
}

#[test]
fn errors_display_their_offset() {
    let e = cpio::Error::ChecksumMismatch { offset: 124, stored: 1, computed: 2 };
    let s = e.to_string();
    assert!(s.contains("124") && s.contains("0x00000001"), "{s}");
    assert_eq!(e.offset(), 124);
}
