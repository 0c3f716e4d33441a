//! The Ethernet link: attaching to the virtio-net driver (`protocols::net`)
//! and the [`FrameDevice`] over its shared rings that the stack sends and
//! receives frames through.
//!
//! The driver signals the server's timer notification with [`FRAMES`]
//! when it put frames on the receive ring or freed transmit slots; the
//! timer thread then polls the stack. The server kicks the driver once per
//! round of frames (`flush`), not once per frame.

use abi::{CapType, Error, MsgInfo, Rights, TASK_SELF_SLOT};
use netserver::FrameDevice;
use protocols::net::{self, Consumer, Producer, PushError};
use rt::shared::SharedBuffer;
use rt::{println, sys};

/// The bit the driver signals the timer notification with.
pub const FRAMES: u64 = 1 << 1;
/// How long to wait for the driver to answer on its endpoint (it resets
/// and sets up the device first; init starts both at once).
const DRIVER_WAIT_NS: u64 = 20_000_000_000;

/// The attached driver's rings.
pub struct RingDevice {
    rings: SharedBuffer,
    tx: Producer,
    rx: Consumer,
    /// The driver's notification (WRITE).
    kick: u64,
    /// Frames were sent or taken since the last kick.
    unkicked: bool,
    mtu: usize,
    /// The driver completes CHECKSUM_NEEDED frames.
    offload: bool,
    /// Bogus ring indices are the driver's bug: said once, not per frame.
    complained: bool,
}

/// What the driver said about the device.
pub struct Attached {
    pub device: RingDevice,
    pub mac: [u8; 6],
    pub link_up: bool,
}

fn call(endpoint: u64, label: u32, cap: Option<u64>, words: [u64; 4]) -> Result<sys::Message, &'static str> {
    let info = match cap {
        Some(slot) => MsgInfo::new(label).with_cap(slot),
        None => MsgInfo::new(label),
    };
    let m = sys::ipc_call(endpoint, info, words).map_err(|_| "the driver's endpoint failed")?;
    match m.info.label() {
        net::DONE => Ok(m),
        net::BUSY => Err("the driver serves another client"),
        net::MALFORMED => Err("the driver called the request malformed"),
        net::NOT_ATTACHED => Err("the driver says we are not attached"),
        _ => Err("the driver could not do it"),
    }
}

/// Waits until the driver answers, then attaches: our task, the
/// notification to signal (`timer`, with [`FRAMES`]), fresh rings.
pub fn attach(endpoint: u64, timer: u64) -> Result<Attached, &'static str> {
    let start = sys::clock_ns();
    loop {
        match sys::ipc_call(endpoint, MsgInfo::new(net::INFO).nonblocking(), [0; 4]) {
            Ok(_) => break,
            Err(Error::WouldBlock) if sys::clock_ns() - start < DRIVER_WAIT_NS => sys::sleep(10_000_000),
            Err(Error::WouldBlock) => return Err("the driver did not answer on its endpoint"),
            Err(_) => return Err("the driver's endpoint failed"),
        }
    }
    let derive = |slot, rights| sys::cap_derive(slot, rights, 0, 0, 0).map_err(|_| "cannot derive a capability");
    let task = derive(TASK_SELF_SLOT, Rights::READ | Rights::TRANSFER)?;
    let m = call(endpoint, net::ATTACH, Some(task), [0; 4])?;
    let kick = m.info.cap().ok_or("the driver's ATTACH reply has no notification")?;
    if !sys::cap_info(kick).is_ok_and(|i| i.cap_type == CapType::Notification) {
        return Err("the driver's ATTACH reply has no notification");
    }
    let [mac, mtu, flags, geometry] = m.words;
    if geometry != u64::from(net::SLOTS) | (net::SLOT_BYTES as u64) << 32 {
        return Err("the driver's ring geometry is not this protocol's");
    }
    let signal_only = derive(timer, Rights::WRITE | Rights::TRANSFER)?;
    call(endpoint, net::EVENTS, Some(signal_only), [FRAMES, 0, 0, 0])?;
    let mem = sys::mem_alloc(net::RING_PAGES, 0).map_err(|_| "out of memory for the rings")?;
    let rings = SharedBuffer::map(mem, net::RING_PAGES).map_err(|_| "cannot map the rings")?;
    let for_driver = derive(mem, Rights::READ | Rights::WRITE | Rights::TRANSFER)?;
    let _ = sys::cap_delete(mem);
    call(endpoint, net::RINGS, Some(for_driver), [net::RING_PAGES, 0, 0, 0])?;
    // Frames longer than a slot cannot be sent: the MTU the stack uses
    // fits them, whatever the device claims.
    let mtu = (mtu as usize).clamp(576, net::FRAME_MAX - 14);
    let device = RingDevice {
        rings,
        tx: Producer::new(net::TRANSMIT),
        rx: Consumer::new(net::RECEIVE),
        kick,
        unkicked: false,
        mtu,
        offload: flags & net::FLAG_CHECKSUM_OFFLOAD != 0,
        complained: false,
    };
    Ok(Attached { device, mac: net::mac_from_word(mac), link_up: flags & net::FLAG_LINK_UP != 0 })
}

impl RingDevice {
    fn bogus(&mut self, what: &dyn core::fmt::Debug) {
        if !core::mem::replace(&mut self.complained, true) {
            println!("netstack: the driver's rings are inconsistent ({what:?}); frames are dropped");
        }
    }
}

impl FrameDevice for RingDevice {
    fn receive(&mut self, buf: &mut [u8]) -> Option<usize> {
        loop {
            match self.rx.pop(&self.rings, buf) {
                Ok(None) => return None,
                Ok(Some((len, _flags))) => {
                    self.unkicked = true;
                    return Some(len);
                }
                // A slot with a bogus length is consumed: try the next.
                Err(e @ net::Bogus::Length { .. }) => self.bogus(&e),
                Err(e) => {
                    self.bogus(&e);
                    return None;
                }
            }
        }
    }

    fn transmit(&mut self, frame: &[u8], checksum_needed: bool) -> bool {
        let flags = if checksum_needed { net::CHECKSUM_NEEDED } else { 0 };
        match self.tx.push(&self.rings, frame, flags) {
            Ok(()) => {
                self.unkicked = true;
                true
            }
            Err(PushError::Full) => {
                // Let the driver drain it; TCP retransmits what was dropped.
                self.flush();
                false
            }
            Err(PushError::TooLong) => false,
            Err(PushError::Bogus(e)) => {
                self.bogus(&e);
                false
            }
        }
    }

    fn mtu(&self) -> usize {
        self.mtu
    }

    fn checksum_offload(&self) -> bool {
        self.offload
    }

    fn link_up(&self) -> bool {
        self.rings.load_u32(net::LINK) == net::LINK_UP
    }

    fn queue_length(&self) -> usize {
        net::SLOTS as usize
    }

    fn flush(&mut self) {
        if core::mem::replace(&mut self.unkicked, false) {
            let _ = sys::notify_signal(self.kick, 1);
        }
    }
}
