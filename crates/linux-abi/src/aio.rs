//! Linux native asynchronous I/O (`linux/aio_abi.h`, `fs/aio.c`): the
//! request block (`struct iocb`), the completion record (`struct
//! io_event`), the header of the completion ring the kernel maps into the
//! process (`struct aio_ring`, whose user address is the context id), and
//! how `io_setup` sizes that ring.

use crate::wire::{get_i16, get_u16, get_u32, get_u64, put_i64, put_u32, put_u64};

pub const IOCB_CMD_PREAD: u16 = 0;
pub const IOCB_CMD_PWRITE: u16 = 1;
pub const IOCB_CMD_FSYNC: u16 = 2;
pub const IOCB_CMD_FDSYNC: u16 = 3;
pub const IOCB_CMD_POLL: u16 = 5;
/// Defined by the header but never implemented by Linux: EINVAL.
pub const IOCB_CMD_NOOP: u16 = 6;
pub const IOCB_CMD_PREADV: u16 = 7;
pub const IOCB_CMD_PWRITEV: u16 = 8;

/// `aio_resfd` names an eventfd that each completion adds 1 to.
pub const IOCB_FLAG_RESFD: u32 = 1 << 0;
/// `aio_reqprio` is an I/O priority (ioprio_set's encoding).
pub const IOCB_FLAG_IOPRIO: u32 = 1 << 1;

/// What `io_submit` writes into `aio_key`, and `io_cancel` expects there.
pub const KIOCB_KEY: u32 = 0;

/// `aio_ring.magic`: libaio reads the ring in user space only when it
/// finds this.
pub const AIO_RING_MAGIC: u32 = 0xa10a_10a1;
pub const AIO_RING_COMPAT_FEATURES: u32 = 1;
pub const AIO_RING_INCOMPAT_FEATURES: u32 = 0;

/// The default of /proc/sys/fs/aio-max-nr.
pub const AIO_MAX_NR_DEFAULT: u64 = 0x10000;

const PAGE: u64 = 4096;

/// `struct iocb`, as user space submits it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Iocb {
    pub aio_data: u64,
    pub aio_key: u32,
    pub aio_rw_flags: u32,
    pub aio_lio_opcode: u16,
    pub aio_reqprio: i16,
    pub aio_fildes: u32,
    pub aio_buf: u64,
    pub aio_nbytes: u64,
    pub aio_offset: i64,
    pub aio_reserved2: u64,
    pub aio_flags: u32,
    pub aio_resfd: u32,
}

impl Iocb {
    pub const SIZE: usize = 64;
    /// Where `io_submit` writes `KIOCB_KEY`.
    pub const OFF_KEY: u64 = 8;

    pub fn from_bytes(b: &[u8]) -> Option<Iocb> {
        if b.len() < Self::SIZE {
            return None;
        }
        Some(Iocb {
            aio_data: get_u64(b, 0),
            aio_key: get_u32(b, 8),
            aio_rw_flags: get_u32(b, 12),
            aio_lio_opcode: get_u16(b, 16),
            aio_reqprio: get_i16(b, 18),
            aio_fildes: get_u32(b, 20),
            aio_buf: get_u64(b, 24),
            aio_nbytes: get_u64(b, 32),
            aio_offset: get_u64(b, 40) as i64,
            aio_reserved2: get_u64(b, 48),
            aio_flags: get_u32(b, 56),
            aio_resfd: get_u32(b, 60),
        })
    }

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u64(&mut b, 0, self.aio_data);
        put_u32(&mut b, 8, self.aio_key);
        put_u32(&mut b, 12, self.aio_rw_flags);
        b[16..18].copy_from_slice(&self.aio_lio_opcode.to_le_bytes());
        b[18..20].copy_from_slice(&self.aio_reqprio.to_le_bytes());
        put_u32(&mut b, 20, self.aio_fildes);
        put_u64(&mut b, 24, self.aio_buf);
        put_u64(&mut b, 32, self.aio_nbytes);
        put_i64(&mut b, 40, self.aio_offset);
        put_u64(&mut b, 48, self.aio_reserved2);
        put_u32(&mut b, 56, self.aio_flags);
        put_u32(&mut b, 60, self.aio_resfd);
        b
    }
}

/// `struct io_event`: one completion.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IoEvent {
    /// The request's `aio_data`.
    pub data: u64,
    /// The user address of the request's iocb.
    pub obj: u64,
    /// Bytes moved, poll events, or a negative errno.
    pub res: i64,
    pub res2: i64,
}

impl IoEvent {
    pub const SIZE: usize = 32;

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        put_u64(&mut b, 0, self.data);
        put_u64(&mut b, 8, self.obj);
        put_i64(&mut b, 16, self.res);
        put_i64(&mut b, 24, self.res2);
        b
    }

    pub fn from_bytes(b: &[u8]) -> Option<IoEvent> {
        if b.len() < Self::SIZE {
            return None;
        }
        Some(IoEvent {
            data: get_u64(b, 0),
            obj: get_u64(b, 8),
            res: get_u64(b, 16) as i64,
            res2: get_u64(b, 24) as i64,
        })
    }
}

/// `struct aio_ring`'s header; the events follow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RingHeader {
    pub id: u32,
    /// Event slots in the ring.
    pub nr: u32,
    /// The next slot to read: written by user space too.
    pub head: u32,
    /// The next slot the kernel fills.
    pub tail: u32,
    pub magic: u32,
    pub compat_features: u32,
    pub incompat_features: u32,
    pub header_length: u32,
}

impl RingHeader {
    pub const SIZE: usize = 32;
    pub const OFF_HEAD: u64 = 8;
    pub const OFF_TAIL: u64 = 12;

    /// A fresh ring of `nr` slots, as io_setup leaves it.
    pub fn new(nr: u32) -> RingHeader {
        RingHeader {
            id: !0,
            nr,
            head: 0,
            tail: 0,
            magic: AIO_RING_MAGIC,
            compat_features: AIO_RING_COMPAT_FEATURES,
            incompat_features: AIO_RING_INCOMPAT_FEATURES,
            header_length: Self::SIZE as u32,
        }
    }

    pub fn to_bytes(&self) -> [u8; Self::SIZE] {
        let mut b = [0u8; Self::SIZE];
        for (i, v) in [
            self.id,
            self.nr,
            self.head,
            self.tail,
            self.magic,
            self.compat_features,
            self.incompat_features,
            self.header_length,
        ]
        .into_iter()
        .enumerate()
        {
            put_u32(&mut b, i * 4, v);
        }
        b
    }

    /// Where slot `index` of a ring lies, from the ring's start.
    pub fn slot_offset(index: u32) -> u64 {
        Self::SIZE as u64 + u64::from(index) * IoEvent::SIZE as u64
    }
}

/// What io_setup makes of the `nr_events` user space asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RingGeometry {
    /// Charged against aio-max-nr: what user space asked for.
    pub max_requests: u32,
    /// Event slots the ring holds (`aio_ring.nr`); one stays empty, so at
    /// most `slots - 1` requests are in flight.
    pub slots: u32,
    /// Bytes mapped (whole pages).
    pub bytes: u64,
}

/// Why io_setup refuses a size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RingSizeError {
    /// EINVAL: zero, or so large the ring would overflow.
    Invalid,
    /// EAGAIN: more than aio-max-nr.
    OverLimit,
}

/// Linux's `ioctx_alloc` and `aio_setup_ring`: at least 4 events per CPU,
/// doubled (per-CPU batches may hold half of them), 2 more, rounded up to
/// whole pages, and every slot those pages hold is used.
pub fn ring_geometry(nr_events: u32, cpus: u32, aio_max_nr: u64) -> Result<RingGeometry, RingSizeError> {
    if nr_events == 0 {
        return Err(RingSizeError::Invalid);
    }
    let doubled = nr_events.max(cpus.saturating_mul(4)).wrapping_mul(2);
    if doubled == 0 || u64::from(doubled) > 0x1000_0000 / IoEvent::SIZE as u64 {
        return Err(RingSizeError::Invalid);
    }
    if u64::from(nr_events) > aio_max_nr {
        return Err(RingSizeError::OverLimit);
    }
    let wanted = u64::from(doubled) + 2;
    let bytes = (RingHeader::SIZE as u64 + wanted * IoEvent::SIZE as u64).div_ceil(PAGE) * PAGE;
    let slots = ((bytes - RingHeader::SIZE as u64) / IoEvent::SIZE as u64) as u32;
    Ok(RingGeometry { max_requests: nr_events, slots, bytes })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn one_event_on_one_cpu_gets_a_page() {
        // 1 -> 4 per CPU -> 8 -> 10 slots wanted -> one page of 127.
        let g = ring_geometry(1, 1, AIO_MAX_NR_DEFAULT).unwrap();
        assert_eq!(g, RingGeometry { max_requests: 1, slots: 127, bytes: 4096 });
    }

    #[test]
    fn limits_as_linux() {
        assert_eq!(ring_geometry(0, 1, AIO_MAX_NR_DEFAULT), Err(RingSizeError::Invalid));
        // -1: doubling overflows past the ring's bound first.
        assert_eq!(ring_geometry(u32::MAX, 1, AIO_MAX_NR_DEFAULT), Err(RingSizeError::Invalid));
        assert_eq!(ring_geometry(0x10001, 1, AIO_MAX_NR_DEFAULT), Err(RingSizeError::OverLimit));
        assert!(ring_geometry(0x10000, 1, AIO_MAX_NR_DEFAULT).is_ok());
    }

    #[test]
    fn layouts() {
        let iocb = Iocb {
            aio_data: 1,
            aio_key: 2,
            aio_rw_flags: 3,
            aio_lio_opcode: 4,
            aio_reqprio: -5,
            aio_fildes: 6,
            aio_buf: 7,
            aio_nbytes: 8,
            aio_offset: -9,
            aio_reserved2: 10,
            aio_flags: 11,
            aio_resfd: 12,
        };
        let b = iocb.to_bytes();
        assert_eq!(&b[16..18], &[4, 0]);
        assert_eq!(&b[60..64], &[12, 0, 0, 0]);
        assert_eq!(Iocb::from_bytes(&b), Some(iocb));
        assert_eq!(Iocb::from_bytes(&b[..63]), None);
        let header = RingHeader::new(127).to_bytes();
        assert_eq!(&header[16..20], &AIO_RING_MAGIC.to_le_bytes());
        assert_eq!(&header[28..32], &32u32.to_le_bytes());
        assert_eq!(RingHeader::slot_offset(1), 64);
    }

    proptest! {
        #[test]
        fn the_ring_holds_what_was_asked(nr in 1u32..=0x10000, cpus in 1u32..=8) {
            let g = ring_geometry(nr, cpus, AIO_MAX_NR_DEFAULT).unwrap();
            prop_assert!(g.slots > nr);
            prop_assert_eq!(g.bytes % 4096, 0);
            prop_assert!(RingHeader::slot_offset(g.slots) <= g.bytes);
            prop_assert!(RingHeader::slot_offset(g.slots + 1) > g.bytes);
        }

        #[test]
        fn events_round_trip(data: u64, obj: u64, res: i64, res2: i64) {
            let e = IoEvent { data, obj, res, res2 };
            prop_assert_eq!(IoEvent::from_bytes(&e.to_bytes()), Some(e));
        }
    }
}
