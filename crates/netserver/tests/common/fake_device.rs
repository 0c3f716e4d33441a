//! A frame device made of two queues, standing in for the virtio-net
//! driver's rings.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::Mutex;

use netserver::FrameDevice;

#[derive(Default)]
pub struct Wire {
    pub inbound: VecDeque<Vec<u8>>,
    pub outbound: Vec<Vec<u8>>,
}

pub struct FakeDevice {
    pub wire: Arc<Mutex<Wire>>,
    pub offload: bool,
}

impl FrameDevice for FakeDevice {
    fn receive(&mut self, buf: &mut [u8]) -> Option<usize> {
        let frame = self.wire.lock().unwrap().inbound.pop_front()?;
        let n = frame.len().min(buf.len());
        buf[..n].copy_from_slice(&frame[..n]);
        Some(n)
    }

    fn transmit(&mut self, frame: &[u8], _checksum_needed: bool) -> bool {
        let mut wire = self.wire.lock().unwrap();
        if wire.outbound.len() < 1000 {
            wire.outbound.push(frame.to_vec());
        }
        true
    }

    fn mtu(&self) -> usize {
        1500
    }

    fn checksum_offload(&self) -> bool {
        self.offload
    }
}

/// One end of a cable between two stacks: what one end transmits, the
/// other receives.
pub struct CableEnd {
    pub rx: Arc<Mutex<VecDeque<Vec<u8>>>>,
    pub tx: Arc<Mutex<VecDeque<Vec<u8>>>>,
    /// Loses one frame in n, at random (0: none).
    pub lose_every: usize,
    sent: usize,
}

/// Two ends of one cable.
pub fn cable() -> (CableEnd, CableEnd) {
    let ab = Arc::new(Mutex::new(VecDeque::new()));
    let ba = Arc::new(Mutex::new(VecDeque::new()));
    (
        CableEnd { rx: ba.clone(), tx: ab.clone(), lose_every: 0, sent: 0 },
        CableEnd { rx: ab, tx: ba, lose_every: 0, sent: 0 },
    )
}

impl FrameDevice for CableEnd {
    fn receive(&mut self, buf: &mut [u8]) -> Option<usize> {
        let frame = self.rx.lock().unwrap().pop_front()?;
        let n = frame.len().min(buf.len());
        buf[..n].copy_from_slice(&frame[..n]);
        Some(n)
    }

    fn transmit(&mut self, frame: &[u8], _checksum_needed: bool) -> bool {
        self.sent += 1;
        // Pseudo-random, not periodic: a periodic loss can hit the same
        // segment of every go-back-N retransmission forever.
        let roll = (self.sent as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40;
        if self.lose_every != 0 && roll.is_multiple_of(self.lose_every as u64) {
            return true;
        }
        let mut tx = self.tx.lock().unwrap();
        // A full ring drops, as a real one would.
        if tx.len() >= 512 {
            return false;
        }
        tx.push_back(frame.to_vec());
        true
    }

    fn mtu(&self) -> usize {
        1500
    }

    fn checksum_offload(&self) -> bool {
        false
    }
}
