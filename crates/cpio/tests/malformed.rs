//! Every way an archive can be malformed gives its own error, at the right
//! offset, and ends the iteration.

mod common;

use common::{archive, collect, error_of, Raw};
use cpio::{Compression, Error, Field, FileType};

/// A valid first member, so that errors in the second have a non-zero offset.
fn after_dir(bad: Raw) -> Vec<u8> {
    archive(&[Raw::dir("o"), bad])
}

const SECOND: usize = 112; // length of Raw::dir("o")

#[test]
fn bad_magic() {
    let mut raw = Raw::file("f", b"");
    raw.magic = b"070703".to_vec();
    assert_eq!(error_of(&after_dir(raw)), Error::BadMagic { offset: SECOND });
    assert_eq!(error_of(b"hello world!"), Error::BadMagic { offset: 0 });
    // Garbage after a trailer is not silently ignored.
    let mut a = archive(&[Raw::trailer()]);
    a.extend_from_slice(b"junk");
    assert_eq!(error_of(&a), Error::BadMagic { offset: 124 });
}

#[test]
fn bad_magic_even_when_truncated() {
    assert_eq!(error_of(b"0708"), Error::BadMagic { offset: 0 });
    assert_eq!(error_of(b"x"), Error::BadMagic { offset: 0 });
}

#[test]
fn old_cpio_formats() {
    let mut odc = b"070707".to_vec();
    odc.extend_from_slice(&[b'0'; 70]);
    assert_eq!(error_of(&odc), Error::OldCpioFormat { offset: 0 });
    assert_eq!(error_of(&[0xc7, 0x71, 0, 0]), Error::OldCpioFormat { offset: 0 });
    assert_eq!(error_of(&[0x71, 0xc7, 0, 0]), Error::OldCpioFormat { offset: 0 });
}

#[test]
fn compressed_images_are_named() {
    for (magic, method) in [
        (&[0x1f, 0x8b, 8, 0][..], Compression::Gzip),
        (b"BZh9", Compression::Bzip2),
        (&[0xfd, b'7', b'z', b'X', b'Z', 0][..], Compression::Xz),
        (&[0x28, 0xb5, 0x2f, 0xfd][..], Compression::Zstd),
        (&[0x02, 0x21, 0x4c, 0x18][..], Compression::Lz4),
        (&[0x5d, 0, 0, 0x80][..], Compression::Lzma),
        (&[0x89, b'L', b'Z', b'O', 0][..], Compression::Lzo),
    ] {
        assert_eq!(error_of(magic), Error::Compressed { offset: 0, method });
    }
    // A compressed archive appended to an uncompressed one.
    let mut a = archive(&[Raw::dir("d"), Raw::trailer()]);
    a.extend_from_slice(&[0x1f, 0x8b]);
    assert_eq!(error_of(&a), Error::Compressed { offset: 236, method: Compression::Gzip });
}

#[test]
fn misaligned_member_after_padding() {
    let mut a = Raw::dir("o").bytes();
    a.extend_from_slice(&[0; 3]);
    a.extend(Raw::dir("x").bytes());
    assert_eq!(error_of(&a), Error::Misaligned { offset: SECOND + 3 });
    let mut lead = vec![0u8; 1];
    lead.extend(Raw::dir("x").bytes());
    assert_eq!(error_of(&lead), Error::Misaligned { offset: 1 });
}

#[test]
fn truncated_header() {
    let full = after_dir(Raw::file("f", b"abc"));
    for cut in SECOND + 1..SECOND + cpio::HEADER_LEN {
        assert_eq!(error_of(&full[..cut]), Error::TruncatedHeader { offset: SECOND }, "cut {cut}");
    }
}

#[test]
fn bad_hex_digit_in_every_field() {
    for field in [
        Field::Ino,
        Field::Mode,
        Field::Uid,
        Field::Gid,
        Field::Nlink,
        Field::Mtime,
        Field::FileSize,
        Field::DevMajor,
        Field::DevMinor,
        Field::RdevMajor,
        Field::RdevMinor,
        Field::NameSize,
        Field::Checksum,
    ] {
        for (pos, bad) in [(0, b'g'), (7, b' '), (3, b'x'), (5, 0), (1, b'-')] {
            let mut a = after_dir(Raw::file("f", b"abc"));
            a[SECOND + field.offset() + pos] = bad;
            assert_eq!(
                error_of(&a),
                Error::BadHexDigit { offset: SECOND + field.offset() + pos, field },
                "{field:?} pos {pos}"
            );
        }
    }
}

#[test]
fn empty_name() {
    let mut raw = Raw::file("f", b"");
    raw.name = vec![0];
    raw.fields[Field::NameSize as usize] = 1;
    assert_eq!(error_of(&after_dir(raw.clone())), Error::EmptyName { offset: SECOND });
    raw.name = vec![];
    raw.fields[Field::NameSize as usize] = 0;
    assert_eq!(error_of(&after_dir(raw)), Error::EmptyName { offset: SECOND });
}

#[test]
fn name_too_long() {
    let name = "n".repeat(cpio::MAX_NAME_SIZE);
    let a = after_dir(Raw::file(&name, b""));
    assert_eq!(error_of(&a), Error::NameTooLong { offset: SECOND, size: 4097 });
    // Even a huge c_namesize with nothing behind it is "too long", not a
    // wild read.
    let a = after_dir(Raw::file("f", b"").set(Field::NameSize, u32::MAX));
    assert_eq!(error_of(&a), Error::NameTooLong { offset: SECOND, size: u32::MAX });
}

#[test]
fn truncated_name() {
    let full = after_dir(Raw::file("abcdef", b""));
    let name_start = SECOND + cpio::HEADER_LEN;
    for cut in name_start..name_start + 7 {
        assert_eq!(error_of(&full[..cut]), Error::TruncatedName { offset: SECOND });
    }
    // c_namesize pointing past the end of the input.
    let a = after_dir(Raw::file("f", b"").set(Field::NameSize, 100));
    assert_eq!(error_of(&a), Error::TruncatedName { offset: SECOND });
}

#[test]
fn name_without_nul() {
    let mut raw = Raw::file("f", b"");
    raw.name = b"fg".to_vec();
    raw.fields[Field::NameSize as usize] = 2;
    assert_eq!(error_of(&after_dir(raw)), Error::NameWithoutNul { offset: SECOND });
    // c_namesize one short of the NUL.
    let raw = Raw::file("abc", b"").set(Field::NameSize, 3);
    assert_eq!(error_of(&after_dir(raw)), Error::NameWithoutNul { offset: SECOND });
}

#[test]
fn name_containing_nul() {
    let mut raw = Raw::file("f", b"");
    raw.name = b"a\0b\0".to_vec();
    raw.fields[Field::NameSize as usize] = 4;
    assert_eq!(error_of(&after_dir(raw)), Error::NameContainsNul { offset: SECOND });
}

#[test]
fn unknown_file_type() {
    for mode in [0o000644, 0o030644, 0o050644, 0o070644, 0o110644, 0o170644] {
        let raw = Raw::file("f", b"").set(Field::Mode, mode);
        assert_eq!(error_of(&after_dir(raw)), Error::UnknownFileType { offset: SECOND, mode });
    }
}

#[test]
fn data_on_a_type_without_data() {
    for (mode, file_type) in [
        (0o040755, FileType::Directory),
        (0o020600, FileType::CharDevice),
        (0o060600, FileType::BlockDevice),
        (0o010600, FileType::Fifo),
        (0o140600, FileType::Socket),
    ] {
        let raw = Raw::file("f", b"data").set(Field::Mode, mode);
        assert_eq!(error_of(&after_dir(raw)), Error::UnexpectedData { offset: SECOND, file_type });
    }
}

#[test]
fn symlink_rules() {
    assert_eq!(error_of(&after_dir(Raw::symlink("l", b""))), Error::EmptySymlink { offset: SECOND });
    let long = vec![b't'; cpio::MAX_SYMLINK_LEN + 1];
    assert_eq!(error_of(&after_dir(Raw::symlink("l", &long))), Error::SymlinkTooLong { offset: SECOND, size: 4097 });
    assert_eq!(error_of(&after_dir(Raw::symlink("l", b"a\0b"))), Error::SymlinkContainsNul { offset: SECOND });
}

#[test]
fn trailer_with_data() {
    let mut t = Raw::trailer();
    t.data = b"x".to_vec();
    t.fields[Field::FileSize as usize] = 1;
    assert_eq!(error_of(&after_dir(t)), Error::TrailerWithData { offset: SECOND });
}

#[test]
fn truncated_data() {
    // "ab" name: header+name = 113, padded to 116; data 5 bytes.
    let full = after_dir(Raw::file("ab", b"12345"));
    let data_start = SECOND + 116;
    for cut in data_start..data_start + 5 {
        assert_eq!(error_of(&full[..cut]), Error::TruncatedData { offset: SECOND }, "cut {cut}");
    }
    // c_filesize far past the end of the input, including the largest.
    for size in [1000, u32::MAX] {
        let raw = Raw::file("ab", b"12345").set(Field::FileSize, size);
        assert_eq!(error_of(&after_dir(raw)), Error::TruncatedData { offset: SECOND });
    }
}

#[test]
fn truncated_padding() {
    // After the name: "ab\0" ends at 113, data starts at 116.
    let full = after_dir(Raw::file("ab", b"12345"));
    for cut in SECOND + 113..SECOND + 116 {
        assert_eq!(error_of(&full[..cut]), Error::TruncatedPadding { offset: SECOND });
    }
    // After the data: ends at 121, next member at 124.
    for cut in SECOND + 121..SECOND + 124 {
        assert_eq!(error_of(&full[..cut]), Error::TruncatedPadding { offset: SECOND });
    }
    assert_eq!(collect(&full).1, None);
}

#[test]
fn non_zero_padding() {
    let mut raw = Raw::file("ab", b"12345");
    raw.pad = b'!';
    let a = after_dir(raw.clone());
    assert_eq!(error_of(&a), Error::NonZeroPadding { offset: SECOND + 113 });
    // Only the data padding dirty.
    let mut a = after_dir(Raw::file("ab", b"12345"));
    a[SECOND + 122] = 1;
    assert_eq!(error_of(&a), Error::NonZeroPadding { offset: SECOND + 122 });
}

#[test]
fn newc_checksum_must_be_zero() {
    let raw = Raw::file("f", b"abc").set(Field::Checksum, 1);
    assert_eq!(error_of(&after_dir(raw)), Error::ChecksumNotZero { offset: SECOND });
}

#[test]
fn crc_checksum_mismatch() {
    let sum = cpio::checksum(b"abc");
    let raw = Raw::file("f", b"abc").crc().set(Field::Checksum, sum + 1);
    assert_eq!(error_of(&after_dir(raw)), Error::ChecksumMismatch { offset: SECOND, stored: sum + 1, computed: sum });
    // A flipped data byte.
    let mut a = after_dir(Raw::file("f", b"abc").crc());
    let last = a.len() - 2;
    a[last] ^= 0x20;
    assert!(matches!(error_of(&a), Error::ChecksumMismatch { offset: SECOND, .. }));
    // Regular files may not use the symlink exemption for a zero checksum.
    let raw = Raw::file("f", b"abc").crc().set(Field::Checksum, 0);
    assert!(matches!(error_of(&after_dir(raw)), Error::ChecksumMismatch { .. }));
    // A directory in crc form with a non-zero checksum.
    let raw = Raw::dir("d").crc().set(Field::Checksum, 5);
    assert!(matches!(error_of(&after_dir(raw)), Error::ChecksumMismatch { stored: 5, computed: 0, .. }));
}

#[test]
fn nothing_follows_an_error() {
    let mut a = after_dir(Raw::file("f", b"").set(Field::Checksum, 9));
    a.extend(Raw::dir("later").bytes());
    let (entries, err) = collect(&a);
    assert_eq!(entries.len(), 1);
    assert_eq!(err, Some(Error::ChecksumNotZero { offset: SECOND }));
}
