//! Files: file_open beneath the boot directory (slot 3, READ|EXEC|TRANSFER|
//! DERIVE, /native), file_read, file_write. There is no global namespace:
//! `..` and absolute paths stay beneath the directory capability.
//!
//! Also opens this program's own image (EXEC|READ), which every helper
//! task is spawned from (`roles::set_image`).

use crate::addr;
use crate::caps::{expect_info, EMPTY};
use crate::check;
use crate::raw;
use crate::roles;
use rt::abi::{CapType, Error, Rights, Syscall, MAX_IO};
use rt::sys;

const BOOTDIR: u64 = 3;
const R: Rights = Rights::READ;
const W: Rights = Rights::WRITE;
const X: Rights = Rights::EXEC;

pub fn run() {
    image();
    manifest();
    paths();
    open_errors();
}

fn image() {
    let Some(img) = check::ok("file.open_own_image", sys::file_open(BOOTDIR, b"vulcan", X | R)) else { return };
    roles::set_image(img);
    expect_info("file.image_info", img, CapType::File, X | R, 0, 0, 0);
    let mut head = [0u8; 4];
    check::ok_eq("file.image_read_4", sys::file_read(img, &mut head, 0), 4);
    check::eq("file.image_is_elf", head, *b"\x7fELF");
}

fn manifest() {
    let Some(f) = check::ok("file.open_manifest", sys::file_open(BOOTDIR, b"boot.manifest", R)) else { return };
    expect_info("file.manifest_info", f, CapType::File, R, 0, 0, 0);
    let mut text = [0u8; 4096];
    let n = match sys::file_read(f, &mut text, 0) {
        Ok(n) => {
            check::that("file.read_manifest", n > 0, format_args!("read 0 bytes"));
            n
        }
        Err(e) => {
            check::fail("file.read_manifest", format_args!("file_read: {e:?}"));
            return;
        }
    };
    let body = &text[..n];
    check::that(
        "file.manifest_starts_with_hash",
        body.first() == Some(&b'#'),
        format_args!("first byte {:?}", body.first()),
    );
    check::that(
        "file.manifest_names_vulcan",
        contains(body, b"task vulcan"),
        format_args!("no 'task vulcan' in {n} bytes"),
    );
    let mut part = [0u8; 16];
    if n > 17 {
        let got = sys::file_read(f, &mut part, 1);
        check::that(
            "file.read_at_offset",
            got == Ok(16) && part[..] == body[1..17],
            format_args!("got {got:?} {:?}", &part[..4]),
        );
    }
    check::ok_eq("file.read_past_end", sys::file_read(f, &mut part, 1 << 40), 0);
    check::ok_eq("file.read_len_0", sys::file_read(f, &mut [], 0), 0);
    check::err("file.write_without_write_right", sys::file_write(f, b"x", 0), Error::MissingRights);
    let nr = Syscall::FileRead.nr();
    // SAFETY: the kernel writes only through `buf`; the other targets are
    // unwritable, and the oversized request is refused before any read.
    let (too_long, null, kernel, ro) = unsafe {
        (
            raw(nr, f, text.as_mut_ptr() as u64, MAX_IO + 1, 0, 0, 0),
            raw(nr, f, 0, 16, 0, 0, 0),
            raw(nr, f, addr::KERNEL, 16, 0, 0, 0),
            raw(nr, f, addr::READ_ONLY, 16, 0, 0, 0),
        )
    };
    check::err("file.read_too_long", too_long, Error::InvalidArgument);
    check::err("file.read_buf_null", null, Error::BadAddress);
    check::err("file.read_buf_kernel", kernel, Error::BadAddress);
    check::err("file.read_buf_read_only", ro, Error::BadAddress);
    check::err("file.read_directory", sys::file_read(BOOTDIR, &mut part, 0), Error::WrongType);
    check::err("file.read_wrong_type", sys::file_read(4, &mut part, 0), Error::WrongType);
    check::err("file.read_empty_slot", sys::file_read(EMPTY, &mut part, 0), Error::InvalidCap);
    if let Ok(x) = sys::file_open(BOOTDIR, b"boot.manifest", X) {
        check::err("file.read_without_read_right", sys::file_read(x, &mut part, 0), Error::MissingRights);
    } else {
        check::fail("file.read_without_read_right", format_args!("open with EXEC only failed"));
    }
    check::err("file.write_wrong_type", sys::file_write(4, b"x", 0), Error::WrongType);
    check::err("file.write_empty_slot", sys::file_write(EMPTY, b"x", 0), Error::InvalidCap);
    check::err("file.write_directory_no_write", sys::file_write(BOOTDIR, b"x", 0), Error::MissingRights);
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The first bytes of a file opened beneath `dir`, or the error.
fn head_of(dir: u64, path: &[u8]) -> Result<[u8; 4], Error> {
    let f = sys::file_open(dir, path, R)?;
    let mut head = [0u8; 4];
    let n = sys::file_read(f, &mut head, 0);
    let _ = sys::cap_delete(f);
    match n? {
        4 => Ok(head),
        _ => Err(Error::InvalidState),
    }
}

fn paths() {
    // `..` at the capability's root stays at the root.
    check::ok_eq("file.dotdot_stays_beneath", head_of(BOOTDIR, b"../vulcan"), *b"\x7fELF");
    check::ok_eq("file.dotdot_many_stays_beneath", head_of(BOOTDIR, b"../../../boot.manifest").map(|h| h[0]), b'#');
    check::ok_eq("file.dotdot_inside_path", head_of(BOOTDIR, b"./.././boot.manifest").map(|h| h[0]), b'#');
    // Absolute paths resolve beneath the capability too.
    check::ok_eq("file.absolute_path_beneath", head_of(BOOTDIR, b"/boot.manifest").map(|h| h[0]), b'#');
    check::err("file.absolute_etc_not_found", sys::file_open(BOOTDIR, b"/etc", R), Error::NotFound);
    check::err("file.dotdot_etc_not_found", sys::file_open(BOOTDIR, b"../../etc/passwd", R), Error::NotFound);
    check::err("file.not_found", sys::file_open(BOOTDIR, b"no-such-file", R), Error::NotFound);
    check::err("file.file_as_directory", sys::file_open(BOOTDIR, b"boot.manifest/x", R), Error::NotFound);
    // "." is the directory itself: a new directory capability.
    if let Some(dot) = check::ok("file.open_dot", sys::file_open(BOOTDIR, b".", R)) {
        check::ok_eq("file.open_beneath_dot", head_of(dot, b"boot.manifest").map(|h| h[0]), b'#');
    }
    if let Ok(f) = sys::file_open(BOOTDIR, b"boot.manifest", R) {
        check::err("file.open_beneath_a_file", sys::file_open(f, b"x", R), Error::WrongType);
    }
}

fn open_errors() {
    check::err("file.open_write_not_held", sys::file_open(BOOTDIR, b"boot.manifest", W), Error::MissingRights);
    check::err(
        "file.open_grant_right",
        sys::file_open(BOOTDIR, b"boot.manifest", R | Rights::GRANT),
        Error::InvalidArgument,
    );
    check::err("file.open_wrong_type", sys::file_open(4, b"x", R), Error::WrongType);
    check::err("file.open_empty_slot", sys::file_open(EMPTY, b"x", R), Error::InvalidCap);
    if let Ok(no_read) = sys::cap_derive(BOOTDIR, X | Rights::DERIVE, 0, 0, 0) {
        check::err("file.open_dir_without_read", sys::file_open(no_read, b"vulcan", X), Error::MissingRights);
    }
    if let Ok(no_exec) = sys::cap_derive(BOOTDIR, R | Rights::DERIVE, 0, 0, 0) {
        check::err("file.open_exec_not_held", sys::file_open(no_exec, b"vulcan", R | X), Error::MissingRights);
        check::ok("file.open_read_from_derived_dir", sys::file_open(no_exec, b"vulcan", R));
    }
    let nr = Syscall::FileOpen.nr();
    let path = b"boot.manifest";
    let p = path.as_ptr() as u64;
    let long = [b'a'; 4097];
    // SAFETY: file_open only reads the path; every pointer is ours or
    // unreadable.
    let (len0, len4097, null, kernel, bits) = unsafe {
        (
            raw(nr, BOOTDIR, p, 0, R.bits().into(), 0, 0),
            raw(nr, BOOTDIR, long.as_ptr() as u64, 4097, R.bits().into(), 0, 0),
            raw(nr, BOOTDIR, 0, 8, R.bits().into(), 0, 0),
            raw(nr, BOOTDIR, addr::KERNEL, 8, R.bits().into(), 0, 0),
            raw(nr, BOOTDIR, p, path.len() as u64, 0x40 | 1, 0, 0),
        )
    };
    check::err("file.open_len_0", len0, Error::InvalidArgument);
    check::err("file.open_len_4097", len4097, Error::InvalidArgument);
    check::err("file.open_path_null", null, Error::BadAddress);
    check::err("file.open_path_kernel", kernel, Error::BadAddress);
    check::err("file.open_rights_bit6", bits, Error::InvalidArgument);
}
