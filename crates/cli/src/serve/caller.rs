//! Who is calling, for the rate limit and the fault draws: the AccessKeyId the call is
//! signed with (verified with `--credentials`, as the call claims it without), else the
//! client's IP address.

use std::fmt;
use std::net::IpAddr;

/// A caller, as the faults tell callers apart.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Caller {
    /// A call that names an AccessKeyId.
    Key(String),
    /// An unsigned call, by the address it comes from.
    Address(IpAddr),
}

impl Caller {
    /// The caller of a call: `verified` (the AccessKeyId the signature check accepted), else
    /// the one the call claims (the RPC `AccessKeyId` parameter, or the `Credential` of an
    /// ACS3 `Authorization` header), else `peer`.
    pub fn identify(
        verified: Option<&str>,
        rpc_access_key_id: Option<String>,
        authorization: Option<&str>,
        peer: IpAddr,
    ) -> Caller {
        let claimed = verified
            .map(str::to_owned)
            .or_else(|| rpc_access_key_id.filter(|id| !id.is_empty()))
            .or_else(|| authorization.and_then(acs3_credential).map(str::to_owned));
        match claimed {
            Some(id) => Caller::Key(id),
            None => Caller::Address(peer),
        }
    }
}

impl fmt::Display for Caller {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Caller::Key(id) => write!(f, "key:{id}"),
            Caller::Address(ip) => write!(f, "ip:{ip}"),
        }
    }
}

/// The AccessKeyId of `ACS3-HMAC-SHA256 Credential=ID,SignedHeaders=...,Signature=...`.
fn acs3_credential(authorization: &str) -> Option<&str> {
    let (_, fields) = authorization.split_once(' ')?;
    fields
        .split(',')
        .find_map(|field| field.trim().strip_prefix("Credential="))
        .filter(|id| !id.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEER: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

    #[test]
    fn a_caller_is_its_access_key_id_else_its_address() {
        let acs3 =
            "ACS3-HMAC-SHA256 Credential=LTAI-acs3,SignedHeaders=host;x-acs-date,Signature=ab";
        assert_eq!(
            Caller::identify(Some("LTAI-checked"), Some("other".into()), Some(acs3), PEER),
            Caller::Key("LTAI-checked".into())
        );
        assert_eq!(
            Caller::identify(None, Some("LTAI-rpc".into()), None, PEER),
            Caller::Key("LTAI-rpc".into())
        );
        assert_eq!(
            Caller::identify(None, None, Some(acs3), PEER),
            Caller::Key("LTAI-acs3".into())
        );
        for unsigned in [
            None,
            Some("Bearer x"),
            Some("ACS3-HMAC-SHA256 Credential=,Signature=x"),
        ] {
            assert_eq!(
                Caller::identify(None, Some(String::new()), unsigned, PEER),
                Caller::Address(PEER)
            );
        }
        assert_eq!(Caller::Address(PEER).to_string(), "ip:127.0.0.1");
        assert_eq!(Caller::Key("K".into()).to_string(), "key:K");
    }
}
