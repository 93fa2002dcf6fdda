//! Who is calling: the client's IP address, for per-address throttles of the public forms and logins.
//!
//! `X-Forwarded-For` and `Forwarded` are whatever the sender wrote, so they are believed only when the
//! socket's peer is a configured proxy (`TRUSTED_PROXIES`); then the address is the last hop a trusted
//! proxy saw that is not itself a trusted proxy. Behind no proxy (the default) the socket's address counts.

use crate::auth::ClientAddress;
use actix_web::HttpRequest;
use ipnet::IpNet;
use std::net::IpAddr;
use std::str::FromStr;

/// The proxies whose forwarding headers are believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

/// A `TRUSTED_PROXIES` entry that is neither an address nor a CIDR block.
#[derive(Debug, thiserror::Error)]
#[error("{0:?} is not an IP address or CIDR block (e.g. 10.0.0.0/8, 172.18.0.2)")]
pub struct ProxyListError(String);

impl FromStr for TrustedProxies {
    type Err = ProxyListError;

    /// A comma- or space-separated list of CIDR blocks or single addresses.
    fn from_str(list: &str) -> Result<Self, Self::Err> {
        list.split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|entry| {
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| ProxyListError(entry.to_owned()))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }
}

impl TrustedProxies {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address: the peer's, unless the peer is trusted and forwarded the request.
    pub fn client_of(&self, peer: Option<IpAddr>, forwarded_for: &[IpAddr]) -> Option<IpAddr> {
        let peer = canonical(peer?);
        if !self.contains(peer) {
            return Some(peer);
        }
        // Right to left: each trusted proxy appended the address it saw; the first untrusted one is the client.
        let mut client = peer;
        for hop in forwarded_for.iter().rev().map(|ip| canonical(*ip)) {
            client = hop;
            if !self.contains(hop) {
                break;
            }
        }
        Some(client)
    }

    /// The client address of an HTTP request.
    pub fn client_address(&self, req: &HttpRequest) -> ClientAddress {
        let peer = req.peer_addr().map(|a| a.ip());
        let hops = if peer.is_some_and(|p| self.contains(p)) { forwarded_hops(req) } else { Vec::new() };
        ClientAddress(self.client_of(peer, &hops).map_or_else(|| "unknown".to_owned(), |ip| ip.to_string()))
    }
}

/// IPv4 addresses seen as IPv6 (`::ffff:1.2.3.4`) count as IPv4, so one client has one address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// The addresses of `X-Forwarded-For` (every header, in order), else of `Forwarded`'s `for=` parameters.
/// An entry that is not an address ends the list there: what lies left of it cannot be trusted anyway.
fn forwarded_hops(req: &HttpRequest) -> Vec<IpAddr> {
    let headers = req.headers();
    let xff: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let entries: Vec<String> = if !xff.is_empty() {
        xff.into_iter().map(str::to_owned).collect()
    } else {
        headers
            .get_all("forwarded")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|element| {
                element.split(';').map(str::trim).find_map(|pair| {
                    let (key, value) = pair.split_once('=')?;
                    key.trim().eq_ignore_ascii_case("for").then(|| value.trim().trim_matches('"').to_owned())
                })
            })
            .collect()
    };
    let mut hops = Vec::new();
    for entry in entries.iter().rev() {
        match parse_hop(entry) {
            Some(ip) => hops.push(ip),
            None => break,
        }
    }
    hops.reverse();
    hops
}

/// `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or `[2001:db8::1]:4711`.
fn parse_hop(entry: &str) -> Option<IpAddr> {
    if let Ok(ip) = entry.parse() {
        return Some(ip);
    }
    if let Some(rest) = entry.strip_prefix('[') {
        return rest.split_once(']').and_then(|(ip, _)| ip.parse().ok());
    }
    entry.rsplit_once(':').and_then(|(ip, _)| ip.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn headers_count_only_from_trusted_proxies() {
        let none = TrustedProxies::default();
        assert_eq!(none.client_of(Some(ip("203.0.113.9")), &[ip("1.1.1.1")]), Some(ip("203.0.113.9")));
        let proxies: TrustedProxies = "10.0.0.0/8, 172.18.0.2".parse().unwrap_or_default();
        // Through the trusted proxy: the client it saw.
        assert_eq!(
            proxies.client_of(Some(ip("172.18.0.2")), &[ip("198.51.100.7")]),
            Some(ip("198.51.100.7"))
        );
        // A forged entry left of the real one is ignored.
        let hops = [ip("1.1.1.1"), ip("198.51.100.7"), ip("10.1.2.3")];
        assert_eq!(proxies.client_of(Some(ip("172.18.0.2")), &hops), Some(ip("198.51.100.7")));
        // Straight from the internet: the header is the sender's word.
        assert_eq!(proxies.client_of(Some(ip("198.51.100.7")), &[ip("1.1.1.1")]), Some(ip("198.51.100.7")));
        assert_eq!(proxies.client_of(Some(ip("::ffff:198.51.100.7")), &[]), Some(ip("198.51.100.7")));
    }

    #[test]
    fn parses_lists_and_hops() {
        assert!("10.0.0.0/33".parse::<TrustedProxies>().is_err());
        assert!("".parse::<TrustedProxies>().is_ok_and(|p| p.is_empty()));
        assert_eq!(parse_hop("[2001:db8::1]:4711"), Some(ip("2001:db8::1")));
        assert_eq!(parse_hop("192.0.2.60:443"), Some(ip("192.0.2.60")));
        assert_eq!(parse_hop("unknown"), None);
    }
}
