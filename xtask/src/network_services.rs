//! The native services of every Linux boot without a disk: native init
//! and the TCP/IP server (user/manifests/network.manifest), started beside
//! the Linux init with `services=` so that Internet sockets work on the
//! loopback interface from the first program on. Boots with a disk get the
//! same server from storage.manifest / rootfs.manifest.

use crate::initramfs::Image;

/// The native programs of network.manifest.
const PROGRAMS: [&str; 2] = ["init", "netstack"];

/// network.manifest's text.
pub fn manifest() -> Result<String, String> {
    std::fs::read_to_string(crate::root().join("user/manifests/network.manifest"))
        .map_err(|e| format!("network.manifest: {e}"))
}

/// Adds native init, the TCP/IP server and network.manifest to `img`.
pub fn add(img: &mut Image) -> Result<(), String> {
    add_with(img, manifest()?)
}

/// As `add`, with another boot manifest.
pub fn add_with(img: &mut Image, manifest: String) -> Result<(), String> {
    let built = crate::native::build_native(true)?;
    for name in PROGRAMS {
        let (_, path) = built
            .iter()
            .find(|(prog, _)| prog == name)
            .ok_or_else(|| format!("native program {name} was not built"))?;
        img.host_file(&format!("native/{name}"), path)?;
    }
    img.file("native/boot.manifest", manifest.into_bytes(), 0o644);
    add_hosts(img);
    Ok(())
}

/// /etc/hosts: the loopback names, so that `localhost` resolves without a
/// name server (glibc and musl read it first).
pub fn add_hosts(img: &mut Image) {
    img.file(
        "etc/hosts",
        b"127.0.0.1\tlocalhost\n127.0.1.1\thelctic\n::1\tlocalhost ip6-localhost ip6-loopback\n".to_vec(),
        0o644,
    );
}

/// The kernel command line words that start them.
pub const SERVICES: &str = crate::storage_tests::SERVICES;

/// The guest's Ethernet address (QEMU's default for its first NIC).
pub const GUEST_MAC: &str = "52:54:00:12:34:56";
/// What QEMU's user network gives the guest, and what the static
/// configuration writes: 10.0.2.15/24, gateway (the host) 10.0.2.2, name
/// server 10.0.2.3; for IPv6, fec0::/64 with the host at fec0::2.
pub const GUEST_IPV4: &str = "10.0.2.15";
pub const HOST_FROM_GUEST: &str = "10.0.2.2";

/// How the Ethernet interface gets its IPv4 address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ipv4Mode {
    /// From QEMU's DHCP server (`--net`).
    Dhcp,
    /// Written into network.conf (`--net-static`).
    Static,
}

/// A virtio-net device on QEMU's user network, and what the guest needs
/// to use it: the driver, the merged manifest, network.conf,
/// /etc/resolv.conf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ethernet {
    pub ipv4: Ipv4Mode,
    /// (host port on 127.0.0.1, guest port): TCP forwarded inwards.
    pub forwards: Vec<(u16, u16)>,
}

impl Ethernet {
    /// QEMU's arguments: the user network backend (with the forwards) and
    /// the device on it.
    pub fn qemu_args(&self) -> Vec<String> {
        let mut netdev = String::from("user,id=net0,net=10.0.2.0/24,ipv6-net=fec0::/64");
        for (host, guest) in &self.forwards {
            netdev.push_str(&format!(",hostfwd=tcp:127.0.0.1:{host}-:{guest}"));
        }
        let mut args = vec!["-netdev".into(), netdev];
        args.extend(crate::qemu::net_device_args("net0", GUEST_MAC));
        args
    }

    /// network.conf (crates/netserver/src/config.rs): the interface's
    /// addresses and the name server.
    pub fn config_text(&self) -> String {
        let ipv4 = match self.ipv4 {
            Ipv4Mode::Dhcp => "ipv4 dhcp".to_string(),
            Ipv4Mode::Static => format!("ipv4 {GUEST_IPV4}/24 via {HOST_FROM_GUEST}"),
        };
        // smoltcp does no SLAAC: the address QEMU's router advertises a
        // prefix for is configured statically in both modes.
        format!("# Written by xtask for QEMU's user network.\n{ipv4}\nipv6 fec0::15/64 via fec0::2\ndns 10.0.2.3\n")
    }

    /// Adds the driver, network.conf and /etc/resolv.conf to `img`, whose
    /// native/boot.manifest (already there) gains the Ethernet part.
    pub fn add_to(&self, img: &mut Image) -> Result<(), String> {
        let base = img
            .contents("native/boot.manifest")
            .ok_or("the image has no native/boot.manifest to add the network to")?;
        let merged = with_ethernet(&String::from_utf8_lossy(base))?;
        let built = crate::native::build_native(true)?;
        let (_, driver) =
            built.iter().find(|(prog, _)| prog == "virtio-net").ok_or("native program virtio-net was not built")?;
        img.host_file("native/virtio-net", driver)?;
        img.file("native/boot.manifest", merged.into_bytes(), 0o644);
        img.file("native/network.conf", self.config_text().into_bytes(), 0o644);
        img.file("etc/resolv.conf", b"nameserver 10.0.2.3\n".to_vec(), 0o644);
        Ok(())
    }
}

/// `manifest` with user/manifests/ethernet.manifest merged in: its objects
/// declared, its tasks (the driver) started before the TCP/IP server, and
/// the server granted the driver's endpoint and network.conf.
pub fn with_ethernet(manifest: &str) -> Result<String, String> {
    let fragment = std::fs::read_to_string(crate::root().join("user/manifests/ethernet.manifest"))
        .map_err(|e| format!("ethernet.manifest: {e}"))?;
    merge_ethernet(manifest, &fragment)
}

fn merge_ethernet(manifest: &str, fragment: &str) -> Result<String, String> {
    use manifest::{Grant, Rights};
    let mut m =
        manifest::parse(manifest.as_bytes()).map_err(|e| format!("boot manifest, line {}: {}", e.line, e.message))?;
    let part = manifest::parse(fragment.as_bytes())
        .map_err(|e| format!("ethernet.manifest, line {}: {}", e.line, e.message))?;
    let at = m.tasks.iter().position(|t| t.name == "netstack").ok_or("the boot manifest starts no netstack")?;
    for object in &part.objects {
        if m.objects.iter().any(|o| o.name == object.name) {
            return Err(format!("the boot manifest already declares `{}`", object.name));
        }
    }
    m.objects.extend(part.objects.iter().cloned());
    let server = &mut m.tasks[at];
    server.grants.push(Grant::Endpoint { name: "nic".into(), rights: Rights::WRITE | Rights::GRANT });
    server.grants.push(Grant::File { path: "network.conf".into(), rights: Rights::READ });
    for (i, task) in part.tasks.into_iter().enumerate() {
        m.tasks.insert(at + i, task);
    }
    let text = m.render();
    // What init will read must parse: a grant beyond the limit, say.
    manifest::parse(text.as_bytes()).map_err(|e| format!("merged manifest, line {}: {}", e.line, e.message))?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_boot_manifest_takes_the_ethernet_part() {
        let fragment = std::fs::read_to_string(crate::root().join("user/manifests/ethernet.manifest")).unwrap();
        for name in ["network", "storage", "rootfs"] {
            let text = std::fs::read_to_string(crate::root().join(format!("user/manifests/{name}.manifest"))).unwrap();
            let merged = manifest::parse(merge_ethernet(&text, &fragment).unwrap().as_bytes()).unwrap();
            let names: Vec<&str> = merged.tasks.iter().map(|t| t.name.as_str()).collect();
            let driver = names.iter().position(|&n| n == "virtio-net").unwrap();
            let server = names.iter().position(|&n| n == "netstack").unwrap();
            assert!(driver < server, "{name}: {names:?}");
            let grants = &merged.tasks[server].grants;
            assert!(matches!(grants[0], manifest::Grant::Net { .. }), "{name}: Net stays at slot 3");
            assert!(grants.iter().any(|g| matches!(g, manifest::Grant::Endpoint { name, .. } if name == "nic")));
            assert!(grants.iter().any(|g| matches!(g, manifest::Grant::File { path, .. } if path == "network.conf")));
        }
        assert!(merge_ethernet("endpoint x\n", &fragment).is_err(), "no netstack: refused");
    }

    #[test]
    fn the_config_file_is_what_the_server_parses() {
        use netserver::{Ipv4Config, NetworkConfig};
        let static_ = Ethernet { ipv4: Ipv4Mode::Static, forwards: vec![(8080, 80)] };
        let parsed = NetworkConfig::parse(static_.config_text().as_bytes()).unwrap();
        assert_eq!(
            parsed.interface.ipv4,
            Ipv4Config::Static { address: [10, 0, 2, 15], prefix: 24, gateway: Some([10, 0, 2, 2]) }
        );
        assert_eq!(parsed.dns, ["10.0.2.3".parse::<std::net::IpAddr>().unwrap()]);
        let args = static_.qemu_args().join(" ");
        assert!(args.contains("hostfwd=tcp:127.0.0.1:8080-:80"), "{args}");
        let dhcp = Ethernet { ipv4: Ipv4Mode::Dhcp, forwards: vec![] };
        let parsed = NetworkConfig::parse(dhcp.config_text().as_bytes()).unwrap();
        assert_eq!(parsed.interface.ipv4, Ipv4Config::Dhcp);
        assert!(parsed.interface.ipv6.is_some());
    }
}
