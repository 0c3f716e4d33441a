//! /proc/net: the network server's interface and socket tables
//! (fs/inet/tables.rs), printed by the Linux personality
//! (personality-linux's procfs/net.rs). Without a network server the
//! files hold their headers only: there is no interface and no socket.

use super::linux_text;
use crate::fs::inet::tables;
use alloc::string::String;
use alloc::vec::Vec;
use kernel_ops::{InetSocketRecord, NetworkRecord, ProcFile, SocketFamily, SocketKind};

fn network() -> NetworkRecord {
    tables::network().unwrap_or_default()
}

fn sockets(kind: SocketKind, family: SocketFamily) -> String {
    let all: Vec<InetSocketRecord> = tables::sockets().unwrap_or_default();
    linux_text(ProcFile::NetSockets { sockets: &all, kind, family })
}

pub fn dev() -> String {
    linux_text(ProcFile::NetDev(&network()))
}

pub fn route() -> String {
    linux_text(ProcFile::NetRoute(&network()))
}

pub fn if_inet6() -> String {
    linux_text(ProcFile::NetIfInet6(&network()))
}

pub fn tcp() -> String {
    sockets(SocketKind::Stream, SocketFamily::Inet4)
}

pub fn tcp6() -> String {
    sockets(SocketKind::Stream, SocketFamily::Inet6)
}

pub fn udp() -> String {
    sockets(SocketKind::Datagram, SocketFamily::Inet4)
}

pub fn udp6() -> String {
    sockets(SocketKind::Datagram, SocketFamily::Inet6)
}
