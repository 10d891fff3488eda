//! The flags every Pale server binary has, as a clap [`Args`] struct to
//! flatten into its own command line (feature `cli`), so an address is
//! checked, and the per-address cap and the trusted proxies are set, the
//! same way in each; and [`DocArgs`] (with [`DocAudience`] and
//! [`DocVersion`]), the `--audience`, `--version` and `--json-only` of a
//! command that prints an API's OpenAPI document.
//!
//! ```
//! use clap::Parser;
//! use pale_server::cli::ServeArgs;
//!
//! #[derive(Parser)]
//! struct Cli {
//!     #[command(flatten)]
//!     serve: ServeArgs,
//! }
//!
//! let cli = Cli::parse_from(["app", "--addr", "0.0.0.0:80", "--trusted-proxy", "10.0.0.0/8"]);
//! assert_eq!(cli.serve.addr, "0.0.0.0:80");
//! assert!(cli.serve.trusted_proxies().contains("10.1.2.3".parse().unwrap()));
//! ```

use clap::{Args, ValueEnum};
use ipnet::IpNet;
use pale_core::describe::{OpenApi, json_only, openapi_in};
use pale_core::{Api, App, Audience};

use crate::limits::Limits;
use crate::peer::{TrustedProxies, parse_proxy};
use crate::server::Server;

/// Where to listen, and who to believe.
#[derive(Args, Clone, Debug, PartialEq, Eq)]
pub struct ServeArgs {
    /// Where to listen (a host name is resolved when binding).
    #[arg(
        long,
        global = true,
        env = "PALE_ADDR",
        default_value = "127.0.0.1:8080",
        value_name = "HOST:PORT",
        value_parser = host_port
    )]
    pub addr: String,
    /// Connections one client address may hold at once (an IPv6 client is
    /// its /64); 0 for no cap. Trusted proxies are exempt.
    #[arg(
        long,
        global = true,
        env = "PALE_MAX_CONNECTIONS_PER_IP",
        default_value_t = 128,
        value_name = "N"
    )]
    pub max_connections_per_ip: usize,
    /// A reverse proxy in front of the server (an address or a network;
    /// repeat the flag, or separate with commas): its connections are not
    /// capped per address, and its Forwarded / X-Forwarded-* headers are
    /// believed.
    #[arg(
        long = "trusted-proxy",
        global = true,
        env = "PALE_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_name = "ADDR|CIDR",
        value_parser = parse_proxy
    )]
    pub trusted_proxy: Vec<IpNet>,
}

impl ServeArgs {
    /// The default limits with these flags' per-address cap.
    pub fn limits(&self) -> Limits {
        let cap = (self.max_connections_per_ip > 0).then_some(self.max_connections_per_ip);
        Limits::default().max_connections_per_ip(cap)
    }

    /// The trusted proxies named.
    pub fn trusted_proxies(&self) -> TrustedProxies {
        TrustedProxies::new(self.trusted_proxy.iter().copied())
    }

    /// Binds [`addr`](Self::addr), with these limits and trusted proxies;
    /// an error names the address.
    pub async fn bind(&self) -> Result<Server, String> {
        let server = Server::bind(&self.addr)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", self.addr))?;
        Ok(server
            .limits(self.limits())
            .trusted_proxies(self.trusted_proxies()))
    }
}

/// Which OpenAPI document to print: whose, in which version, and whether
/// for a JSON client.
///
/// ```
/// use clap::Parser;
/// use pale_server::cli::{DocArgs, DocAudience, DocVersion};
///
/// #[derive(Parser)]
/// struct Cli {
///     #[command(flatten)]
///     doc: DocArgs,
/// }
///
/// let cli = Cli::parse_from(["app", "--audience", "owner", "--version", "3.0", "--json-only"]);
/// assert_eq!(
///     cli.doc,
///     DocArgs { audience: DocAudience::Owner, version: DocVersion::V3_0, json_only: true }
/// );
/// ```
#[derive(Args, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DocArgs {
    /// Whose document: what that caller may see and do.
    #[arg(long, value_enum, default_value_t = DocAudience::Public)]
    pub audience: DocAudience,
    /// The OpenAPI version.
    #[arg(long, value_enum, default_value_t = DocVersion::V3_1)]
    pub version: DocVersion,
    /// Every body in JSON only (`application/json`, a `PATCH`'s merge patch
    /// too), for client generators that read one JSON media type per body.
    #[arg(long)]
    pub json_only: bool,
}

impl DocArgs {
    /// The document these flags ask for, of `api`.
    pub fn document<A: App>(&self, api: &Api<A>) -> OpenApi {
        let document = openapi_in(api, self.audience.audience(), self.version.version());
        if self.json_only {
            json_only(document)
        } else {
            document
        }
    }
}

/// Whose documentation to print (`--audience`): what that caller may see
/// and do, or everything.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum DocAudience {
    /// Anyone, signed in or not.
    #[default]
    Public,
    /// A signed-in caller.
    User,
    /// The owner of the resource.
    Owner,
    /// An administrator.
    Admin,
    /// Every operation and field.
    Full,
}

impl DocAudience {
    /// The audience, or `None` for the full document.
    pub fn audience(self) -> Option<Audience> {
        match self {
            Self::Public => Some(Audience::Public),
            Self::User => Some(Audience::User),
            Self::Owner => Some(Audience::Owner),
            Self::Admin => Some(Audience::Admin),
            Self::Full => None,
        }
    }
}

/// Which OpenAPI version to print (`--version 3.0`): 3.1 unless asked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum DocVersion {
    /// OpenAPI 3.1.0.
    #[default]
    #[value(name = "3.1")]
    V3_1,
    /// OpenAPI 3.0.3, for tools that read no later version.
    #[value(name = "3.0")]
    V3_0,
}

impl DocVersion {
    /// The version, as `pale_core::describe::openapi_in` takes it.
    pub fn version(self) -> pale_core::OpenApiVersion {
        match self {
            Self::V3_1 => pale_core::OpenApiVersion::V3_1,
            Self::V3_0 => pale_core::OpenApiVersion::V3_0,
        }
    }
}

/// `HOST:PORT`, such as `127.0.0.1:8080` or `[::1]:80`.
pub fn host_port(addr: &str) -> Result<String, String> {
    match addr.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() && port.parse::<u16>().is_ok() => {
            Ok(addr.to_owned())
        }
        _ => Err(format!("`{addr}` is not HOST:PORT, such as 127.0.0.1:8080")),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        serve: ServeArgs,
    }

    fn parse(args: &[&str]) -> Result<ServeArgs, clap::Error> {
        Cli::try_parse_from(std::iter::once("app").chain(args.iter().copied())).map(|c| c.serve)
    }

    #[test]
    fn defaults_are_loopback_and_a_cap_of_128() {
        let args = parse(&[]).unwrap();
        assert_eq!(args.addr, "127.0.0.1:8080");
        assert_eq!(args.limits().max_connections_per_ip, Some(128));
        assert!(args.trusted_proxies().is_empty());
    }

    #[test]
    fn flags_set_the_cap_and_the_proxies() {
        let args = parse(&[
            "--max-connections-per-ip",
            "0",
            "--trusted-proxy",
            "10.0.0.1,192.168.0.0/16",
            "--trusted-proxy",
            "::1",
        ])
        .unwrap();
        assert_eq!(args.limits().max_connections_per_ip, None);
        let proxies = args.trusted_proxies();
        for (addr, trusted) in [
            ("10.0.0.1", true),
            ("192.168.3.4", true),
            ("::1", true),
            ("10.0.0.2", false),
        ] {
            assert_eq!(proxies.contains(addr.parse().unwrap()), trusted, "{addr}");
        }
        let capped = parse(&["--max-connections-per-ip", "4"]).unwrap();
        assert_eq!(capped.limits().max_connections_per_ip, Some(4));
    }

    #[test]
    fn doc_audiences_name_the_audiences() {
        let cases = [
            (DocAudience::Public, Some(Audience::Public)),
            (DocAudience::User, Some(Audience::User)),
            (DocAudience::Owner, Some(Audience::Owner)),
            (DocAudience::Admin, Some(Audience::Admin)),
            (DocAudience::Full, None),
        ];
        for (chosen, audience) in cases {
            assert_eq!(chosen.audience(), audience);
        }
        assert_eq!(DocAudience::default(), DocAudience::Public);
    }

    #[test]
    fn bad_values_are_refused_with_the_reason() {
        for (args, reason) in [
            (&["--addr", "8080"][..], "is not HOST:PORT"),
            (&["--addr", ":80"][..], "is not HOST:PORT"),
            (&["--addr", "h:99999"][..], "is not HOST:PORT"),
            (
                &["--trusted-proxy", "proxy.local"][..],
                "not an IP address or network",
            ),
            (&["--max-connections-per-ip", "-1"][..], "-1"),
        ] {
            let err = parse(args).unwrap_err().to_string();
            assert!(err.contains(reason), "{args:?}: {err}");
        }
    }
}
