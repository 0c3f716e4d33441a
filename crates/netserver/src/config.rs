//! The network configuration file (`network.conf`): how the TCP/IP server
//! configures the Ethernet interface it finds. xtask writes it into the
//! boot image for `cargo xtask run --net` and init grants it to the
//! server (`grant file native/network.conf r`). One setting per line,
//! `#` starts a comment:
//!
//! ```text
//! ipv4 dhcp                      # the default: ask the network
//! ipv4 10.0.2.15/24 via 10.0.2.2 # or a static address and gateway
//! ipv4 none                      # or no IPv4 on the interface
//! ipv6 fec0::15/64 via fec0::2   # a static IPv6 address (and gateway)
//! dns 10.0.2.3                   # a name server (for /etc/resolv.conf)
//! ```
//!
//! A line this parser does not understand is an error naming the line:
//! a server that guessed at its configuration would be harder to debug
//! than one that says what it refused. The text is hostile input (any
//! bytes; a property test feeds it garbage): errors, never panics.

use alloc::vec::Vec;
use core::net::{Ipv4Addr, Ipv6Addr};

use crate::interface::{InterfaceConfig, Ipv4Config};

/// The parsed file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkConfig {
    pub interface: InterfaceConfig,
    /// Name servers, in the order written.
    pub dns: Vec<core::net::IpAddr>,
}

impl Default for NetworkConfig {
    /// DHCP for IPv4, no IPv6 beyond the link-local address.
    fn default() -> NetworkConfig {
        NetworkConfig {
            interface: InterfaceConfig { ipv4: Ipv4Config::Dhcp, ipv6: None, gateway6: None },
            dns: Vec::new(),
        }
    }
}

/// Why a file was refused: its 1-based line and what was wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub line: usize,
    pub message: &'static str,
}

/// The most name servers kept (glibc reads three).
pub const MAX_DNS: usize = 3;

impl NetworkConfig {
    pub fn parse(text: &[u8]) -> Result<NetworkConfig, ConfigError> {
        let text = core::str::from_utf8(text).map_err(|e| ConfigError {
            line: text[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1,
            message: "not UTF-8",
        })?;
        let mut config = NetworkConfig::default();
        let (mut seen4, mut seen6) = (false, false);
        for (i, line) in text.lines().enumerate() {
            let fail = |message| ConfigError { line: i + 1, message };
            let line = line.split('#').next().unwrap_or("");
            let words: Vec<&str> = line.split_ascii_whitespace().collect();
            match words.as_slice() {
                [] => {}
                ["ipv4", rest @ ..] => {
                    if core::mem::replace(&mut seen4, true) {
                        return Err(fail("ipv4 given twice"));
                    }
                    config.interface.ipv4 = match rest {
                        ["dhcp"] => Ipv4Config::Dhcp,
                        ["none"] => Ipv4Config::None,
                        [cidr] => {
                            let (address, prefix) = ipv4_cidr(cidr).ok_or(fail("usage: ipv4 <a.b.c.d>/<prefix>"))?;
                            Ipv4Config::Static { address, prefix, gateway: None }
                        }
                        [cidr, "via", gateway] => {
                            let (address, prefix) = ipv4_cidr(cidr).ok_or(fail("usage: ipv4 <a.b.c.d>/<prefix>"))?;
                            let gateway: Ipv4Addr = gateway.parse().map_err(|_| fail("bad IPv4 gateway"))?;
                            Ipv4Config::Static { address, prefix, gateway: Some(gateway.octets()) }
                        }
                        _ => return Err(fail("usage: ipv4 dhcp|none|<a.b.c.d>/<prefix> [via <gateway>]")),
                    };
                }
                ["ipv6", cidr, rest @ ..] => {
                    if core::mem::replace(&mut seen6, true) {
                        return Err(fail("ipv6 given twice"));
                    }
                    let (address, prefix) = ipv6_cidr(cidr).ok_or(fail("usage: ipv6 <address>/<prefix>"))?;
                    config.interface.ipv6 = Some((address, prefix));
                    config.interface.gateway6 = match rest {
                        [] => None,
                        ["via", gateway] => {
                            Some(gateway.parse::<Ipv6Addr>().map_err(|_| fail("bad IPv6 gateway"))?.octets())
                        }
                        _ => return Err(fail("usage: ipv6 <address>/<prefix> [via <gateway>]")),
                    };
                }
                ["dns", server] => {
                    if config.dns.len() == MAX_DNS {
                        return Err(fail("more than 3 name servers"));
                    }
                    config.dns.push(server.parse().map_err(|_| fail("bad name server address"))?);
                }
                _ => return Err(fail("unknown setting (ipv4, ipv6 and dns are known)")),
            }
        }
        Ok(config)
    }
}

fn ipv4_cidr(s: &str) -> Option<([u8; 4], u8)> {
    let (address, prefix) = s.split_once('/')?;
    let address: Ipv4Addr = address.parse().ok()?;
    let prefix: u8 = prefix.parse().ok().filter(|&p| p <= 32)?;
    // An address that cannot be a host's is a mistake, not a setting.
    let host = !(address.is_unspecified() || address.is_broadcast() || address.is_multicast());
    host.then_some((address.octets(), prefix))
}

fn ipv6_cidr(s: &str) -> Option<([u8; 16], u8)> {
    let (address, prefix) = s.split_once('/')?;
    let address: Ipv6Addr = address.parse().ok()?;
    let prefix: u8 = prefix.parse().ok().filter(|&p| p <= 128)?;
    let host = !(address.is_unspecified() || address.is_multicast() || address.is_loopback());
    host.then_some((address.octets(), prefix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    extern crate std;

    #[test]
    fn the_documented_example_parses() {
        let text = b"# QEMU's user network\nipv4 10.0.2.15/24 via 10.0.2.2\nipv6 fec0::15/64 via fec0::2 # slirp\n\ndns 10.0.2.3\ndns fec0::3\n";
        let c = NetworkConfig::parse(text).unwrap();
        assert_eq!(
            c.interface.ipv4,
            Ipv4Config::Static { address: [10, 0, 2, 15], prefix: 24, gateway: Some([10, 0, 2, 2]) }
        );
        assert_eq!(c.interface.ipv6, Some(("fec0::15".parse::<Ipv6Addr>().unwrap().octets(), 64)));
        assert_eq!(c.interface.gateway6, Some("fec0::2".parse::<Ipv6Addr>().unwrap().octets()));
        assert_eq!(c.dns, ["10.0.2.3".parse::<core::net::IpAddr>().unwrap(), "fec0::3".parse().unwrap()]);
    }

    #[test]
    fn empty_means_dhcp() {
        assert_eq!(NetworkConfig::parse(b"").unwrap(), NetworkConfig::default());
        assert_eq!(NetworkConfig::parse(b"ipv4 dhcp\n").unwrap().interface.ipv4, Ipv4Config::Dhcp);
        assert_eq!(NetworkConfig::parse(b"ipv4 none").unwrap().interface.ipv4, Ipv4Config::None);
        let c = NetworkConfig::parse(b"ipv4 192.168.1.9/16").unwrap();
        assert_eq!(c.interface.ipv4, Ipv4Config::Static { address: [192, 168, 1, 9], prefix: 16, gateway: None });
    }

    #[test]
    fn mistakes_name_their_line() {
        let cases: [(&[u8], usize); 10] = [
            (b"ipv4 10.0.2.15\n", 1),
            (b"\nipv4 10.0.2.15/33", 2),
            (b"ipv4 dhcp\nipv4 dhcp", 2),
            (b"ipv4 255.255.255.255/24", 1),
            (b"ipv4 10.0.2.15/24 via", 1),
            (b"ipv6 ::1/128", 1),
            (b"dns 1.2.3.4\ndns 1.2.3.5\ndns 1.2.3.6\ndns 1.2.3.7", 4),
            (b"dns nameserver", 1),
            (b"hostname helctic", 1),
            (b"ipv4 dhcp\n\xff", 2),
        ];
        for (text, line) in cases {
            let e = NetworkConfig::parse(text).unwrap_err();
            assert_eq!(e.line, line, "{:?}: {e:?}", std::string::String::from_utf8_lossy(text));
        }
    }

    proptest! {
        #[test]
        fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = NetworkConfig::parse(&bytes);
        }

        #[test]
        fn mangled_lines_never_panic(line in "(ipv4|ipv6|dns|via| |/|[0-9a-f:.]{0,12}){0,8}") {
            let _ = NetworkConfig::parse(line.as_bytes());
        }
    }
}
