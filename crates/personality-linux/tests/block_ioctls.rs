//! Block and loop ioctls against a fake core: how Linux's layouts become
//! `BlockRequest`s, what is written back, and which errors come before
//! the core is asked.

mod fake_core;

use fake_core::{FakeCore, MEM_BASE};
use kernel_ops::{BlockReply, BlockRequest, Error, LoopFlags, LoopStatus};
use linux_abi::loop_dev::*;

const IOCTL: u64 = 16;
const EINVAL: i64 = 22;
const ENOTTY: i64 = 25;
const ENXIO: i64 = 6;

fn errno(result: u64) -> i64 {
    -(result as i64)
}

fn ioctl(k: &mut FakeCore, request: u32, arg: u64) -> u64 {
    k.syscall(IOCTL, [3, u64::from(request), arg, 0, 0, 0])
}

#[test]
fn sizes_are_written_in_linux_widths() {
    let mut k = FakeCore::new();
    k.block_answer = Ok(BlockReply::Value(1 << 20));
    k.put(MEM_BASE, &[0xff; 16]);
    assert_eq!(ioctl(&mut k, BLKGETSIZE64, MEM_BASE), 0);
    assert_eq!(k.get(MEM_BASE, 8), (1u64 << 20).to_le_bytes());
    assert_eq!(ioctl(&mut k, BLKGETSIZE, MEM_BASE), 0);
    assert_eq!(k.get(MEM_BASE, 8), 2048u64.to_le_bytes());
    k.block_answer = Ok(BlockReply::Value(4096));
    k.put(MEM_BASE, &[0xff; 16]);
    assert_eq!(ioctl(&mut k, BLKSSZGET, MEM_BASE), 0);
    // An int: the next bytes are untouched.
    assert_eq!(k.get(MEM_BASE, 8), [0, 16, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    assert_eq!(k.block_calls, [(3, BlockRequest::Size), (3, BlockRequest::Size), (3, BlockRequest::LogicalBlockSize)]);
}

#[test]
fn set_status64_carries_offset_name_and_flags() {
    let mut k = FakeCore::new();
    let mut info = LoopInfo64 {
        offset: 4096,
        sizelimit: 8192,
        flags: LO_FLAGS_AUTOCLEAR | LO_FLAGS_PARTSCAN,
        ..Default::default()
    };
    info.file_name[..3].copy_from_slice(b"img");
    k.put(MEM_BASE, &info.to_bytes());
    assert_eq!(ioctl(&mut k, LOOP_SET_STATUS64, MEM_BASE), 0);
    let (_, BlockRequest::LoopSetStatus(s)) = k.block_calls[0] else { panic!("{:?}", k.block_calls) };
    assert_eq!((s.offset, s.size_limit, &s.file_name[..4]), (4096, 8192, &b"img\0"[..]));
    assert_eq!(s.flags, LoopFlags { auto_clear: true, part_scan: true, ..LoopFlags::default() });
}

#[test]
fn get_status_hides_the_key_and_fills_both_layouts() {
    let mut k = FakeCore::new();
    let status = LoopStatus {
        number: 2,
        inode: 77,
        offset: 512,
        flags: LoopFlags { read_only: true, ..LoopFlags::default() },
        encrypt_key: [9; 32],
        encrypt_key_size: 32,
        ..LoopStatus::default()
    };
    k.block_answer = Ok(BlockReply::Status(status));
    assert_eq!(ioctl(&mut k, LOOP_GET_STATUS64, MEM_BASE), 0);
    let mut b = [0u8; LoopInfo64::SIZE];
    b.copy_from_slice(k.get(MEM_BASE, LoopInfo64::SIZE));
    let got = LoopInfo64::from_bytes(&b);
    assert_eq!(
        (got.number, got.inode, got.offset, got.flags, got.encrypt_key, got.encrypt_key_size),
        (2, 77, 512, LO_FLAGS_READ_ONLY, [0; 32], 0)
    );
    assert_eq!(ioctl(&mut k, LOOP_GET_STATUS, MEM_BASE), 0);
    let mut old = [0u8; LoopInfo::SIZE];
    old.copy_from_slice(k.get(MEM_BASE, LoopInfo::SIZE));
    let (got, raw_offset) = LoopInfo::from_bytes(&old);
    assert_eq!((got.number, raw_offset, got.flags), (2, 512, LO_FLAGS_READ_ONLY));
}

#[test]
fn errors_linux_gives_before_looking_at_the_device() {
    let mut k = FakeCore::new();
    // A null status pointer.
    assert_eq!(errno(ioctl(&mut k, LOOP_GET_STATUS64, 0)), EINVAL);
    // A negative offset in the old layout.
    let mut old = LoopInfo::to_bytes(&LoopInfo64::default());
    old[32..36].copy_from_slice(&(-1i32).to_le_bytes());
    k.put(MEM_BASE, &old);
    assert_eq!(errno(ioctl(&mut k, LOOP_SET_STATUS, MEM_BASE)), EINVAL);
    // LOOP_CONFIGURE with its reserved words set.
    let mut config = [0u8; LoopConfig::SIZE];
    config[LoopConfig::SIZE - 1] = 1;
    k.put(MEM_BASE, &config);
    assert_eq!(errno(ioctl(&mut k, LOOP_CONFIGURE, MEM_BASE)), EINVAL);
    // A device number past the minors.
    assert_eq!(errno(k.syscall(IOCTL, [3, u64::from(LOOP_CTL_ADD), 1 << 20, 0, 0, 0])), EINVAL);
    assert!(k.block_calls.is_empty(), "{:?}", k.block_calls);
}

#[test]
fn control_and_read_ahead_take_the_value_itself() {
    let mut k = FakeCore::new();
    k.block_answer = Ok(BlockReply::Value(5));
    assert_eq!(ioctl(&mut k, LOOP_CTL_GET_FREE, 0), 5);
    assert_eq!(ioctl(&mut k, LOOP_CTL_REMOVE, 5), 5);
    k.block_answer = Ok(BlockReply::Done);
    assert_eq!(ioctl(&mut k, BLKRASET, 512), 0);
    assert_eq!(ioctl(&mut k, LOOP_SET_FD, 4), 0);
    assert_eq!(
        k.block_calls,
        [
            (3, BlockRequest::ControlGetFree),
            (3, BlockRequest::ControlRemove(5)),
            (3, BlockRequest::SetReadAhead(512)),
            (3, BlockRequest::LoopSetFd(4))
        ]
    );
}

#[test]
fn the_core_decides_what_the_descriptor_is() {
    let mut k = FakeCore::new();
    k.block_answer = Err(Error::NotATerminal);
    assert_eq!(errno(ioctl(&mut k, BLKGETSIZE64, MEM_BASE)), ENOTTY);
    k.block_answer = Err(Error::NoSuchDeviceOrAddress);
    assert_eq!(errno(ioctl(&mut k, LOOP_CLR_FD, 0)), ENXIO);
}
