//! ioctl: block devices (BLK*) and loop devices (LOOP_*, and the
//! loop-control node's LOOP_CTL_*), decoded from Linux's layouts into
//! `BlockRequest`s.

use crate::util::{read_bytes, write_u32, write_u64};
use kernel_ops::{BlockReply, BlockRequest, Error, Fd, KResult, KernelOps, LoopFlags, LoopStatus};
use linux_abi::loop_dev::*;

/// Handles `request` if it is a block or loop ioctl; None otherwise.
pub fn ioctl(ops: &mut dyn KernelOps, f: Fd, request: u32, arg: u64) -> Option<KResult<u64>> {
    Some(match request {
        BLKGETSIZE64 => value(ops, f, BlockRequest::Size).and_then(|v| write_u64(ops, arg, v)).map(|_| 0),
        BLKGETSIZE => value(ops, f, BlockRequest::Size).and_then(|v| write_u64(ops, arg, v / 512)).map(|_| 0),
        BLKSSZGET => {
            value(ops, f, BlockRequest::LogicalBlockSize).and_then(|v| write_u32(ops, arg, v as u32)).map(|_| 0)
        }
        BLKBSZGET => value(ops, f, BlockRequest::LogicalBlockSize)
            .and_then(|v| write_u32(ops, arg, v.max(4096) as u32))
            .map(|_| 0),
        BLKPBSZGET | BLKIOMIN => {
            value(ops, f, BlockRequest::PhysicalBlockSize).and_then(|v| write_u32(ops, arg, v as u32)).map(|_| 0)
        }
        BLKIOOPT | BLKALIGNOFF => value(ops, f, BlockRequest::Size).and_then(|_| write_u32(ops, arg, 0)).map(|_| 0),
        BLKROGET => value(ops, f, BlockRequest::ReadOnly).and_then(|v| write_u32(ops, arg, v as u32)).map(|_| 0),
        BLKROSET => {
            read_bytes::<4>(ops, arg).and_then(|b| done(ops, f, BlockRequest::SetReadOnly(i32::from_le_bytes(b) != 0)))
        }
        BLKRAGET => value(ops, f, BlockRequest::ReadAhead).and_then(|v| write_u64(ops, arg, v)).map(|_| 0),
        // The value itself is the argument.
        BLKRASET => done(ops, f, BlockRequest::SetReadAhead(arg)),
        BLKFLSBUF => done(ops, f, BlockRequest::Flush),
        BLKRRPART => done(ops, f, BlockRequest::RereadPartitions),
        BLKDISCARD | BLKZEROOUT => read_bytes::<16>(ops, arg).and_then(|b| {
            let start = u64::from_le_bytes(b[..8].try_into().unwrap_or_default());
            let len = u64::from_le_bytes(b[8..].try_into().unwrap_or_default());
            done(ops, f, BlockRequest::Discard { start, len, zero: request == BLKZEROOUT })
        }),
        LOOP_SET_FD => done(ops, f, BlockRequest::LoopSetFd(arg as i32)),
        LOOP_CHANGE_FD => done(ops, f, BlockRequest::LoopChangeFd(arg as i32)),
        LOOP_CLR_FD => done(ops, f, BlockRequest::LoopClear),
        LOOP_SET_CAPACITY => done(ops, f, BlockRequest::LoopSetCapacity),
        LOOP_SET_BLOCK_SIZE => done(ops, f, BlockRequest::LoopSetBlockSize(arg)),
        LOOP_SET_DIRECT_IO => done(ops, f, BlockRequest::LoopSetDirectIo(arg)),
        LOOP_SET_STATUS64 => read_bytes::<{ LoopInfo64::SIZE }>(ops, arg)
            .and_then(|b| done(ops, f, BlockRequest::LoopSetStatus(status_of(&LoopInfo64::from_bytes(&b))))),
        LOOP_SET_STATUS => read_bytes::<{ LoopInfo::SIZE }>(ops, arg).and_then(|b| {
            let (info, raw_offset) = LoopInfo::from_bytes(&b);
            if raw_offset < 0 {
                return Err(Error::InvalidArgument);
            }
            done(ops, f, BlockRequest::LoopSetStatus(status_of(&info)))
        }),
        LOOP_GET_STATUS64 => {
            get_status(ops, f, arg).and_then(|s| ops.copy_out(arg, &info_of(&s).to_bytes())).map(|_| 0)
        }
        LOOP_GET_STATUS => {
            get_status(ops, f, arg).and_then(|s| ops.copy_out(arg, &LoopInfo::to_bytes(&info_of(&s)))).map(|_| 0)
        }
        LOOP_CONFIGURE => read_bytes::<{ LoopConfig::SIZE }>(ops, arg).and_then(|b| {
            let c = LoopConfig::from_bytes(&b);
            if !c.reserved_clear {
                return Err(Error::InvalidArgument);
            }
            done(
                ops,
                f,
                BlockRequest::LoopConfigure { fd: c.fd as i32, block_size: c.block_size, status: status_of(&c.info) },
            )
        }),
        LOOP_CTL_GET_FREE => value(ops, f, BlockRequest::ControlGetFree),
        LOOP_CTL_ADD => control_number(arg).and_then(|n| value(ops, f, BlockRequest::ControlAdd(n))),
        LOOP_CTL_REMOVE => control_number(arg).and_then(|n| value(ops, f, BlockRequest::ControlRemove(n))),
        _ => return None,
    })
}

/// LOOP_CTL_ADD/REMOVE take the number itself; Linux refuses numbers
/// that do not fit a minor.
fn control_number(arg: u64) -> KResult<u32> {
    u32::try_from(arg).ok().filter(|&n| n < 1 << 20).ok_or(Error::InvalidArgument)
}

fn value(ops: &mut dyn KernelOps, f: Fd, r: BlockRequest) -> KResult<u64> {
    match ops.block_request(f, r)? {
        BlockReply::Value(v) => Ok(v),
        _ => Ok(0),
    }
}

fn done(ops: &mut dyn KernelOps, f: Fd, r: BlockRequest) -> KResult<u64> {
    ops.block_request(f, r).map(|_| 0)
}

/// The status of a bound device (ENXIO when free), for the caller to
/// copy out: Linux looks at the device before it copies.
fn get_status(ops: &mut dyn KernelOps, f: Fd, arg: u64) -> KResult<LoopStatus> {
    if arg == 0 {
        // Linux: EINVAL for a null pointer, before looking at the device.
        return Err(Error::InvalidArgument);
    }
    match ops.block_request(f, BlockRequest::LoopGetStatus)? {
        BlockReply::Status(s) => Ok(s),
        _ => Err(Error::InvalidArgument),
    }
}

fn status_of(i: &LoopInfo64) -> LoopStatus {
    LoopStatus {
        device: i.device,
        inode: i.inode,
        rdevice: i.rdevice,
        offset: i.offset,
        size_limit: i.sizelimit,
        number: i.number,
        encrypt_type: i.encrypt_type,
        encrypt_key_size: i.encrypt_key_size,
        flags: LoopFlags {
            read_only: i.flags & LO_FLAGS_READ_ONLY != 0,
            auto_clear: i.flags & LO_FLAGS_AUTOCLEAR != 0,
            part_scan: i.flags & LO_FLAGS_PARTSCAN != 0,
            direct_io: i.flags & LO_FLAGS_DIRECT_IO != 0,
        },
        file_name: i.file_name,
        crypt_name: i.crypt_name,
        encrypt_key: i.encrypt_key,
        init: i.init,
    }
}

fn info_of(s: &LoopStatus) -> LoopInfo64 {
    let flag = |on: bool, bit: u32| if on { bit } else { 0 };
    let f = &s.flags;
    LoopInfo64 {
        device: s.device,
        inode: s.inode,
        rdevice: s.rdevice,
        offset: s.offset,
        sizelimit: s.size_limit,
        number: s.number,
        encrypt_type: s.encrypt_type,
        // Linux never hands the key back.
        encrypt_key_size: 0,
        flags: flag(f.read_only, LO_FLAGS_READ_ONLY)
            | flag(f.auto_clear, LO_FLAGS_AUTOCLEAR)
            | flag(f.part_scan, LO_FLAGS_PARTSCAN)
            | flag(f.direct_io, LO_FLAGS_DIRECT_IO),
        file_name: s.file_name,
        crypt_name: s.crypt_name,
        encrypt_key: [0; LO_KEY_SIZE],
        init: s.init,
    }
}
