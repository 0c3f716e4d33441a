//! A frame device made of two queues, standing in for the virtio-net
//! driver's rings.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use netserver::FrameDevice;

#[derive(Default)]
pub struct Wire {
    pub inbound: VecDeque<Vec<u8>>,
    pub outbound: Vec<Vec<u8>>,
}

pub struct FakeDevice {
    pub wire: Rc<RefCell<Wire>>,
    pub offload: bool,
}

impl FrameDevice for FakeDevice {
    fn receive(&mut self, buf: &mut [u8]) -> Option<usize> {
        let frame = self.wire.borrow_mut().inbound.pop_front()?;
        let n = frame.len().min(buf.len());
        buf[..n].copy_from_slice(&frame[..n]);
        Some(n)
    }

    fn transmit(&mut self, frame: &[u8], _checksum_needed: bool) -> bool {
        let mut wire = self.wire.borrow_mut();
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
