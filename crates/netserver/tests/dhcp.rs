//! DHCPv4 against a hand-made server on a fake wire (what QEMU's user
//! network does): the lease gives the interface its address, default
//! route and DNS servers, and loopback answers for the new address.

mod common;

use std::sync::Arc;
use std::sync::Mutex;

use common::fake_device::{FakeDevice, Wire};
use common::{Kernel, Reply};
use netproto::{Address, Family, Kind, Request};
use netserver::{InterfaceConfig, Ipv4Config};

const MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x12, 0x34, 0x56];
const SERVER_MAC: [u8; 6] = [0x52, 0x55, 0x0a, 0x00, 0x02, 0x02];
const SERVER: [u8; 4] = [10, 0, 2, 2];
const LEASED: [u8; 4] = [10, 0, 2, 15];
const DNS: [u8; 4] = [10, 0, 2, 3];

fn checksum(data: &[u8], initial: u32) -> u16 {
    let mut sum = initial;
    for chunk in data.chunks(2) {
        sum += u32::from(u16::from_be_bytes([chunk[0], *chunk.get(1).unwrap_or(&0)]));
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// A DHCP message from the server to the client (broadcast).
fn dhcp_reply(xid: [u8; 4], message_type: u8) -> Vec<u8> {
    let mut bootp = vec![0u8; 236];
    bootp[0] = 2; // BOOTREPLY
    bootp[1] = 1;
    bootp[2] = 6;
    bootp[4..8].copy_from_slice(&xid);
    bootp[16..20].copy_from_slice(&LEASED); // yiaddr
    bootp[20..24].copy_from_slice(&SERVER); // siaddr
    bootp[28..34].copy_from_slice(&MAC); // chaddr
    bootp.extend_from_slice(&[99, 130, 83, 99]); // magic cookie
    bootp.extend_from_slice(&[53, 1, message_type]);
    bootp.extend_from_slice(&[54, 4]);
    bootp.extend_from_slice(&SERVER);
    bootp.extend_from_slice(&[51, 4, 0, 1, 0x51, 0x80]); // lease: a day
    bootp.extend_from_slice(&[1, 4, 255, 255, 255, 0]);
    bootp.extend_from_slice(&[3, 4]);
    bootp.extend_from_slice(&SERVER);
    bootp.extend_from_slice(&[6, 4]);
    bootp.extend_from_slice(&DNS);
    bootp.push(255);
    let mut udp = Vec::new();
    udp.extend_from_slice(&67u16.to_be_bytes());
    udp.extend_from_slice(&68u16.to_be_bytes());
    udp.extend_from_slice(&((8 + bootp.len()) as u16).to_be_bytes());
    udp.extend_from_slice(&[0, 0]);
    udp.extend_from_slice(&bootp);
    let broadcast = [255, 255, 255, 255];
    let mut pseudo = 0u32;
    for pair in SERVER.chunks(2).chain(broadcast.chunks(2)) {
        pseudo += u32::from(u16::from_be_bytes([pair[0], pair[1]]));
    }
    pseudo += 17 + udp.len() as u32;
    let c = checksum(&udp, pseudo);
    udp[6..8].copy_from_slice(&c.to_be_bytes());
    let mut ip = vec![0x45, 0, 0, 0, 0, 1, 0, 0, 64, 17, 0, 0];
    ip[2..4].copy_from_slice(&((20 + udp.len()) as u16).to_be_bytes());
    ip.extend_from_slice(&SERVER);
    ip.extend_from_slice(&broadcast);
    let c = checksum(&ip, 0);
    ip[10..12].copy_from_slice(&c.to_be_bytes());
    ip.extend_from_slice(&udp);
    let mut frame = vec![0xff; 6];
    frame.extend_from_slice(&SERVER_MAC);
    frame.extend_from_slice(&[8, 0]);
    frame.extend_from_slice(&ip);
    frame
}

/// The transaction id and message type of the client's last DHCP message.
fn last_client_message(wire: &Arc<Mutex<Wire>>) -> Option<([u8; 4], u8)> {
    let wire = wire.lock().unwrap();
    let frame = wire
        .outbound
        .iter()
        .rev()
        .find(|f| f.len() > 282 && f[12..14] == [8, 0] && f[23] == 17 && f[36..38] == [0, 67])?;
    let bootp = &frame[42..];
    let mut xid = [0u8; 4];
    xid.copy_from_slice(&bootp[4..8]);
    let options = &bootp[240..];
    let mut i = 0;
    while i + 2 < options.len() {
        if options[i] == 53 {
            return Some((xid, options[i + 2]));
        }
        i += 2 + options[i + 1] as usize;
    }
    None
}

#[test]
fn a_lease_configures_the_interface() {
    let mut k = Kernel::new();
    let wire = Arc::new(Mutex::new(Wire::default()));
    let config = InterfaceConfig { ipv4: Ipv4Config::Dhcp, ipv6: None, gateway6: None };
    k.stack.add_ethernet(FakeDevice { wire: wire.clone(), offload: false }, MAC, config).unwrap();
    let u = k.open(Family::V4, Kind::Datagram);
    let far = Address::V4 { addr: [8, 8, 8, 8], port: 53 };
    assert_eq!(
        k.call(Request::Send { socket: u, to: Some(far), data: b"q", more: false }),
        Reply::Error(netproto::Error::NetworkUnreachable),
        "no route before the lease"
    );
    k.poll();
    let (xid, kind) = last_client_message(&wire).expect("a DHCPDISCOVER");
    assert_eq!(kind, 1);
    wire.lock().unwrap().inbound.push_back(dhcp_reply(xid, 2)); // OFFER
    k.poll();
    k.poll();
    let (xid, kind) = last_client_message(&wire).expect("a DHCPREQUEST");
    assert_eq!(kind, 3);
    wire.lock().unwrap().inbound.push_back(dhcp_reply(xid, 5)); // ACK
    k.poll();
    assert_eq!(k.stack.dns_servers(), vec![DNS]);
    // The default route is there, through the gateway.
    assert_eq!(k.call(Request::Send { socket: u, to: Some(far), data: b"q", more: false }), Reply::Sent(1));
    // The leased address is this machine's: bind to it, reach it.
    let (listener, port) = k.listener(Address::V4 { addr: LEASED, port: 0 }, 1);
    let c = k.connect(Family::V4, Address::V4 { addr: LEASED, port }).expect("connect to the leased address");
    let (s, _) = k.accept(listener);
    k.send_all(c, b"leased");
    assert_eq!(k.receive(s, 10).unwrap(), b"leased");
}
