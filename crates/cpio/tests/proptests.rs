//! Property tests: no input makes the reader panic, loop or read out of
//! bounds; the writer's output always reads back; truncations are caught.
//!
//! What a truncation may give: the format lets an archive end after any
//! member without a trailer (Linux accepts that), so a cut exactly on a
//! member boundary reads as a clean, shorter archive. Every other cut falls
//! inside a header, name, padding or data and must be an error. With
//! `require_trailer`, every cut before the end of the trailer is an error.

mod common;

use common::{collect, collect_strict};
use cpio::{Builder, FileType, Format, Metadata};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Kind {
    Dir,
    File(Vec<u8>),
    Symlink(Vec<u8>),
    Char(u32, u32),
    Block(u32, u32),
    Fifo,
}

#[derive(Clone, Debug)]
struct Spec {
    path: String,
    kind: Kind,
    meta: Metadata,
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Dir),
        prop::collection::vec(any::<u8>(), 0..64).prop_map(Kind::File),
        prop::collection::vec(1u8..=255, 1..20).prop_map(Kind::Symlink),
        (any::<u32>(), any::<u32>()).prop_map(|(a, b)| Kind::Char(a, b)),
        (any::<u32>(), any::<u32>()).prop_map(|(a, b)| Kind::Block(a, b)),
        Just(Kind::Fifo),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    let component = prop::sample::select(vec!["a", "bb", "ccc", "dddd", "e.f", "ü"]);
    (prop::collection::vec(component, 1..4), kind(), 0u32..=0o7777, any::<u32>(), any::<u32>(), any::<u32>()).prop_map(
        |(parts, kind, perm, uid, gid, mtime)| Spec {
            path: parts.join("/"),
            kind,
            meta: Metadata::new(perm).with_owner(uid, gid).with_mtime(mtime),
        },
    )
}

fn format() -> impl Strategy<Value = Format> {
    prop_oneof![Just(Format::Newc), Just(Format::Crc)]
}

/// Builds an archive from `specs`, skipping the ones the builder refuses
/// (duplicates, children of files); returns the accepted ones too.
fn build(specs: &[Spec], format: Format) -> (Vec<u8>, Vec<Spec>) {
    let mut b = Builder::with_format(format);
    let mut accepted = Vec::new();
    for s in specs {
        let r = match &s.kind {
            Kind::Dir => b.dir(&s.path, s.meta),
            Kind::File(d) => b.file(&s.path, s.meta, d),
            Kind::Symlink(t) => b.symlink(&s.path, s.meta, t),
            Kind::Char(ma, mi) => b.char_device(&s.path, s.meta, *ma, *mi),
            Kind::Block(ma, mi) => b.block_device(&s.path, s.meta, *ma, *mi),
            Kind::Fifo => b.fifo(&s.path, s.meta),
        };
        if r.is_ok() {
            accepted.push(s.clone());
        }
    }
    (b.finish(), accepted)
}

fn archive() -> impl Strategy<Value = Vec<u8>> {
    (prop::collection::vec(spec(), 0..12), format()).prop_map(|(s, f)| build(&s, f).0)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = collect(&bytes);
        let _ = collect_strict(&bytes);
    }

    /// Random text after a real magic, drawn mostly from hex digits and NULs
    /// so that parsing gets past the header checks.
    #[test]
    fn random_headers_never_panic(
        magic in prop::sample::select(vec![&b"070701"[..], b"070702"]),
        body in prop::collection::vec(
            prop::sample::select(b"0123456789abcdefABCDEF\0\0\0\x01!".to_vec()), 0..400),
    ) {
        let mut bytes = magic.to_vec();
        bytes.extend_from_slice(&body);
        let _ = collect(&bytes);
    }

    #[test]
    fn round_trip(specs in prop::collection::vec(spec(), 0..16), format in format()) {
        let (image, accepted) = build(&specs, format);
        prop_assert_eq!(image.clone(), build(&specs, format).0, "not deterministic");
        let (entries, err) = collect_strict(&image);
        prop_assert_eq!(err, None);
        let mut names = std::collections::BTreeSet::new();
        for (i, e) in entries.iter().enumerate() {
            prop_assert_eq!(e.format(), format);
            prop_assert_eq!(e.ino(), i as u32 + 1);
            let name = e.name_str().unwrap();
            // Parents come before children.
            if let Some((parent, _)) = name.rsplit_once('/') {
                prop_assert!(names.contains(parent));
            }
            prop_assert!(names.insert(name.to_string()));
            match accepted.iter().find(|s| s.path == name) {
                None => {
                    // Created on demand.
                    prop_assert_eq!(e.file_type(), FileType::Directory);
                    prop_assert_eq!(e.permissions(), 0o755);
                }
                Some(s) => {
                    prop_assert_eq!(e.permissions(), s.meta.permissions);
                    prop_assert_eq!((e.uid(), e.gid(), e.mtime()), (s.meta.uid, s.meta.gid, s.meta.mtime));
                    let (ty, data, rdev): (FileType, &[u8], (u32, u32)) = match &s.kind {
                        Kind::Dir => (FileType::Directory, b"", (0, 0)),
                        Kind::File(d) => (FileType::Regular, d, (0, 0)),
                        Kind::Symlink(t) => (FileType::Symlink, t, (0, 0)),
                        Kind::Char(a, b) => (FileType::CharDevice, b"", (*a, *b)),
                        Kind::Block(a, b) => (FileType::BlockDevice, b"", (*a, *b)),
                        Kind::Fifo => (FileType::Fifo, b"", (0, 0)),
                    };
                    prop_assert_eq!(e.file_type(), ty);
                    prop_assert_eq!(e.data(), data);
                    prop_assert_eq!((e.rdev_major(), e.rdev_minor()), rdev);
                }
            }
        }
        for s in &accepted {
            prop_assert!(names.contains(s.path.as_str()));
        }
    }

    #[test]
    fn every_truncation_is_caught(image in archive()) {
        let (full, err) = collect_strict(&image);
        prop_assert_eq!(err, None);
        // Member boundaries: where each entry starts, and where the trailer
        // (always 124 bytes from this builder) starts.
        let mut boundaries: Vec<usize> = full.iter().map(|e| e.offset()).collect();
        boundaries.push(image.len() - 124);
        for cut in 0..image.len() {
            let prefix = &image[..cut];
            let (_, err) = collect_strict(prefix);
            prop_assert!(err.is_some(), "strict read of {} of {} bytes succeeded", cut, image.len());
            let (entries, err) = collect(prefix);
            if err.is_none() {
                let k = entries.len();
                prop_assert_eq!(cut, boundaries[k], "clean read cut inside a member");
                prop_assert_eq!(&entries[..], &full[..k]);
            } else {
                prop_assert!(!boundaries.contains(&cut));
            }
        }
    }

    #[test]
    fn mutations_never_panic(
        image in archive(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..4), 1..8),
    ) {
        let mut bytes = image;
        for (at, byte, op) in edits {
            if bytes.is_empty() {
                break;
            }
            let i = at.index(bytes.len());
            match op {
                0 => bytes[i] = byte,
                1 => bytes[i] = b"0123456789ABCDEF"[(byte % 16) as usize],
                2 => { bytes.remove(i); }
                _ => bytes.insert(i, byte),
            }
        }
        let _ = collect(&bytes);
        let _ = collect_strict(&bytes);
    }

    /// In a crc archive, changing any one byte of a regular file's data is
    /// always detected.
    #[test]
    fn crc_catches_any_data_byte_change(
        data in prop::collection::vec(any::<u8>(), 1..100),
        at in any::<prop::sample::Index>(),
        delta in 1u8..=255,
    ) {
        let mut b = Builder::with_format(Format::Crc);
        b.file("f", Metadata::new(0o644), &data).unwrap();
        let mut image = b.finish();
        let i = 112 + at.index(data.len()); // "f\0" ends aligned at 112
        image[i] = image[i].wrapping_add(delta);
        let (_, err) = collect(&image);
        let is_mismatch = matches!(err, Some(cpio::Error::ChecksumMismatch { offset: 0, .. }));
        prop_assert!(is_mismatch);
    }
}
