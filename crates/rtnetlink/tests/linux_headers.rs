//! Cross-checks every constant and structure layout of `rtnetlink::uapi`
//! against the host's Linux UAPI headers (`linux-libc-dev`): a C program
//! prints each value as the headers define it and the test compares.
//! Without a C compiler or the headers the test says so and passes.

use std::path::PathBuf;
use std::process::Command;

use rtnetlink::uapi::addr::*;
use rtnetlink::uapi::errno::*;
use rtnetlink::uapi::family::*;
use rtnetlink::uapi::link::*;
use rtnetlink::uapi::netlink::*;
use rtnetlink::uapi::route::*;
use rtnetlink::uapi::rtnetlink::*;
use rtnetlink::uapi::rule::*;

/// `(C expression, the crate's value)`; a constant's C name is its Rust name.
macro_rules! checks {
    ($($name:ident),* $(,)?) => { vec![$((stringify!($name).to_string(), $name as i64)),*] };
}

fn expected() -> Vec<(String, i64)> {
    let mut v = checks![
        NETLINK_ROUTE,
        NLMSG_ALIGNTO,
        NLMSG_HDRLEN,
        NLM_F_REQUEST,
        NLM_F_MULTI,
        NLM_F_ACK,
        NLM_F_ECHO,
        NLM_F_DUMP_INTR,
        NLM_F_DUMP_FILTERED,
        NLM_F_ROOT,
        NLM_F_MATCH,
        NLM_F_ATOMIC,
        NLM_F_DUMP,
        NLM_F_CAPPED,
        NLM_F_ACK_TLVS,
        NLMSG_NOOP,
        FRA_PRIORITY,
        FRA_SUPPRESS_PREFIXLEN,
        FRA_TABLE,
        FRA_PROTOCOL,
        FR_ACT_TO_TBL,
        EAFNOSUPPORT,
        NLMSG_ERROR,
        NLMSG_DONE,
        NLMSG_OVERRUN,
        NLMSG_MIN_TYPE,
        NLMSGERR_ATTR_MSG,
        NLMSGERR_ATTR_OFFS,
        SOL_NETLINK,
        NETLINK_ADD_MEMBERSHIP,
        NETLINK_DROP_MEMBERSHIP,
        NETLINK_PKTINFO,
        NETLINK_BROADCAST_ERROR,
        NETLINK_NO_ENOBUFS,
        NETLINK_LISTEN_ALL_NSID,
        NETLINK_LIST_MEMBERSHIPS,
        NETLINK_CAP_ACK,
        NETLINK_EXT_ACK,
        NETLINK_GET_STRICT_CHK,
        RTM_BASE,
        RTM_NEWLINK,
        RTM_DELLINK,
        RTM_GETLINK,
        RTM_SETLINK,
        RTM_NEWADDR,
        RTM_DELADDR,
        RTM_GETADDR,
        RTM_NEWROUTE,
        RTM_DELROUTE,
        RTM_GETROUTE,
        RTM_NEWNEIGH,
        RTM_GETNEIGH,
        RTM_NEWRULE,
        RTM_GETRULE,
        RTM_GETQDISC,
        RTM_GETTCLASS,
        RTM_GETTFILTER,
        RTM_GETACTION,
        RTM_GETMULTICAST,
        RTM_GETANYCAST,
        RTM_GETNEIGHTBL,
        RTM_GETADDRLABEL,
        RTM_GETDCB,
        RTM_NEWNETCONF,
        RTM_GETNETCONF,
        RTM_GETMDB,
        RTM_GETNSID,
        RTM_GETSTATS,
        RTM_GETCHAIN,
        RTM_GETNEXTHOP,
        RTM_GETLINKPROP,
        RTM_GETVLAN,
        RTM_GETNEXTHOPBUCKET,
        RTM_GETTUNNEL,
        RTM_MAX,
        RTA_ALIGNTO,
        RTEXT_FILTER_VF,
        RTEXT_FILTER_SKIP_STATS,
        IFLA_ADDRESS,
        IFLA_BROADCAST,
        IFLA_IFNAME,
        IFLA_MTU,
        IFLA_LINK,
        IFLA_QDISC,
        IFLA_STATS,
        IFLA_MASTER,
        IFLA_TXQLEN,
        IFLA_OPERSTATE,
        IFLA_LINKMODE,
        IFLA_LINKINFO,
        IFLA_STATS64,
        IFLA_GROUP,
        IFLA_EXT_MASK,
        IFLA_PROMISCUITY,
        IFLA_NUM_TX_QUEUES,
        IFLA_NUM_RX_QUEUES,
        IFLA_CARRIER,
        IFLA_CARRIER_CHANGES,
        IFLA_PROTO_DOWN,
        IFLA_GSO_MAX_SEGS,
        IFLA_GSO_MAX_SIZE,
        IFLA_MIN_MTU,
        IFLA_MAX_MTU,
        IFLA_TARGET_NETNSID,
        IFLA_ALT_IFNAME,
        IFNAMSIZ,
        ALTIFNAMSIZ,
        IFF_UP,
        IFF_BROADCAST,
        IFF_LOOPBACK,
        IFF_POINTOPOINT,
        IFF_RUNNING,
        IFF_NOARP,
        IFF_PROMISC,
        IFF_MULTICAST,
        IFF_LOWER_UP,
        IF_OPER_UNKNOWN,
        IF_OPER_DOWN,
        IF_OPER_UP,
        ARPHRD_ETHER,
        ARPHRD_LOOPBACK,
        IFA_ADDRESS,
        IFA_LOCAL,
        IFA_LABEL,
        IFA_BROADCAST,
        IFA_CACHEINFO,
        IFA_FLAGS,
        IFA_TARGET_NETNSID,
        IFA_F_SECONDARY,
        IFA_F_NODAD,
        IFA_F_DEPRECATED,
        IFA_F_TENTATIVE,
        IFA_F_PERMANENT,
        IFA_F_NOPREFIXROUTE,
        IFA_PROTO,
        IFAPROT_UNSPEC,
        IFAPROT_KERNEL_LO,
        IFAPROT_KERNEL_RA,
        IFAPROT_KERNEL_LL,
        RTA_DST,
        RTA_SRC,
        RTA_IIF,
        RTA_OIF,
        RTA_GATEWAY,
        RTA_PRIORITY,
        RTA_PREFSRC,
        RTA_METRICS,
        RTA_CACHEINFO,
        RTA_TABLE,
        RTA_MARK,
        RTA_PREF,
        RTA_UID,
        RTA_IP_PROTO,
        RTA_SPORT,
        RTA_DPORT,
        RT_TABLE_UNSPEC,
        RT_TABLE_DEFAULT,
        RT_TABLE_MAIN,
        RT_TABLE_LOCAL,
        RTPROT_UNSPEC,
        RTPROT_KERNEL,
        RTPROT_BOOT,
        RTPROT_STATIC,
        RTPROT_RA,
        RTPROT_DHCP,
        RT_SCOPE_UNIVERSE,
        RT_SCOPE_SITE,
        RT_SCOPE_LINK,
        RT_SCOPE_HOST,
        RT_SCOPE_NOWHERE,
        RTN_UNSPEC,
        RTN_UNICAST,
        RTN_LOCAL,
        RTN_BROADCAST,
        RTN_ANYCAST,
        RTN_MULTICAST,
        RTM_F_CLONED,
        RTM_F_PREFIX,
        RTNH_F_LINKDOWN,
        RTM_F_NOTIFY,
        RTM_F_LOOKUP_TABLE,
        RTM_F_FIB_MATCH,
        RTCF_BROADCAST,
        RTCF_LOCAL,
        ICMPV6_ROUTER_PREF_MEDIUM,
        AF_UNSPEC,
        AF_INET,
        AF_INET6,
        AF_NETLINK,
        AF_PACKET,
        RTNL_FAMILY_IPMR,
        RTNL_FAMILY_IP6MR,
        EPERM,
        ENOENT,
        EBUSY,
        ERANGE,
        ENODEV,
        EINVAL,
        EOPNOTSUPP,
        EADDRINUSE,
        ENETUNREACH,
        ENOBUFS,
        ENOPROTOOPT,
    ];
    let sizes = [
        ("sizeof(struct nlmsghdr)", NLMSG_HDRLEN),
        ("sizeof(struct sockaddr_nl)", SOCKADDR_NL_LEN),
        ("sizeof(struct nlmsgerr)", NLMSGERR_LEN),
        ("sizeof(struct rtgenmsg)", RTGENMSG_LEN),
        ("sizeof(struct ifinfomsg)", IFINFOMSG_LEN),
        ("sizeof(struct ifaddrmsg)", IFADDRMSG_LEN),
        ("sizeof(struct rtmsg)", RTMSG_LEN),
        ("sizeof(struct rtattr)", RTA_HDRLEN),
        ("sizeof(struct fib_rule_hdr)", FIB_RULE_HDR_LEN),
        ("sizeof(struct rtnl_link_stats)", RTNL_LINK_STATS_LEN),
        ("sizeof(struct rtnl_link_stats64)", RTNL_LINK_STATS64_LEN),
        ("sizeof(struct ifa_cacheinfo)", IFA_CACHEINFO_LEN),
        ("sizeof(struct rta_cacheinfo)", RTA_CACHEINFO_LEN),
        // The offsets the encoders write at.
        ("offsetof(struct ifinfomsg, ifi_type)", 2),
        ("offsetof(struct ifinfomsg, ifi_index)", 4),
        ("offsetof(struct ifinfomsg, ifi_flags)", 8),
        ("offsetof(struct ifinfomsg, ifi_change)", 12),
        ("offsetof(struct ifaddrmsg, ifa_prefixlen)", 1),
        ("offsetof(struct ifaddrmsg, ifa_flags)", 2),
        ("offsetof(struct ifaddrmsg, ifa_scope)", 3),
        ("offsetof(struct ifaddrmsg, ifa_index)", 4),
        ("offsetof(struct rtmsg, rtm_dst_len)", 1),
        ("offsetof(struct rtmsg, rtm_table)", 4),
        ("offsetof(struct rtmsg, rtm_protocol)", 5),
        ("offsetof(struct rtmsg, rtm_scope)", 6),
        ("offsetof(struct rtmsg, rtm_type)", 7),
        ("offsetof(struct rtmsg, rtm_flags)", 8),
        ("offsetof(struct ifa_cacheinfo, cstamp)", 8),
        ("offsetof(struct ifa_cacheinfo, tstamp)", 12),
        ("offsetof(struct sockaddr_nl, nl_pid)", 4),
        ("offsetof(struct sockaddr_nl, nl_groups)", 8),
        // The eight counters the model fills, in rtnl_link_stats64 order.
        ("offsetof(struct rtnl_link_stats64, rx_packets)", 0),
        ("offsetof(struct rtnl_link_stats64, tx_packets)", 8),
        ("offsetof(struct rtnl_link_stats64, rx_bytes)", 16),
        ("offsetof(struct rtnl_link_stats64, tx_bytes)", 24),
        ("offsetof(struct rtnl_link_stats64, rx_errors)", 32),
        ("offsetof(struct rtnl_link_stats64, tx_errors)", 40),
        ("offsetof(struct rtnl_link_stats64, rx_dropped)", 48),
        ("offsetof(struct rtnl_link_stats64, tx_dropped)", 56),
        ("offsetof(struct rtnl_link_stats, rx_bytes)", 8),
        ("offsetof(struct rtnl_link_stats, tx_dropped)", 28),
        // A private constant of the handler: bridge ports' family.
        ("AF_BRIDGE", 7),
    ];
    v.extend(sizes.iter().map(|(e, n)| (e.to_string(), *n as i64)));
    v
}

fn compiler() -> Option<&'static str> {
    ["cc", "gcc", "clang"]
        .into_iter()
        .find(|cc| Command::new(cc).arg("--version").output().is_ok_and(|o| o.status.success()))
}

#[test]
fn every_constant_and_layout_matches_the_host_headers() {
    let Some(cc) = compiler() else {
        eprintln!("no C compiler: the header cross-check is skipped");
        return;
    };
    let checks = expected();
    let mut c = String::from(
        "#include <stdio.h>\n#include <stddef.h>\n#include <errno.h>\n#include <sys/socket.h>\n\
         #include <linux/netlink.h>\n#include <linux/rtnetlink.h>\n#include <linux/if_link.h>\n\
         #include <linux/if_addr.h>\n#include <linux/if.h>\n#include <linux/if_arp.h>\n\
         #include <linux/icmpv6.h>\n#include <linux/fib_rules.h>\n#include <linux/in_route.h>\nint main(void) {\n",
    );
    for (expr, _) in &checks {
        c.push_str(&format!("  printf(\"%lld\\n\", (long long)({expr}));\n"));
    }
    c.push_str("  return 0;\n}\n");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let src = dir.join("rtnetlink_headers.c");
    let exe = dir.join("rtnetlink_headers");
    std::fs::write(&src, c).unwrap();
    let out = Command::new(cc).args(["-std=gnu11", "-w", "-o"]).arg(&exe).arg(&src).output().unwrap();
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        if err.contains("No such file") {
            eprintln!("no kernel headers: the header cross-check is skipped\n{err}");
            return;
        }
        panic!("the check program does not compile:\n{err}");
    }
    let out = Command::new(&exe).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let values: Vec<i64> = text.lines().map(|l| l.parse().unwrap()).collect();
    assert_eq!(values.len(), checks.len());
    let wrong: Vec<String> = checks
        .iter()
        .zip(&values)
        .filter(|((_, ours), theirs)| ours != *theirs)
        .map(|((expr, ours), theirs)| format!("{expr}: crate says {ours}, headers say {theirs}"))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
