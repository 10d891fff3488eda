//! Who is at the other end of a connection, and whether to believe what it
//! says about the client behind it.
//!
//! Behind a reverse proxy every connection comes from the proxy: its
//! address says nothing about the client, and the client's own address
//! and the public scheme and host arrive in `Forwarded` /
//! `X-Forwarded-*` headers. Those headers are believable only from the
//! proxy; from anyone else they are whatever the client made up. So the
//! server is told which addresses are proxies ([`TrustedProxies`],
//! [`Server::trusted_proxies`](crate::Server::trusted_proxies)), and
//! every request carries a [`Peer`] saying where it came from and whether
//! that is one of them. Connections from a trusted proxy are also exempt
//! from the per-address cap, which would otherwise count every client of
//! the site as one.

use std::net::{IpAddr, SocketAddr};

use http::request::Parts;
use ipnet::IpNet;

/// The connection a request arrived on, in its extensions (put there by
/// [`Server`](crate::Server); absent when a service is called some other
/// way, as in tests).
///
/// ```
/// use pale_server::Peer;
///
/// fn believe_forwarded(parts: &http::request::Parts) -> bool {
///     Peer::of(parts).is_some_and(|peer| peer.trusted_proxy)
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Peer {
    /// The address the connection came from.
    pub addr: SocketAddr,
    /// Whether that address is a configured trusted proxy, whose
    /// `Forwarded` / `X-Forwarded-*` headers may be believed.
    pub trusted_proxy: bool,
}

impl Peer {
    /// The peer of the request whose head is `parts`.
    pub fn of(parts: &Parts) -> Option<Self> {
        parts.extensions.get::<Self>().copied()
    }

    /// The client's address: the connection's, or, on a connection from a
    /// trusted proxy, the last address of its `X-Forwarded-For` (the one
    /// the proxy saw). `None` without a [`Peer`].
    pub fn client_ip(parts: &Parts) -> Option<IpAddr> {
        let peer = Self::of(parts)?;
        let forwarded = peer
            .trusted_proxy
            .then(|| forwarded_client(parts))
            .flatten();
        Some(forwarded.unwrap_or(peer.addr.ip()))
    }
}

/// The last address of `X-Forwarded-For`: the client as the proxy saw it.
fn forwarded_client(parts: &Parts) -> Option<IpAddr> {
    let header = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .next_back()?;
    let last = header.to_str().ok()?.rsplit(',').next()?.trim();
    last.parse().ok()
}

/// The addresses and networks of the reverse proxies in front of the
/// server. Empty by default: no one is trusted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Trusts the given networks (a single address is a `/32` or `/128`).
    pub fn new(networks: impl IntoIterator<Item = IpNet>) -> Self {
        Self(networks.into_iter().map(|net| net.trunc()).collect())
    }

    /// Whether `addr` is one of the trusted proxies. An IPv4 address
    /// mapped into IPv6 (`::ffff:10.0.0.1`, as a dual-stack socket reports
    /// it) is compared as the IPv4 address it is.
    pub fn contains(&self, addr: IpAddr) -> bool {
        let addr = addr.to_canonical();
        self.0.iter().any(|net| net.contains(&addr))
    }

    /// Whether no proxy is trusted.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Reads `10.0.0.1` (one address) or `10.0.0.0/8` (a network), as in a
/// `--trusted-proxy` flag.
///
/// ```
/// let net = pale_server::parse_proxy("10.1.2.3").unwrap();
/// assert_eq!(net.to_string(), "10.1.2.3/32");
/// assert!(pale_server::parse_proxy("10.0.0.0/33").is_err());
/// ```
pub fn parse_proxy(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    if let Ok(addr) = text.parse::<IpAddr>() {
        return Ok(IpNet::from(addr));
    }
    text.parse::<IpNet>().map_err(|_| {
        format!("{text:?} is not an IP address or network (such as 10.0.0.1 or 10.0.0.0/8)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::new(list.iter().map(|p| parse_proxy(p).unwrap()))
    }

    #[test]
    fn addresses_and_networks_are_trusted_exactly() {
        let trusted = proxies(&["10.0.0.1", "192.168.0.0/16", "fd00::/8"]);
        let cases = [
            ("10.0.0.1", true),
            ("10.0.0.2", false),
            ("192.168.44.7", true),
            ("192.169.0.1", false),
            ("fd12::1", true),
            ("fe80::1", false),
            ("::ffff:10.0.0.1", true),
            ("::ffff:10.0.0.2", false),
            ("127.0.0.1", false),
        ];
        for (addr, expected) in cases {
            assert_eq!(trusted.contains(addr.parse().unwrap()), expected, "{addr}");
        }
        assert!(!TrustedProxies::default().contains("127.0.0.1".parse().unwrap()));
        assert!(TrustedProxies::default().is_empty());
    }

    #[test]
    fn a_network_with_host_bits_is_the_network() {
        assert!(proxies(&["10.1.2.3/8"]).contains("10.200.0.1".parse().unwrap()));
    }

    #[test]
    fn bad_proxies_are_refused_with_the_text() {
        for text in ["", "10.0.0", "10.0.0.0/33", "proxy.example", "::1/129"] {
            let err = parse_proxy(text).unwrap_err();
            assert!(err.contains("not an IP address or network"), "{err}");
        }
        assert_eq!(parse_proxy(" ::1 ").unwrap().to_string(), "::1/128");
    }
}
