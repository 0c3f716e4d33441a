//! splice, copy_file_range, close_range, pipe sizes, memfd_create and
//! seals against the fake core: argument decoding, errno rules, and the
//! offsets written back.

mod fake_core;

use fake_core::{FakeCore, MoveCall, MEM_BASE};
use kernel_ops::{Error, Seals, SpliceFlags};
use proptest::prelude::*;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

const EINVAL: i64 = 22;
const EBADF: i64 = 9;
const EFAULT: i64 = 14;
const EPERM: i64 = 1;
const EBUSY: i64 = 16;

const FCNTL: u64 = 72;
const SPLICE: u64 = 275;
const MEMFD_CREATE: u64 = 319;
const COPY_FILE_RANGE: u64 = 326;
const CLOSE_RANGE: u64 = 436;

const F_SETPIPE_SZ: u64 = 1031;
const F_GETPIPE_SZ: u64 = 1032;
const F_ADD_SEALS: u64 = 1033;
const F_GET_SEALS: u64 = 1034;

const OFF_IN: u64 = MEM_BASE + 0x100;
const OFF_OUT: u64 = MEM_BASE + 0x108;

fn offsets(k: &mut FakeCore, input: u64, output: u64) {
    k.put(OFF_IN, &input.to_le_bytes());
    k.put(OFF_OUT, &output.to_le_bytes());
}

fn read_u64(k: &FakeCore, addr: u64) -> u64 {
    u64::from_le_bytes(k.get(addr, 8).try_into().unwrap())
}

// ---- splice ----

#[test]
fn splice_passes_offsets_and_writes_them_back_moved() {
    let mut k = FakeCore::new();
    k.move_answer = Ok(6);
    offsets(&mut k, 3, 100);
    assert_eq!(k.syscall(SPLICE, [4, OFF_IN, 5, 0, 10, 0]), 6);
    assert_eq!(
        k.moves[0],
        MoveCall::Splice {
            input: 4,
            in_offset: Some(3),
            output: 5,
            out_offset: None,
            count: 10,
            flags: SpliceFlags::default()
        }
    );
    assert_eq!(read_u64(&k, OFF_IN), 9, "off_in moved past what was spliced");
    assert_eq!(read_u64(&k, OFF_OUT), 100, "an offset not given stays as it was");
    assert_eq!(k.syscall(SPLICE, [4, 0, 5, OFF_OUT, 10, 2 /* SPLICE_F_NONBLOCK */]), 6);
    assert_eq!(
        k.moves[1],
        MoveCall::Splice {
            input: 4,
            in_offset: None,
            output: 5,
            out_offset: Some(100),
            count: 10,
            flags: SpliceFlags { non_blocking: true }
        }
    );
    assert_eq!(read_u64(&k, OFF_OUT), 106);
}

#[test]
fn splice_argument_errors_are_linuxs() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(SPLICE, [4, 0, 5, 0, 0, 0xffff]), 0, "a zero length returns 0 before anything is checked");
    assert_eq!(errno(k.syscall(SPLICE, [4, 0, 5, 0, 10, 16])), EINVAL, "an unknown flag");
    assert_eq!(errno(k.syscall(SPLICE, [4, 0xdead_0000, 5, 0, 10, 0])), EFAULT, "an unreadable offset");
    offsets(&mut k, (-1i64) as u64, 0);
    assert_eq!(errno(k.syscall(SPLICE, [4, OFF_IN, 5, 0, 10, 0])), EINVAL, "a negative offset");
    assert!(k.moves.is_empty(), "none of these reached the core");
    k.move_answer = Err(Error::IllegalSeek);
    assert_eq!(errno(k.syscall(SPLICE, [4, 0, 5, 0, 10, 0])), 29, "the core's ESPIPE goes through");
    assert_eq!(read_u64(&k, OFF_IN), (-1i64) as u64, "nothing written back after an error");
}

#[test]
fn splice_caps_one_call_at_two_gib_minus_a_page() {
    let mut k = FakeCore::new();
    k.syscall(SPLICE, [4, 0, 5, 0, u64::MAX, 0]);
    assert_eq!(
        k.moves[0],
        MoveCall::Splice {
            input: 4,
            in_offset: None,
            output: 5,
            out_offset: None,
            count: 0x7fff_f000,
            flags: SpliceFlags::default()
        }
    );
}

// ---- copy_file_range ----

#[test]
fn copy_file_range_moves_both_offsets() {
    let mut k = FakeCore::new();
    k.move_answer = Ok(4);
    offsets(&mut k, 10, 20);
    assert_eq!(k.syscall(COPY_FILE_RANGE, [3, OFF_IN, 6, OFF_OUT, 8, 0]), 4);
    assert_eq!(k.moves[0], MoveCall::Copy { input: 3, in_offset: Some(10), output: 6, out_offset: Some(20), count: 8 });
    assert_eq!((read_u64(&k, OFF_IN), read_u64(&k, OFF_OUT)), (14, 24));
    assert_eq!(k.syscall(COPY_FILE_RANGE, [3, 0, 6, 0, 8, 0]), 4);
    assert_eq!(
        k.moves[1],
        MoveCall::Copy { input: 3, in_offset: None, output: 6, out_offset: None, count: 8 },
        "no offsets: the files' positions"
    );
}

#[test]
fn copy_file_range_has_no_flags() {
    let mut k = FakeCore::new();
    assert_eq!(errno(k.syscall(COPY_FILE_RANGE, [3, 0, 6, 0, 8, 1])), EINVAL);
    offsets(&mut k, 0, 1 << 63);
    assert_eq!(errno(k.syscall(COPY_FILE_RANGE, [3, 0, 6, OFF_OUT, 8, 0])), EINVAL, "a negative output offset");
    assert!(k.moves.is_empty());
}

// ---- close_range ----

#[test]
fn close_range_decodes_its_flags() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(CLOSE_RANGE, [3, u64::from(u32::MAX), 0, 0, 0, 0]), 0);
    assert_eq!(k.syscall(CLOSE_RANGE, [5, 9, 4 /* CLOEXEC */, 0, 0, 0]), 0);
    assert_eq!(k.syscall(CLOSE_RANGE, [0, 0, 2 /* UNSHARE */, 0, 0, 0]), 0);
    assert_eq!(k.close_ranges, vec![(3, u32::MAX, false, false), (5, 9, true, false), (0, 0, false, true)]);
}

#[test]
fn close_range_refuses_a_backward_range_and_unknown_flags() {
    let mut k = FakeCore::new();
    assert_eq!(
        errno(k.syscall(CLOSE_RANGE, [3, 2, 0, 0, 0, 0])),
        EINVAL,
        "first > last (Python's _posixsubprocess relies on this)"
    );
    assert_eq!(errno(k.syscall(CLOSE_RANGE, [3, 9, 1, 0, 0, 0])), EINVAL);
    assert!(k.close_ranges.is_empty());
}

// ---- pipe sizes ----

#[test]
fn setpipe_sz_rounds_to_a_power_of_two_number_of_pages() {
    let mut k = FakeCore::new();
    for (asked, got) in [
        (0u64, 4096usize),
        (1, 4096),
        (4096, 4096),
        (4097, 8192),
        (32768, 32768),
        (40000, 65536),
        (1 << 20, 1 << 20),
        (1 << 31, 1 << 31),
    ] {
        assert_eq!(k.syscall(FCNTL, [5, F_SETPIPE_SZ, asked, 0, 0, 0]), got as u64, "F_SETPIPE_SZ {asked}");
        assert_eq!(k.pipe_capacities.last(), Some(&(5, got)));
        assert_eq!(k.syscall(FCNTL, [5, F_GETPIPE_SZ, 0, 0, 0, 0]), got as u64);
    }
    assert_eq!(errno(k.syscall(FCNTL, [5, F_SETPIPE_SZ, (1 << 31) + 1, 0, 0, 0])), EINVAL, "past 2 GiB");
    assert_eq!(errno(k.syscall(FCNTL, [50, F_GETPIPE_SZ, 0, 0, 0, 0])), EBADF);
}

proptest! {
    #[test]
    fn pipe_sizes_cover_the_request(asked in 0u64..=(1 << 31)) {
        let mut k = FakeCore::new();
        let got = k.syscall(FCNTL, [5, F_SETPIPE_SZ, asked, 0, 0, 0]);
        prop_assert!(got.is_power_of_two() && got >= 4096 && got >= asked);
        prop_assert!(got == 4096 || got / 2 < asked, "the smallest such size");
    }
}

// ---- memfd_create and seals ----

fn put_name(k: &mut FakeCore, name: &[u8]) -> u64 {
    let mut b = name.to_vec();
    b.push(0);
    k.put(MEM_BASE, &b);
    MEM_BASE
}

#[test]
fn memfd_create_passes_name_and_flags() {
    let mut k = FakeCore::new();
    let n = put_name(&mut k, b"Hi");
    assert_eq!(k.syscall(MEMFD_CREATE, [n, 1 /* MFD_CLOEXEC */, 0, 0, 0, 0]), 20);
    assert_eq!(k.syscall(MEMFD_CREATE, [n, 2 /* MFD_ALLOW_SEALING */, 0, 0, 0, 0]), 21);
    assert_eq!(k.memory_files, vec![(b"Hi".to_vec(), true, false), (b"Hi".to_vec(), false, true)]);
}

#[test]
fn memfd_create_errors_are_linuxs() {
    let mut k = FakeCore::new();
    let n = put_name(&mut k, &[b'a'; 249]);
    assert_eq!(k.syscall(MEMFD_CREATE, [n, 0, 0, 0, 0, 0]), 20, "249 bytes fit (memfd:NAME within NAME_MAX)");
    let n = put_name(&mut k, &[b'a'; 250]);
    assert_eq!(errno(k.syscall(MEMFD_CREATE, [n, 0, 0, 0, 0, 0])), EINVAL, "250 do not");
    assert_eq!(errno(k.syscall(MEMFD_CREATE, [n, 0x100, 0, 0, 0, 0])), EINVAL, "an unknown flag");
    assert_eq!(
        errno(k.syscall(MEMFD_CREATE, [n, 1 << 26, 0, 0, 0, 0])),
        EINVAL,
        "a huge page size without MFD_HUGETLB"
    );
    assert_eq!(errno(k.syscall(MEMFD_CREATE, [0, 0, 0, 0, 0, 0])), EFAULT);
    assert_eq!(
        errno(k.syscall(MEMFD_CREATE, [n, 0x100, 0, 0, 0, 0])),
        EINVAL,
        "flags are checked before the name is read"
    );
    assert_eq!(k.memory_files.len(), 1);
    let before = k.log.len();
    let n = put_name(&mut k, b"x");
    assert_eq!(errno(k.syscall(MEMFD_CREATE, [n, 4 /* MFD_HUGETLB */, 0, 0, 0, 0])), EINVAL);
    assert_eq!(k.log.len(), before + 1, "one log line names what is missing");
}

#[test]
fn seals_translate_both_ways() {
    let mut k = FakeCore::new();
    assert_eq!(k.syscall(FCNTL, [5, F_ADD_SEALS, 0x2 | 0x4, 0, 0, 0]), 0);
    assert_eq!(k.added_seals, vec![(5, Seals { shrink: true, grow: true, ..Seals::default() })]);
    assert_eq!(k.syscall(FCNTL, [5, F_ADD_SEALS, 0x8 | 0x10 | 0x1, 0, 0, 0]), 0);
    assert_eq!(k.syscall(FCNTL, [5, F_GET_SEALS, 0, 0, 0, 0]), 0x1f);
    assert_eq!(errno(k.syscall(FCNTL, [5, F_ADD_SEALS, 0x20 /* F_SEAL_EXEC */, 0, 0, 0])), EINVAL, "an unknown seal");
    assert_eq!(errno(k.syscall(FCNTL, [50, F_GET_SEALS, 0, 0, 0, 0])), EBADF);
}

proptest! {
    #[test]
    fn known_seal_bits_round_trip(raw in 0u64..0x20) {
        let mut k = FakeCore::new();
        prop_assert_eq!(k.syscall(FCNTL, [5, F_ADD_SEALS, raw, 0, 0, 0]), 0);
        prop_assert_eq!(k.syscall(FCNTL, [5, F_GET_SEALS, 0, 0, 0, 0]), raw);
    }
}

#[test]
fn error_mapping_for_seal_refusals() {
    // The core's answers for F_ADD_SEALS become Linux's errnos.
    assert_eq!(personality_linux::errno_of(Error::NotPermitted) as i64, EPERM);
    assert_eq!(personality_linux::errno_of(Error::Busy) as i64, EBUSY);
}
